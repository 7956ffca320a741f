using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>
/// deploy/compose-smoke.sh: the image built from deploy/Dockerfile, Redis and three silos brought up with
/// docker-compose.yml, a sweep submitted from a client container and a silo SIGKILLed mid-sweep, every trial
/// once and equal to the embedded run. It needs root where the engine or its tools must be installed or started;
/// where that cannot be, it fails with the script's reason, never skips.
/// </summary>
public class ComposeSmokeTests(ITestOutputHelper output)
{
    const string Script = "deploy/compose-smoke.sh";
    const string Override = "deploy/smoke/docker-compose.smoke.yml";
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    [Fact]
    public void The_compose_cluster_runs_a_sweep_and_loses_nothing_when_a_silo_container_is_SIGKILLed()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repo.Root };
        start.ArgumentList.Add(Repo.PathOf(Script));
        // dotnet test's MSBuild variables would steer the script's own `dotnet publish`.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start bash {Script}");
        var log = new StringBuilder();
        void Add(string? line) { if (line is null) return; lock (log) log.AppendLine(line); }
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        bool exited = process.WaitForExit(Limit);
        if (!exited)
        {
            // SIGTERM first: the script's trap takes the compose project down and stops the dockerd it started.
            using (var term = Process.Start("kill", $"-TERM {process.Id}")) term.WaitForExit();
            if (!process.WaitForExit(TimeSpan.FromSeconds(90))) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        string text;
        lock (log) text = log.ToString();
        output.WriteLine(text);
        Assert.True(exited, $"{Script} did not finish within {Limit.TotalMinutes:0} min:\n{text}");
        Assert.True(process.ExitCode == 0, $"{Script} exited {process.ExitCode} after {watch.Elapsed.TotalSeconds:0} s:\n{text}");
        Assert.Contains("compose-smoke: smoke: 4 trials, each exactly once", text);
        Assert.Matches(@"compose-smoke: SIGKILLed silo\d's container", text);
        Assert.Matches(@"compose-smoke: failover, fetched afterwards with 'results [^']+': 48 trials, each exactly once", text);
        Assert.Contains("compose-smoke: failover, as the client following it wrote it (submit --wait --out): 48 trials, each exactly once", text);
        Assert.Contains("compose-smoke: OK", text);
    }

    [Fact]
    public void The_smoke_override_only_swaps_images_telemetry_and_the_results_folder()
    {
        var compose = (YamlMappingNode)Repo.LoadYaml("docker-compose.yml")[0].RootNode;
        var smoke = (YamlMappingNode)Repo.LoadYaml(Override)[0].RootNode;
        var services = compose.Map("services");
        foreach (var (name, service) in smoke.Map("services").Entries())
        {
            Assert.True(services.Get(name) is not null, $"{Override} names {name}, which docker-compose.yml lacks");
            var keys = ((YamlMappingNode)service).Entries().Select(e => e.Key).ToHashSet();
            Assert.Contains("image", keys);
            Assert.Subset(new HashSet<string> { "image", "environment", "volumes" }, keys);
        }
        // Every service the script starts runs a local image; the dashboard's is not to be had and is never started.
        var swapped = smoke.Map("services").Entries().Select(e => e.Key).ToHashSet();
        Assert.Equal(new HashSet<string> { "redis", "silo1", "silo2", "silo3", "submit" }, swapped);
        string script = Repo.Read(Script);
        Assert.Contains("up -d --no-deps --no-build redis", script);
        Assert.Contains("up -d --no-deps --no-build silo1 silo2 silo3", script);
        Assert.Contains("down -v", script);
        Assert.Contains("set -euo pipefail", script);
    }
}
