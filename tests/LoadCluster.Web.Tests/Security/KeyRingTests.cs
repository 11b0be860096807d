using LoadCluster.Samples;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// The data-protection key ring lies in Redis encrypted to the certificate of
/// <c>LoadCluster__DataProtection__CertificateFile</c>, so a dump or a reader of Redis gets no
/// sign-in; with sign-in on, a replica without one does not start.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class KeyRingTests(SignInCluster cluster)
{
    [Fact]
    public async Task The_key_ring_in_Redis_holds_only_keys_encrypted_to_the_certificate()
    {
        // An anonymous page request starts a sign-in, whose state is protected with the key ring.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = cluster[0].BaseAddress };
        await http.GetAsync(new Uri("/", UriKind.Relative));
        using var admin = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        var keys = await admin.GetDatabase().ListRangeAsync(new RedisNames().DataProtectionKeys);

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            var xml = (string)key!;
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.Contains("X509Certificate", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(null, "is not set, but sign-in is on")]
    [InlineData("not-a-pem", "cannot encrypt the key ring")]
    public async Task With_sign_in_on_a_replica_without_a_usable_certificate_does_not_start_and_says_which_setting(string? file, string problem)
    {
        var path = file is null ? null : Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.pem");
        if (path is not null) await File.WriteAllTextAsync(path, "not a certificate");
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
                cluster.StartReplicaAsync("no-keyring", new Dictionary<string, string?> { ["LoadCluster:DataProtection:CertificateFile"] = path }));
            Assert.Contains("LoadCluster__DataProtection__CertificateFile", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (path is not null) File.Delete(path);
        }
    }
}
