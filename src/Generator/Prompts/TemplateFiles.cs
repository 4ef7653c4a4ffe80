using System;

namespace PromptGen.Generator.Prompts
{
    /// <summary>Which AdditionalFiles are prompt templates and how <c>File = "..."</c> finds one: shared by generator and analyzers.</summary>
    internal static class TemplateFiles
    {
        /// <summary>Whether an AdditionalFiles item may hold a prompt template (.sbn, .scriban, .txt, .md).</summary>
        public static bool IsTemplateFile(string path) =>
            path.EndsWith(".sbn", StringComparison.OrdinalIgnoreCase) ||
            path.EndsWith(".scriban", StringComparison.OrdinalIgnoreCase) ||
            path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ||
            path.EndsWith(".md", StringComparison.OrdinalIgnoreCase);

        /// <summary>Whether the AdditionalFiles item at <paramref name="path"/> is the file written as <paramref name="file"/>.</summary>
        public static bool Matches(string file, string path)
        {
            string wanted = Normalize(file);
            string normalized = Normalize(path);
            return normalized == wanted || normalized.EndsWith("/" + wanted, StringComparison.OrdinalIgnoreCase);
        }

        private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('.', '/');
    }
}
