using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>The editor schema of sweep files: shipped up to date, satisfied by every sample, and agreeing with the reader.</summary>
public sealed class SweepSchemaTests
{
    private const string ModeLine = "# yaml-language-server: $schema=./" + SweepSchema.FileName;

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(SweepSchema.Generate()));

    [Fact]
    public void The_shipped_schema_is_what_the_generator_makes_now()
    {
        string path = Path.Combine(SweepsDirectory(), SweepSchema.FileName);
        Assert.True(File.Exists(path), $"sweeps/{SweepSchema.FileName} is missing; generate it: {SweepSchema.RegenerateCommand}");
        bool same = File.ReadAllText(path) == SweepSchema.Generate();
        Assert.True(same, $"sweeps/{SweepSchema.FileName} is out of date with the sweep file reader; regenerate it: {SweepSchema.RegenerateCommand}");
    }

    [Fact]
    public void The_schema_names_every_key_parameter_alias_distribution_and_metric_the_reader_knows()
    {
        var root = JsonNode.Parse(SweepSchema.Generate())!;
        var parameters = root["properties"]!["parameters"]!["properties"]!.AsObject();
        foreach (string name in ParameterCatalog.Names)
            Assert.True(parameters.ContainsKey(name), name);
        foreach (string alias in ParameterCatalog.Aliases.Keys)
            Assert.True(parameters.ContainsKey(alias), alias);
        var distributions = root["definitions"]!["parameter_learning_rate"]!["properties"]!["distribution"]!["enum"]!.AsArray().Select(n => (string)n!);
        Assert.Equal(DistributionNames.All.Order(), distributions.Order());
        var metrics = root["properties"]!["metric"]!["properties"]!["name"]!["enum"]!.AsArray().Select(n => (string)n!);
        Assert.Equal(MetricNames.All, metrics);
        string[] topLevel = ["method", "metric", "run_cap", "parameters", "name", "description", "project", "entity", "program", "command",
                             "early_terminate", "controller", "seeds", "configurations", "sampler_seed", "round_size"];
        Assert.Equal(topLevel, root["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("Step size of the optimiser.", root["definitions"]!["parameter_learning_rate"]!["description"]!.GetValue<string>());
    }

    private static List<string> SampleFileNames() =>
        [.. Directory.GetFiles(SweepsDirectory(), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> SampleFiles() => [.. SampleFileNames()];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Every_sample_sweep_names_the_schema_on_its_first_line_and_satisfies_it(string file)
    {
        string text = File.ReadAllText(Path.Combine(SweepsDirectory(), file));
        Assert.Equal(ModeLine, text.Split('\n')[0].TrimEnd('\r'));
        Assert.True(SweepFile.Parse(text, file).IsValid);
        var (valid, errors) = SchemaVerdict(text);
        Assert.True(valid, $"{file} does not satisfy the schema: {errors}");
    }

    [Fact]
    public void The_sample_files_are_all_checked()
    {
        Assert.Contains("notebook.yaml", SampleFileNames());
        Assert.True(SampleFileNames().Count >= 8);
    }

    /// <summary>
    /// Reader and schema agree on each file, except where the table says why they cannot: a rule between two values
    /// (JSON Schema compares a value with constants only), or a YAML spelling the reader forgives.
    /// </summary>
    [Theory]
    [MemberData(nameof(AgreementCases))]
    public void Schema_and_reader_agree_on_good_and_bad_files(string name, bool readerAccepts, bool schemaAccepts, string? whyTheyDiffer, string yaml)
    {
        var read = SweepFile.Parse(yaml, name + ".yaml");
        var (valid, errors) = SchemaVerdict(yaml);
        Assert.True(read.IsValid == readerAccepts, $"{name}: the reader {(read.IsValid ? "accepts" : "refuses")} it: {string.Join(" | ", read.Errors)}");
        Assert.True(valid == schemaAccepts, $"{name}: the schema {(valid ? "accepts" : "refuses")} it: {errors}");
        // A difference is only allowed with its reason written down; a row with a reason must still differ.
        Assert.Equal(readerAccepts != schemaAccepts, whyTheyDiffer is not null);
    }

    private const string Grid = "method: grid\n";
    private const string Random = "method: random\nrun_cap: 5\n";

    public static TheoryData<string, bool, bool, string?, string> AgreementCases()
    {
        var rows = new TheoryData<string, bool, bool, string?, string>();
        void Both(string name, bool accepted, string yaml) => rows.Add(name, accepted, accepted, null, yaml);
        void Differ(string name, bool readerAccepts, string why, string yaml) => rows.Add(name, readerAccepts, !readerAccepts, why, yaml);

        // Good files.
        Both("good grid", true, Grid + "seeds: 2\nparameters:\n  activation: {values: [relu, tanh]}\n  epochs: {value: 20}\n  weight_decay: {values: [0, 1e-3]}\n");
        Both("good grid int_uniform and q_uniform", true, Grid + "parameters:\n  hidden_units: {min: 1, max: 4}\n  noise_level: {distribution: q_uniform, min: 0.1, max: 0.5, q: 0.1}\n");
        Both("good random", true, Random + "sampler_seed: 7\nparameters:\n  learning_rate: {distribution: log_uniform_values, min: 1e-4, max: 0.3}\n" +
             "  epochs: {min: 10, max: 50}\n  noise_level: {distribution: uniform, min: 0.1, max: 0.5}\n  clean_ratio: {distribution: beta, a: 1, b: 3}\n" +
             "  optimizer: {values: [sgd, adam, adamw], probabilities: [0.2, 0.4, 0.4]}\n  batch_size: {distribution: q_uniform, min: 16, max: 128, q: 16}\n" +
             "  momentum: {distribution: normal, mu: 0.5, sigma: 0.05}\n");
        Both("good bayes with hyperband", true, "method: bayes\nrun_cap: 8\nround_size: 2\nmetric: {name: calibration_error, goal: minimize}\n" +
             "early_terminate: {type: hyperband, min_iter: 3, eta: 2, strict: false}\nparameters:\n  learning_rate: {min: 0.001, max: 0.1}\n  hidden_units: {min: 2, max: 8}\n");
        Both("good configurations only", true, "configurations:\n  - {name: a, activation: relu, learning_rate: 0.1}\n  - {name: b, optimizer: adam, epochs: 64.0}\n  - {}\n");
        Both("good seeds list and labels", true, Grid + "name: x\ndescription: a sweep\nproject: p\nentity: e\nseeds: [0, 5, 2147483647]\nparameters:\n  loss: {value: bce}\n");
        Both("good seed parameter", true, Grid + "parameters:\n  seed: {distribution: int_uniform, min: 0, max: 3}\n  epochs: {value: 5}\n");
        Both("good max_iter hyperband", true, Random + "early_terminate: {type: hyperband, max_iter: 81, s: 3}\nparameters:\n  epochs: {value: 100}\n  activation: {values: [relu, tanh]}\n");
        Both("ignored W&B keys are accepted", true, Grid + "program: train.py\ncommand: [python, train.py]\ncontroller: {type: local}\n" +
             "metric: {name: eval_accuracy, goal: maximize, target: 0.9, impute: worst, impute_while_running: false}\nparameters:\n  epochs: {value: 5}\n");
        Both("labels written as a number and a boolean", true, Grid + "name: 2024\ndescription: true\nparameters:\n  epochs: {value: 5}\n");
        Both("an unknown hyperband key is only warned about", true, Random + "early_terminate: {type: hyperband, min_iter: 3, bracket: 2}\nparameters:\n  epochs: {value: 10}\n");
        Both("impute_while_running as the string W&B asks for", true, Grid + "metric: {name: eval_loss, impute_while_running: \"false\"}\nparameters:\n  epochs: {value: 5}\n");
        Both("a round_size on a grid is only warned about", true, Grid + "round_size: 3\nparameters:\n  epochs: {value: 5}\n");
        Both("the deprecated exponent form inside the bounds", true, Random + "parameters:\n  learning_rate: {distribution: log_uniform, min: -9, max: -2}\n");
        Both("an integer parameter by q_log_uniform_values with a whole q", true, Random + "parameters:\n  hidden_units: {distribution: q_log_uniform_values, min: 2, max: 64, q: 2}\n");
        Both("an empty label", true, Grid + "name:\nparameters:\n  epochs: {value: 5}\n");
        Both("integer parameter written 64.0", true, Grid + "parameters:\n  batch_size: {value: 64.0}\n");

        // Bad files, refused by both.
        Both("unknown top-level key", false, Grid + "parameters:\n  epochs: {value: 5}\nlearning_rate: 0.1\n");
        Both("W&B's metrics key", false, Grid + "metrics: [{name: eval_loss}]\nparameters:\n  epochs: {value: 5}\n");
        Both("unknown parameter", false, Grid + "parameters:\n  dropout: {value: 0.1}\n");
        Both("another program's name for a parameter", false, Grid + "parameters:\n  lr: {value: 0.1}\n");
        Both("unknown distribution", false, Random + "parameters:\n  learning_rate: {distribution: gaussian, min: 0.01, max: 0.1}\n");
        Both("a choice drawn from a range", false, Random + "parameters:\n  activation: {distribution: uniform, min: 0, max: 1}\n");
        Both("an integer parameter drawn from fractions", false, Random + "parameters:\n  epochs: {distribution: uniform, min: 10, max: 20}\n");
        Both("an integer parameter with a fractional q", false, Random + "parameters:\n  epochs: {distribution: q_uniform, min: 10, max: 20, q: 2.5}\n");
        Both("unknown choice", false, Grid + "parameters:\n  activation: {values: [relu, gelu]}\n");
        Both("a word for a number", false, Grid + "parameters:\n  learning_rate: {value: fast}\n");
        Both("a quoted number", false, Grid + "parameters:\n  learning_rate: {value: \"0.1\"}\n");
        Both("a boolean for a number", false, Grid + "parameters:\n  learning_rate: {value: true}\n");
        Both("no value", false, Grid + "parameters:\n  learning_rate: {value: }\n");
        Both("a fraction for an integer", false, Grid + "parameters:\n  epochs: {value: 6.5}\n");
        Both("value out of bounds", false, Grid + "parameters:\n  momentum: {value: 1}\n");
        Both("zero learning rate", false, Grid + "parameters:\n  learning_rate: {values: [0, 0.1]}\n");
        Both("integer out of bounds", false, Grid + "parameters:\n  hidden_units: {values: [0, 4]}\n");
        Both("uniform range reaching past a bound", false, Random + "parameters:\n  learning_rate: {distribution: uniform, min: 0, max: 0.1}\n");
        Both("log_uniform_values from zero", false, Random + "parameters:\n  weight_decay: {distribution: log_uniform_values, min: 0, max: 0.1}\n");
        Both("mixed forms", false, Grid + "parameters:\n  learning_rate: {value: 0.1, min: 0.01}\n");
        Both("a key the distribution does not take", false, Random + "parameters:\n  learning_rate: {distribution: uniform, min: 0.01, max: 0.1, q: 0.01}\n");
        Both("negative sigma", false, Random + "parameters:\n  noise_level: {distribution: normal, mu: 0.5, sigma: -0.1}\n");
        Both("a parameter without a form", false, Grid + "parameters:\n  learning_rate: {mu: 0.1}\n");
        Both("a bare value", false, Grid + "parameters:\n  learning_rate: 0.1\n");
        Both("nested parameters", false, Grid + "parameters:\n  learning_rate: {parameters: {x: {value: 1}}}\n");
        Both("empty parameters", false, Grid + "parameters: {}\n");
        Both("bad metric goal", false, Grid + "metric: {name: eval_loss, goal: minimise}\nparameters:\n  epochs: {value: 5}\n");
        Both("unknown metric", false, Grid + "metric: {name: accuracy}\nparameters:\n  epochs: {value: 5}\n");
        Both("metric without a name", false, Grid + "metric: {goal: minimize}\nparameters:\n  epochs: {value: 5}\n");
        Both("bad impute", false, Grid + "metric: {name: eval_loss, impute: mean}\nparameters:\n  epochs: {value: 5}\n");
        Both("missing method", false, "parameters:\n  epochs: {value: 5}\n");
        Both("custom method", false, "method: custom\nparameters:\n  epochs: {value: 5}\n");
        Both("random without run_cap", false, "method: random\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n");
        Both("bayes without metric", false, "method: bayes\nrun_cap: 4\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n");
        Both("run_cap zero", false, Grid + "run_cap: 0\nparameters:\n  epochs: {value: 5}\n");
        Both("grid over a uniform range", false, Grid + "parameters:\n  learning_rate: {distribution: uniform, min: 0.01, max: 0.1}\n");
        Both("grid over an inferred uniform range", false, Grid + "parameters:\n  noise_level: {min: 0.1, max: 0.5}\n");
        Both("grid with probabilities", false, Grid + "parameters:\n  activation: {values: [relu, tanh], probabilities: [0.5, 0.5]}\n");
        Both("grid without a method over a range", false, "configurations:\n  - {name: a}\nparameters:\n  learning_rate: {distribution: log_uniform_values, min: 0.01, max: 0.1}\n");
        Both("seeds twice", false, Grid + "seeds: 2\nparameters:\n  seed: {values: [1, 2]}\n");
        Both("seed drawn from a range", false, Random + "parameters:\n  seed: {distribution: uniform, min: 0, max: 10}\n");
        Both("seeds zero", false, Grid + "seeds: 0\nparameters:\n  epochs: {value: 5}\n");
        Both("a seed listed twice", false, Grid + "seeds: [1, 1]\nparameters:\n  epochs: {value: 5}\n");
        Both("a negative seed", false, Grid + "seeds: [-1]\nparameters:\n  epochs: {value: 5}\n");
        Both("a seed per configuration", false, "configurations:\n  - {name: a, seed: 3}\n");
        Both("a list in a configuration", false, "configurations:\n  - {name: a, learning_rate: [0.1, 0.2]}\n");
        Both("an unknown parameter in a configuration", false, "configurations:\n  - {name: a, dropout: 0.5}\n");
        Both("a value out of bounds in a configuration", false, "configurations:\n  - {name: a, noise_level: 1.5}\n");
        Both("configurations not a list", false, "configurations: {name: a}\n");
        Both("hyperband of another type", false, Random + "early_terminate: {type: median, min_iter: 3}\nparameters:\n  epochs: {value: 10}\n");
        Both("hyperband without its bands", false, Random + "early_terminate: {type: hyperband, eta: 3}\nparameters:\n  epochs: {value: 10}\n");
        Both("hyperband max_iter without s", false, Random + "early_terminate: {type: hyperband, max_iter: 27}\nparameters:\n  epochs: {value: 10}\n");
        Both("hyperband eta 1", false, Random + "early_terminate: {type: hyperband, min_iter: 3, eta: 1}\nparameters:\n  epochs: {value: 10}\n");
        Both("hyperband strict as a word", false, Random + "early_terminate: {type: hyperband, min_iter: 3, strict: yes}\nparameters:\n  epochs: {value: 10}\n");
        Both("controller of another type", false, Grid + "controller: {type: remote}\nparameters:\n  epochs: {value: 5}\n");
        Both("a label of 201 characters", false, Grid + $"name: {new string('x', 201)}\nparameters:\n  epochs: {{value: 5}}\n");
        Both("a label with a control character", false, Grid + "name: \"a\\x1bb\"\nparameters:\n  epochs: {value: 5}\n");
        Both("round_size zero", false, "method: bayes\nrun_cap: 4\nround_size: 0\nmetric: {name: eval_loss}\nparameters:\n  learning_rate: {min: 0.01, max: 0.1}\n");

        // Known differences: what a schema cannot say. Each says why; the reader's message says what to do.
        const string TwoValues = "compares two values of the file; JSON Schema compares a value with constants only";
        Differ("min above max", false, TwoValues, Random + "parameters:\n  learning_rate: {min: 0.1, max: 0.01}\n");
        Differ("probabilities not summing to 1", false, TwoValues, Random + "parameters:\n  activation: {values: [relu, tanh], probabilities: [0.5, 0.6]}\n");
        Differ("a probability per value", false, TwoValues, Random + "parameters:\n  activation: {values: [relu, tanh], probabilities: [1]}\n");
        Differ("duplicate configuration names", false, TwoValues, "configurations:\n  - {name: a}\n  - {name: a}\n");
        Differ("too many trials", false, "a product of counts over the whole file (at most 1,000,000 trials)",
            Grid + "seeds: 10000\nparameters:\n  hidden_units: {min: 1, max: 1024}\n");
        Differ("bayes over constants only", false, "needs every parameter at once: at least one must be searchable",
            "method: bayes\nrun_cap: 4\nmetric: {name: eval_loss}\nparameters:\n  learning_rate: {value: 0.1}\n");
        Differ("hyperband without a band", false, "bands are computed from max_iter, s and eta together",
            Random + "early_terminate: {type: hyperband, max_iter: 2, eta: 3, s: 2}\nparameters:\n  epochs: {value: 10}\n");
        Differ("a normal reaching past a bound", false, "the chance of drawing outside the bounds is computed from mu and sigma together",
            Random + "parameters:\n  learning_rate: {distribution: normal, mu: 0.1, sigma: 1}\n");
        Differ("q_uniform rounding onto a bound", false, "where rounded draws land depends on min, max and q together",
            Random + "parameters:\n  momentum: {distribution: q_uniform, min: 0, max: 1, q: 0.5}\n");
        Differ("log_uniform exponents past a bound", false, "the deprecated exponent forms reach exp(min)..exp(max), computed from both",
            Random + "parameters:\n  learning_rate: {distribution: log_uniform, min: -5, max: 3}\n");
        const string FloatSpelling = "JSON Schema's integer is any whole number, 2.0 included; the reader keeps YAML's int/float spelling, as W&B's inference does";
        Differ("a count written 2.0", false, FloatSpelling, Grid + "seeds: 2.0\nparameters:\n  epochs: {value: 5}\n");
        Differ("int_uniform ends written 2.0", false, FloatSpelling, Random + "parameters:\n  hidden_units: {distribution: int_uniform, min: 2.0, max: 8}\n");
        Differ("an integer parameter with ends written 10.0 (inferred uniform)", false, FloatSpelling, Random + "parameters:\n  epochs: {min: 10.0, max: 20.0}\n");
        const string Spelling = "the reader forgives case in words; the schema asks for the spelling editors complete";
        Differ("a choice in capitals", true, Spelling, Grid + "parameters:\n  activation: {values: [ReLU, tanh]}\n");
        Differ("a method in capitals", true, Spelling, "method: Grid\nparameters:\n  epochs: {value: 5}\n");
        return rows;
    }

    private static (bool Valid, string Errors) SchemaVerdict(string yaml)
    {
        var json = JsonSerializer.SerializeToElement(YamlToJson.Convert(yaml));
        var result = Schema.Value.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var errors = (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
        return (result.IsValid, string.Join(" | ", errors.Take(8)));
    }
}

/// <summary>
/// YAML as an editor's language server sees it: YAML 1.2's core schema (1e-3 is a number, yes is a word), quoted
/// scalars strings. Written apart from the reader, so the agreement test does not borrow the reader's own typing.
/// </summary>
internal static partial class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Node(stream.Documents[0].RootNode);
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Node(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Node)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
            return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
            return JsonValue.Create(text[0] is 't' or 'T');
        if (IntPattern().IsMatch(text))
        {
            var n = BigInteger.Parse(text, CultureInfo.InvariantCulture);
            return n >= long.MinValue && n <= long.MaxValue ? JsonValue.Create((long)n) : JsonValue.Create((double)n);
        }
        // Infinity and NaN have no JSON form; as text they are refused wherever a number is due, as the reader refuses them.
        if (FloatPattern().IsMatch(text))
            return JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
