using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using TinyNet.Sweeps.Hosting;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>The watchdog that ends a silo whose Redis lost the cluster, against a table that cannot be read.</summary>
public sealed class MembershipWatchdogTests
{
    [Fact]
    public async Task A_membership_table_that_cannot_be_read_is_waited_out_even_when_the_read_is_cancelled()
    {
        // Orleans' Redis table gives up on a Redis out of reach with a TaskCanceledException: the watchdog, and the
        // silo's host with it, used to end there. Two such reads, then the table lists the silo again.
        var silo = new LocalSilo(SiloAddress.New(IPAddress.Loopback, 11111, 1));
        var table = new FlakyTable(silo.SiloAddress, failures: 2);
        using var watchdog = new MembershipWatchdog(table, silo, NullLogger<MembershipWatchdog>.Instance);
        await watchdog.StartAsync(CancellationToken.None);
        while (table.Reads < 3)
        {
            Assert.False(watchdog.ExecuteTask!.IsCompleted, $"the watchdog ended ({watchdog.ExecuteTask.Status}) after {table.Reads} reads");
            await Task.Delay(100);
        }
        Assert.False(watchdog.ExecuteTask!.IsCompleted, $"the watchdog ended ({watchdog.ExecuteTask.Status})");
        Assert.False(watchdog.Lost.IsCompleted);
        await watchdog.StopAsync(CancellationToken.None);
    }

    private sealed class LocalSilo(SiloAddress address) : ILocalSiloDetails
    {
        public string Name => "test";
        public string ClusterId => "test";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress => address;
        public SiloAddress GatewayAddress => address;
    }

    /// <summary>Throws TaskCanceledException for the first reads, then lists <paramref name="silo"/>.</summary>
    private sealed class FlakyTable(SiloAddress silo, int failures) : IMembershipTable
    {
        private int _reads;
        public int Reads => Volatile.Read(ref _reads);

        public Task<MembershipTableData> ReadAll()
        {
            if (Interlocked.Increment(ref _reads) <= failures) throw new TaskCanceledException("A task was canceled.");
            var entry = new MembershipEntry { SiloAddress = silo, Status = SiloStatus.Active };
            return Task.FromResult(new MembershipTableData(Tuple.Create(entry, "1"), new TableVersion(1, "1")));
        }

        public Task InitializeMembershipTable(bool tryInitTableVersion) => Task.CompletedTask;
        public Task DeleteMembershipTableEntries(string clusterId) => Task.CompletedTask;
        public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => Task.CompletedTask;
        public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAll();
        public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => Task.FromResult(false);
        public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => Task.FromResult(false);
        public Task UpdateIAmAlive(MembershipEntry entry) => Task.CompletedTask;
    }
}
