using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PromptGen.Tests;

namespace PromptGen.Runtime.Tests.Model;

/// <summary>One recorded HTTP exchange from the pydantic-ai cassettes or the openinference recordings.</summary>
internal sealed record RecordedExchange(
    string Source,
    int Index,
    string Operation,
    string Uri,
    string? RequestBody,
    int Status,
    IReadOnlyDictionary<string, string> ResponseHeaders,
    byte[]? ResponseBody)
{
    public string Id => $"{Source}#{Index}";

    public string? Header(string name) =>
        ResponseHeaders.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>Loads the recorded Bedrock traffic in ../shared/vectors/bedrock-runtime.</summary>
internal static class RecordedTraffic
{
    private static readonly Lazy<IReadOnlyList<RecordedExchange>> s_all = new(LoadAll);

    public static IReadOnlyList<RecordedExchange> All => s_all.Value;

    public static string CassetteDir => TestPaths.Vector("bedrock-runtime", "pydantic-ai-cassettes");

    public static string RecordingDir => TestPaths.Vector("bedrock-runtime", "openinference-js-recordings");

    /// <summary>Converse (non-stream) 200 JSON responses.</summary>
    public static IEnumerable<RecordedExchange> ConverseSuccesses =>
        All.Where(e => e.Operation == "converse" && e.Status == 200 && e.ResponseBody is not null);

    public static RecordedExchange Get(string source, int index) =>
        All.Single(e => e.Source == source && e.Index == index);

    private static IReadOnlyList<RecordedExchange> LoadAll()
    {
        var list = new List<RecordedExchange>();
        foreach (string file in Directory.GetFiles(CassetteDir, "*.yaml").Order(StringComparer.Ordinal))
        {
            list.AddRange(LoadCassette(file));
        }

        foreach (string file in Directory.GetFiles(RecordingDir, "*.json").Order(StringComparer.Ordinal))
        {
            list.AddRange(LoadRecording(file));
        }

        return list;
    }

    private static string OperationOf(string uri)
    {
        Match m = Regex.Match(uri, @"/model/[^/]+/([a-z-]+)$");
        return m.Success ? m.Groups[1].Value : "other";
    }

    private static IEnumerable<RecordedExchange> LoadCassette(string file)
    {
        JsonNode root = MiniYaml.Parse(File.ReadAllText(file))!;
        JsonArray interactions = root["interactions"]!.AsArray();
        for (int i = 0; i < interactions.Count; i++)
        {
            JsonNode it = interactions[i]!;
            string uri = it["request"]!["uri"]!.GetValue<string>();
            string? requestBody = it["request"]!["body"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? it["request"]!["body"]!.GetValue<string>()
                : null;
            JsonNode response = it["response"]!;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (response["headers"] is JsonObject h)
            {
                foreach (var kv in h)
                {
                    headers[kv.Key] = kv.Value is JsonArray arr ? arr[0]!.ToString() : kv.Value?.ToString() ?? string.Empty;
                }
            }

            byte[]? body = null;
            if (response["parsed_body"] is JsonNode parsed)
            {
                // vcrpy stored the JSON re-parsed; re-serialise it (values are exact, key order and spacing are not).
                body = Encoding.UTF8.GetBytes(parsed.ToJsonString());
            }
            else if (response["body"]?["string"] is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String)
            {
                string text = s.GetValue<string>();
                body = headers.TryGetValue("content-type", out string? ct) && ct.Contains("json", StringComparison.Ordinal)
                    ? Encoding.UTF8.GetBytes(text)
                    : null;
            }

            yield return new RecordedExchange(
                Path.GetFileName(file), i, OperationOf(uri), uri, requestBody,
                int.Parse(response["status"]!["code"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture), headers, body);
        }
    }

    private static IEnumerable<RecordedExchange> LoadRecording(string file)
    {
        JsonArray interactions = JsonNode.Parse(File.ReadAllText(file))!.AsArray();
        for (int i = 0; i < interactions.Count; i++)
        {
            JsonNode it = interactions[i]!;
            string path = it["path"]!.GetValue<string>();
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (it["rawHeaders"] is JsonArray raw)
            {
                for (int h = 0; h + 1 < raw.Count; h += 2)
                {
                    headers[raw[h]!.GetValue<string>()] = raw[h + 1]!.GetValue<string>();
                }
            }

            bool binary = it["responseIsBinary"]?.GetValue<bool>() == true;
            byte[]? body = binary || it["response"] is null
                ? null
                : it["response"] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                    ? Encoding.UTF8.GetBytes(v.GetValue<string>())
                    : Encoding.UTF8.GetBytes(it["response"]!.ToJsonString());
            yield return new RecordedExchange(
                Path.GetFileName(file), i, OperationOf(path), path, it["body"]?.ToJsonString(),
                it["status"]!.GetValue<int>(), headers, body);
        }
    }
}

/// <summary>
/// The expected stopReason and usage per recorded Converse response, as listed (independently, by a Python script)
/// in PROVENANCE.md section 3d/3e: rows like <c>#0: stopReason=end_turn, usage={"inputTokens": 7, ...}</c>.
/// </summary>
internal static class ProvenanceExpectations
{
    private static readonly Lazy<Dictionary<string, (string StopReason, JsonObject? Usage)>> s_table = new(Load);

    public static bool TryGet(string source, int index, out string stopReason, out JsonObject? usage)
    {
        if (s_table.Value.TryGetValue($"{source}#{index}", out var entry))
        {
            (stopReason, usage) = entry;
            return true;
        }

        stopReason = string.Empty;
        usage = null;
        return false;
    }

    public static int Count => s_table.Value.Count;

    private static Dictionary<string, (string, JsonObject?)> Load()
    {
        var result = new Dictionary<string, (string, JsonObject?)>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(TestPaths.Vector("PROVENANCE.md")))
        {
            Match file = Regex.Match(line, @"^\| `bedrock-runtime/(?:pydantic-ai-cassettes|openinference-js-recordings)/([^`]+)`");
            if (!file.Success)
            {
                continue;
            }

            string expected = line.Split('|', StringSplitOptions.TrimEntries)[^2];
            foreach (Match m in Regex.Matches(expected, @"#(\d+): stopReason=([a-z_]+), usage="))
            {
                int start = m.Index + m.Length;
                JsonObject? usage = null;
                if (!expected.AsSpan(start).StartsWith("null", StringComparison.Ordinal))
                {
                    int depth = 0, end = start;
                    do
                    {
                        depth += expected[end] == '{' ? 1 : expected[end] == '}' ? -1 : 0;
                        end++;
                    }
                    while (depth > 0);
                    usage = JsonNode.Parse(expected[start..end])!.AsObject();
                }

                result[$"{file.Groups[1].Value}#{m.Groups[1].Value}"] = (m.Groups[2].Value, usage);
            }
        }

        return result;
    }
}
