using TinyNet.Sweeps.Domain.Search;

namespace TinyNet.Sweeps.Domain.Tests.Search;

public class PortableMathTests
{
    private static IEnumerable<double> Spread(double min, double max, int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
            yield return min + random.NextDouble() * (max - min);
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");

    [Fact]
    public void Exp_agrees_with_the_platform_to_a_few_ulps()
    {
        foreach (double x in Spread(-700, 700, 20_000, 1).Concat(Spread(-1, 1, 20_000, 2)).Concat([0, 1e-300, -1e-17, 0.5 * Math.Log(2), 709.7]))
            AssertRelative(Math.Exp(x), PortableMath.Exp(x), 5e-16, $"exp({x:R})");
        Assert.Equal(1.0, PortableMath.Exp(0));
        Assert.Equal(double.PositiveInfinity, PortableMath.Exp(710));
        Assert.Equal(0.0, PortableMath.Exp(-746));
        Assert.True(double.IsNaN(PortableMath.Exp(double.NaN)));
    }

    [Fact]
    public void Log_agrees_with_the_platform_to_a_few_ulps()
    {
        foreach (double x in Spread(1e-300, 1e300, 5_000, 3).Concat(Spread(0.5, 2, 20_000, 4)).Concat(Spread(0, 1e-5, 5_000, 5))
                     .Concat([1e-310, double.Epsilon, 2, Math.E, 1 + 1e-15, 1 - 1e-16, double.MaxValue]))
        {
            double expected = Math.Log(x);
            Assert.True(Math.Abs(PortableMath.Log(x) - expected) <= 5e-16 * Math.Max(Math.Abs(expected), 1e-300) || Math.Abs(PortableMath.Log(x) - expected) < 1e-31,
                $"log({x:R}): expected {expected:R}, got {PortableMath.Log(x):R}");
        }
        Assert.Equal(0.0, PortableMath.Log(1));
        Assert.Equal(double.NegativeInfinity, PortableMath.Log(0));
        Assert.True(double.IsNaN(PortableMath.Log(-1)));
    }

    [Fact]
    public void Erfc_agrees_with_math_net_and_the_normal_cdf_with_known_quantiles()
    {
        foreach (double x in Spread(-6, 6, 20_000, 6).Concat(Spread(6, 26, 2_000, 7)).Concat([0, 0.9999999, 1, 1.0000001]))
            AssertRelative(MathNet.Numerics.SpecialFunctions.Erfc(x), PortableMath.Erfc(x), 5e-15, $"erfc({x:R})");
        Assert.Equal(0.5, PortableMath.NormalCdf(0));
        AssertRelative(0.975, PortableMath.NormalCdf(1.959963984540054), 1e-15, "Φ(1.96)");
        AssertRelative(0.001, PortableMath.NormalCdf(-3.0902323061678132), 1e-13, "Φ(-3.09)");
        AssertRelative(1 / Math.Sqrt(2 * Math.PI), PortableMath.NormalPdf(0), 1e-16, "φ(0)");
    }
}
