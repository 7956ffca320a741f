using System.Text;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Training;

namespace TinyNet.Sweeps.Reports.Sections;

/// <summary>
/// Eight training examples per noise level the sweep trains at, drawn as the notebook draws them: a 2×2 grid of circles,
/// gray fill = 1 − value (so 1 is black), the value written in red above 0.5 and blue otherwise.
/// </summary>
internal static class NoisyExamples
{
    public const int PerLevel = 8;
    public const long Seed = 0;

    /// <summary>
    /// The noise levels the sweep trains at: each configuration's noise_level, and the clean level when it mixes clean
    /// examples in. Those of the best configurations when there are more than <see cref="PlotLimits.NoiseLevels"/>.
    /// </summary>
    public static Capped<double> Levels(ReportData data)
    {
        var byRank = data.Rows
            .SelectMany(r => r.Config.CleanRatio > 0 ? [r.Config.NoiseLevel, TrialConfig.CleanNoiseLevel] : new[] { r.Config.NoiseLevel })
            .Distinct().ToList();
        var best = PlotLimits.First(byRank, PlotLimits.NoiseLevels);
        return best with { Shown = best.Shown.Order().ToList() };
    }

    public static string Render(ReportData data)
    {
        var levels = Levels(data);
        string note = levels.LeavesOut ? $" The levels of the best configurations: {Html.E(levels.Count("noise levels"))}." : "";
        var html = new StringBuilder($"<p class=\"note\">Drawn with the trainer's own BatchGenerator (seed {Seed}): horizontal and vertical examples alternate.{note}</p>\n");
        foreach (double level in levels.Shown)
        {
            var batch = new BatchGenerator(Seed).Noisy(PerLevel, level);
            html.Append($"<h3>noise_level = {Html.N(level, "0.###")}</h3>\n<div class=\"grid examples\">");
            for (int i = 0; i < batch.Count; i++)
            {
                string kind = batch.Targets[i * 2] > 0.5f ? "H" : "V";
                html.Append($"<figure>{Example(batch.Inputs.AsSpan(i * 4, 4))}<figcaption>Example {i + 1} ({kind})</figcaption></figure>");
            }
            html.Append("</div>\n");
        }
        return html.ToString();
    }

    private static string Example(ReadOnlySpan<float> pixels)
    {
        // Pixel (i, j) at (j, i) of the notebook's [-0.5, 1.5]² axes; 50 px per unit.
        var svg = new StringBuilder("<svg class=\"example\" width=\"104\" height=\"104\" viewBox=\"0 0 104 104\">");
        svg.Append("<line x1=\"52\" y1=\"2\" x2=\"52\" y2=\"102\" stroke=\"gray\" stroke-opacity=\"0.5\"/><line x1=\"2\" y1=\"52\" x2=\"102\" y2=\"52\" stroke=\"gray\" stroke-opacity=\"0.5\"/>");
        for (int p = 0; p < 4; p++)
        {
            double value = pixels[p];
            int gray = (int)Math.Round((1 - value) * 255);
            int cx = 27 + p % 2 * 50, cy = 27 + p / 2 * 50;
            svg.Append($"<circle cx=\"{cx}\" cy=\"{cy}\" r=\"15\" fill=\"rgb({gray},{gray},{gray})\" stroke=\"#000\" stroke-width=\"2\"/>")
               .Append($"<text x=\"{cx}\" y=\"{cy + 3}\" font-size=\"8\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{(value > 0.5 ? "red" : "blue")}\">{Html.N(value, "0.000")}</text>");
        }
        svg.Append("<rect x=\"2\" y=\"2\" width=\"100\" height=\"100\" fill=\"none\" stroke=\"#000\" stroke-width=\"3\"/>");
        return svg.Append("</svg>").ToString();
    }
}
