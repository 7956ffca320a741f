using System.Text.Json;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Export;

/// <summary>trials.jsonl field names are a public interface: these tests pin them.</summary>
public class TrialRecordJsonTests
{
    private static JsonElement Line(TrialResult result, string? label)
    {
        string json = JsonSerializer.Serialize(TrialRecord.From(result, label), SweepJson.Options);
        Assert.DoesNotContain('\n', json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static string[] Names(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static string[] Sorted(params string[] names) => [.. names.Order(StringComparer.Ordinal)];

    [Fact]
    public void Top_level_field_names_are_exactly_the_documented_ones()
    {
        var root = Line(TrialLogTests.FullCompleted(), "relu-adam-mixed");

        string[] documented =
        [
            "id", "config_key", "label", "config", "seed", "status", "metrics", "stress", "loss_history", "weights",
            "silo", "duration_ms", "attempts", "engine", "training_ms", "queue_ms",
        ];
        foreach (string name in documented) Assert.True(root.TryGetProperty(name, out _), $"missing field '{name}'");
        // Besides the documented ones, only the trial's index (and an error, when there is one) may appear.
        Assert.Empty(Names(root).Except(documented).Except(["index", "error"]));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("config").ValueKind);
        Assert.Equal("abcdef0123-s7", root.GetProperty("id").GetString());
        Assert.Equal("abcdef0123", root.GetProperty("config_key").GetString());
        Assert.Equal("relu-adam-mixed", root.GetProperty("label").GetString());
        Assert.Equal(7, root.GetProperty("seed").GetInt32());
        Assert.Equal("silo-2", root.GetProperty("silo").GetString());
        Assert.Equal(1234567890123L, root.GetProperty("duration_ms").GetInt64());
        Assert.Equal(3, root.GetProperty("attempts").GetInt32());
        Assert.Equal(6, root.GetProperty("loss_history").GetArrayLength());
    }

    [Fact]
    public void Config_fields_are_the_sweep_file_parameter_names_with_enums_as_words()
    {
        var config = Line(TrialLogTests.FullCompleted(), null).GetProperty("config");

        Assert.Equal(
            Sorted("activation", "optimizer", "learning_rate", "momentum", "weight_decay", "noise_level", "clean_ratio",
                   "epochs", "batch_size", "hidden_units", "loss"),
            Names(config));
        Assert.Equal("tanh", config.GetProperty("activation").GetString());
        Assert.Equal("adamw", config.GetProperty("optimizer").GetString());
        Assert.Equal("bce", config.GetProperty("loss").GetString());
        Assert.Equal(0.1 + 0.2, config.GetProperty("learning_rate").GetDouble());
        Assert.Equal(0.9, config.GetProperty("momentum").GetDouble());
        Assert.Equal(300, config.GetProperty("epochs").GetInt32());
        Assert.Equal(32, config.GetProperty("batch_size").GetInt32());
        Assert.Equal(5, config.GetProperty("hidden_units").GetInt32());
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, "sgd")]
    [InlineData(OptimizerKind.Adam, "adam")]
    [InlineData(OptimizerKind.AdamW, "adamw")]
    public void Optimizers_serialise_as_the_words_users_write(OptimizerKind optimizer, string word)
    {
        var result = TrialLogTests.FullCompleted();
        result = result with { Trial = result.Trial with { Config = result.Trial.Config with { Optimizer = optimizer } } };
        Assert.Equal(word, Line(result, null).GetProperty("config").GetProperty("optimizer").GetString());
    }

    [Fact]
    public void Metrics_stress_and_weights_use_snake_case_names()
    {
        var root = Line(TrialLogTests.FullCompleted(), null);

        var metrics = root.GetProperty("metrics");
        Assert.Equal(
            Sorted("final_loss", "eval_loss", "eval_accuracy", "brier", "calibration_error", "clear_confidence", "ambiguous_confidence"),
            Names(metrics));
        Assert.Equal(1.0 / 7, metrics.GetProperty("calibration_error").GetDouble());
        Assert.Equal(0.9375, metrics.GetProperty("eval_accuracy").GetDouble());

        var stress = root.GetProperty("stress");
        Assert.Equal(2, stress.GetArrayLength());
        Assert.Equal(Sorted("case", "expected", "h", "v"), Names(stress[0]));
        Assert.Equal("clean horizontal", stress[0].GetProperty("case").GetString());
        Assert.Equal("h", stress[0].GetProperty("expected").GetString());

        var weights = root.GetProperty("weights");
        Assert.Equal(Sorted("hidden_weight", "hidden_bias", "output_weight", "output_bias"), Names(weights));
        Assert.Equal(2, weights.GetProperty("hidden_weight").GetArrayLength());
        Assert.Equal(3, weights.GetProperty("hidden_weight")[0].GetArrayLength());
    }

    [Theory]
    [InlineData(TrialStatus.Completed, "completed")]
    [InlineData(TrialStatus.Diverged, "diverged")]
    [InlineData(TrialStatus.Failed, "failed")]
    public void Status_is_a_lowercase_word(TrialStatus status, string word)
    {
        var result = TrialLogTests.FullCompleted();
        result = result with { Outcome = result.Outcome with { Status = status } };
        Assert.Equal(word, Line(result, null).GetProperty("status").GetString());
    }

    [Fact]
    public void A_diverged_trial_keeps_non_finite_losses_in_its_history()
    {
        var root = Line(TrialLogTests.DivergedResult(), null);

        Assert.Equal("diverged", root.GetProperty("status").GetString());
        var history = root.GetProperty("loss_history");
        Assert.Equal(4, history.GetArrayLength());
        Assert.Equal(0.7, history[0].GetDouble());
        Assert.Equal("Infinity", history[2].GetString());
        Assert.Equal("NaN", history[3].GetString());
    }

    [Fact]
    public void From_and_ToResult_are_inverse()
    {
        var original = TrialLogTests.Labeled(TrialLogTests.FullCompleted(), "lbl");
        var record = TrialRecord.From(original);

        Assert.Equal("lbl", record.Label);
        Assert.Equal(original.Trial.Index, record.Index);
        TrialLogTests.AssertSameResult(original, record.ToResult());
    }
}
