using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>Loads and plans a sweep file, printing every problem at once when it is refused.</summary>
internal static class SweepLoading
{
    public sealed record LoadedSweep(SweepDefinition Definition, SweepRequest Request);

    public static LoadedSweep? Load(string path, CliIO io)
    {
        var result = SweepFile.Load(path);
        foreach (var warning in result.Warnings) io.Error.WriteLine($"warning: {warning}");
        if (!result.IsValid || result.Sweep is null)
        {
            io.Error.WriteLine($"error: {path} was refused ({result.Errors.Count} problem{(result.Errors.Count == 1 ? "" : "s")}); nothing ran:");
            foreach (var error in result.Errors) io.Error.WriteLine($"  {error}");
            return null;
        }
        var planned = SweepPlanner.PlanLabeled(result.Sweep);
        var labels = new Dictionary<string, string>();
        foreach (var p in planned)
            if (p.Label is { } label) labels.TryAdd(p.Trial.ConfigKey, label);
        var trials = planned.Select(p => p.Trial).ToList();
        return new LoadedSweep(result.Sweep, new SweepRequest(result.Sweep.Name, result.Sweep.Metric, trials, labels));
    }
}
