using TinyNet.Sweeps.Domain.Ranking;

namespace TinyNet.Sweeps.Domain.Tests.Ranking;

public class StatisticsTests
{
    [Fact]
    public void Summarise_gives_mean_sample_std_and_count()
    {
        // Mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32/7.
        var s = Statistics.Summarise([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5.0, s.Mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7.0), s.StdDev, 12);
        Assert.Equal(2.1380899352993950, s.StdDev, 12);
        Assert.Equal(8, s.N);
    }

    [Fact]
    public void Summarise_uses_n_minus_one_for_two_values()
    {
        // Population std of {1, 3} would be 1; sample std is sqrt(2).
        var s = Statistics.Summarise([1.0, 3.0]);
        Assert.Equal(2.0, s.Mean, 12);
        Assert.Equal(Math.Sqrt(2.0), s.StdDev, 12);
        Assert.Equal(2, s.N);
    }

    [Fact]
    public void Summarise_of_one_value_has_zero_std()
    {
        var s = Statistics.Summarise([0.25]);
        Assert.Equal(0.25, s.Mean);
        Assert.Equal(0.0, s.StdDev);
        Assert.Equal(1, s.N);
    }

    [Fact]
    public void Summarise_of_nothing_is_nan_with_zero_count()
    {
        var s = Statistics.Summarise([]);
        Assert.True(double.IsNaN(s.Mean));
        Assert.True(double.IsNaN(s.StdDev));
        Assert.Equal(0, s.N);
    }

    [Fact]
    public void Summarise_accepts_a_lazy_sequence()
    {
        var s = Statistics.Summarise(Enumerable.Range(1, 4).Select(i => (double)i));
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s.StdDev, 12); // deviations² 2.25+0.25+0.25+2.25 = 5, /3
        Assert.Equal(4, s.N);
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 3.0, 2.0 }, 2.5)]
    [InlineData(new[] { 7.0 }, 7.0)]
    [InlineData(new[] { -1.0, 10.0 }, 4.5)]
    [InlineData(new[] { 5.0, 5.0, 1.0, 100.0, 5.0 }, 5.0)]
    public void Median_of_hand_computed_values(double[] values, double expected) =>
        Assert.Equal(expected, Statistics.Median(values), 12);

    [Fact]
    public void Median_of_nothing_is_nan() => Assert.True(double.IsNaN(Statistics.Median([])));
}
