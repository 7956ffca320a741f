using TinyNet.Sweeps.Domain.Sweeps;
using static TinyNet.Sweeps.Domain.Tests.Sweeps.SweepTestSupport;

namespace TinyNet.Sweeps.Domain.Tests.Sweeps;

public class YamlEdgeCaseTests
{
    [Fact]
    public void Duplicate_key_is_one_error_with_its_position()
    {
        var d = SingleError("method: grid\nparameters:\n  epochs: {value: 10}\n  epochs: {value: 20}\n");
        Assert.Equal(4, d.Line);
        Assert.Contains("Duplicate key", d.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact] // H3
    public void Flow_list_with_trailing_comma()
    {
        var sweep = Valid("method: grid\nparameters:\n  batch_size: {values: [64,]}\n");
        Assert.Equal([64.0], sweep.Parameters[0].Values.Select(v => v.Number!.Value));
    }

    [Theory]
    [InlineData("!!float abc", "learning_rate: value: 'abc' is not a valid float")]
    [InlineData("!!int 1.5", "learning_rate: value: '1.5' is not a valid int")]
    public void Bad_tagged_numbers_are_errors(string scalar, string message)
    {
        Assert.Equal(message, SingleError($"method: grid\nparameters:\n  learning_rate: {{value: {scalar}}}\n").Message);
    }

    [Fact]
    public void Yaml11_booleans_and_octal_are_plain_yaml12_values()
    {
        // PyYAML reads "yes" as a boolean and 010 as 8; we read a string and 10.
        Assert.Equal("activation: string yes is not allowed; activation must be one of sigmoid, relu, tanh",
            SingleError("method: grid\nparameters:\n  activation: {value: yes}\n").Message);
        Assert.Equal(10, Valid("method: grid\nparameters:\n  epochs: {value: 010}\n").Parameters[0].Values[0].Number);
    }

    [Theory] // H2: where W&B's PyYAML reads a leading-zero integer differently, say so at its position
    [InlineData("010", 10, "010 is 10 here (YAML 1.2); W&B reads a leading 0 as octal, 8: write 10, or 8 if you meant octal")]
    [InlineData("0010", 10, "0010 is 10 here (YAML 1.2); W&B reads a leading 0 as octal, 8: write 10, or 8 if you meant octal")]
    [InlineData("!!int 010", 10, "010 is 10 here (YAML 1.2); W&B reads a leading 0 as octal, 8: write 10, or 8 if you meant octal")]
    [InlineData("09", 9, "09 is 9 here (YAML 1.2); W&B reads it as the string '09' (octal has no 8 or 9): write 9")]
    [InlineData("0o10", 8, "0o10 is 8 here (YAML 1.2 octal); W&B (YAML 1.1) reads it as the string '0o10': write 8")]
    public void Leading_zero_integers_are_decimal_with_a_warning(string scalar, double expected, string warning)
    {
        var result = SweepFile.Parse($"method: grid\nparameters:\n  epochs: {{value: {scalar}}}\n", "t.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Sweep!.Parameters[0].Values[0].Number);
        var w = Assert.Single(result.Warnings);
        Assert.Equal((3, 19), (w.Line, w.Column));
        Assert.Equal(warning, w.Message);
    }

    [Theory] // YAML 1.2 core schema integers, which W&B's YAML 1.1 reads alike: no warning
    [InlineData("0x10", 16)]
    [InlineData("0x1F", 31)]
    [InlineData("0xff", 255)]
    [InlineData("10", 10)]
    public void Hexadecimal_integers_are_integers(string scalar, double expected)
    {
        var result = SweepFile.Parse($"method: grid\nparameters:\n  hidden_units: {{values: [{scalar}]}}\n", "t.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(expected, result.Sweep!.Parameters[0].Values[0].Number);
        Assert.Equal(Distribution.Categorical, result.Sweep.Parameters[0].Distribution);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Hex_and_octal_are_integers_everywhere_a_number_goes()
    {
        var sweep = Valid("method: random\nrun_cap: 0x3\nsampler_seed: 0o17\nseeds: [0x0, 0o1, 02]\nparameters:\n  epochs: {min: 0x1, max: 0o12}\n");
        Assert.Equal((3, 15), (sweep.RunCap!.Value, sweep.SamplerSeed));
        Assert.Equal([0, 1, 2], sweep.Seeds);
        Assert.Equal(Distribution.IntUniform, sweep.Parameters[0].Distribution); // both bounds are integers
        Assert.Equal((1.0, 10.0), (sweep.Parameters[0].Min, sweep.Parameters[0].Max));
    }

    [Theory] // PyYAML reads these alike
    [InlineData("00")]
    [InlineData("07")]
    [InlineData("-07")]
    public void Leading_zeros_that_mean_the_same_in_octal_are_not_warned_about(string scalar)
    {
        var result = SweepFile.Parse($"method: grid\nsampler_seed: {scalar}\nparameters:\n  epochs: {{value: 5}}\n", "t.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Theory] // not YAML 1.2 core integers: strings, as before
    [InlineData("0X10")]
    [InlineData("-0x10")]
    [InlineData("0o18")]
    [InlineData("0x")]
    [InlineData("1_000")]
    public void Near_integers_stay_strings(string scalar)
    {
        Assert.StartsWith($"epochs must be an integer, not string {scalar}",
            SingleError($"method: grid\nparameters:\n  epochs: {{value: {scalar}}}\n").Message);
    }

    [Fact]
    public void A_huge_hexadecimal_integer_is_an_out_of_range_integer()
    {
        Assert.StartsWith("hidden_units = 0xFFFFFFFFFFFFFFFFFFFFFFFF cannot train",
            SingleError("method: grid\nparameters:\n  hidden_units: {value: 0xFFFFFFFFFFFFFFFFFFFFFFFF}\n").Message);
    }

    [Fact]
    public void Anchors_and_aliases_are_resolved()
    {
        var sweep = Valid("method: grid\nparameters:\n  epochs: &e {values: [10, 20]}\n  hidden_units: *e\n");
        Assert.Equal(4, SweepPlanner.Plan(sweep).Count);
    }

    [Fact]
    public void Non_scalar_keys_are_reported_not_thrown()
    {
        var errors = Errors("? [a, b]\n: 1\nmethod: grid\nparameters:\n  ? {x: 1}\n  : {value: 1}\n");
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("unknown top-level key", errors[0].Message);
        Assert.StartsWith("unknown parameter", errors[1].Message);
    }

    [Fact]
    public void Several_documents_are_refused()
    {
        Assert.StartsWith("the file holds 2 YAML documents",
            SingleError("method: grid\nparameters:\n  epochs: {value: 1}\n---\nmethod: grid\n").Message);
    }

    [Fact]
    public void Tabs_for_indentation_are_a_syntax_error()
    {
        var d = SingleError("method: grid\nparameters:\n\tepochs: {value: 10}\n");
        Assert.StartsWith("YAML syntax error", d.Message);
        Assert.Equal("test.yaml:3:1: YAML syntax error: While scanning a mapping, found invalid tab as indentation.", d.ToString());
    }

    [Fact]
    public void Did_you_mean_distance_handles_transpositions()
    {
        var d = SingleError("mehtod: grid\nparameters:\n  epochs: {value: 10}\n");
        Assert.StartsWith("unknown top-level key 'mehtod'; did you mean 'method'?", d.Message);
        var far = SingleError("method: grid\nparameters:\n  xyz: {value: 10}\n");
        Assert.StartsWith("unknown parameter 'xyz'. Parameters are:", far.Message);
    }
}
