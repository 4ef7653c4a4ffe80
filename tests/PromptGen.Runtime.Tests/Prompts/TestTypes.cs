using System.Text.Json.Serialization;

namespace PromptGen.Runtime.Tests.Prompts;

public sealed record Invoice(string Number, decimal Total, string? Currency);

public enum DocumentKind
{
    Invoice,
    Receipt,
    CreditNote,
    Other,
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(int))]
internal sealed partial class PromptTestJson : JsonSerializerContext
{
}
