using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

internal static class SweepTestSupport
{
    /// <summary>Parses YAML that must be valid, failing with every diagnostic if it is not.</summary>
    public static SweepDefinition Valid(string yaml, string fileName = "test.yaml")
    {
        var result = SweepFile.Parse(yaml, fileName);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Sweep!;
    }

    public static IReadOnlyList<SweepDiagnostic> Errors(string yaml)
    {
        var result = SweepFile.Parse(yaml, "test.yaml");
        Assert.False(result.IsValid, "expected errors");
        Assert.Null(result.Sweep);
        return result.Errors;
    }

    /// <summary>The single error of an invalid file.</summary>
    public static SweepDiagnostic SingleError(string yaml)
    {
        var errors = Errors(yaml);
        Assert.True(errors.Count == 1, "expected one error, got:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        return errors[0];
    }

    public static string SweepsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TinyNet.Sweeps.sln")))
                return Path.Combine(dir.FullName, "sweeps");
        }
        throw new DirectoryNotFoundException("sweeps/ not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One parameter's values over the points, as written by ParamValue.ToString.</summary>
    public static string[] Column(IReadOnlyList<IReadOnlyDictionary<string, ParamValue>> points, string name) =>
        [.. points.Select(p => p[name].ToString())];
}
