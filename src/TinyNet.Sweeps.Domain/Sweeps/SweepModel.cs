using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Sweeps;

public enum SweepMethod { Grid, Random, Bayes }

public enum MetricGoal { Minimize, Maximize }

/// <summary>The metric a sweep ranks trials by. The default is <c>calibration_error</c>, minimized.</summary>
public sealed record MetricSpec(string Name, MetricGoal Goal)
{
    /// <summary>Metric names a sweep file may use: every metric of <see cref="MetricNames"/>.</summary>
    public static IReadOnlyList<string> KnownNames => MetricNames.All;

    public static MetricSpec Default { get; } = new("calibration_error", MetricGoal.Minimize);
}

/// <summary>One problem found in a sweep file; <see cref="Line"/> and <see cref="Column"/> are 1-based.</summary>
public sealed record SweepDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>
/// An explicit configuration from the <c>configurations</c> list: an optional label and plain values
/// that override the search point's values.
/// </summary>
public sealed record SweepConfiguration(string? Label, IReadOnlyDictionary<string, ParamValue> Values)
{
    /// <summary>The implicit configuration used when a file has no <c>configurations</c>.</summary>
    public static SweepConfiguration Empty { get; } = new(null, new Dictionary<string, ParamValue>());
}

/// <summary>A validated sweep file.</summary>
/// <param name="RunCap">Grid: keeps the first RunCap grid points. Random: the number of points drawn.
/// Counted per explicit configuration and before seeds multiply.</param>
/// <param name="Parameters">Searched parameters sorted by name (W&amp;B order), without <c>seed</c>.</param>
/// <param name="Configurations">Explicit configurations; one <see cref="SweepConfiguration.Empty"/> when the file has none.</param>
/// <param name="SamplerSeed">Seed of the random-search sampler.</param>
/// <param name="EarlyTerminate">The file's <c>early_terminate</c> (W&amp;B's hyperband), or null when it has none.</param>
public sealed record SweepDefinition(
    string Name,
    SweepMethod Method,
    MetricSpec Metric,
    int? RunCap,
    IReadOnlyList<int> Seeds,
    string SourceFile,
    IReadOnlyList<ParameterSpec> Parameters,
    IReadOnlyList<SweepConfiguration> Configurations,
    int SamplerSeed = 0,
    string? Description = null,
    string? Project = null,
    string? Entity = null,
    HyperbandSpec? EarlyTerminate = null,
    int RoundSize = SweepDefinition.DefaultRoundSize)
{
    /// <summary>Points a bayes search suggests per round (each round waits for the results of the ones before it).</summary>
    public const int DefaultRoundSize = 4;
}

/// <summary>The outcome of reading a sweep file.</summary>
/// <param name="Errors">The earliest errors by position, at most <see cref="SweepFile.MaxReportedErrors"/>.</param>
/// <param name="OmittedErrors">How many more errors the file has ("… and N more problems").</param>
/// <param name="OmittedWarnings">How many more warnings the file has.</param>
public sealed record SweepLoadResult(
    SweepPlan? Plan,
    IReadOnlyList<SweepDiagnostic> Errors,
    IReadOnlyList<SweepDiagnostic> Warnings,
    int OmittedErrors = 0,
    int OmittedWarnings = 0)
{
    public bool IsValid => Errors.Count == 0;

    /// <summary>The checked sweep file (the plan's definition), or null when the file was refused.</summary>
    public SweepDefinition? Sweep => Plan?.Definition;
}

