using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>Upper bounds for every parameter, seeds and counts, and the rule for distributions with unbounded tails.</summary>
public class BoundsTests
{
    private const string SeedRule = "must be an integer from 0 to 2147483647";
    private const string SeedWhy = "(a seed is a non-negative 32-bit integer, as the trainer's generators take it)";

    private static string Random(string parameters) => "method: random\nrun_cap: 5\nparameters:\n" + parameters;

    [Theory]
    [InlineData("9223372036854775807", 9)]  // 2^63 - 1: used to be refused as "not a non-negative integer"
    [InlineData("9223372036854775808", 9)]  // 2^63: used to read as a float
    [InlineData("99999999999999999999", 9)]
    [InlineData("-99999999999999999999", 9)]
    [InlineData("2147483648", 9)]
    public void Every_out_of_range_seed_in_a_list_names_the_range(string seed, int column)
    {
        var d = SingleError($"method: grid\nseeds: [{seed}]\nparameters:\n  epochs: {{value: 1}}\n");
        Assert.Equal((2, column), (d.Line, d.Column));
        Assert.Equal($"each seed {SeedRule}, not integer {seed}", d.Message);
    }

    [Fact]
    public void Out_of_range_seeds_as_a_count_or_a_seed_parameter_name_the_range()
    {
        var count = SingleError("method: grid\nseeds: 99999999999999999999\nparameters:\n  epochs: {value: 1}\n");
        Assert.Equal($"seeds must be a count from 1 to 10000 (seeds 0..N-1) or a list of distinct seeds, each an integer from 0 to 2147483647, not integer 99999999999999999999", count.Message);

        var value = SingleError("method: grid\nparameters:\n  seed: {values: [1, 9223372036854775807]}\n");
        Assert.Equal((3, 22), (value.Line, value.Column));
        Assert.Equal($"seed = 9223372036854775807 cannot train: seed {SeedRule} {SeedWhy}", value.Message);
        Assert.Equal($"seed = -99999999999999999999 cannot train: seed {SeedRule} {SeedWhy}",
            SingleError("method: grid\nparameters:\n  seed: {value: -99999999999999999999}\n").Message);
        Assert.Equal($"seed: int_uniform gives the grid value 1E+20, which cannot train: seed {SeedRule} {SeedWhy}",
            SingleError("method: grid\nparameters:\n  seed: {min: 0, max: 99999999999999999999}\n").Message);
        Assert.Equal([2147483646, 2147483647], Valid("method: grid\nparameters:\n  seed: {values: [2147483646, 2147483647]}\n  epochs: {value: 1}\n").Seeds);
    }

    [Fact]
    public void Run_cap_and_sampler_seed_name_their_ranges_for_huge_values()
    {
        var errors = Errors("method: random\nrun_cap: 99999999999999999999\nsampler_seed: 99999999999999999999\nparameters:\n  epochs: {value: 1}\n");
        Assert.Equal(
        [
            "test.yaml:2:10: run_cap must be a whole number > 0 and at most 1000000 (the most trials a sweep may plan), not integer 99999999999999999999",
            "test.yaml:3:15: sampler_seed must be an integer from -2147483648 to 2147483647, not integer 99999999999999999999",
        ], errors.Select(e => e.ToString()));
        Assert.StartsWith("run_cap must be a whole number > 0 and at most 1000000",
            SingleError("method: random\nrun_cap: 1000001\nparameters:\n  epochs: {value: 1}\n").Message);
        Assert.Equal(-2147483648, Valid("method: random\nrun_cap: 1\nsampler_seed: -2147483648\nparameters:\n  epochs: {value: 1}\n").SamplerSeed);
    }

