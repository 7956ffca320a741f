namespace TinyNet.Sweeps.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Validate_notebook_succeeds_and_counts_15_trials()
    {
        var r = await Cli.Run("validate", Cli.SampleSweep("notebook.yaml"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("15 trials", r.Output);
        Assert.Contains("3 configurations × 5 seeds", r.Output);
        Assert.Contains("calibration_error (minimize)", r.Output);
        Assert.Contains("sigmoid-sgd", r.Output);
        Assert.Contains("... and 5 more trials.", r.Output);
        Assert.DoesNotContain("error", r.Error);
    }

    [Theory]
    [InlineData("smoke.yaml", "4 trials")]
    [InlineData("grid.yaml", "trials")]
    [InlineData("random.yaml", "trials")]
    [InlineData("calibration-hunt.yaml", "240 trials")]
    [InlineData("calibration-bayes.yaml", "up to 120 trials")]
    public async Task Every_sample_sweep_is_valid(string file, string expected)
    {
        var r = await Cli.Run("validate", Cli.SampleSweep(file));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("valid", r.Output);
        Assert.Contains(expected, r.Output);
    }

    [Fact]
    public async Task Validate_shows_a_bayes_sweeps_rounds_its_first_round_and_what_hyperband_could_save()
    {
        var r = await Cli.Run("validate", Cli.SampleSweep("calibration-bayes.yaml"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("method bayes, up to 120 trials (40 points × 1 configurations × 3 seeds)", r.Output);
        Assert.Contains("points are suggested 4 at a time", r.Output);
        Assert.Contains("Early termination: hyperband (eta 3, strict), bands at epochs 100, 300, 900", r.Output);
        Assert.Contains("it could save at most", r.Output);
        Assert.Contains("The first round (random, as nothing is known yet):", r.Output);
        Assert.Empty(r.Error);
    }

    [Fact]
    public async Task Validate_reports_every_mistake_with_file_line_and_column_and_no_stack_trace()
    {
        string path = _temp.Write("two-mistakes.yaml", """
            name: two-mistakes
            method: grid
            paramters:
              activation:
                values: [relu]
            parameters:
              learning_rate: {value: -1}
            """);

        var r = await Cli.Run("validate", path);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("2 problems", r.Error);
        // The misspelt key is at line 3, column 1; the -1 at line 7, column 26.
        Assert.Contains($"{path}:3:1:", r.Error);
        Assert.Contains("paramters", r.Error);
        Assert.Contains("did you mean", r.Error);
        Assert.Contains("'parameters'", r.Error);
        Assert.Contains($"{path}:7:26:", r.Error);
        Assert.Contains("learning_rate", r.Error);
        Cli.NoStackTrace(r.Error);
        Cli.NoStackTrace(r.Output);
        Assert.DoesNotContain("valid.", r.Output);
    }

    [Fact]
    public async Task Validate_a_missing_file_exits_2_with_a_clear_message()
    {
        string path = _temp.File("does-not-exist.yaml");

        var r = await Cli.Run("validate", path);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(path, r.Error);
        Assert.Contains("not found", r.Error);
        Cli.NoStackTrace(r.Error);
    }

    [Fact]
    public async Task Validate_a_yaml_syntax_error_exits_2_without_a_stack_trace()
    {
        string path = _temp.Write("broken.yaml", "name: broken\nparameters:\n  activation: {values: [relu, tanh\n");

        var r = await Cli.Run("validate", path);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(path, r.Error);
        Cli.NoStackTrace(r.Error);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("validate", "--frobnicate")]
    [InlineData("validate")]
    [InlineData("run", "--silos")]
    [InlineData("run", "x.yaml", "--silos", "two")]
    public async Task Unknown_commands_options_and_bad_arguments_exit_2(params string[] args)
    {
        var r = await Cli.Run(args);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("error", r.Error);
        Cli.NoStackTrace(r.Error);
    }
}
