namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// W&amp;B's random search: every non-constant parameter drawn independently by inverse CDF, in
/// parameter-name order, from one <see cref="Random"/> seeded by <c>sampler_seed</c>, so the same seed
/// gives the same points. One addition: a value outside the parameter's bounds is drawn again.
/// </summary>
public static class RandomSearch
{
    /// <summary>
    /// Redraws allowed for one value. A checked file's distribution draws outside its bounds with
    /// probability below 1e-6 (or only by rounding at an end), so this is never reached by one.
    /// </summary>
    private const int MaxRedraws = 1000;

    public static IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> Points(IReadOnlyList<ParameterSpec> parameters, int count, int samplerSeed)
    {
        var ordered = parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var random = new Random(samplerSeed);
        var points = new List<IReadOnlyDictionary<string, ParamValue>>(count);
        for (int n = 0; n < count; n++)
        {
            var point = new Dictionary<string, ParamValue>();
            foreach (var spec in ordered)
                point[spec.Name] = spec.IsConstant ? spec.Values[0] : Draw(spec, random);
            points.Add(point);
        }
        return points;
    }

    /// <summary>
    /// One value of a parameter, drawn again from the same generator while it falls outside the
    /// parameter's bounds (rejection sampling), so a planned trial never holds a value that cannot train
    /// and the same file still gives the same points.
    /// </summary>
    private static ParamValue Draw(ParameterSpec spec, Random random)
    {
        var value = Sample(spec, NextOpen(random));
        if (!ParameterCatalog.TryGet(spec.Name, out var parameter) || parameter.Type == ParamType.Choice)
            return value;
        for (int redraws = 0; !parameter.Bounds.Contains(value.Number!.Value); redraws++)
        {
            if (redraws == MaxRedraws)
                throw new InvalidOperationException($"{spec.Name}: {MaxRedraws} draws in a row from {DistributionNames.Of(spec.Distribution)} fell outside {parameter.Bounds.Describe()}; the sweep file check should have refused this distribution");
            value = Sample(spec, NextOpen(random));
        }
        return value;
    }

    /// <summary>The value at cumulative probability <paramref name="u"/> in (0, 1): the distribution's inverse CDF.</summary>
    public static ParamValue Sample(ParameterSpec s, double u)
    {
        double Q(double x) => Quantize(x, s.Q);
        double Uniform(double lo, double hi) => lo + u * (hi - lo);
        return s.Distribution switch
        {
            Distribution.Constant => s.Values[0],
            Distribution.Categorical => s.Values[(int)UniformIndex(s.Values.Count, u)],
            Distribution.CategoricalWithProbabilities => s.Values[Weighted(s.Probabilities!, u)],
            Distribution.IntUniform => ParamValue.Of(s.Min + UniformIndex(s.Max - s.Min + 1, u)),
            Distribution.Uniform => ParamValue.Of(Uniform(s.Min, s.Max)),
            Distribution.QUniform => ParamValue.Of(Q(Uniform(s.Min, s.Max))),
            Distribution.LogUniformValues => ParamValue.Of(Exp(Uniform(Log(s.Min), Log(s.Max)))),
            Distribution.QLogUniformValues => ParamValue.Of(Q(Exp(Uniform(Log(s.Min), Log(s.Max))))),
            // ln(1/X) uniform on [ln(1/max), ln(1/min)].
            Distribution.InvLogUniformValues => ParamValue.Of(1 / Exp(Uniform(Log(1 / s.Max), Log(1 / s.Min)))),
            Distribution.LogUniform => ParamValue.Of(Exp(Uniform(s.Min, s.Max))),
            Distribution.QLogUniform => ParamValue.Of(Q(Exp(Uniform(s.Min, s.Max)))),
            Distribution.InvLogUniform => ParamValue.Of(Exp(-Uniform(s.Min, s.Max))),
            Distribution.Normal => ParamValue.Of(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u)),
            Distribution.QNormal => ParamValue.Of(Q(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u))),
            Distribution.LogNormal => ParamValue.Of(Exp(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u))),
            Distribution.QLogNormal => ParamValue.Of(Q(Exp(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u)))),
            Distribution.Beta => ParamValue.Of(SpecialFunctions.InverseBeta(u, s.A, s.B)),
            Distribution.QBeta => ParamValue.Of(Q(SpecialFunctions.InverseBeta(u, s.A, s.B))),
            _ => throw new ArgumentOutOfRangeException(nameof(s), s.Distribution, null),
        };
    }

    // Portable exp and log: the platform's C library may differ in the last bit between machines, and a coordinator
    // re-planning a sweep on another silo must ask for exactly the same trials.
    private static double Exp(double x) => Search.PortableMath.Exp(x);
    private static double Log(double x) => Search.PortableMath.Log(x);

    /// <summary>round(x / q) * q with numpy's round-half-to-even.</summary>
    public static double Quantize(double x, double q) => Math.Round(x / q, MidpointRounding.ToEven) * q;

    /// <summary>
    /// scipy's randint ppf, which W&amp;B samples categorical and int_uniform with: the smallest of
    /// <paramref name="count"/> equally likely indices i with (i + 1) / count ≥ u. The bayes search maps
    /// index i to (i + 1) / count, computed the same way, so that point maps back to i exactly.
    /// </summary>
    public static double UniformIndex(double count, double u)
    {
        double i = Math.Clamp(Math.Ceiling(u * count) - 1, 0, count - 1);
        if (i > 0 && i / count >= u)
            i--; // u * count rounded up onto the next integer
        else if (i < count - 1 && (i + 1) / count < u)
            i++; // or down below it
        return i;
    }

    /// <summary>
    /// The sum of the probabilities of the values up to <paramref name="index"/>: W&amp;B's CDF of
    /// categorical_w_probabilities, which the bayes search maps the value to.
    /// </summary>
    public static double CumulativeProbability(IReadOnlyList<double> probabilities, int index)
    {
        double cumulative = 0;
        for (int i = 0; i <= index; i++)
            cumulative += probabilities[i];
        return cumulative;
    }

    /// <summary>
    /// W&amp;B's ppf of categorical_w_probabilities: the first value (of positive probability) whose
    /// cumulative probability reaches u, so <see cref="CumulativeProbability"/> of a value maps back to it.
    /// </summary>
    private static int Weighted(IReadOnlyList<double> probabilities, double u)
    {
        double cumulative = 0;
        int last = 0;
        for (int i = 0; i < probabilities.Count; i++)
        {
            if (probabilities[i] <= 0)
                continue; // a zero-probability value is never chosen, even by rounding
            last = i;
            cumulative += probabilities[i];
            if (u <= cumulative)
                return i;
        }
        return last;
    }

    /// <summary>A uniform draw in (0, 1): NextDouble is in [0, 1), and 0 would map a normal to -infinity.</summary>
    public static double NextOpen(Random random)
    {
        double u;
        do { u = random.NextDouble(); } while (u == 0);
        return u;
    }
}
