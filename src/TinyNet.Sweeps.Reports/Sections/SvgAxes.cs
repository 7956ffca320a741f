using System.Text;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>A linear mapping from data to an SVG plot area, with "nice" ticks; shared by the line and scatter plots.</summary>
internal sealed class SvgAxes(double x0, double x1, double y0, double y1, int width, int height, int left = 60, int right = 20, int top = 20, int bottom = 45)
{
    public int Width => width;
    public int Height => height;
    public double X(double v) => left + (x1 == x0 ? 0.5 : (v - x0) / (x1 - x0)) * (width - left - right);
    public double Y(double v) => height - bottom - (y1 == y0 ? 0.5 : (v - y0) / (y1 - y0)) * (height - top - bottom);

    public void Draw(StringBuilder svg, string xLabel, string yLabel)
    {
        svg.Append($"<rect x=\"{left}\" y=\"{top}\" width=\"{width - left - right}\" height=\"{height - top - bottom}\" fill=\"none\" stroke=\"#999\"/>\n");
        foreach (double t in Ticks(x0, x1))
            svg.Append($"<line x1=\"{Html.N(X(t))}\" x2=\"{Html.N(X(t))}\" y1=\"{top}\" y2=\"{height - bottom}\" stroke=\"#eee\"/>")
               .Append($"<text x=\"{Html.N(X(t))}\" y=\"{height - bottom + 15}\" font-size=\"11\" text-anchor=\"middle\">{Html.N(t, "0.###")}</text>\n");
        foreach (double t in Ticks(y0, y1))
            svg.Append($"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Html.N(Y(t))}\" y2=\"{Html.N(Y(t))}\" stroke=\"#eee\"/>")
               .Append($"<text x=\"{left - 5}\" y=\"{Html.N(Y(t) + 4)}\" font-size=\"11\" text-anchor=\"end\">{Html.N(t, "0.###")}</text>\n");
        svg.Append($"<text x=\"{Html.N((left + width - right) / 2.0)}\" y=\"{height - 8}\" font-size=\"12\" text-anchor=\"middle\">{Html.E(xLabel)}</text>\n");
        svg.Append($"<text transform=\"translate(14 {Html.N((top + height - bottom) / 2.0)}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">{Html.E(yLabel)}</text>\n");
    }

    /// <summary>About five ticks at 1, 2 or 5 × 10^k steps.</summary>
    public static IEnumerable<double> Ticks(double from, double to)
    {
        if (!(to > from)) { yield return from; yield break; }
        double raw = (to - from) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 5, 10 }.Select(f => f * magnitude).First(s => s >= raw);
        for (double t = Math.Ceiling(from / step) * step; t <= to + step * 1e-9; t += step) yield return Math.Round(t / step) * step;
    }

    /// <summary>A range with a little margin, never empty.</summary>
    public static (double Min, double Max) Padded(IEnumerable<double> values, double pad = 0.05)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return (0, 1);
        double min = finite.Min(), max = finite.Max();
        if (max - min < 1e-12) { min -= 0.5; max += 0.5; }
        double margin = (max - min) * pad;
        return (min - margin, max + margin);
    }
}
