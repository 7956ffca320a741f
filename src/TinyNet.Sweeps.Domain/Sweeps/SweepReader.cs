using TinyNet.Sweeps.Domain.Search;
using TinyNet.Sweeps.Domain.Trials;
using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>Reads the top-level keys of a sweep file into a <see cref="SweepDefinition"/>.</summary>
internal static class SweepReader
{
    // The tables below are also what SweepSchema describes, so the editor schema cannot drift from the reader.
    internal static readonly string[] TopLevelKeys =
    [
        "method", "metric", "run_cap", "parameters", "name", "description", "project", "entity",
        "program", "command", "early_terminate", "controller",
        "seeds", "configurations", "sampler_seed", "round_size", // ours
    ];

    internal static readonly string[] Methods = [.. Enum.GetValues<SweepMethod>().Select(m => m.ToString().ToLowerInvariant())];

    internal static readonly string[] MetricKeys = ["name", "goal", "target", "impute", "impute_while_running"];

    internal static readonly string[] MetricGoals = ["minimize", "maximize"];

    internal static readonly string[] ImputeValues = ["worst", "best", "latest"];

    internal static readonly string[] ImputeWhileRunningValues = ["false", "latest", "best", "worst"];

    internal static readonly string[] ControllerTypes = ["cloud", "local"];

    internal const int MaxSeeds = 10_000;

    internal const int MaxLabelLength = 200;

