using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Checks a parsed parameter against its type and against the values that can train, for every value
/// the search can produce: the grid's enumerated values, or the whole support of a random distribution.
/// </summary>
internal static class SupportChecks
{
    /// <summary>Grid and int_uniform/q_uniform expansions larger than this are refused as mistakes.</summary>
    public const int MaxGridValues = 10_000;

    public static bool Check(KnownParameter parameter, ParameterSpec spec, YamlNode keyNode, YamlNode distNode, SweepMethod? method, Diagnostics diagnostics)
    {
        string name = parameter.Name;
        string dist = DistributionNames.Of(spec.Distribution);
        bool categorical = spec.Distribution is Distribution.Constant or Distribution.Categorical or Distribution.CategoricalWithProbabilities;

        if (DistributionRefusal(parameter, spec.Distribution) is { } refusal)
            return Fail(distNode, refusal);
        if (name == ParameterCatalog.Seed)
            return CheckGridValues(parameter, spec, keyNode, diagnostics);
        if (NeedsWholeQ(parameter, spec.Distribution) && spec.Q != Math.Floor(spec.Q))
            return Fail(distNode, $"{name} needs whole numbers: q must be a whole number, not {ValueTyping.Format(spec.Q)}");

        if (method == SweepMethod.Grid)
        {
            if (!DistributionNames.IsGridable(spec.Distribution))
                return Fail(distNode, $"{name}: grid search cannot enumerate {dist}" +
                    (spec.Distribution == Distribution.CategoricalWithProbabilities ? " (probabilities only make sense for random search)" : "") +
                    "; grid takes 'value', 'values', int_uniform or q_uniform, or use method: random");
            return categorical || CheckGridValues(parameter, spec, keyNode, diagnostics);
        }
        if (categorical)
            return true; // each value was checked when read

        var (lo, loOpen, hi, hiOpen) = Support(spec);
        if (parameter.Bounds.ContainsRange(lo, loOpen, hi, hiOpen))
            return true;
        if (HasUnboundedTail(spec.Distribution))
            return CheckTails(parameter, spec, distNode, diagnostics);
        string range = $"{(loOpen ? "(" : "[")}{ValueTyping.Format(lo)}, {ValueTyping.Format(hi)}{(hiOpen ? ")" : "]")}";
        return Fail(distNode, $"{name}: {dist} can produce values in {range}, but {name} must be {parameter.Bounds.Describe()} ({parameter.Why})");

        bool Fail(YamlNode node, string message)
        {
            diagnostics.Error(node, message);
            return false;
        }
    }

    /// <summary>Why a parameter can never take a distribution, whatever its bounds and method; null when it can.</summary>
    public static string? DistributionRefusal(KnownParameter parameter, Distribution distribution)
    {
        string name = parameter.Name, dist = DistributionNames.Of(distribution);
        bool categorical = distribution is Distribution.Constant or Distribution.Categorical or Distribution.CategoricalWithProbabilities;
        if (name == ParameterCatalog.Seed)
            return distribution is Distribution.Constant or Distribution.Categorical or Distribution.IntUniform
                ? null
                : $"seed: its values become the seed list, so it takes 'value', 'values' or int_uniform 'min'/'max', not {dist}";
        if (parameter.Type == ParamType.Choice && !categorical)
            return $"{name} is one of {string.Join(", ", parameter.Choices)}: use 'value' or 'values', not distribution {dist}";
        if (parameter.Type == ParamType.Int && !categorical && distribution != Distribution.IntUniform && !DistributionNames.IsQuantized(distribution))
            return $"{name} needs whole numbers but {dist} draws fractions; use int_uniform, q_uniform or q_log_uniform_values with a whole q";
        return null;
    }

    /// <summary>An integer parameter drawn from a quantized distribution: only a whole q keeps its draws whole.</summary>
    public static bool NeedsWholeQ(KnownParameter parameter, Distribution distribution) =>
        parameter.Type == ParamType.Int && DistributionNames.IsQuantized(distribution);

    /// <summary>
    /// A normal-family distribution always has some mass outside finite bounds. It is accepted when that
    /// mass is below this: the random search draws such a value again, and a one-in-a-million redraw
    /// leaves the distribution the user asked for practically unchanged.
    /// </summary>
    public const double MaxMassOutside = 1e-6;

