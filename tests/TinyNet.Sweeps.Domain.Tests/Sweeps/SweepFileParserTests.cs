using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

public class SweepFileParserTests
{
    [Fact]
    public void Valid_file_fills_every_field()
    {
        var sweep = Valid("""
            name: my-sweep
            description: d
            project: p
            entity: e
            method: random
            run_cap: 12
            sampler_seed: 3
            seeds: [4, 2]
            metric: {name: eval_accuracy, goal: maximize}
            parameters:
              learning_rate: {values: [0.1, 0.01]}
              activation: {value: tanh}
            """);

        Assert.Equal("my-sweep", sweep.Name);
        Assert.Equal(SweepMethod.Random, sweep.Method);
        Assert.Equal(12, sweep.RunCap);
        Assert.Equal(3, sweep.SamplerSeed);
        Assert.Equal([4, 2], sweep.Seeds);
        Assert.Equal(new MetricSpec("eval_accuracy", MetricGoal.Maximize), sweep.Metric);
        Assert.Equal(["activation", "learning_rate"], sweep.Parameters.Select(p => p.Name));
        Assert.Equal(("d", "p", "e"), (sweep.Description, sweep.Project, sweep.Entity));
        Assert.Equal("test.yaml", sweep.SourceFile);
    }

    [Fact]
    public void Defaults_name_from_file_stem_metric_and_single_seed()
    {
        var sweep = Valid("method: grid\nparameters:\n  epochs: {value: 10}\n", "dir/lr-scan.yaml");
        Assert.Equal("lr-scan", sweep.Name);
        Assert.Equal(new MetricSpec("calibration_error", MetricGoal.Minimize), sweep.Metric);
        Assert.Equal([0], sweep.Seeds);
        Assert.Null(sweep.RunCap);
        Assert.Equal(0, sweep.SamplerSeed);
    }

    [Fact]
    public void Known_metric_names_are_the_trial_metrics()
    {
        Assert.Equal(["final_loss", "eval_loss", "eval_accuracy", "brier", "calibration_error", "clear_confidence", "ambiguous_confidence"],
            MetricSpec.KnownNames);
    }

    [Theory]
    [InlineData("1e-5", 1e-5)]
    [InlineData("1E-5", 1e-5)]
    [InlineData("5e-4", 5e-4)]
    [InlineData("1.0e-5", 1e-5)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("!!float 1e-5", 1e-5)]
    [InlineData("!!float 1", 1.0)]
    public void Scientific_and_yaml12_numbers_are_numbers(string scalar, double expected)
    {
        var sweep = Valid($"method: grid\nparameters:\n  learning_rate: {{value: {scalar}}}\n");
        Assert.Equal(expected, sweep.Parameters[0].Values[0].Number);
    }

    [Fact]
    public void Int_tag_and_integral_float_are_accepted_for_integer_parameters()
    {
        var sweep = Valid("method: grid\nparameters:\n  epochs: {values: [!!int 10, 64.0]}\n");
        Assert.Equal([10.0, 64.0], sweep.Parameters[0].Values.Select(v => v.Number!.Value));
    }

    [Fact]
    public void Int_bounds_infer_int_uniform_and_float_bounds_infer_uniform()
    {
        var sweep = Valid("""
            method: random
            run_cap: 1
            parameters:
              epochs: {min: 10, max: 20}
              noise_level: {min: 0, max: 1.0}
              clean_ratio: {min: 0.0, max: 1}
              momentum: {min: 0.0, max: 0.9}
            """);
        var byName = sweep.Parameters.ToDictionary(p => p.Name, p => p.Distribution);
        Assert.Equal(Distribution.IntUniform, byName["epochs"]);
        Assert.Equal(Distribution.Uniform, byName["noise_level"]);
        Assert.Equal(Distribution.Uniform, byName["clean_ratio"]);
        Assert.Equal(Distribution.Uniform, byName["momentum"]);
    }

