using TinyNet.Sweeps.Abstractions;
using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cli;

/// <summary>Follows a sweep running in a cluster until it ends (or Ctrl-C detaches), then prints its ranking.</summary>
internal static class SweepWatch
{
    /// <param name="folder">Where to write the results (held for the whole wait), or null to only show them.</param>
    public static async Task<int> WaitAsync(CliIO io, ISweepCoordinatorGrain coordinator, SweepInfo info, ResultsFolderLock? folder, int top,
        ClusterAddress address)
    {
        var cancellationToken = io.Signals.WindDownGracefully();
        await using var log = CommandLog.Start(io, new LogOptions());
        using var trials = folder is null ? null : TrialLog.OpenForAppend(folder);
        // The trials already in the folder, and those handed on since: the follower hands on each trial once and none of
        // these (one set for both, not two of every trial of a large sweep).
        var written = folder is null ? new HashSet<string>() : TrialLog.Read(folder.Directory).Results.Select(r => r.Trial.Id).ToHashSet();
        void Append(IReadOnlyList<TrialResult> results) => trials?.Append(results);
        bool over = LiveProgress.IsAvailable(io)
            ? await new LiveProgress(info.Name, info.Metric, info.Trials)
                .ShowWhileAsync(LiveProgress.StandardError(), log.Route, progress => SweepFollower.FollowAsync(coordinator, Append, progress, cancellationToken, handedOn: written))
            : await SweepFollower.FollowAsync(coordinator, Append, new ProgressPrinter(info.Trials, log.Logger), cancellationToken, handedOn: written);
        if (!over)
        {
            // The sweep belongs to the cluster, not to this client: leaving does not stop it.
            io.Error.WriteLine($"Detached from {info.Id}; it goes on in the cluster. Reattach with: tinynet-sweeps status {info.Id} --wait --redis {address.RedisShown}");
            return io.Signals.ExitCode;
        }
        var ranking = await RankingReader.ExportAsync(coordinator, folder, top);
        io.Console.Write(Tables.Ranking(ranking, top, io.Console.Profile.Width));
        var final = await coordinator.GetProgress(int.MaxValue, TimeSpan.Zero);
        io.Output.WriteLine($"Sweep {info.Id} {final.State.ToString().ToLowerInvariant()}: {final.Completed} completed, {(final.Stopped > 0 ? $"{final.Stopped} stopped, " : "")}{final.Diverged} diverged, {final.Failed} failed of {final.Total}." +
                            (folder is null ? "" : $" Results in {Path.GetFullPath(folder.Directory)}."));
        return ExitCodes.Success;
    }
}
