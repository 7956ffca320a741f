using YamlDotNet.RepresentationModel;

namespace TinyNet.Sweeps.Domain.Sweeps;

/// <summary>
/// Reads one entry of <c>parameters</c>: W&amp;B's forms and inference, defaults, range checks, and our
/// checks that every value the entry can produce trains.
/// </summary>
internal static class ParameterReader
{
    internal static readonly string[] SpecKeys = ["distribution", "value", "values", "probabilities", "min", "max", "mu", "sigma", "q", "a", "b"];

    public static ParameterSpec? Read(KnownParameter parameter, YamlScalarNode keyNode, YamlNode node, SweepMethod? method, Diagnostics diagnostics)
    {
        string name = parameter.Name;
        if (node is not YamlMappingNode map)
        {
            diagnostics.Error(node, $"parameter '{name}' must be a mapping such as {{value: ...}}, {{values: [...]}} or {{distribution: ..., min: ..., max: ...}}, not a {YamlScalars.NodeKind(node)}; for one fixed value write '{name}: {{value: ...}}'");
            return null;
        }

        int errorsBefore = diagnostics.ErrorCount;
        var keys = new Dictionary<string, (YamlScalarNode Key, YamlNode Value)>();
        foreach (var (k, v) in map.Children)
        {
            string key = k is YamlScalarNode s ? s.Value ?? "" : "";
            if (key == "parameters")
                diagnostics.Error(k, $"{name}: nested 'parameters' are not supported; TinyNet's parameters are flat");
            else if (!SpecKeys.Contains(key))
            {
                string hint = DidYouMean.Hint(key, SpecKeys);
                diagnostics.Error(k, $"{name}: unknown key '{SweepText.Shown(key)}'{(hint.Length > 0 ? hint + " A" : "; a")} parameter takes {string.Join(", ", SpecKeys)}");
            }
            else
                keys[key] = ((YamlScalarNode)k, v);
        }
        if (diagnostics.ErrorCount > errorsBefore)
            return null; // guessing the form from the remaining keys would only add confusing errors

        Distribution? distribution = Infer(name, keyNode, keys, diagnostics);
        if (distribution is not { } dist)
            return null;

        string[] allowed = AllowedKeys(dist);
        foreach (var (key, (k, _)) in keys)
        {
            if (key != "distribution" && !allowed.Contains(key))
                diagnostics.Error(k, $"{name}: '{key}' does not go with distribution {DistributionNames.Of(dist)}, which takes {string.Join(", ", allowed)}");
        }
        foreach (string required in RequiredKeys(dist).Where(r => !keys.ContainsKey(r)))
            diagnostics.Error(keyNode, $"{name}: distribution {DistributionNames.Of(dist)} needs '{required}'");

        if (DistributionNames.IsDeprecated(dist))
            diagnostics.Warning(keys.TryGetValue("distribution", out var dn) ? dn.Value : keyNode,
                $"{name} uses {DistributionNames.Of(dist)}, where min/max are base-e exponents (deprecated by W&B); use {DistributionNames.Of(dist).Replace("log_uniform", "log_uniform_values")} to give the limit values");

        var numbers = ReadNumbers(name, dist, keys, diagnostics);
        var values = ReadValues(parameter, keys, diagnostics);
        // The count as written, so a bad value does not turn a length mismatch into a wrong-sum error.
        int? valueCount = keys.TryGetValue("values", out var written) && written.Value is YamlSequenceNode list ? list.Children.Count : null;
        var probabilities = ReadProbabilities(name, keys, valueCount, diagnostics);

        if (diagnostics.ErrorCount > errorsBefore)
            return null;

        var spec = new ParameterSpec(name, dist, values ?? [], probabilities,
            numbers.GetValueOrDefault("min"), numbers.GetValueOrDefault("max"),
            numbers.GetValueOrDefault("mu", 0), numbers.GetValueOrDefault("sigma", 1),
            numbers.GetValueOrDefault("q", 1.0), numbers.GetValueOrDefault("a", 1), numbers.GetValueOrDefault("b", 1));

        return SupportChecks.Check(parameter, spec, keyNode, keys.GetValueOrDefault("distribution").Value ?? keyNode, method, diagnostics) ? spec : null;
    }

