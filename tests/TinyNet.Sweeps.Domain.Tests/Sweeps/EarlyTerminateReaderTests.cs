using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>
/// early_terminate, controller and the ignored metric keys, validated as W&amp;B does (ORACLES B2, B9, B10,
/// C12, D9, D13), every error at its position.
/// </summary>
public class EarlyTerminateReaderTests
{
    /// <summary>A grid sweep of 30 epochs with the given early_terminate on line 2.</summary>
    private static string WithEarlyTerminate(string earlyTerminate) =>
        $"method: grid\nearly_terminate: {earlyTerminate}\nparameters:\n  epochs: {{value: 30}}\n";

    private static SweepLoadResult Parse(string yaml) => SweepFile.Parse(yaml, "t.yaml");

    [Fact] // B2
    public void Min_iter_form_fills_wandbs_defaults_and_is_applied_without_a_warning()
    {
        var result = Parse(WithEarlyTerminate("{type: hyperband, min_iter: 3}"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(new HyperbandSpec(3, null, null, 3, true), result.Sweep!.EarlyTerminate);
        Assert.Empty(result.Warnings);
        Assert.Equal([3, 9, 27], result.Plan!.CreateHyperband()!.Bands.TakeWhile(b => b <= 30));
    }

    [Fact]
    public void Max_iter_form_reads_every_key()
    {
        var sweep = Valid(WithEarlyTerminate("{type: hyperband, max_iter: 27, s: 2, eta: 3.0, strict: false}"));
        Assert.Equal(new HyperbandSpec(null, 27, 2, 3, false), sweep.EarlyTerminate);
    }

    [Fact]
    public void A_sweep_without_early_terminate_has_none()
    {
        Assert.Null(Valid("method: grid\nparameters:\n  epochs: {value: 5}\n").EarlyTerminate);
    }

    [Fact] // B9
    public void Min_iter_beside_max_iter_is_ignored_with_a_warning()
    {
        var result = Parse(WithEarlyTerminate("{type: hyperband, max_iter: 50, min_iter: 5, s: 2}"));
        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Message.StartsWith("early_terminate min_iter is ignored: with max_iter") && w.Column == 50);
        Assert.Equal([5, 16], result.Plan!.CreateHyperband()!.Bands);
    }

    [Fact] // B10
    public void No_band_is_wandbs_error_at_early_terminate()
    {
        var d = SingleError(WithEarlyTerminate("{type: hyperband, max_iter: 2, eta: 3, s: 2}"));
        Assert.Equal((2, 18), (d.Line, d.Column));
        Assert.Equal("early_terminate: Bands must be an array of length at least 1. Try increasing s, decreasing eta, or increasing min_iter.", d.Message);
        Assert.Equal("early_terminate: " + Hyperband.NoBandsMessage, SingleError(WithEarlyTerminate("{type: hyperband, max_iter: 81, s: 0}")).Message);
    }

    [Fact] // C12
    public void A_bare_string_is_an_error()
    {
        var d = SingleError("method: grid\nearly_terminate: hyperband\nparameters:\n  epochs: {value: 30}\n");
        Assert.Equal((2, 18), (d.Line, d.Column));
        Assert.Equal("early_terminate must be a mapping such as {type: hyperband, min_iter: 3}, not a value (W&B's schema refuses the bare string too, and its stopper fails on it)",
            d.Message);
    }

    [Theory] // C12, D13
    [InlineData("{min_iter: 3}", 18, "early_terminate needs 'type: hyperband', the only type, as in {type: hyperband, min_iter: 3}")]
    [InlineData("{type: envelope, min_iter: 3}", 25, "early_terminate type must be hyperband, the only type, not string envelope")]
    [InlineData("{type: hyperbnad, min_iter: 3}", 25, "early_terminate type must be hyperband, the only type, not string hyperbnad; did you mean 'hyperband'?")]
    [InlineData("{type: hyperband, min_iter: 3, eta: 1}", 54, "early_terminate eta must be a finite number > 1 (keep the best 1/eta at each band), not 1")]
    [InlineData("{type: hyperband, min_iter: 3, eta: '2'}", 54, "early_terminate eta must be a finite number > 1 (keep the best 1/eta at each band), not string '2'; remove the quotes")]
    [InlineData("{type: hyperband, min_iter: 3, eta: .inf}", 54, "early_terminate eta must be a finite number > 1 (keep the best 1/eta at each band), not .inf")]
    [InlineData("{type: hyperband, min_iter: 0}", 46, "early_terminate min_iter must be an integer from 1 to 2147483647 (the first band, in epochs), not 0")]
    [InlineData("{type: hyperband, min_iter: 2.5}", 46, "early_terminate min_iter must be an integer from 1 to 2147483647 (the first band, in epochs), not 2.5")]
    [InlineData("{type: hyperband, min_iter: 3000000000}", 46, "early_terminate min_iter must be an integer from 1 to 2147483647 (the first band, in epochs), not 3000000000")]
    [InlineData("{type: hyperband, max_iter: 27}", 36, "early_terminate max_iter needs s, how many bands to count back from max_iter (W&B fails without it)")]
    [InlineData("{type: hyperband, max_iter: x, s: 2}", 46, "early_terminate max_iter must be an integer from 1 to 2147483647 (the epoch the bands count back from), not string x")]
    [InlineData("{type: hyperband, max_iter: 27, s: two}", 53, "early_terminate s must be an integer, how many bands to count back from max_iter, not string two")]
    [InlineData("{type: hyperband, max_iter: 27, s: 2.5}", 53, "early_terminate s must be an integer, how many bands to count back from max_iter, not 2.5: W&B counts the bands with Python's range(s), which fails on a float")]
    [InlineData("{type: hyperband, max_iter: 27, s: 2.0}", 53, "early_terminate s must be an integer, how many bands to count back from max_iter, not 2.0: W&B counts the bands with Python's range(s), which fails on a float")]
    [InlineData("{type: hyperband, min_iter: 3, strict: \"yes\"}", 57, "early_terminate strict must be true or false, not string 'yes'")]
    [InlineData("{type: hyperband, min_iter: 3, strict: yes}", 57, "early_terminate strict must be true or false, not string yes; write true (W&B's YAML 1.1 reads yes as true, YAML 1.2 as a string)")]
    [InlineData("{type: hyperband, min_iter: 3, strict: Off}", 57, "early_terminate strict must be true or false, not string Off; write false (W&B's YAML 1.1 reads Off as false, YAML 1.2 as a string)")]
    [InlineData("{type: hyperband}", 18, "early_terminate needs min_iter (the first band, in epochs), or max_iter and s")]
    [InlineData("[hyperband]", 18, "early_terminate must be a mapping such as {type: hyperband, min_iter: 3}, not a list")]
    public void Each_problem_is_one_error_at_its_position(string earlyTerminate, int column, string message)
    {
        var d = SingleError(WithEarlyTerminate(earlyTerminate));
        Assert.Equal((2, column), (d.Line, d.Column));
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void Min_iter_may_be_an_integral_float_as_json_schema_draft_7_allows()
    {
        Assert.Equal(3, Valid(WithEarlyTerminate("{type: hyperband, min_iter: 3.0}")).EarlyTerminate!.MinIter);
    }

    [Fact] // C12: W&B drops extra keys at runtime
    public void Unknown_keys_are_warnings_with_a_suggestion()
    {
        var result = Parse(WithEarlyTerminate("{type: hyperband, min_iter: 100, extra_key: 1234, mni_iter: 3}"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(
        [
            "early_terminate key 'extra_key' is ignored, as W&B's stopper drops unknown keys; early_terminate takes type, min_iter, max_iter, s, eta, strict",
            "early_terminate key 'mni_iter' is ignored, as W&B's stopper drops unknown keys; did you mean 'min_iter'? early_terminate takes type, min_iter, max_iter, s, eta, strict",
        ], result.Warnings.Where(w => w.Message.Contains("key")).Select(w => w.Message));
    }

    [Fact]
    public void S_without_max_iter_is_ignored_with_a_warning()
    {
        var result = Parse(WithEarlyTerminate("{type: hyperband, min_iter: 3, s: 2}"));
        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Message == "early_terminate s is ignored: only the max_iter form uses it" && w.Column == 49);
    }

    [Fact] // C12: W&B's stopper needs a metric; ours always has one
    public void A_sweep_without_metric_uses_the_default_metric_for_hyperband()
    {
        var sweep = Valid(WithEarlyTerminate("{type: hyperband, min_iter: 3}"));
        Assert.Equal(MetricSpec.Default, sweep.Metric);
    }

    [Fact]
    public void A_first_band_beyond_every_trial_is_said()
    {
        var result = Parse(WithEarlyTerminate("{type: hyperband, min_iter: 50}"));
        Assert.Equal("early_terminate's first band is at epoch 50, but the longest trial trains 30 epochs: hyperband will stop nothing",
            Assert.Single(result.Warnings).Message);
    }

    // ---- controller (D9) ----

    [Theory]
    [InlineData("{type: cloud}")]
    [InlineData("{type: local}")]
    [InlineData("{type: local, other: 1}")] // W&B's schema allows other keys here
    public void Controller_cloud_or_local_is_accepted_and_ignored(string controller)
    {
        var result = Parse($"method: grid\ncontroller: {controller}\nparameters:\n  epochs: {{value: 5}}\n");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("t.yaml:2:1: 'controller' is accepted for W&B compatibility but ignored: tinynet-sweeps plans every trial itself",
            Assert.Single(result.Warnings).ToString());
    }

    [Theory]
    [InlineData("{type: invalid}", 20, "controller type must be cloud or local, not string invalid")]
    [InlineData("{type: locl}", 20, "controller type must be cloud or local, not string locl; did you mean 'local'?")]
    [InlineData("{}", 13, "controller needs 'type: cloud' or 'type: local'")]
    [InlineData("local", 13, "controller must be a mapping such as {type: local}, not a value")]
    public void Any_other_controller_is_an_error(string controller, int column, string message)
    {
        var d = SingleError($"method: grid\ncontroller: {controller}\nparameters:\n  epochs: {{value: 5}}\n");
        Assert.Equal((2, column), (d.Line, d.Column));
        Assert.Equal(message, d.Message);
    }

    // ---- metric target, impute, impute_while_running (D13, SPEC §1) ----

    [Theory]
    [InlineData("target: 0.9", "")]
    [InlineData("target: 1", "")]
    [InlineData("impute: best", "")]
    [InlineData("impute_while_running: 'false'", "")]
    [InlineData("impute_while_running: latest", "")]
    [InlineData("impute_while_running: false", " (W&B's schema wants 'false' quoted: it refuses the boolean)")]
    public void Valid_ignored_metric_keys_are_warnings(string key, string note)
    {
        var result = Parse($"method: grid\nmetric: {{name: brier, {key}}}\nparameters:\n  epochs: {{value: 5}}\n");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        string name = key.Split(':')[0];
        Assert.Equal($"metric {name} is accepted for W&B compatibility but ignored: tinynet-sweeps always runs every planned trial{note}",
            Assert.Single(result.Warnings).Message);
    }

    [Theory]
    [InlineData("target: \"0.9\"", 31, "metric target must be a finite number, not string '0.9'; remove the quotes")]
    [InlineData("target: high", 31, "metric target must be a finite number, not string high")]
    [InlineData("impute: wrost", 31, "metric impute must be one of worst, best, latest, not string wrost; did you mean 'worst'?")]
    [InlineData("impute: 0", 31, "metric impute must be one of worst, best, latest, not integer 0")]
    [InlineData("impute_while_running: true", 45, "metric impute_while_running must be one of false, latest, best, worst, not boolean true")]
    [InlineData("impute_while_running: always", 45, "metric impute_while_running must be one of false, latest, best, worst, not string always")]
    public void Invalid_ignored_metric_keys_are_errors(string key, int column, string message)
    {
        var d = SingleError($"method: grid\nmetric: {{name: brier, {key}}}\nparameters:\n  epochs: {{value: 5}}\n");
        Assert.Equal((2, column), (d.Line, d.Column));
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void Unknown_metric_key_lists_every_metric_key()
    {
        Assert.Equal("unknown metric key 'targt'; did you mean 'target'? metric takes name, goal, target, impute, impute_while_running",
            SingleError("method: grid\nmetric: {name: brier, targt: 1}\nparameters:\n  epochs: {value: 5}\n").Message);
    }
}
