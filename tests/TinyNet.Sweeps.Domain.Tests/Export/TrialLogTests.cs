using System.Text;
using System.Text.Json;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Export;

public sealed class TrialLogTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinynet-triallog-" + Guid.NewGuid().ToString("N"));

    private ResultsFolderLock? _folder;

    /// <summary>The test's results folder, held as a sweep holds it while writing.</summary>
    private ResultsFolderLock Folder => _folder ??= ResultsFolderLock.Acquire(_dir, "TrialLogTests");

    public void Dispose()
    {
        _folder?.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private string LogPath => Path.Combine(_dir, TrialLog.FileName);

    // Values chosen so that any lossy formatting (G15, float, rounding) would change their bits.
    internal static TrialResult FullCompleted() => new(
        new TrialSpec("abcdef0123-s7", "abcdef0123", 12,
            new TrialConfig
            {
                Activation = Activation.Tanh, Optimizer = OptimizerKind.AdamW, LearningRate = 0.1 + 0.2, Momentum = 0.9,
                WeightDecay = 1e-4 / 3, NoiseLevel = Math.PI / 10, CleanRatio = 0.2, Epochs = 300, BatchSize = 32,
                HiddenUnits = 5, Loss = LossKind.Bce,
            }, 7),
        new TrainingOutcome(
            TrialStatus.Completed,
            [0.6931471805599453, 0.1 + 0.7, 1e-300, double.Epsilon, 123456789.123456789, 2.0 / 3],
            new TrialMetrics(FinalLoss: 1.0 / 3, EvalLoss: Math.E / 10, EvalAccuracy: 0.9375, Brier: 0.047619047619047616,
                CalibrationError: 1.0 / 7, ClearConfidence: 0.99999999999999989, AmbiguousConfidence: 0.5000000000000001),
            [
                new StressCaseResult("clean horizontal", "h", 0.98765432109876543, 0.012345678901234567),
                new StressCaseResult("ambiguous cross", "either", 0.5 + 1e-16, Math.Sqrt(2) / 3),
            ],
            new NetworkWeights(
                [[0.1, -0.2, 1.0 / 3], [Math.PI, -Math.E, 1e-308]],
                [0.01, -7.0 / 9],
                [[1.0 / 11, -13.0 / 17]],
                [-0.123456789012345678])),
        "silo-2", 1234567890123, 3);

    internal static TrialResult DivergedResult() => new(
        new TrialSpec("0123456789-s0", "0123456789", 0, new TrialConfig { LearningRate = 50 }, 0),
        new TrainingOutcome(TrialStatus.Diverged, [0.7, 3.5e10, double.PositiveInfinity, double.NaN]),
        "silo-1", 5, 1);

    internal static TrialResult FailedResult() => new(
        new TrialSpec("9876543210-s1", "9876543210", 1, new TrialConfig(), 1),
        new TrainingOutcome(TrialStatus.Failed, [], Error: "TorchSharp blew up: \"quote\"\nsecond line"),
        "silo-1", 0, 3);

    private static void AssertBitsEqual(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
            $"{what}: expected {expected:R} (0x{BitConverter.DoubleToInt64Bits(expected):X16}), got {actual:R} (0x{BitConverter.DoubleToInt64Bits(actual):X16})");

    private static void AssertBitsEqual(IReadOnlyList<double>? expected, IReadOnlyList<double>? actual, string what)
    {
        if (expected is null) { Assert.Null(actual); return; }
        Assert.NotNull(actual);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++) AssertBitsEqual(expected[i], actual[i], $"{what}[{i}]");
    }

    /// <summary>A result whose trial came from a named configuration: the label travels with the trial.</summary>
    internal static TrialResult Labeled(TrialResult result, string label) => result with { Trial = result.Trial with { Label = label } };

    internal static void AssertSameResult(TrialResult expected, TrialResult actual)
    {
        Assert.Equal(expected.Trial, actual.Trial); // record equality: id, key, index, config (doubles compared exactly), seed
        AssertBitsEqual(expected.Trial.Config.LearningRate, actual.Trial.Config.LearningRate, "learning_rate");
        AssertBitsEqual(expected.Trial.Config.WeightDecay, actual.Trial.Config.WeightDecay, "weight_decay");
        AssertBitsEqual(expected.Trial.Config.NoiseLevel, actual.Trial.Config.NoiseLevel, "noise_level");
        Assert.Equal(expected.Silo, actual.Silo);
        Assert.Equal(expected.DurationMs, actual.DurationMs);
        Assert.Equal(expected.Attempts, actual.Attempts);

        var e = expected.Outcome;
        var a = actual.Outcome;
        Assert.Equal(e.Status, a.Status);
        Assert.Equal(e.Error, a.Error);
        AssertBitsEqual(e.LossHistory, a.LossHistory, "loss_history");
        if (e.Metrics is null) Assert.Null(a.Metrics);
        else
        {
            Assert.NotNull(a.Metrics);
            foreach (string name in MetricNames.All) AssertBitsEqual(e.Metrics.Get(name), a.Metrics.Get(name), name);
        }
        if (e.Stress is null) Assert.Null(a.Stress);
        else
        {
            Assert.NotNull(a.Stress);
            Assert.Equal(e.Stress.Count, a.Stress.Count);
            for (int i = 0; i < e.Stress.Count; i++)
            {
                Assert.Equal(e.Stress[i].Case, a.Stress[i].Case);
                Assert.Equal(e.Stress[i].Expected, a.Stress[i].Expected);
                AssertBitsEqual(e.Stress[i].H, a.Stress[i].H, $"stress[{i}].h");
                AssertBitsEqual(e.Stress[i].V, a.Stress[i].V, $"stress[{i}].v");
            }
        }
        if (e.Weights is null) Assert.Null(a.Weights);
        else
        {
            Assert.NotNull(a.Weights);
            Assert.Equal(e.Weights.HiddenWeight.Count, a.Weights.HiddenWeight.Count);
            for (int i = 0; i < e.Weights.HiddenWeight.Count; i++)
                AssertBitsEqual(e.Weights.HiddenWeight[i], a.Weights.HiddenWeight[i], $"hidden_weight[{i}]");
            AssertBitsEqual(e.Weights.HiddenBias, a.Weights.HiddenBias, "hidden_bias");
            Assert.Equal(e.Weights.OutputWeight.Count, a.Weights.OutputWeight.Count);
            for (int i = 0; i < e.Weights.OutputWeight.Count; i++)
                AssertBitsEqual(e.Weights.OutputWeight[i], a.Weights.OutputWeight[i], $"output_weight[{i}]");
            AssertBitsEqual(e.Weights.OutputBias, a.Weights.OutputBias, "output_bias");
        }
    }

    [Fact]
    public void Append_then_read_round_trips_every_field_bit_exactly()
    {
        TrialResult[] written = [Labeled(FullCompleted(), "relu-adam-mixed"), DivergedResult(), Labeled(FailedResult(), "failing")];
        using (var log = TrialLog.OpenForAppend(Folder))
            foreach (var result in written) log.Append(result);

        var contents = TrialLog.Read(_dir);

        Assert.Empty(contents.Problems);
        Assert.Equal(3, contents.Results.Count);
        for (int i = 0; i < written.Length; i++) AssertSameResult(written[i], contents.Results[i]);
        Assert.Equal(3, File.ReadAllLines(LogPath).Length);
    }

    [Fact]
    public void Negative_zero_survives_the_round_trip()
    {
        var original = FullCompleted();
        var withZero = original with
        {
            Outcome = original.Outcome with
            {
                LossHistory = [-0.0, 0.0],
                Weights = new NetworkWeights([[-0.0]], [-0.0], [[0.0]], [-0.0]),
            },
        };
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(withZero, null);

        var read = Assert.Single(TrialLog.Read(_dir).Results);

        AssertSameResult(withZero, read);
    }

    [Fact]
    public void Each_append_is_flushed_to_disk_before_the_log_is_closed()
    {
        using var log = TrialLog.OpenForAppend(Folder);
        log.Append(FullCompleted(), null);

        // Another reader sees the line while the log is still open (an interrupted sweep loses nothing).
        var contents = TrialLog.Read(_dir);
        Assert.Single(contents.Results);
        Assert.Empty(contents.Problems);
    }

    [Fact]
    public void A_batch_is_appended_as_whole_records_in_order_each_with_its_own_label()
    {
        TrialResult[] batch = [Labeled(FullCompleted(), "relu-adam-mixed"), DivergedResult(), Labeled(FailedResult(), "failing")];
        using (var log = TrialLog.OpenForAppend(Folder))
        {
            log.Append(DivergedResult() with { Trial = DivergedResult().Trial with { Id = "1111111111-s0", ConfigKey = "1111111111" } }, null);
            log.Append(batch);
            log.Append(Array.Empty<TrialResult>());
        }

        var contents = TrialLog.Read(_dir);

        Assert.Empty(contents.Problems);
        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(4, lines.Length);
        Assert.Equal('\n', (char)File.ReadAllBytes(LogPath)[^1]);
        // One write of the batch gives the same lines as appending its records one by one.
        Assert.Equal(batch.Select(r => JsonSerializer.Serialize(TrialRecord.From(r, null), SweepJson.Options)), lines[1..]);
        for (int i = 0; i < batch.Length; i++) AssertSameResult(batch[i], contents.Entries[i + 1].Result);
    }

    [Fact]
    public void A_replacing_log_takes_the_old_ones_place_only_once_complete_and_restarts_empty()
    {
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(FullCompleted(), null);
        string old = File.ReadAllText(LogPath);
        var labels = new Dictionary<string, string> { [DivergedResult().Trial.ConfigKey] = "given" };

        using (var abandoned = TrialLog.Replace(Folder)) abandoned.Append([DivergedResult()], labels);
        Assert.Equal(old, File.ReadAllText(LogPath));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));

        using (var log = TrialLog.Replace(Folder))
        {
            log.Append([FailedResult(), FullCompleted()]);
            log.Restart();
            log.Append([DivergedResult(), Labeled(FailedResult(), "own")], labels);
            Assert.Equal(old, File.ReadAllText(LogPath));
            log.Complete();
        }

        var contents = TrialLog.Read(_dir);
        Assert.Empty(contents.Problems);
        Assert.Equal([DivergedResult().Trial.Id, FailedResult().Trial.Id], contents.Results.Select(r => r.Trial.Id));
        // The label given for a configuration is written; a trial of another configuration keeps its own.
        Assert.Equal(["given", "own"], contents.Results.Select(r => r.Trial.Label));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Reopening_appends_after_existing_lines()
    {
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(FullCompleted(), null);
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(DivergedResult(), null);

        var contents = TrialLog.Read(_dir);

        Assert.Empty(contents.Problems);
        Assert.Equal(["abcdef0123-s7", "0123456789-s0"], contents.Results.Select(r => r.Trial.Id));
        Assert.Equal(2, File.ReadAllLines(LogPath).Length);
    }

    [Fact]
    public void Two_finished_lines_of_one_trial_that_disagree_are_reported_and_the_last_one_is_used()
    {
        var original = FullCompleted();
        var edited = original with { Outcome = original.Outcome with { Metrics = original.Outcome.Metrics! with { CalibrationError = 0.01 } } };
        using (var log = TrialLog.OpenForAppend(Folder))
        {
            log.Append(original, null);
            log.Append(DivergedResult(), null);
            log.Append(original, null); // the same result again: training is deterministic, nothing to report
            log.Append(edited, null);
        }

        var contents = TrialLog.Read(_dir);

        Assert.Equal([original.Trial.Id, DivergedResult().Trial.Id], contents.Results.Select(r => r.Trial.Id));
        Assert.Equal(0.01, contents.Results[0].Outcome.Metrics!.CalibrationError);
        Assert.Equal(4, contents.Entries[0].Line);
        string problem = Assert.Single(contents.Problems);
        Assert.Contains($":4: trial {original.Trial.Id} is also on line 3 with other results; line 4 is used", problem);
    }

    [Fact]
    public void Reading_a_folder_without_a_log_gives_nothing()
    {
        var contents = TrialLog.Read(_dir);
        Assert.Empty(contents.Results);
        Assert.Empty(contents.Problems);
    }

    [Fact]
    public void A_partial_last_line_is_reported_not_fatal_and_the_next_append_starts_on_a_fresh_line()
    {
        using (var log = TrialLog.OpenForAppend(Folder))
        {
            log.Append(FullCompleted(), "a");
            log.Append(DivergedResult(), null);
        }
        // Simulate Ctrl-C in the middle of writing a third line: half of a JSON line, no newline.
        string full = JsonSerializer.Serialize(TrialRecord.From(FailedResult(), null), SweepJson.Options);
        File.AppendAllText(LogPath, full[..(full.Length / 2)], new UTF8Encoding(false));

        var afterCrash = TrialLog.Read(_dir);

        Assert.Equal(2, afterCrash.Results.Count);
        string problem = Assert.Single(afterCrash.Problems);
        Assert.Contains(TrialLog.FileName, problem);
        Assert.Contains(":3:", problem);

        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(FailedResult(), null);

        string[] lines = File.ReadAllLines(LogPath);
        Assert.Equal(4, lines.Length);
        Assert.Equal(full[..(full.Length / 2)], lines[2]);
        Assert.Equal(full, lines[3]);

        var afterResume = TrialLog.Read(_dir);
        Assert.Equal(["abcdef0123-s7", "0123456789-s0", "9876543210-s1"], afterResume.Results.Select(r => r.Trial.Id));
        AssertSameResult(FailedResult(), afterResume.Results[2]);
        Assert.Contains(":3:", Assert.Single(afterResume.Problems));
    }

    [Fact]
    public void Garbage_and_blank_lines_are_skipped_and_every_bad_line_is_reported()
    {
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(FullCompleted(), null);
        File.AppendAllText(LogPath, "\nnot json at all\n{\"id\": 5}\n");
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(DivergedResult(), null);

        var contents = TrialLog.Read(_dir);

        Assert.Equal(["abcdef0123-s7", "0123456789-s0"], contents.Results.Select(r => r.Trial.Id));
        Assert.Equal(2, contents.Problems.Count);
        Assert.Contains(":3:", contents.Problems[0]);
        Assert.Contains(":4:", contents.Problems[1]);
    }

    [Fact]
    public void Lines_missing_what_a_trial_needs_are_reported_not_reused()
    {
        using (var log = TrialLog.OpenForAppend(Folder)) log.Append(FullCompleted(), null);
        File.AppendAllText(LogPath, "{}\n{\"id\":\"abcdef0123-s8\",\"status\":\"completed\"}\n");

        var contents = TrialLog.Read(_dir);

        Assert.Equal(["abcdef0123-s7"], contents.Results.Select(r => r.Trial.Id));
        Assert.Equal(2, contents.Problems.Count);
        Assert.Contains(":2:", contents.Problems[0]);
        Assert.Contains(":3:", contents.Problems[1]);
    }
}