    // C0, DEL, C1, and the line and paragraph separators: what would break a label out of its one line.
    internal static readonly char[] LabelControlCharacters =
        [.. Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c), '\u2028', '\u2029'];

    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(LabelControlCharacters);

    private sealed record Entry(YamlScalarNode Key, YamlNode Value);

    public static SweepPlan? Read(YamlMappingNode root, string fileName, Diagnostics d)
    {
        var entries = new Dictionary<string, Entry>();
        var misspelt = new HashSet<string>(); // keys a typo probably meant: no extra "missing" error for them
        foreach (var (k, v) in root.Children)
        {
            string key = k is YamlScalarNode s ? s.Value ?? "" : "";
            if (TopLevelKeys.Contains(key))
                entries[key] = new Entry((YamlScalarNode)k, v);
            else
            {
                string? suggestion = DidYouMean.Suggest(key, TopLevelKeys);
                if (suggestion is not null)
                    misspelt.Add(suggestion);
                string hint = suggestion is null ? "." : $"; did you mean '{suggestion}'?";
                d.Error(k, $"unknown top-level key '{SweepText.Shown(key)}'{hint} Allowed keys: {string.Join(", ", TopLevelKeys)}");
            }
        }

        foreach (string ignored in new[] { "program", "command" })
        {
            if (entries.TryGetValue(ignored, out var e))
                d.Warning(e.Key, $"'{ignored}' is ignored: a sweep file never makes tinynet-sweeps run a command; every trial trains TinyNet in-process");
        }
        if (entries.TryGetValue("controller", out var controller) && ReadController(controller.Value, d))
            d.Warning(controller.Key, "'controller' is accepted for W&B compatibility but ignored: tinynet-sweeps plans every trial itself");
        var earlyTerminate = entries.TryGetValue("early_terminate", out var et) ? EarlyTerminateReader.Read(et.Value, d) : null;

        bool hasConfigurations = entries.ContainsKey("configurations");
        SweepMethod? method = entries.ContainsKey("method") || !misspelt.Contains("method")
            ? ReadMethod(entries.GetValueOrDefault("method"), hasConfigurations, root, d)
            : null;
        var metric = ReadMetric(entries.GetValueOrDefault("metric"), d);
        int? runCap = entries.TryGetValue("run_cap", out var rc)
            ? ReadInt(rc.Value, "run_cap", 1, SweepFile.MaxTrials, $"a whole number > 0 and at most {SweepFile.MaxTrials} (the most trials a sweep may plan)", d)
            : null;
        int samplerSeed = entries.TryGetValue("sampler_seed", out var ss)
            ? ReadInt(ss.Value, "sampler_seed", int.MinValue, int.MaxValue, $"an integer from {int.MinValue} to {int.MaxValue}", d) ?? 0
            : 0;
        string name = ReadLabel(entries.GetValueOrDefault("name"), d) ?? Path.GetFileNameWithoutExtension(fileName);
        string? description = ReadLabel(entries.GetValueOrDefault("description"), d);
        string? project = ReadLabel(entries.GetValueOrDefault("project"), d);
        string? entity = ReadLabel(entries.GetValueOrDefault("entity"), d);

        int roundSize = entries.TryGetValue("round_size", out var rs)
            ? ReadInt(rs.Value, "round_size", 1, MaxRoundSize, $"a whole number from 1 to {MaxRoundSize}", d) ?? SweepDefinition.DefaultRoundSize
            : SweepDefinition.DefaultRoundSize;
        if (rs is not null && method is not SweepMethod.Bayes and not null)
            d.Warning(rs.Key, "round_size only matters to method bayes: grid and random know every trial from the start");

        var parameters = ReadParameters(entries.GetValueOrDefault("parameters"), method, d, out var seedParameter);
        var seeds = ReadSeeds(entries.GetValueOrDefault("seeds"), seedParameter, d);
        var configurations = hasConfigurations ? ReadConfigurations(entries["configurations"].Value, d) : [SweepConfiguration.Empty];

        if (!entries.ContainsKey("parameters") && !hasConfigurations && !misspelt.Contains("parameters") && !misspelt.Contains("configurations"))
            d.Error(root, "a sweep needs 'parameters' (a search space) or 'configurations' (explicit configurations), or both");
        var methodNode = entries.TryGetValue("method", out var m) ? m.Value : root;
        if (method is SweepMethod.Random or SweepMethod.Bayes && runCap is null && !entries.ContainsKey("run_cap") && !misspelt.Contains("run_cap"))
            d.Error(methodNode, method == SweepMethod.Random
                ? "method random needs 'run_cap', the number of points to draw (random search never ends on its own)"
                : "method bayes needs 'run_cap', the number of points to suggest (bayes search never ends on its own)");
        if (method == SweepMethod.Bayes)
            CheckBayes(entries, methodNode, parameters, d);

        if (d.HasErrors || method is null || parameters is null || seeds is null || configurations is null)
            return null;

        var sweep = new SweepDefinition(name, method.Value, metric ?? MetricSpec.Default, runCap, seeds, fileName,
            parameters, configurations, samplerSeed, description, project, entity, earlyTerminate, roundSize);
        var plan = new SweepPlan(sweep);
        bool sized = CheckSize(plan, entries, root, d);
        if (earlyTerminate is not null && sized)
            WarnIfNoBandIsReached(et!.Key, earlyTerminate, plan, d);
        return sized ? plan : null;
    }

    internal const int MaxRoundSize = 1000;

    /// <summary>W&amp;B's two refusals of a bayes sweep: it optimises a metric, and needs something to search.</summary>
    private static void CheckBayes(Dictionary<string, Entry> entries, YamlNode methodNode, List<ParameterSpec>? parameters, Diagnostics d)
    {
        // W&B refuses bayes without a metric section; our default metric would hide that the file says nothing.
        if (!entries.ContainsKey("metric"))
            d.Error(methodNode, "method bayes needs a 'metric' to optimise, such as metric: {name: calibration_error, goal: minimize} " +
                                $"(metrics: {string.Join(", ", MetricSpec.KnownNames)})");
        if (parameters is not null && parameters.All(p => p.IsConstant))
            d.Error(entries.TryGetValue("parameters", out var p) ? p.Key : methodNode,
                "method bayes needs at least one searchable parameter (values, or a distribution with a range); every parameter here is a constant");
    }

    /// <summary>Hyperband that can never stop a trial is probably a mistake: its first band is past every trial's end.</summary>
    private static void WarnIfNoBandIsReached(YamlNode at, HyperbandSpec spec, SweepPlan plan, Diagnostics d)
    {
        int longest = plan.LongestTrialEpochs;
        int first = Hyperband.Bands(spec)[0];
        if (first > longest)
            d.Warning(at, $"early_terminate's first band is at epoch {first}, but the longest trial trains {longest} epochs: hyperband will stop nothing");
    }

    /// <summary>W&amp;B's schema: a mapping whose type is cloud or local (other keys are allowed there).</summary>
    private static bool ReadController(YamlNode node, Diagnostics d)
    {
        if (node is not YamlMappingNode map)
        {
            d.Error(node, $"controller must be a mapping such as {{type: local}}, not a {YamlScalars.NodeKind(node)}");
            return false;
        }
        var type = map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "type" });
        if (type.Key is null)
        {
            d.Error(node, "controller needs 'type: cloud' or 'type: local'");
            return false;
        }
        if (YamlScalars.Read(type.Value, d, "controller type") is not { } s)
            return false;
        if (s.Kind == ScalarKind.String && ControllerTypes.Contains(s.Text))
            return true;
        string hint = s.Kind == ScalarKind.String ? DidYouMean.Hint(s.Text, ControllerTypes) : "";
        d.Error(type.Value, $"controller type must be cloud or local, not {s.Describe()}{hint}");
        return false;
    }

    private static SweepMethod? ReadMethod(Entry? entry, bool hasConfigurations, YamlNode root, Diagnostics d)
    {
        if (entry is null)
        {
            if (hasConfigurations)
                return SweepMethod.Grid;
            d.Error(root, "missing 'method': write 'method: grid' or 'method: random'");
            return null;
        }
        if (YamlScalars.Read(entry.Value, d, "method") is not { } s)
            return null;
        switch (s.Text.ToLowerInvariant())
        {
            case "grid": return SweepMethod.Grid;
            case "random": return SweepMethod.Random;
            case "bayes": return SweepMethod.Bayes;
            case "custom":
                d.Error(s.Node, $"method {s.Shown} is not supported: it needs a program of your own to suggest trials; supported methods: grid, random, bayes");
                return null;
            default:
                string hint = DidYouMean.Hint(s.Text, Methods);
                d.Error(s.Node, $"unknown method '{s.Shown}'{(hint.Length > 0 ? hint : ";")} supported methods: grid, random, bayes");
                return null;
        }
    }

    private static MetricSpec? ReadMetric(Entry? entry, Diagnostics d)
    {
        if (entry is null)
            return null;
        if (entry.Value is not YamlMappingNode map)
        {
            d.Error(entry.Value, "metric must be a mapping such as {name: calibration_error, goal: minimize}");
            return null;
        }
        string[] keys = MetricKeys;
        string? name = null;
        MetricGoal goal = MetricGoal.Minimize;
        YamlNode? goalNode = null;
        bool ok = true;
        foreach (var (k, v) in map.Children)
        {
            string key = k is YamlScalarNode ks ? ks.Value ?? "" : "";
            switch (key)
            {
                case "name":
                    if (YamlScalars.Read(v, d, "metric name") is not { } n) { ok = false; break; }
                    if (MetricSpec.KnownNames.Contains(n.Text))
                        name = n.Text;
                    else
                    {
                        string hint = DidYouMean.Hint(n.Text, MetricSpec.KnownNames);
                        d.Error(v, $"unknown metric '{n.Shown}'{(hint.Length > 0 ? hint : ";")} metrics are {string.Join(", ", MetricSpec.KnownNames)}");
                        ok = false;
                    }
                    break;
                case "goal":
                    goalNode = v;
                    if (YamlScalars.Read(v, d, "metric goal") is not { } g) { ok = false; break; }
                    if (g.Text == "minimize") goal = MetricGoal.Minimize;
                    else if (g.Text == "maximize") goal = MetricGoal.Maximize;
                    else
                    {
                        string hint = DidYouMean.Hint(g.Text, MetricGoals);
                        d.Error(v, $"metric goal must be minimize or maximize, not '{g.Shown}'{hint}");
                        ok = false;
                    }
                    break;
                case "target" or "impute" or "impute_while_running":
                    if (ReadIgnoredMetricKey(key, v, d) is { } note)
                        d.Warning(k, $"metric {key} is accepted for W&B compatibility but ignored: tinynet-sweeps always runs every planned trial{note}");
                    else
                        ok = false;
                    break;
                default:
                    string keyHint = DidYouMean.Hint(key, keys);
                    d.Error(k, $"unknown metric key '{SweepText.Shown(key)}'{(keyHint.Length > 0 ? keyHint : ";")} metric takes {string.Join(", ", keys)}");
                    ok = false;
                    break;
            }
        }
        if (ok && name is null)
            d.Error(entry.Value, $"metric needs a 'name', one of {string.Join(", ", MetricSpec.KnownNames)}");
        if (!ok || name is null)
            return null;

        // W&B defaults the goal to minimize; warn when that is probably not what the user wants.
        bool higherIsBetter = MetricNames.Direction(name) == MetricDirection.HigherIsBetter;
        bool lowerIsBetter = MetricNames.Direction(name) == MetricDirection.LowerIsBetter;
        if (higherIsBetter && goal == MetricGoal.Minimize)
            d.Warning(goalNode ?? entry.Key, $"metric {name} is minimized{(goalNode is null ? " (W&B's default goal)" : "")}, but higher is better; did you mean goal: maximize?");
        if (lowerIsBetter && goal == MetricGoal.Maximize)
            d.Warning(goalNode ?? entry.Key, $"metric {name} is maximized, but lower is better; did you mean goal: minimize?");
        return new MetricSpec(name, goal);
    }

    /// <summary>
    /// Checks metric target, impute or impute_while_running as W&amp;B's schema does (SPEC §1); null after
    /// reporting a bad value, else a note to add to the "ignored" warning ("" when none).
    /// </summary>
    private static string? ReadIgnoredMetricKey(string key, YamlNode node, Diagnostics d)
    {
        if (YamlScalars.Read(node, d, $"metric {key}") is not { } s)
            return null;
        if (key == "target")
        {
            if (s.IsNumber && double.IsFinite(s.Number))
                return "";
            string fix = s.Kind == ScalarKind.String && YamlScalars.LooksNumeric(s.Text) ? "; remove the quotes" : "";
            d.Error(node, $"metric target must be a finite number, not {s.Describe()}{fix}");
            return null;
        }
        // W&B's schema wants the string 'false'; PyYAML reads a bare false as a boolean, which it refuses.
        if (key == "impute_while_running" && s is { Kind: ScalarKind.Bool, Number: 0 })
            return " (W&B's schema wants 'false' quoted: it refuses the boolean)";
        string[] allowed = key == "impute" ? ImputeValues : ImputeWhileRunningValues;
        if (s.Kind == ScalarKind.String && allowed.Contains(s.Text))
            return "";
        string hint = s.Kind == ScalarKind.String ? DidYouMean.Hint(s.Text, allowed) : "";
        d.Error(node, $"metric {key} must be one of {string.Join(", ", allowed)}, not {s.Describe()}{hint}");
        return null;
    }

    private static int? ReadInt(YamlNode node, string what, long min, long max, string rule, Diagnostics d)
    {
        if (YamlScalars.Read(node, d, what) is not { } s)
            return null;
        YamlScalars.WarnIfReadDifferentlyByWandb(s, d);
        if (s.Kind == ScalarKind.Int && s.Number >= min && s.Number <= max)
            return (int)s.Number;
        string fix = s.Kind == ScalarKind.String && YamlScalars.LooksNumeric(s.Text) ? "; remove the quotes" : "";
        d.Error(node, $"{what} must be {rule}, not {s.Describe()}{fix}");
        return null;
    }

    private static string? ReadLabel(Entry? entry, Diagnostics d) =>
        entry is null ? null : ReadLabel(entry.Value, entry.Key.Value ?? "", d);

    /// <summary>
    /// A label (sweep name, description, project, entity, configuration name): any one-line text up to
    /// <see cref="MaxLabelLength"/> characters. Paths such as "../x" are fine here; the results folder makes them safe.
    /// </summary>
    private static string? ReadLabel(YamlNode node, string what, Diagnostics d)
    {
        if (YamlScalars.Read(node, d, what) is not { } s)
            return null;
        int length = s.Text.EnumerateRunes().Count();
        if (length > MaxLabelLength)
        {
            d.Error(node, $"{what} is {length} characters long; a label has at most {MaxLabelLength} characters");
            return null;
        }
        // The file holds no raw control characters, but "\n" or "\x1b" in a quoted string make them.
        int at = s.Text.AsSpan().IndexOfAny(ControlCharacters);
        if (at >= 0)
        {
            d.Error(node, $"{what} contains the control character U+{(int)s.Text[at]:X4} at character {at + 1}; a label is one line of printable text");
            return null;
        }
        return s.Text;
    }

    private static List<ParameterSpec>? ReadParameters(Entry? entry, SweepMethod? method, Diagnostics d, out (Entry Entry, ParameterSpec Spec)? seedParameter)
    {
        seedParameter = null;
        if (entry is null)
            return [];
        if (entry.Value is not YamlMappingNode map)
        {
            d.Error(entry.Value, $"parameters must be a mapping from parameter name to its values, not a {YamlScalars.NodeKind(entry.Value)}");
            return null;
        }
        if (map.Children.Count == 0)
        {
            d.Error(entry.Value, "parameters is empty; list at least one parameter, or remove the key");
            return null;
        }
        var specs = new List<ParameterSpec>();
        bool ok = true, listed = false;
        foreach (var (k, v) in map.Children)
        {
            string name = k is YamlScalarNode s ? s.Value ?? "" : "";
            if (!ParameterCatalog.TryGet(name, out var known))
            {
                d.Error(k, ParameterCatalog.UnknownMessage(name, listNames: !listed));
                listed = true;
                // Check the body as the parameter the name probably means, so its own mistakes show in the same pass.
                if (ParameterCatalog.Meant(name) is { } meant)
                    ParameterReader.Read(meant, (YamlScalarNode)k, v, method, d);
                ok = false;
                continue;
            }
            if (ParameterReader.Read(known, (YamlScalarNode)k, v, method, d) is not { } spec)
                ok = false;
            else if (name == ParameterCatalog.Seed)
                seedParameter = (new Entry((YamlScalarNode)k, v), spec);
            else
                specs.Add(spec);
        }
        return ok ? [.. specs.OrderBy(p => p.Name, StringComparer.Ordinal)] : null;
    }

    private static List<int>? ReadSeeds(Entry? entry, (Entry Entry, ParameterSpec Spec)? seedParameter, Diagnostics d)
    {
        var bounds = ParameterCatalog.SeedBounds;
        if (seedParameter is { } sp)
        {
            if (entry is not null)
            {
                d.Error(sp.Entry.Key, "seeds are given twice: use either the top-level 'seeds' or a 'seed' parameter, not both");
                return null;
            }
            var values = GridSearch.Values(sp.Spec);
            if (values.Count > MaxSeeds)
            {
                d.Error(sp.Entry.Key, $"seed has {values.Count} values, more than {MaxSeeds} seeds");
                return null;
            }
            return [.. values.Select(v => (int)v.Number!.Value)];
        }
        if (entry is null)
            return [0];

        string rule = $"a count from 1 to {MaxSeeds} (seeds 0..N-1) or a list of distinct seeds, each {bounds.Describe()}";
        if (entry.Value is YamlScalarNode)
        {
            int? count = ReadInt(entry.Value, "seeds", 1, MaxSeeds, rule, d);
            return count is { } n ? [.. Enumerable.Range(0, n)] : null;
        }
        if (entry.Value is not YamlSequenceNode list || list.Children.Count == 0)
        {
            d.Error(entry.Value, $"seeds must be {rule}");
            return null;
        }
        if (list.Children.Count > MaxSeeds)
        {
            d.Error(entry.Value, $"seeds lists {list.Children.Count} seeds, more than {MaxSeeds}");
            return null;
        }
        var seeds = new List<int>();
        var seen = new HashSet<int>();
        bool ok = true;
        foreach (var item in list.Children)
        {
            if (ReadInt(item, "each seed", (long)bounds.Min, (long)bounds.Max, bounds.Describe(), d) is not { } seed)
                ok = false;
            else if (!seen.Add(seed))
            {
                d.Error(item, $"seed {seed} is listed twice; seeds must be distinct");
                ok = false;
            }
            else
                seeds.Add(seed);
        }
        return ok ? seeds : null;
    }

    private static List<SweepConfiguration>? ReadConfigurations(YamlNode node, Diagnostics d)
    {
        if (node is not YamlSequenceNode list || list.Children.Count == 0)
        {
            d.Error(node, "configurations must be a non-empty list of mappings such as '- {name: baseline, learning_rate: 0.1}'");
            return null;
        }
        var configurations = new List<SweepConfiguration>();
        var labels = new HashSet<string>();
        bool ok = true, listed = false; // the parameters are listed at the first unknown name only
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode map)
            {
                d.Error(item, $"each configuration must be a mapping of parameter: value, not a {YamlScalars.NodeKind(item)}");
                ok = false;
                continue;
            }
            string? label = null;
            var values = new Dictionary<string, ParamValue>();
            foreach (var (k, v) in map.Children)
            {
                string key = k is YamlScalarNode s ? s.Value ?? "" : "";
                if (key == "name")
                {
                    label = ReadLabel(v, "configuration name", d);
                    if (label is not null && !labels.Add(label))
                    {
                        d.Error(v, $"configuration name '{SweepText.Shown(label)}' is used twice; names label configurations and must be unique");
                        ok = false;
                    }
                    continue;
                }
                if (key == ParameterCatalog.Seed)
                {
                    d.Error(k, "seed cannot be set per configuration: every configuration is trained once per seed of the top-level 'seeds'");
                    ok = false;
                    continue;
                }
                if (!ParameterCatalog.TryGet(key, out var known))
                {
                    d.Error(k, ParameterCatalog.UnknownMessage(key, listNames: !listed));
                    listed = true;
                    ok = false;
                    continue;
                }
                if (v is YamlMappingNode or YamlSequenceNode)
                {
                    d.Error(v, $"configurations take plain values: write '{key}: x', not a {YamlScalars.NodeKind(v)} (no value/values wrapper; a list of values belongs in 'parameters')");
                    ok = false;
                    continue;
                }
                if (YamlScalars.Read(v, d, key) is { } scalar && ValueTyping.Convert(known, scalar, d) is { } value)
                    values[key] = value;
                else
                    ok = false;
            }
            configurations.Add(new SweepConfiguration(label, values));
        }
        return ok ? configurations : null;
    }

    private static bool CheckSize(SweepPlan plan, Dictionary<string, Entry> entries, YamlNode root, Diagnostics d)
    {
        var sweep = plan.Definition;
        double points = sweep.Method is SweepMethod.Random or SweepMethod.Bayes
            ? sweep.RunCap!.Value
            : sweep.Parameters.Aggregate(1.0, (n, p) => n * GridSearch.Values(p).Count);
        if (sweep.Method == SweepMethod.Grid && sweep.RunCap is { } cap && cap < points)
        {
            d.Warning(entries["run_cap"].Value, $"run_cap {cap} keeps the first {cap} of the {points} grid points");
            points = cap;
        }
        double trials = points * sweep.Configurations.Count * sweep.Seeds.Count;
        if (trials > SweepFile.MaxTrials)
        {
            d.Error(root, $"the sweep has {trials} trials (points x configurations x seeds), more than {SweepFile.MaxTrials}");
            return false;
        }
        if (!plan.IsListed) return true; // an adaptive search decides its trials as it goes
        // Counted, not kept: a client that only submits the sweep never needs its trials (a 100,000-trial sweep's are
        // about 20 MB); `run` plans them again for its coordinator.
        int planned = plan.Total;
        if (planned < trials)
            d.Warning(entries.TryGetValue("configurations", out var c) ? c.Key : root,
                $"{trials - planned} of {trials} trials repeat an earlier trial (same hyperparameters and seed) and are planned once");
        return true;
    }
}