    [Theory]
    [InlineData("learning_rate", "10", true)]
    [InlineData("learning_rate", "10.000001", false)]
    [InlineData("weight_decay", "10", true)]
    [InlineData("weight_decay", "1e308", false)]
    [InlineData("epochs", "100000", true)]
    [InlineData("epochs", "100001", false)]
    [InlineData("batch_size", "4096", true)]
    [InlineData("batch_size", "4097", false)]
    [InlineData("hidden_units", "1024", true)]
    [InlineData("hidden_units", "1025", false)]
    [InlineData("hidden_units", "9223372036854775808", false)]
    public void Upper_bounds_are_inclusive_and_apply_to_configurations_too(string parameter, string value, bool valid)
    {
        string yaml = $"method: grid\nconfigurations:\n  - {{{parameter}: {value}}}\n";
        Assert.Equal(valid, SweepFile.Parse(yaml, "t.yaml").IsValid);
        if (!valid)
            Assert.Contains("cannot train", SingleError(yaml).Message);
    }

    [Fact]
    public void Grid_expansions_and_random_ranges_are_held_to_the_upper_bounds()
    {
        var grid = SingleError("method: grid\nparameters:\n  hidden_units: {min: 1, max: 2000}\n");
        Assert.Equal((3, 3), (grid.Line, grid.Column));
        Assert.StartsWith("hidden_units: int_uniform gives the grid value 2000, which cannot train: hidden_units must be an integer from 1 to 1024 (", grid.Message);

        Assert.StartsWith("epochs: int_uniform can produce values in [1, 1000000000], but epochs must be an integer from 1 to 100000 (",
            SingleError(Random("  epochs: {min: 1, max: 1000000000}\n")).Message);
        Assert.StartsWith("learning_rate: log_uniform_values can produce values in [0.001, 100], but learning_rate must be in (0, 10] (",
            SingleError(Random("  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 100}\n")).Message);
    }

    [Fact]
    public void A_distribution_with_a_tail_outside_the_bounds_states_the_probability()
    {
        var d = SingleError(Random("  learning_rate: {distribution: log_normal, mu: 2, sigma: 1}\n"));
        Assert.Equal((4, 33), (d.Line, d.Column));
        // P(ln X > ln 10) = P(Z > 0.303) = 0.38.
        Assert.Equal("learning_rate: log_normal(mu 2, sigma 1) draws values above 10 with probability 0.38; learning_rate must be in (0, 10] " +
            "(a step of zero or against the gradient does not learn, and above 10 one step overflows TinyNet's outputs); lower mu or sigma, or use log_uniform_values", d.Message);

        Assert.StartsWith("noise_level: normal(mu 0.5, sigma 0.11) draws values below 0 with probability 2.7e-6 and above 1 with probability 2.7e-6; noise_level must be in [0, 1] (it is a fraction of the pixel range); lower sigma, or use uniform",
            SingleError(Random("  noise_level: {distribution: normal, mu: 0.5, sigma: 0.11}\n")).Message);
        // q_normal rounds to multiples of 2: values below 2 are draws below 1, P(Z < -3.15).
        Assert.StartsWith("batch_size: q_normal(mu 64, sigma 20, q 2) draws values below 2 with probability 8.2e-4; batch_size must be an integer from 2 to 4096",
            SingleError(Random("  batch_size: {distribution: q_normal, mu: 64, sigma: 20, q: 2}\n")).Message);
        Assert.StartsWith("learning_rate: normal(mu 1E+308, sigma 1E-308) draws values above 10 with probability 1;",
            SingleError(Random("  learning_rate: {distribution: normal, mu: 1e308, sigma: 1e-308}\n")).Message);
    }