    private static Distribution? Infer(string name, YamlScalarNode keyNode, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, Diagnostics diagnostics)
    {
        if (keys.TryGetValue("distribution", out var d))
        {
            if (YamlScalars.Read(d.Value, diagnostics, $"{name}: distribution") is not { } s)
                return null;
            if (DistributionNames.TryParse(s.Text, out var parsed))
                return parsed;
            string hint = DidYouMean.Hint(s.Text, DistributionNames.All);
            diagnostics.Error(d.Value, $"{name}: unknown distribution '{s.Shown}'{(hint.Length > 0 ? hint : ";")} distributions are {string.Join(", ", DistributionNames.All)}");
            return null;
        }

        // W&B's inference: values -> categorical, value -> constant, int min & max -> int_uniform, else uniform.
        if (keys.ContainsKey("values") && keys.ContainsKey("value"))
        {
            diagnostics.Error(keys["value"].Key, $"{name}: give either 'value' (one fixed value) or 'values' (a list to choose from), not both");
            return null;
        }
        if (keys.ContainsKey("values"))
            return keys.ContainsKey("probabilities") ? Distribution.CategoricalWithProbabilities : Distribution.Categorical;
        if (keys.ContainsKey("value"))
            return Distribution.Constant;
        if (keys.TryGetValue("min", out var min) && keys.TryGetValue("max", out var max))
        {
            // Peek without reporting: ReadNumbers reports problems with min and max once.
            bool bothInts = YamlScalars.Peek(min.Value) is { Kind: ScalarKind.Int } && YamlScalars.Peek(max.Value) is { Kind: ScalarKind.Int };
            return bothInts ? Distribution.IntUniform : Distribution.Uniform;
        }
        diagnostics.Error(keyNode, $"{name}: cannot tell the distribution; give 'value', 'values', 'min' and 'max', or 'distribution'");
        return null;
    }

    public static string[] AllowedKeys(Distribution d) => d switch
    {
        Distribution.Constant => ["value"],
        Distribution.Categorical => ["values"],
        Distribution.CategoricalWithProbabilities => ["values", "probabilities"],
        Distribution.QUniform or Distribution.QLogUniformValues or Distribution.QLogUniform => ["min", "max", "q"],
        Distribution.Normal or Distribution.LogNormal => ["mu", "sigma"],
        Distribution.QNormal or Distribution.QLogNormal => ["mu", "sigma", "q"],
        Distribution.Beta => ["a", "b"],
        Distribution.QBeta => ["a", "b", "q"],
        _ => ["min", "max"],
    };

    internal static string[] RequiredKeys(Distribution d) => d switch
    {
        Distribution.Constant => ["value"],
        Distribution.Categorical => ["values"],
        Distribution.CategoricalWithProbabilities => ["values", "probabilities"],
        Distribution.Normal or Distribution.LogNormal or Distribution.QNormal or Distribution.QLogNormal
            or Distribution.Beta or Distribution.QBeta => [],
        _ => ["min", "max"],
    };

