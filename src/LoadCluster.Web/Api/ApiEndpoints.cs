using System.Text.Json.Nodes;
using LoadCluster.Samples;
using LoadCluster.Web.Board;
using LoadCluster.Web.Cluster;
using LoadCluster.Web.Components;
using LoadCluster.Web.Security;
using Microsoft.Extensions.Options;

namespace LoadCluster.Web.Api;

/// <summary>The JSON API: <c>/api/hosts</c>, <c>/api/cluster</c> and the <c>/api/samples/stream</c> event stream.</summary>
internal static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapLoadBoardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api");
        api.MapGet("/hosts", Hosts);
        api.MapGet("/cluster", ClusterAsync);
        api.MapGet("/samples/stream", SampleStream.Open).AsLongLivedConnection();
        return endpoints;
    }

    /// <summary>
    /// Each host's latest sample as this replica knows it:
    /// <c>[{"host":"a","state":"live","receivedAt":1763750000123,"sample":{...sample JSON...}}]</c>.
    /// </summary>
    private static IResult Hosts(HostBoard board)
    {
        var hosts = new JsonArray();
        foreach (var h in board.All(history: 0))
        {
            hosts.Add(new JsonObject
            {
                ["host"] = h.Name,
                ["state"] = HostStates.Name(h.State),
                ["receivedAt"] = h.ReceivedAt.ToUnixTimeMilliseconds(),
                ["sample"] = JsonNode.Parse(SampleJson.Serialize(h.Latest)),
            });
        }
        return Results.Text(hosts.ToJsonString(), "application/json; charset=utf-8");
    }

    /// <summary>Live web replicas and collectors, read from Redis now; <c>self</c> is the replica that answered.</summary>
    private static async Task<IResult> ClusterAsync(ClusterRegistry registry, IOptions<LoadBoardOptions> options, CancellationToken ct)
    {
        var cluster = await registry.ReadAsync(ct);
        return Results.Json(new { self = options.Value.ReplicaId, cluster.Replicas, cluster.Collectors, cluster.ReadAt, cluster.Error },
            statusCode: cluster.Error is null ? 200 : 503);
    }
}
