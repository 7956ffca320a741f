using System.Text;
using TinyNet.Sweeps.Domain.Sweeps;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Faults.Tests;

/// <summary>
/// Files and names that used to crash the process (a stack overflow, OutOfMemory) or write outside results/: each is
/// now a clear refusal with exit 2, or a results folder inside results/, whatever the command.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tinynet-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Commands => new() { "validate", "run", "submit" };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task A_file_nested_50000_deep_is_refused_with_its_position_not_a_stack_overflow(string command)
    {
        // 100 KB: "parameters:" then 50,000 nested flow lists, as in the report.
        string deep = Path.Combine(_dir, "deep.yaml");
        File.WriteAllText(deep, "method: grid\nparameters: " + new string('[', 50_000) + new string(']', 50_000) + "\n");
        string redis = command == "submit" ? " --redis 127.0.0.1:1" : "";

        var (exit, text) = await CliProcess.RunAsync($"{command} {deep}{redis}", TimeSpan.FromMinutes(1));

        output.WriteLine(text);
        Assert.True(exit == 2, text);
        Assert.Contains($"{deep}:2:", text);
        Assert.Contains($"nested deeper than {SweepFile.MaxNestingDepth} levels", text);
        CliProcess.AssertNoStackTrace(text);
        Assert.True(text.Length < 2_000, $"{text.Length} characters of output");
    }

    [Fact]
    public async Task Endless_and_huge_inputs_are_refused_after_reading_one_mebibyte()
    {
        string manyKeys = Path.Combine(_dir, "keys.yaml");
        var text = new StringBuilder("method: grid\n");
        for (int i = 0; text.Length <= 2 * SweepFile.MaxFileBytes; i++) text.Append("unknown_key_").Append(i).Append(": 1\n");
        File.WriteAllText(manyKeys, text.ToString());

        foreach (string file in new[] { "/dev/zero", manyKeys })
        {
            var (exit, said) = await CliProcess.RunAsync($"validate {file}", TimeSpan.FromMinutes(1));
            output.WriteLine(said);
            Assert.True(exit == 2, said);
            Assert.Contains("is larger than 1 MiB", said);
            CliProcess.AssertNoStackTrace(said);
        }
    }

    [Fact]
    public async Task Thousands_of_problems_print_the_first_fifty_and_a_count()
    {
        string file = Path.Combine(_dir, "typos.yaml");
        File.WriteAllText(file, "method: grid\nparameters:\n" + string.Concat(Enumerable.Range(0, 5_000).Select(i => $"  unknown_{i}: {{value: 1}}\n")));

        var (exit, text) = await CliProcess.RunAsync($"validate {file}", TimeSpan.FromMinutes(1));

        Assert.True(exit == 2, text);
        Assert.Contains("refused (5000 problems)", text);
        Assert.Equal(SweepFile.MaxReportedErrors, text.Split('\n').Count(l => l.Contains("unknown parameter")));
        Assert.Contains($"... and {5_000 - SweepFile.MaxReportedErrors} more problems", text);
    }

    [Fact]
    public async Task A_sweeps_name_never_steers_its_results_out_of_results()
    {
        // The run starts two folders down, so "../../x" would land inside _dir if the name were a path.
        string cwd = Directory.CreateDirectory(Path.Combine(_dir, "a", "b")).FullName;
        string absolute = Path.Combine(Path.GetTempPath(), $"tinynet-abs-{Guid.NewGuid():N}");
        string[] names = ["../../x", absolute, "..", "."];
        foreach (string name in names)
        {
            string sweep = StoppingTests.WriteSweep(_dir, $"name: \"{name}\"\nconfigurations:\n  - {{epochs: 3}}\n");
            var (exit, text) = await CliProcess.RunAsync($"run {sweep}", TimeSpan.FromMinutes(1), workingDirectory: cwd);
            Assert.True(exit == 0, text);
            string folder = Path.Combine(cwd, SweepNames.ResultsRoot, SweepNames.Segment(name));
            Assert.Contains($"Results in {folder} ", text);
            Assert.True(File.Exists(Path.Combine(folder, "trials.jsonl")), text);
        }

        Assert.False(Directory.Exists(absolute), $"{absolute} was written");
        // Nothing but the sweep files and the a/b/results tree: no folder appeared beside them.
        Assert.Equal(["a"], Directory.GetDirectories(_dir).Select(Path.GetFileName));
        Assert.Equal(["b"], Directory.GetDirectories(Path.Combine(_dir, "a")).Select(Path.GetFileName));
        Assert.Equal(["results"], Directory.GetDirectories(cwd).Select(Path.GetFileName));
        Assert.Equal(names.Length, Directory.GetDirectories(Path.Combine(cwd, SweepNames.ResultsRoot)).Length);
    }
}
