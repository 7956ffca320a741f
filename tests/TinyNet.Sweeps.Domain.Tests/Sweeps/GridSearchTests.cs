using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>ORACLES.md section A, with our parameter names.</summary>
public class GridSearchTests
{
    private static IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> Points(string parameters) =>
        SweepPlanner.SearchPoints(Valid("method: grid\nparameters:\n" + parameters));

    private static string[] Pairs(IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> points, string a, string b) =>
        [.. points.Select(p => $"({p[a]},{p[b]})")];

    [Fact] // A1
    public void Product_varies_the_last_parameter_fastest()
    {
        var points = Points("  batch_size: {values: [1000, 2000, 3000]}\n  epochs: {values: [4, 5]}\n");
        Assert.Equal(["(1000,4)", "(1000,5)", "(2000,4)", "(2000,5)", "(3000,4)", "(3000,5)"], Pairs(points, "batch_size", "epochs"));
    }

    [Fact] // A2
    public void Order_is_by_sorted_parameter_name_not_file_order()
    {
        var points = Points("  learning_rate: {values: [0.1, 0.2]}\n  epochs: {values: [3, 4]}\n");
        Assert.Equal(["(3,0.1)", "(3,0.2)", "(4,0.1)", "(4,0.2)"], Pairs(points, "epochs", "learning_rate"));
    }

    [Fact] // A3
    public void Duplicate_values_collapse_keeping_first_position()
    {
        var points = Points("  activation: {values: [relu, tanh, sigmoid, relu]}\n  epochs: {values: [1, 2, 3]}\n");
        Assert.Equal(9, points.Count);
        Assert.Equal(["(relu,1)", "(relu,2)", "(relu,3)", "(tanh,1)", "(tanh,2)", "(tanh,3)", "(sigmoid,1)", "(sigmoid,2)", "(sigmoid,3)"],
            Pairs(points, "activation", "epochs"));
    }

    [Fact] // A5, typed: 1 and 1.0 are one point; so are 0.1 and 1e-1, and Relu and relu.
    public void Equal_numbers_are_one_point()
    {
        Assert.Equal(["10", "20"], Column(Points("  epochs: {values: [10, 10.0, 20]}\n"), "epochs"));
        Assert.Equal(["0.1", "0.2"], Column(Points("  learning_rate: {values: [0.1, 1e-1, 0.10, 0.2]}\n"), "learning_rate"));
        Assert.Equal(["relu"], Column(Points("  activation: {values: [relu, Relu, RELU]}\n"), "activation"));
    }

    [Fact] // A8
    public void Constants_are_in_every_point_and_do_not_multiply()
    {
        var points = Points("  activation: {values: [sigmoid, relu, tanh]}\n  learning_rate: {value: 0.5}\n");
        Assert.Equal(3, points.Count);
        Assert.All(points, p => Assert.Equal(0.5, p["learning_rate"].Number));

        var onlyConstants = Points("  learning_rate: {value: 0.5}\n  epochs: {value: 7}\n");
        var single = Assert.Single(onlyConstants);
        Assert.Equal(7, single["epochs"].Number);
    }

    [Fact] // A9
    public void Int_uniform_enumerates_min_to_max_inclusive()
    {
        var points = Points("  hidden_units: {distribution: int_uniform, min: 1, max: 63}\n");
        Assert.Equal(63, points.Count);
        Assert.Equal(Enumerable.Range(1, 63).Select(i => (double)i), points.Select(p => p["hidden_units"].Number!.Value));
        Assert.Equal(["1", "2", "3"], Column(Points("  epochs: {min: 1, max: 3}\n"), "epochs"));
    }

    [Fact] // A9, the oracle's own numbers
    public void Int_uniform_from_minus_52_to_10_has_63_values()
    {
        var spec = new ParameterSpec("x", Distribution.IntUniform, [], Min: -52, Max: 10);
        var values = GridSearch.Values(spec);
        Assert.Equal(63, values.Count);
        Assert.Equal((-52.0, 10.0), (values[0].Number!.Value, values[^1].Number!.Value));
    }

