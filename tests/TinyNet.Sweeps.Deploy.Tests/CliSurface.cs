namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>
/// The public command-line and configuration surface of tinynet-sweeps' multi-machine mode, as the deployment
/// files may use it. Kept here by hand on purpose: these files must not silently follow a renamed option.
/// </summary>
internal static class CliSurface
{
    static readonly string[] ClusterOptions = ["--redis", "--cluster-id"];

    /// <summary>Command → (option → takes a value).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, bool>> Options =
        new Dictionary<string, IReadOnlyDictionary<string, bool>>
        {
            ["silo"] = WithCluster(("--silo-port", true), ("--gateway-port", true), ("--advertise", true), ("--workers", true), ("--name", true)),
            ["submit"] = WithCluster(("--wait", false), ("--out", true)),
            ["status"] = WithCluster(),
            ["results"] = WithCluster(("--format", true), ("--out", true)),
            ["cancel"] = WithCluster(),
            ["list"] = WithCluster(),
        };

    /// <summary>Positional arguments each command takes (submit FILE, status ID, ...).</summary>
    public static readonly IReadOnlyDictionary<string, int> Positionals = new Dictionary<string, int>
    {
        ["silo"] = 0, ["submit"] = 1, ["status"] = 1, ["results"] = 1, ["cancel"] = 1, ["list"] = 0,
    };

    /// <summary>Environment variables the program reads (TINYNET_ prefix, __ for nesting).</summary>
    public static readonly ISet<string> EnvironmentVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "TINYNET_REDIS", "TINYNET_CLUSTERID",
        "TINYNET_SILO__SILOPORT", "TINYNET_SILO__GATEWAYPORT", "TINYNET_SILO__ADVERTISE", "TINYNET_SILO__WORKERS", "TINYNET_SILO__NAME",
        "TINYNET_TELEMETRY__EXPORTER", "TINYNET_TELEMETRY__OTLPENDPOINT", "TINYNET_DEBUG",
    };

    public const int SiloPort = 11111, GatewayPort = 30000;

    static IReadOnlyDictionary<string, bool> WithCluster(params (string Name, bool TakesValue)[] own)
    {
        var all = ClusterOptions.ToDictionary(o => o, _ => true);
        foreach (var (name, takesValue) in own) all[name] = takesValue;
        return all;
    }

    /// <summary>A parsed command line: the command, its options with their values, and its positionals.</summary>
    public sealed record Invocation(string Command, IReadOnlyDictionary<string, string?> Options, IReadOnlyList<string> Positionals);

    /// <summary>Parses <paramref name="args"/> against the surface; every problem is listed, none is thrown.</summary>
    public static (Invocation? Invocation, List<string> Problems) Parse(IReadOnlyList<string> args)
    {
        var problems = new List<string>();
        if (args.Count == 0) return (null, ["empty command"]);
        string command = args[0];
        if (!Options.TryGetValue(command, out var allowed))
            return (null, [$"'{command}' is not a tinynet-sweeps command ({string.Join(", ", Options.Keys)})"]);

        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        var positionals = new List<string>();
        for (int i = 1; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal)) { positionals.Add(arg); continue; }
            if (!allowed.TryGetValue(arg, out bool takesValue)) { problems.Add($"'{command}' has no option {arg}"); continue; }
            if (options.ContainsKey(arg)) problems.Add($"{arg} is given twice");
            if (!takesValue) { options[arg] = null; continue; }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal)) { problems.Add($"{arg} needs a value"); continue; }
            options[arg] = args[++i];
        }
        if (positionals.Count != Positionals[command])
            problems.Add($"'{command}' takes {Positionals[command]} positional argument(s), got {positionals.Count}: {string.Join(" ", positionals)}");
        foreach (var port in new[] { "--silo-port", "--gateway-port", "--workers" })
            if (options.TryGetValue(port, out var v) && !int.TryParse(v, out _)) problems.Add($"{port} '{v}' is not an integer");
        return (new Invocation(command, options, positionals), problems);
    }
}
