namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>
/// Which training code produced a result, recorded as <c>engine</c> in trials.jsonl. Bump <see cref="Current"/>
/// whenever a change to training changes any trial's numbers: a resumed sweep then trains again, instead of reusing,
/// the trials an older engine recorded.
/// </summary>
public static class TrainingEngine
{
    /// <summary>TorchSharp, one trial per worker thread, our own SGD/Adam/AdamW steps.</summary>
    public const string First = "torch-1";

    /// <summary>
    /// Trials trained as lanes of one TorchSharp computation, forward and backward written out lane-wise; results agree
    /// with <see cref="First"/> to about 1e-7 but not to the bit.
    /// </summary>
    public const string Lanes = "torch-2";

    public const string Current = Lanes;
}
