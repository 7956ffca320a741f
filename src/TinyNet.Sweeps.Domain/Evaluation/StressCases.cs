namespace TinyNet.Sweeps.Domain.Evaluation;

/// <summary>One of the notebook's stress inputs, with the behaviour we expect and the output that would be ideal.</summary>
public sealed record StressCase(string Name, string Expected, IReadOnlyList<float> Pixels, double TargetH, double TargetV)
{
    /// <summary>Clear cases (High H / High V) have a correct class; ambiguous ones should stay near 50/50.</summary>
    public bool IsClear => Expected != StressCases.Uncertain;
}

/// <summary>The notebook's seven stress cases, in its order.</summary>
public static class StressCases
{
    public const string HighH = "High H";
    public const string HighV = "High V";
    public const string Uncertain = "Uncertain";

    public static IReadOnlyList<StressCase> All { get; } =
    [
        new("Perfect Horizontal", HighH, [1f, 1f, 0f, 0f], 1, 0),
        new("Perfect Vertical", HighV, [1f, 0f, 1f, 0f], 0, 1),
        new("Fuzzy Horizontal", HighH, [0.88f, 0.92f, 0.12f, 0.08f], 1, 0),
        new("Fuzzy Vertical", HighV, [0.91f, 0.05f, 0.89f, 0.11f], 0, 1),
        new("Diagonal /", Uncertain, [0f, 1f, 1f, 0f], 0.5, 0.5),
        new("Diagonal \\", Uncertain, [1f, 0f, 0f, 1f], 0.5, 0.5),
        new("Solid Gray Block", Uncertain, [0.5f, 0.5f, 0.5f, 0.5f], 0.5, 0.5),
    ];
}
