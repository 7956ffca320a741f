using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TinyNet.Sweeps.Cluster.Tests;

/// <summary>
/// Silos and clients with TLS and mutual authentication: a throw-away CA signs each one's certificate; a client with no
/// certificate, or one another CA signed, is refused in one line.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class TlsTests(RedisServer redis) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tinynet-tls-").FullName;

    [Fact]
    public async Task A_TLS_cluster_works_for_clients_its_CA_signed_and_refuses_the_others()
    {
        using var ca = Authority("TinyNet test CA");
        using var strangerCa = Authority("Some other CA");
        string caPem = Write("ca.pem", ca.ExportCertificatePem());
        string Tls(string name, X509Certificate2 issuer)
        {
            using var certificate = Signed(name, issuer);
            string cert = Write($"{name}.pem", certificate.ExportCertificatePem());
            string key = Write($"{name}.key", certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            return $"--tls-cert {cert} --tls-key {key} --tls-ca {caPem}";
        }

        await using var cluster = new ClusterUnderTest(redis);
        // Two silos: silo-to-silo traffic is TLS too, both ways authenticated.
        await cluster.StartSiloAsync(Tls("silo-1", ca));
        await cluster.StartSiloAsync(Tls("silo-2", ca));
        string smoke = Path.Combine(CliBinary.RepoRoot, "sweeps", "smoke.yaml");

        var (code, output) = await cluster.RunCliAsync($"submit {smoke} --wait {Tls("client", ca)}");
        Assert.True(code == 0, output);
        Assert.Contains("ranked by calibration_error", output);

        var (plainCode, plain) = await cluster.RunCliAsync("list");
        Assert.Equal(1, plainCode);
        Assert.Contains("TLS", Assert.Single(plain.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:")));
        Assert.DoesNotContain("   at ", plain);

        var (strangerCode, stranger) = await cluster.RunCliAsync($"list {Tls("stranger", strangerCa)}");
        Assert.Equal(1, strangerCode);
        Assert.Contains("refused this client's certificate", Assert.Single(stranger.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:")));
        Assert.DoesNotContain("   at ", stranger);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_read_is_refused_before_anything_starts()
    {
        await using var cluster = new ClusterUnderTest(redis);
        string garbage = Write("garbage.pem", "not a certificate");

        var (code, output) = await cluster.RunCliAsync($"list --tls-cert {garbage}");

        Assert.Equal(2, code);
        Assert.Contains("--tls-cert: could not read the TLS certificate", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Signed(string name, X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        using var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), Guid.NewGuid().ToByteArray()[..8]);
        return certificate.CopyWithPrivateKey(key);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
