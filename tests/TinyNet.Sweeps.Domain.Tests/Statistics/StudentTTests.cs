using TinyNet.Sweeps.Domain.Ranking;

// Not "...Tests.Statistics": a namespace of that name would hide the Statistics class from every other test namespace.
namespace TinyNet.Sweeps.Domain.Tests.Stats;

public class StudentTTests
{
    // Table values of t(0.975, df) (any statistics textbook table, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(4, 2.776)]
    [InlineData(9, 2.262)]
    [InlineData(30, 2.042)]
    public void Critical_value_matches_the_t_table(double df, double expected)
    {
        Assert.Equal(expected, Statistics.TCritical95(df), 0.01);
        Assert.Equal(expected, Statistics.StudentTQuantile(0.975, df), 0.01);
    }

    // High-precision values, computed with mpmath 1.3 (40 digits) by solving I_x(df/2, 1/2)/2 = 0.025 for t.
    [Theory]
    [InlineData(1, 12.706204736174705)]
    [InlineData(2, 4.3026527297494639)]
    [InlineData(4, 2.7764451051977944)]
    [InlineData(9, 2.2621571627982055)]
    [InlineData(30, 2.0422724563012383)]
    [InlineData(3.5, 2.9400886379827298)]
    [InlineData(1000, 1.9623390808264085)]
    public void Critical_value_is_precise_for_integer_fractional_and_large_df(double df, double expected) =>
        Assert.Equal(expected, Statistics.TCritical95(df), 1e-9);

    [Fact]
    public void Infinite_df_gives_the_normal_quantile()
    {
        Assert.Equal(1.960, Statistics.TCritical95(double.PositiveInfinity), 0.01);
        Assert.Equal(1.9599639845400542, Statistics.TCritical95(double.PositiveInfinity), 1e-9); // √2·erfinv(0.95)
    }

    [Fact]
    public void Quantile_is_antisymmetric_and_other_probabilities_work()
    {
        Assert.Equal(-Statistics.TCritical95(9), Statistics.StudentTQuantile(0.025, 9), 1e-12);
        Assert.Equal(0.0, Statistics.StudentTQuantile(0.5, 7));
        Assert.Equal(4.0321429835552281, Statistics.StudentTQuantile(0.995, 5), 1e-9); // mpmath, as above
    }

    [Theory]
    [InlineData(0.6, 1)]
    [InlineData(0.9, 2.5)]
    [InlineData(0.999, 3)]
    [InlineData(0.01, 12)]
    public void Cdf_inverts_the_quantile(double p, double df) =>
        Assert.Equal(p, Statistics.StudentTCdf(Statistics.StudentTQuantile(p, df), df), 1e-10);

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(-3.0)]
    public void Two_sided_p_matches_closed_forms_for_df_1_and_2(double t)
    {
        // df 1 (Cauchy): P(|T| ≥ t) = 1 − (2/π)·atan|t|.  df 2: P(|T| ≥ t) = 1 − |t|/√(2 + t²).
        Assert.Equal(1 - 2 / Math.PI * Math.Atan(Math.Abs(t)), Statistics.StudentTTwoSidedP(t, 1), 1e-12);
        Assert.Equal(1 - Math.Abs(t) / Math.Sqrt(2 + t * t), Statistics.StudentTTwoSidedP(t, 2), 1e-12);
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.StudentTQuantile(0.975, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.StudentTQuantile(0.975, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.StudentTQuantile(1.0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.StudentTQuantile(0.0, 3));
    }

    [Fact]
    public void Confidence_interval_of_one_to_five()
    {
        // Mean 3, s = √2.5, n = 5: 3 ± t(0.975, 4)·√2.5/√5 = 3 ± 2.7764451051977944·√0.5 = 3 ± 1.9632431614775577.
        var (low, high) = Statistics.ConfidenceInterval95([1, 2, 3, 4, 5]);
        Assert.Equal(1.0367568385224423, low, 1e-9);
        Assert.Equal(4.9632431614775577, high, 1e-9);
    }

    [Fact]
    public void Confidence_interval_of_two_values_uses_df_one()
    {
        // {1, 3}: mean 2, s = √2, s/√n = 1, so 2 ± 12.706204736174705.
        var (low, high) = Statistics.ConfidenceInterval95([1.0, 3.0]);
        Assert.Equal(2 - 12.706204736174705, low, 1e-9);
        Assert.Equal(2 + 12.706204736174705, high, 1e-9);
    }

    [Fact]
    public void Confidence_interval_of_identical_values_is_a_point()
    {
        var (low, high) = Statistics.ConfidenceInterval95([0.25, 0.25, 0.25]);
        Assert.Equal(0.25, low, 12);
        Assert.Equal(0.25, high, 12);
    }

    [Fact]
    public void Confidence_interval_of_one_or_no_value_is_NaN()
    {
        var one = Statistics.ConfidenceInterval95([0.3]);
        Assert.True(double.IsNaN(one.Low) && double.IsNaN(one.High));
        var none = Statistics.ConfidenceInterval95([]);
        Assert.True(double.IsNaN(none.Low) && double.IsNaN(none.High));
    }
}
