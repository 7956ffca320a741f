using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using ScalarEvent = YamlDotNet.Core.Events.Scalar;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Walks the YAML events once, without recursion, before YamlDotNet builds its node tree: that builder
/// recurses once per nesting level (a 100 KB file of '[' overflows the stack and kills the process), and
/// YamlDotNet hashes keys recursively. So this refuses, with the position of the first offending node:
/// nesting deeper than <see cref="SweepFile.MaxNestingDepth"/>, counting what an alias repeats; an alias
/// inside the node it names (a loop); an alias to an anchor not defined before it; and an alias that
/// repeats a list or mapping inside a key (a few such aliases make a key with billions of nodes).
/// </summary>
internal static class NestingScan
{
    private const int Max = SweepFile.MaxNestingDepth;

    /// <summary>An open list or mapping.</summary>
    private sealed class Frame(bool mapping, bool inKey, AnchorName anchor)
    {
        public bool Mapping { get; } = mapping;
        public bool InKey { get; } = inKey;
        public AnchorName Anchor { get; } = anchor;
        public bool ExpectKey { get; set; } = true;
        /// <summary>Levels of nesting below and including this node, aliases counted as what they repeat.</summary>
        public int Height { get; set; } = 1;
    }

    private sealed record Anchored(bool Collection, int Height);

    /// <summary>False after reporting the first problem (a YAML syntax error included).</summary>
    public static bool Check(string yaml, Diagnostics diagnostics, Action<YamlException> reportSyntaxError)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var parser = new Parser(scanner);
        var open = new List<Frame>();
        var anchors = new Dictionary<AnchorName, Anchored>();
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart:
                        anchors.Clear(); // anchors do not reach across documents
                        break;
                    case MappingStart or SequenceStart:
                        var start = (NodeEvent)parser.Current;
                        if (open.Count + 1 > Max)
                        {
                            diagnostics.Error(start.Start, $"nested deeper than {Max} levels; a sweep file needs at most 4");
                            return false;
                        }
                        open.Add(new Frame(start is MappingStart, InKey(open), start.Anchor));
                        break;
                    case MappingEnd or SequenceEnd:
                        var closed = open[^1];
                        open.RemoveAt(open.Count - 1);
                        if (!closed.Anchor.IsEmpty)
                            anchors[closed.Anchor] = new Anchored(true, closed.Height);
                        Completed(open, closed.Height);
                        break;
                    case ScalarEvent scalar:
                        if (!scalar.Anchor.IsEmpty)
                            anchors[scalar.Anchor] = new Anchored(false, 0);
                        Completed(open, 0);
                        break;
                    case AnchorAlias alias:
                        if (Problem(alias, open, anchors) is { } problem)
                        {
                            diagnostics.Error(alias.Start, problem);
                            return false;
                        }
                        Completed(open, anchors[alias.Value].Height);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            reportSyntaxError(e);
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws a bare InvalidOperationException for a line inside [ ] or { }
            // that is not indented more than the block holding them; the scanner still knows where it stopped.
            diagnostics.Error(scanner.CurrentPosition, "YAML syntax error: a line inside [ ] or { } must be indented more than the key that holds them; indent it further");
            return false;
        }
        catch (ArgumentException e)
        {
            // Also not a YamlException: a tag that is no URI, such as "!!int]" in "[!!int]". The scanner
            // has moved past it, so point at the last '!' before where it stopped.
            int stop = (int)Math.Clamp(scanner.CurrentPosition.Index, 0, Math.Max(0, yaml.Length - 1));
            int bang = yaml.Length == 0 ? -1 : yaml.LastIndexOf('!', stop);
            while (bang > 0 && yaml[bang - 1] == '!')
                bang--; // the start of "!!"
            var (line, column) = bang >= 0 && e.Message.Contains("tag", StringComparison.OrdinalIgnoreCase)
                ? SweepText.Position(yaml, bang)
                : ((int)scanner.CurrentPosition.Line, (int)scanner.CurrentPosition.Column);
            diagnostics.Error(line, column, "YAML syntax error: " + SweepText.Shown(e.Message.Split(" (Parameter")[0], 200));
            return false;
        }
        return true;
    }

    private static string? Problem(AnchorAlias alias, List<Frame> open, Dictionary<AnchorName, Anchored> anchors)
    {
        string name = "*" + SweepText.Shown(alias.Value.Value);
        // Checked first: YamlDotNet binds an alias to the innermost open node of that anchor, even over an older one.
        if (open.Any(f => f.Anchor == alias.Value))
            return $"alias {name} is used inside the node it names; that makes a loop, which a sweep file cannot hold";
        if (!anchors.TryGetValue(alias.Value, out var target))
            return $"alias {name} names no anchor defined before it; write &{SweepText.Shown(alias.Value.Value)} on a value above";
        if (target.Collection && InKey(open))
            return $"alias {name} repeats a list or mapping inside a key; keys of a sweep file are plain names";
        if (open.Count + target.Height > Max)
            return $"alias {name} repeats a node that ends up nested deeper than {Max} levels; a sweep file needs at most 4";
        return null;
    }

    /// <summary>Whether the next node is a mapping key or part of one.</summary>
    private static bool InKey(List<Frame> open) =>
        open.Count > 0 && (open[^1].InKey || (open[^1].Mapping && open[^1].ExpectKey));

    private static void Completed(List<Frame> open, int height)
    {
        if (open.Count == 0)
            return;
        var parent = open[^1];
        parent.Height = Math.Max(parent.Height, height + 1);
        if (parent.Mapping)
            parent.ExpectKey = !parent.ExpectKey;
    }
}
