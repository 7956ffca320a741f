using System.CommandLine;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

internal static class ResultsCommand
{
    private static readonly string[] Formats = ["csv", "json", "md"];

    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var id = new Argument<string>("ID") { Description = "The sweep id that submit printed." };
        var format = new Option<string?>("--format") { Description = "Print the ranking in this format: csv, json or md (default md, or nothing with --out)." };
        var output = new Option<string?>("--out") { Description = "Write trials.jsonl, ranking.csv, ranking.json and ranking.md here, as the embedded run does." };
        var command = new Command("results", "The results of a sweep in the cluster, so far or final.") { id, format, output };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? chosen = parse.GetValue(format)?.ToLowerInvariant();
            if (chosen is not null && !Formats.Contains(chosen))
                throw new UsageException($"--format '{chosen}' is unknown; allowed: {string.Join(", ", Formats)}.");
            using var folder = SubmitCommand.OutputFolder(parse.GetValue(output), $"tinynet-sweeps results {parse.GetValue(id)}");
            await using var connected = await ClusterConnection.ConnectAsync(cluster.Address(parse), cancellationToken);
            var (coordinator, info) = await ClusterConnection.FindSweepAsync(connected.Client, parse.GetValue(id)!);
            if (folder is not null)
            {
                string outDir = folder.Directory;
                var exported = await SweepFollower.ExportAsync(coordinator, info, folder);
                io.Error.WriteLine($"{exported.Cursor} trials of {info.Id} ({exported.State.ToString().ToLowerInvariant()}) written to {Path.GetFullPath(outDir)}.");
                if (chosen is null) return ExitCodes.Success;
            }
            var ranking = await coordinator.GetRanking();
            io.Output.Write((chosen ?? "md") switch
            {
                "csv" => RankingExporter.ToCsv(ranking),
                "json" => RankingExporter.ToJson(ranking),
                _ => RankingExporter.ToMarkdown(ranking),
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
