using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo.Tests.Signing;

public sealed class StreamNameSignerTests
{
    private static HmacStreamNameSigner Signer(string key = TurboTestApp.SigningKey) =>
        new(Options.Create(new TurboOptions { SigningKey = key }), NullLogger<HmacStreamNameSigner>.Instance);

    [Theory]
    [InlineData("hosts")]
    [InlineData("host:web-01.example")]
    [InlineData("ünïcödé stream ✓")]
    public void A_signed_name_verifies_and_yields_the_name(string name)
    {
        var signer = Signer();
        Assert.True(signer.TryVerify(signer.Sign(name), out var verified));
        Assert.Equal(name, verified);
    }

    [Fact]
    public void Every_replica_with_the_same_key_verifies_the_others_names()
    {
        Assert.True(Signer().TryVerify(Signer().Sign("hosts"), out _));
        Assert.Equal(Signer().Sign("hosts"), Signer().Sign("hosts"));
    }

    [Fact]
    public void A_name_signed_with_another_key_is_refused()
    {
        var other = Signer("another-key-another-key-another-key-1234");
        Assert.False(Signer().TryVerify(other.Sign("hosts"), out _));
    }

    [Fact]
    public void Tampered_and_unsigned_names_are_refused()
    {
        var signer = Signer();
        var signed = signer.Sign("host:a");
        var otherSigned = signer.Sign("host:b");
        var mac = signed[(signed.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var forgedName = otherSigned[..otherSigned.IndexOf('.', StringComparison.Ordinal)] + "." + mac; // b's name with a's MAC
        var flipped = signed[..^1] + (signed[^1] == 'A' ? 'B' : 'A');

        foreach (var bad in new[] { forgedName, flipped, "hosts", "", "aG9zdHM", "aG9zdHM.", ".abc", "a.b.c", "!!!.???", signed + "." })
        {
            Assert.False(signer.TryVerify(bad, out var name), bad);
            Assert.Equal("", name);
        }
        Assert.False(signer.TryVerify(null, out _));
    }

    [Fact]
    public void Signing_an_empty_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Signer().Sign(""));
    }
}
