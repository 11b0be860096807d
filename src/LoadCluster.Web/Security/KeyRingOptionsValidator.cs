using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Security;

/// <summary>
/// Refuses a key ring that would be stored in the clear while sign-in is on (outside Development),
/// and a certificate that cannot be used, naming the setting and how to make one.
/// </summary>
internal sealed class KeyRingOptionsValidator(IOptions<AuthOptions> auth, IHostEnvironment environment) : IValidateOptions<KeyRingOptions>
{
    private const string HowToMake =
        "make one with: openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj /CN=loadcluster-keyring -keyout k.pem -out c.pem && cat c.pem k.pem > keyring.pem";

    public ValidateOptionsResult Validate(string? name, KeyRingOptions options)
    {
        options.Load();
        if (options.Problem is not null)
            return ValidateOptionsResult.Fail($"{KeyRingOptions.CertificateFileEnv} '{options.CertificateFile}' cannot encrypt the key ring: {options.Problem}. Point it at a PEM file with the certificate and its RSA private key; {HowToMake}.");
        if (options.Certificate is null && auth.Value.IsOidc && !environment.IsDevelopment())
            return ValidateOptionsResult.Fail($"{KeyRingOptions.CertificateFileEnv} is not set, but sign-in is on: the data-protection keys that sign every session would lie in Redis unencrypted. " +
                $"Set it to a PEM file with a certificate and its RSA private key, the same on every replica; {HowToMake}.");
        return ValidateOptionsResult.Success;
    }
}
