using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LoadCluster.Testing;

/// <summary>
/// A certificate and its RSA key in one PEM file, as <c>LoadCluster__DataProtection__CertificateFile</c>
/// wants it: the one every replica of a test cluster encrypts the key ring to. Made once per test run.
/// </summary>
public static class TestKeyRing
{
    private static readonly Lazy<string> Made = new(Make);

    /// <summary>The PEM file's path.</summary>
    public static string CertificateFile => Made.Value;

    /// <summary>Makes another such file (a different certificate), in a folder the caller deletes.</summary>
    public static string Make()
    {
        using var key = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=LoadCluster test key ring", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = Path.Combine(Directory.CreateTempSubdirectory("loadcluster-keyring-").FullName, "keyring.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        return path;
    }
}
