using System.CommandLine;

namespace TinyNet.Sweeps.Cli;

/// <summary>
/// Checks of option values while the command line is parsed, so a wrong value is refused (exit 2) before anything
/// starts: 20,000 workers would otherwise start 20,000 libtorch threads and crash, and a log file that cannot be
/// written would be found out only after the sweep had run.
/// </summary>
internal static class OptionChecks
{
    /// <summary>Training is CPU-bound: more workers than cores only share them. Four per core leaves room for experiments.</summary>
    public static int MaxWorkers { get; } = Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>Each silo of an embedded cluster is a whole Orleans host; more than this on one machine only adds overhead.</summary>
    public const int MaxSilos = 16;

    public static string WorkersRule => $"at least 1 and at most {MaxWorkers} workers (four per core of this machine's {Environment.ProcessorCount})";

    public static Option<int> InRange(this Option<int> option, int min, int max, string? why = null)
    {
        option.Validators.Add(result =>
        {
            if (TryValue(result, out int value) && (value < min || value > max)) result.AddError(Message(option.Name, value, min, max, why));
        });
        return option;
    }

    public static Option<int?> InRange(this Option<int?> option, int min, int max, string? why = null)
    {
        option.Validators.Add(result =>
        {
            if (TryValue(result, out int? given) && given is { } value && (value < min || value > max)) result.AddError(Message(option.Name, value, min, max, why));
        });
        return option;
    }

    /// <summary>A file the command appends to (a log): it must be possible to open it for writing now.</summary>
    public static Option<string?> WritableFile(this Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryValue(result, out string? path) || path is null) return;
            try
            {
                using var probe = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                result.AddError($"{option.Name} {path} cannot be written: {e.Message.Split(" : '")[0].TrimEnd('.')}.");
            }
        });
        return option;
    }

    /// <summary>False when the value does not parse: the parser reports that error itself.</summary>
    private static bool TryValue<T>(System.CommandLine.Parsing.OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    public static Option<int?> Workers(this Option<int?> option) =>
        option.InRange(1, MaxWorkers, $"four per core of this machine's {Environment.ProcessorCount}; training is CPU-bound");

    public static Option<int> Workers(this Option<int> option) =>
        option.InRange(1, MaxWorkers, $"four per core of this machine's {Environment.ProcessorCount}; training is CPU-bound");

    private static string Message(string name, int value, int min, int max, string? why) =>
        max == int.MaxValue
            ? $"{name} must be at least {min} (got {value})."
            : $"{name} must be at least {min} and at most {max}{(why is null ? "" : $" ({why})")}; got {value}.";
}
