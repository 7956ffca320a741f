using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training;

/// <summary>A batch as flat float32 buffers: inputs [Count, 4] and targets [Count, 2], row-major.</summary>
public sealed record Batch(float[] Inputs, float[] Targets, int Count);

/// <summary>
/// The notebook's get_noisy_batch / get_mixed_batch, drawn from a seeded <see cref="Xoshiro256"/> instead of
/// torch's global generator (shared by all threads, so it would break per-trial determinism).
/// </summary>
public sealed class BatchGenerator(Xoshiro256 rng)
{
    static readonly float[][] HBases = [[1f, 1f, 0f, 0f], [0f, 0f, 1f, 1f]];
    static readonly float[][] VBases = [[1f, 0f, 1f, 0f], [0f, 1f, 0f, 1f]];

    public BatchGenerator(long seed) : this(new Xoshiro256(seed)) { }

    /// <summary>Examples get_noisy_batch(n) really yields: n/2 (H, V) pairs, so an odd n loses one.</summary>
    public static int NoisyCount(int batchSize) => batchSize / 2 * 2;

    /// <summary>(clean, noisy) sizes requested by get_mixed_batch: clean = int(batch_size * clean_ratio).</summary>
    public static (int Clean, int Noisy) MixedSizes(int batchSize, double cleanRatio)
    {
        int clean = (int)(batchSize * cleanRatio);
        return (clean, batchSize - clean);
    }

    /// <summary>Examples get_mixed_batch yields (each part rounds down to whole pairs).</summary>
    public static int MixedCount(int batchSize, double cleanRatio)
    {
        var (clean, noisy) = MixedSizes(batchSize, cleanRatio);
        return NoisyCount(clean) + NoisyCount(noisy);
    }

    public Batch Noisy(int batchSize, double noiseLevel)
    {
        int count = NoisyCount(batchSize);
        var batch = new Batch(new float[count * 4], new float[count * 2], count);
        FillNoisy(batch.Inputs, batch.Targets, batchSize, noiseLevel);
        return batch;
    }

    public Batch Mixed(int batchSize, double cleanRatio, double noiseLevel)
    {
        int count = MixedCount(batchSize, cleanRatio);
        var batch = new Batch(new float[count * 4], new float[count * 2], count);
        FillMixed(batch.Inputs, batch.Targets, batchSize, cleanRatio, noiseLevel);
        return batch;
    }

    /// <summary>Clean part (noise 0.05) first, then the noisy part, as torch.cat in the notebook.</summary>
    public void FillMixed(Span<float> inputs, Span<float> targets, int batchSize, double cleanRatio, double noiseLevel)
    {
        var (clean, noisy) = MixedSizes(batchSize, cleanRatio);
        int cleanCount = NoisyCount(clean);
        FillNoisy(inputs[..(cleanCount * 4)], targets[..(cleanCount * 2)], clean, TrialConfig.CleanNoiseLevel);
        FillNoisy(inputs[(cleanCount * 4)..], targets[(cleanCount * 2)..], noisy, noiseLevel);
    }

    /// <summary>
    /// Pairs of one horizontal then one vertical example; each picks one of its two base patterns uniformly,
    /// adds uniform noise in [−noise/2, +noise/2) per pixel (float32, as torch.rand(4) * n − n/2) and clamps to [0, 1].
    /// </summary>
    public void FillNoisy(Span<float> inputs, Span<float> targets, int batchSize, double noiseLevel)
    {
        float level = (float)noiseLevel, half = (float)(noiseLevel / 2);
        Span<float> hNoise = stackalloc float[4], vNoise = stackalloc float[4];
        for (int pair = 0; pair < batchSize / 2; pair++)
        {
            // Same draw order as the notebook: h noise, v noise, h base, v base.
            for (int p = 0; p < 4; p++) hNoise[p] = rng.NextSingle() * level - half;
            for (int p = 0; p < 4; p++) vNoise[p] = rng.NextSingle() * level - half;
            float[] hBase = HBases[rng.NextBool() ? 1 : 0], vBase = VBases[rng.NextBool() ? 1 : 0];

            int h = 2 * pair, v = h + 1;
            for (int p = 0; p < 4; p++)
            {
                inputs[h * 4 + p] = Math.Clamp(hBase[p] + hNoise[p], 0f, 1f);
                inputs[v * 4 + p] = Math.Clamp(vBase[p] + vNoise[p], 0f, 1f);
            }
            targets[h * 2] = 1f; targets[h * 2 + 1] = 0f;
            targets[v * 2] = 0f; targets[v * 2 + 1] = 1f;
        }
    }
}

/// <summary>The held-out set shared by every trial: 2,000 noisy examples at noise 0.3 from a fixed seed.</summary>
public static class EvalSet
{
    public const int Size = 2000;
    public const double NoiseLevel = 0.3;
    public const long Seed = 20251126;

    static readonly Lazy<Batch> Shared = new(() => new BatchGenerator(Seed).Noisy(Size, NoiseLevel), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Built once, thread-safe. Do not modify the arrays.</summary>
    public static Batch Batch => Shared.Value;
}
