using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>ORACLES.md section E (sampling) for method: random.</summary>
public class RandomSearchTests
{
    private static IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> Draw(string parameters, int count = 300, int samplerSeed = 0) =>
        SweepPlanner.SearchPoints(Valid($"method: random\nrun_cap: {count}\nsampler_seed: {samplerSeed}\nparameters:\n" + parameters));

    private static double[] Numbers(IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> points, string name) =>
        [.. points.Select(p => p[name].Number!.Value)];

    [Fact] // E4
    public void Int_uniform_draws_only_integers_in_range_and_reaches_both_ends()
    {
        var epochs = Numbers(Draw("  epochs: {min: 1, max: 3}\n"), "epochs");
        Assert.All(epochs, e => Assert.Contains(e, new[] { 1.0, 2.0, 3.0 }));
        Assert.Equal([1.0, 2.0, 3.0], epochs.Distinct().Order());
    }

    [Fact] // E4
    public void Uniform_draws_within_bounds_and_not_only_integers()
    {
        var noise = Numbers(Draw("  noise_level: {min: 0.1, max: 0.3}\n"), "noise_level");
        Assert.All(noise, x => Assert.InRange(x, 0.1, 0.3));
        Assert.Contains(noise, x => x != Math.Round(x, 1));
    }

    [Fact] // E4, E5
    public void Q_uniform_draws_multiples_of_q()
    {
        var batch = Numbers(Draw("  batch_size: {distribution: q_uniform, min: 10, max: 50, q: 10}\n"), "batch_size");
        Assert.All(batch, b => Assert.Equal(0, b % 10));
        Assert.Equal([10.0, 20, 30, 40, 50], batch.Distinct().Order());

        var lr = Numbers(Draw("  learning_rate: {distribution: q_uniform, min: 0.1, max: 1, q: 0.1}\n"), "learning_rate");
        Assert.All(lr, x => Assert.Equal(Math.Round(x / 0.1), x / 0.1, 9));
    }

    [Fact] // E4: q_log_uniform_values, integral
    public void Q_log_uniform_values_for_an_integer_parameter()
    {
        var hidden = Numbers(Draw("  hidden_units: {distribution: q_log_uniform_values, min: 1, max: 256, q: 1}\n"), "hidden_units");
        Assert.All(hidden, h => { Assert.InRange(h, 1, 256); Assert.Equal(Math.Floor(h), h); });
        Assert.True(hidden.Count(h => h < 16) > hidden.Count(h => h > 128), "log scale favours small values");
    }

    // E6's ranges exceed every bounded parameter of ours (learning_rate is at most 10), so these two
    // draw a parameter the catalog does not know, which has no bounds and is never redrawn.
    [Fact] // E6
    public void Log_uniform_values_and_deprecated_log_uniform_stay_within_limits()
    {
        var points = RandomSearch.Points(
        [
            new ParameterSpec("x", Distribution.LogUniformValues, [], Min: 5, Max: 100),
            new ParameterSpec("y", Distribution.LogUniform, [], Min: Math.Log(5), Max: Math.Log(100)),
        ], 300, 0);
        Assert.All(Numbers(points, "x"), x => Assert.InRange(x, 5, 100));
        Assert.All(Numbers(points, "y"), x => Assert.InRange(x, 5 - 1e-9, 100 + 1e-9));
    }

    [Fact] // E6
    public void Inv_log_uniform_values_stays_in_range_and_matches_its_cdf()
    {
        var lr = Numbers(RandomSearch.Points([new ParameterSpec("x", Distribution.InvLogUniformValues, [], Min: 1e-15, Max: 1e20)], 2000, 0), "x");
        Assert.All(lr, x => Assert.InRange(x, 1e-15, 1e20));
        // ln(1/X) is uniform on [ln 1e-20, ln 1e15]: P(X <= 1) = P(ln(1/X) >= 0) = 15/35.
        double below = lr.Count(x => x <= 1) / (double)lr.Length;
        Assert.InRange(below, 15.0 / 35 - 0.03, 15.0 / 35 + 0.03);
    }

