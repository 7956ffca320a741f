namespace TinyNet.Sweeps.Testing;

/// <summary>The built tinynet-sweeps.dll of the same configuration as the running tests, to start as a separate process.</summary>
public static class CliBinary
{
    /// <summary>The repository's root folder (the one holding TinyNet.Sweeps.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    // After RepoRoot: static initializers run in the order they are written.
    public static string Dll { get; } = Locate();

    private static string Locate()
    {
        // .../tests/<project>/bin/<Configuration>/net10.0/
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        string dll = Path.Combine(RepoRoot, "src", "TinyNet.Sweeps.Cli", "bin", configuration, "net10.0", "tinynet-sweeps.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first.");
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "TinyNet.Sweeps.sln"))) return directory.FullName;
        throw new InvalidOperationException("TinyNet.Sweeps.sln not found above " + AppContext.BaseDirectory);
    }
}
