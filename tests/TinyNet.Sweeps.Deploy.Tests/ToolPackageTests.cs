using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using TinyNet.Build;
using Xunit.Abstractions;

namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>
/// The CLI as a .NET tool: `dotnet pack` (Release, this machine's platform only: packing all three platforms'
/// libtorch would triple the time and test nothing more here), installed with `dotnet tool install --tool-path`
/// from that folder alone, and run from the tool path. Packed and installed once for the class.
/// </summary>
public sealed class ToolPackageFixture : IDisposable
{
    public const string PackageId = "TinyNet.Sweeps";
    public const string Command = "tinynet-sweeps";
    static readonly TimeSpan PackLimit = TimeSpan.FromMinutes(12);

    public string Temp { get; } = Directory.CreateTempSubdirectory("tinynet-tool-").FullName;
    public string Packages => Path.Combine(Temp, "nupkg");
    public string ToolPath => Path.Combine(Temp, "tools");
    public string NuGetConfig => Path.Combine(Temp, "nuget.config");
    public string Rid { get; } = RuntimeInformation.RuntimeIdentifier;
    public string Log { get; }
    public TimeSpan PackTime { get; }
    public TimeSpan InstallTime { get; }

    public ToolPackageFixture()
    {
        var log = new StringBuilder();
        var watch = Stopwatch.StartNew();
        // Its own obj/ and bin/ (--artifacts-path), kept between runs so the build is incremental: a restore for the
        // tool's platforms into src/*/obj would rewrite the assets files other tests' builds read.
        string artifacts = Repo.PathOf("artifacts/tool-pack");
        var pack = ToolProcess.Run("dotnet", ["pack", Repo.PathOf("src/TinyNet.Sweeps.Cli/TinyNet.Sweeps.Cli.csproj"),
            "-c", "Release", $"-p:ToolPackageRuntimeIdentifiers={Rid}", "--artifacts-path", artifacts, "-o", Packages,
            "-nologo", "-nodeReuse:false"], Repo.Root, PackLimit);
        log.AppendLine($"$ dotnet pack ({watch.Elapsed.TotalSeconds:0} s, exit {pack.ExitCode})").AppendLine(pack.Output);
        PackTime = watch.Elapsed;
        if (pack.ExitCode != 0) Fail($"dotnet pack exited {pack.ExitCode}", log);

        // Only the folder we packed into: a package of the same name on a configured feed must not stand in for ours.
        File.WriteAllText(NuGetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="packed" value="{Packages}" /></packageSources></configuration>
            """);
        watch.Restart();
        var install = ToolProcess.Run("dotnet", ["tool", "install", "--tool-path", ToolPath, "--add-source", Packages,
            "--configfile", NuGetConfig, PackageId], Temp, TimeSpan.FromMinutes(5));
        InstallTime = watch.Elapsed;
        log.AppendLine($"$ dotnet tool install ({InstallTime.TotalSeconds:0} s, exit {install.ExitCode})").AppendLine(install.Output);
        if (install.ExitCode != 0) Fail($"dotnet tool install exited {install.ExitCode}", log);
        Log = log.ToString();
    }

    void Fail(string what, StringBuilder log)
    {
        Dispose();
        throw new InvalidOperationException($"{what}; the tool could not be tested:\n{log}");
    }

    public string Executable => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? Command + ".exe" : Command);

    /// <summary>Where `dotnet tool install` put the platform package's files (under the tool path's .store).</summary>
    public string InstalledFiles =>
        Directory.GetDirectories(Path.Combine(ToolPath, ".store"), Rid, SearchOption.AllDirectories)
            .SingleOrDefault(d => Path.GetFileName(Path.GetDirectoryName(d)) is string tfm && tfm.StartsWith("net", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"no tools/<tfm>/{Rid} folder under {ToolPath}/.store");

    public void Dispose()
    {
        try { Directory.Delete(Temp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public class ToolPackageTests(ToolPackageFixture tool, ITestOutputHelper output) : IClassFixture<ToolPackageFixture>
{
    [Fact]
    public void Pack_writes_a_pointer_package_and_one_for_this_platform()
    {
        output.WriteLine($"pack {tool.PackTime.TotalSeconds:0} s, install {tool.InstallTime.TotalSeconds:0} s\n{tool.Log}");
        var names = Directory.GetFiles(tool.Packages, "*.nupkg").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(2, names.Count);
        Assert.Matches($@"^{ToolPackageFixture.PackageId}\.\d+\.\d+\.\d+\.nupkg$", names[0]);
        Assert.Matches($@"^{ToolPackageFixture.PackageId}\.{tool.Rid}\.\d+\.\d+\.\d+\.nupkg$", names[1]);
        Assert.True(File.Exists(tool.Executable), $"no {tool.Executable} after dotnet tool install:\n{tool.Log}");
    }

    [Fact]
    public void The_installed_tool_has_torch_natives_and_the_libstdcxx_fix_whatever_the_packing_machine_has()
    {
        string files = tool.InstalledFiles;
        string native = Path.Combine(files, OperatingSystem.IsLinux() ? "libLibTorchSharp.so" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "LibTorchSharp.dll");
        Assert.True(File.Exists(native), $"{native} is missing; the tool has: {string.Join(", ", Directory.GetFiles(files).Select(Path.GetFileName))}");
        Assert.True(Directory.GetFiles(files, "*torch_cpu*").Length > 0, $"libtorch's CPU library is missing from {files}");
        if (!OperatingSystem.IsLinux()) return;
        // Packing marks the requirement weak always (not only where this machine's libstdc++ lacks it): the tool
        // is installed on other machines.
        var result = ElfVersionPatcher.MarkWeak(File.ReadAllBytes(native), ElfVersionPatcher.Version, out _);
        Assert.Equal(ElfPatchResult.AlreadyWeak, result);
    }

    [Theory]
    [InlineData("true", "always")]
    [InlineData("false", "auto")]
    public void Packing_the_tool_patches_its_publish_always_and_a_plain_publish_stays_auto(string packing, string mode)
    {
        // On this machine auto patches too (when its libstdc++ lacks the version), so the installed file alone cannot
        // tell; MSBuild's evaluation can. `dotnet pack` sets _IsPacking.
        var result = ToolProcess.Run("dotnet", ["msbuild", Repo.PathOf("src/TinyNet.Sweeps.Cli/TinyNet.Sweeps.Cli.csproj"),
            "-getProperty:_TorchSharpNativeFixPublishMode", $"-p:_IsPacking={packing}", "-nologo"], Repo.Root, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"dotnet msbuild -getProperty exited {result.ExitCode}:\n{result.Output}");
        Assert.Equal(mode, result.Output.Trim());
    }

    [Fact]
    public void Validate_runs_from_the_tool_path()
    {
        var validate = ToolProcess.Run(tool.Executable, ["validate", Repo.PathOf("sweeps/smoke.yaml")], tool.Temp, TimeSpan.FromMinutes(2));
        output.WriteLine(validate.Output);
        Assert.True(validate.ExitCode == 0, $"validate exited {validate.ExitCode}:\n{validate.Output}");
        Assert.Contains("valid. Sweep 'smoke', method grid, 4 trials", validate.Output);
    }

    [Fact]
    public void A_tiny_sweep_trains_from_the_tool_path_and_writes_results_and_plots()
    {
        string outDir = Path.Combine(tool.Temp, "results-smoke");
        var watch = Stopwatch.StartNew();
        var run = ToolProcess.Run(tool.Executable, ["run", Repo.PathOf("sweeps/smoke.yaml"), "--out", outDir, "--workers", "2", "--report"],
            tool.Temp, TimeSpan.FromMinutes(3));
        output.WriteLine($"run: {watch.Elapsed.TotalSeconds:0.0} s\n{run.Output}");
        Assert.True(run.ExitCode == 0, $"run exited {run.ExitCode}:\n{run.Output}");
        foreach (string file in new[] { "trials.jsonl", "ranking.csv", "ranking.json", "ranking.md", "report.html", "plots/loss-curves.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), $"run wrote no {file}:\n{run.Output}");
        // A run whose every trial failed (TorchSharp's natives not loading) still exits 0: count what trained.
        string trials = File.ReadAllText(Path.Combine(outDir, "trials.jsonl"));
        var statuses = trials.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("status").GetString()).ToList();
        Assert.True(statuses.Count == 4 && statuses.All(s => s == "completed"),
            $"expected 4 completed trials, got [{string.Join(", ", statuses)}]:\n{trials[..Math.Min(trials.Length, 4000)]}");
    }

    [Fact]
    public void The_local_tool_manifest_names_the_package_and_command_the_project_packs()
    {
        var project = XDocument.Load(Repo.PathOf("src/TinyNet.Sweeps.Cli/TinyNet.Sweeps.Cli.csproj"));
        string Property(string name) => project.Descendants(name).Single().Value;
        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal(ToolPackageFixture.PackageId, Property("PackageId"));
        Assert.Equal(ToolPackageFixture.Command, Property("ToolCommandName"));

        using var manifest = JsonDocument.Parse(Repo.Read(".config/dotnet-tools.json"));
        var entry = manifest.RootElement.GetProperty("tools").GetProperty(ToolPackageFixture.PackageId.ToLowerInvariant());
        Assert.Equal([ToolPackageFixture.Command], entry.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        string packed = Path.GetFileName(Directory.GetFiles(tool.Packages, $"{ToolPackageFixture.PackageId}.*.nupkg")
            .Single(f => !Path.GetFileName(f).Contains(tool.Rid, StringComparison.Ordinal)));
        Assert.Equal($"{ToolPackageFixture.PackageId}.{entry.GetProperty("version").GetString()}.nupkg", packed);
    }

    [Fact]
    public void The_local_tool_manifest_restores_from_the_packed_folder_and_runs()
    {
        // NuGet's package folder and the SDK's local-tool resolver cache (~/.dotnet/toolResolverCache) would keep an
        // older package of the same version: both go to folders of the test's.
        var environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(tool.Temp, "nuget-packages"),
            ["DOTNET_CLI_HOME"] = Path.Combine(tool.Temp, "cli-home"),
        };
        var restore = ToolProcess.Run("dotnet", ["tool", "restore", "--add-source", tool.Packages, "--configfile", tool.NuGetConfig],
            Repo.Root, TimeSpan.FromMinutes(5), environment);
        output.WriteLine(restore.Output);
        Assert.True(restore.ExitCode == 0, $"dotnet tool restore exited {restore.ExitCode}:\n{restore.Output}");
        var validate = ToolProcess.Run("dotnet", [ToolPackageFixture.Command, "validate", "sweeps/smoke.yaml"], Repo.Root, TimeSpan.FromMinutes(2), environment);
        output.WriteLine(validate.Output);
        Assert.True(validate.ExitCode == 0, $"dotnet {ToolPackageFixture.Command} validate exited {validate.ExitCode}:\n{validate.Output}");
        Assert.Contains("valid. Sweep 'smoke'", validate.Output);
    }
}

/// <summary>Runs a process to its end (or kills it at the limit), capturing standard output and error together.</summary>
internal static class ToolProcess
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(string file, IEnumerable<string> arguments, string workingDirectory, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // dotnet test's MSBuild variables would steer a child `dotnet pack`.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var text = new StringBuilder();
        void Add(string? line) { if (line is not null) lock (text) text.AppendLine(line); }
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (text) return new Result(-1, $"{file} did not finish within {limit.TotalMinutes:0} min; killed.\n{text}");
        }
        process.WaitForExit();
        lock (text) return new Result(process.ExitCode, text.ToString());
    }
}
