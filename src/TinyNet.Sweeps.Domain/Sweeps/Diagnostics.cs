using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Collects the errors and warnings of one file, so a user sees all problems at once; keeps only the
/// earliest <see cref="SweepFile.MaxReportedErrors"/> of each and counts the rest, so a file with a
/// million problems costs neither memory nor a flood of output.
/// </summary>
internal sealed class Diagnostics(string file)
{
    private readonly Earliest _errors = new();
    private readonly Earliest _warnings = new();

    public string File { get; } = file;

    public bool HasErrors => _errors.Total > 0;

    /// <summary>Every error found, reported or left out.</summary>
    public int ErrorCount => _errors.Total;

    public void Error(YamlNode node, string message) => _errors.Add(At(node.Start, message));

    public void Error(Mark mark, string message) => _errors.Add(At(mark, message));

    public void Error(int line, int column, string message) => _errors.Add(new SweepDiagnostic(File, line, column, message));

    public void ErrorAtStart(string message) => Error(1, 1, message);

    public void Warning(YamlNode node, string message) => _warnings.Add(At(node.Start, message));

    /// <summary>The earliest errors by position, at most <see cref="SweepFile.MaxReportedErrors"/>.</summary>
    public IReadOnlyList<SweepDiagnostic> Errors => _errors.Sorted();

    public IReadOnlyList<SweepDiagnostic> Warnings => _warnings.Sorted();

    public int OmittedErrors => _errors.Omitted;

    public int OmittedWarnings => _warnings.Omitted;

    private SweepDiagnostic At(Mark mark, string message) =>
        new(File, (int)Math.Clamp(mark.Line, 1, int.MaxValue), (int)Math.Clamp(mark.Column, 1, int.MaxValue), message);

    /// <summary>
    /// The first <see cref="SweepFile.MaxReportedErrors"/> diagnostics by position (not the first found:
    /// problems are found in reading order, not file order). Two at one position keep the order they were found in.
    /// </summary>
    private sealed class Earliest
    {
        private const int Keep = SweepFile.MaxReportedErrors;
        private readonly List<(SweepDiagnostic Diagnostic, int Order)> _kept = [];

        public int Total { get; private set; }

        public int Omitted => Math.Max(0, Total - Keep);

        public void Add(SweepDiagnostic diagnostic)
        {
            _kept.Add((diagnostic, Total++));
            if (_kept.Count >= 4 * Keep)
                Trim(); // amortized: sorting 200 and dropping 150 keeps memory bounded and adding cheap
        }

        public IReadOnlyList<SweepDiagnostic> Sorted()
        {
            Trim();
            return [.. _kept.Select(k => k.Diagnostic)];
        }

        private void Trim()
        {
            _kept.Sort((a, b) => (a.Diagnostic.Line, a.Diagnostic.Column, a.Order).CompareTo((b.Diagnostic.Line, b.Diagnostic.Column, b.Order)));
            if (_kept.Count > Keep)
                _kept.RemoveRange(Keep, _kept.Count - Keep);
        }
    }
}
