using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Spectre.Console;
using Spectre.Console.Rendering;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// A live view of a sweep in the terminal (Spectre.Console's <c>Live</c> display, drawn on standard error so standard
/// output keeps only the final table): trials finished, failed and diverged, training and queued in the silos, trials per second, time left
/// and the best configuration so far. The ranking is folded client-side from the reports' new results, at most
/// every <see cref="RankPeriod"/>.
/// While the view runs, the command's log events come to it instead of the console (<see cref="ConsoleLogRoute"/>), so
/// no line can tear it: it prints them above itself, where they stay. <c>--log-json</c> files receive every event as usual.
/// </summary>
internal sealed class LiveProgress : IProgress<SweepProgress>
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMilliseconds(250);
    internal static readonly TimeSpan RankPeriod = TimeSpan.FromMilliseconds(500);

    private readonly string _name;
    private readonly MetricSpec _metric;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly Dictionary<string, Domain.Trials.TrialResult> _results = new();
    private SweepProgress? _latest;
    private int _firstFinished = -1;
    private bool _resultsChanged;
    private TimeSpan? _lastRank;
    private RankedConfiguration? _best;
    private string? _bestDescribed;

    public LiveProgress(string name, MetricSpec metric, int total)
    {
        _name = name;
        _metric = metric;
        _total = total;
    }

    /// <summary>
    /// True when both standard output and standard error are a terminal and the command writes to the real console
    /// (not to the writers a test passes in); otherwise progress goes out as plain periodic log lines.
    /// </summary>
    public static bool IsAvailable(CliIO io) =>
        !Console.IsOutputRedirected && !Console.IsErrorRedirected
        && ReferenceEquals(io.Output, Console.Out) && ReferenceEquals(io.Error, Console.Error)
        && Environment.GetEnvironmentVariable("TERM") is not "dumb";

    public void Report(SweepProgress progress)
    {
        lock (_gate)
        {
            if (_firstFinished < 0) _firstFinished = progress.Finished; // results reused from disk don't count toward speed
            _latest = progress;
            foreach (var result in progress.NewResults)
            {
                _results[result.Trial.Id] = result.Summary(); // the ranking needs no more, and a large sweep would hold every whole result
                _resultsChanged = true;
            }
        }
    }

    /// <summary>The process's standard error as a live console, a few columns short of the terminal.</summary>
    public static IAnsiConsole StandardError()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        // A full-width last line would wrap when the terminal echoes "^C" there, pushing the next redraw one line down.
        console.Profile.Width = SafeWidth() - 3;
        return console;
    }

    /// <summary>
    /// Runs <paramref name="work"/> with this view as its progress, drawing the view on <paramref name="console"/> until
    /// the work ends, with the events of <paramref name="log"/> printed above it; the final frame stays on screen, so what
    /// is printed afterwards (the ranked table) comes below it.
    /// </summary>
    public async Task<T> ShowWhileAsync<T>(IAnsiConsole console, ConsoleLogRoute log, Func<IProgress<SweepProgress>, Task<T>> work)
    {
        var events = new LogLines();
        try
        {
            using var diverted = log.DivertTo(events);
            return await console.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis)
                .StartAsync(async context =>
                {
                    var task = work(this);
                    while (!task.IsCompleted)
                    {
                        await Task.WhenAny(task, Task.Delay(RefreshPeriod), events.Arrived);
                        // Written from this loop only: the live display is not thread-safe.
                        events.PrintAbove(console);
                        context.UpdateTarget(Render());
                        context.Refresh();
                    }
                    ForceRank();
                    events.PrintAbove(console);
                    context.UpdateTarget(Render());
                    context.Refresh();
                    return await task;
                });
        }
        finally
        {
            // Those that came as the view closed, below it.
            events.PrintAbove(console);
        }
    }

    private static int SafeWidth()
    {
        try { return Math.Max(60, Console.WindowWidth); }
        catch (IOException) { return 120; }
    }

    private void ForceRank()
    {
        lock (_gate) _lastRank = null;
    }

    /// <summary>The best configuration so far, re-ranked only when new results came in and the last ranking is old enough.</summary>
    private RankedConfiguration? Best()
    {
        List<Domain.Trials.TrialResult>? snapshot = null;
        lock (_gate)
        {
            if (_resultsChanged && (_lastRank is not { } last || _clock.Elapsed - last >= RankPeriod))
            {
                snapshot = _results.Values.ToList();
                _resultsChanged = false;
                _lastRank = _clock.Elapsed;
            }
        }
        if (snapshot is not null)
        {
            var ranking = Ranker.Rank(_name, _metric, snapshot);
            var best = ranking.Rows.FirstOrDefault(r => r.Completed > 0);
            string? described = best is null ? null : Tables.Describe(best, Tables.Labels(ranking));
            lock (_gate) (_best, _bestDescribed) = (best, described);
        }
        lock (_gate) return _best;
    }

    private IRenderable Render()
    {
        var best = Best();
        SweepProgress? p;
        int firstFinished;
        lock (_gate)
        {
            p = _latest;
            firstFinished = _firstFinished;
        }
        var c = CultureInfo.InvariantCulture;
        var elapsed = _clock.Elapsed;
        var rows = new List<IRenderable>();
        if (p is null)
        {
            rows.Add(new Markup($"[grey]starting: {_total} trials to run…[/]"));
        }
        else
        {
            int total = p.Total > 0 ? p.Total : _total;
            int finished = p.Finished;
            double fraction = total == 0 ? 1 : Math.Clamp((double)finished / total, 0, 1);
            rows.Add(new Markup($"{Bar(fraction, 40)} [bold]{finished}/{total}[/] trials finished ({(fraction * 100).ToString("0", c)} %)"));
            rows.Add(new Markup(
                $"[green]{p.Completed} completed[/]   [grey]{p.Stopped} stopped[/]   [yellow]{p.Diverged} diverged[/]   [red]{p.Failed} failed[/]   [blue]{p.Training} training[/], {p.Queued} queued"));
            double rate = (finished - Math.Max(firstFinished, 0)) / Math.Max(elapsed.TotalSeconds, 1e-3);
            int left = total - finished;
            string eta = p.IsOver ? (p.State == SweepState.Cancelled ? $"cancelled, {Math.Max(left, 0)} not run" : "done")
                : rate > 0 && left > 0 ? $"~{Format(TimeSpan.FromSeconds(Math.Ceiling(left / rate)))} left"
                : "time left: estimating…";
            rows.Add(new Markup($"{rate.ToString("0.0", c)} trials/s   elapsed {Format(elapsed)}   {eta}"));
        }
        if (best is not null && best.Metrics.TryGetValue(_metric.Name, out var summary))
            rows.Add(new Markup($"best so far: [bold]{Markup.Escape(_bestDescribed ?? "")}[/]\n" +
                                $"  {Markup.Escape(_metric.Name)} = [bold]{Markup.Escape(RankingExporter.FormatSummary(summary))}[/] (n={best.Completed})"));
        else
            rows.Add(new Markup("[grey]best so far: no completed trial yet[/]"));
        string goal = _metric.Goal.ToString().ToLowerInvariant();
        return new Panel(new Rows(rows))
            .Header($" {Markup.Escape(_name)}: ranked by {Markup.Escape(_metric.Name)} ({goal}) ")
            .Border(BoxBorder.Rounded)
            .Expand();
    }

    private static string Bar(double fraction, int width)
    {
        int full = (int)Math.Round(fraction * width);
        return $"[green]{new string('━', full)}[/][grey]{new string('━', width - full)}[/]";
    }

    private static string Format(TimeSpan span) =>
        span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>Log events while the view is up, as readable lines waiting to be printed above it.</summary>
    private sealed class LogLines : ILogEventSink
    {
        /// <summary>Clears from the cursor to the end of the screen: the view, which is drawn again below the lines.</summary>
        private const string EraseBelow = "\u001b[0J";

        private static readonly MessageTemplateTextFormatter Formatter = new(Observability.ConsoleTemplate);
        private readonly ConcurrentQueue<(LogEventLevel Level, string Text)> _waiting = new();
        private TaskCompletionSource _arrived = NewSignal();

        /// <summary>Completes when an event comes, so that it is shown at once rather than at the next refresh.</summary>
        public Task Arrived => _arrived.Task;

        public void Emit(LogEvent logEvent)
        {
            var text = new StringWriter();
            Formatter.Format(logEvent, text);
            _waiting.Enqueue((logEvent.Level, text.ToString().TrimEnd('\r', '\n')));
            _arrived.TrySetResult();
        }

        public void PrintAbove(IAnsiConsole console)
        {
            Interlocked.Exchange(ref _arrived, NewSignal());
            while (_waiting.TryDequeue(out var line))
            {
                var style = line.Level switch
                {
                    >= LogEventLevel.Error => new Style(Color.Red),
                    LogEventLevel.Warning => new Style(Color.Yellow),
                    _ => new Style(Color.Grey),
                };
                console.Write(new Above(line.Text, style));
            }
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>One event's lines, written where the view was; the view then draws itself again below them.</summary>
        private sealed class Above(string text, Style style) : Renderable
        {
            protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
            {
                yield return Segment.Control(EraseBelow);
                foreach (var segment in ((IRenderable)new Text(text, style)).Render(options, maxWidth)) yield return segment;
                yield return Segment.LineBreak;
            }
        }
    }
}
