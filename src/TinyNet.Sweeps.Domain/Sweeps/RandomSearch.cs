namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// W&amp;B's random search: every non-constant parameter drawn independently by inverse CDF, in
/// parameter-name order, from one <see cref="Random"/> seeded by <c>sampler_seed</c>, so the same seed
/// gives the same points.
/// </summary>
public static class RandomSearch
{
    public static IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> Points(IReadOnlyList<ParameterSpec> parameters, int count, int samplerSeed)
    {
        var ordered = parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var random = new Random(samplerSeed);
        var points = new List<IReadOnlyDictionary<string, ParamValue>>(count);
        for (int n = 0; n < count; n++)
        {
            var point = new Dictionary<string, ParamValue>();
            foreach (var spec in ordered)
                point[spec.Name] = spec.IsConstant ? spec.Values[0] : Sample(spec, NextOpen(random));
            points.Add(point);
        }
        return points;
    }

    /// <summary>The value at cumulative probability <paramref name="u"/> in (0, 1): the distribution's inverse CDF.</summary>
    public static ParamValue Sample(ParameterSpec s, double u)
    {
        double Q(double x) => Quantize(x, s.Q);
        double Uniform(double lo, double hi) => lo + u * (hi - lo);
        return s.Distribution switch
        {
            Distribution.Constant => s.Values[0],
            Distribution.Categorical => s.Values[Math.Min(s.Values.Count - 1, (int)(u * s.Values.Count))],
            Distribution.CategoricalWithProbabilities => s.Values[Weighted(s.Probabilities!, u)],
            Distribution.IntUniform => ParamValue.Of(Math.Min(s.Max, Math.Floor(s.Min + u * (s.Max - s.Min + 1)))),
            Distribution.Uniform => ParamValue.Of(Uniform(s.Min, s.Max)),
            Distribution.QUniform => ParamValue.Of(Q(Uniform(s.Min, s.Max))),
            Distribution.LogUniformValues => ParamValue.Of(Math.Exp(Uniform(Math.Log(s.Min), Math.Log(s.Max)))),
            Distribution.QLogUniformValues => ParamValue.Of(Q(Math.Exp(Uniform(Math.Log(s.Min), Math.Log(s.Max))))),
            // ln(1/X) uniform on [ln(1/max), ln(1/min)].
            Distribution.InvLogUniformValues => ParamValue.Of(1 / Math.Exp(Uniform(Math.Log(1 / s.Max), Math.Log(1 / s.Min)))),
            Distribution.LogUniform => ParamValue.Of(Math.Exp(Uniform(s.Min, s.Max))),
            Distribution.QLogUniform => ParamValue.Of(Q(Math.Exp(Uniform(s.Min, s.Max)))),
            Distribution.InvLogUniform => ParamValue.Of(Math.Exp(-Uniform(s.Min, s.Max))),
            Distribution.Normal => ParamValue.Of(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u)),
            Distribution.QNormal => ParamValue.Of(Q(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u))),
            Distribution.LogNormal => ParamValue.Of(Math.Exp(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u))),
            Distribution.QLogNormal => ParamValue.Of(Q(Math.Exp(s.Mu + s.Sigma * SpecialFunctions.InverseNormal(u)))),
            Distribution.Beta => ParamValue.Of(SpecialFunctions.InverseBeta(u, s.A, s.B)),
            Distribution.QBeta => ParamValue.Of(Q(SpecialFunctions.InverseBeta(u, s.A, s.B))),
            _ => throw new ArgumentOutOfRangeException(nameof(s), s.Distribution, null),
        };
    }

    /// <summary>round(x / q) * q with numpy's round-half-to-even.</summary>
    public static double Quantize(double x, double q) => Math.Round(x / q, MidpointRounding.ToEven) * q;

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
            if (u < cumulative)
                return i;
        }
        return last;
    }

    // NextDouble is in [0, 1); 0 would map a normal to -infinity.
    private static double NextOpen(Random random)
    {
        double u;
        do { u = random.NextDouble(); } while (u == 0);
        return u;
    }
}
