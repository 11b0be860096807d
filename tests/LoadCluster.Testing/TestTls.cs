using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LoadCluster.Testing;

/// <summary>
/// A private CA and a Redis server certificate it signed (for 127.0.0.1 and localhost), and a
/// second CA that signed nothing (the wrong one), as PEM files in a temporary folder.
/// </summary>
public sealed class TestTls : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("loadcluster-tls-");

    public TestTls()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=LoadCluster test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=redis", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());

        using var otherKey = RSA.Create(2048);
        using var other = new CertificateRequest("CN=Some other CA", otherKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(WrongCaFile, other.ExportCertificatePem());
    }

    public string CaFile => Path.Combine(_dir.FullName, "ca.crt");

    public string WrongCaFile => Path.Combine(_dir.FullName, "wrong-ca.crt");

    public string ServerCertificateFile => Path.Combine(_dir.FullName, "redis.crt");

    public string ServerKeyFile => Path.Combine(_dir.FullName, "redis.key");

    public void Dispose() => _dir.Delete(recursive: true);
}
