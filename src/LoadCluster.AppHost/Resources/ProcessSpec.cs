namespace LoadCluster.AppHost.Resources;

/// <summary>How to start one child: executable, arguments, working directory and environment overrides.</summary>
internal sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment);
