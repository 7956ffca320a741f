using System.Text.Json;
using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Trials;

public sealed class TrialFootprintTests
{
    /// <summary>A completed record whose every number takes the most characters a double can take in JSON.</summary>
    private static TrialResult Widest(TrialConfig config)
    {
        const double wide = -0.12345678901234568;
        var spec = TrialIdentity.Create(config, int.MaxValue, int.MaxValue);
        var hidden = Enumerable.Range(0, config.HiddenUnits).Select(_ => (IReadOnlyList<double>)[wide, wide, wide, wide]).ToList();
        var outcome = new TrainingOutcome(TrialStatus.Completed, [.. Enumerable.Repeat(wide, config.Epochs)],
            new TrialMetrics(wide, wide, wide, wide, wide, wide, wide),
            [.. StressCases.All.Select(c => new StressCaseResult(c.Name, c.Expected, wide, wide))],
            new NetworkWeights(hidden, [.. Enumerable.Repeat(wide, config.HiddenUnits)],
                [[.. Enumerable.Repeat(wide, config.HiddenUnits)], [.. Enumerable.Repeat(wide, config.HiddenUnits)]], [wide, wide]));
        return new TrialResult(spec, outcome, "a-silo-with-a-long-name:11111", long.MaxValue, 3);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(200, 3)]
    [InlineData(100_000, 1)]
    [InlineData(1, 1024)]
    [InlineData(100_000, 1024)]
    public void The_record_estimate_is_never_below_the_widest_record(int epochs, int hiddenUnits)
    {
        var config = new TrialConfig { Epochs = epochs, HiddenUnits = hiddenUnits, LearningRate = 0.1234567890123456 };
        string line = JsonSerializer.Serialize(TrialRecord.From(Widest(config), new string('l', 200)), SweepJson.Options);

        long estimate = TrialFootprint.RecordBytes(config);

        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(line) + 1, 1, estimate);
        Assert.True(estimate < 2 * line.Length + 4096, $"estimate {estimate} for a {line.Length}-byte line: too loose to warn usefully");
    }

    [Fact]
    public void Training_memory_grows_with_what_a_trial_holds()
    {
        var small = new TrialConfig();
        Assert.True(TrialFootprint.TrainingBytes(small with { HiddenUnits = 1024 }) > TrialFootprint.TrainingBytes(small));
        Assert.True(TrialFootprint.TrainingBytes(small with { BatchSize = 4096 }) > TrialFootprint.TrainingBytes(small));
        Assert.True(TrialFootprint.TrainingBytes(small with { Epochs = 100_000 }) > TrialFootprint.TrainingBytes(small));
    }
}
