using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// What a silo does when Orleans deems an error fatal, above all when it learns that the cluster declared it dead (it
/// was cut off longer than failure detection allows, and is back). Orleans' own handler writes the reason with two
/// stack traces and aborts the process (exit 134). This one logs one error line and ends the process at once with exit
/// code 1, like a silo whose Redis lost the cluster (<see cref="MembershipWatchdog"/>), so that a supervisor starts it
/// again and it joins as a new silo. At once, as Orleans does: the cluster has already moved this silo's grains and
/// trials elsewhere, so nothing here may go on running, or writing to Redis, longer than it takes to say why.
/// </summary>
internal sealed class ExitOnFatalError(ILocalSiloDetails silo, ILogger<ExitOnFatalError> logger, Serilog.ILogger processLog) : IFatalErrorHandler
{
    public const int ExitCode = 1;

    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        // Orleans' membership says so in these words (MembershipTableManager.KillMyselfLocally).
        if (context?.Contains("I have been told I am dead", StringComparison.Ordinal) == true)
            logger.LogCritical("Silo {Name} was declared dead by the cluster, which could not reach it for longer than failure detection allows, " +
                               "and its trials run on other silos now; it exits. Start it again to rejoin the cluster as a new silo", silo.Name);
        else
            logger.LogCritical(exception, "Silo {Name} exits after an error Orleans deems fatal: {Context}", silo.Name, context?.Split('\n')[0]);
        // The process's logger (see AddTinyNetLogging): its JSON file gets the line before the process ends.
        (processLog as IDisposable)?.Dispose();
        ProcessExit.Now(ExitCode);
    }
}
