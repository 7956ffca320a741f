namespace TinyNet.Sweeps.Testing;

/// <summary>Small bayes sweeps with hyperband, for the tests that check they decide the same trials and stops anywhere.</summary>
public static class AdaptiveSweeps
{
    /// <summary>16 trials of 60 epochs, bands at 6, 18 and 54: a few seconds.</summary>
    public const string Quick = """
        name: adaptive
        method: bayes
        run_cap: 8
        round_size: 4
        seeds: 2
        metric: {name: calibration_error, goal: minimize}
        early_terminate: {type: hyperband, min_iter: 6, eta: 3}
        parameters:
          activation: {values: [relu, tanh]}
          optimizer: {value: adam}
          learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.1}
          hidden_units: {values: [3, 8]}
          epochs: {value: 60}
        """;

    /// <summary>24 trials of 800 epochs, bands at 20, 60, 180 and 540: long enough to lose a coordinator mid-sweep.</summary>
    public const string Long = """
        name: adaptive-long
        method: bayes
        run_cap: 12
        round_size: 4
        seeds: 2
        metric: {name: calibration_error, goal: minimize}
        early_terminate: {type: hyperband, min_iter: 20, eta: 3}
        parameters:
          activation: {values: [relu, tanh]}
          optimizer: {value: adam}
          learning_rate: {distribution: log_uniform_values, min: 0.001, max: 0.1}
          hidden_units: {values: [3, 8]}
          epochs: {value: 800}
        """;
}
