using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PromptGen.Generator.Structured;

namespace PromptGen.Generator.Tests.Structured;

/// <summary>Parses every sample root, emits its JSON class, compiles all of it with the user types, and loads it.</summary>
public sealed class StructuredEmitterFixture : IDisposable
{
    private readonly Lazy<LoadedStructuredAssembly> loaded;

    public StructuredEmitterFixture()
    {
        Compilation samples = StructuredTestSupport.Compile(StructuredSamples.UserTypes);
        foreach ((string method, string className) in StructuredSamples.Roots)
        {
            StructuredParseResult result = StructuredTestSupport.Parse(samples, StructuredSamples.Holder, method);
            Assert.True(result.IsSupported, method + ": " + result.Unsupported);
            Assert.Equal(className, StructuredConverterEmitter.DefaultClassName(result.Model!));
            Models[className] = result.Model!;
            Sources[className] = StructuredConverterEmitter.EmitFile(result.Model!, "Gen", className);
        }

        Compilation = samples.AddSyntaxTrees(Sources.Values.Select(s => CSharpSyntaxTree.ParseText(s, StructuredTestSupport.ParseOptions)));
        loaded = new Lazy<LoadedStructuredAssembly>(() => new LoadedStructuredAssembly(Compilation));
    }

    internal Dictionary<string, StructuredTypeModel> Models { get; } = new();

    internal Dictionary<string, string> Sources { get; } = new();

    internal Compilation Compilation { get; }

    internal LoadedStructuredAssembly Loaded => loaded.Value;

    public void Dispose()
    {
        if (loaded.IsValueCreated)
        {
            loaded.Value.Dispose();
        }
    }
}
