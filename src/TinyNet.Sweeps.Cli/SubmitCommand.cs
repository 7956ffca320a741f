using TinyNet.Sweeps.Hosting;
using System.CommandLine;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Grains;

namespace TinyNet.Sweeps.Cli;

internal static class SubmitCommand
{
    public static Command Create(CliIO io)
    {
        var cluster = new ClusterConnection();
        var file = new Argument<string>("FILE") { Description = "The sweep file; or, with --wait, the id of a sweep already submitted (to reattach)." };
        var wait = new Option<bool>("--wait") { Description = "Show progress until the sweep ends, then the ranked table." };
        var output = new Option<string?>("--out") { Description = "With --wait: also write trials.jsonl and the ranking files here." };
        var top = new Option<int>("--top") { Description = "Rows of the ranking printed.", DefaultValueFactory = _ => 20 }.InRange(1, int.MaxValue);
        var command = new Command("submit", "Validate a sweep file here, hand it to the cluster and print its sweep id.") { file, wait, output, top };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string argument = parse.GetValue(file)!;
            var address = cluster.Address(parse);
            if (!File.Exists(argument) && parse.GetValue(wait) && !argument.Contains('/') && !argument.EndsWith(".yaml") && !argument.EndsWith(".yml"))
            {
                // Reattaching to a sweep submitted earlier, by its id.
                using var reattachFolder = OutputFolder(parse.GetValue(output), $"tinynet-sweeps submit {argument} --wait");
                await using var reattached = await ClusterConnection.ConnectAsync(address, cancellationToken);
                var (existing, info) = await ClusterConnection.FindSweepAsync(reattached.Client, argument);
                return await SweepWatch.WaitAsync(io, existing, info, reattachFolder, parse.GetValue(top), address);
            }

            var plan = SweepLoading.Load(argument, io);
            if (plan is null) return ExitCodes.InvalidInput;
            // Checked before the sweep reaches the cluster: the folder must be ours and writable.
            using var folder = parse.GetValue(wait) ? OutputFolder(parse.GetValue(output), $"tinynet-sweeps submit {argument} --wait") : null;
            await using var connected = await ClusterConnection.ConnectAsync(address, cancellationToken);
            string sweepId = SweepNames.NewSweepId(plan.Name, DateTimeOffset.UtcNow);
            var coordinator = connected.Client.GetGrain<ISweepCoordinatorGrain>(sweepId);
            using (var activity = SweepTelemetry.ActivitySource.StartActivity("submit"))
            {
                activity?.SetTag("sweep.id", sweepId);
                try { await coordinator.Start(new SweepLaunch(plan, [])); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Saving the sweep failed in the cluster (its Redis unreachable or emptied meanwhile, say).
                    throw new ClusterUnreachableException($"The cluster could not start sweep {sweepId}: {e.Message.Split('\n')[0]} Submit it again once the cluster is healthy.");
                }
            }
            io.Output.WriteLine(sweepId);
            io.Output.Flush();
            if (!parse.GetValue(wait))
            {
                io.Error.WriteLine($"Submitted {plan.Total} trials. Follow with: tinynet-sweeps status {sweepId} --wait --redis {address.RedisShown}");
                return ExitCodes.Success;
            }
            var submitted = await coordinator.GetInfo() ?? throw new SweepStateLostException(sweepId);
            return await SweepWatch.WaitAsync(io, coordinator, submitted, folder, parse.GetValue(top), address);
        });
        return command;
    }

    /// <summary>The results folder of a --wait, taken before anything reaches the cluster; none without --out.</summary>
    public static ResultsFolderLock? OutputFolder(string? directory, string holder) =>
        directory is null ? null : ResultsFolderLock.Acquire(directory, holder);
}
