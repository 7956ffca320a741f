using System.Text.Json;

namespace TinyNet.Sweeps.Cli.Tests;

/// <summary>
/// Each `run` starts an embedded cluster in this process with a logger of its own, so these tests run alongside the
/// other classes' (xunit runs test classes in parallel).
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Smoke => Cli.SampleSweep("smoke.yaml");

    private static int SmokeTrialCount()
    {
        // smoke.yaml: 2 activations × 1 × 1, seeds: 2. Check the file still says so.
        string text = File.ReadAllText(Smoke);
        Assert.Contains("seeds: 2", text);
        Assert.Contains("values: [relu, tanh]", text);
        return 4;
    }

    private static string[] JsonlLines(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "trials.jsonl")).Where(l => l.Length > 0).ToArray();

    private static Dictionary<string, JsonElement> TrialsById(string dir) =>
        JsonlLines(dir).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToDictionary(e => e.GetProperty("id").GetString()!);

    private static void AssertExactlyEqual(JsonElement expected, JsonElement actual, string where)
    {
        Assert.Equal(JsonValueKind.Object, expected.ValueKind);
        var e = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        var a = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(e.Keys.Order(), a.Keys.Order());
        foreach (var (name, value) in e)
        {
            // The raw text is the shortest round-trip form, so equal text means equal bits.
            Assert.True(value.GetRawText() == a[name].GetRawText(),
                $"{where}.{name}: {value.GetRawText()} != {a[name].GetRawText()}");
            if (value.ValueKind == JsonValueKind.Number)
                Assert.Equal(BitConverter.DoubleToInt64Bits(value.GetDouble()), BitConverter.DoubleToInt64Bits(a[name].GetDouble()));
        }
    }

    [Fact]
    public async Task Run_smoke_trains_every_trial_prints_a_ranking_and_writes_all_outputs()
    {
        int trials = SmokeTrialCount();
        string outDir = _temp.File("smoke-out");

        var r = await Cli.Run("run", Smoke, "--out", outDir);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("smoke: ranked by calibration_error (minimize)", r.Output);
        Assert.Contains("rank", r.Output);
        Assert.Contains("relu sgd", r.Output);
        Assert.Contains("tanh sgd", r.Output);
        Assert.Contains($"{trials} trials trained, 0 reused", r.Output);

        Assert.Equal(trials, JsonlLines(outDir).Length);
        var byId = TrialsById(outDir);
        Assert.Equal(trials, byId.Count);
        Assert.All(byId.Values, t => Assert.Equal("completed", t.GetProperty("status").GetString()));
        Assert.Equal(2, byId.Values.Select(t => t.GetProperty("config_key").GetString()).Distinct().Count());
        Assert.Equal([0, 0, 1, 1], byId.Values.Select(t => t.GetProperty("seed").GetInt32()).Order());

        foreach (string f in new[] { "ranking.csv", "ranking.json", "ranking.md" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), $"{f} missing");
        string[] csv = File.ReadAllLines(Path.Combine(outDir, "ranking.csv")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(1 + 2, csv.Length);
        Assert.StartsWith("rank,", csv[0]);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "ranking.json")));
        Assert.Equal("smoke", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.All(json.RootElement.GetProperty("rows").EnumerateArray(),
            row => Assert.Equal(2, row.GetProperty("metrics").GetProperty("calibration_error").GetProperty("n").GetInt32()));
        string[] mdRows = File.ReadAllLines(Path.Combine(outDir, "ranking.md")).Where(l => l.StartsWith("| 1 ") || l.StartsWith("| 2 ")).ToArray();
        Assert.Equal(2, mdRows.Length);
    }

    [Fact]
    public async Task Two_runs_at_once_keep_their_logs_apart()
    {
        string json = _temp.File("one.log.jsonl");

        var runs = await Task.WhenAll(
            Cli.Run("run", Smoke, "--out", _temp.File("one"), "--workers", "1", "--log-json", json),
            Cli.Run("run", Smoke, "--out", _temp.File("two"), "--workers", "2"));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        // Each command's log lines go to its own standard error, and nowhere else.
        Assert.Contains("Embedded cluster up: 1 silo(s) × 1 training worker(s)", runs[0].Error);
        Assert.DoesNotContain("× 2 training worker(s)", runs[0].Error);
        Assert.Contains("Embedded cluster up: 1 silo(s) × 2 training worker(s)", runs[1].Error);
        Assert.DoesNotContain("× 1 training worker(s)", runs[1].Error);
        Assert.All(runs, r => Assert.Contains("4/4 trials finished (4 completed, 0 diverged, 0 failed), 0 training, 0 queued", r.Error));
        // --log-json gets the events of its own run, whole (the file is flushed when the command ends).
        var events = File.ReadAllLines(json).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var up = Assert.Single(events, e => e.GetProperty("@mt").GetString()!.StartsWith("Embedded cluster up"));
        Assert.Equal(1, up.GetProperty("Workers").GetInt32());
        Assert.Contains(events, e => e.GetProperty("@mt").GetString()!.Contains("trials finished"));
    }

    [Fact]
    public async Task Running_again_into_the_same_folder_reuses_every_trial_and_writes_the_same_ranking()
    {
        int trials = SmokeTrialCount();
        string outDir = _temp.File("resume-out");

        var first = await Cli.Run("run", Smoke, "--out", outDir);
        Assert.True(first.ExitCode == 0, first.ToString());
        string[] linesAfterFirst = JsonlLines(outDir);
        byte[] csvAfterFirst = File.ReadAllBytes(Path.Combine(outDir, "ranking.csv"));
        byte[] jsonAfterFirst = File.ReadAllBytes(Path.Combine(outDir, "ranking.json"));
        byte[] mdAfterFirst = File.ReadAllBytes(Path.Combine(outDir, "ranking.md"));

        var second = await Cli.Run("run", Smoke, "--out", outDir);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"0 trials trained, {trials} reused", second.Output);
        Assert.Equal(linesAfterFirst, JsonlLines(outDir));
        Assert.Equal(csvAfterFirst, File.ReadAllBytes(Path.Combine(outDir, "ranking.csv")));
        Assert.Equal(jsonAfterFirst, File.ReadAllBytes(Path.Combine(outDir, "ranking.json")));
        Assert.Equal(mdAfterFirst, File.ReadAllBytes(Path.Combine(outDir, "ranking.md")));
    }

    [Fact]
    public async Task A_partial_trials_file_is_resumed_by_training_only_the_missing_trials()
    {
        int trials = SmokeTrialCount();
        string outDir = _temp.File("partial-out");
        var first = await Cli.Run("run", Smoke, "--out", outDir);
        Assert.True(first.ExitCode == 0, first.ToString());
        string[] all = JsonlLines(outDir);
        byte[] csvAfterFirst = File.ReadAllBytes(Path.Combine(outDir, "ranking.csv"));

        // Keep one trial and half of the next line, as an interrupted run would leave it.
        File.WriteAllText(Path.Combine(outDir, "trials.jsonl"), all[0] + "\n" + all[1][..(all[1].Length / 2)]);
        var second = await Cli.Run("run", Smoke, "--out", outDir);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains($"{trials - 1} trials trained, 1 reused", second.Output);
        var byId = TrialsById(outDir, skipUnreadable: true);
        Assert.Equal(trials, byId.Count);
        // Training is deterministic, so the re-trained trials give the same ranking.
        Assert.Equal(csvAfterFirst, File.ReadAllBytes(Path.Combine(outDir, "ranking.csv")));
    }

    private static Dictionary<string, JsonElement> TrialsById(string dir, bool skipUnreadable)
    {
        var result = new Dictionary<string, JsonElement>();
        foreach (string line in JsonlLines(dir))
        {
            try
            {
                var e = JsonDocument.Parse(line).RootElement.Clone();
                result[e.GetProperty("id").GetString()!] = e;
            }
            catch (JsonException) when (skipUnreadable) { }
        }
        return result;
    }

    [Fact]
    public async Task Two_silos_give_bit_identical_metrics_to_one_silo_and_share_the_trials()
    {
        int trials = SmokeTrialCount();
        string oneDir = _temp.File("one-silo");
        string twoDir = _temp.File("two-silos");

        var one = await Cli.Run("run", Smoke, "--out", oneDir, "--silos", "1");
        var two = await Cli.Run("run", Smoke, "--out", twoDir, "--silos", "2", "--workers", "1");

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());
        var a = TrialsById(oneDir);
        var b = TrialsById(twoDir);
        Assert.Equal(trials, a.Count);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (string id in a.Keys)
        {
            AssertExactlyEqual(a[id].GetProperty("metrics"), b[id].GetProperty("metrics"), id + ".metrics");
            Assert.Equal(a[id].GetProperty("loss_history").GetRawText(), b[id].GetProperty("loss_history").GetRawText());
            Assert.Equal(a[id].GetProperty("weights").GetRawText(), b[id].GetProperty("weights").GetRawText());
        }

        Assert.All(a.Values, t => Assert.Equal("silo-1", t.GetProperty("silo").GetString()));
        var silos = b.Values.Select(t => t.GetProperty("silo").GetString()).ToHashSet();
        Assert.Equal(["silo-1", "silo-2"], silos.Order());
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(oneDir, "ranking.csv")),
            File.ReadAllBytes(Path.Combine(twoDir, "ranking.csv")));
    }

    [Fact]
    public async Task Bayes_with_hyperband_gives_the_same_trials_and_stops_on_one_silo_and_on_three()
    {
        string sweep = _temp.Write("adaptive.yaml", AdaptiveSweeps.Quick);
        string oneDir = _temp.File("adaptive-one"), threeDir = _temp.File("adaptive-three");

        var one = await Cli.Run("run", sweep, "--out", oneDir, "--silos", "1", "--workers", "2");
        var three = await Cli.Run("run", sweep, "--out", threeDir, "--silos", "3", "--workers", "1");

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(three.ExitCode == 0, three.ToString());
        var a = TrialsById(oneDir);
        var b = TrialsById(threeDir);
        Assert.Equal(16, a.Count);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Contains(a.Values, t => t.GetProperty("status").GetString() == "stopped");
        foreach (string id in a.Keys)
        {
            Assert.Equal(a[id].GetProperty("index").GetInt32(), b[id].GetProperty("index").GetInt32());
            Assert.Equal(a[id].GetProperty("status").GetString(), b[id].GetProperty("status").GetString());
            Assert.Equal(a[id].GetProperty("loss_history").GetRawText(), b[id].GetProperty("loss_history").GetRawText());
            AssertExactlyEqual(a[id].GetProperty("metrics"), b[id].GetProperty("metrics"), id + ".metrics");
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(oneDir, "ranking.csv")), File.ReadAllBytes(Path.Combine(threeDir, "ranking.csv")));

        // Run again: every trial, stopped ones included, is reused, and the search asks for the same ones.
        var again = await Cli.Run("run", sweep, "--out", oneDir);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 trials trained, 16 reused", again.Output);
    }

    [Fact]
    public async Task Run_on_an_invalid_file_exits_2_and_creates_no_output_folder()
    {
        string path = _temp.Write("invalid.yaml", "name: invalid\nparamters:\n  activation: {values: [relu]}\n");
        string outDir = _temp.File("never-created");

        var r = await Cli.Run("run", path, "--out", outDir);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(path, r.Error);
        Assert.Contains("did you mean", r.Error);
        Assert.Contains("nothing ran", r.Error);
        Cli.NoStackTrace(r.Error);
        Assert.False(Directory.Exists(outDir), "the output folder was created for a refused sweep");
    }

    [Fact]
    public async Task Run_on_a_missing_file_exits_2_and_creates_no_output_folder()
    {
        string outDir = _temp.File("never-created");

        var r = await Cli.Run("run", _temp.File("missing.yaml"), "--out", outDir);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("not found", r.Error);
        Cli.NoStackTrace(r.Error);
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--silos", "0")]
    [InlineData("--silos", "-1")]
    [InlineData("--workers", "0")]
    public async Task Run_refuses_fewer_than_one_silo_or_worker(string option, string value)
    {
        string outDir = _temp.File("never-created");

        var r = await Cli.Run("run", Smoke, "--out", outDir, option, value);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(option, r.Error);
        Assert.Contains("at least 1", r.Error);
        Cli.NoStackTrace(r.Error);
        Assert.False(Directory.Exists(outDir));
    }

    public static TheoryData<string[]> OptionsOutOfBounds => new()
    {
        { ["--silos", "17"] },
        { ["--workers", "20000"] },
        { ["--workers", "2147483647"] },
        { ["--workers", (OptionChecks.MaxWorkers + 1).ToString()] },
        { ["--silos", "3", "--workers", OptionChecks.MaxWorkers.ToString()] },
        { ["--top", "-1"] },
        { ["--top", "0"] },
    };

    [Theory]
    [MemberData(nameof(OptionsOutOfBounds))]
    public async Task Run_refuses_options_beyond_their_bounds_before_anything_starts(string[] options)
    {
        string outDir = _temp.File("never-created");

        var r = await Cli.Run(["run", Smoke, "--out", outDir, .. options]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(options[^2], r.Error);
        Assert.Contains("at least 1", r.Error);
        Cli.NoStackTrace(r.Error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Run_refuses_a_log_file_it_cannot_write_before_anything_starts()
    {
        string outDir = _temp.File("never-created");

        var r = await Cli.Run("run", Smoke, "--out", outDir, "--log-json", "/proc/tinynet-log.json");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--log-json /proc/tinynet-log.json cannot be written", r.Error);
        Cli.NoStackTrace(r.Error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_record_edited_by_hand_is_not_trusted_it_is_trained_again_with_a_warning_naming_its_line()
    {
        string outDir = _temp.File("tampered-out");
        var first = await Cli.Run("run", Smoke, "--out", outDir);
        Assert.True(first.ExitCode == 0, first.ToString());
        string[] lines = JsonlLines(outDir);
        byte[] csvAfterFirst = File.ReadAllBytes(Path.Combine(outDir, "ranking.csv"));

        // Line 2: another learning rate under the same id, and a calibration error that would rank it first.
        // Line 3: the configuration untouched, only a metric training cannot produce.
        var moved = System.Text.Json.Nodes.JsonNode.Parse(lines[1])!;
        moved["config"]!["learning_rate"] = 0.5;
        moved["metrics"]!["calibration_error"] = -123;
        lines[1] = moved.ToJsonString();
        var impossible = System.Text.Json.Nodes.JsonNode.Parse(lines[2])!;
        impossible["metrics"]!["calibration_error"] = -123;
        lines[2] = impossible.ToJsonString();
        File.WriteAllLines(Path.Combine(outDir, "trials.jsonl"), lines);

        var rerun = await Cli.Run("run", Smoke, "--out", outDir);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("trials.jsonl:2: trial", rerun.Error);
        Assert.Contains("learning_rate 0.5 in the file, 0.1 planned", rerun.Error);
        Assert.Contains("trials.jsonl:3: trial", rerun.Error);
        Assert.Contains("calibration_error -123, which training cannot produce", rerun.Error);
        Assert.Contains("2 trials trained, 2 reused", rerun.Output);
        // Trained again, deterministically: the ranking is the untampered one.
        Assert.Equal(csvAfterFirst, File.ReadAllBytes(Path.Combine(outDir, "ranking.csv")));
    }

    [Fact]
    public async Task Run_refuses_an_unknown_telemetry_exporter()
    {
        string outDir = _temp.File("never-created");

        var r = await Cli.Run("run", Smoke, "--out", outDir, "--telemetry", "carrier-pigeon");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("carrier-pigeon", r.Error);
        Cli.NoStackTrace(r.Error);
        Assert.False(Directory.Exists(outDir));
    }
}
