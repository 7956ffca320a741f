using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

public class PlannerTests
{
    [Fact]
    public void Seeds_count_expands_each_point_with_seeds_varying_fastest()
    {
        var trials = SweepPlanner.Plan(Valid("method: grid\nseeds: 3\nparameters:\n  epochs: {values: [10, 20]}\n"));
        Assert.Equal([(10, 0), (10, 1), (10, 2), (20, 0), (20, 1), (20, 2)], trials.Select(t => (t.Config.Epochs, t.Seed)));
        Assert.Equal(Enumerable.Range(0, 6), trials.Select(t => t.Index));
        Assert.All(trials, t => Assert.Equal(TrialIdentity.Create(t.Config, t.Seed, t.Index), t));
        Assert.Equal(2, trials.Select(t => t.ConfigKey).Distinct().Count());
    }

    [Fact]
    public void Seeds_list_is_used_in_order()
    {
        var sweep = Valid("method: grid\nseeds: [7, 3, 11]\nparameters:\n  epochs: {value: 10}\n");
        Assert.Equal([7, 3, 11], SweepPlanner.Plan(sweep).Select(t => t.Seed));
    }

    [Theory]
    [InlineData("seeds: 0", "seeds must be a count from 1 to 10000")]
    [InlineData("seeds: [-1]", "each seed must be an integer from 0 to 2147483647, not integer -1")]
    [InlineData("seeds: [1.5]", "each seed must be an integer from 0 to 2147483647")]
    [InlineData("seeds: []", "seeds must be a count from 1 to 10000 (seeds 0..N-1) or a list of distinct seeds, each an integer from 0 to 2147483647")]
    public void Bad_seeds_are_errors(string seeds, string message)
    {
        Assert.StartsWith(message, SingleError($"method: grid\n{seeds}\nparameters:\n  epochs: {{value: 10}}\n").Message);
    }

    [Fact]
    public void Seed_parameter_becomes_the_seed_list()
    {
        var sweep = Valid("method: grid\nparameters:\n  seed: {values: [5, 6]}\n  epochs: {values: [10, 20]}\n");
        Assert.Equal([5, 6], sweep.Seeds);
        Assert.DoesNotContain(sweep.Parameters, p => p.Name == "seed");
        Assert.Equal(4, SweepPlanner.Plan(sweep).Count);
        Assert.Equal([0, 1, 2], Valid("method: random\nrun_cap: 2\nparameters:\n  seed: {min: 0, max: 2}\n").Seeds);
    }

    [Fact]
    public void Seed_parameter_and_seeds_key_together_is_an_error()
    {
        var d = SingleError("method: grid\nseeds: 2\nparameters:\n  seed: {values: [5, 6]}\n");
        Assert.Equal((4, 3), (d.Line, d.Column));
        Assert.StartsWith("seeds are given twice", d.Message);
        Assert.StartsWith("seed: its values become the seed list",
            SingleError("method: random\nrun_cap: 2\nparameters:\n  seed: {distribution: uniform, min: 0.0, max: 3.0}\n").Message);
    }

    [Fact]
    public void Configurations_override_each_search_point_and_keep_labels()
    {
        var sweep = Valid("""
            method: grid
            parameters:
              epochs: {values: [10, 20]}
              learning_rate: {value: 0.5}
            configurations:
              - {name: fast, learning_rate: 0.9}
              - {optimizer: adam}
            """);
        var planned = SweepPlanner.Plan(sweep);
        Assert.Equal(
            [("fast", 10, 0.9, OptimizerKind.Sgd), ("fast", 20, 0.9, OptimizerKind.Sgd), (null, 10, 0.5, OptimizerKind.Adam), (null, 20, 0.5, OptimizerKind.Adam)],
            planned.Select(p => (p.Label, p.Config.Epochs, p.Config.LearningRate, p.Config.Optimizer)));
        Assert.Equal(["fast", null], sweep.Configurations.Select(c => c.Label));
    }

    [Fact]
    public void Unmentioned_parameters_take_trial_config_defaults()
    {
        var trial = Assert.Single(SweepPlanner.Plan(Valid("method: grid\nparameters:\n  epochs: {value: 42}\n")));
        Assert.Equal(new TrialConfig { Epochs = 42 }, trial.Config);
    }

    [Fact]
    public void Configuration_errors_are_reported_with_positions()
    {
        var errors = Errors("""
            configurations:
              - {name: a, lr: 0.1}
              - {name: a, epochs: {value: 10}}
              - {seed: 3}
              - plain
            """);
        Assert.Equal(
        [
            "test.yaml:2:15: unknown parameter 'lr'; did you mean 'learning_rate'?",
            "test.yaml:3:12: configuration name 'a' is used twice; names label configurations and must be unique",
            "test.yaml:3:23: configurations take plain values: write 'epochs: x', not a mapping (no value/values wrapper; a list of values belongs in 'parameters')",
            "test.yaml:4:6: seed cannot be set per configuration: every configuration is trained once per seed of the top-level 'seeds'",
            "test.yaml:5:5: each configuration must be a mapping of parameter: value, not a value",
        ], errors.Select(e => e.ToString().Split(" Parameters are:")[0]));
    }

