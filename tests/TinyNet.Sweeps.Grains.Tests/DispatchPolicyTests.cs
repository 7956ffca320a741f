namespace TinyNet.Sweeps.Grains.Tests;

/// <summary>The coordinator's scheduling rules, without a cluster: silos are plain names here.</summary>
public sealed class DispatchPolicyTests
{
    private static DispatchPolicy<string> Policy(params (string Silo, int Workers)[] silos)
    {
        var policy = new DispatchPolicy<string>();
        policy.UpdateSilos(silos.ToDictionary(s => s.Silo, s => s.Workers));
        return policy;
    }

    private static List<string> Fill(DispatchPolicy<string> policy)
    {
        var picked = new List<string>();
        for (int i = 0; policy.TryPickSilo(out var silo); i++)
        {
            policy.Dispatched($"t{i}", silo);
            picked.Add(silo);
        }
        return picked;
    }

    [Fact]
    public void Each_silo_holds_two_groups_of_lanes_per_worker_and_the_freest_gets_the_next()
    {
        const int perWorker = DispatchPolicy<string>.TrialsInHandPerWorker;
        Assert.Equal(2 * TrainingWorkerPool.LanesPerGroup, perWorker);
        var policy = Policy(("a", 1), ("b", 3));

        var picked = Fill(policy);

        Assert.Equal(perWorker * (1 + 3), picked.Count);
        Assert.Equal(perWorker, picked.Count(s => s == "a"));
        Assert.Equal(3 * perWorker, picked.Count(s => s == "b"));
        Assert.Equal("b", picked[0]); // most room first
    }

    [Fact]
    public void A_returned_trial_frees_room_on_its_silo_and_only_there()
    {
        var policy = Policy(("a", 1), ("b", 1));
        Fill(policy);
        string onA = policy.Running.First(r => r.Value == "a").Key;

        Assert.True(policy.Returned(onA, out var silo));
        Assert.Equal("a", silo);
        Assert.False(policy.Returned(onA, out _)); // reported twice: nothing more to free
        Assert.True(policy.TryPickSilo(out var next));
        Assert.Equal("a", next);
    }

    [Fact]
    public void Trials_on_a_silo_that_left_are_taken_back_and_it_gets_nothing_more()
    {
        var policy = Policy(("a", 1), ("b", 1));
        Fill(policy);
        var onB = policy.Running.Where(r => r.Value == "b").Select(r => r.Key).Order().ToList();

        policy.UpdateSilos(new Dictionary<string, int> { ["a"] = 1 });

        Assert.Equal(onB, policy.TakeBackFromLostSilos().Order());
        Assert.All(policy.Running.Values, s => Assert.Equal("a", s));
        Assert.False(policy.TryPickSilo(out _)); // a is full, b is gone
    }

    [Fact]
    public void An_excluded_silo_gets_nothing_until_it_is_listed_again()
    {
        var policy = Policy(("a", 1), ("b", 1));

        policy.Exclude("b");
        Assert.Equal(Enumerable.Repeat("a", DispatchPolicy<string>.TrialsInHandPerWorker), Fill(policy));

        policy.UpdateSilos(new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 });
        Assert.True(policy.TryPickSilo(out var silo));
        Assert.Equal("b", silo);
    }

    [Fact]
    public void No_silo_means_no_dispatch() => Assert.False(new DispatchPolicy<string>().TryPickSilo(out _));
}
