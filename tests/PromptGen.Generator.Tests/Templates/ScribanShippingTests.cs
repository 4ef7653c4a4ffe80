using System.Reflection;
using System.Runtime.Loader;
using PromptGen.Generator.Templates;

namespace PromptGen.Generator.Tests.Templates;

/// <summary>
/// The generator ships with Scriban.Signed's netstandard2.0 DLL and none of its package dependencies. This loads exactly
/// that pair (the generator and the Scriban DLL its build copies beside it) in an isolated context, compiles templates
/// there, and checks which assemblies were asked for.
/// </summary>
public class ScribanShippingTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string s_generatorBin =
        Path.Combine(PromptGen.Tests.TestPaths.RepoRoot, "src", "Generator", "bin", Configuration, "netstandard2.0");

    private sealed class ShippedContext : AssemblyLoadContext
    {
        public ShippedContext()
            : base("PromptGen.Generator as shipped", isCollectible: true)
        {
        }

        public List<string> Requested { get; } = new();

        protected override Assembly? Load(AssemblyName name)
        {
            Requested.Add(name.Name!);
            string candidate = Path.Combine(s_generatorBin, name.Name + ".dll");
            if (name.Name is "PromptGen.Generator" or "Scriban.Signed")
            {
                return LoadFromAssemblyPath(candidate);
            }

            return null; // framework and Roslyn: what the compiler host provides
        }
    }

    [Fact]
    public void Generator_bin_holds_the_netstandard_Scriban_beside_the_generator()
    {
        string scriban = Path.Combine(s_generatorBin, "Scriban.Signed.dll");

        Assert.True(File.Exists(scriban), scriban);
        Assert.True(File.Exists(Path.Combine(s_generatorBin, "PromptGen.Generator.dll")));
        AssemblyName name = AssemblyName.GetAssemblyName(scriban);
        Assert.Equal("Scriban.Signed", name.Name);
        using var stream = File.OpenRead(scriban);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        string framework = metadata.GetAssemblyDefinition().GetCustomAttributes()
            .Select(h => metadata.GetCustomAttribute(h))
            .Select(a => System.Text.Encoding.UTF8.GetString(metadata.GetBlobBytes(a.Value)))
            .FirstOrDefault(v => v.Contains(".NETStandard", StringComparison.Ordinal) || v.Contains(".NETCoreApp", StringComparison.Ordinal)) ?? "";
        Assert.Contains(".NETStandard,Version=v2.0", framework);
    }

    [Fact]
    public void Compiling_templates_needs_none_of_Scriban_package_dependencies()
    {
        var context = new ShippedContext();
        try
        {
            Assembly generator = context.LoadFromAssemblyPath(Path.Combine(s_generatorBin, "PromptGen.Generator.dll"));
            Type compiler = generator.GetType("PromptGen.Generator.Templates.TemplateCompiler", throwOnError: true)!;
            MethodInfo compile = compiler.GetMethod("Compile", BindingFlags.Public | BindingFlags.Static)!;
            object parameters = Activator.CreateInstance(compile.GetParameters()[1].ParameterType)!;

            string[] templates =
            {
                "Hello {{ for x in y }}{{ x | string.upcase }}{{ end }} {{ if 1 > 2 && true }}a{{ else }}b{{ end }}",
                "{{ capture c }}{{ end }}",
                "{{ if }",
                "{{ 1.5 | math.format '0.0' }} {{ 'x' | object.default 'y' }} {{ 12345678901234567890123 }}",
            };

            foreach (string template in templates)
            {
                object result = compile.Invoke(null, new[] { template, parameters, null, CancellationToken.None })!;
                object diagnostics = result.GetType().GetProperty("Diagnostics")!.GetValue(result)!;
                string text = string.Join("\n", ((System.Collections.IEnumerable)diagnostics).Cast<object>());
                TemplateCompilation local = TemplateCompiler.Compile(template, default);

                // Same answer as the build the tests use (Scriban's net8.0 DLL).
                Assert.Equal(string.Join("\n", local.Diagnostics), text);
                Assert.Equal(local.Code, (string?)result.GetType().GetProperty("Code")!.GetValue(result));
            }

            Assert.Contains("Scriban.Signed", context.Requested);
            Assert.DoesNotContain("System.Text.Json", context.Requested);
            Assert.DoesNotContain("Microsoft.CSharp", context.Requested);
            Assert.DoesNotContain("System.Threading.Tasks.Extensions", context.Requested);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => TemplateCompiler.Compile("{{ x }}", default, null, source.Token));
    }
}
