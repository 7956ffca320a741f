using TinyNet.Sweeps.Domain.Trials;

namespace TinyNet.Sweeps.Training.Tests.Reference;

/// <summary>
/// BatchGenerator's FillMixed and FillNoisy as they were before the by-pixel fast path, copied verbatim and kept in the
/// tests only as a reference: <see cref="BatchGenerator.FillMixedByPixel"/> must draw exactly these values.
/// </summary>
internal sealed class ScalarBatchGenerator(Xoshiro256 rng)
{
    /// <summary>Clean part (noise 0.05) first, then the noisy part, as torch.cat in the notebook.</summary>
    public void FillMixed(Span<float> inputs, Span<float> targets, int batchSize, double cleanRatio, double noiseLevel)
    {
        var (clean, noisy) = BatchGenerator.MixedSizes(batchSize, cleanRatio);
        int cleanCount = BatchGenerator.NoisyCount(clean);
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
            // One NextUInt64 at a time (the original used the bulk NextUInt64s): the reference must not share the fast path's code.
            for (int k = 0; k < chunk * DrawsPerPair; k++) draws[k] = rng.NextUInt64();
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

    /// <summary>A base pixel plus noise rand·n − n/2 (float32, as torch computes it), clamped to [0, 1].</summary>
    static float Pixel(float basePixel, ulong draw, float level, float half) =>
        Math.Clamp(basePixel + (Xoshiro256.ToSingle(draw) * level - half), 0f, 1f);
}
