using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using TinyNet.Sweeps.Grains;

namespace TinyNet.Sweeps.Hosting;

/// <summary>Which OpenTelemetry exporter receives the meters and traces: <c>none</c>, <c>console</c> or <c>otlp</c>.</summary>
public sealed record TelemetryOptions
{
    public string Exporter { get; init; } = "none";

    /// <summary>OTLP endpoint; when unset the exporter's default (or OTEL_EXPORTER_OTLP_ENDPOINT) applies.</summary>
    public string? OtlpEndpoint { get; init; }

    public static IReadOnlyList<string> Exporters { get; } = ["none", "console", "otlp"];
}

public sealed record LogOptions
{
    public LogEventLevel Level { get; init; } = LogEventLevel.Information;

    /// <summary>When set, every event is also written there as compact JSON, one per line.</summary>
    public string? JsonFile { get; init; }

    /// <summary>The silo this process runs, added to every event.</summary>
    public string? Silo { get; init; }
}

public static class Observability
{
    /// <summary>How a readable log line looks, on the console and in the live view.</summary>
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>A silo's lines also name the silo: several may log to one terminal or one collector.</summary>
    public const string SiloConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3} {Silo}] {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A command's logger, made once when it starts and handed to whatever it runs (no global logger): readable lines on
    /// standard error, so tables and exports on standard output stay clean, or on <paramref name="console"/> when the
    /// command writes elsewhere (a test); through <paramref name="route"/> to a live view while one is up. Dispose it
    /// at the end to flush the JSON file.
    /// </summary>
    public static Logger CreateLogger(LogOptions options, TextWriter? console = null, ConsoleLogRoute? route = null)
    {
        string template = options.Silo is null ? ConsoleTemplate : SiloConsoleTemplate;
        void Lines(LoggerSinkConfiguration to)
        {
            if (console is null) to.Console(outputTemplate: template, standardErrorFromLevel: LogEventLevel.Verbose);
            else to.Sink(new WriterSink(console, new MessageTemplateTextFormatter(template)));
        }
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(options.Level)
            // Orleans is chatty at Information; its warnings and errors still come through.
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            // Its start-up check reports a bogus multi-minute stall in a freshly started process.
            .MinimumLevel.Override("Orleans.Runtime.Watchdog", LogEventLevel.Error)
            .Enrich.FromLogContext();
        if (route is null) Lines(configuration.WriteTo);
        else configuration.WriteTo.Sink(LoggerSinkConfiguration.Wrap(route.Around, Lines));
        if (options.Silo is { } silo)
            configuration = configuration.Enrich.WithProperty("Silo", silo);
        if (options.JsonFile is { } file)
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), file);
        return configuration.CreateLogger();
    }

    /// <summary>Readable lines on a writer of the caller's, whole lines at a time whichever threads log.</summary>
    private sealed class WriterSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            var line = new StringWriter();
            formatter.Format(logEvent, line);
            lock (writer)
            {
                writer.Write(line.ToString());
                writer.Flush();
            }
        }
    }

    /// <summary>
    /// Routes Microsoft.Extensions.Logging (Orleans included) to <paramref name="logger"/>, the process's, which the
    /// host does not own; it is also there for whoever must flush it before the process ends abruptly.
    /// </summary>
    public static IServiceCollection AddTinyNetLogging(this IServiceCollection services, Serilog.ILogger logger)
    {
        services.AddSerilog(logger, dispose: false);
        services.TryAddSingleton(logger);
        return services;
    }

    public static IServiceCollection AddTinyNetTelemetry(this IServiceCollection services, TelemetryOptions options, string instance)
    {
        if (options.Exporter == "none") return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("tinynet-sweeps", serviceInstanceId: instance))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SweepTelemetry.Name, "Microsoft.Orleans");
                if (options.Exporter == "console")
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000);
                else
                    metrics.AddOtlpExporter(o => { if (options.OtlpEndpoint is { } e) o.Endpoint = new Uri(e); });
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(SweepTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                tracing.SetSampler(new AlwaysOnSampler());
                if (options.Exporter == "console") tracing.AddConsoleExporter();
                else tracing.AddOtlpExporter(o => { if (options.OtlpEndpoint is { } e) o.Endpoint = new Uri(e); });
            });
        return services;
    }
}

/// <summary>
/// Where a process's readable log lines go: to the console, or, while a live view is up, to the view as events, which
/// draws them above its progress display (nothing then writes to the terminal behind the view's back).
/// </summary>
public sealed class ConsoleLogRoute
{
    private volatile ILogEventSink? _view;

    /// <summary>Hands every event to <paramref name="view"/> instead of the console until the result is disposed.</summary>
    public IDisposable DivertTo(ILogEventSink view)
    {
        if (Interlocked.CompareExchange(ref _view, view, null) is not null)
            throw new InvalidOperationException("The log already goes to a live view.");
        return new Restore(this, view);
    }

    /// <summary>Wraps the console's sink, so each event goes to the console or to the view, never both.</summary>
    internal ILogEventSink Around(ILogEventSink console) => new Routed(this, console);

    private sealed class Routed(ConsoleLogRoute route, ILogEventSink console) : ILogEventSink, IDisposable
    {
        public void Emit(LogEvent logEvent) => (route._view ?? console).Emit(logEvent);

        public void Dispose() => (console as IDisposable)?.Dispose();
    }

    private sealed class Restore(ConsoleLogRoute route, ILogEventSink view) : IDisposable
    {
        public void Dispose() => Interlocked.CompareExchange(ref route._view, null, view);
    }
}
