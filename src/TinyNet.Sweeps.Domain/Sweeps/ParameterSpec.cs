using System.Globalization;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>W&amp;B's distribution names; <see cref="DistributionNames"/> maps them to the YAML spelling.</summary>
public enum Distribution
{
    Constant, Categorical, CategoricalWithProbabilities,
    IntUniform, Uniform, QUniform,
    LogUniformValues, QLogUniformValues, InvLogUniformValues,
    Normal, QNormal, LogNormal, QLogNormal, Beta, QBeta,
    // Deprecated by W&B: min/max are natural-log exponents.
    LogUniform, QLogUniform, InvLogUniform,
}

public static class DistributionNames
{
    private static readonly Dictionary<Distribution, string> Names = new()
    {
        [Distribution.Constant] = "constant",
        [Distribution.Categorical] = "categorical",
        [Distribution.CategoricalWithProbabilities] = "categorical_w_probabilities",
        [Distribution.IntUniform] = "int_uniform",
        [Distribution.Uniform] = "uniform",
        [Distribution.QUniform] = "q_uniform",
        [Distribution.LogUniformValues] = "log_uniform_values",
        [Distribution.QLogUniformValues] = "q_log_uniform_values",
        [Distribution.InvLogUniformValues] = "inv_log_uniform_values",
        [Distribution.Normal] = "normal",
        [Distribution.QNormal] = "q_normal",
        [Distribution.LogNormal] = "log_normal",
        [Distribution.QLogNormal] = "q_log_normal",
        [Distribution.Beta] = "beta",
        [Distribution.QBeta] = "q_beta",
        [Distribution.LogUniform] = "log_uniform",
        [Distribution.QLogUniform] = "q_log_uniform",
        [Distribution.InvLogUniform] = "inv_log_uniform",
    };

    private static readonly Dictionary<string, Distribution> ByName = Names.ToDictionary(p => p.Value, p => p.Key);

    public static IReadOnlyList<string> All { get; } = [.. Names.Values];

    public static string Of(Distribution d) => Names[d];

    public static bool TryParse(string name, out Distribution d) => ByName.TryGetValue(name, out d);

    public static bool IsQuantized(Distribution d) => d is Distribution.QUniform or Distribution.QLogUniformValues
        or Distribution.QNormal or Distribution.QLogNormal or Distribution.QBeta or Distribution.QLogUniform;

    public static bool IsDeprecated(Distribution d) => d is Distribution.LogUniform or Distribution.QLogUniform or Distribution.InvLogUniform;

    /// <summary>Distributions grid search can enumerate (W&amp;B's rule).</summary>
    public static bool IsGridable(Distribution d) => d is Distribution.Constant or Distribution.Categorical
        or Distribution.IntUniform or Distribution.QUniform;
}

/// <summary>
/// A typed value of a parameter: a number (ints are integral doubles, so 1 and 1.0 are equal) or a
/// lower-case choice such as <c>relu</c>.
/// </summary>
public readonly record struct ParamValue(double? Number, string? Choice)
{
    public static ParamValue Of(double number) => new(number, null);

    public static ParamValue Of(string choice) => new(null, choice);

    public override string ToString() =>
        Choice ?? Number!.Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// One entry of <c>parameters</c> after inference and defaults. <see cref="Values"/> holds the value of
/// <c>constant</c> and the values of the categorical forms; the numeric fields hold the filled bounds.
/// </summary>
public sealed record ParameterSpec(
    string Name,
    Distribution Distribution,
    IReadOnlyList<ParamValue> Values,
    IReadOnlyList<double>? Probabilities = null,
    double Min = 0,
    double Max = 0,
    double Mu = 0,
    double Sigma = 1,
    double Q = 1.0,
    double A = 1,
    double B = 1)
{
    public bool IsConstant => Distribution == Distribution.Constant;
}
