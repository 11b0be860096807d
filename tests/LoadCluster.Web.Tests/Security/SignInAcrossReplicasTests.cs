using System.Net;
using LoadCluster.Turbo;
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
    public async Task A_push_to_a_signed_in_user_reaches_their_page_connections_on_both_replicas_and_no_one_else()
    {
        using var alice = await SignedInAsync(TestOidcProvider.Alice);
        using var bob = await SignedInAsync(TestOidcProvider.Bob);
        await using var aliceOn1 = await ConnectAsync(0, alice);
        await using var aliceOn2 = await ConnectAsync(1, alice);
        await using var bobOn1 = await ConnectAsync(0, bob);
        var push = cluster[1].Services.GetRequiredService<ITurboPush>();
        await TurboSocketClient.SettleAsync(probe => push.ToAllAsync(probe), aliceOn1, aliceOn2, bobOn1);

        await push.ToUsersAsync(TestOidcProvider.Alice.Subject, Message("to-alice"));
        // Fences on each user's own channel: the backplane keeps order per channel only.
        await push.ToUsersAsync([TestOidcProvider.Alice.Subject, TestOidcProvider.Bob.Subject], Fence);

        Assert.Equal([Message("to-alice"), Fence], await aliceOn1.ReadUntilAsync(m => m == Fence, Patience));
        Assert.Equal([Message("to-alice"), Fence], await aliceOn2.ReadUntilAsync(m => m == Fence, Patience));
        Assert.Equal([Fence], await bobOn1.ReadUntilAsync(m => m == Fence, Patience));
    }

    [Fact]
    public async Task Signing_out_closes_that_sign_ins_connections_on_every_replica_and_ends_the_providers_session()
    {
        using var alice = await SignedInAsync(TestOidcProvider.Alice);
        using var bob = await SignedInAsync(TestOidcProvider.Bob);
        await using var aliceOn1 = await ConnectAsync(0, alice);
        await using var aliceOn2 = await ConnectAsync(1, alice);
        await using var bobOn2 = await ConnectAsync(1, bob);
        await using var aliceEvents = await OpenEventStreamAsync(1, alice);
        var push = cluster[0].Services.GetRequiredService<ITurboPush>();
        await TurboSocketClient.SettleAsync(probe => push.ToAllAsync(probe), aliceOn1, aliceOn2, bobOn2);
        var signOutsBefore = cluster.Provider.SignOuts;

        var signedOut = await alice.SignOutAsync(cluster[0].BaseAddress);

        Assert.Equal(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.Equal("/auth/signed-out", alice.Hops[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(signOutsBefore + 1, cluster.Provider.SignOuts);
        await aliceOn1.Closed.WaitAsync(Patience);
        await aliceOn2.Closed.WaitAsync(Patience);
        await aliceEvents.Closed.WaitAsync(Patience);
        await push.ToUsersAsync(TestOidcProvider.Bob.Subject, Message("bob-still-here"));
        await push.ToUsersAsync(TestOidcProvider.Bob.Subject, Fence);
        Assert.Equal([Message("bob-still-here"), Fence], await bobOn2.ReadUntilAsync(m => m == Fence, Patience));
        Assert.Equal(HttpStatusCode.Found, (await GetPageAsync(cluster[1], alice.AuthCookieHeader(cluster[1].BaseAddress))).StatusCode);
    }

    private async Task<SignInClient> SignedInAsync(TestOidcUser user)
    {
        var client = new SignInClient();
        var page = await client.OpenAsync(new Uri(cluster[0].BaseAddress, "/"), user);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return client;
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private const string Fence = "<turbo-stream action=\"remove\" target=\"fence\"></turbo-stream>";

    private static string Message(string marker) => $"<turbo-stream action=\"update\" target=\"t\"><template>{marker}</template></turbo-stream>";

    /// <summary>A page's own connection (the one that gets user pushes), signed in with the user's cookie.</summary>
    private Task<TurboSocketClient> ConnectAsync(int replica, SignInClient user) =>
        TurboSocketClient.ConnectAsync(cluster[replica].Endpoint, null, options => options.SetRequestHeader("Cookie", user.AuthCookieHeader(cluster[replica].BaseAddress)), $"page on replica {replica + 1}");

    private static async Task<HttpResponseMessage> GetPageAsync(WebApp replica, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html");
        if (cookie.Length > 0) request.Headers.Add("Cookie", cookie);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = replica.BaseAddress };
        return await noRedirects.SendAsync(request);
    }

    /// <summary>The overview's signed stream over Server-Sent Events, as the signed-in user.</summary>
    private async Task<EventStreamClient> OpenEventStreamAsync(int replica, SignInClient user)
    {
        var cookie = user.AuthCookieHeader(cluster[replica].BaseAddress);
        var page = await (await GetPageAsync(cluster[replica], cookie)).Content.ReadAsStringAsync();
        var signed = SignedStreamNames.FirstIn(page) ?? "";
        var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = cluster[replica].BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var events = await EventStreamClient.OpenAsync(http, $"/turbo-stream?stream={Uri.EscapeDataString(signed)}", request => request.Headers.Add("Cookie", cookie));
        Assert.Equal(HttpStatusCode.OK, events.StatusCode);
        await events.ConnectedAsync(Patience);
        return events;
    }
}