    [Fact]
    public void A_tail_outside_the_bounds_below_one_in_a_million_is_accepted()
    {
        // 2 P(Z > 5) = 5.7e-7 outside [0, 1]; sigma 0.11 above gives 5.5e-6 and is refused.
        Valid(Random("  noise_level: {distribution: normal, mu: 0.5, sigma: 0.1}\n"));
        Valid(Random("  learning_rate: {distribution: normal, mu: 0.1, sigma: 0.01}\n")); // 0 is 10 sigma away
        Valid(Random("  epochs: {distribution: q_log_normal, mu: 4, sigma: 0.5}\n  hidden_units: {distribution: q_normal, mu: 64, sigma: 8, q: 4}\n"));
        Valid(Random("  momentum: {distribution: q_normal, mu: 0.5, sigma: 0.01, q: 2}\n")); // every draw rounds to 0
        Valid(Random("  noise_level: {distribution: log_normal, mu: -3, sigma: 0}\n")); // every draw is e^-3
        Assert.StartsWith("noise_level: log_normal(mu 3, sigma 0) draws values above 1 with probability 1;",
            SingleError(Random("  noise_level: {distribution: log_normal, mu: 3, sigma: 0}\n")).Message);
    }

    [Fact]
    public void Random_search_redraws_values_outside_the_bounds_deterministically()
    {
        // Built by hand, past the file check: half of normal(0, 1) is outside learning_rate's (0, 10].
        ParameterSpec[] specs = [new("learning_rate", Distribution.Normal, [], Mu: 0, Sigma: 1), new("momentum", Distribution.Uniform, [], Min: 0, Max: 0.9)];
        var points = RandomSearch.Points(specs, 500, samplerSeed: 7);
        Assert.All(points, p => Assert.InRange(p["learning_rate"].Number!.Value, double.Epsilon, 10));
        Assert.Equal(Column(points, "learning_rate"), Column(RandomSearch.Points(specs, 500, samplerSeed: 7), "learning_rate"));

        // Redraws come from the same generator: the first point's value is the first positive draw.
        var generator = new System.Random(7);
        double x;
        do
            x = SpecialFunctions.InverseNormal(NextOpen());
        while (!(x > 0 && x <= 10));
        Assert.Equal(x, points[0]["learning_rate"].Number!.Value);

        double NextOpen()
        {
            double u;
            do u = generator.NextDouble(); while (u == 0);
            return u;
        }
    }

    [Fact]
    public void Labels_are_one_line_of_at_most_200_characters()
    {
        string ok = "method: grid\nparameters:\n  epochs: {value: 1}\n";
        Assert.Equal("../../x", Valid("name: ../../x\n" + ok).Name);
        Assert.Equal(new string('é', 200), Valid($"name: {new string('é', 200)}\n" + ok).Name);

        var tooLong = SingleError($"description: {new string('d', 201)}\n" + ok);
        Assert.Equal("test.yaml:1:14: description is 201 characters long; a label has at most 200 characters", tooLong.ToString());

        var escape = SingleError("name: \"red\\x1bgreen\"\n" + ok);
        Assert.Equal("test.yaml:1:7: name contains the control character U+001B at character 4; a label is one line of printable text", escape.ToString());

        Assert.Contains("control character U+2028 at character 2", SingleError("name: \"a\\u2028b\"\n" + ok).Message);

        var configuration = SingleError("method: grid\nconfigurations:\n  - {name: \"two\\nlines\", epochs: 2}\n");
        Assert.Equal((3, 12), (configuration.Line, configuration.Column));
        Assert.StartsWith("configuration name contains the control character U+000A at character 4", configuration.Message);
    }

    [Fact]
    public void A_capped_grid_of_billions_of_points_is_planned_without_enumerating_it()
    {
        var sweep = Valid("method: grid\nrun_cap: 5\nparameters:\n  hidden_units: {min: 1, max: 1000}\n  epochs: {min: 1, max: 10000}\n  batch_size: {min: 2, max: 4096}\n");
        Assert.Equal(["2", "2", "2", "2", "2"], Column(SweepPlanner.SearchPoints(sweep), "batch_size"));
        Assert.Equal(["1", "2", "3", "4", "5"], Column(SweepPlanner.SearchPoints(sweep), "hidden_units"));
    }
}
