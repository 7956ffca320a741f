namespace TinyNet.Sweeps.Cli.Tests;

/// <summary>compare on folders written by real runs.</summary>
public sealed class CompareCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Sweep(string name, string activations, string seeds) => _temp.Write($"{name}.yaml", $"""
        name: {name}
        method: grid
        seeds: {seeds}
        parameters:
          activation:
            values: [{activations}]
          epochs:
            value: 20
          batch_size:
            value: 16
        """);

    private async Task<string> RunSweep(string name, string activations, string seeds)
    {
        string outDir = _temp.File(name + "-out");
        var r = await Cli.Run("run", Sweep(name, activations, seeds), "--out", outDir);
        Assert.True(r.ExitCode == 0, r.ToString());
        return outDir;
    }

    [Fact]
    public async Task Compare_lines_up_the_shared_configurations_and_refuses_folders_that_share_none()
    {
        string a = await RunSweep("first", "relu, tanh", "[0, 1]");
        string b = await RunSweep("second", "relu, tanh, sigmoid", "[0, 1, 2]");
        string c = await RunSweep("third", "sigmoid", "[0, 1]");

        var r = await Cli.Run("compare", a, b);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("2 shared configurations", r.Output);
        Assert.Contains("first → second: ranked by calibration_error (minimize)", r.Output);
        Assert.Contains("relu sgd", r.Output);
        Assert.Contains("tanh sgd", r.Output);
        Assert.DoesNotContain("sigmoid sgd", r.Output); // only in B: not lined up
        Assert.Contains("rank A → B", r.Output);
        Assert.Contains("p = ", r.Output);                // seeds 0 and 1 completed in both: a paired test
        Assert.Contains("2 shared seeds", r.Output);
        Assert.DoesNotContain("needs 2", r.Output);
        foreach (string metric in new[] { "calibration_error", "eval_loss", "final_loss", "eval_accuracy", "brier", "clear_confidence", "ambiguous_confidence" })
            Assert.Contains(metric, r.Output);

        var reversed = await Cli.Run("compare", b, a);
        Assert.True(reversed.ExitCode == 0, reversed.ToString());
        Assert.Contains("2 shared configurations", reversed.Output);

        var none = await Cli.Run("compare", a, c);
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("share no configuration", none.Error);
        Assert.Contains(a, none.Error);
        Assert.Contains(c, none.Error);
        Cli.NoStackTrace(none.Error);
    }
}

/// <summary>compare's refusals that need no run.</summary>
public sealed class CompareCommandErrorTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_missing_folder_is_refused_with_its_name()
    {
        string missing = _temp.File("no-such-folder");
        string empty = _temp.File("empty");
        Directory.CreateDirectory(empty);

        var r = await Cli.Run("compare", missing, empty);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{missing}: no such folder", r.Error);
        Assert.Equal("", r.Output);
        Cli.NoStackTrace(r.Error);
    }

    [Fact]
    public async Task A_folder_without_trials_jsonl_is_refused_with_its_name()
    {
        string empty = _temp.File("empty");
        Directory.CreateDirectory(empty);
        string other = _temp.File("other");
        Directory.CreateDirectory(other);

        var r = await Cli.Run("compare", empty, other);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{empty} has no trials.jsonl", r.Error);
        Cli.NoStackTrace(r.Error);
    }

    [Fact]
    public async Task Compare_needs_two_folders()
    {
        var r = await Cli.Run("compare", _temp.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("error:", r.Error);
    }
}
