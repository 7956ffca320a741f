using System.Globalization;
using TinyNet.Sweeps.Domain.Ranking;

namespace TinyNet.Sweeps.Reports;

/// <summary>
/// How much each plot draws, so that it stays readable and its size bounded whatever the size of the sweep: the best
/// configurations by rank (the ranking table and ranking.csv keep every row), the first hidden units, and so on.
/// A plot that leaves something out says so in its title or caption; one that does not looks as it always did.
/// </summary>
internal static class PlotLimits
{
    /// <summary>Loss curves (SVG and PNG): the palette tells ten colours apart.</summary>
    public const int LossCurves = 10;

    /// <summary>Rows of the stress heatmap (HTML table and PNG): 30 rows keep the PNG under 1,400 px tall.</summary>
    public const int StressRows = 30;

    /// <summary>Rank labels beside the points of the Pareto scatter; every point is drawn. The best points crowd one corner.</summary>
    public const int PointLabels = 10;

    /// <summary>Lines of the parallel coordinates drawn in full, with a tooltip; the others are drawn faintly beneath them.</summary>
    public const int ParallelLines = 30;

    /// <summary>Value labels on one axis of the parallel coordinates; more would overlap.</summary>
    public const int AxisLabels = 12;

    /// <summary>Hidden units of a weight heatmap (HTML and PNG), the first ones.</summary>
    public const int HiddenUnits = 16;

    /// <summary>Noise levels drawn as examples, those of the best configurations.</summary>
    public const int NoiseLevels = 6;

    /// <summary>The first <paramref name="limit"/> of <paramref name="all"/>, which are in the order that decides (rank, unit index).</summary>
    public static Capped<T> First<T>(IReadOnlyList<T> all, int limit) => new(all.Take(limit).ToList(), all.Count);

    public static Capped<RankedConfiguration> Best(ReportData data, int limit) => First(data.Rows, limit);

    /// <summary>The caption of a plot of the best configurations: null when it shows them all.</summary>
    public static string? Note(Capped<RankedConfiguration> best) =>
        best.LeavesOut ? $"best {best.Count("configurations")}; every row is in the ranking table and ranking.csv" : null;
}

/// <summary>What a plot shows out of how many there are.</summary>
internal sealed record Capped<T>(IReadOnlyList<T> Shown, int Total)
{
    public bool LeavesOut => Shown.Count < Total;

    /// <summary>"10 of 18,251 configurations".</summary>
    public string Count(string what) =>
        $"{Shown.Count.ToString("N0", CultureInfo.InvariantCulture)} of {Total.ToString("N0", CultureInfo.InvariantCulture)} {what}";
}
