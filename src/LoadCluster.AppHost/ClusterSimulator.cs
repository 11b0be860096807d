using System.Globalization;

namespace LoadCluster.AppHost;

/// <summary>
/// The fleet simulator (bench/LoadCluster.FleetSimulator) as the resource "simulator": synthetic
/// hosts publishing into the cluster's Redis as collectors do, so the board is seen at fleet size
/// without leaving the dashboard. With <c>--simulate N</c> it starts with the cluster and runs N
/// hosts; without, it is off and the dashboard's Start command on its row runs 1,000 (Stop stops it).
/// </summary>
internal static class ClusterSimulator
{
    public const string Name = "simulator";

    public static void AddClusterSimulator(this IDistributedApplicationBuilder builder, ClusterArguments cluster, IResourceBuilder<IResourceWithConnectionString> redis)
    {
        var simulator = builder.AddProject<Projects.LoadCluster_FleetSimulator>(Name)
            .WithoutHttpsCertificate()
            .WithReference(redis).WaitFor(redis)
            .WithArgs("--hosts", (cluster.Simulate ?? ClusterArguments.DefaultSimulatedHosts).ToString(CultureInfo.InvariantCulture));
        if (cluster.Simulate is null) simulator.WithExplicitStart();
    }
}
