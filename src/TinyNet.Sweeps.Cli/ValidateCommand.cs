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
            var plan = SweepLoading.Load(parse.GetValue(file)!, io);
            if (plan is null) return ExitCodes.InvalidInput;
            var sweep = plan.Definition;
            var trials = plan.ListedTrials;
            int configurations = trials.Select(t => t.ConfigKey).Distinct().Count();
            io.Output.WriteLine($"{sweep.SourceFile}: valid. Sweep '{plan.Name}', method {sweep.Method.ToString().ToLowerInvariant()}, " +
                $"{trials.Count} trials ({configurations} configurations × {sweep.Seeds.Count} seeds), " +
                $"ranked by {plan.Metric.Name} ({plan.Metric.Goal.ToString().ToLowerInvariant()}).");
            io.Console.Write(Tables.Configurations(trials, Shown));
            if (trials.Count > Shown) io.Output.WriteLine($"... and {trials.Count - Shown} more trials.");
            return ExitCodes.Success;
        });
        return command;
    }
}
