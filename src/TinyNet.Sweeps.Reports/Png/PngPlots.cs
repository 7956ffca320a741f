using ScottPlot;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Reports.Png;

/// <summary>
/// The report's main plots as PNG files (ScottPlot), for slides and issues where HTML does not go.
/// Their text is drawn in the font shipped inside this assembly (<see cref="PlotFont"/>), whatever fonts the machine has.
/// </summary>
internal static class PngPlots
{
    public const int Width = 900, Height = 500;

    /// <summary>A new plot, its text in <see cref="PlotFont"/>.</summary>
    public static Plot NewPlot()
    {
        PlotFont.Register();
        return new Plot();
    }

    public static IReadOnlyList<string> WriteAll(ReportData data, string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        void Save(string name, PngPlot? png)
        {
            if (png is null) return;
            string path = Path.Combine(folder, name);
            AtomicFile.Write(path, temporary => File.WriteAllBytes(temporary, png.Plot.GetImageBytes(png.Width, png.Height, ImageFormat.Png)));
            written.Add(path);
        }
        Save("loss-curves.png", LossCurvesPng.Create(data));
        Save("stress-heatmap.png", StressHeatmapPng.Create(data));
        Save("best-weights.png", WeightsPng.Create(data));
        Save("pareto.png", ParetoPng.Create(data));
        return written;
    }

    /// <param name="note">What the plot leaves out (see <see cref="PlotLimits"/>), on a second line.</param>
    public static void Title(Plot plot, string title, string? x = null, string? y = null, string? note = null)
    {
        plot.Title(note is null ? title : $"{title}\n{note}");
        if (x is not null) plot.XLabel(x);
        if (y is not null) plot.YLabel(y);
    }

    public static Color Rgb((byte R, byte G, byte B) c) => new(c.R, c.G, c.B);
}

/// <summary>A plot and the size in pixels it is saved at.</summary>
internal sealed record PngPlot(Plot Plot, int Width = PngPlots.Width, int Height = PngPlots.Height);

/// <summary>Heatmap cells as plain rectangles in our own colours: the same scales as the HTML, and exact cell edges.</summary>
internal static class Cells
{
    public static void Add(Plot plot, double left, double bottom, (byte R, byte G, byte B) color, string? label, float fontSize)
    {
        var rect = plot.Add.Rectangle(left, left + 1, bottom, bottom + 1);
        rect.FillColor = PngPlots.Rgb(color);
        rect.LineColor = Colors.White;
        rect.LineWidth = 1;
        if (label is null) return;
        var text = plot.Add.Text(label, left + 0.5, bottom + 0.5);
        text.LabelAlignment = Alignment.MiddleCenter;
        text.LabelFontSize = fontSize;
        text.LabelFontColor = Palette.TextOn(color) == "#fff" ? Colors.White : Colors.Black;
    }
}
