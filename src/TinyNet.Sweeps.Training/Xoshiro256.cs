namespace TinyNet.Sweeps.Training;

/// <summary>
/// xoshiro256** 1.0 (Blackman &amp; Vigna, https://prng.di.unimi.it/xoshiro256starstar.c), seeded through SplitMix64.
/// Chosen over <see cref="System.Random"/> because its output for a seed is fixed by this file alone, not by
/// the runtime version (System.Random(seed) keeps a legacy algorithm only for compatibility), and it is fast.
/// Not thread-safe: each trial owns its instances.
/// </summary>
public sealed class Xoshiro256
{
    ulong _s0, _s1, _s2, _s3;

    /// <param name="seed">Trial seed.</param>
    /// <param name="stream">Separates independent sequences drawn from the same seed (e.g. init vs data).</param>
    public Xoshiro256(long seed, ulong stream = 0)
    {
        // SplitMix64 expands the seed into the 256-bit state, as the xoshiro authors recommend.
        ulong x = unchecked((ulong)seed ^ (stream * 0xD1B54A32D192ED03UL));
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    static ulong SplitMix64(ref ulong x)
    {
        ulong z = unchecked(x += 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var state = Borrow();
        ulong result = state.Next();
        Return(state);
        return result;
    }

    /// <summary>
    /// The next <paramref name="destination"/>.Length outputs, exactly as that many <see cref="NextUInt64"/> calls
    /// give them, with the state kept in registers (several times faster in bulk).
    /// </summary>
    public void NextUInt64s(Span<ulong> destination)
    {
        var state = Borrow();
        for (int i = 0; i < destination.Length; i++) destination[i] = state.Next();
        Return(state);
    }

    /// <summary>
    /// The state as a value, which a loop that stores its draws can keep in registers (this class's fields it would
    /// reload and save around every store, as the store might alias them). Take it with <see cref="Borrow"/>, hand it
    /// back with <see cref="Return"/>; its draws are exactly the <see cref="NextUInt64"/> calls it stands for.
    /// </summary>
    internal struct State(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        ulong _s0 = s0, _s1 = s1, _s2 = s2, _s3 = s3;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public ulong Next()
        {
            ulong result = unchecked(ulong.RotateLeft(_s1 * 5, 7) * 9);
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return result;
        }

        internal readonly void SaveTo(Xoshiro256 rng) => (rng._s0, rng._s1, rng._s2, rng._s3) = (_s0, _s1, _s2, _s3);
    }

    internal State Borrow() => new(_s0, _s1, _s2, _s3);

    internal void Return(in State state) => state.SaveTo(this);

    /// <summary>Uniform in [0, 1) with 24 bits, like torch.rand's float32.</summary>
    public float NextSingle() => ToSingle(NextUInt64());

    /// <summary>The float <see cref="NextSingle"/> makes of an output.</summary>
    public static float ToSingle(ulong output) => (output >> 40) * (1f / (1 << 24));

    /// <summary>The coin <see cref="NextBool"/> makes of an output.</summary>
    public static bool ToBool(ulong output) => (output >> 63) != 0;

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A fair coin, from the top bit (the best-mixed one).</summary>
    public bool NextBool() => ToBool(NextUInt64());
}
