using TinyNet.Sweeps.Domain.Sweeps;
namespace TinyNet.Sweeps.Domain.Ranking;

public static class Statistics
{
    /// <summary>Mean and sample standard deviation (n − 1; 0 for a single value).</summary>
    public static MetricSummary Summarise(IEnumerable<double> values)
    {
        var list = values as IReadOnlyList<double> ?? values.ToList();
        if (list.Count == 0) return new MetricSummary(double.NaN, double.NaN, 0);
        double mean = list.Average();
        double variance = list.Count > 1 ? list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1) : 0;
        return new MetricSummary(mean, Math.Sqrt(variance), list.Count);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// The critical value of a two-sided 95 % interval: the 0.975 quantile of Student's t with
    /// <paramref name="degreesOfFreedom"/> degrees of freedom (12.706 for 1, 1.960 for infinity).
    /// </summary>
    public static double TCritical95(double degreesOfFreedom) => StudentTQuantile(0.975, degreesOfFreedom);

    /// <summary>
    /// The inverse CDF of Student's t: the t with P(T ≤ t) = <paramref name="probability"/>. Any real
    /// <paramref name="degreesOfFreedom"/> &gt; 0 (fractional values come from Welch's test);
    /// <see cref="double.PositiveInfinity"/> gives the standard normal quantile. Solved by bisection on
    /// <see cref="StudentTCdf"/> to about 1e-12 relative.
    /// </summary>
    public static double StudentTQuantile(double probability, double degreesOfFreedom)
    {
        if (!(probability > 0 && probability < 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "must be strictly between 0 and 1");
        CheckDegreesOfFreedom(degreesOfFreedom);
        if (probability == 0.5) return 0;
        if (probability < 0.5) return -StudentTQuantile(1 - probability, degreesOfFreedom);

        double lo = 0, hi = 1;
        while (StudentTCdf(hi, degreesOfFreedom) < probability)
        {
            lo = hi;
            hi *= 2;
            if (double.IsInfinity(hi)) return double.PositiveInfinity;
        }
        for (int i = 0; i < 300 && hi - lo > 1e-13 * Math.Max(1, hi); i++)
        {
            double mid = (lo + hi) / 2;
            if (StudentTCdf(mid, degreesOfFreedom) < probability) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /// <summary>
    /// P(T ≤ <paramref name="t"/>) for Student's t with <paramref name="degreesOfFreedom"/> &gt; 0
    /// (<see cref="double.PositiveInfinity"/>: standard normal).
    /// </summary>
    public static double StudentTCdf(double t, double degreesOfFreedom)
    {
        CheckDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(t)) return double.NaN;
        double tail = StudentTTwoSidedP(t, degreesOfFreedom) / 2;
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>P(|T| ≥ |<paramref name="t"/>|): the two-sided p-value of a t statistic.</summary>
    public static double StudentTTwoSidedP(double t, double degreesOfFreedom)
    {
        CheckDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        if (double.IsPositiveInfinity(degreesOfFreedom))
            return SpecialFunctions.RegularizedGammaQ(0.5, t * t / 2); // P(|Z| ≥ z) = erfc(z/√2) = Q(1/2, z²/2)
        // P(|T| ≥ t) = I_x(ν/2, 1/2) with x = ν / (ν + t²).
        double x = degreesOfFreedom / (degreesOfFreedom + t * t);
        return Math.Clamp(SpecialFunctions.RegularizedBeta(x, degreesOfFreedom / 2, 0.5), 0, 1);
    }

    /// <summary>
    /// Two-sided 95 % confidence interval of the mean: mean ± t(0.975, n − 1)·s/√n, with s the sample standard
    /// deviation. Fewer than two values give (NaN, NaN): a single seed says nothing about the spread.
    /// </summary>
    public static (double Low, double High) ConfidenceInterval95(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2) return (double.NaN, double.NaN);
        var s = Summarise(values);
        double half = TCritical95(values.Count - 1) * s.StdDev / Math.Sqrt(values.Count);
        return (s.Mean - half, s.Mean + half);
    }

    /// <summary>
    /// Two-sided p-value of Welch's unequal-variance t-test that the two samples have the same mean
    /// (Welch–Satterthwaite degrees of freedom). NaN when either sample has fewer than two values. When both
    /// samples have zero variance the answer is exact: 1 for equal means, 0 otherwise.
    /// </summary>
    public static double WelchTTestPValue(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count < 2 || b.Count < 2) return double.NaN;
        var sa = Summarise(a);
        var sb = Summarise(b);
        double va = sa.StdDev * sa.StdDev / a.Count;
        double vb = sb.StdDev * sb.StdDev / b.Count;
        double diff = sa.Mean - sb.Mean;
        if (va + vb == 0) return diff == 0 ? 1 : 0;
        double t = diff / Math.Sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / (a.Count - 1) + vb * vb / (b.Count - 1));
        return StudentTTwoSidedP(t, df);
    }

    /// <summary>
    /// Two-sided p-value of the paired t-test that the mean of the differences <c>a[i] − b[i]</c> is zero
    /// (n − 1 degrees of freedom). The samples must have the same length; NaN for fewer than two pairs.
    /// All differences equal: p = 1 when they are all zero, 0 otherwise.
    /// </summary>
    public static double PairedTTestPValue(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
            throw new ArgumentException($"Paired samples need equal lengths; got {a.Count} and {b.Count}.", nameof(b));
        if (a.Count < 2) return double.NaN;
        var d = Summarise(a.Select((x, i) => x - b[i]).ToList());
        if (d.StdDev == 0) return d.Mean == 0 ? 1 : 0;
        double t = d.Mean / (d.StdDev / Math.Sqrt(d.N));
        return StudentTTwoSidedP(t, d.N - 1);
    }

    private static void CheckDegreesOfFreedom(double degreesOfFreedom)
    {
        if (!(degreesOfFreedom > 0))
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "must be positive");
    }
}
