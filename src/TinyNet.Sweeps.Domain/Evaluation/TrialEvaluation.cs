using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Evaluation;

/// <summary>
/// Model outputs (H, V) for a set of examples, row-major: <c>[h0, v0, h1, v1, ...]</c>, in a part of an array (the
/// metrics run over thousands of outputs for every trial, so they read a span, not a list through an interface).
/// </summary>
public readonly struct OutputPairs
{
    private readonly float[] _array;
    private readonly int _start, _length;

    public OutputPairs(float[] values) : this(values, 0, values.Length) { }

    public OutputPairs(float[] array, int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, array.Length - start);
        (_array, _start, _length) = (array, start, length);
    }

    public ReadOnlySpan<float> Values => _array.AsSpan(_start, _length);
    public int Count => _length / 2;
    public double H(int i) => Values[2 * i];
    public double V(int i) => Values[2 * i + 1];
}

/// <summary>Pure metric definitions; the trainer only supplies outputs.</summary>
public static class TrialEvaluation
{
    /// <summary>Pairs the stress outputs (in <see cref="StressCases.All"/> order) with the case names.</summary>
    public static IReadOnlyList<StressCaseResult> StressResults(OutputPairs stressOutputs)
    {
        RequireStressCount(stressOutputs);
        var cases = StressCases.All;
        var results = new StressCaseResult[cases.Count];
        for (int i = 0; i < cases.Count; i++)
            results[i] = new StressCaseResult(cases[i].Name, cases[i].Expected, stressOutputs.H(i), stressOutputs.V(i));
        return results;
    }

    /// <summary>Mean over the 7 cases and both outputs of |output − target| (targets (1,0), (0,1), (0.5,0.5)).</summary>
    public static double CalibrationError(OutputPairs stress)
    {
        RequireStressCount(stress);
        double sum = 0;
        for (int i = 0; i < StressCases.All.Count; i++)
        {
            var c = StressCases.All[i];
            sum += Math.Abs(stress.H(i) - c.TargetH) + Math.Abs(stress.V(i) - c.TargetV);
        }
        return sum / (2.0 * StressCases.All.Count);
    }

    /// <summary>Mean output of the correct class over the 4 clear cases.</summary>
    public static double ClearConfidence(OutputPairs stress)
    {
        RequireStressCount(stress);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < StressCases.All.Count; i++)
        {
            var c = StressCases.All[i];
            if (!c.IsClear) continue;
            sum += c.Expected == StressCases.HighH ? stress.H(i) : stress.V(i);
            n++;
        }
        return sum / n;
    }

    /// <summary>Mean of max(H, V) over the 3 ambiguous cases (0.5 would be ideal).</summary>
    public static double AmbiguousConfidence(OutputPairs stress)
    {
        RequireStressCount(stress);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < StressCases.All.Count; i++)
        {
            if (StressCases.All[i].IsClear) continue;
            sum += Math.Max(stress.H(i), stress.V(i));
            n++;
        }
        return sum / n;
    }

    /// <summary>
    /// The trial's loss on held-out data, as PyTorch defines it: <c>nn.MSELoss()</c> (mean over examples and
    /// both outputs of (p − y)²) or <c>nn.BCELoss()</c> (mean of −[y·log p + (1−y)·log(1−p)], each log clamped
    /// at −100 as PyTorch does). Computed in double from the float32 outputs.
    /// </summary>
    public static double EvalLoss(LossKind loss, OutputPairs outputs, OutputPairs targets)
    {
        RequireSameCount(outputs, targets);
        ReadOnlySpan<float> ps = outputs.Values, ys = targets.Values;
        double sum = 0;
        for (int k = 0; k < ps.Length; k++)
        {
            double p = ps[k], y = ys[k];
            sum += loss switch
            {
                LossKind.Mse => (p - y) * (p - y),
                LossKind.Bce => -(y * Math.Max(Math.Log(p), -100) + (1 - y) * Math.Max(Math.Log(1 - p), -100)),
                _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
            };
        }
        return sum / ps.Length;
    }

    /// <summary>Fraction of examples where argmax(H, V) is the target's class (a tie counts as H, like torch.argmax).</summary>
    public static double Accuracy(OutputPairs outputs, OutputPairs targets)
    {
        RequireSameCount(outputs, targets);
        ReadOnlySpan<float> o = outputs.Values, t = targets.Values;
        int correct = 0;
        for (int i = 0; i < o.Length; i += 2)
        {
            bool predictsH = o[i] >= o[i + 1];
            bool isH = t[i] >= t[i + 1];
            if (predictsH == isH) correct++;
        }
        return (double)correct / outputs.Count;
    }

    /// <summary>
    /// Multi-class Brier score: mean over examples of Σ over the two outputs of (p − y)². It ranges from 0
    /// (perfect) to 2 (confidently wrong); always answering (0.5, 0.5) scores 0.5. Equals 2 × the MSE loss.
    /// </summary>
    public static double Brier(OutputPairs outputs, OutputPairs targets)
    {
        RequireSameCount(outputs, targets);
        ReadOnlySpan<float> o = outputs.Values, t = targets.Values;
        double sum = 0;
        for (int i = 0; i < o.Length; i += 2)
        {
            double dh = (double)o[i] - t[i], dv = (double)o[i + 1] - t[i + 1];
            sum += dh * dh + dv * dv;
        }
        return sum / outputs.Count;
    }

    /// <summary>All metrics of a completed trial; <paramref name="finalLoss"/> is the last epoch's training loss.</summary>
    public static TrialMetrics Compute(LossKind loss, double finalLoss, OutputPairs evalOutputs, OutputPairs evalTargets, OutputPairs stressOutputs) =>
        new(finalLoss,
            EvalLoss(loss, evalOutputs, evalTargets),
            Accuracy(evalOutputs, evalTargets),
            Brier(evalOutputs, evalTargets),
            CalibrationError(stressOutputs),
            ClearConfidence(stressOutputs),
            AmbiguousConfidence(stressOutputs));

    static void RequireStressCount(OutputPairs stress)
    {
        if (stress.Values.Length != 2 * StressCases.All.Count)
            throw new ArgumentException($"Expected {2 * StressCases.All.Count} stress outputs, got {stress.Values.Length}.", nameof(stress));
    }

    static void RequireSameCount(OutputPairs outputs, OutputPairs targets)
    {
        if (outputs.Values.Length != targets.Values.Length || outputs.Values.Length == 0 || outputs.Values.Length % 2 != 0)
            throw new ArgumentException($"Outputs ({outputs.Values.Length}) and targets ({targets.Values.Length}) must be equal, non-empty pairs.");
    }
}
