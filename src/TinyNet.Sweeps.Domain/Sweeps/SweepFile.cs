using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>Reads and validates a W&amp;B-style sweep file, reporting every problem with its position.</summary>
public static partial class SweepFile
{
    /// <summary>Sweeps larger than this many trials are refused as mistakes.</summary>
    public const long MaxTrials = 1_000_000;

    /// <summary>Files larger than this (1 MiB) are refused before they are parsed; a sweep file is a few kilobytes.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>Lists and mappings nested deeper than this are refused before YamlDotNet, which recurses per level, sees them.</summary>
    public const int MaxNestingDepth = 32;

    /// <summary>A result holds at most this many errors (and warnings), the earliest by position; the rest are counted.</summary>
    public const int MaxReportedErrors = 50;

    public static SweepLoadResult Load(string path)
    {
        var diagnostics = new Diagnostics(path);
        string? text;
        try
        {
            text = ReadText(path, diagnostics);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            diagnostics.ErrorAtStart($"cannot read the sweep file: {why}");
            text = null;
        }
        return text is null ? Result(null, diagnostics) : Parse(text, path);
    }

    public static SweepLoadResult Parse(string yaml, string fileName)
    {
        var diagnostics = new Diagnostics(fileName);
        SweepPlan? plan = null;
        try
        {
            plan = Read(yaml, fileName, diagnostics);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Hostile input must never crash the caller; the fuzz test looks for this message.
            diagnostics.ErrorAtStart($"{InternalErrorPrefix} ({e.GetType().Name}: {SweepText.Shown(e.Message)}); please report this file");
        }
        return Result(plan, diagnostics);
    }

    internal const string InternalErrorPrefix = "the sweep file reader failed unexpectedly";

    private static SweepLoadResult Result(SweepPlan? plan, Diagnostics diagnostics) =>
        new(diagnostics.HasErrors ? null : plan, diagnostics.Errors, diagnostics.Warnings, diagnostics.OmittedErrors, diagnostics.OmittedWarnings);

    /// <summary>
    /// Reads at most <see cref="MaxFileBytes"/> + 1 bytes through a stream, so /dev/zero, a FIFO or a
    /// huge file cost at most 1 MiB, and decodes them as strict UTF-8.
    /// </summary>
    private static string? ReadText(string path, Diagnostics diagnostics)
    {
        if (Directory.Exists(path))
        {
            diagnostics.ErrorAtStart($"cannot read the sweep file: {path} is a directory; give the path of a .yaml file");
            return null;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[MaxFileBytes + 1];
        int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length > MaxFileBytes)
        {
            diagnostics.ErrorAtStart(TooLarge(path));
            return null;
        }
        return SweepText.Decode(buffer.AsSpan(0, length), diagnostics);
    }

    private static string TooLarge(string fileName) =>
        $"{Path.GetFileName(fileName)} is larger than 1 MiB; a sweep file is a few kilobytes";

    private static SweepPlan? Read(string yaml, string fileName, Diagnostics diagnostics)
    {
        if (yaml.Length > MaxFileBytes / 3 && Encoding.UTF8.GetByteCount(yaml) > MaxFileBytes)
        {
            diagnostics.ErrorAtStart(TooLarge(fileName));
            return null;
        }
        if (yaml.StartsWith('\uFEFF'))
            yaml = yaml[1..];
        if (!SweepText.CheckControlCharacters(yaml, diagnostics))
            return null;
        if (!NestingScan.Check(yaml, diagnostics, e => ReportSyntaxError(e, yaml, diagnostics)))
            return null;
        return ReadRoot(yaml, fileName, diagnostics) is { } root ? SweepReader.Read(root, fileName, diagnostics) : null;
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
            ReportSyntaxError(e, yaml, diagnostics);
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

    private static void ReportSyntaxError(YamlException e, string yaml, Diagnostics diagnostics)
    {
        string message = "YAML syntax error: " + SweepText.Shown(PositionPrefix().Replace(e.Message, ""), 300);
        // YamlDotNet reports a tab in indentation where the enclosing mapping starts; point at the tab.
        if (e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstIndentTab(yaml) is var (line, column))
            diagnostics.Error(line, column, message);
        else
            diagnostics.Error(e.Start, message);
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
