using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Export;

public sealed class EngineChangeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinynet-engine-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Records_of_another_engine_move_aside_and_the_current_ones_stay()
    {
        using var folder = ResultsFolderLock.Acquire(_dir, "EngineChangeTests");
        var current = TrialLogTests.FullCompleted();
        var old = TrialLogTests.DivergedResult();
        using (var log = TrialLog.OpenForAppend(folder))
        {
            log.Append(old);
            log.Append(current);
        }
        string path = Path.Combine(_dir, TrialLog.FileName);
        var lines = File.ReadAllLines(path);
        lines[0] = lines[0].Replace($"\"engine\":\"{TrainingEngine.Current}\"", "\"engine\":\"torch-1\"");
        Assert.NotEqual(File.ReadAllLines(path)[0], lines[0]);
        File.WriteAllLines(path, lines);

        var messages = EngineChange.SetAsideOtherEngines(folder);

        var message = Assert.Single(messages);
        Assert.Contains("1 trials trained by engine torch-1", message);
        Assert.Contains(EngineChange.SetAsideFileName("torch-1"), message);
        Assert.Equal([lines[1]], File.ReadAllLines(path));
        Assert.Equal([lines[0]], File.ReadAllLines(Path.Combine(_dir, "trials.torch-1.jsonl")));
        Assert.Empty(EngineChange.SetAsideOtherEngines(folder));
    }
}
