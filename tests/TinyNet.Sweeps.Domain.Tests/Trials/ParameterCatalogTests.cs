using TinyNet.Sweeps.Domain.Export;
using TinyNet.Sweeps.Domain.Sweeps;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Tests.Trials;

/// <summary>The one catalog of parameters: every export and key iterates it, and keys never change.</summary>
public sealed class ParameterCatalogTests
{
    [Theory]
    // Keys of results written before the catalog existed: changing them would orphan every results folder.
    [InlineData(2000, "631318e75e")]
    [InlineData(5000000, "83d4b9e839")]
    public void Config_keys_are_the_ones_results_on_disk_already_carry(int epochs, string key) =>
        Assert.Equal(key, TrialIdentity.ConfigKey(new TrialConfig { Epochs = epochs }));

    [Fact]
    public void Every_field_of_a_configuration_is_in_the_catalog_and_changes_the_key()
    {
        var fields = typeof(TrialConfig).GetProperties().Select(p => p.Name).Order().ToList();
        var catalog = ParameterCatalog.ConfigParameters.Select(p => p.Name.Replace("_", "")).Order().ToList();
        Assert.Equal(fields.Select(f => f.ToLowerInvariant()), catalog);

        var other = new TrialConfig
        {
            Activation = Activation.Tanh, Optimizer = OptimizerKind.AdamW, LearningRate = 0.2, Momentum = 0.5, WeightDecay = 0.1,
            NoiseLevel = 0.1, CleanRatio = 0.5, Epochs = 7, BatchSize = 8, HiddenUnits = 9, Loss = LossKind.Bce,
        };
        foreach (var parameter in ParameterCatalog.ConfigParameters)
        {
            var changed = parameter.Apply(new TrialConfig(), parameter.ValueOf(other));
            Assert.NotEqual(TrialIdentity.ConfigKey(new TrialConfig()), TrialIdentity.ConfigKey(changed));
            Assert.Equal(parameter.Text(other), parameter.Text(changed));
        }
    }

    [Fact]
    public void Exports_list_every_parameter_in_catalog_order()
    {
        Assert.Equal(ParameterCatalog.ConfigParameters.Select(p => p.Name), RankingExporter.ParameterNames);
        Assert.Equal(
            ["activation", "optimizer", "learning_rate", "momentum", "weight_decay", "noise_level", "clean_ratio", "epochs", "batch_size", "hidden_units", "loss"],
            RankingExporter.ParameterNames);
    }

    [Fact]
    public void A_label_names_every_parameter()
    {
        var config = new TrialConfig { Optimizer = OptimizerKind.Adam, LearningRate = 0.01, WeightDecay = 0.01, CleanRatio = 0.2, Epochs = 300 };

        Assert.Equal("relu-adam-mixed: relu adam lr=0.01 mom=0 wd=0.01 noise=0.3 clean=0.2 300ep bs64 h3 mse",
            ConfigurationLabels.For([config]).Describe(config, "relu-adam-mixed"));
    }

    [Fact]
    public void Numbers_in_labels_are_as_short_as_telling_the_configurations_apart_allows()
    {
        TrialConfig A(double lr) => new() { LearningRate = lr };
        var labels = ConfigurationLabels.For([A(0.008143666656109102), A(0.0123456), A(0.0081499)]);

        Assert.Contains("lr=0.00814 ", labels.Describe(A(0.008143666656109102)));
        Assert.Contains("lr=0.00815 ", labels.Describe(A(0.0081499)));
        Assert.Contains("lr=0.0123 ", labels.Describe(A(0.0123456)));
        Assert.Contains("lr=0.0081 ", ConfigurationLabels.For([A(0.008143666656109102)]).Describe(A(0.008143666656109102)));
        Assert.Contains("wd=1e-05 ", ConfigurationLabels.For([new TrialConfig { WeightDecay = 1e-5 }]).Describe(new TrialConfig { WeightDecay = 1e-5 }));
    }
}
