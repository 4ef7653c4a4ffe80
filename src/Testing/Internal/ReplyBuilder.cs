using System.Text;
using System.Text.Json.Nodes;

namespace PromptGen.Testing.Internal;

/// <summary>One output content block, already cut into the chunks a stream sends (one chunk per "token").</summary>
internal sealed class ReplyBlock
{
    public string? Text { get; init; }
    public string? ToolUseId { get; init; }
    public string? ToolName { get; init; }
    public string? ToolInputJson { get; init; }
    public required List<string> Chunks { get; init; }
}

/// <summary>The whole deterministic answer to a Converse request.</summary>
internal sealed class Reply
{
    public required List<ReplyBlock> Blocks { get; init; }
    public required string StopReason { get; init; }
    public int OutputTokens => Blocks.Sum(b => b.Chunks.Count);
}

/// <summary>Token counts of a request's input.</summary>
internal sealed record InputUsage(int InputTokens, int? CacheRead, int? CacheWrite, string CacheTtl);

/// <summary>Builds deterministic replies and token counts.</summary>
internal static class ReplyBuilder
{
    private static readonly string[] Words =
    {
        "the", "emulated", "model", "answers", "with", "a", "steady", "and", "repeatable", "reply", "for", "your", "request",
        "every", "time", "it", "sees", "same", "input", "so", "tests", "can", "rely", "on", "text", "tokens", "arrive",
        "one", "by", "stream", "bedrock", "prompt", "result", "value", "quick", "brown", "fox", "jumps", "over", "lazy",
        "dog", "clear", "simple", "output", "check", "this", "is", "fine", "well", "done",
    };

    public static Reply Build(EmulatorRequestContext context, JsonObject body, Func<EmulatorRequestContext, string?>? textOverride, uint seed)
    {
        JsonObject? toolConfig = body["toolConfig"] as JsonObject;
        JsonObject? tool = ChooseTool(toolConfig, body);
        if (tool != null)
        {
            string name = (tool["name"] as JsonValue)?.ToString() ?? "tool";
            JsonNode? schema = tool["inputSchema"]?["json"];
            string input = (new SchemaValueGenerator(schema, (int)(seed % 100000)).Generate() ?? new JsonObject()).ToJsonString();
            var block = new ReplyBlock
            {
                ToolUseId = "tooluse_" + seed.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + Hash(name).ToString("x8", System.Globalization.CultureInfo.InvariantCulture),
                ToolName = name,
                ToolInputJson = input,
                Chunks = Chunk(input),
            };
            return new Reply { Blocks = new List<ReplyBlock> { block }, StopReason = "tool_use" };
        }

        string? text = textOverride?.Invoke(context);
        bool structured = context.JsonSchema != null;
        if (text is null && structured)
        {
            JsonNode? schema = JsonNode.Parse(context.JsonSchema!);
            text = (new SchemaValueGenerator(schema, (int)(seed % 100000)).Generate() ?? new JsonObject()).ToJsonString();
        }
        else if (text is null)
        {
            text = DeterministicText(seed);
        }

        string stopReason = "end_turn";
        if (!structured && body["inferenceConfig"]?["stopSequences"] is JsonArray stops)
        {
            int cut = -1;
            foreach (JsonNode? stop in stops)
            {
                string s = (stop as JsonValue)?.ToString() ?? string.Empty;
                int at = s.Length > 0 ? text.IndexOf(s, StringComparison.Ordinal) : -1;
                if (at >= 0 && (cut < 0 || at < cut))
                {
                    cut = at;
                }
            }

            if (cut >= 0)
            {
                text = text.Substring(0, cut);
                stopReason = "stop_sequence";
            }
        }

        List<string> chunks = Chunk(text);
        if (!structured && RequestValidator.Number(body["inferenceConfig"]?["maxTokens"]) is double maxTokens && chunks.Count > maxTokens)
        {
            chunks = chunks.Take((int)maxTokens).ToList();
            text = string.Concat(chunks);
            stopReason = "max_tokens";
        }

        return new Reply { Blocks = new List<ReplyBlock> { new ReplyBlock { Text = text, Chunks = chunks } }, StopReason = stopReason };
    }

