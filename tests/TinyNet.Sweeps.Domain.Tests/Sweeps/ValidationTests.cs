using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>ORACLES.md section D, and our refusal of values that cannot train.</summary>
public class ValidationTests
{
    private static string Random(string parameters) => "method: random\nrun_cap: 5\nparameters:\n" + parameters;

    [Fact] // D1
    public void Min_must_be_less_than_max()
    {
        Valid(Random("  epochs: {min: 3, max: 5}\n"));
        var d = SingleError(Random("  epochs: {max: 3, min: 5}\n"));
        Assert.Equal("epochs: min 5 is not less than max 3", d.Message);
        Assert.Equal((4, 17), (d.Line, d.Column));
        Assert.Equal("epochs: min 1 is not less than max 1", SingleError(Random("  epochs: {min: 1, max: 1}\n")).Message);
    }

    [Fact] // D2
    public void Negative_sigma_is_an_error()
    {
        var errors = Errors(Random("  learning_rate: {distribution: log_normal, sigma: -0.1}\n"));
        Assert.Contains(errors, e => e.Message == "learning_rate: sigma must be >= 0, not -0.1");
    }

    [Fact] // D3
    public void Missing_or_empty_parameters()
    {
        Assert.Equal("a sweep needs 'parameters' (a search space) or 'configurations' (explicit configurations), or both",
            SingleError("method: grid\n").Message);
        var d = SingleError("method: grid\nparameters: {}\n");
        Assert.Equal("parameters is empty; list at least one parameter, or remove the key", d.Message);
        Assert.Equal((2, 13), (d.Line, d.Column));
    }

    [Fact] // D4
    public void Probabilities_need_one_per_value_and_sum_to_one()
    {
        Assert.Equal("activation: probabilities has 4 entries but values has 3; give one probability per value",
            SingleError(Random("  activation: {values: [sigmoid, relu, tanh], probabilities: [0.1, 0.2, 0.3, 0.4]}\n")).Message);
        Assert.Equal("activation: probabilities must sum to 1, they sum to 0.6000000000000001",
            SingleError(Random("  activation: {values: [sigmoid, relu, tanh], probabilities: [0.1, 0.2, 0.3]}\n")).Message);
    }

    [Theory] // D4: a length mismatch is the problem to report, even when the sum is off too or a value is bad
    [InlineData("[sigmoid, relu, tanh]", "[0.5, 0.2]", "activation: probabilities has 2 entries but values has 3; give one probability per value")]
    [InlineData("[sigmoid, relu, tanh]", "[0.5, 0.2, 0.2, 0.2]", "activation: probabilities has 4 entries but values has 3; give one probability per value")]
    [InlineData("[sigmoid, relu, swish]", "[0.5, 0.2]", "activation: probabilities has 2 entries but values has 3; give one probability per value")]
    [InlineData("[sigmoid, relu, swish]", "[0.5, 0.5]", "activation: probabilities has 2 entries but values has 3; give one probability per value")]
    public void Probabilities_of_the_wrong_length_report_the_length(string values, string probabilities, string message)
    {
        var errors = Errors(Random($"  activation: {{values: {values}, probabilities: {probabilities}}}\n"));
        Assert.Contains(errors, e => e.Message == message);
        Assert.DoesNotContain(errors, e => e.Message.Contains("sum to"));
    }

    [Fact] // D5
    public void Empty_values_is_an_error()
    {
        Assert.Equal("epochs: values must list at least one value", SingleError(Random("  epochs: {values: []}\n")).Message);
    }

