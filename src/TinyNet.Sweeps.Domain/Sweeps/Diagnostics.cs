using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>Collects every error and warning of one file, so a user sees all problems at once.</summary>
internal sealed class Diagnostics(string file)
{
    private readonly List<SweepDiagnostic> _errors = [];
    private readonly List<SweepDiagnostic> _warnings = [];

    public string File { get; } = file;

    public bool HasErrors => _errors.Count > 0;

    public int ErrorCount => _errors.Count;

    public void Error(YamlNode node, string message) => _errors.Add(At(node.Start, message));

    public void Error(Mark mark, string message) => _errors.Add(At(mark, message));

    public void Error(int line, int column, string message) => _errors.Add(new SweepDiagnostic(File, line, column, message));

    public void ErrorAtStart(string message) => Error(1, 1, message);

    public void Warning(YamlNode node, string message) => _warnings.Add(At(node.Start, message));

    public IReadOnlyList<SweepDiagnostic> Errors => Sorted(_errors);

    public IReadOnlyList<SweepDiagnostic> Warnings => Sorted(_warnings);

    private SweepDiagnostic At(Mark mark, string message) =>
        new(File, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), message);

    // OrderBy is stable: two problems at one position keep the order they were found in.
    private static IReadOnlyList<SweepDiagnostic> Sorted(List<SweepDiagnostic> list) =>
        [.. list.OrderBy(d => d.Line).ThenBy(d => d.Column)];
}
