using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo;

/// <summary>
/// HMAC-SHA256 signer. Wire format (every replica must agree, never change silently):
/// <c>base64url(utf8(name)) + "." + base64url(HMACSHA256(key, "turbo-stream-name:" + utf8(name)))</c>,
/// no padding. '.' is not in the base64url alphabet, so the split is unambiguous. The domain
/// prefix keeps these MACs from being valid for any other use of the same key.
/// </summary>
internal sealed partial class HmacStreamNameSigner : ITurboStreamNameSigner
{
    private const int MaxSignedLength = 4096;
    private static readonly byte[] Domain = "turbo-stream-name:"u8.ToArray();
    private readonly byte[] _key;

    // A random key only in Development: the validator refuses a missing key elsewhere.
    public HmacStreamNameSigner(IOptions<TurboOptions> options, ILogger<HmacStreamNameSigner> logger) =>
        _key = string.IsNullOrEmpty(options.Value.SigningKey) ? RandomKey(logger) : Encoding.UTF8.GetBytes(options.Value.SigningKey);

    public string Sign(string streamName)
    {
        TurboPush.CheckStreamName(streamName, nameof(streamName));
        var name = Encoding.UTF8.GetBytes(streamName);
        return Base64Url.EncodeToString(name) + "." + Base64Url.EncodeToString(Mac(name));
    }

    public bool TryVerify(string? signed, out string streamName)
    {
        streamName = "";
        if (string.IsNullOrEmpty(signed) || signed.Length > MaxSignedLength) return false;
        var dot = signed.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != signed.LastIndexOf('.')) return false;
        byte[] name, mac;
        try { (name, mac) = (Base64Url.DecodeFromChars(signed.AsSpan(0, dot)), Base64Url.DecodeFromChars(signed.AsSpan(dot + 1))); }
        catch (FormatException) { return false; }
        if (name.Length == 0 || !CryptographicOperations.FixedTimeEquals(mac, Mac(name))) return false;
        streamName = Encoding.UTF8.GetString(name);
        return true;
    }

    private byte[] Mac(byte[] name) => HMACSHA256.HashData(_key, (byte[])[.. Domain, .. name]);

    private static byte[] RandomKey(ILogger logger)
    {
        LogRandomKey(logger);
        return RandomNumberGenerator.GetBytes(32);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Turbo:SigningKey is not set: using a random key for this process (Development only). Signed stream names will not verify on other replicas or after a restart; set Turbo__SigningKey to share one.")]
    private static partial void LogRandomKey(ILogger logger);
}
