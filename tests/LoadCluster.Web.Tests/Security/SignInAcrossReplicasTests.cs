using System.Net;
using LoadCluster.Turbo;
using LoadCluster.Web.Tests.Backplane;
using LoadCluster.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LoadCluster.Web.Tests.Security;

/// <summary>
/// Two replicas over one Redis with sign-in on: a sign-in made through one is good on the other
/// (the data-protection keys are shared), the signed-in person is the Turbo user on both, and
/// signing out closes that sign-in's connections on both.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class SignInAcrossReplicasTests(SignInCluster cluster)
{
    [Fact]
    public async Task A_cookie_issued_by_one_replica_is_accepted_by_the_other_and_not_by_a_cluster_with_other_keys()
    {
        using var alice = new SignInClient();
        await alice.OpenAsync(new Uri(cluster[0].BaseAddress, "/"), TestOidcProvider.Alice);
        var cookie = alice.AuthCookieHeader(cluster[0].BaseAddress);
        await using var otherCluster = await cluster.StartReplicaAsync("other-cluster", new Dictionary<string, string?> { ["LoadCluster:Prefix"] = "othercluster" });

        var onReplica2 = await GetPageAsync(cluster[1], cookie);
        var onOtherCluster = await GetPageAsync(otherCluster, cookie);

        Assert.Equal(HttpStatusCode.OK, onReplica2.StatusCode);
        Assert.Contains("Alice Example", await onReplica2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, onOtherCluster.StatusCode);
        Assert.StartsWith(cluster.Provider.Authority.ToString(), onOtherCluster.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_to_a_signed_in_user_reaches_their_tabs_on_both_replicas_and_no_one_else()
    {
        using var alice = await SignedInAsync(TestOidcProvider.Alice);
        using var bob = await SignedInAsync(TestOidcProvider.Bob);
        await using var aliceOn1 = await ConnectAsync(0, alice);
        await using var aliceOn2 = await ConnectAsync(1, alice);
        await using var bobOn1 = await ConnectAsync(0, bob);

        await cluster[1].Services.GetRequiredService<ITurboPush>().ToUsersAsync(TestOidcProvider.Alice.Subject, Deliveries.Message("to-alice"));

        Assert.Equal(1, await Deliveries.CopiesAsync(aliceOn1, "to-alice"));
        Assert.Equal(1, await Deliveries.CopiesAsync(aliceOn2, "to-alice"));
        Assert.True(await Deliveries.NoneAsync(bobOn1, "to-alice"));
    }

    [Fact]
    public async Task Signing_out_closes_that_sign_ins_connections_on_every_replica_and_ends_the_providers_session()
    {
        using var alice = await SignedInAsync(TestOidcProvider.Alice);
        using var bob = await SignedInAsync(TestOidcProvider.Bob);
        await using var aliceOn1 = await ConnectAsync(0, alice);
        await using var aliceOn2 = await ConnectAsync(1, alice);
        await using var bobOn2 = await ConnectAsync(1, bob);
        using var aliceEvents = await OpenEventStreamAsync(1, alice);
        var signOutsBefore = cluster.Provider.SignOuts;

        var signedOut = await alice.SignOutAsync(cluster[0].BaseAddress);

        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Equal("/auth/signed-out", alice.Hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(signOutsBefore + 1, cluster.Provider.SignOuts);
        await aliceOn1.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        await aliceOn2.Closed.WaitAsync(TimeSpan.FromSeconds(20));
        await ReadToEndAsync(aliceEvents).WaitAsync(TimeSpan.FromSeconds(20));
        await cluster[0].Services.GetRequiredService<ITurboPush>().ToUsersAsync(TestOidcProvider.Bob.Subject, Deliveries.Message("bob-still-here"));
        Assert.Equal(1, await Deliveries.CopiesAsync(bobOn2, "bob-still-here"));
        Assert.Equal(HttpStatusCode.Found, (await GetPageAsync(cluster[1], alice.AuthCookieHeader(cluster[1].BaseAddress))).StatusCode);
    }

    private async Task<SignInClient> SignedInAsync(TestOidcUser user)
    {
        var client = new SignInClient();
        var page = await client.OpenAsync(new Uri(cluster[0].BaseAddress, "/"), user);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return client;
    }

    private async Task<SignalRJsonClient> ConnectAsync(int replica, SignInClient user)
    {
        var client = await SignalRJsonClient.ConnectAsync(cluster[replica].Hub, options => options.SetRequestHeader("Cookie", user.AuthCookieHeader(cluster[replica].BaseAddress)));
        await Replicas.SettleAsync(client, cluster[replica]);
        return client;
    }

    private static async Task<HttpResponseMessage> GetPageAsync(WebApp replica, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html");
        if (cookie.Length > 0) request.Headers.Add("Cookie", cookie);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = replica.BaseAddress };
        return await noRedirects.SendAsync(request);
    }

    /// <summary>Turbo's event-stream transport on the overview's signed stream, as the signed-in user.</summary>
    private async Task<HttpResponseMessage> OpenEventStreamAsync(int replica, SignInClient user)
    {
        var page = await (await GetPageAsync(cluster[replica], user.AuthCookieHeader(cluster[replica].BaseAddress))).Content.ReadAsStringAsync();
        var signed = SignedStreamNames.FirstIn(page) ?? "";
        var request = new HttpRequestMessage(HttpMethod.Get, $"/turbo-stream/events?stream={Uri.EscapeDataString(signed)}");
        request.Headers.Add("Cookie", user.AuthCookieHeader(cluster[replica].BaseAddress));
        var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = cluster[replica].BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task ReadToEndAsync(HttpResponseMessage events)
    {
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        try
        {
            while (await reader.ReadLineAsync() is not null) { }
        }
        catch (IOException)
        {
            // The server aborted the stream: that is the close we wait for.
        }
        catch (HttpRequestException)
        {
        }
    }

}
