using System.Text.RegularExpressions;
using Spectre.Console;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Cli.Tests;

/// <summary>The ranking printed at the end of a sweep fits the terminal: the ranking metric first, no number split.</summary>
public sealed partial class RankingTableTests
{
    private static readonly MetricSpec Metric = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(160)]
    public void The_ranking_fits_the_width_and_never_splits_a_number(int width)
    {
        string text = Render(Ranking(), width);
        var lines = text.Split('\n');

        Assert.All(lines, line => Assert.True(line.TrimEnd().Length <= width, $"a line of {line.TrimEnd().Length} columns in {width}:\n{text}"));
        // Every "±" has its whole mean before it and its whole deviation after it, on the same line.
        int plusMinus = lines.Sum(line => line.Count(c => c == '±'));
        Assert.True(plusMinus > 0, text);
        Assert.Equal(plusMinus, lines.Sum(line => WholeSummary().Count(line)));
        // The ranking metric is always there.
        Assert.Contains(MetricNames.CalibrationError, text);
    }

    [Fact]
    public void A_narrow_terminal_leaves_out_metrics_and_says_which()
    {
        string narrow = Render(Ranking(), 120), wide = Render(Ranking(), 400);

        Assert.DoesNotContain("not shown", wide);
        Assert.All(MetricNames.All, metric => Assert.Contains(metric, wide));
        var left = MetricNames.All.Where(metric => !Regex.IsMatch(narrow.Split("not shown")[0], $@"\b{metric}\b")).ToList();
        Assert.NotEmpty(left);
        Assert.Contains("not shown for the terminal's width", narrow);
        Assert.All(left, metric => Assert.Contains(metric, narrow.Split("not shown")[1]));
    }

    private static SweepRanking Ranking()
    {
        var results = new List<TrialResult>();
        for (int config = 0; config < 5; config++)
            for (int seed = 0; seed < 3; seed++)
            {
                var trial = TrialIdentity.Create(new TrialConfig { LearningRate = 0.0123 * (config + 1), WeightDecay = 0.001 * config, Epochs = 300 + config }, seed, results.Count);
                double v = 0.1 + 0.01 * config + 0.001 * seed;
                results.Add(new TrialResult(trial, new TrainingOutcome(TrialStatus.Completed, [v], new TrialMetrics(v, v, 1 - v, v / 2, v / 3, 1 - v / 4, 0.5 + v / 5), [], null), "silo", 1, 1));
            }
        return Ranker.Rank("fit", Metric, results);
    }

    private static string Render(SweepRanking ranking, int width)
    {
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = width;
        console.Write(Tables.Ranking(ranking, 20, width));
        return text.ToString();
    }

    [GeneratedRegex(@"\d\.\d{4} ± \d\.\d{4}")]
    private static partial Regex WholeSummary();
}
