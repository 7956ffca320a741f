namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>Suggests the closest known name for a misspelt one (optimal string alignment distance).</summary>
internal static class DidYouMean
{
    public static string? Suggest(string input, IEnumerable<string> candidates, IReadOnlyDictionary<string, string>? aliases = null)
    {
        string normalized = input.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        if (aliases is not null && aliases.TryGetValue(normalized, out string? alias))
            return alias;

        // Longer than any name plus the edits allowed: never a typo of one, and the distance table would be huge.
        if (normalized.Length > 64)
            return null;

        string? best = null;
        int bestDistance = int.MaxValue;
        int mostAllowed = Math.Max(1, input.Length / 3);
        foreach (string candidate in candidates)
        {
            // The distance is at least the difference in length: such a candidate could never be suggested.
            if (Math.Abs(candidate.Length - normalized.Length) > mostAllowed)
                continue;
            int distance = Distance(normalized, candidate);
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }

        // Allow roughly one edit per three letters, at least one: "paramters" -> "parameters", not "x" -> "loss".
        int allowed = Math.Max(1, Math.Min(input.Length, best?.Length ?? 0) / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>" did you mean 'x'?" or "" so messages can append it unconditionally.</summary>
    public static string Hint(string input, IEnumerable<string> candidates, IReadOnlyDictionary<string, string>? aliases = null) =>
        Suggest(input, candidates, aliases) is { } s ? $"; did you mean '{s}'?" : "";

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
