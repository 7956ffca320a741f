using System.Globalization;
using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Domain.Sweeps;

public enum ParamType { Choice, Int, Float }

/// <summary>The values a parameter can train with, e.g. [0, 1) for momentum or the integers 1..1024 for hidden units.</summary>
public sealed record ParamBounds(double Min, bool MinInclusive, double Max, bool MaxInclusive, bool Integer = false)
{
    public bool Contains(double v) =>
        !double.IsNaN(v) && (v > Min || (MinInclusive && v == Min)) && (v < Max || (MaxInclusive && v == Max));

    /// <summary>Whether a support [lo, hi] (ends possibly only approached) lies inside the bounds.</summary>
    public bool ContainsRange(double lo, bool loOpen, double hi, bool hiOpen) =>
        (lo > Min || (lo == Min && (MinInclusive || loOpen))) && (hi < Max || (hi == Max && (MaxInclusive || hiOpen)));

    /// <summary>Completes "x must be …": "in (0, 10]" or "an integer from 1 to 1024".</summary>
    public string Describe()
    {
        var c = CultureInfo.InvariantCulture;
        if (Integer)
            return $"an integer from {Min.ToString(c)} to {Max.ToString(c)}";
        if (double.IsPositiveInfinity(Max))
            return (MinInclusive ? ">= " : "> ") + Min.ToString(c);
        return $"in {(MinInclusive ? "[" : "(")}{Min.ToString(c)}, {Max.ToString(c)}{(MaxInclusive ? "]" : ")")}";
    }
}

/// <summary>
/// One hyperparameter of TinyNet: how sweep files name it, what it can be (and why), how a configuration holds it
/// (<see cref="Apply"/>, <see cref="Read"/>) and how tables show it (<see cref="LabelFormat"/>). Every table, export,
/// config key and the reader iterate these: adding a parameter is one entry in <see cref="ParameterCatalog"/> plus its
/// use in training.
/// </summary>
/// <param name="Read">The value in a configuration: an enum, a double or an int; null for <c>seed</c>, which is not part of one.</param>
/// <param name="LabelFormat">Its part of a configuration's one-line label, {0} standing for the value: "lr={0}", "{0}ep".</param>
/// <param name="Summary">What the parameter does, in one sentence: the sweep file schema shows it in editors.</param>
public sealed record KnownParameter(
    string Name, ParamType Type, IReadOnlyList<string> Choices, ParamBounds Bounds, string Why,
    Func<TrialConfig, ParamValue, TrialConfig> Apply, Func<TrialConfig, object>? Read = null, string LabelFormat = "{0}",
    string Summary = "")
{
    public string TypeName => Type switch
    {
        ParamType.Choice => "one of " + string.Join(", ", Choices),
        ParamType.Int => "an integer",
        _ => "a number",
    };

    /// <summary>The value as a sweep file writes it: "relu", "0.1", "200".</summary>
    public string Text(TrialConfig config) => Read!(config) switch
    {
        Enum choice => Word(choice),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture)!,
    };

    /// <summary>The value as config keys have hashed it from the start (enum names as C# writes them): never change it.</summary>
    public string KeyText(TrialConfig config) => Read!(config) switch
    {
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture)!,
    };

    public ParamValue ValueOf(TrialConfig config) => Read!(config) switch
    {
        Enum choice => ParamValue.Of(Word(choice)),
        var number => ParamValue.Of(Convert.ToDouble(number, CultureInfo.InvariantCulture)),
    };

    private static string Word(Enum choice) => System.Text.Json.JsonSerializer.Serialize(choice, choice.GetType(), Export.SweepJson.Options).Trim('"');
}

/// <summary>TinyNet's hyperparameters as a sweep file names them, with the values each can train with.</summary>
public static class ParameterCatalog
{
    public const string Seed = "seed";