    [Fact]
    public void Duplicate_trials_are_planned_once_with_a_warning()
    {
        var result = SweepFile.Parse("""
            method: grid
            parameters:
              epochs: {values: [10, 20]}
            configurations:
              - {epochs: 30}
            """, "d.yaml");
        Assert.True(result.IsValid);
        Assert.Equal("d.yaml:4:1: 1 of 2 trials repeat an earlier trial (same hyperparameters and seed) and are planned once", Assert.Single(result.Warnings).ToString());
        Assert.Equal(30, Assert.Single(SweepPlanner.Plan(result.Sweep!)).Config.Epochs);
    }

    [Fact]
    public void Notebook_file_plans_the_three_experiments_with_five_seeds()
    {
        var result = SweepFile.Load(Path.Combine(SweepsDirectory(), "notebook.yaml"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        var planned = SweepPlanner.Plan(result.Sweep!);
        Assert.Equal(15, planned.Count);

        var shared = new TrialConfig { NoiseLevel = 0.3, BatchSize = 64, HiddenUnits = 3, Loss = LossKind.Mse };
        var expected = new (string Label, TrialConfig Config)[]
        {
            ("sigmoid-sgd", shared with { Activation = Activation.Sigmoid, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Epochs = 200 }),
            ("relu-sgd", shared with { Activation = Activation.Relu, Optimizer = OptimizerKind.Sgd, LearningRate = 0.1, Epochs = 200 }),
            ("relu-adam-mixed", shared with { Activation = Activation.Relu, Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = 300 }),
        };
        var want = expected.SelectMany(e => Enumerable.Range(0, 5).Select(seed => (e.Label, e.Config, seed))).ToList();
        Assert.Equal(want, planned.Select(p => (p.Label!, p.Config, p.Seed)));
        Assert.Equal(0.0, planned[0].Config.Momentum);
        Assert.Equal(0.0, planned[0].Config.WeightDecay);
        Assert.Equal(15, planned.Select(p => p.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("notebook.yaml", 15)]
    [InlineData("grid.yaml", 96)]
    [InlineData("random.yaml", 80)]
    [InlineData("calibration-hunt.yaml", 240)]
    [InlineData("smoke.yaml", 4)]
    public void Sample_sweeps_validate_and_have_their_documented_trial_count(string file, int trials)
    {
        var result = SweepFile.Load(Path.Combine(SweepsDirectory(), file));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), result.Sweep!.Name);
        var plan = SweepPlanner.Plan(result.Sweep);
        Assert.Equal(trials, plan.Count);
        Assert.Equal(trials, plan.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Smoke_sweep_is_small_and_short()
    {
        var plan = SweepPlanner.Plan(SweepFile.Load(Path.Combine(SweepsDirectory(), "smoke.yaml")).Sweep!);
        Assert.InRange(plan.Count, 2, 4);
        Assert.All(plan, t => Assert.True(t.Config.Epochs <= 50));
    }

    [Fact]
    public void Random_plan_is_reproducible_across_parses()
    {
        string path = Path.Combine(SweepsDirectory(), "random.yaml");
        var a = SweepPlanner.Plan(SweepFile.Load(path).Sweep!);
        var b = SweepPlanner.Plan(SweepFile.Load(path).Sweep!);
        Assert.Equal(a.Select(t => t.Id), b.Select(t => t.Id));
        Assert.All(a, t => Assert.InRange(t.Config.Epochs, 100, 400));
    }
}

public sealed class SweepPlanTests
{
    [Fact]
    public void A_plan_travels_as_json_and_plans_the_same_trials_on_the_other_side()
    {
        // Grains receive the plan through Orleans' JSON codec for Domain types, with these options.
        var plan = SweepFile.Load(Path.Combine(SweepsDirectory(), "random.yaml")).Plan!;

        string json = System.Text.Json.JsonSerializer.Serialize(plan, TinyNet.Sweeps.Domain.Export.SweepJson.Options);
        var copy = System.Text.Json.JsonSerializer.Deserialize<SweepPlan>(json, TinyNet.Sweeps.Domain.Export.SweepJson.Options)!;

        Assert.Equal(plan.ListedTrials, copy.ListedTrials);
        Assert.Equal(plan.Total, copy.CreateSearch().Total);
    }

    [Fact]
    public void The_reader_plans_a_file_once_and_the_plan_keeps_its_trials()
    {
        var plan = SweepFile.Load(Path.Combine(SweepsDirectory(), "grid.yaml")).Plan!;

        Assert.Same(plan.ListedTrials, plan.ListedTrials);
        var search = plan.CreateSearch();
        Assert.Same(plan.ListedTrials, search.Ask());
        Assert.Empty(search.Ask()); // a list search gives everything at its first ask
    }
}
