using System.Runtime.InteropServices;
using TinyNet.Sweeps.Training.Tests.Reference;

namespace TinyNet.Sweeps.Training.Tests;

public class BatchGeneratorByPixelTests
{
    /// <summary>The reference's batch moved to pixels by example, as the lanes engine used to do it.</summary>
    static float[] Reference(Xoshiro256 rng, int batchSize, double cleanRatio, double noiseLevel)
    {
        int count = BatchGenerator.MixedCount(batchSize, cleanRatio);
        var (inputs, targets) = (new float[count * 4], new float[count * 2]);
        new ScalarBatchGenerator(rng).FillMixed(inputs, targets, batchSize, cleanRatio, noiseLevel);
        var byPixel = new float[count * 4];
        for (int i = 0; i < count; i++)
            for (int p = 0; p < 4; p++) byPixel[p * count + i] = inputs[i * 4 + p];
        return byPixel;
    }

    static void AssertSameBatches(long seed, IEnumerable<(int BatchSize, double CleanRatio, double NoiseLevel)> batches)
    {
        var (reference, fast) = (new Xoshiro256(seed, 2), new Xoshiro256(seed, 2));
        var generator = new BatchGenerator(fast);
        foreach (var (batchSize, cleanRatio, noiseLevel) in batches)
        {
            var expected = Reference(reference, batchSize, cleanRatio, noiseLevel);
            var actual = new float[expected.Length];
            generator.FillMixedByPixel(actual, batchSize, cleanRatio, noiseLevel);
            // Bits, not float equality: −0 and NaN must match too.
            Assert.True(MemoryMarshal.Cast<float, int>(expected).SequenceEqual(MemoryMarshal.Cast<float, int>(actual)),
                $"seed {seed}, batch {batchSize}, clean ratio {cleanRatio}, noise {noiseLevel}");
            // Both generators are left at the same point of their sequence (this draw moves both on alike).
            Assert.Equal(reference.NextUInt64(), fast.NextUInt64());
        }
    }

    // Tiny, odd, around the 8-example vector width and the reference's 32-pair chunks, and large.
    static readonly int[] BatchSizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 15, 16, 17, 18, 24, 31, 33, 63, 64, 65, 66, 67, 96, 127, 128, 129, 130, 200, 513, 1000];
    static readonly double[] CleanRatios = [0, 1, 0.5, 0.3, 0.25, 0.1, 0.9, 0.07];
    static readonly double[] NoiseLevels = [0, 0.05, 0.3, 0.6, 1, 1.7, -0.25];

    [Fact]
    public void Fills_exactly_the_scalar_reference_for_every_size_ratio_and_level()
    {
        var all = from b in BatchSizes from r in CleanRatios from n in NoiseLevels select (b, r, n);
        AssertSameBatches(20251126, all);
    }

    [Fact]
    public void Fills_exactly_the_scalar_reference_for_random_seeds_and_configs()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 200; trial++)
        {
            long seed = random.NextInt64();
            var batches = Enumerable.Range(0, random.Next(1, 6)).Select(_ => (
                random.Next(3) == 0 ? random.Next(0, 12) : random.Next(0, 700),
                random.Next(4) switch { 0 => 0.0, 1 => 1.0, _ => random.NextDouble() },
                random.NextDouble() * 1.2)).ToList();
            AssertSameBatches(seed, batches);
        }
    }

    [Fact]
    public void Lays_out_pixel_p_of_example_i_at_p_times_count_plus_i()
    {
        // 64 examples at 0.3: clean 19 → 18, noisy 45 → 44, so a row is 62 long, not 64.
        int count = BatchGenerator.MixedCount(64, 0.3);
        var batch = new BatchGenerator(3).Mixed(64, 0.3, 0.6);
        var byPixel = new float[count * 4];
        new BatchGenerator(3).FillMixedByPixel(byPixel, 64, 0.3, 0.6);
        for (int i = 0; i < count; i++)
            for (int p = 0; p < 4; p++) Assert.Equal(batch.Inputs[i * 4 + p], byPixel[p * count + i]);
    }

    [Fact]
    public void Rejects_a_buffer_of_the_wrong_size()
    {
        int count = BatchGenerator.MixedCount(64, 0.3);
        Assert.Throws<ArgumentException>(() => new BatchGenerator(1).FillMixedByPixel(new float[count * 4 + 1], 64, 0.3, 0.6));
        Assert.Throws<ArgumentException>(() => new BatchGenerator(1).FillMixedByPixel(new float[64 * 4], 64, 0.3, 0.6));
    }
}
