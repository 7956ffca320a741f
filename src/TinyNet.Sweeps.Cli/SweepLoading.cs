using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Cli;

/// <summary>Loads and plans a sweep file, printing every problem at once when it is refused.</summary>
internal static class SweepLoading
{
    /// <summary>The file's plan (planned once, by the reader), or null after printing why the file was refused.</summary>
    public static SweepPlan? Load(string path, CliIO io)
    {
        var result = SweepFile.Load(path);
        foreach (var warning in result.Warnings) io.Error.WriteLine($"warning: {warning}");
        if (result.OmittedWarnings > 0) io.Error.WriteLine($"warning: ... and {result.OmittedWarnings} more warnings");
        if (!result.IsValid || result.Plan is null)
        {
            int problems = result.Errors.Count + result.OmittedErrors;
            io.Error.WriteLine($"error: {path} was refused ({problems} problem{(problems == 1 ? "" : "s")}); nothing ran:");
            foreach (var error in result.Errors) io.Error.WriteLine($"  {error}");
            if (result.OmittedErrors > 0) io.Error.WriteLine($"  ... and {result.OmittedErrors} more problems (the first {result.Errors.Count} by position are shown)");
            return null;
        }
        return result.Plan;
    }
}
