using YamlDotNet.RepresentationModel;
using TinyNet.Sweeps.Domain.Search;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Reads <c>early_terminate</c> as W&amp;B validates and runs it: its schema (type hyperband, min_iter an
/// integer ≥ 1, eta &gt; 1, strict a boolean, min_iter or max_iter with s) and what its stopper needs on top
/// (s a whole number, at least one band). Unknown keys are warnings: W&amp;B's stopper drops them.
/// </summary>
/// <remarks>
/// W&amp;B's stopper also requires a <c>metric</c>. A tinynet sweep always has one (calibration_error when the
/// file names none), so early_terminate without <c>metric</c> is fine here.
/// </remarks>
internal static class EarlyTerminateReader
{
    internal static readonly string[] Keys = ["type", "min_iter", "max_iter", "s", "eta", "strict"];

    internal const string HyperbandType = "hyperband";

    private const string Example = "{type: hyperband, min_iter: 3}";

    public static HyperbandSpec? Read(YamlNode node, Diagnostics d)
    {
        if (node is not YamlMappingNode map)
        {
            string bare = node is YamlScalarNode { Value: "hyperband" }
                ? " (W&B's schema refuses the bare string too, and its stopper fails on it)"
                : "";
            d.Error(node, $"early_terminate must be a mapping such as {Example}, not a {YamlScalars.NodeKind(node)}{bare}");
            return null;
        }

        var entries = new Dictionary<string, (YamlNode Key, YamlNode Value)>();
        foreach (var (k, v) in map.Children)
        {
            string key = k is YamlScalarNode ks ? ks.Value ?? "" : "";
            if (Keys.Contains(key))
                entries[key] = (k, v);
            else
            {
                string hint = DidYouMean.Hint(key, Keys);
                d.Warning(k, $"early_terminate key '{SweepText.Shown(key)}' is ignored, as W&B's stopper drops unknown keys{(hint.Length > 0 ? hint : ";")} early_terminate takes {string.Join(", ", Keys)}");
            }
        }

        int errorsBefore = d.ErrorCount;
        ReadType(entries.GetValueOrDefault("type").Value, map, d);
        double eta = entries.TryGetValue("eta", out var e) ? ReadEta(e.Value, d) ?? 0 : HyperbandSpec.DefaultEta;
        bool strict = !entries.TryGetValue("strict", out var st) || (ReadStrict(st.Value, d) ?? false);
        int? minIter = entries.TryGetValue("min_iter", out var mi)
            ? ReadWhole(mi.Value, "min_iter", 1, "the first band, in epochs", d)
            : null;
        int? maxIter = entries.TryGetValue("max_iter", out var ma)
            ? ReadWhole(ma.Value, "max_iter", 1, "the epoch the bands count back from", d)
            : null;
        double? s = entries.TryGetValue("s", out var sn) ? ReadS(sn.Value, d) : null;

        if (ma.Key is not null && sn.Key is null)
            d.Error(ma.Key, "early_terminate max_iter needs s, how many bands to count back from max_iter (W&B fails without it)");
        else if (ma.Key is null && mi.Key is null)
            d.Error(map, "early_terminate needs min_iter (the first band, in epochs), or max_iter and s");
        if (ma.Key is not null && mi.Key is not null)
            d.Warning(mi.Key, "early_terminate min_iter is ignored: with max_iter, W&B computes the bands from max_iter, s and eta");
        if (sn.Key is not null && ma.Key is null)
            d.Warning(sn.Key, "early_terminate s is ignored: only the max_iter form uses it");

        if (d.ErrorCount > errorsBefore)
            return null;
        var spec = new HyperbandSpec(minIter, maxIter, s, eta, strict);
        if (!Hyperband.TryBands(spec, out _, out string? problem))
        {
            d.Error(map, $"early_terminate: {problem}");
            return null;
        }
        return spec;
    }

    private static void ReadType(YamlNode? node, YamlMappingNode map, Diagnostics d)
    {
        if (node is null)
        {
            d.Error(map, $"early_terminate needs 'type: hyperband', the only type, as in {Example}");
            return;
        }
        if (YamlScalars.Read(node, d, "early_terminate type") is not { } s || s.Kind == ScalarKind.String && s.Text == HyperbandType)
            return;
        string hint = s.Kind == ScalarKind.String ? DidYouMean.Hint(s.Text, [HyperbandType]) : "";
        d.Error(node, $"early_terminate type must be hyperband, the only type, not {s.Describe()}{hint}");
    }

    private static double? ReadEta(YamlNode node, Diagnostics d)
    {
        const string rule = "a finite number > 1 (keep the best 1/eta at each band)";
        if (ReadNumber(node, "eta", rule, d) is not { } eta)
            return null;
        if (eta.Number > 1 && double.IsFinite(eta.Number))
            return eta.Number;
        d.Error(node, $"early_terminate eta must be {rule}, not {eta.Shown}");
        return null;
    }

    /// <summary>W&amp;B's schema takes any number for s, but its code loops <c>range(s)</c>: only an integer works.</summary>
    private static double? ReadS(YamlNode node, Diagnostics d)
    {
        const string rule = "an integer, how many bands to count back from max_iter";
        if (ReadNumber(node, "s", rule, d) is not { } s)
            return null;
        if (s.Kind == ScalarKind.Int)
            return s.Number;
        d.Error(node, $"early_terminate s must be {rule}, not {s.Shown}: W&B counts the bands with Python's range(s), which fails on a float");
        return null;
    }

    /// <summary>An integer from <paramref name="min"/> to int.MaxValue; 3.0 counts, as W&amp;B's schema (JSON Schema draft 7) counts it.</summary>
    private static int? ReadWhole(YamlNode node, string key, int min, string meaning, Diagnostics d)
    {
        string rule = $"an integer from {min} to {int.MaxValue} ({meaning})";
        if (ReadNumber(node, key, rule, d) is not { } n)
            return null;
        if (n.Number == Math.Floor(n.Number) && n.Number >= min && n.Number <= int.MaxValue)
            return (int)n.Number;
        d.Error(node, $"early_terminate {key} must be {rule}, not {n.Shown}");
        return null;
    }

    /// <summary>A number (reported otherwise, with a "remove the quotes" hint for a quoted one).</summary>
    private static Scalar? ReadNumber(YamlNode node, string key, string rule, Diagnostics d)
    {
        if (YamlScalars.Read(node, d, $"early_terminate {key}") is not { } s)
            return null;
        if (s.IsNumber)
        {
            YamlScalars.WarnIfReadDifferentlyByWandb(s, d);
            return s;
        }
        string fix = s.Kind == ScalarKind.String && YamlScalars.LooksNumeric(s.Text) ? "; remove the quotes" : "";
        d.Error(node, $"early_terminate {key} must be {rule}, not {s.Describe()}{fix}");
        return null;
    }

    private static bool? ReadStrict(YamlNode node, Diagnostics d)
    {
        if (YamlScalars.Read(node, d, "early_terminate strict") is not { } s)
            return null;
        if (s.Kind == ScalarKind.Bool)
            return s.Number != 0;
        // YAML 1.1 (PyYAML, W&B) reads these as booleans; YAML 1.2 reads strings.
        string? meant = s.Quoted ? null : s.Text switch
        {
            "yes" or "Yes" or "YES" or "on" or "On" or "ON" => "true",
            "no" or "No" or "NO" or "off" or "Off" or "OFF" => "false",
            _ => null,
        };
        string hint = meant is null ? "" : $"; write {meant} (W&B's YAML 1.1 reads {s.Shown} as {meant}, YAML 1.2 as a string)";
        d.Error(node, $"early_terminate strict must be true or false, not {s.Describe()}{hint}");
        return null;
    }
}
