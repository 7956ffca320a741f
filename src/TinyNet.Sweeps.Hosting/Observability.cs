using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
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
    /// <summary>Readable console logs (on standard error, so tables and exports on standard output stay clean).</summary>
    public static Serilog.ILogger CreateLogger(LogOptions options)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(options.Level)
            // Orleans is chatty at Information; its warnings and errors still come through.
            .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            // Its start-up check reports a bogus multi-minute stall in a freshly started process.
            .MinimumLevel.Override("Orleans.Runtime.Watchdog", LogEventLevel.Error)
            .Enrich.FromLogContext()
            .WriteTo.Console(
                outputTemplate: options.Silo is null
                    ? "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}"
                    : "[{Timestamp:HH:mm:ss} {Level:u3} {Silo}] {Message:lj}{NewLine}{Exception}",
                standardErrorFromLevel: LogEventLevel.Verbose);
        if (options.Silo is { } silo)
            configuration = configuration.Enrich.WithProperty("Silo", silo);
        if (options.JsonFile is { } file)
            configuration = configuration.WriteTo.File(new CompactJsonFormatter(), file);
        return configuration.CreateLogger();
    }

    /// <summary>Routes Microsoft.Extensions.Logging (Orleans included) to the process's Serilog logger.</summary>
    public static IServiceCollection AddTinyNetLogging(this IServiceCollection services) =>
        services.AddSerilog(Log.Logger, dispose: false);

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
