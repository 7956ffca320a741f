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
