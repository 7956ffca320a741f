using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Export;

/// <summary>A record stands for a planned trial only when it is what training that trial produces.</summary>
public sealed class ResumeCheckTests
{
    private static readonly TrialConfig Config = new() { Epochs = 3, HiddenUnits = 2 };
    private static readonly TrialSpec Planned = TrialIdentity.Create(Config, seed: 4, index: 9);

    private static TrialResult Completed(TrialSpec trial) => new(trial, new TrainingOutcome(
        TrialStatus.Completed, [0.3, 0.25, 0.2],
        new TrialMetrics(0.2, 0.21, 0.9, 0.3, 0.25, 0.8, 0.6),
        [.. StressCases.All.Select(c => new StressCaseResult(c.Name, c.Expected, 0.5, 0.5))],
        new NetworkWeights([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]], [0.1, 0.2], [[0.1, 0.2], [0.3, 0.4]], [0.1, 0.2])), "silo-1", 10, 1);

    private static ResumeCheck.Selection Select(TrialResult recorded, string engine = TrainingEngine.Current) =>
        ResumeCheck.Select(new TrialLogContents([new TrialLogEntry("out/trials.jsonl", 7, recorded, engine)], []), [Planned]);

    [Fact]
    public void A_faithful_record_is_reused()
    {
        var selection = Select(Completed(Planned with { Index = 0 }));

        Assert.Empty(selection.Warnings);
        Assert.Equal(Planned.Id, Assert.Single(selection.Reusable).Trial.Id);
    }

    [Fact]
    public void Without_a_plan_an_edited_configuration_is_caught_by_its_id()
    {
        var edited = Completed(Planned);
        edited = edited with { Trial = edited.Trial with { Config = Config with { LearningRate = 0.5 } } };

        var selection = ResumeCheck.Select(new TrialLogContents([new TrialLogEntry("out/trials.jsonl", 7, edited, TrainingEngine.Current)], []));

        Assert.Empty(selection.Reusable);
        Assert.Contains($"has config_key {Planned.ConfigKey}, which is not its configuration's", Assert.Single(selection.Warnings));
    }

    public static TheoryData<string, Func<TrialResult, TrialResult>> Tampered => new()
    {
        { "learning_rate 0.5 in the file, 0.1 planned", r => r with { Trial = r.Trial with { Config = Config with { LearningRate = 0.5 } } } },
        { "has seed 5 where the sweep plans 4", r => r with { Trial = r.Trial with { Seed = 5 } } },
        { "config_key", r => r with { Trial = r.Trial with { ConfigKey = "0000000000" } } },
        { "calibration_error -123, which training cannot produce", r => r with { Outcome = r.Outcome with { Metrics = r.Outcome.Metrics! with { CalibrationError = -123 } } } },
        { "eval_accuracy NaN", r => r with { Outcome = r.Outcome with { Metrics = r.Outcome.Metrics! with { EvalAccuracy = double.NaN } } } },
        { "2 finite losses in loss_history for 3 epochs", r => r with { Outcome = r.Outcome with { LossHistory = [0.3, 0.2] } } },
        { "final_loss that is not the last", r => r with { Outcome = r.Outcome with { LossHistory = [0.3, 0.25, 0.1] } } },
        { "stress results", r => r with { Outcome = r.Outcome with { Stress = [] } } },
        { "final weights for 2 hidden units", r => r with { Outcome = r.Outcome with { Weights = null } } },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public void A_record_that_does_not_match_its_plan_is_trained_again_with_a_warning_naming_its_line(string says, Func<TrialResult, TrialResult> tamper)
    {
        var selection = Select(tamper(Completed(Planned)));

        Assert.Empty(selection.Reusable);
        string warning = Assert.Single(selection.Warnings);
        Assert.StartsWith($"out/trials.jsonl:7: trial {Planned.Id} ", warning);
        Assert.Contains(says, warning);
        Assert.EndsWith("it will be trained again", warning);
    }

    [Fact]
    public void A_record_of_another_engine_is_trained_again()
    {
        var selection = Select(Completed(Planned), engine: "torch-0");

        Assert.Empty(selection.Reusable);
        Assert.Contains($"was trained by engine torch-0, and this is {TrainingEngine.Current}", Assert.Single(selection.Warnings));
    }

    [Fact]
    public void Failed_records_are_tried_again_silently_and_faithful_records_of_other_trials_are_passed_on_for_the_search_to_ask_for()
    {
        var failed = new TrialResult(Planned, new TrainingOutcome(TrialStatus.Failed, [], Error: "boom"), "silo-1", 5, 3);
        var other = Completed(TrialIdentity.Create(Config with { LearningRate = 0.3 }, 4, 0));
        var contents = new TrialLogContents([new("f", 1, failed, TrainingEngine.Current), new("f", 2, other, TrainingEngine.Current)], ["f:3: unreadable"]);

        var selection = ResumeCheck.Select(contents, [Planned]);

        Assert.Equal([other], selection.Reusable);
        Assert.Equal(["f:3: unreadable"], selection.Warnings);
    }

    [Fact]
    public void A_diverged_record_is_reused_as_it_is()
    {
        var diverged = new TrialResult(Planned, new TrainingOutcome(TrialStatus.Diverged, [0.3, double.NaN], Error: "loss became NaN"), "silo-1", 5, 1);

        Assert.Single(Select(diverged).Reusable);
    }
}
