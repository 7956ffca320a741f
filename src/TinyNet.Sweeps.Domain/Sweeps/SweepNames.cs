using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// A sweep's name is a label its author writes, any text at all. Where it becomes part of a path or an id, it goes
/// through <see cref="Segment"/>: one safe path segment, so a name like "../../x" or "/tmp/x" can never steer where
/// results are written.
/// </summary>
public static class SweepNames
{
    /// <summary>The folder, under the current one, that holds each sweep's default results folder.</summary>
    public const string ResultsRoot = "results";

    private const int MaxSegmentLength = 64;

    /// <summary>Where a sweep's results go when no folder is given: always <c>results/&lt;segment&gt;</c>.</summary>
    public static string DefaultResultsDirectory(string sweepName) => Path.Combine(ResultsRoot, Segment(sweepName));

    /// <summary>A new id for a run of the sweep: its segment, the time and random bits (<c>notebook-20261207-021236-3fa2b1c4</c>).</summary>
    public static string NewSweepId(string sweepName, DateTimeOffset now) =>
        $"{Segment(sweepName)}-{now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>
    /// Letters, digits, '-', '_' and '.' of <paramref name="name"/>, other runs of characters as one '-', no leading or
    /// trailing '.' or '-', at most 64 characters. A name that had to change gets a short hash of the original, so two
    /// different names never share a folder ("a/b" and "a-b" differ); a name that is already safe stays as it is.
    /// </summary>
    public static string Segment(string name)
    {
        var safe = new StringBuilder(Math.Min(name.Length, MaxSegmentLength));
        foreach (char c in name)
        {
            if (safe.Length >= MaxSegmentLength) break;
            bool keep = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' || (char.IsLetterOrDigit(c) && !char.IsSurrogate(c));
            if (keep) safe.Append(c);
            else if (safe.Length > 0 && safe[^1] != '-') safe.Append('-');
        }
        string segment = safe.ToString().Trim('.', '-');
        if (segment.Length > 0 && segment == name) return segment;
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 3));
        return segment.Length == 0 ? $"sweep-{hash}" : $"{segment}-{hash}";
    }
}
