namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>W&amp;B's grid: parameters sorted by name, Cartesian product with the last name varying fastest.</summary>
public static class GridSearch
{
    /// <summary>The grid points, each a value for every parameter (constants included).</summary>
    /// <param name="limit">Stop after this many points (run_cap): a capped grid may have billions of points.</param>
    public static IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> Points(IReadOnlyList<ParameterSpec> parameters, int limit = int.MaxValue)
    {
        var ordered = parameters.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var axes = ordered.Select(Values).ToList();
        var points = new List<IReadOnlyDictionary<string, ParamValue>>();
        var index = new int[axes.Count];
        if (axes.Any(a => a.Count == 0))
            return points;
        while (true)
        {
            var point = new Dictionary<string, ParamValue>();
            for (int i = 0; i < axes.Count; i++)
                point[ordered[i].Name] = axes[i][index[i]];
            points.Add(point);
            if (points.Count == limit)
                return points;

            // Odometer: the last axis turns fastest.
            int axis = axes.Count - 1;
            while (axis >= 0 && ++index[axis] == axes[axis].Count)
                index[axis--] = 0;
            if (axis < 0)
                return points;
        }
    }

    /// <summary>
    /// The distinct values grid search uses for one parameter, in order. Equal numbers count once
    /// (1 and 1.0 are one point, as in W&amp;B).
    /// </summary>
    public static IReadOnlyList<ParamValue> Values(ParameterSpec spec)
    {
        IEnumerable<ParamValue> values = spec.Distribution switch
        {
            Distribution.Constant or Distribution.Categorical => spec.Values,
            Distribution.IntUniform => Enumerable.Range(0, (int)(spec.Max - spec.Min) + 1).Select(i => ParamValue.Of(spec.Min + i)),
            Distribution.QUniform => QUniformValues(spec.Min, spec.Max, spec.Q).Select(ParamValue.Of),
            _ => throw new InvalidOperationException($"grid search cannot enumerate {DistributionNames.Of(spec.Distribution)} ({spec.Name})"),
        };
        return [.. values.Distinct()];
    }

    /// <summary>numpy.arange(min, max, q): starts at min, steps by q, max excluded.</summary>
    public static IReadOnlyList<double> QUniformValues(double min, double max, double q)
    {
        int count = (int)Math.Ceiling((max - min) / q);
        return [.. Enumerable.Range(0, Math.Max(0, count)).Select(i => min + i * q)];
    }
}