    private static readonly ParamBounds AnyChoice = new(double.NegativeInfinity, true, double.PositiveInfinity, true);
    private static ParamBounds Between(double min, double max, bool maxInclusive = true) => new(min, true, max, maxInclusive);
    private static ParamBounds Integers(int min, int max) => new(min, true, max, true, Integer: true);

    // In the order of every table, which is also the order config keys hash them in (do not reorder).
    // Every bound says why, in words a user can check: the message prints the bounds and this reason.
    private static readonly KnownParameter[] All =
    [
        new("activation", ParamType.Choice, ["sigmoid", "relu", "tanh"], AnyChoice, "",
            (c, v) => c with { Activation = Enum.Parse<Activation>(v.Choice!, ignoreCase: true) }, c => c.Activation, Summary: "Activation of the hidden layer (the output layer is always sigmoid)."),
        new("optimizer", ParamType.Choice, ["sgd", "adam", "adamw"], AnyChoice, "",
            (c, v) => c with { Optimizer = Enum.Parse<OptimizerKind>(v.Choice!, ignoreCase: true) }, c => c.Optimizer, Summary: "Optimiser of every step: plain SGD (with optional momentum), Adam or AdamW."),
        new("learning_rate", ParamType.Float, [], new(0, false, 10, true),
            "a step of zero or against the gradient does not learn, and above 10 one step overflows TinyNet's outputs",
            (c, v) => c with { LearningRate = v.Number!.Value }, c => c.LearningRate, "lr={0}", Summary: "Step size of the optimiser."),
        new("momentum", ParamType.Float, [], Between(0, 1, maxInclusive: false), "momentum 1 or more never forgets old gradients and diverges",
            (c, v) => c with { Momentum = v.Number!.Value }, c => c.Momentum, "mom={0}", Summary: "SGD momentum; Adam and AdamW ignore it."),
        new("weight_decay", ParamType.Float, [], Between(0, 10),
            "negative decay pushes weights to grow, and above 10 the decay swamps every gradient",
            (c, v) => c with { WeightDecay = v.Number!.Value }, c => c.WeightDecay, "wd={0}", Summary: "Weight decay as PyTorch means it: L2 added to the gradient (SGD, Adam) or decoupled decay (AdamW)."),
        new("noise_level", ParamType.Float, [], Between(0, 1), "it is a fraction of the pixel range",
            (c, v) => c with { NoiseLevel = v.Number!.Value }, c => c.NoiseLevel, "noise={0}", Summary: "Width of the uniform pixel noise of the training examples: each pixel moves by up to ±noise_level/2."),
        new("clean_ratio", ParamType.Float, [], Between(0, 1), "it is a fraction of each batch",
            (c, v) => c with { CleanRatio = v.Number!.Value }, c => c.CleanRatio, "clean={0}", Summary: "Fraction of each batch drawn at the clean noise level (0.05) instead of noise_level."),
        new("epochs", ParamType.Int, [], Integers(1, 100_000),
            "a trial needs at least one optimiser step, and 100000 steps are already about ten seconds of training and a 2 MB loss history per trial",
            (c, v) => c with { Epochs = (int)v.Number!.Value }, c => c.Epochs, "{0}ep", Summary: "Optimiser steps, each on a freshly drawn batch (the notebook's \"epoch\"); hyperband's iterations."),
        new("batch_size", ParamType.Int, [], Integers(2, 4096),
            "a batch needs at least one horizontal/vertical pair, and every step draws a fresh batch, so more than 4096 examples only slow training down",
            (c, v) => c with { BatchSize = (int)v.Number!.Value }, c => c.BatchSize, "bs{0}", Summary: "Examples in each freshly drawn batch."),
        new("hidden_units", ParamType.Int, [], Integers(1, 1024),
            "the hidden layer needs at least one unit, and TinyNet's 4 inputs gain nothing from more than 1024 while memory grows with every unit",
            (c, v) => c with { HiddenUnits = (int)v.Number!.Value }, c => c.HiddenUnits, "h{0}", Summary: "Units of the hidden layer."),
        new("loss", ParamType.Choice, ["mse", "bce"], AnyChoice, "",
            (c, v) => c with { Loss = Enum.Parse<LossKind>(v.Choice!, ignoreCase: true) }, c => c.Loss, Summary: "Training loss: mean squared error or binary cross-entropy."),
        new(Seed, ParamType.Int, [], Integers(0, int.MaxValue), "a seed is a non-negative 32-bit integer, as the trainer's generators take it",
            (c, _) => c, Summary: "Seeds as a parameter, as W&B users sweep them: its values become the seed list (instead of the top-level 'seeds')."),
    ];

