namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>The checker the deployment tests rely on must itself refuse what it should.</summary>
public class CliSurfaceTests
{
    [Theory]
    [InlineData("silo --redis redis:6379 --advertize 10.0.0.1", "no option --advertize")]
    [InlineData("silo --redis", "--redis needs a value")]
    [InlineData("silo --redis redis:6379 --silo-port eleven", "is not an integer")]
    [InlineData("submit --redis redis:6379 --wait", "takes 1 positional")]
    [InlineData("submit sweeps/notebook.yaml --redis redis:6379 --name silo1", "no option --name")]
    [InlineData("run sweeps/notebook.yaml", "not a tinynet-sweeps command")]
    public void Refuses_what_the_CLI_would_refuse(string commandLine, string problem)
    {
        var (_, problems) = CliSurface.Parse(commandLine.Split(' '));
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Accepts_the_documented_forms()
    {
        var (invocation, problems) = CliSurface.Parse("silo --redis r:6379 --cluster-id c --silo-port 1 --gateway-port 2 --advertise 10.0.0.1 --workers 3 --name n".Split(' '));
        Assert.Empty(problems);
        Assert.Equal(7, invocation!.Options.Count);
        (invocation, problems) = CliSurface.Parse("submit sweeps/smoke.yaml --redis r:6379 --wait --out /results/x".Split(' '));
        Assert.Empty(problems);
        Assert.Null(invocation!.Options["--wait"]);
        Assert.Equal("/results/x", invocation.Options["--out"]);
    }

    [Fact]
    public void Port_parser_and_dockerignore_matcher_refuse_and_match()
    {
        Assert.Equal((4317, 18889), ComposeFileTests.ParsePort("4317:18889"));
        Assert.Equal((null, 30000), ComposeFileTests.ParsePort("30000/tcp"));
        Assert.ThrowsAny<Exception>(() => ComposeFileTests.ParsePort("43l7:18889"));
        var ignore = DockerfileTests.DockerIgnore();
        Assert.Contains(ignore, p => p.IsMatch("src/a/b/bin/Release/x.dll"));
        Assert.DoesNotContain(ignore, p => p.IsMatch("src/TinyNet.Sweeps.Cli/Binaries.cs"));
    }
}
