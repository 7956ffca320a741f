using System.CommandLine;

namespace TinyNet.Sweeps.Cli;

internal static class CancelCommand
{
    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var id = new Argument<string>("ID") { Description = "The sweep id that submit printed." };
        var command = new Command("cancel", "Stop a sweep in the cluster from starting more trials; those training finish and are kept.") { id };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var connected = await ClusterConnection.ConnectAsync(cluster.Address(parse), cancellationToken);
            var (coordinator, info) = await ClusterConnection.FindSweepAsync(connected.Client, parse.GetValue(id)!);
            await coordinator.Cancel();
            var progress = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
            io.Output.WriteLine($"{info.Id}: {progress.State.ToString().ToLowerInvariant()}; {progress.Finished} of {progress.Total} trials finished, {progress.Running} still running will be kept.");
            return ExitCodes.Success;
        });
        return command;
    }
}
