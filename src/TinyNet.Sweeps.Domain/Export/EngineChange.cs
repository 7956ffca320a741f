using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Export;

/// <summary>
/// A new training engine rounds differently, so results an older engine wrote must not be mixed with its own: before a
/// sweep runs into a folder, records of other engines move out of trials.jsonl into trials.&lt;engine&gt;.jsonl beside it.
/// Nothing is lost, the folder's trials.jsonl holds one engine's results, and the moved trials are trained again.
/// </summary>
public static class EngineChange
{
    /// <summary>The file that keeps <paramref name="engine"/>'s records once they are set aside.</summary>
    public static string SetAsideFileName(string engine) => $"trials.{SweepNames.Segment(engine)}.jsonl";

    /// <summary>Moves other engines' records aside; one line per engine saying how many moved and where.</summary>
    public static IReadOnlyList<string> SetAsideOtherEngines(ResultsFolderLock folder)
    {
        string path = Path.Combine(folder.Directory, TrialLog.FileName);
        if (!File.Exists(path)) return [];
        var byEngine = TrialLog.Read(folder.Directory).Entries
            .Where(e => e.Engine != TrainingEngine.Current)
            .GroupBy(e => e.Engine)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Line).ToHashSet());
        if (byEngine.Count == 0) return [];

        string[] lines = File.ReadAllLines(path);
        var messages = new List<string>();
        foreach (var (engine, lineNumbers) in byEngine)
        {
            string aside = Path.Combine(folder.Directory, SetAsideFileName(engine));
            File.AppendAllLines(aside, lines.Where((_, i) => lineNumbers.Contains(i + 1)));
            messages.Add($"{path} held {lineNumbers.Count} trials trained by engine {engine}, and this is {TrainingEngine.Current}, " +
                $"whose numbers differ in the last digits: they moved to {aside} and will be trained again");
        }
        var moved = byEngine.Values.SelectMany(l => l).ToHashSet();
        AtomicFile.Write(path, temporary => File.WriteAllLines(temporary, lines.Where((_, i) => !moved.Contains(i + 1))));
        return messages;
    }
}
