using System.Globalization;
using System.Net;

namespace TinyNet.Sweeps.Reports;

/// <summary>Escaping and number formatting for the page; invariant culture so reports read the same everywhere.</summary>
internal static class Html
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A coordinate or value for SVG/HTML attributes.</summary>
    public static string N(double value, string format = "0.##") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "0";

    /// <summary>A value for display: finite numbers to four decimals, NaN/∞ as a dash.</summary>
    public static string V(double value, string format = "0.0000") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "—";

    /// <summary>" Best 10 of 18 configurations; …." to append to a caption, capitalised and escaped; empty for no note.</summary>
    public static string Sentence(string? note) => note is null ? "" : $" {E(char.ToUpperInvariant(note[0]) + note[1..])}.";

    /// <summary>A sort key for the sortable tables (data-sort); non-finite values sort last.</summary>
    public static string SortKey(double value) =>
        double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "Infinity";
}

/// <summary>Colours shared by the SVG and PNG plots.</summary>
internal static class Palette
{
    // Matplotlib's tab10: what the notebook's plots use, so curves look familiar.
    private static readonly string[] Tab10 =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Series(int index) => Tab10[index % Tab10.Length];

    public static (byte R, byte G, byte B) SeriesRgb(int index) => Rgb(Series(index));

    /// <summary>Seaborn's coolwarm, as the notebook's weight heatmaps: blue negative, near-white 0, red positive; t in [−1, 1].</summary>
    public static (byte R, byte G, byte B) CoolWarm(double t)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0, -1, 1);
        var (from, to) = t < 0 ? ((59.0, 76.0, 192.0), (221.0, 221.0, 221.0)) : ((221.0, 221.0, 221.0), (180.0, 4.0, 38.0));
        double u = t < 0 ? t + 1 : t;
        return Lerp(from, to, u);
    }

    /// <summary>A sequential white-to-blue scale for outputs in [0, 1].</summary>
    public static (byte R, byte G, byte B) Blues(double t) =>
        Lerp((247.0, 251.0, 255.0), (8.0, 48.0, 107.0), Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1));

    public static string Css((byte R, byte G, byte B) c) => $"rgb({c.R},{c.G},{c.B})";

    /// <summary>Black or white text, whichever reads on <paramref name="c"/>.</summary>
    public static string TextOn((byte R, byte G, byte B) c) => 0.299 * c.R + 0.587 * c.G + 0.114 * c.B < 140 ? "#fff" : "#000";

    private static (byte, byte, byte) Lerp((double R, double G, double B) a, (double R, double G, double B) b, double u) =>
        ((byte)Math.Round(a.R + (b.R - a.R) * u), (byte)Math.Round(a.G + (b.G - a.G) * u), (byte)Math.Round(a.B + (b.B - a.B) * u));

    private static (byte, byte, byte) Rgb(string hex) =>
        (Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));
}