    [Fact] // D6
    public void Int_uniform_needs_integer_bounds()
    {
        Valid(Random("  noise_level: {min: 0, max: 1, distribution: uniform}\n"));
        var errors = Errors(Random("  epochs: {min: 0.0, max: 1.0, distribution: int_uniform}\n"));
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("int_uniform", e.Message));
    }

    [Fact] // D7
    public void Deprecated_log_uniform_warns_and_values_variant_needs_min_below_max()
    {
        foreach (string dist in new[] { "log_uniform", "q_log_uniform", "inv_log_uniform" })
        {
            var result = SweepFile.Parse(Random($"  weight_decay: {{distribution: {dist}, min: 1, max: 2}}\n"), "t.yaml");
            Assert.True(result.IsValid, string.Join("\n", result.Errors));
            Assert.Contains(result.Warnings, w => w.Message.Contains("base-e exponents"));
        }
        Assert.Equal("learning_rate: min 2 is not less than max 1",
            SingleError(Random("  learning_rate: {distribution: log_uniform_values, min: 2, max: 1}\n")).Message);
        Assert.StartsWith("learning_rate: log_uniform_values needs min > 0",
            SingleError(Random("  learning_rate: {distribution: log_uniform_values, min: 0, max: 1}\n")).Message);
    }

    [Theory] // D8
    [InlineData("1", true)]
    [InlineData("300", true)]
    [InlineData("0", false)]
    [InlineData("-1", false)]
    [InlineData("-0.3", false)]
    [InlineData("5.1", false)]
    [InlineData("\"1\"", false)]
    public void Run_cap_must_be_a_positive_integer(string runCap, bool valid)
    {
        var result = SweepFile.Parse($"method: grid\nrun_cap: {runCap}\nparameters:\n  epochs: {{value: 5}}\n", "t.yaml");
        Assert.Equal(valid, result.IsValid);
        if (!valid)
            Assert.StartsWith("run_cap must be a whole number > 0", Assert.Single(result.Errors).Message);
    }

    [Fact] // D13
    public void Unknown_key_in_a_parameter_suggests_and_mixed_forms_name_allowed_keys()
    {
        Assert.StartsWith("epochs: unknown key 'valeus'; did you mean 'values'? A parameter takes distribution, value, values,",
            SingleError(Random("  epochs: {valeus: [1, 2]}\n")).Message);
        var mixed = SingleError(Random("  learning_rate: {distribution: uniform, min: 0.1, max: 0.2, values: [0.1]}\n"));
        Assert.Equal("learning_rate: 'values' does not go with distribution uniform, which takes min, max", mixed.Message);
        Assert.Equal((4, 62), (mixed.Line, mixed.Column));
        Assert.Equal("epochs: give either 'value' (one fixed value) or 'values' (a list to choose from), not both",
            SingleError(Random("  epochs: {value: 1, values: [1, 2]}\n")).Message);
    }

    [Fact]
    public void Unknown_distribution_suggests()
    {
        Assert.StartsWith("learning_rate: unknown distribution 'log_uniform_value'; did you mean 'log_uniform_values'?",
            SingleError(Random("  learning_rate: {distribution: log_uniform_value, min: 0.1, max: 1}\n")).Message);
    }

    [Fact]
    public void Parameter_must_be_a_mapping_and_nesting_is_refused()
    {
        Assert.StartsWith("parameter 'epochs' must be a mapping such as {value: ...}",
            SingleError(Random("  epochs: 10\n")).Message);
        Assert.StartsWith("epochs: nested 'parameters' are not supported",
            SingleError(Random("  epochs:\n    parameters:\n      x: {value: 1}\n")).Message);
    }

    [Theory]
    [InlineData("learning_rate", "0", "learning_rate = 0 cannot train: learning_rate must be in (0, 10]")]
    [InlineData("learning_rate", "-0.1", "learning_rate = -0.1 cannot train: learning_rate must be in (0, 10]")]
    [InlineData("learning_rate", "10.5", "learning_rate = 10.5 cannot train: learning_rate must be in (0, 10] (a step of zero or against the gradient does not learn, and above 10 one step overflows TinyNet's outputs)")]
    [InlineData("learning_rate", "1e308", "learning_rate = 1E+308 cannot train: learning_rate must be in (0, 10]")]
    [InlineData("momentum", "1", "momentum = 1 cannot train: momentum must be in [0, 1)")]
    [InlineData("momentum", "-0.1", "momentum = -0.1 cannot train: momentum must be in [0, 1)")]
    [InlineData("weight_decay", "-1e-4", "weight_decay = -0.0001 cannot train: weight_decay must be in [0, 10]")]
    [InlineData("weight_decay", "11", "weight_decay = 11 cannot train: weight_decay must be in [0, 10] (negative decay pushes weights to grow, and above 10 the decay swamps every gradient)")]
    [InlineData("noise_level", "1.5", "noise_level = 1.5 cannot train: noise_level must be in [0, 1]")]
    [InlineData("clean_ratio", "-0.2", "clean_ratio = -0.2 cannot train: clean_ratio must be in [0, 1]")]
    [InlineData("batch_size", "1", "batch_size = 1 cannot train: batch_size must be an integer from 2 to 4096")]
    [InlineData("batch_size", "4097", "batch_size = 4097 cannot train: batch_size must be an integer from 2 to 4096 (a batch needs at least one horizontal/vertical pair, and every step draws a fresh batch, so more than 4096 examples only slow training down)")]
    [InlineData("epochs", "0", "epochs = 0 cannot train: epochs must be an integer from 1 to 100000")]
    [InlineData("epochs", "1000000000", "epochs = 1000000000 cannot train: epochs must be an integer from 1 to 100000 (a trial needs at least one optimiser step, and 100000 steps are already about ten seconds of training and a 2 MB loss history per trial)")]
    [InlineData("hidden_units", "0", "hidden_units = 0 cannot train: hidden_units must be an integer from 1 to 1024")]
    [InlineData("hidden_units", "1000000", "hidden_units = 1000000 cannot train: hidden_units must be an integer from 1 to 1024 (the hidden layer needs at least one unit, and TinyNet's 4 inputs gain nothing from more than 1024 while memory grows with every unit)")]
    [InlineData("hidden_units", "99999999999999999999", "hidden_units = 99999999999999999999 cannot train: hidden_units must be an integer from 1 to 1024")]
    [InlineData("learning_rate", ".nan", "learning_rate must be a finite number, not .nan")]
    public void Untrainable_values_are_refused_in_every_list_position(string parameter, string bad, string message)
    {
        var d = SingleError($"method: grid\nparameters:\n  {parameter}: {{values: [0.5, {bad}]}}\n".Replace("[0.5,", parameter is "batch_size" or "epochs" or "hidden_units" ? "[8," : "[0.5,"));
        Assert.StartsWith(message, d.Message);
        Assert.Equal(3, d.Line);
    }

    [Theory]
    [InlineData("learning_rate: {min: 0.0, max: 0.1}", "learning_rate: uniform can produce values in [0, 0.1], but learning_rate must be in (0, 10]")]
    [InlineData("learning_rate: {min: 0.5, max: 20.0}", "learning_rate: uniform can produce values in [0.5, 20], but learning_rate must be in (0, 10]")]
    [InlineData("learning_rate: {distribution: normal, mu: 0.1, sigma: 0.1}", "learning_rate: normal(mu 0.1, sigma 0.1) draws values at or below 0 with probability 0.16; learning_rate must be in (0, 10] (a step of zero or against the gradient does not learn, and above 10 one step overflows TinyNet's outputs); raise mu or lower sigma, or use log_normal or log_uniform_values")]
    [InlineData("momentum: {distribution: log_normal}", "momentum: log_normal(mu 0, sigma 1) draws values at or above 1 with probability 0.5; momentum must be in [0, 1)")]
    [InlineData("momentum: {distribution: uniform, min: 0.5, max: 1.0}", "momentum: uniform can produce values in [0.5, 1], but momentum must be in [0, 1)")]
    [InlineData("learning_rate: {distribution: q_log_normal, q: 0.01}", "learning_rate: q_log_normal(mu 0, sigma 1, q 0.01) draws values above 10 with probability 0.011;")]
    [InlineData("epochs: {distribution: q_uniform, min: 1, max: 100, q: 5}", "epochs: q_uniform can produce values in [0, 100]")]
    [InlineData("noise_level: {distribution: q_beta, q: 0.6}", "noise_level: q_beta can produce values in [0, 1.2]")]
    public void Distributions_that_can_draw_untrainable_values_are_refused(string parameter, string message)
    {
        Assert.StartsWith(message, SingleError(Random("  " + parameter + "\n")).Message);
    }

    [Fact]
    public void Log_normal_is_fine_for_learning_rate_and_weight_decay()
    {
        Valid(Random("  learning_rate: {distribution: log_normal, mu: -4}\n  weight_decay: {distribution: q_log_normal, mu: -6, q: 0.0001}\n"));
    }

    [Theory]
    [InlineData("epochs: {distribution: uniform, min: 10, max: 20}", "epochs needs whole numbers but uniform draws fractions")]
    [InlineData("epochs: {distribution: q_uniform, min: 10, max: 20, q: 2.5}", "epochs needs whole numbers: q must be a whole number, not 2.5")]
    [InlineData("activation: {distribution: uniform, min: 0, max: 1}", "activation is one of sigmoid, relu, tanh: use 'value' or 'values'")]
    public void Distribution_must_suit_the_parameter_type(string parameter, string message)
    {
        Assert.StartsWith(message, SingleError(Random("  " + parameter + "\n")).Message);
    }

    [Fact]
    public void Too_large_grid_is_refused_before_enumerating()
    {
        Assert.Contains("more than 10000",
            SingleError("method: grid\nparameters:\n  epochs: {min: 1, max: 20000}\n").Message);
        Assert.Contains("more than 1000000", SingleError("""
            method: grid
            seeds: 100
            parameters:
              epochs: {min: 1, max: 5000}
              hidden_units: {min: 1, max: 5}
            """).Message);
    }
}

public sealed class UnknownParameterTests
{
    [Fact]
    public void The_list_of_parameters_is_said_once_however_many_names_are_unknown()
    {
        var errors = SweepTestSupport.Errors("method: grid\nparameters:\n  foo: {value: 1}\n  bar: {value: 2}\n  baz: {value: 3}\n");

        Assert.Equal(3, errors.Count);
        Assert.Single(errors, e => e.Message.Contains("Parameters are:"));
        Assert.Contains("Parameters are:", errors[0].Message);
    }

    [Fact]
    public void The_body_of_a_misnamed_parameter_is_checked_as_the_parameter_it_probably_means()
    {
        // 'lr' is another tool's learning_rate: its body's own mistake shows in the same pass.
        var errors = SweepTestSupport.Errors("method: random\nrun_cap: 3\nparameters:\n  lr: {distribution: log_uniform_values, min: 0, max: 0.1}\n");

        Assert.Equal(2, errors.Count);
        Assert.Contains("unknown parameter 'lr'; did you mean 'learning_rate'?", errors[0].Message);
        Assert.Contains("needs min > 0", errors[1].Message);
    }
}