    private static Dictionary<string, double> ReadNumbers(string name, Distribution dist, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, Diagnostics diagnostics)
    {
        var numbers = new Dictionary<string, double>();
        var scalars = new Dictionary<string, Scalar>();
        foreach (string key in AllowedKeys(dist).Intersect(["min", "max", "mu", "sigma", "q", "a", "b"]))
        {
            if (!keys.TryGetValue(key, out var entry) || YamlScalars.Read(entry.Value, diagnostics, $"{name}: {key}") is not { } s)
                continue;
            if (!s.IsNumber || !double.IsFinite(s.Number))
            {
                string fix = s.Kind == ScalarKind.String && YamlScalars.LooksNumeric(s.Text) ? "; remove the quotes to make it a number" : "";
                diagnostics.Error(s.Node, $"{name}: {key} must be a finite number, not {s.Describe()}{fix}");
                continue;
            }
            if (dist == Distribution.IntUniform && key is "min" or "max" && s.Kind != ScalarKind.Int)
            {
                diagnostics.Error(s.Node, $"{name}: int_uniform {key} must be an integer, not {s.Shown}; use distribution uniform for real numbers");
                continue;
            }
            YamlScalars.WarnIfReadDifferentlyByWandb(s, diagnostics);
            numbers[key] = s.Number;
            scalars[key] = s;
        }

        if (numbers.TryGetValue("min", out double min) && numbers.TryGetValue("max", out double max) && !(min < max))
            diagnostics.Error(scalars["max"].Node, $"{name}: min {scalars["min"].Shown} is not less than max {scalars["max"].Shown}");
        if (numbers.TryGetValue("sigma", out double sigma) && sigma < 0)
            diagnostics.Error(scalars["sigma"].Node, $"{name}: sigma must be >= 0, not {scalars["sigma"].Shown}");
        if (numbers.TryGetValue("q", out double q) && q <= 0)
            diagnostics.Error(scalars["q"].Node, $"{name}: q must be > 0, not {scalars["q"].Shown}");
        foreach (string ab in new[] { "a", "b" })
        {
            if (numbers.TryGetValue(ab, out double shape) && shape <= 0)
                diagnostics.Error(scalars[ab].Node, $"{name}: beta {ab} must be > 0, not {scalars[ab].Shown}");
        }
        if (dist is Distribution.LogUniformValues or Distribution.QLogUniformValues or Distribution.InvLogUniformValues
            && numbers.TryGetValue("min", out double lmin) && lmin <= 0)
            diagnostics.Error(scalars["min"].Node, $"{name}: {DistributionNames.Of(dist)} needs min > 0 (it is a logarithmic scale), not {scalars["min"].Shown}");
        return numbers;
    }

    private static List<ParamValue>? ReadValues(KnownParameter parameter, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, Diagnostics diagnostics)
    {
        string name = parameter.Name;
        if (keys.TryGetValue("value", out var one))
        {
            return YamlScalars.Read(one.Value, diagnostics, $"{name}: value") is { } s && ValueTyping.Convert(parameter, s, diagnostics) is { } v
                ? [v]
                : null;
        }
        if (!keys.TryGetValue("values", out var many))
            return null;
        if (many.Value is not YamlSequenceNode list)
        {
            diagnostics.Error(many.Value, $"{name}: values must be a list such as [a, b], not a {YamlScalars.NodeKind(many.Value)}; for one value use 'value:' or write [x]");
            return null;
        }
        if (list.Children.Count == 0)
        {
            diagnostics.Error(list, $"{name}: values must list at least one value");
            return null;
        }
        var values = new List<ParamValue>();
        bool ok = true;
        foreach (var item in list.Children)
        {
            if (YamlScalars.Read(item, diagnostics, $"{name}: each of values") is { } s && ValueTyping.Convert(parameter, s, diagnostics) is { } v)
                values.Add(v);
            else
                ok = false;
        }
        return ok ? values : null;
    }

    private static List<double>? ReadProbabilities(string name, Dictionary<string, (YamlScalarNode Key, YamlNode Value)> keys, int? valueCount, Diagnostics diagnostics)
    {
        if (!keys.TryGetValue("probabilities", out var entry))
            return null;
        if (entry.Value is not YamlSequenceNode list)
        {
            diagnostics.Error(entry.Value, $"{name}: probabilities must be a list of numbers, one per value");
            return null;
        }
        var probabilities = new List<double>();
        foreach (var item in list.Children)
        {
            if (YamlScalars.Read(item, diagnostics, $"{name}: probability") is not { } s)
                return null;
            if (!s.IsNumber || !(s.Number >= 0) || double.IsInfinity(s.Number))
            {
                diagnostics.Error(item, $"{name}: each probability must be a number >= 0, not {s.Describe()}");
                return null;
            }
            YamlScalars.WarnIfReadDifferentlyByWandb(s, diagnostics);
            probabilities.Add(s.Number);
        }
        if (valueCount is { } n && probabilities.Count != n)
        {
            diagnostics.Error(list, $"{name}: probabilities has {probabilities.Count} entries but values has {n}; give one probability per value");
            return null;
        }
        double sum = probabilities.Sum();
        if (Math.Abs(sum - 1) > 1e-5 + 1e-8) // numpy.isclose(sum, 1), as W&B checks it
        {
            diagnostics.Error(list, $"{name}: probabilities must sum to 1, they sum to {ValueTyping.Format(sum)}");
            return null;
        }
        return probabilities;
    }
}
