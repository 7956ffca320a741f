namespace TinyNet.Sweeps.Cli.Tests;

/// <summary>The benchmarks in their short forms; a class of their own, so they run alongside the run tests.</summary>
public sealed class BenchmarkCommandTests
{
    [Fact]
    public async Task Benchmark_search_in_its_short_form_prints_every_method()
    {
        // The real figures take minutes (README); this only checks that the command runs and reports each method.
        var r = await Cli.Run("benchmark", "search", "--seeds", "1", "--points", "4", "--target", "0.5",
            "--random-file", Cli.SampleSweep("calibration-hunt.yaml"), "--bayes-file", Cli.SampleSweep("calibration-bayes.yaml"));

        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (string method in new[] { "random", "bayes", "random + hyperband", "bayes + hyperband" })
            Assert.Contains($"seed 0, {method}: ", r.Error);
        Assert.Contains("median epochs", r.Output);
        Assert.Contains("epochs vs random", r.Output);
    }

    [Fact]
    public async Task Benchmark_in_its_short_form_prints_orchestration_its_JIT_share_and_memory()
    {
        var r = await Cli.Run("benchmark", "--trials", "30", "--epochs", "2");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("then: 2 × 30 trials × 2 epochs", r.Output);
        Assert.Contains("cluster: orchestration CPU per trial", r.Output);
        Assert.Contains("cluster: of which JIT compiling, per trial", r.Output);
        Assert.Contains("cluster: orchestration CPU per trial without JIT compiling", r.Output);
        Assert.Contains("Peak working set", r.Output);
    }

    [Fact]
    public async Task Benchmark_engine_in_its_short_form_prints_the_plain_loop_and_each_K()
    {
        // Only that the command runs and reports each figure; the figures themselves are the README's.
        var r = await Cli.Run("benchmark", "engine", "--epochs", "5", "--lanes", "1,3", "--seconds", "1", "--reps", "1");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("plain C# loop", r.Output);
        Assert.Contains("K = 1 (one trial at a time)", r.Output);
        Assert.Contains("K = 3", r.Output);
        Assert.Contains("Memory of one group of K = 3", r.Output);
        Assert.Contains("Drawing the batches", r.Output);
    }

    [Fact]
    public async Task Benchmark_coordinator_in_its_short_form_prints_its_cost_a_trial_and_the_coordinator_ceiling()
    {
        var r = await Cli.Run("benchmark", "coordinator", "--silos", "1", "--workers", "2", "--trials", "300");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("300 instantly trained trials through 1 silos x 2 workers", r.Output);
        Assert.Contains("results/s end to end", r.Output);
        Assert.Contains("µs of CPU per trial, whole process", r.Output);
        Assert.Contains("KB allocated per trial, whole process", r.Output);
        Assert.Contains("results/s into one sweep", r.Output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1,2000")]
    [InlineData("four")]
    public async Task Benchmark_engine_refuses_a_lane_count_out_of_range(string lanes)
    {
        var r = await Cli.Run("benchmark", "engine", "--lanes", lanes);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--lanes takes lane counts from 1 to 1024", r.Error);
    }
}
