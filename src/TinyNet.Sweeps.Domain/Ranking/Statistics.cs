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
            return RegularizedGammaQ(0.5, t * t / 2); // P(|Z| ≥ z) = erfc(z/√2) = Q(1/2, z²/2)
        // P(|T| ≥ t) = I_x(ν/2, 1/2) with x = ν / (ν + t²).
        double x = degreesOfFreedom / (degreesOfFreedom + t * t);
        return Math.Clamp(RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x), 0, 1);
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

    // ---- special functions (Numerical Recipes, 3rd ed., §6.1, §6.2, §6.4) ----

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 607/128, about 1e-15 relative).</summary>
    internal static double LogGamma(double x)
    {
        ReadOnlySpan<double> cof =
        [
            57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
            .339946499848118887e-4, .465236289270485756e-4, -.983744753048795646e-4, .158088703224912494e-3,
            -.210264441724104883e-3, .217439618115212643e-3, -.164318106536763890e-3, .844182239838527433e-4,
            -.261908384015814087e-4, .368991826595316234e-5,
        ];
        double y = x, tmp = x + 5.24218750000000000;
        tmp = (x + 0.5) * Math.Log(tmp) - tmp;
        double ser = 0.999999999999997092;
        foreach (double c in cof) ser += c / ++y;
        return tmp + Math.Log(2.5066282746310005 * ser / x);
    }

    /// <summary>The regularized incomplete beta function I_x(a, b), a, b &gt; 0, 0 ≤ x ≤ 1.</summary>
    internal static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300, eps = 1e-15;
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = 1 - qab * x / qap;
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 100_000; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + aa / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.Abs(del - 1) <= eps) break;
        }
        return h;
    }

    /// <summary>The regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x), a &gt; 0, x ≥ 0.</summary>
    internal static double RegularizedGammaQ(double a, double x)
    {
        if (x <= 0) return 1;
        double gln = LogGamma(a);
        if (x < a + 1)
        {
            // Series for P(a, x).
            double ap = a, sum = 1 / a, del = sum;
            for (int n = 0; n < 100_000; n++)
            {
                ap++;
                del *= x / ap;
                sum += del;
                if (Math.Abs(del) < Math.Abs(sum) * 1e-16) break;
            }
            return 1 - sum * Math.Exp(-x + a * Math.Log(x) - gln);
        }
        // Continued fraction for Q(a, x) (modified Lentz).
        const double tiny = 1e-300;
        double bb = x + 1 - a, c = 1 / tiny, d = 1 / bb, h = d;
        for (int i = 1; i < 100_000; i++)
        {
            double an = -i * (i - a);
            bb += 2;
            d = an * d + bb; if (Math.Abs(d) < tiny) d = tiny;
            c = bb + an / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.Abs(del - 1) <= 1e-15) break;
        }
        return Math.Exp(-x + a * Math.Log(x) - gln) * h;
    }
}
