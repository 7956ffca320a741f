using System.CommandLine;
using System.Globalization;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Cli;

internal static class ValidateCommand
{
    private const int Shown = 10;

    public static Command Create(CliIO io)
    {
        var file = new Argument<string>("FILE") { Description = "The sweep file (YAML, W&B syntax)." };
        var command = new Command("validate", "Check a sweep file: print its method, trial count, early termination and first trials, or every problem in it.") { file };
        command.SetAction(parse =>
        {
            var plan = SweepLoading.Load(parse.GetValue(file)!, io);
            if (plan is null) return ExitCodes.InvalidInput;
            var sweep = plan.Definition;
            string method = sweep.Method.ToString().ToLowerInvariant();
            string ranked = $"ranked by {plan.Metric.Name} ({plan.Metric.Goal.ToString().ToLowerInvariant()})";
            if (plan.IsListed)
            {
                var trials = plan.ListedTrials;
                int configurations = trials.Select(t => t.ConfigKey).Distinct().Count();
                io.Output.WriteLine($"{sweep.SourceFile}: valid. Sweep '{plan.Name}', method {method}, " +
                    $"{trials.Count} trials ({configurations} configurations × {sweep.Seeds.Count} seeds), {ranked}.");
                PrintEarlyTermination(io, plan, trials.Select(t => t.Config.Epochs));
                io.Console.Write(Tables.Configurations(trials, Shown));
                if (trials.Count > Shown) io.Output.WriteLine($"... and {trials.Count - Shown} more trials.");
            }
            else
            {
                var firstRound = plan.CreateSearch().Ask();
                io.Output.WriteLine($"{sweep.SourceFile}: valid. Sweep '{plan.Name}', method {method}, up to {plan.Total} trials " +
                    $"({sweep.RunCap} points × {sweep.Configurations.Count} configurations × {sweep.Seeds.Count} seeds), {ranked}; " +
                    $"points are suggested {sweep.RoundSize} at a time, each round from the results of the rounds before it.");
                PrintEarlyTermination(io, plan, Enumerable.Repeat(plan.LongestTrialEpochs, plan.Total));
                io.Output.WriteLine("The first round (random, as nothing is known yet):");
                io.Console.Write(Tables.Configurations(firstRound, Shown));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The bands a trial can reach and the most epochs hyperband could save: a bound, not a forecast.</summary>
    private static void PrintEarlyTermination(CliIO io, SweepPlan plan, IEnumerable<int> trialEpochs)
    {
        if (plan.Definition.EarlyTerminate is not { } spec) return;
        var c = CultureInfo.InvariantCulture;
        var epochs = trialEpochs.ToList();
        var bands = Hyperband.Bands(spec).Distinct().TakeWhile(b => b <= plan.LongestTrialEpochs).ToList();
        var savings = Hyperband.MaxSavings(epochs, spec);
        string shown = string.Join(", ", bands.Take(Shown)) + (bands.Count > Shown ? $", … ({bands.Count} bands)" : "");
        io.Output.WriteLine($"Early termination: hyperband (eta {spec.Eta.ToString(c)}, {(spec.Strict ? "strict" : "not strict")}), bands at epochs {shown}; " +
            $"it could save at most {savings.MaxEpochsSaved.ToString("N0", c)} of {savings.PlannedEpochs.ToString("N0", c)} epochs " +
            $"({savings.MaxFractionSaved.ToString("P0", c)}), if every band stops all the trials it may.");
    }
}
