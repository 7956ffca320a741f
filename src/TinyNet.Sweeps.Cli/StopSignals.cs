using System.Runtime.InteropServices;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// What Ctrl-C (SIGINT) and SIGTERM mean to tinynet-sweeps. A command that can wind down by itself (run, silo, a
/// --wait) asks for <see cref="Token"/>: the first signal cancels it, and the command stops dispatching, stops its
/// trials at their next epoch, writes what finished and returns <see cref="ExitCode"/>. A second signal, or the first
/// one during a command that has nothing to wind down, ends the process at once with that code: every result is
/// already on disk by then, line by line.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private int _signals;
    private volatile bool _graceful;

    private StopSignals(TextWriter error) => _error = error;

    /// <summary>Cancelled by the first signal while a command winds down gracefully.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>128 + the signal's number: 130 after Ctrl-C, 143 after SIGTERM, as shells report a process a signal ended.</summary>
    public int ExitCode { get; private set; } = ExitCodes.Cancelled;

    /// <summary>A source of stops that no signal reaches, for running the command line inside another program (tests).</summary>
    public static StopSignals None(TextWriter error) => new(error);

    /// <summary>Takes SIGINT and SIGTERM for this process.</summary>
    public static StopSignals Install(TextWriter error)
    {
        var signals = new StopSignals(error);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            signals._registrations.Add(PosixSignalRegistration.Create(signal, signals.OnSignal));
        return signals;
    }

    /// <summary>From now on the first signal cancels <see cref="Token"/> instead of ending the process.</summary>
    public CancellationToken WindDownGracefully()
    {
        _graceful = true;
        return _stop.Token;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        ExitCode = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Cancelled;
        if (Interlocked.Increment(ref _signals) == 1 && _graceful)
        {
            _error.WriteLine($"Stopping ({(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl-C")}): trials in training stop at their next epoch, " +
                             "finished ones are written. Press Ctrl-C again to quit at once.");
            _stop.Cancel();
            return;
        }
        _error.WriteLine("Quitting at once: every finished trial is already saved.");
        _error.Flush();
        ExitNow(ExitCode);
    }

    /// <summary>
    /// Ends the process without running finalizers or exit handlers, which could wait on training threads or crash
    /// in libtorch on the way out. Nothing is lost: results are written as they arrive.
    /// </summary>
    private static void ExitNow(int code)
    {
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
