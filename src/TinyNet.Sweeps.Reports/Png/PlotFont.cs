using ScottPlot;
using SkiaSharp;

namespace TinyNet.Sweeps.Reports.Png;

/// <summary>
/// The one font every PNG's text is drawn in: DejaVu Sans (regular and bold), embedded in this assembly (Png/Fonts,
/// licence beside it). ScottPlot's SkiaSharp build finds fonts only under the usual font folders, and draws no text
/// at all where there are none; with this font answering every request first, the plots look the same everywhere.
/// </summary>
internal static class PlotFont
{
    public const string Family = "DejaVu Sans";

    public static SKTypeface Regular { get; } = Load("DejaVuSans.ttf");
    public static SKTypeface Bold { get; } = Load("DejaVuSans-Bold.ttf");

    private static readonly Lazy<bool> Registration = new(() =>
    {
        // First, so no installed font is ever asked; for every name, since plots ask by name (Fonts.Default, Sans).
        Fonts.FontResolvers.Insert(0, new Resolver());
        Fonts.Default = Fonts.Sans = Family;
        return true;
    });

    /// <summary>Registers the font with ScottPlot, once; call before a plot is made (its labels take the default name).</summary>
    public static void Register() => _ = Registration.Value;

    private static SKTypeface Load(string file)
    {
        string name = $"{typeof(PlotFont).Namespace}.Fonts.{file}";
        using var stream = typeof(PlotFont).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in {typeof(PlotFont).Assembly.GetName().Name}.");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"SkiaSharp could not read the embedded font {name}.");
    }

    /// <summary>Answers every font request with DejaVu Sans, bold from semi-bold up; it has no italic.</summary>
    private sealed class Resolver : IFontResolver
    {
        public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            weight >= FontWeight.SemiBold ? Bold : Regular;

        public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => bold ? Bold : Regular;
    }
}
