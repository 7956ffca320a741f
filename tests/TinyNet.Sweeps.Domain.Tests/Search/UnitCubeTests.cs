using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Tests.Search;

/// <summary>W&amp;B's params.py cdf/ppf: ORACLES.md E8, F2, F3, F4 and round trips for every distribution.</summary>
public class UnitCubeTests
{
    private static ParameterSpec Numeric(Distribution d, double min = 0, double max = 0, double mu = 0, double sigma = 1, double q = 1, double a = 1, double b = 1) =>
        new("x", d, [], Min: min, Max: max, Mu: mu, Sigma: sigma, Q: q, A: a, B: b);

    private static ParameterSpec Choices(params string[] values) => new("c", Distribution.Categorical, [.. values.Select(ParamValue.Of)]);

    public static TheoryData<string, ParameterSpec> ContinuousSpecs => new()
    {
        { "uniform", Numeric(Distribution.Uniform, -2, 5) },
        { "log_uniform_values", Numeric(Distribution.LogUniformValues, 1e-5, 0.1) },
        { "inv_log_uniform_values", Numeric(Distribution.InvLogUniformValues, 1e-3, 10) },
        { "log_uniform", Numeric(Distribution.LogUniform, -4, 2) },
        { "inv_log_uniform", Numeric(Distribution.InvLogUniform, 1, 5) },
        { "normal", Numeric(Distribution.Normal, mu: 2, sigma: 4) },
        { "log_normal", Numeric(Distribution.LogNormal, mu: -1, sigma: 0.5) },
        { "beta", Numeric(Distribution.Beta, a: 2, b: 5) },
    };

    [Theory]
    [MemberData(nameof(ContinuousSpecs))]
    public void A_continuous_coordinate_survives_the_trip_to_a_value_and_back_and_the_map_grows(string name, ParameterSpec spec)
    {
        double previous = double.NegativeInfinity;
        for (double u = 0.005; u < 1; u += 0.01)
        {
            double value = UnitCube.FromUnit(spec, u).Number!.Value;
            Assert.True(value > previous, $"{name}: ppf must grow with u ({value} after {previous})");
            previous = value;
            Assert.Equal(u, UnitCube.ToUnit(spec, ParamValue.Of(value)), 8); // the normal's quantile is Acklam's, good to 1e-9
        }
    }

    [Theory] // W&B's cdf at a few values: scipy's uniform, norm and randint
    [InlineData(Distribution.Uniform, 1, 10, 5.5, 0.5)]
    [InlineData(Distribution.IntUniform, 1, 10, 6, 0.6)]
    [InlineData(Distribution.IntUniform, 1, 10, 1, 0.1)]
    [InlineData(Distribution.IntUniform, 1, 10, 10, 1.0)]
    [InlineData(Distribution.LogUniformValues, 1e-4, 1e-1, 0.0031622776601683794, 0.5)]
    [InlineData(Distribution.InvLogUniformValues, 1e-4, 1e-1, 0.01, 2.0 / 3)]
    [InlineData(Distribution.Uniform, 1, 10, 11, 1.0)] // outside: clamped, as a CDF is
    public void Numeric_values_map_to_their_cdf(Distribution distribution, double min, double max, double value, double expected) =>
        Assert.Equal(expected, UnitCube.ToUnit(Numeric(distribution, min, max), ParamValue.Of(value)), 12);

    [Fact]
    public void Normal_values_map_to_the_normal_cdf()
    {
        var spec = Numeric(Distribution.Normal, mu: 2, sigma: 4);
        Assert.Equal(0.5, UnitCube.ToUnit(spec, ParamValue.Of(2)));
        Assert.Equal(0.8413447460685429, UnitCube.ToUnit(spec, ParamValue.Of(6)), 14);
    }

    [Fact]
    public void Every_int_uniform_value_maps_to_k_over_n_and_back_exactly()
    {
        foreach (var (min, max) in new[] { (1.0, 10.0), (-52.0, 10.0), (0.0, 1.0), (3.0, 3.0), (1.0, 1000.0) })
        {
            var spec = Numeric(Distribution.IntUniform, min, max);
            for (double k = min; k <= max; k++)
            {
                double u = UnitCube.ToUnit(spec, ParamValue.Of(k));
                Assert.Equal((k - min + 1) / (max - min + 1), u);
                Assert.Equal(k, UnitCube.FromUnit(spec, u).Number);
            }
            Assert.Equal(min, UnitCube.FromUnit(spec, 0).Number); // scipy gives min - 1 at 0, which is no value
        }
    }

    [Fact]
    public void Q_values_come_back_rounded_and_map_back_to_themselves()
    {
        var q = Numeric(Distribution.QUniform, 0, 10, q: 0.25);
        var qLog = Numeric(Distribution.QLogUniformValues, 1, 256, q: 1);
        for (double u = 0.003; u < 1; u += 0.01)
        {
            foreach (var spec in new[] { q, qLog })
            {
                double value = UnitCube.FromUnit(spec, u).Number!.Value;
                Assert.Equal(0, RandomSearch.Quantize(value, spec.Q) - value, 12);
                Assert.Equal(value, UnitCube.FromUnit(spec, UnitCube.ToUnit(spec, ParamValue.Of(value))).Number!.Value, 9);
            }
        }
    }

