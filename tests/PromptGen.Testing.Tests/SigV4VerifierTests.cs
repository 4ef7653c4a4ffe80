using System.Text;
using PromptGen.Testing.Internal;
using PromptGen.Tests;

namespace PromptGen.Testing.Tests;

/// <summary>The emulator's server-side SigV4 verifier accepts the signed requests of the AWS SigV4 test suite (botocore copy).</summary>
public sealed class SigV4VerifierTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    // Excluded: path-normalisation and space/relative-path cases (the suite encodes the path once, while Bedrock and this
    // verifier double-encode the path of non-S3 services), and multi-line header values (not representable in HTTP/1.1 requests).
    private static bool Applicable(string name) =>
        !(name.Contains("normalize") || name.Contains("relative") || name.Contains("slash") || name.Contains("space") || name.Contains("multiline"));

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(TestPaths.Vector("sigv4", "aws4_testsuite-botocore"), "*.sreq", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => Applicable(n!))
            .Order()
            .Select(n => new object[] { n! });

    private static string SreqPath(string name) =>
        Directory.GetFiles(TestPaths.Vector("sigv4", "aws4_testsuite-botocore"), name + ".sreq", SearchOption.AllDirectories).Single();

    /// <summary>The signed request, with Authorization taken from the .authz file (one .sreq carries a stale signature).</summary>
    private static (string Method, string Target, Dictionary<string, string> Headers, byte[] Body) Load(string name)
    {
        var parsed = Parse(File.ReadAllText(SreqPath(name)));
        parsed.Headers["authorization"] = File.ReadAllText(Path.ChangeExtension(SreqPath(name), ".authz")).Trim();
        return parsed;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verifier_accepts_the_suite_signature(string name)
    {
        (string method, string target, Dictionary<string, string> headers, byte[] body) = Load(name);
        SigV4Verifier.Result result = SigV4Verifier.Verify(method, target, h => headers.GetValueOrDefault(h), body, "AKIDEXAMPLE", Secret, "service");
        Assert.True(result.Ok, result.Message);
        Assert.Equal("us-east-1", result.Region);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verifier_rejects_the_suite_request_with_a_different_secret(string name)
    {
        (string method, string target, Dictionary<string, string> headers, byte[] body) = Load(name);
        SigV4Verifier.Result result = SigV4Verifier.Verify(method, target, h => headers.GetValueOrDefault(h), body, "AKIDEXAMPLE", Secret + "x", "service");
        Assert.False(result.Ok);
        Assert.Equal("InvalidSignatureException", result.ErrorType);
    }

    [Fact]
    public void Bedrock_model_path_is_double_encoded_in_the_canonical_uri()
    {
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse",
            SigV4Verifier.CanonicalPath("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse"));
        Assert.Equal("/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Aapplication-inference-profile%252Fabc/converse",
            SigV4Verifier.CanonicalPath("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fabc/converse"));
    }

    private static (string Method, string Target, Dictionary<string, string> Headers, byte[] Body) Parse(string text)
    {
        text = text.Replace("\r\n", "\n");
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        string head = blank >= 0 ? text.Substring(0, blank) : text;
        string body = blank >= 0 ? text.Substring(blank + 2) : string.Empty;
        string[] lines = head.Split('\n');
        string[] requestLine = lines[0].Split(' ');
        string target = string.Join(" ", requestLine.Skip(1).Take(requestLine.Length - 2));
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            string key = line.Substring(0, colon).Trim().ToLowerInvariant();
            if (!headers.TryGetValue(key, out List<string>? values))
            {
                headers[key] = values = new List<string>();
            }

            values.Add(line.Substring(colon + 1).Trim());
        }

        return (requestLine[0], target, headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), Encoding.UTF8.GetBytes(body));
    }
}
