using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace TinyNet.Sweeps.Hosting;

/// <summary>
/// TLS between silos and between clients and gateways, with mutual authentication: every silo and client shows a
/// certificate, and accepts only peers whose certificate chains to <see cref="CaPath"/> (or, without one, to the
/// machine's trusted roots). Names are not checked: silos are reached by IP address, and the CA is what vouches.
/// </summary>
/// <param name="CertificatePath">This process's certificate: PEM (its key in <paramref name="KeyPath"/>, or in the same
/// file) or PKCS#12 (.pfx, .p12; its password in <paramref name="Password"/>).</param>
/// <param name="CaPath">PEM of the certificate authority that signs the cluster's certificates.</param>
public sealed record ClusterTls(string CertificatePath, string? KeyPath = null, string? CaPath = null, string? Password = null)
{
    /// <summary>The certificate with its private key, and the CA to trust; a one-line reason when they cannot be read.</summary>
    public (X509Certificate2 Certificate, X509Certificate2? Ca) Load()
    {
        try
        {
            string extension = Path.GetExtension(CertificatePath).ToLowerInvariant();
            var certificate = extension is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, Password)
                : X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            if (!certificate.HasPrivateKey)
                throw new ClusterTlsException($"the certificate {CertificatePath} has no private key (give its key with --tls-key)");
            var ca = CaPath is null ? null : X509CertificateLoader.LoadCertificateFromFile(CaPath);
            return (certificate, ca);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ClusterTlsException($"could not read the TLS certificate ({CertificatePath}{(KeyPath is null ? "" : $", key {KeyPath}")}" +
                                          $"{(CaPath is null ? "" : $", CA {CaPath}")}): {e.Message.Split('\n')[0].TrimEnd('.')}");
        }
    }

    /// <summary>Orleans' TLS options: this certificate, peers' certificates required both ways and checked against the CA.</summary>
    public void Configure(TlsOptions options)
    {
        var (certificate, ca) = Load();
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (remote, _, errors) => ca is null
            ? (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
            : ChainsTo(remote, ca);
    }

    private static bool ChainsTo(X509Certificate2 remote, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // A private CA publishes no revocation lists.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }
}

public sealed class ClusterTlsException(string message) : Exception(message);
