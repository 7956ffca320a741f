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

        if (name == ParameterCatalog.Seed)
        {
            if (spec.Distribution is Distribution.Constant or Distribution.Categorical or Distribution.IntUniform)
                return CheckGridValues(parameter, spec, keyNode, diagnostics);
            return Fail(distNode, $"seed: its values become the seed list, so it takes 'value', 'values' or int_uniform 'min'/'max', not {dist}");
        }
        if (parameter.Type == ParamType.Choice && !categorical)
            return Fail(distNode, $"{name} is one of {string.Join(", ", parameter.Choices)}: use 'value' or 'values', not distribution {dist}");
        if (parameter.Type == ParamType.Int && !categorical && spec.Distribution != Distribution.IntUniform)
        {
            if (!DistributionNames.IsQuantized(spec.Distribution))
                return Fail(distNode, $"{name} needs whole numbers but {dist} draws fractions; use int_uniform, q_uniform or q_log_uniform_values with a whole q");
            if (spec.Q != Math.Floor(spec.Q))
                return Fail(distNode, $"{name} needs whole numbers: q must be a whole number, not {ValueTyping.Format(spec.Q)}");
        }

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
        string range = $"{(loOpen ? "(" : "[")}{ValueTyping.Format(lo)}, {ValueTyping.Format(hi)}{(hiOpen ? ")" : "]")}";
        string hint = double.IsNegativeInfinity(lo) && parameter.Bounds.Min >= 0 && double.IsPositiveInfinity(parameter.Bounds.Max)
            ? "; for a positive parameter use log_normal or log_uniform_values"
            : "";
        return Fail(distNode, $"{name}: {dist} can produce values in {range}, but {name} must be {parameter.Bounds.Describe()} ({parameter.Why}){hint}");

        bool Fail(YamlNode node, string message)
        {
            diagnostics.Error(node, message);
            return false;
        }
    }

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
