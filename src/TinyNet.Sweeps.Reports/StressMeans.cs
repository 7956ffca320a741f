using TinyNet.Sweeps.Domain.Evaluation;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Reports;

/// <summary>A configuration's mean H and V outputs on each of the notebook's seven stress cases (NaN when no seed has them).</summary>
internal sealed record StressRow(RankedConfiguration Row, double[] H, double[] V);

internal static class StressMeans
{
    public static IReadOnlyList<StressRow> Of(ReportData data, IEnumerable<RankedConfiguration> rows) =>
        rows.Select(row =>
        {
            var stress = data.CompletedTrialsOf(row).Select(t => t.Outcome.Stress).OfType<IReadOnlyList<StressCaseResult>>().ToList();
            double Mean(string name, Func<StressCaseResult, double> pick)
            {
                var values = stress.SelectMany(s => s.Where(c => c.Case == name)).Select(pick).ToList();
                return values.Count == 0 ? double.NaN : values.Average();
            }
            return new StressRow(row,
                StressCases.All.Select(c => Mean(c.Name, s => s.H)).ToArray(),
                StressCases.All.Select(c => Mean(c.Name, s => s.V)).ToArray());
        }).ToList();
}
