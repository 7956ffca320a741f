namespace TinyNet.Sweeps.Domain.Search;

/// <summary>
/// exp, log and the standard normal distribution from +, −, ×, ÷ alone. Math.Exp and Math.Log call the
/// platform's C library, whose last bit differs between libm versions, operating systems and CPUs (glibc
/// picks an FMA variant at run time); a bayes suggestion must be bit-identical on every machine.
/// Accurate to a few units in the last place, which is all a search needs.
/// </summary>
public static class PortableMath
{
    // Cody and Waite's split of ln 2: k * Ln2High is exact for |k| < 2048 (the low bits of Ln2High are zero).
    private const double Ln2High = 6.93147180369123816490e-01;
    private const double Ln2Low = 1.90821492927058770002e-10;
    private const double InverseLn2 = 1.44269504088896338700e+00;
    private const double MaxExpArgument = 709.782712893384; // exp of more overflows
    private const double MinExpArgument = -745.1332191019412; // exp of less is 0
    private const double InverseSqrtPi = 0.56418958354775628695;
    private const double InverseSqrt2Pi = 0.39894228040143267794;
    private const double Sqrt2 = 1.41421356237309504880;

    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > MaxExpArgument) return double.PositiveInfinity;
        if (x < MinExpArgument) return 0;
        // exp(x) = 2^k exp(r) with |r| <= ln2 / 2, and exp(r) by its Taylor series (the 18th term is below 1e-17).
        double k = Math.Round(x * InverseLn2);
        double r = x - k * Ln2High - k * Ln2Low;
        double sum = 1;
        for (int n = 17; n >= 1; n--)
            sum = 1 + sum * r / n;
        return Math.ScaleB(sum, (int)k);
    }

    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        // x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172.
        int e = Math.ILogB(x);
        double m = Math.ScaleB(x, -e);
        if (m > Sqrt2) { m /= 2; e++; }
        double f = m - 1; // exact (Sterbenz)
        double s = f / (2 + f), s2 = s * s;
        double series = 0;
        for (int n = 25; n >= 3; n -= 2) // s^27 / 27 is below 1e-17 s
            series = s2 * (1.0 / n + series);
        double logM = 2 * s + 2 * s * series;
        return e * Ln2High + (e * Ln2Low + logM);
    }

    /// <summary>The complementary error function erfc(x) = 1 − erf(x).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 0) return 2 - Erfc(-x);
        return x < 1 ? 1 - ErfBySeries(x) : ErfcByContinuedFraction(x);
    }

    /// <summary>P(Z ≤ z) for a standard normal Z.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Sqrt2);

    /// <summary>The standard normal density at z.</summary>
    public static double NormalPdf(double z) => InverseSqrt2Pi * Exp(-0.5 * z * z);

    // erf(x) = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)); for x < 1 the terms stay below 1 and erfc above 0.15.
    private static double ErfBySeries(double x)
    {
        double x2 = x * x, power = x, sum = x;
        for (int n = 1; n < 100; n++)
        {
            power *= -x2 / n;
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return 2 * InverseSqrtPi * sum;
    }

    // erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), by Lentz's method: under 200 terms for x >= 1.
    private static double ErfcByContinuedFraction(double x)
    {
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int n = 1; n < 500; n++)
        {
            double a = n / 2.0;
            d = x + a * d; d = 1 / (d == 0 ? tiny : d);
            c = x + a / c; if (c == 0) c = tiny;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return InverseSqrtPi * Exp(-x * x) / f;
    }
}