    [Fact]
    public void Values_infer_categorical_and_value_infers_constant()
    {
        var sweep = Valid("""
            method: random
            run_cap: 1
            parameters:
              activation: {values: [relu]}
              optimizer: {values: [sgd, adam], probabilities: [0.5, 0.5]}
              loss: {value: bce}
            """);
        var byName = sweep.Parameters.ToDictionary(p => p.Name, p => p.Distribution);
        Assert.Equal(Distribution.Categorical, byName["activation"]);
        Assert.Equal(Distribution.CategoricalWithProbabilities, byName["optimizer"]);
        Assert.Equal(Distribution.Constant, byName["loss"]);
    }

    [Fact]
    public void Distribution_defaults_are_filled()
    {
        var sweep = Valid("""
            method: random
            run_cap: 1
            parameters:
              learning_rate: {distribution: log_normal, sigma: 0.1}
              weight_decay: {distribution: log_normal, mu: -7}
              clean_ratio: {distribution: q_beta, q: 0.1}
              epochs: {distribution: q_uniform, min: 10, max: 20}
            """);
        var p = sweep.Parameters.ToDictionary(x => x.Name);
        Assert.Equal(0.0, p["learning_rate"].Mu);
        Assert.Equal(1.0, p["weight_decay"].Sigma);
        Assert.Equal((1.0, 1.0, 0.1), (p["clean_ratio"].A, p["clean_ratio"].B, p["clean_ratio"].Q));
        Assert.Equal(1.0, p["epochs"].Q);
    }

    [Fact]
    public void Choice_values_are_case_insensitive()
    {
        var sweep = Valid("method: grid\nparameters:\n  optimizer: {values: [AdamW, SGD]}\n");
        Assert.Equal(["adamw", "sgd"], sweep.Parameters[0].Values.Select(v => v.Choice));
    }

    [Fact]
    public void Empty_and_comment_only_files_are_empty()
    {
        Assert.Contains("is empty", SingleError("").Message);
        var d = SingleError("# just a comment\n\n");
        Assert.Equal((1, 1), (d.Line, d.Column));
        Assert.Equal("test.yaml:1:1: test.yaml is empty; a sweep file needs at least 'method' and 'parameters' (or 'configurations')", d.ToString());
    }

    [Fact]
    public void Top_level_must_be_a_mapping()
    {
        var d = SingleError("- method: grid\n");
        Assert.Equal((1, 1), (d.Line, d.Column));
        Assert.Contains("top level must be a mapping", d.Message);
        Assert.Contains("not a list", d.Message);
    }

    [Fact]
    public void Syntax_error_is_one_diagnostic_with_position_and_no_stack_trace()
    {
        var d = SingleError("method: grid\nparameters:\n  epochs: {value: 10\n");
        Assert.StartsWith("YAML syntax error: ", d.Message);
        Assert.DoesNotContain("   at ", d.Message);
        Assert.DoesNotContain("(Line:", d.Message);
        Assert.Equal((4, 1), (d.Line, d.Column)); // where YamlDotNet noticed the missing }
    }

    [Fact]
    public void Missing_file_is_one_error()
    {
        var result = SweepFile.Load("/no/such/dir/sweep.yaml");
        Assert.False(result.IsValid);
        var d = Assert.Single(result.Errors);
        Assert.Equal("/no/such/dir/sweep.yaml:1:1: cannot read the sweep file: file not found", d.ToString());
    }

    [Fact]
    public void Unknown_top_level_key_suggests_the_closest()
    {
        var d = SingleError("method: grid\nparamters:\n  epochs: {value: 10}\n");
        Assert.Equal((2, 1), (d.Line, d.Column));
        Assert.StartsWith("unknown top-level key 'paramters'; did you mean 'parameters'?", d.Message);
    }

    [Fact]
    public void Unknown_parameter_uses_alias_table_and_lists_parameters()
    {
        var d = SingleError("method: grid\nparameters:\n  lr: {values: [0.1]}\n");
        Assert.Equal((3, 3), (d.Line, d.Column));
        Assert.StartsWith("unknown parameter 'lr'; did you mean 'learning_rate'? Parameters are: activation, optimizer", d.Message);
    }

