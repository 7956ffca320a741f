using System.CommandLine;
using System.Globalization;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Cli;

internal static class StatusCommand
{
    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var id = new Argument<string>("ID") { Description = "The sweep id that submit printed." };
        var wait = new Option<bool>("--wait") { Description = "Follow the sweep until it ends (reattach), then print the ranked table." };
        var output = new Option<string?>("--out") { Description = "With --wait: also write trials.jsonl and the ranking files here." };
        var command = new Command("status", "Where a sweep in the cluster stands: counts and the best configuration so far.") { id, wait, output };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = cluster.Address(parse);
            using var folder = parse.GetValue(wait) ? SubmitCommand.OutputFolder(parse.GetValue(output), $"tinynet-sweeps status {parse.GetValue(id)} --wait") : null;
            await using var connected = await ClusterConnection.ConnectAsync(address, cancellationToken);
            var (coordinator, info) = await ClusterConnection.FindSweepAsync(connected.Client, parse.GetValue(id)!);
            if (parse.GetValue(wait))
                return await SweepWatch.WaitAsync(io, coordinator, info, folder, 20, address);

            var progress = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
            io.Output.WriteLine($"{info.Id} ({info.Name}), submitted {info.SubmittedAt.ToString("u", CultureInfo.InvariantCulture)}: " +
                                $"{progress.State.ToString().ToLowerInvariant()}, {progress.Finished}/{progress.Total} finished " +
                                $"({progress.Completed} completed, {(progress.Stopped > 0 ? $"{progress.Stopped} stopped, " : "")}{progress.Diverged} diverged, {progress.Failed} failed), {progress.Training} training, {progress.Queued} queued.");
            var ranking = await coordinator.GetRanking();
            if (ranking.Rows.FirstOrDefault(r => r.Completed > 0) is { } best)
                io.Output.WriteLine($"Best so far by {info.Metric.Name}: {Tables.Describe(best, Tables.Labels(ranking))} = {RankingExporter.FormatSummary(best.Metrics[info.Metric.Name])} (n={best.Completed}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
