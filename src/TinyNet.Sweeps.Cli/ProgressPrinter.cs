using System.Diagnostics;
using Serilog;
using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Plain progress lines in the log, every few seconds and once at the end: what <c>run</c> and <c>--wait</c> show when
/// standard output or error is not a terminal (CI logs, pipes); a terminal gets <see cref="LiveProgress"/> instead.
/// </summary>
internal sealed class ProgressPrinter(int total, ILogger logger) : IProgress<SweepProgress>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(3);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastPrint = TimeSpan.Zero;
    private int _firstFinished = -1;
    private int _lastFinished = -1;

    public void Report(SweepProgress progress)
    {
        if (_firstFinished < 0) _firstFinished = progress.Finished; // results reused from disk don't count toward speed
        bool over = progress.IsOver;
        if (!over && _clock.Elapsed - _lastPrint < Period) return;
        if (progress.Finished == _lastFinished && !over) return;
        _lastPrint = _clock.Elapsed;
        _lastFinished = progress.Finished;
        double rate = (progress.Finished - _firstFinished) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
        int left = total - progress.Finished;
        string eta = rate > 0 && left > 0 ? $", ~{TimeSpan.FromSeconds(Math.Ceiling(left / rate)):g} left" : "";
        // "stopped" appears with hyperband only, so other sweeps print what they always did.
        string stopped = progress.Stopped > 0 ? $"{progress.Stopped} stopped, " : "";
        logger.Information("{Finished}/{Total} trials finished ({Completed} completed, {StoppedPart:l}{Diverged} diverged, {Failed} failed), {Training} training, {Queued} queued, {Rate:0.0} trials/s{Eta}",
            progress.Finished, total, progress.Completed, stopped, progress.Diverged, progress.Failed, progress.Training, progress.Queued, rate, eta);
    }
}