    [Fact] // A10
    public void Q_uniform_is_numpy_arange_with_max_excluded()
    {
        var values = GridSearch.QUniformValues(-9.211, 23.23, 2.341);
        Assert.Equal(14, values.Count);
        Assert.Equal(-9.211, values[0]);
        Assert.Equal(21.222, values[^1], 9);
    }

    [Fact] // A11
    public void Q_uniform_grid_values()
    {
        Assert.Equal(["0", "0.25", "0.5", "0.75"], Column(Points("  noise_level: {distribution: q_uniform, min: 0, max: 1, q: 0.25}\n"), "noise_level"));
        Assert.Equal(["10", "20"], Column(Points("  batch_size: {distribution: q_uniform, min: 10, max: 30, q: 10}\n"), "batch_size"));
        Assert.Equal(["1", "2", "3"], Column(Points("  hidden_units: {distribution: q_uniform, min: 1, max: 4}\n"), "hidden_units"));
    }

    [Theory] // A12
    [InlineData("  learning_rate: {distribution: uniform, min: 0.01, max: 0.1}\n", "uniform")]
    [InlineData("  learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.1}\n", "log_uniform_values")]
    [InlineData("  learning_rate: {distribution: log_normal, mu: -3, sigma: 1}\n", "log_normal")]
    [InlineData("  optimizer: {values: [sgd, adam], probabilities: [0.5, 0.5]}\n", "categorical_w_probabilities")]
    public void Grid_rejects_continuous_and_weighted_parameters_at_validation(string parameter, string distribution)
    {
        var d = SingleError("method: grid\nparameters:\n" + parameter);
        Assert.Contains($"grid search cannot enumerate {distribution}", d.Message);
        Assert.Contains("grid takes 'value', 'values', int_uniform or q_uniform", d.Message);
        Assert.Equal(3, d.Line);
    }

    [Fact]
    public void Grid_rejects_normal_as_grid_problem()
    {
        var errors = Errors("method: grid\nparameters:\n  learning_rate: {distribution: normal}\n");
        Assert.Contains(errors, e => e.Message.Contains("grid search cannot enumerate normal"));
    }

    [Fact]
    public void Grid_q_uniform_value_that_cannot_train_is_an_error()
    {
        var d = SingleError("method: grid\nparameters:\n  epochs: {distribution: q_uniform, min: 0, max: 10, q: 5}\n");
        Assert.Equal("epochs: q_uniform gives the grid value 0, which cannot train: epochs must be an integer from 1 to 100000 (a trial needs at least one optimiser step, and 100000 steps are already about ten seconds of training and a 2 MB loss history per trial)", d.Message);
    }

    [Fact]
    public void Run_cap_truncates_the_grid_with_a_warning()
    {
        var result = SweepFile.Parse("method: grid\nrun_cap: 4\nparameters:\n  epochs: {values: [1, 2, 3]}\n  batch_size: {values: [8, 16]}\n", "g.yaml");
        Assert.True(result.IsValid);
        var w = Assert.Single(result.Warnings);
        Assert.Equal("g.yaml:2:10: run_cap 4 keeps the first 4 of the 6 grid points", w.ToString());
        Assert.Equal(["(8,1)", "(8,2)", "(8,3)", "(16,1)"], Pairs(SweepPlanner.SearchPoints(result.Sweep!), "batch_size", "epochs"));
        Assert.Equal(4, SweepPlanner.Plan(result.Sweep!).Count);
    }

    [Fact]
    public void Run_cap_larger_than_grid_changes_nothing()
    {
        var result = SweepFile.Parse("method: grid\nrun_cap: 10\nparameters:\n  epochs: {values: [1, 2, 3]}\n", "g.yaml");
        Assert.Empty(result.Warnings);
        Assert.Equal(3, SweepPlanner.Plan(result.Sweep!).Count);
    }
}
