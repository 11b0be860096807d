using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LoadCluster.Web.Security;

/// <summary>
/// How the data-protection key ring is encrypted at rest in Redis, bound from the section
/// "LoadCluster:DataProtection" (env <c>LoadCluster__DataProtection__CertificateFile</c>). With a
/// certificate each key is stored encrypted to it (ASP.NET Core's certificate XML encryption), so a
/// Redis backup, a dump or a user who may read the key ring gives nobody a sign-in; every replica
/// needs the same certificate and its private key.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "LoadCluster:DataProtection";

    public const string CertificateFileEnv = "LoadCluster__DataProtection__CertificateFile";

    /// <summary>A PEM file holding the certificate and its RSA private key (e.g. <c>cat keyring.crt keyring.key</c>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The certificate read from <see cref="CertificateFile"/> (null when unset or unreadable).</summary>
    internal X509Certificate2? Certificate { get; private set; }

    /// <summary>Why <see cref="CertificateFile"/> could not be used, for the validator.</summary>
    internal string? Problem { get; private set; }

    internal void Load()
    {
        if (string.IsNullOrWhiteSpace(CertificateFile) || Certificate is not null || Problem is not null) return;
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(CertificateFile);
            if (certificate.GetRSAPrivateKey() is null)
            {
                certificate.Dispose();
                Problem = "it holds no RSA private key (key-ring encryption needs an RSA certificate and its key in the same PEM file)";
                return;
            }
            Certificate = certificate;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            Problem = e.Message;
        }
    }
}
