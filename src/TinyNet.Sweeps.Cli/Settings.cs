using Microsoft.Extensions.Configuration;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Settings the usual .NET way: appsettings.json (next to the program, then in the current folder), then
/// environment variables prefixed TINYNET_ (TINYNET_TELEMETRY__EXPORTER=otlp), then command-line options.
/// </summary>
internal static class Settings
{
    private static readonly Lazy<IConfiguration> Configuration = new(() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables("TINYNET_")
        .Build());

    /// <summary>Read once per process: a command asks for several sections.</summary>
    public static IConfiguration Load() => Configuration.Value;

    /// <summary>An integer setting, refused with its key when it is not one.</summary>
    public static int? Int(IConfiguration section, string key)
    {
        string? text = section[key];
        if (text is null) return null;
        return int.TryParse(text, out int value)
            ? value
            : throw new UsageException($"The setting {(section is IConfigurationSection s ? s.Path + ":" : "")}{key} must be an integer (got '{text}').");
    }

    public static TelemetryOptions Telemetry(string? exporterOption, string? endpointOption)
    {
        var section = Load().GetSection("Telemetry");
        string exporter = (exporterOption ?? section["Exporter"] ?? "none").Trim().ToLowerInvariant();
        if (!TelemetryOptions.Exporters.Contains(exporter))
            throw new UsageException($"The telemetry exporter '{exporter}' is unknown; allowed: {string.Join(", ", TelemetryOptions.Exporters)}.");
        return new TelemetryOptions { Exporter = exporter, OtlpEndpoint = endpointOption ?? section["OtlpEndpoint"] };
    }
}
