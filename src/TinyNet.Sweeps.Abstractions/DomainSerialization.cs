using Orleans.Serialization;
using TinyNet.Sweeps.Domain.Export;

namespace TinyNet.Sweeps.Abstractions;

public static class DomainSerialization
{
    /// <summary>
    /// The domain project knows nothing of Orleans, so its records cross grain boundaries as JSON, except a trial's
    /// result and its parts, which every trial sends several times, and a ranking's rows, which a client reads by the
    /// thousand: those have Orleans codecs of their own
    /// (<see cref="TrialResultCodecs"/>). Silos and clients must both register this.
    /// </summary>
    public static ISerializerBuilder AddDomainTypes(this ISerializerBuilder serializer) =>
        serializer.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("TinyNet.Sweeps.Domain", StringComparison.Ordinal) == true
                                 && !type.IsEnum && !TrialResultCodecs.Types.Contains(type),
            SweepJson.Options);
}
