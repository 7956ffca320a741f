using Microsoft.Extensions.Configuration;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Settings the usual .NET way: appsettings.json (next to the program, then in the current folder), then
/// environment variables prefixed TINYNET_ (TINYNET_TELEMETRY__EXPORTER=otlp), then command-line options.
/// </summary>
internal static class Settings
{
    public static IConfiguration Load() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables("TINYNET_")
        .Build();

    public static TelemetryOptions Telemetry(string? exporterOption, string? endpointOption)
    {
        var section = Load().GetSection("Telemetry");
        string exporter = (exporterOption ?? section["Exporter"] ?? "none").Trim().ToLowerInvariant();
        if (!TelemetryOptions.Exporters.Contains(exporter))
            throw new UsageException($"The telemetry exporter '{exporter}' is unknown; allowed: {string.Join(", ", TelemetryOptions.Exporters)}.");
        return new TelemetryOptions { Exporter = exporter, OtlpEndpoint = endpointOption ?? section["OtlpEndpoint"] };
    }
}
