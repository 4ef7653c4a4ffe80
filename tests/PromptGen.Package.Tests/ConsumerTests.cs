namespace PromptGen.Package.Tests;

/// <summary>
/// A brand-new project that references the packed PromptGen and PromptGen.Testing packages: the generator, analyzers and
/// build files work from the package exactly as a user gets them.
/// </summary>
[Collection(PackageCollection.Name)]
public class ConsumerTests(PackageFixture fixture)
{
    private ConsumerResult Built()
    {
        ConsumerResult consumer = fixture.Consumer;
        Assert.True(consumer.BuildExitCode == 0, "the consumer did not build:\n" + consumer.BuildOutput);
        return consumer;
    }

    private ConsumerResult Ran()
    {
        ConsumerResult consumer = Built();
        Assert.True(consumer.RunExitCode == 0, "the consumer failed:\n" + consumer.RunOutput);
        return consumer;
    }

    [Fact]
    public void The_generated_client_calls_the_emulator_from_the_testing_package()
    {
        string output = Ran().RunOutput;

        Assert.Contains("sentiment: echo: Sentiment of: great product", output, StringComparison.Ordinal);
        Assert.Contains("sentiment model: us.anthropic.claude-haiku-4-5-20251001-v1:0", output, StringComparison.Ordinal);
        // The override is a warning, not a block: the generated client still sends what the code asks for.
        Assert.Contains("sentiment temperature: 0.9", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_file_in_AdditionalFiles_is_compiled_into_the_client()
    {
        Assert.Contains("greet: echo: Greet ADA from a file template.", Ran().RunOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_package_build_props_pass_PromptGenDefaultModel_to_the_generator()
    {
        Assert.Contains("greet model: us.amazon.nova-micro-v1:0", Ran().RunOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_risky_temperature_is_reported_as_PG0001_at_its_attribute()
    {
        var pg0001 = Built().Diagnostics.Where(d => d.Code == "PG0001").ToList();

        Assert.NotEmpty(pg0001);
        Assert.All(pg0001, d =>
        {
            Assert.Equal("warning", d.Severity);
            Assert.Contains("Prompts.cs(13,", d.Line, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_build_reports_no_diagnostic_but_PG0001()
    {
        ConsumerResult consumer = Built();

        // Anything else (an analyzer that failed to load, CS8785 from the generator, NU1xxx from restore, MSBuild's
        // own warnings about the package) is a packaging mistake a user would see.
        Assert.All(consumer.Diagnostics, d => Assert.True(d.Code == "PG0001", "unexpected: " + d.Line));
    }

    [Fact]
    public void The_build_fails_clearly_when_the_compiler_is_older_than_the_analyzers_need()
    {
        Built();

        // The guard compares the compiler's version with a minimum the package sets to 4.8; raising the minimum above
        // the SDK's compiler stands in for an old SDK, which this machine does not have.
        (int exitCode, string output) = ProcessRunner.Run("dotnet",
            ["build", Path.Combine(fixture.ConsumerDirectory, "Consumer.csproj"), "-c", "Release", "--no-restore", "--nologo",
             "-p:_PromptGenMinimumCompilerVersion=99.0"],
            fixture.ConsumerDirectory, fixture.ConsumerEnvironment);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error PGBUILD001", output, StringComparison.Ordinal);
        Assert.Contains("needs a C# compiler of Roslyn 99.0 or later", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error CS", output, StringComparison.Ordinal);
    }
}
