using Serilog;
using Serilog.Core;
using Serilog.Events;
using Spectre.Console;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Hosting;

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

    private static SweepProgress Progress(SweepState state, int completed, int diverged, int failed, int training, int queued) =>
        new(state, 4, completed, diverged, failed, training + queued, [], completed + diverged + failed, Training: training, Queued: queued);

    [Fact]
    public void Plain_lines_are_rate_limited_and_the_end_is_always_printed()
    {
        var sink = new ListSink();
        using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var printer = new ProgressPrinter(4, logger);

        printer.Report(Progress(SweepState.Running, 1, 0, 0, 2, 1));
        printer.Report(Progress(SweepState.Running, 2, 0, 0, 1, 1)); // within the period: nothing
        Assert.Empty(sink.Lines);

        printer.Report(Progress(SweepState.Completed, 2, 1, 1, 0, 0));
        string line = Assert.Single(sink.Lines);
        Assert.Contains("4/4 trials finished (2 completed, 1 diverged, 1 failed), 0 training, 0 queued", line);
        Assert.Contains("trials/s", line);
    }

    [Fact]
    public void The_live_view_is_not_used_when_the_command_writes_elsewhere_than_the_console()
    {
        var io = new CliIO(new StringWriter(), new StringWriter(), StopSignals.None(TextWriter.Null));
        Assert.False(LiveProgress.IsAvailable(io));
    }
}

public sealed class LiveProgressTests
{
    [Fact]
    public async Task The_live_view_prints_log_events_above_itself_and_counts_training_apart_from_queued()
    {
        var screen = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(screen), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
        });
        console.Profile.Width = 100;
        var route = new ConsoleLogRoute();
        var consoleLines = new StringWriter();
        using var logger = Observability.CreateLogger(new LogOptions(), consoleLines, route);
        var view = new LiveProgress("demo", MetricSpec.Default, 4);

        int answer = await view.ShowWhileAsync(console, route, async progress =>
        {
            progress.Report(new SweepProgress(SweepState.Running, 4, 1, 0, 0, 3, [], 1, Training: 2, Queued: 1));
            logger.Warning("Silo {Name} is slow", "silo-1");
            await Task.Delay(TimeSpan.FromMilliseconds(600)); // a refresh or two
            return 42;
        });
        logger.Information("After the view");

        Assert.Equal(42, answer);
        string text = screen.ToString();
        Assert.Contains("2 training, 1 queued", text);
        Assert.DoesNotContain("running", text);
        int line = text.IndexOf("WRN] Silo silo-1 is slow", StringComparison.Ordinal);
        Assert.True(line >= 0, text);
        // Printed once, above the view's last frame, the old frame erased first.
        Assert.Equal(line, text.LastIndexOf("WRN] Silo silo-1 is slow", StringComparison.Ordinal));
        Assert.True(line < text.LastIndexOf("demo: ranked by", StringComparison.Ordinal), text);
        Assert.Contains("\u001b[0J[", text);
        // While the view was up the event went to it alone; afterwards lines go to the console again.
        Assert.DoesNotContain("slow", consoleLines.ToString());
        Assert.Contains("INF] After the view", consoleLines.ToString());
    }
}

public sealed class RedirectedProgressTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_with_redirected_output_logs_plain_progress_lines_and_no_live_view()
    {
        var r = await Cli.Run("run", Cli.SampleSweep("smoke.yaml"), "--out", _temp.File("out"));

        Assert.True(r.ExitCode == 0, r.ToString());
        // The command's log lines go to its own standard error, not to the process's.
        Assert.Contains("4/4 trials finished (4 completed, 0 diverged, 0 failed), 0 training, 0 queued", r.Error);
        Assert.DoesNotContain("╭", r.Error);      // no live panel
        Assert.DoesNotContain("\u001b[", r.Error);
        Assert.DoesNotContain("\u001b[", r.Output); // no escape codes among the results
        Assert.Contains("smoke: ranked by calibration_error (minimize)", r.Output);
    }

    [Fact]
    public void A_command_writing_to_the_process_console_keeps_it_as_it_is()
    {
        // The live view and Serilog's console sink are chosen by this identity.
        var io = new CliIO(Console.Out, Console.Error, StopSignals.None(TextWriter.Null));
        Assert.Same(Console.Error, io.Error);
    }
}
