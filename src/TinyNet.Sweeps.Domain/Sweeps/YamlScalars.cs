using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

internal enum ScalarKind { Null, Bool, Int, Float, String }

/// <summary>A YAML scalar resolved the YAML 1.2 way, keeping int vs float (W&amp;B's inference depends on it).</summary>
internal sealed record Scalar(ScalarKind Kind, string Text, double Number, bool Quoted, YamlNode Node)
{
    public bool IsNumber => Kind is ScalarKind.Int or ScalarKind.Float;

    public string Describe() => Kind switch
    {
        ScalarKind.Null => "null",
        ScalarKind.Bool => $"boolean {Shown}",
        ScalarKind.Int => $"integer {Shown}",
        ScalarKind.Float => $"number {Shown}",
        _ => Quoted ? $"string '{Shown}'" : $"string {Shown}",
    };

    /// <summary>The text as a message shows it: short, one line.</summary>
    public string Shown => SweepText.Shown(Text);
}

internal static partial class YamlScalars
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    // YAML 1.2's core schema: 0x10 and 0o10, lower-case prefix, no sign.
    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex OctalPattern();

    // 1.5, .5, 5., 1e-5, 1E+5, 1.0e-5: YAML 1.2 floats. PyYAML (W&B) reads 1e-5 as a string; we do not.
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    /// <summary>Reads a scalar node; reports and returns null for a non-scalar or an unusable tag.</summary>
    public static Scalar? Read(YamlNode node, Diagnostics diagnostics, string what)
    {
        if (node is not YamlScalarNode scalar)
        {
            diagnostics.Error(node, $"{what} must be a single value, not a {NodeKind(node)}");
            return null;
        }

        string text = scalar.Value ?? "";
        bool quoted = scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any);
        string tag = scalar.Tag.IsEmpty ? "" : scalar.Tag.Value;

        if (tag.Length > 0 && tag != "!")
        {
            return tag switch
            {
                TagPrefix + "float" when TryFloat(text, out double f) => new Scalar(ScalarKind.Float, text, f, false, node),
                TagPrefix + "int" when TryInt(text, out double i) => new Scalar(ScalarKind.Int, text, i, false, node),
                TagPrefix + "str" => new Scalar(ScalarKind.String, text, double.NaN, true, node),
                TagPrefix + "float" or TagPrefix + "int" => Fail($"'{SweepText.Shown(text)}' is not a valid {tag[TagPrefix.Length..]}"),
                _ => Fail($"unsupported tag {SweepText.Shown(tag)}; only !!float, !!int and !!str are understood"),
            };
        }

        if (quoted || tag == "!")
            return new Scalar(ScalarKind.String, text, double.NaN, true, node);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return new Scalar(ScalarKind.Null, text, double.NaN, false, node);
        if (text is "true" or "True" or "TRUE")
            return new Scalar(ScalarKind.Bool, text, 1, false, node);
        if (text is "false" or "False" or "FALSE")
            return new Scalar(ScalarKind.Bool, text, 0, false, node);
        if (TryInt(text, out double n))
            return new Scalar(ScalarKind.Int, text, n, false, node);
        if (TryFloat(text, out double d))
            return new Scalar(ScalarKind.Float, text, d, false, node);
        return new Scalar(ScalarKind.String, text, double.NaN, false, node);

        Scalar? Fail(string message)
        {
            diagnostics.Error(node, $"{what}: {message}");
            return null;
        }
    }

    /// <summary>Reads a node without reporting anything (null when it is not a usable scalar).</summary>
    public static Scalar? Peek(YamlNode node) => Read(node, new Diagnostics(""), "");

    /// <summary>True when a string would be a number without its quotes (for a "remove the quotes" hint).</summary>
    public static bool LooksNumeric(string text) => TryFloat(text, out _);

    public static string NodeKind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "value",
    };

    /// <summary>
    /// An integer of any length: decimal, 0x hexadecimal or 0o octal. Beyond long's range it keeps its kind,
    /// with the nearest double (or an infinity) as its number, so "seed 99999999999999999999" is an
    /// out-of-range integer, not a float.
    /// </summary>
    private static bool TryInt(string text, out double value)
    {
        value = 0;
        if (HexPattern().IsMatch(text) || OctalPattern().IsMatch(text))
        {
            value = Digits(text.AsSpan(2), text[1] == 'x' ? 16 : 8);
            return true;
        }
        if (!IntPattern().IsMatch(text))
            return false;
        value = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n
            : double.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Exact below 2^53, far beyond every bound a value is checked against; an infinity when huge.</summary>
    private static double Digits(ReadOnlySpan<char> digits, int radix)
    {
        double value = 0;
        foreach (char c in digits)
            value = value * radix + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        return value;
    }

    /// <summary>
    /// Warns when W&amp;B, which reads sweep files with PyYAML (YAML 1.1), would read this integer differently:
    /// 010 is octal 8 there, 08 and 0o10 are strings. Called where a scalar is used as a number.
    /// </summary>
    public static void WarnIfReadDifferentlyByWandb(Scalar scalar, Diagnostics diagnostics)
    {
        if (scalar.Kind != ScalarKind.Int)
            return;
        // PyYAML's !!int reads 0o10 as 8 (as we do) and fails on 08; only an octal reading of 010 differs.
        bool tagged = scalar.Node is YamlScalarNode { Tag.IsEmpty: false };
        string text = scalar.Text;
        string unsigned = text.TrimStart('-', '+');
        string? message = null;
        if (tagged && (text.StartsWith("0o", StringComparison.Ordinal) || unsigned.Any(c => c is '8' or '9')))
            return;
        if (text.StartsWith("0o", StringComparison.Ordinal))
            message = $"{scalar.Shown} is {ValueTyping.Format(scalar.Number)} here (YAML 1.2 octal); W&B (YAML 1.1) reads it as the string '{scalar.Shown}': write {ValueTyping.Format(scalar.Number)}";
        else if (unsigned.Length > 1 && unsigned[0] == '0' && IntPattern().IsMatch(text))
        {
            string decimalValue = ValueTyping.Format(scalar.Number);
            if (unsigned.Any(c => c is '8' or '9'))
                message = $"{scalar.Shown} is {decimalValue} here (YAML 1.2); W&B reads it as the string '{scalar.Shown}' (octal has no 8 or 9): write {decimalValue}";
            else if (Digits(unsigned, 8) != Math.Abs(scalar.Number)) // 00 to 07 mean the same in both
            {
                string octal = (text[0] == '-' ? "-" : "") + ValueTyping.Format(Digits(unsigned, 8));
                message = $"{scalar.Shown} is {decimalValue} here (YAML 1.2); W&B reads a leading 0 as octal, {octal}: write {decimalValue}, or {octal} if you meant octal";
            }
        }
        if (message is not null)
            diagnostics.Warning(scalar.Node, message);
    }

    private static bool TryFloat(string text, out double value)
    {
        value = text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => 0,
        };
        if (value != 0 || double.IsNaN(value))
            return true;
        return FloatPattern().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
