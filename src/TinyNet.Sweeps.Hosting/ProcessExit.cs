using System.Runtime.InteropServices;

namespace TinyNet.Sweeps.Hosting;

/// <summary>How a silo leaves when it must not go on: at once, with trials perhaps still training.</summary>
public static class ProcessExit
{
    /// <summary>
    /// Ends the process without exit handlers or libtorch's static destructors: with Environment.Exit, trials still
    /// training here failed in a libtorch torn down under them, and such a failure reached the sweep as the trial's
    /// result (a sweep whose four trials were mid-training when its silo left "finished" with four failed trials).
    /// Flush the logs first: nothing runs after this.
    /// </summary>
    public static void Now(int code)
    {
        if (OperatingSystem.IsWindows()) Environment.FailFast($"exit {code}");
        Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int status);
}
