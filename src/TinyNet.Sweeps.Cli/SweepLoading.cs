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
        if (result.OmittedWarnings > 0) io.Error.WriteLine($"warning: ... and {result.OmittedWarnings} more warnings");
        if (!result.IsValid || result.Sweep is null)
        {
            int problems = result.Errors.Count + result.OmittedErrors;
            io.Error.WriteLine($"error: {path} was refused ({problems} problem{(problems == 1 ? "" : "s")}); nothing ran:");
            foreach (var error in result.Errors) io.Error.WriteLine($"  {error}");
            if (result.OmittedErrors > 0) io.Error.WriteLine($"  ... and {result.OmittedErrors} more problems (the first {result.Errors.Count} by position are shown)");
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
