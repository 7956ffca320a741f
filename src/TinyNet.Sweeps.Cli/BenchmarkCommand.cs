namespace TinyNet.Sweeps.Cli;
internal static class BenchmarkCommand
{
    public static System.CommandLine.Command Create(CliIO io) => new("benchmark", "Measure orchestration overhead (coming).");
}
