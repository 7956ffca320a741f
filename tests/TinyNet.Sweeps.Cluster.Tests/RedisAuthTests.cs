namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>A Redis that asks for a password: silos and clients that give it work, a client that does not is refused in one line.</summary>
public sealed class RedisAuthTests(PasswordRedisServer redis) : IClassFixture<PasswordRedisServer>
{
    [Fact]
    public async Task A_cluster_works_through_a_redis_with_a_password_and_never_prints_it()
    {
        await using var cluster = new ClusterUnderTest(redis);
        var silo = await cluster.StartSiloAsync();
        string smoke = Path.Combine(CliBinary.RepoRoot, "sweeps", "smoke.yaml");

        var (code, output) = await cluster.RunCliAsync($"submit {smoke} --wait");

        Assert.True(code == 0, output);
        Assert.Contains("ranked by calibration_error", output);
        Assert.DoesNotContain(PasswordRedisServer.Secret, output);
        Assert.DoesNotContain(PasswordRedisServer.Secret, ChildProcesses.Output(silo.Process));
    }

    [Fact]
    public async Task A_client_without_the_password_is_refused_in_one_line()
    {
        await using var cluster = new ClusterUnderTest(redis);

        var (code, output) = await cluster.RunCliAsync("list", redisAddress: redis.HostAndPort);

        Assert.Equal(1, code);
        string error = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:"));
        Assert.Contains("NOAUTH", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task A_redis_configuration_that_cannot_be_read_is_refused_before_anything_starts()
    {
        await using var cluster = new ClusterUnderTest(redis);

        var (code, output) = await cluster.RunCliAsync("list", redisAddress: "127.0.0.1:1,pasword=typo");

        Assert.Equal(2, code);
        Assert.Contains("is not a Redis configuration", output);
        Assert.Contains("HOST:PORT", output);
    }
}
