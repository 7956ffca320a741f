using Serilog;
using Serilog.Core;
using Serilog.Events;
using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Cli.Tests;

public sealed class ProgressPrinterTests
{
    private sealed class ListSink : ILogEventSink
    {
        public List<string> Lines { get; } = new();

        public void Emit(LogEvent logEvent)
        {
            lock (Lines) Lines.Add(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static SweepProgress Progress(SweepState state, int completed, int diverged, int failed, int running) =>
        new(state, 4, completed, diverged, failed, running, [], completed + diverged + failed);

    [Fact]
    public void Plain_lines_are_rate_limited_and_the_end_is_always_printed()
    {
        var sink = new ListSink();
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var printer = new ProgressPrinter(4, logger);

        printer.Report(Progress(SweepState.Running, 1, 0, 0, 2));
        printer.Report(Progress(SweepState.Running, 2, 0, 0, 2)); // within the period: nothing
        Assert.Empty(sink.Lines);

        printer.Report(Progress(SweepState.Completed, 2, 1, 1, 0));
        string line = Assert.Single(sink.Lines);
        Assert.Contains("4/4 trials finished (2 completed, 1 diverged, 1 failed), 0 running", line);
        Assert.Contains("trials/s", line);
    }

    [Fact]
    public void The_live_view_is_not_used_when_the_command_writes_elsewhere_than_the_console()
    {
        var io = new CliIO(new StringWriter(), new StringWriter(), StopSignals.None(TextWriter.Null));
        Assert.False(LiveProgress.IsAvailable(io));
    }
}

/// <summary>Calls run, so it is in the run collection.</summary>
[Collection(RunCollection.Name)]
public sealed class RedirectedProgressTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_with_redirected_output_logs_plain_progress_lines_and_no_live_view()
    {
        // Serilog's console sink writes to Console.Error as it is when each event is written.
        var stderr = Console.Error;
        using var captured = new StringWriter();
        Cli.Outcome r;
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            r = await Cli.Run("run", Cli.SampleSweep("smoke.yaml"), "--out", _temp.File("out"));
        }
        finally
        {
            Console.SetError(stderr);
        }

        Assert.True(r.ExitCode == 0, r + "\n--- console stderr ---\n" + captured);
        string log = captured.ToString();
        Assert.Contains("4/4 trials finished (4 completed, 0 diverged, 0 failed), 0 running", log);
        Assert.DoesNotContain("╭", log);        // no live panel
        Assert.DoesNotContain("\u001b[", r.Output); // no escape codes among the results
        Assert.Contains("smoke: ranked by calibration_error (minimize)", r.Output);
    }
}