    [Fact] // F3 (with strings standing for W&B's list values: only the index matters)
    public void Categorical_values_map_to_index_plus_one_over_n_and_back()
    {
        var spec = Choices("(2,3)", "[3,4]", "['5','6']", "[(7,8),['9',[10,11]]]");
        Assert.Equal([0.25, 0.5, 0.75, 1.0], spec.Values.Select(v => UnitCube.ToUnit(spec, v)));
        Assert.Equal(spec.Values, new[] { 0.1, 0.4, 0.7, 0.9 }.Select(u => UnitCube.FromUnit(spec, u)));
        Assert.Equal(spec.Values, spec.Values.Select(v => UnitCube.FromUnit(spec, UnitCube.ToUnit(spec, v))));
    }

    [Fact]
    public void Every_categorical_value_comes_back_whatever_the_number_of_values()
    {
        for (int n = 1; n <= 40; n++)
        {
            var spec = Choices([.. Enumerable.Range(0, n).Select(i => $"v{i}")]);
            Assert.Equal(spec.Values, spec.Values.Select(v => UnitCube.FromUnit(spec, UnitCube.ToUnit(spec, v))));
        }
    }

    [Fact]
    public void Weighted_categorical_values_map_to_their_cumulative_probability_and_back()
    {
        var spec = new ParameterSpec("c", Distribution.CategoricalWithProbabilities, [.. "abcde".Select(ch => ParamValue.Of(ch.ToString()))],
            Probabilities: [0.1, 0.25, 0.15, 0.2, 0.3]);
        Assert.Equal(0.1, UnitCube.ToUnit(spec, ParamValue.Of("a")));
        Assert.Equal(0.5, UnitCube.ToUnit(spec, ParamValue.Of("c")), 15);
        Assert.Equal(spec.Values, spec.Values.Select(v => UnitCube.FromUnit(spec, UnitCube.ToUnit(spec, v))));

        var withZero = spec with { Values = [ParamValue.Of("sgd"), ParamValue.Of("adam"), ParamValue.Of("adamw")], Probabilities = [0.5, 0.0, 0.5] };
        Assert.DoesNotContain(ParamValue.Of("adam"), Enumerable.Range(0, 101).Select(i => UnitCube.FromUnit(withZero, i / 100.0)));
    }

    [Fact] // F4
    public void A_value_that_is_not_among_the_categorical_values_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => UnitCube.ToUnit(Choices("a", "b", "c"), ParamValue.Of("d")));
        Assert.StartsWith("d is not a permitted value of the categorical hyperparameter c", error.Message);
    }

    [Fact]
    public void A_coordinate_outside_the_unit_interval_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => UnitCube.FromUnit(Numeric(Distribution.Uniform, 0, 1), 1.5));

    [Fact] // F1: constants carried; axes sorted by name
    public void The_cube_has_an_axis_per_searchable_parameter_in_name_order_and_carries_constants()
    {
        var cube = new UnitCube(
        [
            new ParameterSpec("zeta", Distribution.Uniform, [], Min: 0, Max: 10),
            new ParameterSpec("epochs", Distribution.Constant, [ParamValue.Of(5)]),
            Choices("relu", "tanh") with { Name = "activation" },
        ]);
        Assert.Equal(["activation", "zeta"], cube.Axes.Select(a => a.Name));
        var values = cube.FromCube([1.0, 0.25]);
        Assert.Equal(ParamValue.Of("tanh"), values["activation"]);
        Assert.Equal(2.5, values["zeta"].Number);
        Assert.Equal(5, values["epochs"].Number);
        Assert.Equal([1.0, 0.25], cube.ToCube(values));
        Assert.Throws<ArgumentException>(() => cube.ToCube(new Dictionary<string, ParamValue> { ["zeta"] = ParamValue.Of(1) }));
    }

    [Fact] // F2
    public void A_cube_of_constants_only_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new UnitCube([new ParameterSpec("epochs", Distribution.Constant, [ParamValue.Of(5)])]));
        Assert.StartsWith("Need at least one searchable parameter for bayes search.", error.Message);
    }

    [Fact] // E8
    public void The_first_bayes_suggestion_keeps_int_uniform_integral_and_uniform_real()
    {
        var cube = new UnitCube([new ParameterSpec("v1", Distribution.IntUniform, [], Min: 1, Max: 10), new ParameterSpec("v2", Distribution.Uniform, [], Min: 1.0, Max: 10.0)]);
        for (int seed = 0; seed < 20; seed++)
        {
            var suggestion = BayesSuggester.Suggest(cube.Dimensions, [], [], 1, new Random(seed)).Single();
            var values = cube.FromCube(suggestion.Point);
            double v1 = values["v1"].Number!.Value, v2 = values["v2"].Number!.Value;
            Assert.InRange(v1, 1, 10);
            Assert.Equal(Math.Floor(v1), v1);
            Assert.InRange(v2, 1, 10);
            Assert.NotEqual(Math.Floor(v2), v2);
        }
    }
}
