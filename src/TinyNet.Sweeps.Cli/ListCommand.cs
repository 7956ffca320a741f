using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Cli;

internal static class ListCommand
{
    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var command = new Command("list", "Every sweep submitted to the cluster, with its state.");
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var connected = await ClusterConnection.ConnectAsync(cluster.Address(parse), cancellationToken);
            var sweeps = await connected.Client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).List();
            var table = new Table().Border(TableBorder.Simple);
            foreach (string column in new[] { "id", "name", "submitted (UTC)", "state", "finished", "training", "queued" }) table.AddColumn(column);
            foreach (var sweep in sweeps)
            {
                var progress = await connected.Client.GetGrain<ISweepCoordinatorGrain>(sweep.Id).GetProgress(int.MaxValue, TimeSpan.Zero);
                table.AddRow(Markup.Escape(sweep.Id), Markup.Escape(sweep.Name), sweep.SubmittedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    progress.State.ToString().ToLowerInvariant(), $"{progress.Finished}/{progress.Total}",
                    progress.Training.ToString(CultureInfo.InvariantCulture), progress.Queued.ToString(CultureInfo.InvariantCulture));
            }
            io.Console.Write(table);
            if (sweeps.Count == 0) io.Output.WriteLine("No sweeps yet.");
            return ExitCodes.Success;
        });
        return command;
    }
}
