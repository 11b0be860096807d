using LoadCluster.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LoadCluster.ServiceDefaults.Tests;

/// <summary>A TLS setting that cannot work stops start-up with a message naming it and the fix.</summary>
public sealed class RedisSettingsTests
{
    private static Exception? Add(string redis, string? caFile)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            [RedisExtensions.CaFileSetting] = caFile,
        });
        return Record.Exception(() => builder.AddClusterRedis("redis", "loadcluster:"));
    }

    [Fact]
    public void A_CA_file_without_ssl_names_both_settings()
    {
        using var tls = new TestTls();
        var error = Add("127.0.0.1:6379,user=u,password=p", tls.CaFile);
        Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("LoadCluster__Redis__CaFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("ssl=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CA_file_that_is_not_a_certificate_is_named()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            var error = Add("127.0.0.1:6379,ssl=true", path);
            Assert.IsType<InvalidOperationException>(error);
            Assert.Contains($"LoadCluster__Redis__CaFile) '{path}' is not a readable CA certificate", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_readable_CA_with_ssl_is_taken()
    {
        using var tls = new TestTls();
        Assert.Null(Add("127.0.0.1:6379,ssl=true", tls.CaFile));
    }
}
