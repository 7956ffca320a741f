using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using TinyNet.Sweeps.Abstractions;

namespace TinyNet.Sweeps.Grains;

/// <summary>
/// Starts groups of trials on its own silo. It holds nothing, so calls from several sweeps interleave; each trial's
/// <see cref="ITrialGrain.Start"/> returns at once, so a group takes one round trip from the coordinator.
/// </summary>
[Reentrant]
public sealed class SiloTrialLauncherGrain(ILocalSiloDetails silo, ILogger<SiloTrialLauncherGrain> logger) : Grain, ISiloTrialLauncherGrain
{
    public async Task<string[]> StartTrials(IReadOnlyList<TrialAssignment> assignments)
    {
        var here = silo.SiloAddress;
        if (this.GetPrimaryKeyString() != here.ToParsableString())
        {
            // Activated away from the silo it stands for (that silo has left): its trials belong elsewhere.
            DeactivateOnIdle();
            return [.. assignments.Select(a => a.Trial.Id)];
        }
        // New trial activations go on this silo, the one the coordinator counted them against: trial grains are placed
        // on their caller's silo. The coordinator's placement hint for this grain came with the call; it must not go
        // with every start, where it would cost a request context copied, sent and restored for each trial.
        RequestContext.Clear();
        var failed = await Task.WhenAll(assignments.Select(Start));
        return [.. failed.OfType<string>()];
    }

    public Task StopTrialsAtBands(string sweepId, IReadOnlyList<BandStop> stops) =>
        Task.WhenAll(stops.Select(async stop =>
        {
            try { await GrainFactory.GetTrialGrain(sweepId, stop.TrialId).StopAtBand(stop.Epoch); }
            catch (Exception e) { logger.LogWarning("Could not stop trial {TrialId} at band {Band} ({Error}); its result will be cut there", stop.TrialId, stop.Epoch, e.Message); }
        }));

    /// <summary>Null when started, else the trial's id.</summary>
    private async Task<string?> Start(TrialAssignment assignment)
    {
        try
        {
            await GrainFactory.GetTrialGrain(assignment.SweepId, assignment.Trial.Id).Start(assignment);
            return null;
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not start trial {TrialId} of sweep {SweepId} ({Error})", assignment.Trial.Id, assignment.SweepId, e.Message);
            return assignment.Trial.Id;
        }
    }
}
