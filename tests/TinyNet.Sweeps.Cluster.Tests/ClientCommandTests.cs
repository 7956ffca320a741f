namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>submit, status, results, list and cancel as separate client processes against silo processes.</summary>
[Collection(RedisCollection.Name)]
public sealed class ClientCommandTests(RedisServer redis)
{
    [Fact]
    public async Task A_sweep_submitted_by_one_client_is_followed_and_exported_by_others()
    {
        await using var cluster = new ClusterUnderTest(redis);
        for (int i = 0; i < 2; i++) await cluster.StartSiloAsync();
        string repo = CliBinary.RepoRoot;
        string smoke = Path.Combine(repo, "sweeps", "smoke.yaml");
        string outDir = Path.Combine(Path.GetTempPath(), $"tinynet-status-{Guid.NewGuid():N}");
        string exportDir = Path.Combine(Path.GetTempPath(), $"tinynet-results-{Guid.NewGuid():N}");
        try
        {
            var (submitCode, submitted) = await cluster.RunCliAsync($"submit {smoke}");
            Assert.True(submitCode == 0, submitted);
            string id = submitted.Split('\n').First(l => l.StartsWith("smoke-")).Trim();

            // Another client reattaches and follows it to the end.
            var (statusCode, status) = await cluster.RunCliAsync($"status {id} --wait --out {outDir}");
            Assert.True(statusCode == 0, status);
            Assert.Contains("ranked by calibration_error", status);
            Assert.Equal(4, File.ReadAllLines(Path.Combine(outDir, "trials.jsonl")).Length);

            var (resultsCode, csv) = await cluster.RunCliAsync($"results {id} --format csv --out {exportDir}");
            Assert.True(resultsCode == 0, csv);
            Assert.Contains("rank,label,config_key,activation", csv);
            foreach (string file in new[] { "trials.jsonl", "ranking.csv", "ranking.json", "ranking.md" })
                Assert.True(File.Exists(Path.Combine(exportDir, file)), file);
            Assert.Equal(File.ReadAllText(Path.Combine(outDir, "ranking.csv")), File.ReadAllText(Path.Combine(exportDir, "ranking.csv")));

            var (listCode, list) = await cluster.RunCliAsync("list");
            Assert.True(listCode == 0, list);
            Assert.Contains(id, list);
            Assert.Contains("completed", list);

            var (cancelCode, cancel) = await cluster.RunCliAsync($"cancel {id}");
            Assert.True(cancelCode == 0, cancel);
            Assert.Contains("completed", cancel);

            var (unknownCode, unknown) = await cluster.RunCliAsync("status no-such-sweep");
            Assert.Equal(2, unknownCode);
            Assert.Contains("There is no sweep 'no-such-sweep'", unknown);
            Assert.DoesNotContain("   at ", unknown);
        }
        finally
        {
            foreach (string dir in new[] { outDir, exportDir })
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_bayes_sweep_with_hyperband_gives_through_redis_and_two_silo_processes_the_trials_it_gives_embedded()
    {
        await using var cluster = new ClusterUnderTest(redis);
        for (int i = 0; i < 2; i++) await cluster.StartSiloAsync();
        string work = Directory.CreateTempSubdirectory("tinynet-adaptive-").FullName;
        try
        {
            string sweep = Path.Combine(work, "adaptive.yaml");
            await File.WriteAllTextAsync(sweep, AdaptiveSweeps.Quick);
            string clustered = Path.Combine(work, "clustered"), embedded = Path.Combine(work, "embedded");

            var (submitCode, submitted) = await cluster.RunCliAsync($"submit {sweep} --wait --out {clustered}");
            Assert.True(submitCode == 0, submitted);
            var run = ChildProcesses.Start("dotnet", $"{CliBinary.Dll} run {sweep} --out {embedded}");
            await run.WaitForExitAsync();
            run.WaitForExit();
            Assert.True(run.ExitCode == 0, ChildProcesses.Output(run));

            var a = Trials(clustered);
            var b = Trials(embedded);
            Assert.Equal(16, a.Count);
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            Assert.Contains(a.Values, t => t.Status == "stopped");
            Assert.All(a, t => Assert.Equal(t.Value, b[t.Key]));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Each trial's id with what training decided about it: index, status, loss history and metrics as written.</summary>
    private static Dictionary<string, (int Index, string Status, string History, string Metrics)> Trials(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "trials.jsonl")).Where(l => l.Length > 0)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => (
                e.GetProperty("index").GetInt32(), e.GetProperty("status").GetString()!,
                e.GetProperty("loss_history").GetRawText(), e.GetProperty("metrics").GetRawText()));

    [Fact]
    public async Task A_cluster_that_cannot_be_reached_is_a_one_line_error()
    {
        await using var cluster = new ClusterUnderTest(redis);
        // Redis is up but no silo has joined this cluster id.
        var (code, output) = await cluster.RunCliAsync("list");
        Assert.Equal(1, code);
        Assert.Contains("No silo of cluster", output);
        Assert.DoesNotContain("   at ", output);
    }
}
