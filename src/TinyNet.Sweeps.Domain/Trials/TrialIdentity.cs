using System.Security.Cryptography;
using System.Text;
using TinyNet.Sweeps.Domain.Sweeps;

namespace TinyNet.Sweeps.Domain.Trials;

/// <summary>Stable ids for configurations and trials, independent of file order and of the run.</summary>
public static class TrialIdentity
{
    /// <summary>
    /// A short hash of every parameter of <paramref name="config"/>, written in the catalog's order and key format. Keys
    /// name results on disk and in clusters, so that text must never change for an existing parameter.
    /// </summary>
    public static string ConfigKey(TrialConfig config)
    {
        string canonical = string.Join('|', ParameterCatalog.ConfigParameters.Select(p => p.KeyText(config)));
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }

    public static string TrialId(string configKey, int seed) => $"{configKey}-s{seed}";

    public static TrialSpec Create(TrialConfig config, int seed, int index, string? label = null) =>
        Create(config, ConfigKey(config), seed, index, label);

    /// <param name="configKey"><paramref name="config"/>'s <see cref="ConfigKey"/>, computed once for all its seeds.</param>
    public static TrialSpec Create(TrialConfig config, string configKey, int seed, int index, string? label = null) =>
        new(TrialId(configKey, seed), configKey, index, config, seed, label);
}
