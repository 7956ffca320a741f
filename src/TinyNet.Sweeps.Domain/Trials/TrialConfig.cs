using System.Text.Json.Serialization;

namespace TinyNet.Sweeps.Domain.Trials;

// The JSON names are the values users write in sweep files.

/// <summary>Hidden-layer activation of TinyNet. The output layer is always sigmoid, as in the notebook.</summary>
public enum Activation
{
    [JsonStringEnumMemberName("sigmoid")] Sigmoid,
    [JsonStringEnumMemberName("relu")] Relu,
    [JsonStringEnumMemberName("tanh")] Tanh,
}

public enum OptimizerKind
{
    [JsonStringEnumMemberName("sgd")] Sgd,
    [JsonStringEnumMemberName("adam")] Adam,
    [JsonStringEnumMemberName("adamw")] AdamW,
}

public enum LossKind
{
    [JsonStringEnumMemberName("mse")] Mse,
    [JsonStringEnumMemberName("bce")] Bce,
}

/// <summary>
/// Everything that decides how one TinyNet trial trains, apart from its seed.
/// Property names map to the sweep file's parameter names in snake_case
/// (<c>LearningRate</c> is <c>learning_rate</c>); defaults are the notebook's first experiment.
/// </summary>
public sealed record TrialConfig
{
    public Activation Activation { get; init; } = Activation.Relu;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;
    public double LearningRate { get; init; } = 0.1;
    /// <summary>SGD momentum; ignored by Adam and AdamW.</summary>
    public double Momentum { get; init; }
    /// <summary>As PyTorch means it: L2 added to the gradient (SGD, Adam) or decoupled decay (AdamW).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Width of the uniform pixel noise: each pixel moves by up to ±noise_level/2.</summary>
    public double NoiseLevel { get; init; } = 0.3;
    /// <summary>Fraction of each batch drawn at the clean noise level (0.05) instead of <see cref="NoiseLevel"/>.</summary>
    public double CleanRatio { get; init; }
    /// <summary>Optimiser steps, each on a freshly drawn batch (the notebook's "epoch").</summary>
    public int Epochs { get; init; } = 200;
    public int BatchSize { get; init; } = 64;
    public int HiddenUnits { get; init; } = 3;
    public LossKind Loss { get; init; } = LossKind.Mse;

    /// <summary>Noise level of the clean part of a mixed batch, fixed by the notebook.</summary>
    public const double CleanNoiseLevel = 0.05;
}