    [Fact] // E7
    public void Categorical_probabilities_are_respected()
    {
        var points = Draw("  optimizer: {values: [sgd, adam, adamw], probabilities: [0.5, 0.0, 0.5]}\n  activation: {values: [sigmoid, relu, tanh], probabilities: [0.1, 0.3, 0.6]}\n", count: 1000);
        Assert.DoesNotContain(points, p => p["optimizer"].Choice == "adam");
        int tanh = points.Count(p => p["activation"].Choice == "tanh");
        Assert.InRange(tanh, 600 - 3 * Math.Sqrt(600), 600 + 3 * Math.Sqrt(600));
    }

    [Fact]
    public void Normal_family_quantiles_and_beta_bounds()
    {
        var points = Draw("  learning_rate: {distribution: log_normal, mu: -3, sigma: 0.5}\n  clean_ratio: {distribution: beta, a: 2, b: 5}\n  noise_level: {distribution: q_beta, a: 1, b: 1, q: 0.25}\n", count: 2000);
        var lr = Numbers(points, "learning_rate");
        Assert.All(lr, x => Assert.True(x > 0));
        double medianLog = lr.Select(x => Math.Log(x)).Order().ElementAt(lr.Length / 2);
        Assert.InRange(medianLog, -3.1, -2.9);
        var clean = Numbers(points, "clean_ratio");
        Assert.All(clean, x => Assert.InRange(x, 0, 1));
        Assert.InRange(clean.Average(), 2.0 / 7 - 0.02, 2.0 / 7 + 0.02); // Beta(2,5) mean
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Numbers(points, "noise_level").Distinct().Order());
    }

    [Fact]
    public void Same_sampler_seed_gives_same_points_and_another_seed_differs()
    {
        const string parameters = "  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.1}\n  activation: {values: [sigmoid, relu, tanh]}\n";
        var a = Draw(parameters, count: 20, samplerSeed: 1);
        var b = Draw(parameters, count: 20, samplerSeed: 1);
        var c = Draw(parameters, count: 20, samplerSeed: 2);
        Assert.Equal(Column(a, "learning_rate"), Column(b, "learning_rate"));
        Assert.Equal(Column(a, "activation"), Column(b, "activation"));
        Assert.NotEqual(Column(a, "learning_rate"), Column(c, "learning_rate"));
    }

    [Fact]
    public void Draw_order_depends_on_sorted_names_not_file_order()
    {
        var a = Draw("  learning_rate: {min: 0.01, max: 0.1}\n  noise_level: {min: 0.1, max: 0.5}\n", count: 5);
        var b = Draw("  noise_level: {min: 0.1, max: 0.5}\n  learning_rate: {min: 0.01, max: 0.1}\n", count: 5);
        Assert.Equal(Column(a, "noise_level"), Column(b, "noise_level"));
    }

    [Fact]
    public void Run_cap_is_the_number_of_points_and_seeds_multiply()
    {
        var sweep = Valid("method: random\nrun_cap: 7\nseeds: 3\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n");
        Assert.Equal(7, SweepPlanner.SearchPoints(sweep).Count);
        Assert.Equal(21, SweepPlanner.Plan(sweep).Count);
    }

    [Fact]
    public void Random_without_run_cap_is_an_error()
    {
        var d = SingleError("method: random\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n");
        Assert.Equal((1, 9), (d.Line, d.Column));
        Assert.StartsWith("method random needs 'run_cap'", d.Message);
    }

    [Theory]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(0.025, -1.959963984540054)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.9999, 3.719016485455709)]
    public void Inverse_normal_matches_known_quantiles(double p, double z)
    {
        Assert.Equal(z, SpecialFunctions.InverseNormal(p), 7);
    }

    [Fact]
    public void Inverse_beta_matches_closed_forms()
    {
        // Beta(2,1) has CDF x^2; Beta(1,3) has CDF 1-(1-x)^3.
        Assert.Equal(Math.Sqrt(0.3), SpecialFunctions.InverseBeta(0.3, 2, 1), 9);
        Assert.Equal(1 - Math.Cbrt(0.7), SpecialFunctions.InverseBeta(0.3, 1, 3), 9);
    }
}
