using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Clustering.Redis;
using Orleans.Runtime;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// Watches for this silo's row in the cluster's membership table. A Redis restarted empty (or flushed) no longer lists
/// any silo; Orleans then keeps failing to update the row and the silo lingers, unreachable. When the table is read
/// fine but without this silo, several times running, <see cref="Lost"/> completes with why, and the silo's host leaves
/// with a non-zero exit code, so that a supervisor (Docker, Kubernetes, systemd) starts it again and it forms the
/// cluster anew. A Redis that cannot be read at all (down, paused) is not evidence: Orleans' own failure detection
/// covers that, and the silo waits for it to come back.
/// </summary>
public sealed class MembershipWatchdog(IMembershipTable table, ILocalSiloDetails silo, ILogger<MembershipWatchdog> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(3);

    /// <summary>Reads without this silo before it leaves: a row briefly missing (a table being rewritten) is not a loss.</summary>
    public const int MissesBeforeLeaving = 3;

    private readonly TaskCompletionSource<string> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes, with the reason, when the membership table no longer lists this silo.</summary>
    public Task<string> Lost => _lost.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int misses = 0;
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                string? missing;
                try
                {
                    var data = await table.ReadAllAsync(stoppingToken);
                    missing = data.Members.Any(m => m.Item1.SiloAddress.Equals(silo.SiloAddress))
                        ? null
                        : $"the cluster's membership table no longer lists this silo ({data.Members.Count} other silos listed)";
                }
                catch (RedisClusteringException e)
                {
                    // Redis answered, and the table itself is gone ("the membership table version is missing").
                    missing = $"the cluster's membership table no longer lists this silo ({e.Message.TrimEnd('.')})";
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Any failure to read, cancellations included: Orleans' Redis table gives up on a Redis out of reach
                    // with a TaskCanceledException, which must not end this service, and with it the silo's host.
                    logger.LogDebug("Could not read the membership table ({Error}); checking again in {Period}", e.Message, Period);
                    continue;
                }
                if (missing is null)
                {
                    misses = 0;
                    continue;
                }
                if (++misses < MissesBeforeLeaving) continue;
                _lost.TrySetResult($"{missing}: its Redis was restarted empty or flushed, so the cluster's state there (sweeps, trial results) is gone");
                return;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
