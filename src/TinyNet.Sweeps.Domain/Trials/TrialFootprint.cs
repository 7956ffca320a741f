namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>
/// What one trial costs, estimated from its configuration before it runs: memory while it trains, and the size of its
/// line in trials.jsonl. Upper estimates, checked against measurements (see the tests), not exact figures.
/// </summary>
public static class TrialFootprint
{
    private const long FloatBytes = 4;

    /// <summary>Held while training, as one lane of the lanes engine: the network, its gradients and optimiser moments,
    /// one epoch's activations and temporaries both ways (the widest are hidden × 4 × batch products, all kept until the
    /// epoch ends), the evaluation set's, the loss history, plus a fixed allowance for libtorch's per-trial state.</summary>
    public static long TrainingBytes(TrialConfig config)
    {
        long hidden = config.HiddenUnits, batch = config.BatchSize;
        long parameters = 7 * hidden + 2;                      // 4→h weights and biases, h→2 weights and biases
        long network = 4 * parameters * FloatBytes;            // values, gradients, two Adam moments
        long step = batch * (20 * hidden + 16) * FloatBytes;   // forward and backward activations, with temporaries
        long evaluation = EvaluationExamples * (8 * hidden + 8) * FloatBytes;
        return PerTrialAllowance + network + step + evaluation + config.Epochs * sizeof(double);
    }

    /// <summary>The trial's line in trials.jsonl: about 25 characters per loss and per weight, and a fixed part.</summary>
    public static long RecordBytes(TrialConfig config) =>
        RecordFixedBytes + 25L * config.Epochs + 25L * (7L * config.HiddenUnits + 2);

    private const long PerTrialAllowance = 4L << 20;
    private const int EvaluationExamples = 2000;
    private const long RecordFixedBytes = 2048;
}
