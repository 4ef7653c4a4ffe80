using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace PromptGen.Generated;

/// <summary>
/// The response cache's key of one call: a 128-bit hash of everything the Converse request holds — model ID, inference
/// configuration, top-k field, system prompt, cache checkpoints, performance configuration, output schema or tool — plus
/// the rendered user message. Hashing the request itself (not a list of chosen fields) is what keeps the key complete:
/// a setting added to the request later changes the key without anyone remembering to add it here.
/// </summary>
internal static class ResponseCacheKey
{
    /// <summary>Bumped when the cached value's shape changes, so old entries are never read as new ones.</summary>
    private const string Version = "promptgen:v1:";

    private const string Hex = "0123456789abcdef";

    /// <summary>The key of a call of <paramref name="definition"/> whose rendered user message is <paramref name="userPrompt"/>.</summary>
    public static string For(PromptDefinition definition, string userPrompt)
    {
        var hash = new XxHash128();
        hash.Append(DefinitionHash(definition));
        hash.Append(MemoryMarshal.AsBytes(userPrompt.AsSpan()));
        Span<byte> digest = stackalloc byte[16];
        hash.GetCurrentHash(digest);
        Span<char> key = stackalloc char[Version.Length + 32];
        Version.AsSpan().CopyTo(key);
        for (int i = 0; i < digest.Length; i++)
        {
            key[Version.Length + (2 * i)] = Hex[digest[i] >> 4];
            key[Version.Length + (2 * i) + 1] = Hex[digest[i] & 0xF];
        }

        return new string(key);
    }

    /// <summary>
    /// The hash of everything but the user message, computed once per definition from the request it builds around an
    /// empty message (the static prefix length only moves a checkpoint, which does not change the answer).
    /// </summary>
    private static byte[] DefinitionHash(PromptDefinition definition)
    {
        byte[]? known = definition.CacheKeySeed;
        if (known is not null)
        {
            return known;
        }

        ConverseRequest request = PromptRunner.BuildRequest(definition, string.Empty);
        var hash = new XxHash128();
        hash.Append(MemoryMarshal.AsBytes(definition.ModelId.AsSpan()));
        hash.Append([0]);
        hash.Append(JsonSerializer.SerializeToUtf8Bytes(request, BedrockJsonContext.Default.ConverseRequest));
        hash.Append([0]);
        byte[] computed = hash.GetCurrentHash();
        definition.CacheKeySeed = computed;
        return computed;
    }
}
