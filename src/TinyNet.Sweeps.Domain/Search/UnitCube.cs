using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// W&amp;B's map between a sweep's searchable parameters and the unit cube [0, 1]^d the bayes search works in.
/// A value goes to its distribution's CDF (a categorical value of n to (index + 1) / n); a coordinate comes
/// back through the inverse CDF, the random search's <see cref="RandomSearch.Sample"/>, which rounds the int
/// and q_ distributions as W&amp;B does. Constants are no axis of the cube; the axes go in parameter-name
/// order, as W&amp;B sorts them.
/// </summary>
public sealed class UnitCube
{
    private readonly IReadOnlyList<ParameterSpec> constants;

    public UnitCube(IEnumerable<ParameterSpec> parameters)
    {
        var all = parameters.ToList();
        Axes = [.. all.Where(p => !p.IsConstant).OrderBy(p => p.Name, StringComparer.Ordinal)];
        constants = [.. all.Where(p => p.IsConstant)];
        if (Axes.Count == 0)
            throw new ArgumentException("Need at least one searchable parameter for bayes search.", nameof(parameters));
    }

    /// <summary>The searchable parameters, one per dimension.</summary>
    public IReadOnlyList<ParameterSpec> Axes { get; }

    public int Dimensions => Axes.Count;

    /// <summary>The point of a trial's values (constants ignored).</summary>
    public double[] ToCube(IReadOnlyDictionary<string, ParamValue> values) =>
        [.. Axes.Select(axis => values.TryGetValue(axis.Name, out var value)
            ? ToUnit(axis, value)
            : throw new ArgumentException($"Parameter '{axis.Name}' has no value", nameof(values)))];

    /// <summary>The values of a point, constants included.</summary>
    public IReadOnlyDictionary<string, ParamValue> FromCube(IReadOnlyList<double> point)
    {
        if (point.Count != Dimensions)
            throw new ArgumentException($"A point of this cube has {Dimensions} coordinates, not {point.Count}", nameof(point));
        var values = new Dictionary<string, ParamValue>();
        for (int i = 0; i < Dimensions; i++)
            values[Axes[i].Name] = FromUnit(Axes[i], point[i]);
        foreach (var constant in constants)
            values[constant.Name] = constant.Values[0];
        return values;
    }

    /// <summary>W&amp;B's CDF of a parameter at a value, in [0, 1].</summary>
    public static double ToUnit(ParameterSpec spec, ParamValue value)
    {
        switch (spec.Distribution)
        {
            case Distribution.Constant:
                throw new ArgumentException($"Parameter '{spec.Name}' is a constant, which has no axis in the cube", nameof(spec));
            case Distribution.Categorical:
                return (IndexOf(spec, value) + 1.0) / spec.Values.Count;
            case Distribution.CategoricalWithProbabilities:
                return RandomSearch.CumulativeProbability(spec.Probabilities!, IndexOf(spec, value));
        }
        double x = value.Number ?? throw new ArgumentException($"Parameter '{spec.Name}' is numeric, not {value}", nameof(value));
        double u = NumericCdf(spec, x);
        return double.IsNaN(u)
            ? throw new ArgumentException($"{value} is not a value of parameter '{spec.Name}' ({DistributionNames.Of(spec.Distribution)})", nameof(value))
            : Math.Clamp(u, 0, 1);
    }

    /// <summary>W&amp;B's ppf: the value of a parameter at a coordinate in [0, 1].</summary>
    public static ParamValue FromUnit(ParameterSpec spec, double u)
    {
        if (!(u >= 0 && u <= 1))
            throw new ArgumentOutOfRangeException(nameof(u), u, "Can't call ppf on value outside of [0,1]");
        // The random search draws the inv_ forms with ln(1/x) growing with u; W&B's ppf grows with the value.
        bool reversed = spec.Distribution is Distribution.InvLogUniformValues or Distribution.InvLogUniform;
        return RandomSearch.Sample(spec, reversed ? 1 - u : u);
    }

    private static double NumericCdf(ParameterSpec s, double x) => s.Distribution switch
    {
        // (k − min + 1) / (max − min + 1), the same arithmetic as RandomSearch.UniformIndex's test.
        Distribution.IntUniform => (Math.Floor(x) - s.Min + 1) / (s.Max - s.Min + 1),
        Distribution.Uniform or Distribution.QUniform => (x - s.Min) / (s.Max - s.Min),
        // inv_log_uniform_values has the same CDF: ln(1/X) uniform is ln X uniform.
        Distribution.LogUniformValues or Distribution.QLogUniformValues or Distribution.InvLogUniformValues =>
            (Log(x) - Log(s.Min)) / (Log(s.Max) - Log(s.Min)),
        Distribution.LogUniform or Distribution.QLogUniform => (Log(x) - s.Min) / (s.Max - s.Min),
        Distribution.InvLogUniform => 1 - (-Log(x) - s.Min) / (s.Max - s.Min),
        Distribution.Normal or Distribution.QNormal => NormalCdf(x, s.Mu, s.Sigma),
        Distribution.LogNormal or Distribution.QLogNormal => x <= 0 ? 0 : NormalCdf(Log(x), s.Mu, s.Sigma),
        Distribution.Beta or Distribution.QBeta => SpecialFunctions.RegularizedBeta(x, s.A, s.B),
        _ => throw new ArgumentOutOfRangeException(nameof(s), s.Distribution, null),
    };

    private static double Log(double x) => PortableMath.Log(x);

    // sigma 0 puts all the mass at mu.
    private static double NormalCdf(double x, double mu, double sigma) =>
        sigma == 0 ? (x < mu ? 0 : x > mu ? 1 : 0.5) : PortableMath.NormalCdf((x - mu) / sigma);

    private static int IndexOf(ParameterSpec spec, ParamValue value)
    {
        for (int i = 0; i < spec.Values.Count; i++)
            if (spec.Values[i] == value)
                return i;
        throw new ArgumentException($"{value} is not a permitted value of the categorical hyperparameter {spec.Name} in the current sweep.", nameof(value));
    }
}
