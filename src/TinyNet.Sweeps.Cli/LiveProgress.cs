using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Rendering;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Ranking;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// A live view of a sweep in the terminal (Spectre.Console's <c>Live</c> display, drawn on standard error so standard
/// output keeps only the final table): trials finished, running, failed and diverged, trials per second, time left
/// and the best configuration so far. The ranking is folded client-side from the reports' new results, at most
/// every <see cref="RankPeriod"/>.
/// While the view runs, the process's standard error is swapped for a buffer so that log lines (Serilog writes to
/// <c>Console.Error</c>) cannot tear it: the last few are shown inside the view, and warnings and errors are printed
/// again below it when it ends. <c>--log-json</c> files receive every event as usual.
/// </summary>
internal sealed partial class LiveProgress : IProgress<SweepProgress>
{
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromMilliseconds(250);
    internal static readonly TimeSpan RankPeriod = TimeSpan.FromMilliseconds(500);
    private const int LogLinesShown = 4;

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

    /// <summary>
    /// Runs <paramref name="work"/> with this view as its progress, drawing the view until the work ends; the final
    /// frame stays on screen, so what is printed afterwards (the ranked table) comes below it.
    /// </summary>
    public async Task<T> ShowWhileAsync<T>(Func<IProgress<SweepProgress>, Task<T>> work)
    {
        var stderr = Console.Error;
        int width = SafeWidth();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stderr),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        // A few columns short of the terminal: a full-width last line would wrap when the terminal echoes "^C" there,
        // pushing the next redraw one line down.
        console.Profile.Width = width - 3;
        var logs = new LogCapture();
        Console.SetError(TextWriter.Synchronized(logs));
        try
        {
            return await console.Live(Render(logs)).AutoClear(false).Overflow(VerticalOverflow.Ellipsis)
                .StartAsync(async context =>
                {
                    var task = work(this);
                    while (!task.IsCompleted)
                    {
                        await Task.WhenAny(task, Task.Delay(RefreshPeriod));
                        context.UpdateTarget(Render(logs));
                        context.Refresh();
                    }
                    ForceRank();
                    context.UpdateTarget(Render(logs));
                    context.Refresh();
                    return await task;
                });
        }
        finally
        {
            Console.SetError(stderr);
            foreach (string line in logs.Important()) stderr.WriteLine(line);
            stderr.Flush();
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

    private IRenderable Render(LogCapture logs)
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
                $"[green]{p.Completed} completed[/]   [grey]{p.Stopped} stopped[/]   [yellow]{p.Diverged} diverged[/]   [red]{p.Failed} failed[/]   [blue]{p.Running} running[/]"));
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
        var recent = logs.Recent(LogLinesShown);
        if (recent.Count > 0)
            rows.Add(new Markup("[grey]" + Markup.Escape(string.Join("\n", recent)) + "[/]"));
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

    /// <summary>Standard error while the view is up: keeps the log's lines to show the last ones and replay the important ones.</summary>
    private sealed partial class LogCapture : TextWriter
    {
        private readonly StringBuilder _partial = new();
        private readonly List<string> _lines = new();
        private readonly List<string> _important = new();
        private bool _inImportant;

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_lines)
            {
                if (value == '\n') EndLine();
                else if (value != '\r') _partial.Append(value);
            }
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            lock (_lines)
                foreach (char ch in value)
                {
                    if (ch == '\n') EndLine();
                    else if (ch != '\r') _partial.Append(ch);
                }
        }

        private void EndLine()
        {
            string line = StripAnsi().Replace(_partial.ToString(), "");
            _partial.Clear();
            _lines.Add(line);
            if (_lines.Count > 100) _lines.RemoveRange(0, 50);
            // "[12:00:00 WRN] ..." starts an important event; lines without a "[hh:mm:ss" prefix continue the last one (stack traces).
            if (EventStart().IsMatch(line)) _inImportant = ImportantStart().IsMatch(line);
            if (_inImportant) _important.Add(line);
        }

        public IReadOnlyList<string> Recent(int count)
        {
            lock (_lines) return _lines.TakeLast(count).ToList();
        }

        public IReadOnlyList<string> Important()
        {
            lock (_lines)
            {
                if (_partial.Length > 0) EndLine();
                return _important.ToList();
            }
        }

        [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
        private static partial Regex StripAnsi();

        [GeneratedRegex(@"^\[\d\d:\d\d:\d\d ")]
        private static partial Regex EventStart();

        [GeneratedRegex(@"^\[\d\d:\d\d:\d\d (WRN|ERR|FTL)")]
        private static partial Regex ImportantStart();
    }
}