    /// <summary>The parameters a <see cref="TrialConfig"/> holds (all but <c>seed</c>), in table order.</summary>
    public static IReadOnlyList<KnownParameter> ConfigParameters { get; } = [.. All.Where(p => p.Read is not null)];

    private static readonly Dictionary<string, KnownParameter> ByName = All.ToDictionary(p => p.Name);

    /// <summary>Bounds of every seed, whether from 'seeds' or a 'seed' parameter.</summary>
    public static ParamBounds SeedBounds => ByName[Seed].Bounds;

    /// <summary>The most epochs a trial may train: no hyperband band beyond it is ever reached.</summary>
    public static ParamBounds EpochsBounds => ByName["epochs"].Bounds;

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(p => p.Name)];

    /// <summary>Names people use in other tools, mapped to ours.</summary>
    public static IReadOnlyDictionary<string, string> Aliases { get; } = new Dictionary<string, string>
    {
        ["lr"] = "learning_rate", ["learningrate"] = "learning_rate", ["eta"] = "learning_rate", ["step_size"] = "learning_rate",
        ["wd"] = "weight_decay", ["l2"] = "weight_decay", ["decay"] = "weight_decay",
        ["hidden"] = "hidden_units", ["hidden_size"] = "hidden_units", ["n_hidden"] = "hidden_units",
        ["hidden_dim"] = "hidden_units", ["num_hidden"] = "hidden_units", ["units"] = "hidden_units", ["width"] = "hidden_units",
        ["batch"] = "batch_size", ["bs"] = "batch_size", ["batchsize"] = "batch_size",
        ["noise"] = "noise_level", ["sigma_noise"] = "noise_level",
        ["optim"] = "optimizer", ["opt"] = "optimizer", ["optimiser"] = "optimizer",
        ["act"] = "activation", ["activation_fn"] = "activation", ["nonlinearity"] = "activation",
        ["epoch"] = "epochs", ["n_epochs"] = "epochs", ["num_epochs"] = "epochs", ["max_epochs"] = "epochs", ["steps"] = "epochs",
        ["clean"] = "clean_ratio", ["clean_fraction"] = "clean_ratio", ["mix_ratio"] = "clean_ratio",
        ["loss_fn"] = "loss", ["criterion"] = "loss", ["objective"] = "loss",
        ["mom"] = "momentum", ["beta"] = "momentum",
        ["seeds"] = "seed", ["random_seed"] = "seed",
    };

    public static bool TryGet(string name, out KnownParameter parameter) => ByName.TryGetValue(name, out parameter!);

    /// <param name="listNames">Whether to list every parameter: once per file is enough.</param>
    public static string UnknownMessage(string name, bool listNames = true)
    {
        string hint = DidYouMean.Hint(name, Names, Aliases);
        string list = listNames ? $" Parameters are: {string.Join(", ", Names)}" : "";
        return $"unknown parameter '{SweepText.Shown(name)}'{(hint.Length > 0 ? hint : ".")}{list}";
    }

    /// <summary>The known parameter an unknown name most probably means (a typo, another tool's name), if any.</summary>
    public static KnownParameter? Meant(string name) =>
        DidYouMean.Suggest(name, Names, Aliases) is { } suggestion && ByName.TryGetValue(suggestion, out var parameter) ? parameter : null;

    public static TrialConfig Apply(TrialConfig config, string name, ParamValue value) =>
        ByName[name].Apply(config, value);
}
