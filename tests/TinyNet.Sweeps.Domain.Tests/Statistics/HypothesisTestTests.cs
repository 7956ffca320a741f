using TinyNet.Sweeps.Domain.Ranking;

namespace TinyNet.Sweeps.Domain.Tests.Stats;

public class HypothesisTestTests
{
    [Fact]
    public void Welch_matches_the_wikipedia_example()
    {
        // Wikipedia, "Welch's t-test", Examples, first pair of samples: t = −2.46, ν ≈ 25.0, p = 0.021.
        // The precise p (t = −2.4553563982860045, ν = 24.988529290231414) is from mpmath 1.3 at 40 digits.
        double[] a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
        Assert.Equal(0.021, Statistics.WelchTTestPValue(a1, a2), 0.0005);
        Assert.Equal(0.02137800146286706, Statistics.WelchTTestPValue(a1, a2), 1e-9);
        Assert.Equal(0.02137800146286706, Statistics.WelchTTestPValue(a2, a1), 1e-9);
    }

    [Fact]
    public void Welch_with_unequal_sizes_and_fractional_df()
    {
        // Means 0.2 and 0.45, variances 0.01 and 0.01666…: t = −2.886751345948129, ν = 4.959183673469388 (= 243/49);
        // p = 0.034647553288285722 from mpmath 1.3 at 40 digits.
        Assert.Equal(0.034647553288285722, Statistics.WelchTTestPValue([0.1, 0.2, 0.3], [0.3, 0.5, 0.4, 0.6]), 1e-9);
    }

    [Fact]
    public void Welch_with_two_values_each_has_df_two_and_a_closed_form()
    {
        // {1, 3} vs {4, 6}: equal variances 2, so t = −3/√2 and ν = 2 exactly; p = 1 − |t|/√(2 + t²) = 1 − 3/√13.
        Assert.Equal(1 - 3 / Math.Sqrt(13), Statistics.WelchTTestPValue([1, 3], [4, 6]), 1e-12);
        Assert.Equal(0.16794970566215632, Statistics.WelchTTestPValue([1, 3], [4, 6]), 1e-12);
    }

    [Fact]
    public void Welch_of_identical_samples_is_one()
    {
        Assert.Equal(1.0, Statistics.WelchTTestPValue([0.1, 0.2, 0.3], [0.3, 0.1, 0.2]), 12);
    }

    [Fact]
    public void Welch_with_zero_variance_on_both_sides_is_exact()
    {
        Assert.Equal(1.0, Statistics.WelchTTestPValue([0.5, 0.5], [0.5, 0.5, 0.5]));
        Assert.Equal(0.0, Statistics.WelchTTestPValue([0.5, 0.5], [0.6, 0.6]));
    }

    [Fact]
    public void Welch_with_fewer_than_two_values_is_NaN()
    {
        Assert.True(double.IsNaN(Statistics.WelchTTestPValue([0.5], [0.1, 0.2])));
        Assert.True(double.IsNaN(Statistics.WelchTTestPValue([0.1, 0.2], [])));
    }

    [Fact]
    public void Paired_matches_a_high_precision_value()
    {
        // Differences 0.04, 0.01, 0.07, 0.02, 0.05: mean 0.038, s = 0.023874672772626646, t = 3.5590260840104358,
        // df 4; p = 0.023606636646889152 from mpmath 1.3 at 40 digits.
        double[] a = [0.30, 0.25, 0.28, 0.22, 0.27];
        double[] b = [0.26, 0.24, 0.21, 0.20, 0.22];
        Assert.Equal(0.023606636646889152, Statistics.PairedTTestPValue(a, b), 1e-9);
        Assert.Equal(0.023606636646889152, Statistics.PairedTTestPValue(b, a), 1e-9);
        // The same samples unpaired (Welch: t = 2.1866542830640571, ν = 7.5921085490718388, mpmath) are not
        // significant at 5 %: pairing matters.
        Assert.Equal(0.062021711635357642, Statistics.WelchTTestPValue(a, b), 1e-9);
    }

    [Fact]
    public void Paired_with_three_pairs_matches_the_df_two_closed_form()
    {
        // Differences 1, 2, 2: mean 5/3, s = 1/√3, t = 5 with df 2, so p = 1 − 5/√27.
        Assert.Equal(1 - 5 / Math.Sqrt(27), Statistics.PairedTTestPValue([1, 2, 3], [0, 0, 1]), 1e-12);
    }

    [Fact]
    public void Paired_with_all_zero_differences_is_one_and_constant_shift_is_zero()
    {
        Assert.Equal(1.0, Statistics.PairedTTestPValue([0.1, 0.7, 0.3], [0.1, 0.7, 0.3]));
        Assert.Equal(0.0, Statistics.PairedTTestPValue([1.5, 2.5, 3.5], [1, 2, 3]));
    }

    [Fact]
    public void Paired_needs_equal_lengths_and_two_pairs()
    {
        Assert.Throws<ArgumentException>(() => Statistics.PairedTTestPValue([1, 2, 3], [1, 2]));
        Assert.True(double.IsNaN(Statistics.PairedTTestPValue([1.0], [2.0])));
    }
}