    private static bool HasUnboundedTail(Distribution d) =>
        d is Distribution.Normal or Distribution.QNormal or Distribution.LogNormal or Distribution.QLogNormal;

    private static bool CheckTails(KnownParameter parameter, ParameterSpec spec, YamlNode distNode, Diagnostics diagnostics)
    {
        var bounds = parameter.Bounds;
        var (below, above) = MassOutside(spec, bounds);
        if (below + above < MaxMassOutside)
            return true;

        bool low = below >= MaxMassOutside / 2, high = above >= MaxMassOutside / 2 || !low;
        var sides = new List<string>();
        if (low)
            sides.Add($"{(bounds.MinInclusive ? "below" : "at or below")} {ValueTyping.Format(bounds.Min)} with probability {Probability(below)}");
        if (high)
            sides.Add($"{(bounds.MaxInclusive ? "above" : "at or above")} {ValueTyping.Format(bounds.Max)} with probability {Probability(above)}");
        string shape = $"{DistributionNames.Of(spec.Distribution)}(mu {ValueTyping.Format(spec.Mu)}, sigma {ValueTyping.Format(spec.Sigma)}" +
            (DistributionNames.IsQuantized(spec.Distribution) ? $", q {ValueTyping.Format(spec.Q)})" : ")");
        string adjust = low && high ? "lower sigma" : low ? "raise mu or lower sigma" : "lower mu or sigma";
        string instead = parameter.Type == ParamType.Int ? "int_uniform or q_log_uniform_values"
            : low && high ? "uniform"
            : low && spec.Distribution is Distribution.Normal or Distribution.QNormal ? "log_normal or log_uniform_values"
            : "log_uniform_values";
        diagnostics.Error(distNode, $"{parameter.Name}: {shape} draws values {string.Join(" and ", sides)}; " +
            $"{parameter.Name} must be {bounds.Describe()} ({parameter.Why}); {adjust}, or use {instead}");
        return false;
    }

    /// <summary>
    /// The probability that a normal-family draw (after rounding to q, for the q_ forms) falls below
    /// and above <paramref name="bounds"/>.
    /// </summary>
    private static (double Below, double Above) MassOutside(ParameterSpec spec, ParamBounds bounds)
    {
        if (spec.Sigma == 0) // every draw is the same value
        {
            double v = RandomSearch.Sample(spec, 0.5).Number!.Value;
            return bounds.Contains(v) ? (0, 0) : v <= bounds.Min ? (1, 0) : (0, 1);
        }
        double lowCut = bounds.Min, highCut = bounds.Max; // a draw below lowCut or above highCut is outside
        if (DistributionNames.IsQuantized(spec.Distribution) && QuantizedCuts(bounds, spec.Q) is { } cuts)
        {
            if (cuts.Low > cuts.High) // no multiple of q inside the bounds: every draw is outside
                return (Below(spec, bounds.Min), Above(spec, bounds.Min));
            (lowCut, highCut) = cuts;
        }
        return (Below(spec, lowCut), Above(spec, highCut));
    }

    /// <summary>
    /// round(x / q) * q lands inside the bounds exactly when x lies between half a step below the first
    /// multiple of q inside them and half a step above the last; null when q is too small to matter.
    /// </summary>
    private static (double Low, double High)? QuantizedCuts(ParamBounds bounds, double q)
    {
        double first = Math.Ceiling(bounds.Min / q) - 1, last = Math.Floor(bounds.Max / q) + 1;
        if (!(Math.Abs(first) < 1e15 && Math.Abs(last) < 1e15))
            return null;
        // Try the neighbours too: k * q rounds in floating point, and an open end excludes its own multiple.
        for (int i = 0; i < 3 && !bounds.Contains(first * q); i++) first++;
        for (int i = 0; i < 3 && !bounds.Contains(last * q); i++) last--;
        if (!bounds.Contains(first * q) || !bounds.Contains(last * q))
            return (1, 0);
        return ((first - 0.5) * q, (last + 0.5) * q);
    }

    /// <summary>P(X &lt; x) for the normal or log-normal behind the distribution.</summary>
    private static double Below(ParameterSpec spec, double x)
    {
        if (IsLog(spec.Distribution))
        {
            if (x <= 0) return 0;
            x = Math.Log(x);
        }
        return NormalTail((spec.Mu - x) / spec.Sigma);
    }

