namespace TinyNet.Sweeps.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Something went wrong while running (not the user's input).</summary>
    public const int Failure = 1;
    /// <summary>The input was refused: a bad sweep file, a bad option. Nothing ran.</summary>
    public const int InvalidInput = 2;
    /// <summary>Interrupted with Ctrl-C (SIGINT); what had finished was saved.</summary>
    public const int Cancelled = 130;
    /// <summary>Stopped by SIGTERM (docker stop, kill, Kubernetes); what had finished was saved.</summary>
    public const int Terminated = 143;
}
