using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>A sweep's name is any text; where it becomes a path or an id it is one safe segment.</summary>
public sealed class SweepNamesTests
{
    public static TheoryData<string> Hostile => new()
    {
        "../../x", "/tmp/abs", "..", ".", "", "a/b", "a\\b", "C:\\Windows", "-rf", ".hidden", "x\0y", new string('n', 300),
        "notebook/../../etc", "~", "$(rm -rf /)", "名前", "a b", "\t", "..\u2215..",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Every_name_becomes_one_path_segment_inside_results(string name)
    {
        string segment = SweepNames.Segment(name);

        Assert.NotEmpty(segment);
        Assert.InRange(segment.Length, 1, 71);
        Assert.DoesNotContain('/', segment);
        Assert.DoesNotContain('\\', segment);
        Assert.DoesNotContain('\0', segment);
        Assert.False(segment.StartsWith('.') || segment.StartsWith('-'), segment);
        Assert.Equal(segment, Path.GetFileName(segment));
        string folder = Path.GetFullPath(SweepNames.DefaultResultsDirectory(name), "/work");
        Assert.Equal(Path.Combine("/work", SweepNames.ResultsRoot, segment), folder);
    }

    [Theory]
    [InlineData("notebook")]
    [InlineData("calibration-hunt")]
    [InlineData("grid_v2.1")]
    public void A_name_that_is_already_safe_is_kept(string name) => Assert.Equal(name, SweepNames.Segment(name));

    [Fact]
    public void Different_names_never_share_a_folder()
    {
        string[] names = ["a/b", "a-b", "a b", "a\\b", "..", ".", "", "a", "a."];
        Assert.Equal(names.Length, names.Select(SweepNames.Segment).Distinct().Count());
    }

    [Fact]
    public void Sweep_ids_start_with_the_segment_and_differ_each_time()
    {
        var now = new DateTimeOffset(2026, 12, 7, 2, 12, 36, TimeSpan.Zero);

        string first = SweepNames.NewSweepId("../notebook", now), second = SweepNames.NewSweepId("../notebook", now);

        Assert.StartsWith($"{SweepNames.Segment("../notebook")}-20261207-021236-", first);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain('/', first);
    }
}
