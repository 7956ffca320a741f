using System.CommandLine;

namespace TinyNet.Sweeps.Cli;

internal static class CancelCommand
{
    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var id = new Argument<string>("ID") { Description = "The sweep id that submit printed." };
        var now = new Option<bool>("--now") { Description = "Also stop the trials in training at their next epoch (they are not recorded)." };
        var command = new Command("cancel", "Stop a sweep in the cluster from starting more trials; those training finish and are kept (unless --now).") { id, now };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var connected = await ClusterConnection.ConnectAsync(cluster.Address(parse), cancellationToken);
            var (coordinator, info) = await ClusterConnection.FindSweepAsync(connected.Client, parse.GetValue(id)!);
            if (parse.GetValue(now)) await coordinator.Abort();
            else await coordinator.Cancel();
            var progress = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
            string running = progress.Running == 0 ? "none running"
                : parse.GetValue(now) ? $"{progress.Running} stopping at their next epoch"
                : $"{progress.Running} still running will be kept";
            io.Output.WriteLine($"{info.Id}: {progress.State.ToString().ToLowerInvariant()}; {progress.Finished} of {progress.Total} trials finished, {running}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
