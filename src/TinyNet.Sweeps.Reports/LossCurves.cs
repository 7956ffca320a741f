using TinyNet.Sweeps.Domain.Ranking;

namespace TinyNet.Sweeps.Reports;

/// <summary>A configuration's loss per epoch: mean and standard deviation over its seeds.</summary>
internal sealed record LossCurve(RankedConfiguration Row, double[] Mean, double[] Std, int Seeds);

internal static class LossCurves
{
    /// <summary>
    /// Completed seeds only when there are any (a diverged seed's curve ends early and explodes); otherwise all seeds,
    /// so an all-diverged configuration still shows how it went. At each epoch, over the seeds that reached it.
    /// </summary>
    public static IReadOnlyList<LossCurve> Of(ReportData data, IEnumerable<RankedConfiguration> rows) =>
        rows.Select(row =>
        {
            var trials = data.CompletedTrialsOf(row).ToList();
            if (trials.Count == 0) trials = data.TrialsOf(row).ToList();
            var histories = trials.Select(t => t.Outcome.LossHistory.Where(double.IsFinite).ToList()).Where(h => h.Count > 0).ToList();
            int length = histories.Count == 0 ? 0 : histories.Max(h => h.Count);
            var mean = new double[length];
            var std = new double[length];
            for (int epoch = 0; epoch < length; epoch++)
            {
                var summary = Statistics.Summarise(histories.Where(h => h.Count > epoch).Select(h => h[epoch]));
                mean[epoch] = summary.Mean;
                std[epoch] = summary.StdDev;
            }
            return new LossCurve(row, mean, std, histories.Count);
        }).Where(c => c.Mean.Length > 0).ToList();
}
