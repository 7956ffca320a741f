using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Domain.Tests.Export;

public sealed class ResultsFolderLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinynet-lock-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_second_writer_is_refused_with_who_holds_the_folder_until_the_first_lets_go()
    {
        string folder = Path.Combine(_dir, "out");
        using (var first = ResultsFolderLock.Acquire(folder, "tinynet-sweeps run a.yaml"))
        {
            var refused = Assert.Throws<ResultsFolderRefusedException>(() => ResultsFolderLock.Acquire(folder, "tinynet-sweeps run b.yaml"));
            Assert.Contains($"{folder} is being written by process {Environment.ProcessId}", refused.Message);
            Assert.Contains("tinynet-sweeps run a.yaml", refused.Message);
            Assert.Contains("one writer at a time", refused.Message);
        }

        using var second = ResultsFolderLock.Acquire(folder, "tinynet-sweeps run b.yaml");
        Assert.Equal(folder, second.Directory);
    }

    [Fact]
    public void Acquiring_creates_the_folder_and_proves_it_takes_files()
    {
        string folder = Path.Combine(_dir, "a", "b");

        using var held = ResultsFolderLock.Acquire(folder, "test");

        Assert.True(File.Exists(Path.Combine(folder, ResultsFolderLock.LockFileName)));
        Assert.Contains("(test)", File.ReadAllText(Path.Combine(folder, ResultsFolderLock.OwnerFileName)));
    }

    [Fact]
    public void A_file_where_the_folder_should_be_is_refused()
    {
        Directory.CreateDirectory(_dir);
        string file = Path.Combine(_dir, "results.txt");
        File.WriteAllText(file, "not a folder");

        var refused = Assert.Throws<ResultsFolderRefusedException>(() => ResultsFolderLock.Acquire(file, "test"));

        Assert.Contains("is a file, not a folder", refused.Message);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_refused_with_the_reason()
    {
        var refused = Assert.Throws<ResultsFolderRefusedException>(() => ResultsFolderLock.Acquire("/proc/tinynet-results", "test"));

        Assert.Contains("cannot create the results folder /proc/tinynet-results", refused.Message);
    }
}
