using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>deploy/Dockerfile and the repo-root .dockerignore, read as text (ComposeSmokeTests builds and runs the image).</summary>
public class DockerfileTests
{
    static readonly List<(string Instruction, string Arguments)> Instructions = Parse(Repo.Read("deploy/Dockerfile"));

    /// <summary>Instructions with continuation lines joined and comments dropped.</summary>
    static List<(string, string)> Parse(string text)
    {
        var result = new List<(string, string)>();
        string pending = "";
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (pending.Length == 0 && line.TrimStart().StartsWith('#')) continue;
            if (line.EndsWith('\\')) { pending += line[..^1] + " "; continue; }
            line = pending + line;
            pending = "";
            if (string.IsNullOrWhiteSpace(line)) continue;
            var match = Regex.Match(line.Trim(), @"^(\w+)\s+(.*)$");
            Assert.True(match.Success, $"Unreadable Dockerfile line: {line}");
            result.Add((match.Groups[1].Value.ToUpperInvariant(), Regex.Replace(match.Groups[2].Value.Trim(), @"\s+", " ")));
        }
        return result;
    }

    static IEnumerable<string> All(string instruction) =>
        Instructions.Where(i => i.Instruction == instruction).Select(i => i.Arguments);

    /// <summary>Instructions of the last (runtime) stage.</summary>
    static List<(string Instruction, string Arguments)> FinalStage() =>
        Instructions.Skip(Instructions.FindLastIndex(i => i.Instruction == "FROM")).ToList();

    /// <summary>ARG name=default lines before the first FROM: the base images a build may replace.</summary>
    static Dictionary<string, string> GlobalArgs() =>
        Instructions.TakeWhile(i => i.Instruction != "FROM").Where(i => i.Instruction == "ARG")
            .Select(i => i.Arguments.Split('=', 2)).ToDictionary(a => a[0], a => a.Length > 1 ? a[1] : "");

    /// <summary>FROM lines as (image, stage name), ${ARG}s replaced by their defaults.</summary>
    static List<(string Image, string Stage)> Stages()
    {
        var args = GlobalArgs();
        return All("FROM").Select(f => Regex.Match(f, @"^(\S+) AS (\S+)$", RegexOptions.IgnoreCase))
            .Select(m => (Regex.Replace(m.Groups[1].Value, @"\$\{(\w+)\}", v => args[v.Groups[1].Value]), m.Groups[2].Value)).ToList();
    }

    [Fact]
    public void Base_images_are_build_arguments_defaulting_to_NET_10_SDK_and_runtime_deps_of_one_distro()
    {
        var args = GlobalArgs();
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:10\.0", args["SDK_IMAGE"]);
        // Self-contained: the runtime image needs .NET's native dependencies, not .NET.
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/runtime-deps:10\.0", args["RUNTIME_IMAGE"]);
        Assert.Equal(args["SDK_IMAGE"].Split(':')[1], args["RUNTIME_IMAGE"].Split(':')[1]);

        var froms = All("FROM").ToList();
        Assert.Equal(["${SDK_IMAGE} AS build", "${APP_IMAGE} AS app", "${RUNTIME_IMAGE} AS runtime"], froms);
        // By default /app comes from the build stage; APP_IMAGE may name an image holding a publish made elsewhere.
        var stages = Stages();
        Assert.Equal(stages[0].Stage, stages[1].Image);
    }

    [Fact]
    public void Publishes_the_CLI_self_contained_to_app_and_runs_it_as_the_entrypoint()
    {
        var publish = Assert.Single(All("RUN"), r => r.Contains("dotnet publish"));
        Assert.Contains("src/TinyNet.Sweeps.Cli", publish);
        Assert.Contains("-c Release", publish);
        Assert.Contains("-r linux-x64", publish);
        Assert.Contains("--self-contained true", publish);
        Assert.Contains("-o /app", publish);
        // The build stage's libstdc++ says nothing about the runtime image's: the fix is applied whatever it is.
        Assert.Contains("-p:TorchSharpNativeFix=always", publish);

        string assembly = XDocument.Load(Repo.PathOf("src/TinyNet.Sweeps.Cli/TinyNet.Sweeps.Cli.csproj"))
            .Descendants("AssemblyName").Single().Value;
        var stage = FinalStage();
        Assert.Equal([$"/app/{assembly}"], ExecForm(Assert.Single(stage, i => i.Instruction == "ENTRYPOINT").Arguments));
        Assert.Equal(["silo"], ExecForm(Assert.Single(stage, i => i.Instruction == "CMD").Arguments));
        Assert.Contains(stage, i => i.Instruction == "COPY" && i.Arguments == "--from=app /app ./");
        Assert.Contains(stage, i => i.Instruction == "WORKDIR" && i.Arguments == "/app");
        // The runtime stage refuses a base that lacks a library the natives link against.
        Assert.Contains(stage, i => i.Instruction == "RUN" && i.Arguments.Contains("ldd /app/"));
    }

    [Fact]
    public void Restore_layer_copies_every_project_the_CLI_needs()
    {
        var copied = All("COPY").SelectMany(c => c.Split(' ')).Where(p => p.EndsWith(".csproj", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(Repo.CliProjectClosure(), new SortedSet<string>(copied, StringComparer.Ordinal));
        int restore = Instructions.FindIndex(i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet restore"));
        int sources = Instructions.FindIndex(i => i.Instruction == "COPY" && i.Arguments.StartsWith("src/ ", StringComparison.Ordinal));
        Assert.InRange(restore, 0, sources - 1);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "build/" })
            Assert.Contains(Instructions.Take(restore), i => i.Instruction == "COPY" && i.Arguments.Split(' ').Contains(file));
    }

    [Fact]
    public void Every_copied_path_exists_and_is_not_docker_ignored()
    {
        var ignore = DockerIgnore();
        var sources = All("COPY").Where(c => !c.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(c => c.Split(' ')[..^1]).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            Assert.True(Repo.Exists(source), $"COPY {source}: no such path in the repo");
            Assert.False(ignore.Any(p => p.IsMatch(source.TrimEnd('/'))), $"COPY {source}: excluded by .dockerignore");
        }
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_results_git_and_tests_out_of_the_context()
    {
        var ignore = DockerIgnore();
        foreach (var path in new[] { "src/TinyNet.Sweeps.Cli/bin", "src/TinyNet.Sweeps.Domain/obj", "results", ".git",
                     "tests/TinyNet.Sweeps.Domain.Tests/TestResults", "tests/TinyNet.Sweeps.Cli.Tests/bin" })
            Assert.True(ignore.Any(p => p.IsMatch(path)), $".dockerignore lets {path} into the build context");
        foreach (var path in new[] { "src/TinyNet.Sweeps.Cli/Program.cs", "sweeps/notebook.yaml", "build/TorchSharpNativeFix.targets" })
            Assert.False(ignore.Any(p => p.IsMatch(path)), $".dockerignore drops {path}, which the build needs");
        Assert.False(File.Exists(Repo.PathOf("deploy/.dockerignore")), "docker never reads deploy/.dockerignore");
    }

    [Fact]
    public void Runs_as_a_non_root_user_exposes_the_silo_ports_and_sets_them_by_default()
    {
        var stage = FinalStage();
        string user = Assert.Single(stage, i => i.Instruction == "USER").Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);

        var exposed = stage.Where(i => i.Instruction == "EXPOSE").SelectMany(i => i.Arguments.Split(' ')).Select(int.Parse).ToList();
        Assert.Contains(CliSurface.SiloPort, exposed);
        Assert.Contains(CliSurface.GatewayPort, exposed);

        var env = stage.Where(i => i.Instruction == "ENV").SelectMany(i => i.Arguments.Split(' '))
            .Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Equal(CliSurface.SiloPort.ToString(), env["TINYNET_SILO__SILOPORT"]);
        Assert.Equal(CliSurface.GatewayPort.ToString(), env["TINYNET_SILO__GATEWAYPORT"]);
        Assert.All(env.Keys.Where(k => k.StartsWith("TINYNET_", StringComparison.Ordinal)), k => Assert.Contains(k, CliSurface.EnvironmentVariables));
    }

    static List<string> ExecForm(string arguments) => JsonSerializer.Deserialize<List<string>>(arguments)!;

    /// <summary>.dockerignore patterns as regexes over repo-relative paths (a pattern also covers what is under it).</summary>
    internal static List<Regex> DockerIgnore()
    {
        var patterns = Repo.Read(".dockerignore").Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.DoesNotContain(patterns, p => p.StartsWith('!'));   // no re-inclusions, so the simple matcher below is exact enough
        return patterns.Select(p =>
        {
            string body = Regex.Escape(p.Trim('/')).Replace(@"\*\*/", "(.*/)?").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]");
            return new Regex($"^{body}(/.*)?$");
        }).ToList();
    }
}
