using LoadCluster.Turbo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LoadCluster.Turbo.Tests.Signing;

public sealed class SigningKeyStartupTests
{
    [Fact]
    public async Task Outside_Development_the_app_refuses_to_start_without_a_key_and_names_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TurboTestApp.StartAsync(environment: "Production", withSigningKey: false));
        Assert.Contains("Turbo:SigningKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo__SigningKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_key_is_refused_in_every_environment()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TurboTestApp.StartAsync(environment: "Development", withSigningKey: false, settings: new Dictionary<string, string?> { ["Turbo:SigningKey"] = "short" }));
        Assert.Contains("Turbo:SigningKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_routes_and_origins_are_refused_with_the_setting_named()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TurboTestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Turbo:Route"] = "turbo-stream",
            ["Turbo:AllowedOrigins:0"] = "example.com/path",
        }));
        Assert.Contains("Turbo:Route", error.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_positive_time_spans_and_caps_are_refused_with_the_setting_named()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TurboTestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Turbo:Heartbeat"] = "00:00:00",
            ["Turbo:SlowClientTimeout"] = "-00:00:01",
            ["Turbo:SlowClientQueueBytes"] = "1000",
            ["Turbo:CdnBaseUrl"] = "not a url",
        }));
        Assert.Contains("Turbo:Heartbeat", error.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo:SlowClientTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo:SlowClientQueueBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("Turbo:CdnBaseUrl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_Development_a_missing_key_falls_back_to_a_random_one()
    {
        await using var app = await TurboTestApp.StartAsync(environment: "Development", withSigningKey: false);
        var signer = app.Services.GetRequiredService<ITurboStreamNameSigner>();
        Assert.True(signer.TryVerify(signer.Sign("hosts"), out _));
    }

    [Fact]
    public async Task Outside_Development_a_configured_key_is_used()
    {
        await using var app = await TurboTestApp.StartAsync(environment: "Production");
        Assert.True(app.Signer.TryVerify(app.Signer.Sign("hosts"), out _));
    }
}
