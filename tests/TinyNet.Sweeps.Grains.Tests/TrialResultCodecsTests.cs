using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>A trial's result crosses grains in Orleans' binary codecs (not JSON) and arrives whole.</summary>
public sealed class TrialResultCodecsTests
{
    static readonly IServiceProvider Services = new ServiceCollection().AddSerializer(s => s.AddDomainTypes()).BuildServiceProvider();

    static NetworkWeights Weights(double at) => new([[at, 0.5, -1e-300, 4], [1, 2, 3, 4]], [0.25, -0.5], [[1e300, double.Epsilon], [7, 8]], [0.1, 0.2]);

    static IReadOnlyList<StressCaseResult> Stress(double at) => [new("clear_h", "H", at, 1 - at), new("gray", "either", 0.5, 0.5000001)];

    /// <summary>Every field set to something other than its default, nested lists as lists and as arrays.</summary>
    static TrialResult Sample()
    {
        var config = new TrialConfig
        {
            Activation = Activation.Tanh, Optimizer = OptimizerKind.AdamW, LearningRate = 0.0123456789, Momentum = 0.9,
            WeightDecay = 1e-4, NoiseLevel = 0.41, CleanRatio = 0.3, Epochs = 17, BatchSize = 48, HiddenUnits = 2, Loss = LossKind.Bce,
        };
        var metrics = new TrialMetrics(0.1, 0.2, 0.93, 0.4, 0.05, 0.97, 0.51);
        var band = new BandSnapshot(9, metrics with { EvalLoss = 0.3 }, Stress(0.8), Weights(-2));
        var outcome = new TrainingOutcome(TrialStatus.Stopped, new List<double> { 0.7, 0.6, double.MaxValue }, metrics, Stress(0.9),
            Weights(3), "an error message", [band]);
        return new TrialResult(new TrialSpec("t-00042", "cfg-abc", 42, config, 7, "my label"), outcome, "silo-2", 1234, 2, 999, 235);
    }

    [Fact]
    public void A_result_round_trips_whole()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var result = Sample();

        var back = serializer.Deserialize<TrialResult>(serializer.SerializeToArray(result));

        Assert.Equal(JsonSerializer.Serialize(result, SweepJson.Options), JsonSerializer.Serialize(back, SweepJson.Options));
    }

    [Fact]
    public void A_failed_result_with_nothing_but_its_history_round_trips()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var result = Sample() with { Outcome = new TrainingOutcome(TrialStatus.Failed, []) };

        var back = serializer.Deserialize<TrialResult>(serializer.SerializeToArray(result));

        Assert.Equal(JsonSerializer.Serialize(result, SweepJson.Options), JsonSerializer.Serialize(back, SweepJson.Options));
        Assert.Null(back!.Outcome.Metrics);
        Assert.Null(back.Outcome.Bands);
    }

    [Fact]
    public void A_result_is_written_in_binary_not_as_json()
    {
        var bytes = Services.GetRequiredService<Serializer>().SerializeToArray(Sample());

        string text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("learning_rate", text);
        Assert.DoesNotContain("final_loss", text);
    }

    [Fact]
    public void A_result_is_passed_as_it_is_between_grains_of_one_process()
    {
        var result = Sample();

        Assert.Same(result, Services.GetRequiredService<DeepCopier>().Copy(result));
    }

    /// <summary>A property added to a record must be added to its surrogate, or it would be lost between grains.</summary>
    [Fact]
    public void Every_property_of_each_record_has_a_field_in_its_surrogate()
    {
        foreach (var type in TrialResultCodecs.Types)
        {
            var surrogate = typeof(TrialResultCodecs).Assembly.GetType($"TinyNet.Sweeps.Abstractions.{type.Name}Surrogate")
                ?? throw new InvalidOperationException($"No surrogate for {type.Name}");
            // A property without a setter is computed from the others (a row's Trials).
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).Select(p => p.Name).Order();
            var fields = surrogate.GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.Name).Order();
            Assert.Equal(properties, fields);
        }
    }

    /// <summary>A page of a ranking as a client reads it at the end of a large sweep: every row whole, in binary.</summary>
    [Fact]
    public void A_ranking_page_round_trips_whole_in_binary()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var config = Sample().Trial.Config;
        var metrics = MetricNames.All.Select((name, i) => (name, i)).ToDictionary(m => m.name, m => new MetricSummary(0.1 * m.i + 1e-17, 0.01 * m.i, 3));
        RankedConfiguration[] rows =
        [
            new(1, "cfg-a", "my label", config, new List<int> { 0, 1, 2 }, 3, 0, 0, metrics),
            new(2, "cfg-b", null, new TrialConfig(), [4], 0, 0, 1, new Dictionary<string, MetricSummary>(), Stopped: 2),
        ];
        var page = new RankingPage("sweep", new MetricSpec(MetricNames.CalibrationError, MetricGoal.Minimize), 17, 1200, 500, rows, ["cfg-a"]);

        var bytes = serializer.SerializeToArray(page);
        var back = serializer.Deserialize<RankingPage>(bytes);

        Assert.Equal(JsonSerializer.Serialize(page, SweepJson.Options), JsonSerializer.Serialize(back, SweepJson.Options));
        Assert.Equal(rows[0].Trials, back!.Rows[0].Trials);
        string text = Encoding.UTF8.GetString(bytes);
        Assert.DoesNotContain("learning_rate", text);
        Assert.DoesNotContain("config_key", text);
    }

    /// <summary>
    /// A trial's state as the version before this one saved it, with its assignment beside its result (made by that
    /// version's grain storage serializer): it must still load, or a resumed sweep would retrain every finished trial.
    /// </summary>
    private const string StateWithAssignment =
        "ICDoQBNzd2VlcC1vbGQhQA90LTAwMDA3QQtjZmctMQEdIQgDBQkDBYF7FK5H4XqEP4EAAAAAAAAAAIEAAAAAAAAAAIEzMzMzMzPTP4EAAAAAAAAAAAENAQICAQ0JAwHgAQ1BCWFkYW3gMQH9urjvR1JlYWRPbmx5TGlzdEludGVyZmFjZUNvZGVjYDFbW2ludF1dAAUBBQAN4OAhwAkhCAMBIQAHgTMzMzMzM9M/gJqZmZmZmck/gJqZmZmZmbk/4CGAmpmZmZmZuT+BmpmZmZmZyT+Bw/UoXI/C7T+BmpmZmZmZ2T+BmpmZmZmZqT+BCtejcD0K7z+BUrgehetR4D/gwQHBAcEBwQHgQQ1zaWxvLTEBMQEFASkBCeDg";

    [Fact]
    public void A_trial_state_saved_with_its_assignment_loads_its_result()
    {
        var storageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(Services.GetRequiredService<Serializer>());

        var state = storageSerializer.Deserialize<TrialGrainState>(new BinaryData(Convert.FromBase64String(StateWithAssignment)));

        var result = Assert.IsType<TrialResult>(state?.Result);
        Assert.Equal(("t-00007", 7, 3, "adam"), (result.Trial.Id, result.Trial.Index, result.Trial.Seed, result.Trial.Label));
        Assert.Equal(new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, Epochs = 3 }, result.Trial.Config);
        Assert.Equal([0.3, 0.2, 0.1], result.Outcome.LossHistory);
        Assert.Equal(new TrialMetrics(0.1, 0.2, 0.93, 0.4, 0.05, 0.97, 0.51), result.Outcome.Metrics);
        Assert.Equal(("silo-1", 12L, 1, 10L, 2L), (result.Silo, result.DurationMs, result.Attempts, result.TrainingMs, result.QueueMs));
    }
}
