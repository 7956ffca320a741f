using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Search;

/// <summary>The bayes search asked and told as the coordinator does: in rounds, deterministic whatever the arrival order.</summary>
public sealed class BayesSearchTests
{
    private const string Yaml = """
        method: bayes
        run_cap: 12
        round_size: 3
        seeds: 2
        sampler_seed: 5
        metric: {name: calibration_error, goal: minimize}
        parameters:
          learning_rate: {distribution: log_uniform_values, min: 0.001, max: 1}
          hidden_units: {values: [2, 4, 8]}
          noise_level: {min: 0.0, max: 0.6}
        """;

    /// <summary>A smooth objective with its best near lr 0.03, noise 0.3, 4 hidden units; seeds add a little noise.</summary>
    private static TrialResult Train(TrialSpec trial)
    {
        var c = trial.Config;
        double value = Math.Pow(Math.Log10(c.LearningRate) + 1.5, 2) + Math.Pow(c.NoiseLevel - 0.3, 2) + (c.HiddenUnits == 4 ? 0 : 0.1) + trial.Seed * 1e-3;
        var metrics = new TrialMetrics(value, value, 0.5, value, value, 0.5, 0.5);
        var stress = StressCases.All.Select(s => new StressCaseResult(s.Name, s.Expected, 0.5, 0.5)).ToList();
        return new TrialResult(trial, new TrainingOutcome(TrialStatus.Completed, [value], metrics, stress), "test", 1, 1);
    }

    /// <summary>Runs the search to its end, telling each round's results in an order shuffled by <paramref name="shuffle"/>.</summary>
    private static List<TrialSpec> Run(ITrialSearch search, int shuffle)
    {
        var asked = new List<TrialSpec>();
        var random = new Random(shuffle);
        for (var round = search.Ask(); round.Count > 0; round = search.Ask())
        {
            asked.AddRange(round);
            Assert.Empty(search.Ask()); // nothing more until the round's results are in
            foreach (var trial in round.OrderBy(_ => random.Next()).ToList())
                search.Tell(Train(trial));
        }
        return asked;
    }

    private static SweepPlan Plan(string yaml = Yaml) => SweepFile.Parse(yaml, "bayes.yaml").Plan!;

    [Fact]
    public void The_same_file_and_results_ask_for_the_same_trials_whatever_order_the_results_arrive_in()
    {
        var first = Run(Plan().CreateSearch(), shuffle: 1);
        var second = Run(Plan().CreateSearch(), shuffle: 2);

        Assert.Equal(24, first.Count); // 12 points x 2 seeds
        Assert.Equal(first, second);
        Assert.Equal(Enumerable.Range(0, 24), first.Select(t => t.Index));
        Assert.Equal(12, first.Select(t => t.ConfigKey).Distinct().Count());
        Assert.All(first, t => Assert.InRange(t.Config.LearningRate, 0.001, 1));
    }

    [Fact]
    public void A_search_made_again_and_told_the_recorded_results_asks_for_the_same_trials_as_a_reactivated_coordinator_needs()
    {
        var original = Run(Plan().CreateSearch(), shuffle: 3);

        var replayed = new List<TrialSpec>();
        var again = Plan().CreateSearch();
        for (var round = again.Ask(); round.Count > 0; round = again.Ask())
        {
            replayed.AddRange(round);
            foreach (var trial in round) again.Tell(Train(trial));
        }

        Assert.Equal(original, replayed);
    }

    [Fact]
    public void Another_sampler_seed_asks_for_other_trials()
    {
        var seeded = Run(Plan().CreateSearch(), shuffle: 1);
        var other = Run(Plan(Yaml.Replace("sampler_seed: 5", "sampler_seed: 6")).CreateSearch(), shuffle: 1);

        Assert.NotEqual(seeded.Select(t => t.Id), other.Select(t => t.Id));
    }

    [Fact]
    public void Later_rounds_learn_from_earlier_ones()
    {
        double Best(IEnumerable<TrialSpec> trials) => trials.Select(t => Train(t).Outcome.Metrics!.CalibrationError).Min();
        var asked = Run(Plan(Yaml.Replace("run_cap: 12", "run_cap: 30")).CreateSearch(), shuffle: 1);

        // The first round is random; by the end the search has found better points than it started with.
        Assert.True(Best(asked.Skip(asked.Count - 6)) < Best(asked.Take(6)), "the last round is no better than the first");
    }

    [Fact]
    public void Configurations_and_seeds_multiply_each_point_and_total_counts_them()
    {
        var plan = Plan(Yaml + "\nconfigurations:\n  - {name: sgd, optimizer: sgd}\n  - {name: adam, optimizer: adam}\n");
        var search = plan.CreateSearch();

        var first = search.Ask();

        Assert.Equal(12 * 2 * 2, search.Total);
        Assert.Equal(3 * 2 * 2, first.Count);
        Assert.Equal(["sgd", "adam"], first.Select(t => t.Label).Distinct());
    }
}
