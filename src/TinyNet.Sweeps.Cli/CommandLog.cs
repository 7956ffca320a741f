using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Extensions.Logging;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// A command's logging, set up once when it starts and handed to what it runs (its hosts, its runner, its progress)
/// instead of a global logger, so commands running side by side in one process (the tests) keep their logs apart.
/// Readable lines go to the command's standard error, or to its live view while that is up (<see cref="Route"/>).
/// </summary>
internal sealed class CommandLog : IAsyncDisposable
{
    private readonly SerilogLoggerFactory _factory;

    private CommandLog(Logger logger, ConsoleLogRoute route)
    {
        (Logger, Route) = (logger, route);
        _factory = new SerilogLoggerFactory(logger, dispose: false);
    }

    public Logger Logger { get; }

    public ConsoleLogRoute Route { get; }

    /// <summary>The same logger for Microsoft.Extensions.Logging's callers.</summary>
    public ILoggerFactory Factory => _factory;

    public static CommandLog Start(CliIO io, LogOptions options)
    {
        var route = new ConsoleLogRoute();
        // The real standard error keeps Serilog's console sink (its colours in a terminal); any other writer gets the lines as text.
        var console = ReferenceEquals(io.Error, Console.Error) ? null : io.Error;
        return new CommandLog(Observability.CreateLogger(options, console, route), route);
    }

    /// <summary>Flushes the lines and the JSON file.</summary>
    public async ValueTask DisposeAsync()
    {
        _factory.Dispose();
        await Logger.DisposeAsync();
    }
}
