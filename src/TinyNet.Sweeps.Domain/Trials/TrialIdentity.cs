using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>Stable ids for configurations and trials, independent of file order and of the run.</summary>
public static class TrialIdentity
{
    /// <summary>A short hash of every field of <paramref name="config"/>, written in a fixed order and format.</summary>
    public static string ConfigKey(TrialConfig config)
    {
        var c = CultureInfo.InvariantCulture;
        string canonical = string.Join('|',
            config.Activation, config.Optimizer, config.LearningRate.ToString("R", c), config.Momentum.ToString("R", c),
            config.WeightDecay.ToString("R", c), config.NoiseLevel.ToString("R", c), config.CleanRatio.ToString("R", c),
            config.Epochs.ToString(c), config.BatchSize.ToString(c), config.HiddenUnits.ToString(c), config.Loss);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }

    public static string TrialId(string configKey, int seed) => $"{configKey}-s{seed}";

    public static TrialSpec Create(TrialConfig config, int seed, int index)
    {
        string key = ConfigKey(config);
        return new TrialSpec(TrialId(key, seed), key, index, config, seed);
    }
}
