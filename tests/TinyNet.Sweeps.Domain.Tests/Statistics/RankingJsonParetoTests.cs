using System.Text.Json;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using static TinyNet.Sweeps.Domain.Tests.Ranking.RankingTestData;

namespace TinyNet.Sweeps.Domain.Tests.Stats;

public class RankingJsonParetoTests
{
    private static readonly MetricSpec ByCalibration = new(MetricNames.CalibrationError, MetricGoal.Minimize);

    [Fact]
    public void Ranking_json_has_the_pareto_front_next_to_the_existing_fields()
    {
        var ranking = Ranker.Rank("pareto", ByCalibration,
        [
            Completed("k-x", 0, Metrics(0.1, evalLoss: 0.5)), // best calibration
            Completed("k-y", 0, Metrics(0.3, evalLoss: 0.2)), // best loss
            Completed("k-z", 0, Metrics(0.4, evalLoss: 0.6)), // dominated by both
            Diverged("k-div", 0),
        ]);

        using var doc = JsonDocument.Parse(RankingExporter.ToJson(ranking));
        var root = doc.RootElement;

        var front = root.GetProperty("pareto_front");
        Assert.Equal(JsonValueKind.Array, front.ValueKind);
        Assert.Equal(["k-x", "k-y"], front.EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("pareto", root.GetProperty("name").GetString());
        Assert.Equal("calibration_error", root.GetProperty("metric").GetProperty("name").GetString());
        Assert.Equal(4, root.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public void Ranking_json_has_an_empty_pareto_front_when_nothing_completed()
    {
        var ranking = Ranker.Rank("none", ByCalibration, [Diverged("k-a", 0), Failed("k-b", 0)]);
        using var doc = JsonDocument.Parse(RankingExporter.ToJson(ranking));
        Assert.Equal(0, doc.RootElement.GetProperty("pareto_front").GetArrayLength());
    }
}