    [Theory]
    [InlineData("learning_rat", "learning_rate")]
    [InlineData("learning-rate", "learning_rate")]
    [InlineData("hidden_size", "hidden_units")]
    [InlineData("bs", "batch_size")]
    [InlineData("wd", "weight_decay")]
    [InlineData("noise", "noise_level")]
    [InlineData("optim", "optimizer")]
    [InlineData("epoch", "epochs")]
    public void Did_you_mean_for_parameters(string typo, string expected)
    {
        // The first error names the parameter meant; the body, checked as that parameter, may add its own.
        var d = Errors($"method: grid\nparameters:\n  {typo}: {{value: 1}}\n")[0];
        Assert.Contains($"did you mean '{expected}'?", d.Message);
    }

    [Fact]
    public void Unknown_choice_value_suggests_and_lists_allowed()
    {
        var d = SingleError("method: grid\nparameters:\n  activation: {values: [relu, sigmoud]}\n");
        Assert.Equal((3, 31), (d.Line, d.Column));
        Assert.Equal("activation: string sigmoud is not allowed; did you mean 'sigmoid'? activation must be one of sigmoid, relu, tanh", d.Message);
    }

    [Fact]
    public void Quoted_number_is_a_string_with_a_remove_the_quotes_hint()
    {
        var d = SingleError("method: grid\nparameters:\n  learning_rate: {value: '0.1'}\n");
        Assert.Equal((3, 26), (d.Line, d.Column));
        Assert.Equal("learning_rate must be a number, not string '0.1'; remove the quotes to make it a number", d.Message);
    }

    [Fact]
    public void Fractional_integer_is_an_error()
    {
        var d = SingleError("method: grid\nparameters:\n  epochs: {values: [10, 6.5]}\n");
        Assert.Equal((3, 25), (d.Line, d.Column));
        Assert.Equal("epochs must be an integer, not 6.5", d.Message);
    }

    [Fact]
    public void Boolean_is_not_a_number()
    {
        var d = SingleError("method: grid\nparameters:\n  momentum: {value: true}\n");
        Assert.Equal("momentum must be a number, not boolean true", d.Message);
    }

