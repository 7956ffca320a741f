using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>Reads and validates a W&amp;B-style sweep file, reporting every problem with its position.</summary>
public static partial class SweepFile
{
    /// <summary>Sweeps larger than this many trials are refused as mistakes.</summary>
    public const long MaxTrials = 1_000_000;

    public static SweepLoadResult Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            return new SweepLoadResult(null, [new SweepDiagnostic(path, 1, 1, $"cannot read the sweep file: {why}")], []);
        }
        return Parse(text, path);
    }

    public static SweepLoadResult Parse(string yaml, string fileName)
    {
        var diagnostics = new Diagnostics(fileName);
        var sweep = ReadRoot(yaml, fileName, diagnostics) is { } root ? SweepReader.Read(root, fileName, diagnostics) : null;
        return new SweepLoadResult(diagnostics.HasErrors ? null : sweep, diagnostics.Errors, diagnostics.Warnings);
    }

    private static YamlMappingNode? ReadRoot(string yaml, string fileName, Diagnostics diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            string message = "YAML syntax error: " + PositionPrefix().Replace(e.Message, "");
            // YamlDotNet reports a tab in indentation where the enclosing mapping starts; point at the tab.
            if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentTab(yaml) is var (line, column))
                diagnostics.Error(line, column, message);
            else
                diagnostics.Error(e.Start, message);
            return null;
        }

        var documents = stream.Documents.Where(d => !(d.RootNode is YamlScalarNode { Value: null or "" } s && s.Style == ScalarStyle.Plain)).ToList();
        if (documents.Count == 0)
        {
            diagnostics.ErrorAtStart($"{Path.GetFileName(fileName)} is empty; a sweep file needs at least 'method' and 'parameters' (or 'configurations')");
            return null;
        }
        if (documents.Count > 1)
        {
            diagnostics.Error(documents[1].RootNode, $"the file holds {documents.Count} YAML documents; a sweep file holds exactly one");
            return null;
        }
        if (documents[0].RootNode is not YamlMappingNode map)
        {
            diagnostics.Error(documents[0].RootNode, $"the top level must be a mapping of keys such as 'method' and 'parameters', not a {YamlScalars.NodeKind(documents[0].RootNode)}");
            return null;
        }
        return map;
    }

    private static (int Line, int Column)? FirstIndentTab(string yaml)
    {
        string[] lines = yaml.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int tab = lines[i].IndexOf('\t');
            if (tab >= 0 && lines[i][..tab].Trim().Length == 0)
                return (i + 1, tab + 1);
        }
        return null;
    }

    // YamlDotNet puts "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): " before its message; we report the position ourselves.
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
