using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Evaluation;

public class TrialEvaluationTests
{
    // Hand-built stress outputs (H, V) in the notebook's order.
    static readonly OutputPairs Stress = new([
        0.9f, 0.1f,   // Perfect Horizontal: |0.9-1| + |0.1-0| = 0.2, correct 0.9
        0.2f, 0.6f,   // Perfect Vertical:   0.2 + 0.4 = 0.6,        correct 0.6
        0.7f, 0.3f,   // Fuzzy Horizontal:   0.3 + 0.3 = 0.6,        correct 0.7
        0.5f, 0.5f,   // Fuzzy Vertical:     0.5 + 0.5 = 1.0,        correct 0.5
        0.5f, 0.5f,   // Diagonal /:         0,                      max 0.5
        0.8f, 0.4f,   // Diagonal \:         0.3 + 0.1 = 0.4,        max 0.8
        0.25f, 0.75f, // Solid Gray Block:   0.25 + 0.25 = 0.5,      max 0.75
    ]);

    [Fact]
    public void Stress_cases_are_the_notebooks_seven_in_order()
    {
        Assert.Equal(
            ["Perfect Horizontal", "Perfect Vertical", "Fuzzy Horizontal", "Fuzzy Vertical", "Diagonal /", "Diagonal \\", "Solid Gray Block"],
            StressCases.All.Select(c => c.Name));
        Assert.Equal(["High H", "High V", "High H", "High V", "Uncertain", "Uncertain", "Uncertain"], StressCases.All.Select(c => c.Expected));
        Assert.Equal([0.91f, 0.05f, 0.89f, 0.11f], StressCases.All[3].Pixels);
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.5f], StressCases.All[6].Pixels);
        Assert.Equal((0.5, 0.5), (StressCases.All[4].TargetH, StressCases.All[4].TargetV));
        Assert.Equal((0.0, 1.0), (StressCases.All[1].TargetH, StressCases.All[1].TargetV));
    }

    [Fact]
    public void Calibration_error_is_mean_absolute_error_against_targets()
    {
        double expected = (0.2 + 0.6 + 0.6 + 1.0 + 0 + 0.4 + 0.5) / 14;
        Assert.Equal(expected, TrialEvaluation.CalibrationError(Stress), 6);
    }

    [Fact]
    public void Clear_confidence_averages_the_correct_class_over_the_four_clear_cases()
    {
        Assert.Equal((0.9 + 0.6 + 0.7 + 0.5) / 4, TrialEvaluation.ClearConfidence(Stress), 6);
    }

    [Fact]
    public void Ambiguous_confidence_averages_the_larger_output_over_the_three_ambiguous_cases()
    {
        Assert.Equal((0.5 + 0.8 + 0.75) / 3, TrialEvaluation.AmbiguousConfidence(Stress), 6);
    }

    [Fact]
    public void Stress_results_carry_names_expectations_and_outputs()
    {
        var results = TrialEvaluation.StressResults(Stress);
        Assert.Equal(7, results.Count);
        Assert.Equal(new StressCaseResult("Diagonal \\", "Uncertain", 0.8f, 0.4f), results[5]);
    }

    [Fact]
    public void Wrong_number_of_stress_outputs_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => TrialEvaluation.CalibrationError(new OutputPairs([0.5f, 0.5f])));
    }

    static readonly OutputPairs Outputs = new([0.8f, 0.2f, 0.4f, 0.6f, 0.6f, 0.5f, 0.5f, 0.5f]);
    static readonly OutputPairs Targets = new([1f, 0f, 0f, 1f, 0f, 1f, 0f, 1f]);

    [Fact]
    public void Mse_eval_loss_is_the_mean_over_examples_and_outputs()
    {
        // Squared errors: .04 .04 | .16 .16 | .36 .25 | .25 .25
        Assert.Equal((0.04 + 0.04 + 0.16 + 0.16 + 0.36 + 0.25 + 0.25 + 0.25) / 8, TrialEvaluation.EvalLoss(LossKind.Mse, Outputs, Targets), 6);
    }

    [Fact]
    public void Bce_eval_loss_matches_pytorch_including_its_log_clamp()
    {
        double expected = -(Math.Log(0.8) + Math.Log(0.8) + Math.Log(0.6) + Math.Log(0.6) + Math.Log(0.4) + Math.Log(0.5) + Math.Log(0.5) + Math.Log(0.5)) / 8;
        Assert.Equal(expected, TrialEvaluation.EvalLoss(LossKind.Bce, Outputs, Targets), 6);

        // p = 0 for a positive target: PyTorch clamps log(0) to -100 instead of returning infinity.
        var saturated = TrialEvaluation.EvalLoss(LossKind.Bce, new OutputPairs([0f, 0f]), new OutputPairs([1f, 0f]));
        Assert.Equal(50, saturated, 6);
    }

    [Fact]
    public void Accuracy_counts_argmax_matches()
    {
        // Example 3 (0.6, 0.5) wrongly says H; example 4 ties, which counts as H (torch.argmax picks the first): wrong.
        Assert.Equal(0.5, TrialEvaluation.Accuracy(Outputs, Targets));
    }

    [Fact]
    public void Brier_sums_squared_errors_over_both_outputs_and_averages_over_examples()
    {
        Assert.Equal((0.08 + 0.32 + 0.61 + 0.5) / 4, TrialEvaluation.Brier(Outputs, Targets), 6);
        Assert.Equal(0.5, TrialEvaluation.Brier(new OutputPairs([0.5f, 0.5f]), new OutputPairs([1f, 0f])), 9);
    }

    [Fact]
    public void Compute_assembles_every_metric()
    {
        var m = TrialEvaluation.Compute(LossKind.Mse, 0.123, Outputs, Targets, Stress);
        Assert.Equal(0.123, m.FinalLoss);
        Assert.Equal(TrialEvaluation.Brier(Outputs, Targets), m.Brier);
        Assert.Equal(TrialEvaluation.AmbiguousConfidence(Stress), m.AmbiguousConfidence);
        Assert.Equal(0.5, m.EvalAccuracy);
    }
}