    [Fact]
    public void Unsupported_tag_is_an_error()
    {
        var d = SingleError("method: grid\nparameters:\n  momentum: {value: !!binary AAA=}\n");
        Assert.Contains("unsupported tag tag:yaml.org,2002:binary", d.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_sorted_by_position()
    {
        var errors = Errors("""
            method: grid
            metric: {name: accuracy}
            run_cap: 0
            parameters:
              lr: {values: [0.1]}
              epochs: {values: [0, 10]}
              activation: {value: swish}
              noise_level: {min: 0.5, max: 0.1, distribution: uniform}
            seeds: [1, 1]
            """);
        Assert.Equal(
        [
            "test.yaml:2:16: unknown metric 'accuracy'",
            "test.yaml:3:10: run_cap must be a whole number > 0 and at most 1000000 (the most trials a sweep may plan), not integer 0",
            "test.yaml:5:3: unknown parameter 'lr'; did you mean 'learning_rate'?",
            "test.yaml:6:21: epochs = 0 cannot train: epochs must be an integer from 1 to 100000 (a trial needs at least one optimiser step, and 100000 steps are already about ten seconds of training and a 2 MB loss history per trial)",
            "test.yaml:7:23: activation: string swish is not allowed; activation must be one of sigmoid, relu, tanh",
            "test.yaml:8:32: noise_level: min 0.5 is not less than max 0.1",
            "test.yaml:9:12: seed 1 is listed twice; seeds must be distinct",
        ], errors.Select(e => Prefix(e.ToString())));

        static string Prefix(string s) => s.Split(" Parameters are:")[0].Split("; metrics are")[0];
    }

    [Fact]
    public void Program_and_command_are_ignored_with_a_warning()
    {
        var result = SweepFile.Parse("""
            program: train.py
            command: [python, train.py, "${args}"]
            method: grid
            parameters:
              epochs: {value: 10}
            """, "w.yaml");
        Assert.True(result.IsValid);
        Assert.Equal(2, result.Warnings.Count);
        Assert.Equal("w.yaml:1:1: 'program' is ignored: a sweep file never makes tinynet-sweeps run a command; every trial trains TinyNet in-process",
            result.Warnings[0].ToString());
        Assert.Equal((2, 1), (result.Warnings[1].Line, result.Warnings[1].Column));
        Assert.StartsWith("'command' is ignored", result.Warnings[1].Message);
    }

    [Fact]
    public void Controller_and_metric_target_are_ignored_with_warnings_early_terminate_is_applied()
    {
        var result = SweepFile.Parse("""
            method: grid
            metric: {name: brier, target: 0.1}
            early_terminate: {type: hyperband, min_iter: 3}
            controller: {type: local}
            parameters:
              epochs: {value: 10}
            """, "w.yaml");
        Assert.True(result.IsValid);
        Assert.Equal(["w.yaml:2:23", "w.yaml:4:1"], result.Warnings.Select(w => $"{w.File}:{w.Line}:{w.Column}"));
        Assert.Contains("ignored", result.Warnings[0].Message);
        Assert.Contains("ignored", result.Warnings[1].Message);
        Assert.NotNull(result.Sweep!.EarlyTerminate);
    }

    [Fact]
    public void Backwards_goal_is_a_warning_and_default_goal_is_minimize()
    {
        var result = SweepFile.Parse("method: grid\nmetric: {name: eval_accuracy}\nparameters:\n  epochs: {value: 10}\n", "t.yaml");
        Assert.True(result.IsValid);
        Assert.Equal(MetricGoal.Minimize, result.Sweep!.Metric.Goal);
        var w = Assert.Single(result.Warnings);
        Assert.Contains("did you mean goal: maximize?", w.Message);

        var loss = SweepFile.Parse("method: grid\nmetric: {name: eval_loss, goal: maximize}\nparameters:\n  epochs: {value: 10}\n", "t.yaml");
        Assert.Equal((2, 33), (loss.Warnings.Single().Line, loss.Warnings.Single().Column));
        Assert.Contains("did you mean goal: minimize?", loss.Warnings.Single().Message);
    }

    [Fact]
    public void Unsupported_methods_say_what_is_supported()
    {
        Assert.StartsWith("method custom is not supported: it needs a program of your own", SingleError("method: custom\nparameters:\n  epochs: {value: 10}\n").Message);
        Assert.StartsWith("unknown method 'grdi'; did you mean 'grid'? supported methods: grid, random, bayes", SingleError("method: grdi\nparameters:\n  epochs: {value: 10}\n").Message);
    }

    [Fact] // F2, and W&B's bayes never ends on its own
    public void Bayes_needs_a_metric_a_searchable_parameter_and_a_run_cap()
    {
        Assert.StartsWith("method bayes needs a 'metric' to optimise",
            SingleError("method: bayes\nrun_cap: 5\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n").Message);
        Assert.StartsWith("method bayes needs at least one searchable parameter",
            SingleError("method: bayes\nrun_cap: 5\nmetric: {name: brier}\nparameters:\n  epochs: {value: 10}\n").Message);
        Assert.StartsWith("method bayes needs 'run_cap'",
            SingleError("method: bayes\nmetric: {name: brier}\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n").Message);
        var sweep = Valid("method: bayes\nrun_cap: 5\nround_size: 2\nmetric: {name: brier}\nparameters:\n  learning_rate: {distribution: log_normal, mu: -4, sigma: 1}\n");
        Assert.Equal((SweepMethod.Bayes, 5, 2), (sweep.Method, sweep.RunCap, sweep.RoundSize));
    }

    [Fact]
    public void Missing_method_is_an_error_unless_configurations_are_given()
    {
        Assert.Equal("missing 'method': write 'method: grid' or 'method: random'",
            SingleError("parameters:\n  epochs: {value: 10}\n").Message);
        Assert.Equal(SweepMethod.Grid, Valid("configurations:\n  - {epochs: 10}\n").Method);
    }

    [Fact]
    public void Metric_goal_typo_suggests()
    {
        var d = SingleError("method: grid\nmetric: {name: brier, goal: minimise}\nparameters:\n  epochs: {value: 10}\n");
        Assert.Equal("metric goal must be minimize or maximize, not 'minimise'; did you mean 'minimize'?", d.Message);
        Assert.Equal((2, 29), (d.Line, d.Column));
    }

    [Fact]
    public void Metric_without_name_is_an_error()
    {
        Assert.StartsWith("metric needs a 'name'", SingleError("method: grid\nmetric: {goal: minimize}\nparameters:\n  epochs: {value: 10}\n").Message);
    }
}
