using Orleans.Serialization;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Abstractions;

public static class DomainSerialization
{
    /// <summary>
    /// The domain project knows nothing of Orleans, so its records cross grain boundaries as JSON.
    /// Silos and clients must both register this.
    /// </summary>
    public static ISerializerBuilder AddDomainTypes(this ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("TinyNet.Sweeps.Domain", StringComparison.Ordinal) == true,
            SweepJson.Options);
}
