using System.CommandLine;

namespace TinyNet.Sweeps.Cli;

internal static class ValidateCommand
{
    private const int Shown = 10;

    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("FILE") { Description = "The sweep file (YAML, W&B syntax)." };
        var command = new Command("validate", "Check a sweep file: print its trial count and first configurations, or every problem in it.") { file };
        command.SetAction(parse =>
        {
            var loaded = SweepLoading.Load(parse.GetValue(file)!, io);
            if (loaded is null) return ExitCodes.InvalidInput;
            var request = loaded.Request;
            int configurations = request.Trials.Select(t => t.ConfigKey).Distinct().Count();
            io.Output.WriteLine($"{loaded.Definition.SourceFile}: valid. Sweep '{request.Name}', method {loaded.Definition.Method.ToString().ToLowerInvariant()}, " +
                $"{request.Trials.Count} trials ({configurations} configurations × {loaded.Definition.Seeds.Count} seeds), " +
                $"ranked by {request.Metric.Name} ({request.Metric.Goal.ToString().ToLowerInvariant()}).");
            io.Console.Write(Tables.Configurations(request, Shown));
            if (request.Trials.Count > Shown) io.Output.WriteLine($"... and {request.Trials.Count - Shown} more trials.");
            return ExitCodes.Success;
        });
        return command;
    }
}
