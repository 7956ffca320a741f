using Serilog;
using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>Follows a sweep running in a cluster until it ends (or Ctrl-C detaches), then prints its ranking.</summary>
internal static class SweepWatch
{
    public static async Task<int> WaitAsync(CliIO io, ISweepCoordinatorGrain coordinator, SweepInfo info, string? outDir, int top,
        ClusterAddress address, CancellationToken cancellationToken)
    {
        Log.Logger = Observability.CreateLogger(new LogOptions());
        try
        {
            using var log = outDir is null ? null : TrialLog.OpenForAppend(outDir);
            var written = outDir is null ? new HashSet<string>() : TrialLog.Read(outDir).Results.Select(r => r.Trial.Id).ToHashSet();
            bool over = LiveProgress.IsAvailable(io)
                ? await new LiveProgress(info.Name, info.Metric, info.Trials, info.Labels)
                    .ShowWhileAsync(progress => SweepFollower.FollowAsync(coordinator, log, info.Labels, written, progress, cancellationToken))
                : await SweepFollower.FollowAsync(coordinator, log, info.Labels, written, new ProgressPrinter(info.Trials), cancellationToken);
            if (!over)
            {
                // The sweep belongs to the cluster, not to this client: leaving does not stop it.
                io.Error.WriteLine($"Detached from {info.Id}; it goes on in the cluster. Reattach with: tinynet-sweeps status {info.Id} --wait --redis {address.Redis}");
                return ExitCodes.Cancelled;
            }
            var ranking = await coordinator.GetRanking();
            if (outDir is not null) RankingExporter.WriteAll(ranking, outDir);
            io.Console.Write(Tables.Ranking(ranking, top));
            var final = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
            io.Output.WriteLine($"Sweep {info.Id} {final.State.ToString().ToLowerInvariant()}: {final.Completed} completed, {final.Diverged} diverged, {final.Failed} failed of {final.Total}." +
                                (outDir is null ? "" : $" Results in {Path.GetFullPath(outDir)}."));
            return ExitCodes.Success;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }
}
