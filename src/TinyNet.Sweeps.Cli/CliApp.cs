using TinyNet.Sweeps.Hosting;
using System.CommandLine;
using Spectre.Console;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Cli;

/// <summary>The tinynet-sweeps command line. Output and error writers are parameters so tests can run it in-process.</summary>
public static class CliApp
{
    /// <param name="signals">Ctrl-C and SIGTERM; none when the command line runs inside another program.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, StopSignals? signals = null)
    {
        var io = new CliIO(output ?? Console.Out, error ?? Console.Error, signals ?? StopSignals.None(error ?? Console.Error));
        var root = new RootCommand("TinyNet.Sweeps: hyperparameter sweeps of TinyNet on an Orleans cluster, ranked by loss and calibration.")
        {
            ValidateCommand.Create(io),
            SchemaCommand.Create(io),
            RunCommand.Create(io),
            BenchmarkCommand.Create(io),
            SiloCommand.Create(io),
            SubmitCommand.Create(io),
            StatusCommand.Create(io),
            ResultsCommand.Create(io),
            CancelCommand.Create(io),
            ListCommand.Create(io),
            ReportCommand.Create(io),
            CompareCommand.Create(io),
        };
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) io.Error.WriteLine($"error: {e.Message}");
                io.Error.WriteLine("Run 'tinynet-sweeps --help' for the commands and options.");
                return ExitCodes.InvalidInput;
            }
            // Signals are ours (StopSignals), not System.CommandLine's: its handler would return while trials still train.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = io.Output, Error = io.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (e is UsageException or ResultsFolderRefusedException)
        {
            io.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (ResultsWriteException e)
        {
            io.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is ClusterUnreachableException or SweepStateLostException)
        {
            io.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("TINYNET_DEBUG") is null)
        {
            io.Error.WriteLine($"error: {e.GetType().Name}: {e.Message} (set TINYNET_DEBUG=1 for the stack trace)");
            return ExitCodes.Failure;
        }
    }
}

/// <summary>Where a command writes: results and tables to <see cref="Output"/>, logs and errors to <see cref="Error"/>.</summary>
public sealed class CliIO(TextWriter output, TextWriter error, StopSignals signals)
{
    public TextWriter Output { get; } = output;

    /// <summary>Logs write here from any thread, alongside the command's own lines: one line at a time.</summary>
    public TextWriter Error { get; } = TextWriter.Synchronized(error);

    /// <summary>Ctrl-C and SIGTERM: a command that winds down by itself asks for a token, then returns the signal's exit code.</summary>
    public StopSignals Signals { get; } = signals;

    public IAnsiConsole Console { get; } = CreateConsole(output);

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        // Logs and pipes have no width of their own: don't squeeze tables into 80 columns there.
        if (!terminal) console.Profile.Width = 240;
        return console;
    }
}

/// <summary>A refusal of the user's input with a message that says what is allowed; printed without a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
