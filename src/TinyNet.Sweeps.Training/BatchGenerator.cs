using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    /// Written out pixel by pixel: this runs for every lane of every epoch, so it must cost far less than the step.
    /// </summary>
    public void FillNoisy(Span<float> inputs, Span<float> targets, int batchSize, double noiseLevel)
    {
        float level = (float)noiseLevel, half = (float)(noiseLevel / 2);
        int pairs = batchSize / 2;
        inputs = inputs[..(pairs * 8)];
        targets = targets[..(pairs * 4)];
        // Ten draws a pair, in the notebook's order: h noise (4), v noise (4), h base, v base.
        const int DrawsPerPair = 10, PairsPerChunk = 32;
        Span<ulong> draws = stackalloc ulong[DrawsPerPair * PairsPerChunk];
        for (int first = 0; first < pairs; first += PairsPerChunk)
        {
            int chunk = Math.Min(PairsPerChunk, pairs - first);
            rng.NextUInt64s(draws[..(chunk * DrawsPerPair)]);
            for (int c = 0; c < chunk; c++)
            {
                var d = draws.Slice(c * DrawsPerPair, DrawsPerPair);
                // Horizontal: top row [1, 1, 0, 0] or bottom row [0, 0, 1, 1]; vertical: left [1, 0, 1, 0] or right [0, 1, 0, 1].
                float bottom = Xoshiro256.ToBool(d[8]) ? 1f : 0f, right = Xoshiro256.ToBool(d[9]) ? 1f : 0f;
                float top = 1f - bottom, left = 1f - right;
                var x = inputs.Slice((first + c) * 8, 8);
                x[0] = Pixel(top, d[0], level, half); x[1] = Pixel(top, d[1], level, half);
                x[2] = Pixel(bottom, d[2], level, half); x[3] = Pixel(bottom, d[3], level, half);
                x[4] = Pixel(left, d[4], level, half); x[5] = Pixel(right, d[5], level, half);
                x[6] = Pixel(left, d[6], level, half); x[7] = Pixel(right, d[7], level, half);
                var t = targets.Slice((first + c) * 4, 4);
                t[0] = 1f; t[1] = 0f; t[2] = 0f; t[3] = 1f;
            }
        }
    }

    /// <summary>
    /// The inputs <see cref="FillMixed"/> draws, bit for bit, written pixels by example as the lanes engine wants them:
    /// pixel p of example i at [p * count + i], count = <see cref="MixedCount"/> (the targets never change, so none).
    /// Several times cheaper: no transposition pass, and the pixel arithmetic runs eight examples at a time.
    /// </summary>
    public void FillMixedByPixel(Span<float> pixelsByExample, int batchSize, double cleanRatio, double noiseLevel)
    {
        var (clean, noisy) = MixedSizes(batchSize, cleanRatio);
        int cleanPairs = clean / 2, noisyPairs = noisy / 2, count = 2 * (cleanPairs + noisyPairs);
        if (cleanPairs < 0 || noisyPairs < 0) throw new ArgumentOutOfRangeException(nameof(cleanRatio), cleanRatio, "Gives a negative part.");
        if (pixelsByExample.Length != 4 * count)
            throw new ArgumentException($"Holds {pixelsByExample.Length} pixels, not 4 × {count} examples.", nameof(pixelsByExample));
        ref float rows = ref MemoryMarshal.GetReference(pixelsByExample);
        FillPairsByPixel(ref rows, count, 0, cleanPairs, TrialConfig.CleanNoiseLevel);
        FillPairsByPixel(ref rows, count, 2 * cleanPairs, noisyPairs, noiseLevel);
    }

    /// <summary>
    /// <see cref="FillNoisy"/>'s pairs into examples firstExample… of the 4 rows of <paramref name="count"/> pixels. First,
    /// draw by draw, each pixel's place gets its noise draw's top 24 bits and, above them, its base (0 or 1) as an int;
    /// then whole rows become pixels with the scalar code's float operations in its order (no FMA), so the values are
    /// identical. Unchecked refs: the caller has checked that the rows hold the examples.
    /// Optimised from its first call: a sweep's first seconds would otherwise draw every batch through tier-0 code
    /// (no inlining of the generator), about ten times slower, while the cluster's start-up keeps the JIT busy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void FillPairsByPixel(ref float rows, int count, int firstExample, int pairs, double noiseLevel)
    {
        ref int row0 = ref Unsafe.As<float, int>(ref Unsafe.Add(ref rows, firstExample));
        ref int row1 = ref Unsafe.Add(ref row0, count);
        ref int row2 = ref Unsafe.Add(ref row1, count);
        ref int row3 = ref Unsafe.Add(ref row2, count);
        var state = rng.Borrow();
        for (int h = 0; h < 2 * pairs; h += 2)
        {
            // Ten draws a pair, in the notebook's order: h noise (4), v noise (4), h base, v base.
            int h0 = Top24(state.Next()), h1 = Top24(state.Next()), h2 = Top24(state.Next()), h3 = Top24(state.Next());
            int v0 = Top24(state.Next()), v1 = Top24(state.Next()), v2 = Top24(state.Next()), v3 = Top24(state.Next());
            // Horizontal: top row [1, 1, 0, 0] or bottom row [0, 0, 1, 1]; vertical: left [1, 0, 1, 0] or right [0, 1, 0, 1].
            int bottom = (int)(state.Next() >> 63) << 24, right = (int)(state.Next() >> 63) << 24;
            int top = bottom ^ BaseOne, left = right ^ BaseOne;
            // The H example in column h, the V example in column h + 1.
            Unsafe.Add(ref row0, h) = h0 | top; Unsafe.Add(ref row0, h + 1) = v0 | left;
            Unsafe.Add(ref row1, h) = h1 | top; Unsafe.Add(ref row1, h + 1) = v1 | right;
            Unsafe.Add(ref row2, h) = h2 | bottom; Unsafe.Add(ref row2, h + 1) = v2 | left;
            Unsafe.Add(ref row3, h) = h3 | bottom; Unsafe.Add(ref row3, h + 1) = v3 | right;
        }
        rng.Return(state);

        float level = (float)noiseLevel, half = (float)(noiseLevel / 2);
        for (int p = 0; p < 4; p++)
            PixelsOfRow(ref Unsafe.Add(ref rows, p * count + firstExample), 2 * pairs, level, half);
    }

    /// <summary>A base of 1 in the int a pixel's place holds before <see cref="PixelsOfRow"/>, above the 24 noise bits.</summary>
    const int BaseOne = 1 << 24;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Top24(ulong draw) => (int)(draw >> 40);

    /// <summary>Turns a row's base-and-noise-bits ints (in place) into pixels, as <see cref="Pixel"/> does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PixelsOfRow(ref float row, int length, float level, float half)
    {
        ref int bits = ref Unsafe.As<float, int>(ref row);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (levels, halves) = (Vector256.Create(level), Vector256.Create(half));
            var (noiseMask, zero, one) = (Vector256.Create(BaseOne - 1), Vector256<float>.Zero, Vector256<float>.One);
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var packed = Vector256.LoadUnsafe(ref bits, (nuint)i);
                var basePixel = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(packed, 24));
                var noise = Vector256.ConvertToSingle(packed & noiseMask) * (1f / (1 << 24)) * levels - halves;
                var x = basePixel + noise;
                // Math.Clamp's own comparisons, so that even NaN and −0 come out as in Pixel.
                x = Vector256.ConditionalSelect(Vector256.LessThan(x, zero), zero, x);
                x = Vector256.ConditionalSelect(Vector256.GreaterThan(x, one), one, x);
                x.StoreUnsafe(ref row, (nuint)i);
            }
        }
        for (; i < length; i++)
        {
            int packed = Unsafe.Add(ref bits, i);
            Unsafe.Add(ref row, i) = Math.Clamp((packed >> 24) + ((packed & (BaseOne - 1)) * (1f / (1 << 24)) * level - half), 0f, 1f);
        }
    }

    /// <summary>A base pixel plus noise rand·n − n/2 (float32, as torch computes it), clamped to [0, 1].</summary>
    static float Pixel(float basePixel, ulong draw, float level, float half) =>
        Math.Clamp(basePixel + (Xoshiro256.ToSingle(draw) * level - half), 0f, 1f);
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