    /// <summary>A forced tool (toolChoice.tool / any), or with auto the first tool unless the last user turn carries tool results.</summary>
    private static JsonObject? ChooseTool(JsonObject? toolConfig, JsonObject body)
    {
        List<JsonObject> specs = (toolConfig?["tools"] as JsonArray)?.OfType<JsonObject>()
            .Select(t => t["toolSpec"] as JsonObject).Where(s => s != null).Select(s => s!).ToList() ?? new List<JsonObject>();
        if (specs.Count == 0)
        {
            return null;
        }

        JsonNode? choice = toolConfig!["toolChoice"];
        if (choice?["tool"]?["name"] is JsonValue forced)
        {
            string name = forced.ToString();
            return specs.FirstOrDefault(s => (s["name"] as JsonValue)?.ToString() == name);
        }

        if (choice?["any"] != null)
        {
            return specs[0];
        }

        JsonObject? last = (body["messages"] as JsonArray)?.OfType<JsonObject>().LastOrDefault();
        bool answered = (last?["content"] as JsonArray)?.OfType<JsonObject>().Any(b => b.ContainsKey("toolResult")) == true;
        return answered ? null : specs[0];
    }

    public static string DeterministicText(uint seed)
    {
        var rng = seed == 0 ? 1u : seed;
        int count = 12 + (int)(seed % 9);
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            rng ^= rng << 13;
            rng ^= rng >> 17;
            rng ^= rng << 5;
            string word = Words[rng % (uint)Words.Length];
            if (i == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word.Substring(1);
            }

            sb.Append(word).Append(i == count - 1 ? "." : " ");
        }

        return sb.ToString();
    }

    /// <summary>Cuts text into tokens: words with their trailing space; long runs (JSON) in four-character pieces.</summary>
    public static List<string> Chunk(string text)
    {
        var chunks = new List<string>();
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                int end = Math.Min(text.Length, i + 1);
                string piece = text.Substring(start, end - start);
                if (piece.Length > 8)
                {
                    for (int j = 0; j < piece.Length; j += 4)
                    {
                        chunks.Add(piece.Substring(j, Math.Min(4, piece.Length - j)));
                    }
                }
                else if (piece.Length > 0)
                {
                    chunks.Add(piece);
                }

                start = end;
            }
        }

        return chunks;
    }

    /// <summary>
    /// Estimates input tokens as ceil(characters / 4) over tools, system and messages (in that order, the cache prefix
    /// order), and splits off the prefix up to the last cachePoint.
    /// </summary>
    public static (int Total, int Prefix, string PrefixKey, string Ttl, int CachePoints) MeasureInput(JsonNode? system, JsonNode? messages, JsonNode? toolConfig)
    {
        var sb = new StringBuilder();
        int prefixLength = 0, points = 0;
        string ttl = "5m";

        void Mark(JsonObject cachePoint)
        {
            points++;
            prefixLength = sb.Length;
            if ((cachePoint["ttl"] as JsonValue)?.ToString() is string t)
            {
                ttl = t;
            }
        }

        foreach (JsonNode? tool in (toolConfig?["tools"] as JsonArray) ?? new JsonArray())
        {
            if (tool?["cachePoint"] is JsonObject cp) Mark(cp);
            else if (tool != null) sb.Append(tool.ToJsonString());
        }

        foreach (JsonNode? block in (system as JsonArray) ?? new JsonArray())
        {
            if (block?["cachePoint"] is JsonObject cp) Mark(cp);
            else if (block?["text"] is JsonValue text) sb.Append(text.ToString());
            else if (block != null) sb.Append(block.ToJsonString());
        }

        foreach (JsonNode? message in (messages as JsonArray) ?? new JsonArray())
        {
            sb.Append((message?["role"] as JsonValue)?.ToString()).Append(':');
            foreach (JsonNode? block in (message?["content"] as JsonArray) ?? new JsonArray())
            {
                if (block?["cachePoint"] is JsonObject cp) Mark(cp);
                else if (block?["text"] is JsonValue text) sb.Append(text.ToString());
                else if (block?["image"] != null || block?["document"] != null || block?["video"] != null || block?["audio"] != null) sb.Append(new string('m', 1024));
                else if (block != null) sb.Append(block.ToJsonString());
            }
        }

        int total = Tokens(sb.Length);
        string prefix = sb.ToString(0, prefixLength);
        return (total, Tokens(prefixLength), prefix, ttl, points);
    }

    public static int Tokens(int chars) => (chars + 3) / 4;

    /// <summary>FNV-1a 32-bit.</summary>
    public static uint Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