    /// <summary>P(X &gt; x) for the normal or log-normal behind the distribution.</summary>
    private static double Above(ParameterSpec spec, double x)
    {
        if (IsLog(spec.Distribution))
        {
            if (x <= 0) return 1;
            x = Math.Log(x);
        }
        return NormalTail((x - spec.Mu) / spec.Sigma);
    }

    private static bool IsLog(Distribution d) => d is Distribution.LogNormal or Distribution.QLogNormal;

    /// <summary>P(Z &gt; z) for a standard normal Z, accurate far into the tail (1 − Φ(z) would round to 0).</summary>
    private static double NormalTail(double z) =>
        double.IsNaN(z) ? 1 : 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2));

    /// <summary>Two significant digits: 0.38, 0.011, 2.9e-7.</summary>
    private static string Probability(double p) =>
        p.ToString(p < 1e-3 ? "0.#e-0" : "G2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The values a random draw can take; an open end is only approached.</summary>
    public static (double Lo, bool LoOpen, double Hi, bool HiOpen) Support(ParameterSpec s)
    {
        double Q(double x) => RandomSearch.Quantize(x, s.Q);
        return s.Distribution switch
        {
            Distribution.QUniform or Distribution.QLogUniformValues => (Q(s.Min), false, Q(s.Max), false),
            Distribution.LogUniform => (Math.Exp(s.Min), false, Math.Exp(s.Max), false),
            Distribution.QLogUniform => (Q(Math.Exp(s.Min)), false, Q(Math.Exp(s.Max)), false),
            Distribution.InvLogUniform => (Math.Exp(-s.Max), false, Math.Exp(-s.Min), false),
            Distribution.Normal or Distribution.QNormal => (double.NegativeInfinity, true, double.PositiveInfinity, true),
            Distribution.LogNormal => (0, true, double.PositiveInfinity, true),
            Distribution.QLogNormal => (0, false, double.PositiveInfinity, true),
            Distribution.Beta => (0, true, 1, true),
            Distribution.QBeta => (0, false, Q(1), false),
            _ => (s.Min, false, s.Max, false), // int_uniform, uniform, log_uniform_values, inv_log_uniform_values
        };
    }

    private static bool CheckGridValues(KnownParameter parameter, ParameterSpec spec, YamlNode at, Diagnostics diagnostics)
    {
        if (spec.Distribution is Distribution.Constant or Distribution.Categorical)
            return true;
        double count = spec.Distribution == Distribution.IntUniform ? spec.Max - spec.Min + 1 : Math.Ceiling((spec.Max - spec.Min) / spec.Q);
        // The ends first: "seed: int_uniform 0..1e20" is out of range before it is too long.
        double last = spec.Distribution == Distribution.IntUniform ? spec.Max : spec.Min + (count - 1) * spec.Q;
        foreach (double end in double.IsFinite(last) ? [spec.Min, last] : new[] { spec.Min })
        {
            if (!parameter.Bounds.Contains(end))
            {
                diagnostics.Error(at, $"{parameter.Name}: {DistributionNames.Of(spec.Distribution)} gives the grid value {ValueTyping.Format(end)}, which cannot train: {parameter.Name} must be {parameter.Bounds.Describe()} ({parameter.Why})");
                return false;
            }
        }
        if (count > MaxGridValues)
        {
            diagnostics.Error(at, $"{parameter.Name}: {DistributionNames.Of(spec.Distribution)} from {ValueTyping.Format(spec.Min)} to {ValueTyping.Format(spec.Max)} gives {count} grid values, more than {MaxGridValues}; use fewer values or method: random");
            return false;
        }
        foreach (var value in GridSearch.Values(spec))
        {
            double v = value.Number!.Value;
            string problem = parameter.Type == ParamType.Int && v != Math.Floor(v) ? "an integer"
                : !parameter.Bounds.Contains(v) ? parameter.Bounds.Describe() + $" ({parameter.Why})"
                : "";
            if (problem.Length > 0)
            {
                diagnostics.Error(at, $"{parameter.Name}: {DistributionNames.Of(spec.Distribution)} gives the grid value {ValueTyping.Format(v)}, which cannot train: {parameter.Name} must be {problem}");
                return false;
            }
        }
        return true;
    }
}
