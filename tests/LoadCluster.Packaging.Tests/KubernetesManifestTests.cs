namespace LoadCluster.Packaging.Tests;

/// <summary>
/// deploy/kubernetes rendered by kubectl kustomize and validated offline (deploy/kubernetes/validate.sh):
/// the Kubernetes and Gateway API schemas, and no field the API does not know.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string Deploy = Path.Combine(Checkout.Root, "deploy", "kubernetes");

    [Fact]
    public async Task Every_overlay_renders_and_every_object_is_valid()
    {
        var result = (await ValidateAsync()).Check();
        foreach (var kind in new[] { "Namespace", "DaemonSet/loadcluster-collector", "Deployment/loadcluster-web", "Service/loadcluster-web",
                     "PodDisruptionBudget/loadcluster-web", "Ingress/loadcluster-web", "HTTPRoute/loadcluster-web" })
            Assert.Contains($": {kind}", result.Output, StringComparison.Ordinal);
        Assert.Contains("7 objects valid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_the_api_does_not_know_and_a_value_its_schema_refuses_fail_the_validation()
    {
        var copy = Directory.CreateTempSubdirectory("loadcluster-manifests-");
        try
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Deploy, "base")))
            {
                var text = await File.ReadAllTextAsync(file);
                await File.WriteAllTextAsync(Path.Combine(copy.FullName, Path.GetFileName(file)), text
                    .Replace("readOnlyRootFilesystem: true", "readonlyRootFilesystem: true", StringComparison.Ordinal)
                    .Replace("request: 0s", "request: forever", StringComparison.Ordinal));
            }
            var result = await ValidateAsync(copy.FullName);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("'\"readonlyRootFilesystem\"' does not exist in type 'ISecurityContext'", result.Output, StringComparison.Ordinal);
            Assert.Contains("HTTPRoute/loadcluster-web: data/spec/rules/0/timeouts/request must match pattern", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_collector_reads_the_nodes_proc_read_only_under_the_nodes_name_and_the_web_is_probed_and_drained()
    {
        await ValidateAsync(); // unpacks kubectl
        var kubectl = Path.Combine(Deploy, "validate", "node_modules", ".kubectl", "kubectl", "kubectl");
        var yaml = (await CommandLine.RunAsync(kubectl, ["kustomize", Path.Combine(Deploy, "overlays", "example")], TimeSpan.FromMinutes(1))).Check().Output;
        Assert.Contains("- mountPath: /host/proc\n          name: proc\n          readOnly: true", yaml, StringComparison.Ordinal);
        Assert.Contains("- name: Collector__Host\n          valueFrom:\n            fieldRef:\n              fieldPath: spec.nodeName", yaml, StringComparison.Ordinal);
        Assert.Contains("readinessProbe:\n          failureThreshold: 2\n          httpGet:\n            path: /health", yaml, StringComparison.Ordinal);
        Assert.Contains("livenessProbe:\n          failureThreshold: 3\n          httpGet:\n            path: /alive", yaml, StringComparison.Ordinal);
        Assert.Contains("preStop:\n            exec:\n              command:\n              - sleep", yaml, StringComparison.Ordinal);
        Assert.Contains("nginx.ingress.kubernetes.io/proxy-read-timeout: \"3600\"", yaml, StringComparison.Ordinal);
        Assert.Contains("timeouts:\n      backendRequest: 0s\n      request: 0s", yaml, StringComparison.Ordinal);
        Assert.Contains("image: registry.example.com/loadcluster/collector:0.1.0", yaml, StringComparison.Ordinal);
    }

    private static Task<CommandResult> ValidateAsync(params string[] dirs) =>
        CommandLine.RunAsync("bash", [Path.Combine(Deploy, "validate.sh"), .. dirs], TimeSpan.FromMinutes(5));
}
