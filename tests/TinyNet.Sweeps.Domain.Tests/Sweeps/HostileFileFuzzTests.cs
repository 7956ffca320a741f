using System.Diagnostics;
using System.Text;
using CsCheck;
using TinyNet.Sweeps.Domain.Sweeps;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

/// <summary>
/// Generated hostile files: random bytes, deep nesting, alias chains, and sweep files built from the
/// grammar with known and unknown keys and nasty scalars, then mutated with tabs, NULs, stray syntax
/// and invalid UTF-8. Whatever comes in, the reader returns a result, never throws, and positions
/// every error inside the file.
/// </summary>
public class HostileFileFuzzTests(ITestOutputHelper output)
{
    // Fixed, so a run reproduces; each iteration has its own CsCheck seed, printed on failure. For a longer
    // hunt: SWEEP_FUZZ_FIRST_SEED=1 SWEEP_FUZZ_ITERATIONS=100000 dotnet test --filter HostileFileFuzzTests
    private static readonly ulong FirstSeed = ulong.TryParse(Environment.GetEnvironmentVariable("SWEEP_FUZZ_FIRST_SEED"), out ulong s) ? s : 20_260_301;
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("SWEEP_FUZZ_ITERATIONS"), out int n) ? n : 2500;
    /// <summary>Far above what any file of the generator allocates (see the test's output), far below a blow-up.</summary>
    private const long MaxAllocatedPerFile = 64L << 20;

    private const string InternalError = "the sweep file reader failed unexpectedly";

    /// <summary>One generated file: its bytes for Load, and its text for Parse when it was built as text.</summary>
    public sealed record HostileFile(string Kind, byte[] Bytes, string? Text)
    {
        public override string ToString()
        {
            string shown = Text ?? Encoding.UTF8.GetString(Bytes);
            shown = shown.Length > 2000 ? shown[..2000] + $"… ({shown.Length} chars)" : shown;
            return $"{Kind}, {Bytes.Length} bytes:\n{Escape(shown)}";
        }
    }

    [Fact]
    public void Hostile_files_never_throw_and_every_error_is_positioned_inside_the_file()
    {
        using var dir = new TempFile();
        var watch = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        var kinds = new Dictionary<string, (int Files, int Valid)>();
        for (int i = 0; i < Iterations; i++)
        {
            var pcg = new PCG(1, FirstSeed + (ulong)i);
            string seed = pcg.ToString();
            var file = Files.Generate(pcg, null, out _);
            try
            {
                var started = watch.Elapsed;
                long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                bool valid = AssertReadSafely(file, dir.Path);
                long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                var took = watch.Elapsed - started;
                slowest = took > slowest ? took : slowest;
                mostAllocated = Math.Max(mostAllocated, allocated);
                // Work, not time (a loaded machine is slow, not wrong): what reading a file allocates is bounded
                // whatever the file holds (aliases, nesting, sizes up to the limit).
                Assert.True(allocated < MaxAllocatedPerFile, $"reading allocated {allocated / 1048576.0:0.0} MiB");
                var (files, valids) = kinds.GetValueOrDefault(file.Kind);
                kinds[file.Kind] = (files + 1, valids + (valid ? 1 : 0));
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"iteration {i} failed; CsCheck seed \"{seed}\" (Files.Sample(f => AssertReadSafely(f, path), seed: \"{seed}\", iter: 1) " +
                    $"reproduces it and shrinks)\n{file}\n{e.Message}", e);
            }
        }
        output.WriteLine($"{Iterations} files from seed {FirstSeed} in {watch.Elapsed.TotalSeconds:0.0} s, slowest {slowest.TotalMilliseconds:0} ms, " +
                         $"most allocated {mostAllocated / 1048576.0:0.0} MiB");
        foreach (var (kind, (files, valid)) in kinds.OrderBy(k => k.Key))
            output.WriteLine($"  {kind}: {files} files, {valid} valid");
    }

    /// <summary>Reads the file through Load (and Parse, when it is text) and checks every promise; true when valid.</summary>
    public static bool AssertReadSafely(HostileFile file, string path)
    {
        File.WriteAllBytes(path, file.Bytes);
        var loaded = SweepFile.Load(path);
        AssertWellFormed(loaded, LenientText(file.Bytes));
        if (file.Text is { } text)
            AssertWellFormed(SweepFile.Parse(text, "fuzz.yaml"), text.StartsWith('\uFEFF') ? text[1..] : text);
        return loaded.IsValid;
    }

    private static void AssertWellFormed(SweepLoadResult result, string text)
    {
        int lines = 1 + LineBreaks(text);
        Assert.True(result.IsValid ? result.Sweep is not null : result.Sweep is null && result.Errors.Count >= 1,
            "a file is valid with a sweep, or has at least one error");
        Assert.InRange(result.Errors.Count, 0, SweepFile.MaxReportedErrors);
        Assert.True(result.OmittedErrors >= 0 && result.OmittedWarnings >= 0);
        foreach (var d in result.Errors.Concat(result.Warnings))
        {
            Assert.False(d.Message.StartsWith(InternalError, StringComparison.Ordinal), d.Message);
            Assert.True(d.Line >= 1 && d.Column >= 1, $"position {d.Line}:{d.Column} of: {d.Message}");
            Assert.True(d.Line <= lines + 1, $"line {d.Line} of a file with {lines} lines: {d.Message}");
            Assert.DoesNotContain('\n', d.Message);
        }
    }

    /// <summary>Line breaks as YamlDotNet counts them: LF, CR LF, CR, NEL, LS, PS.</summary>
    private static int LineBreaks(string text)
    {
        int breaks = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                continue;
            if (text[i] is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029')
                breaks++;
        }
        return breaks;
    }

    private static string LenientText(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0));

    private static string Escape(string text)
    {
        var s = new StringBuilder();
        foreach (char c in text)
            s.Append(c is '\n' ? "\n" : c is '\t' ? "\\t" : char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString());
        return s.ToString();
    }

    // ---- generators ----

    private static readonly string[] TopLevelKeys =
    [
        "method", "metric", "run_cap", "parameters", "name", "description", "project", "entity", "program", "command",
        "early_terminate", "controller", "seeds", "configurations", "sampler_seed",
    ];

    private static readonly string[] ParameterNames =
    [
        "activation", "optimizer", "loss", "learning_rate", "momentum", "weight_decay", "noise_level", "clean_ratio",
        "epochs", "batch_size", "hidden_units", "seed",
    ];

    private static readonly string[] SpecKeys = ["distribution", "value", "values", "probabilities", "min", "max", "mu", "sigma", "q", "a", "b", "parameters"];

    private static readonly Gen<string> Identifier = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_"], 1, 14];

    private static readonly Gen<string> Key = Gen.Frequency(
        (4, Gen.OneOf(TopLevelKeys)),
        (4, Gen.OneOf(ParameterNames)),
        (3, Gen.OneOf(SpecKeys)),
        (2, Identifier),
        (1, Gen.OneOf("lr", "paramters", "mehtod", "\"quoted\"", "'single'", "? [a, b]", "&k anchored", "*k", "", "a b", "1", "null", "~", "<<")),
        (1, Gen.OneOf("type", "min_iter", "max_iter", "s", "eta", "strict", "target", "impute", "impute_while_running")));

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (4, Gen.Int[-5, 5000].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.Double[-20, 20].Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.OneOf("99999999999999999999", "-99999999999999999999", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "2147483647", "2147483648", "-2147483649", "1000000", "1000001", "100001", "4097", "1025",
            "1" + new string('9', 400))),
        (3, Gen.OneOf("1e308", "-1e308", "1e-320", "1e400", ".inf", "-.inf", "+.inf", ".nan", "NaN", "nan", "0.0", "-0.0",
            "1e-5", ".5", "5.", "10", "10.0", "1e1", "0x10", "010", "1_000", "0o10", "0o", "08", "0x7FFFFFFF", "0xFFFFFFFFFFFFFFFFFFFF")),
        (2, Gen.OneOf("'0.1'", "\"1e-3\"", "'64'", "\"0\"", "'true'")),
        (4, Gen.OneOf("relu", "sigmoid", "tanh", "sgd", "adam", "adamw", "mse", "bce", "grid", "random", "bayes", "custom",
            "minimize", "maximize", "calibration_error", "eval_accuracy", "brier", "constant", "categorical", "int_uniform",
            "uniform", "q_uniform", "log_uniform_values", "q_log_uniform_values", "inv_log_uniform_values", "normal", "q_normal",
            "log_normal", "q_log_normal", "beta", "q_beta", "log_uniform", "yes", "true", "false", "~", "null", "",
            "hyperband", "cloud", "local", "worst", "latest")),
        (2, Gen.OneOf("!!float 1e-3", "!!int 64", "!!str 5", "!!binary abc", "!!float x", "!!int 1.5", "!foo 1", "! 1",
            "!!int 99999999999999999999", "!!float .inf")),
        (2, Gen.OneOf("&a 1", "&a [1, 2]", "&b {value: 3}", "*a", "*b", "*missing", "&a *a", "[*a, *a]", "\"a\\x00b\"",
            "\"\\x1b[31m\"", "\"two\\nlines\"", "\"\\u2028\"", "'unterminated", "\"unterminated", "[1, 2", "{a: 1",
            "|\n  block", ">\n  folded", "- x", "? x", ": x", "[]", "{}", "#c", "%", "@", "`")),
        (1, Gen.Int[0, 400].Select(n => new string('x', n))));

    private static readonly Gen<string> Flow = Gen.Recursive<string>((depth, node) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (2, node.Array[0, 5].Select(items => "[" + string.Join(", ", items) + "]")),
            (2, Gen.Select(Key, node, (k, v) => (k, v)).Array[0, 4].Select(pairs => "{" + string.Join(", ", pairs.Select(p => $"{p.k}: {p.v}")) + "}"))));

    private static readonly Gen<string> Separator = Gen.Frequency((20, Gen.Const(": ")), (1, Gen.OneOf(":", " : ", ":\t", ": \t")));

    private static readonly Gen<string> Parameter =
        from name in Gen.Frequency((5, Gen.OneOf(ParameterNames)), (1, Key))
        from block in Gen.Bool
        from spec in Gen.Select(Gen.OneOf(SpecKeys), Flow, (k, v) => (k, v)).Array[0, 5]
        select block
            ? $"  {name}:\n" + string.Concat(spec.Select(p => $"    {p.k}: {p.v}\n"))
            : $"  {name}: {{{string.Join(", ", spec.Select(p => $"{p.k}: {p.v}"))}}}\n";

    private static readonly Gen<string> Configuration =
        Gen.Select(Gen.Frequency((3, Gen.OneOf(ParameterNames)), (1, Gen.Const("name")), (1, Key)), Flow, (k, v) => $"{k}: {v}")
            .Array[0, 4].Select(pairs => "  - {" + string.Join(", ", pairs) + "}\n");

    private static readonly Gen<string> Entry = Gen.Frequency(
        (6, Gen.Select(Key, Separator, Flow, (k, s, v) => $"{k}{s}{v}\n")),
        (4, Parameter.Array[0, 6].Select(ps => "parameters:\n" + string.Concat(ps))),
        (2, Configuration.Array[0, 4].Select(cs => "configurations:\n" + string.Concat(cs))),
        (2, Gen.OneOf("method: grid\n", "method: random\nrun_cap: 3\n", "seeds: 2\n", "seeds: [0, 1, 1]\n", "metric: {name: brier}\n")));

    /// <summary>Grammar-shaped sweep files: mostly near-valid, so the deep checks run too.</summary>
    private static readonly Gen<string> SweepYaml =
        from entries in Entry.Array[1, 10]
        from crlf in Gen.Int[0, 9]
        let text = string.Concat(entries)
        select crlf == 0 ? text.Replace("\n", "\r\n") : text;

    private static readonly Gen<string> Plausible = Gen.Frequency(
        (4, Gen.Double[0, 1].Select(x => x.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
        (3, Gen.Int[1, 300].Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (2, Gen.OneOf("relu", "sigmoid", "tanh", "sgd", "adam", "adamw", "mse", "bce", "1e-3", "0.05", "-1", "0", "64", "64.0", "1e-5")),
        (1, Scalar));

    private static readonly Gen<string> Spec = Gen.Frequency(
        (3, Plausible.Select(v => $"{{value: {v}}}")),
        (3, Plausible.Array[1, 4].Select(vs => $"{{values: [{string.Join(", ", vs)}]}}")),
        (2, Gen.Select(Plausible, Plausible, (a, b) => $"{{min: {a}, max: {b}}}")),
        (3, Gen.Select(
            Gen.OneOf("int_uniform", "uniform", "q_uniform", "log_uniform_values", "q_log_uniform_values", "inv_log_uniform_values",
                "normal", "q_normal", "log_normal", "q_log_normal", "beta", "q_beta", "log_uniform", "q_log_uniform", "inv_log_uniform", "constant"),
            Gen.Select(Gen.OneOf("min", "max", "mu", "sigma", "q", "a", "b"), Plausible, (k, v) => $", {k}: {v}").Array[0, 4],
            (d, keys) => $"{{distribution: {d}{string.Concat(keys.DistinctBy(k => k.Split(':')[0]))}}}")));

    private static string F(double x) => x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A spec that suits the parameter most of the time, so whole files often pass and reach the planner.</summary>
    private static Gen<string> SpecFor(string name) => name switch
    {
        "activation" or "optimizer" or "loss" => Gen.Frequency(
            (8, Gen.OneOf(name == "activation" ? ["relu", "tanh", "sigmoid"] : name == "loss" ? ["mse", "bce"] : new[] { "sgd", "adam", "adamw" })
                .Array[1, 3].Select(vs => $"{{values: [{string.Join(", ", vs)}]}}")),
            (1, Spec)),
        "epochs" or "batch_size" or "hidden_units" or "seed" => Gen.Frequency(
            (3, Gen.Int[2, 64].Array[1, 3].Select(vs => $"{{values: [{string.Join(", ", vs)}]}}")),
            (2, Gen.Select(Gen.Int[2, 30], Gen.Int[1, 30], (lo, n) => $"{{min: {lo}, max: {lo + n}}}")),
            (1, Gen.Select(Gen.Int[2, 30], Gen.Int[1, 8], (lo, q) => $"{{distribution: q_uniform, min: {lo}, max: {lo + 10 * q}, q: {q}}}")),
            (1, Gen.Select(Gen.Double[1, 5], Gen.Double[0, 1.5], (mu, sigma) => $"{{distribution: q_log_normal, mu: {F(mu)}, sigma: {F(sigma)}}}")),
            (1, Spec)),
        _ => Gen.Frequency(
            (3, Gen.Double[0.01, 0.9].Select(x => $"{{value: {F(x)}}}")),
            (3, Gen.Double[0.01, 0.9].Array[1, 3].Select(vs => $"{{values: [{string.Join(", ", vs.Select(F))}]}}")),
            (2, Gen.Select(Gen.Double[0.01, 0.4], Gen.Double[0.01, 0.5], (lo, n) => $"{{min: {F(lo)}, max: {F(lo + n)}}}")),
            (1, Gen.Select(Gen.Double[-8, 1], Gen.Double[0, 2], (mu, sigma) => $"{{distribution: log_normal, mu: {F(mu)}, sigma: {F(sigma)}}}")),
            (1, Gen.Select(Gen.Double[0.2, 0.8], Gen.Double[0, 0.2], (mu, sigma) => $"{{distribution: normal, mu: {F(mu)}, sigma: {F(sigma)}}}")),
            (1, Gen.Select(Gen.Double[0.5, 5], Gen.Double[0.5, 5], (a, b) => $"{{distribution: beta, a: {F(a)}, b: {F(b)}}}")),
            (1, Spec)),
    };

    /// <summary>early_terminate values, mostly valid, with W&amp;B's traps: no band, eta near 1 with a huge s, strings, floats.</summary>
    private static readonly Gen<string> EarlyTerminate = Gen.Frequency(
        (4, Gen.Select(Gen.Int[1, 40], Gen.OneOf("3", "2", "1.5", "1.0001", "1", "0.5", ".inf", "'3'", "1e308"),
            Gen.OneOf("", ", strict: false", ", strict: yes", ", extra: 1", ", s: 2"),
            (min, eta, rest) => $"{{type: hyperband, min_iter: {min}, eta: {eta}{rest}}}")),
        (4, Gen.Select(Gen.OneOf("2", "27", "81", "2147483647", "0x7FFFFFFF", "010", "-5", "3.0"),
            Gen.OneOf("2", "3", "0", "-1", "2.5", "1e15", "99999999999999999999"), Gen.OneOf("3", "2", "1.000000001", "1.5"),
            (max, s, eta) => $"{{type: hyperband, max_iter: {max}, s: {s}, eta: {eta}}}")),
        (1, Gen.OneOf("hyperband", "{type: envelope}", "{}", "[1]", "{type: hyperband}", "{type: hyperband, max_iter: 9}", "{type: hyperband, min_iter: 3, max_iter: 9, s: 1}")));

    private static readonly Gen<string> CompatibilityKeys = Gen.Frequency(
        (4, Gen.Const("")),
        (3, EarlyTerminate.Select(v => $"early_terminate: {v}\n")),
        (1, Gen.OneOf("controller: {type: local}\n", "controller: local\n", "controller: {type: x}\n",
            "metric: {name: brier, target: 0.1, impute: best, impute_while_running: false}\n", "metric: {name: brier, target: '0.1', impute: x}\n")));

    /// <summary>Well-formed sweep files with plausible values and the odd nasty one: these reach the range checks and the planner.</summary>
    private static readonly Gen<string> NearValidYaml =
        from method in Gen.Frequency((3, Gen.Const("method: grid\n")), (3, Gen.Const("method: random\nrun_cap: 7\nsampler_seed: 3\n")), (1, Gen.Const("")))
        from names in Gen.OneOf(ParameterNames).ArrayUnique[1, 5]
        from specs in names.Aggregate(Gen.Const(Array.Empty<string>()), (all, name) => from before in all from spec in SpecFor(name) select (string[])[.. before, spec])
        from seeds in Gen.Frequency((6, Gen.OneOf("", "seeds: 3\n", "seeds: [0, 7, 2147483647]\n")), (1, Gen.OneOf("seeds: [9223372036854775807]\n", "seeds: 0\n")))
        from configurations in Gen.Frequency(
            (6, Gen.OneOf("", "configurations:\n  - {name: a, learning_rate: 0.1}\n  - {name: b, epochs: 20}\n")),
            (1, Gen.Const("configurations:\n  - {name: \"x\\ny\", hidden_units: 2000}\n")))
        from label in Gen.Frequency(
            (6, Gen.OneOf("", "name: ../../x\n", "description: a sweep\n")),
            (1, Gen.OneOf("description: \"\\x07\"\n", $"name: {new string('n', 201)}\n")))
        from compatibility in CompatibilityKeys
        select method + label + seeds + configurations + compatibility + "parameters:\n" + string.Concat(names.Select((n, i) => $"  {n}: {specs[i]}\n"));

    private static readonly Gen<string> Insertion = Gen.OneOf(
        "\t", "\0", "\u0001", "\u001b", "\u007f", "\u0085", "\u2028", "\uFEFF", "\uD800", "\r", "\n", "  ", ":", "- ", "[", "]", "{",
        "}", "\"", "'", "#", "&x ", "*x", "!", "|", ">", "?", ",", "%YAML 1.2\n", "---\n", "...\n", "\u00e9", "\U0001F600");

    private static readonly Gen<string> MutatedYaml =
        from yaml in SweepYaml
        from edits in Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 3], Insertion, (at, op, s) => (at, op, s)).Array[1, 6]
        select edits.Aggregate(yaml, (text, e) =>
        {
            int at = text.Length == 0 ? 0 : e.at % (text.Length + 1);
            return e.op switch
            {
                0 => text.Remove(at, Math.Min(3, text.Length - at)),
                1 => text.Insert(at, text[at..Math.Min(text.Length, at + 40)]),
                _ => text.Insert(at, e.s),
            };
        });

    /// <summary>Nesting far deeper than 32, in every style, closed or not.</summary>
    private static readonly Gen<string> DeepYaml =
        from depth in Gen.Frequency((3, Gen.Int[20, 40]), (2, Gen.Int[40, 5000]), (1, Gen.Int[20_000, 50_000]))
        from style in Gen.Int[0, 4]
        from closed in Gen.Bool
        from prefix in Gen.OneOf("a: ", "parameters:\n  epochs: ", "", "? ")
        select style switch
        {
            0 => prefix + new string('[', depth) + (closed ? new string(']', depth) : ""),
            1 => prefix + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + (closed ? new string('}', depth) : ""),
            2 => "a:\n" + string.Concat(Enumerable.Repeat("- ", depth)) + "x\n",
            3 => string.Concat(Enumerable.Range(0, Math.Min(depth, 300)).Select(i => new string(' ', i) + "k:\n")) + new string(' ', Math.Min(depth, 300)) + "x\n",
            _ => prefix + string.Concat(Enumerable.Range(0, depth).Select(i => i % 2 == 0 ? "[" : "{k: ")) + "1",
        };

    /// <summary>Anchors whose aliases repeat ever deeper or ever larger nodes.</summary>
    private static readonly Gen<string> AliasYaml =
        from count in Gen.Int[1, 60]
        from width in Gen.Int[1, 4]
        from depth in Gen.Int[0, 12]
        from asKey in Gen.Bool
        let chain = Enumerable.Range(1, count).Select(i =>
            $"a{i}: &a{i} {new string('[', depth)}{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", width))}{new string(']', depth)}\n")
        select "a0: &a0 [1]\n" + string.Concat(chain) + (asKey ? $"? *a{count}\n: 1\n" : $"last: *a{count}\n");

    private static readonly Gen<byte[]> InvalidUtf8 = Gen.OneOf<byte[]>(
        [0xFF], [0xFE, 0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]);

    public static readonly Gen<HostileFile> Files = Gen.Frequency(
        (2, Gen.Byte.Array[0, 3000].Select(b => new HostileFile("random bytes", b, null))),
        (2, DeepYaml.Select(t => Text("deep nesting", t))),
        (1, AliasYaml.Select(t => Text("aliases", t))),
        (6, SweepYaml.Select(t => Text("sweep grammar", t))),
        (6, NearValidYaml.Select(t => Text("near-valid sweep", t))),
        (5, MutatedYaml.Select(t => Text("mutated sweep", t))),
        (2, Gen.Select(SweepYaml, Gen.Int[0, 100_000], InvalidUtf8, (t, at, bad) =>
        {
            byte[] bytes = Encoding.UTF8.GetBytes(t);
            int i = at % (bytes.Length + 1);
            return new HostileFile("invalid UTF-8", [.. bytes[..i], .. bad, .. bytes[i..]], null);
        })),
        (1, SweepYaml.Select(t => new HostileFile("BOM", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(t)], "\uFEFF" + t))));

    private static HostileFile Text(string kind, string text) => new(kind, Encoding.UTF8.GetBytes(text), text);

    private sealed class TempFile : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("sweep-fuzz-").FullName;

        public string Path => System.IO.Path.Combine(_dir, "fuzz.yaml");

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }
}
