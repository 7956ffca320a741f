using System.Xml.Linq;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Deploy.Tests;

/// <summary>The repository's files, found by walking up from the test binaries to TinyNet.Sweeps.sln.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TinyNet.Sweeps.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No TinyNet.Sweeps.sln above {AppContext.BaseDirectory}.");
    }

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    public static bool Exists(string relative)
    {
        string full = PathOf(relative.TrimEnd('/'));
        return File.Exists(full) || Directory.Exists(full);
    }

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static List<YamlDocument> LoadYaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relative));
        stream.Load(reader);
        return stream.Documents.ToList();
    }

    /// <summary>The CLI project and every project it references, transitively, as repo-relative paths.</summary>
    public static SortedSet<string> CliProjectClosure()
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push("src/TinyNet.Sweeps.Cli/TinyNet.Sweeps.Cli.csproj");
        while (pending.Count > 0)
        {
            string project = pending.Pop();
            if (!seen.Add(project)) continue;
            string dir = Path.GetDirectoryName(PathOf(project))!;
            foreach (var reference in XDocument.Load(PathOf(project)).Descendants("ProjectReference"))
            {
                string include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                string full = Path.GetFullPath(Path.Combine(dir, include));
                pending.Push(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }
        return seen;
    }
}

/// <summary>Small accessors over YamlDotNet's representation model.</summary>
internal static class YamlAccess
{
    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"'{key}' is missing or not a mapping at {node.Start}.");

    public static YamlSequenceNode Seq(this YamlNode node, string key) =>
        node.Get(key) as YamlSequenceNode ?? throw new Xunit.Sdk.XunitException($"'{key}' is missing or not a list at {node.Start}.");

    public static string? Str(this YamlNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static string Scalar(this YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"Expected a plain value at {node.Start}.");

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlMappingNode map) =>
        map.Children.Select(kv => (kv.Key.Scalar(), kv.Value));

    /// <summary>A YAML integer (no quotes needed, none allowed to hide a typo such as "3000O").</summary>
    public static int Int(this YamlNode node, string key)
    {
        var scalar = node.Get(key) as YamlScalarNode ?? throw new Xunit.Sdk.XunitException($"'{key}' is missing at {node.Start}.");
        Assert.True(int.TryParse(scalar.Value, out int value), $"'{key}' = '{scalar.Value}' at {scalar.Start} is not an integer.");
        return value;
    }
}
