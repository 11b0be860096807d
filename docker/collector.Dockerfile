# The LoadCluster collector (one per host). Build from the repository root:
#   docker build -f docker/collector.Dockerfile -t loadcluster-collector .
# To read the host's load rather than the container's, mount the host's /proc read-only and point
# the collector at it: -v /proc:/host/proc:ro -e Collector__ProcPath=/host/proc
# Framework-dependent on the ASP.NET image, which the web image shares, so the two cost one
# runtime layer; not trimmed, as StackExchange.Redis 1.2.6 and OpenTelemetry use reflection.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LoadCluster.Samples/LoadCluster.Samples.csproj src/LoadCluster.Samples/
COPY src/LoadCluster.ServiceDefaults/LoadCluster.ServiceDefaults.csproj src/LoadCluster.ServiceDefaults/
COPY src/LoadCluster.Collector/LoadCluster.Collector.csproj src/LoadCluster.Collector/
RUN dotnet restore src/LoadCluster.Collector/LoadCluster.Collector.csproj
COPY src/LoadCluster.Samples/ src/LoadCluster.Samples/
COPY src/LoadCluster.ServiceDefaults/ src/LoadCluster.ServiceDefaults/
COPY src/LoadCluster.Collector/ src/LoadCluster.Collector/
RUN dotnet publish src/LoadCluster.Collector/LoadCluster.Collector.csproj -c Release --no-restore -o /app \
      -p:DebugType=none -p:GenerateDocumentationFile=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The collector has no HTTP port: it touches this file after every sample it takes, and the
# health check wants it fresher than 30 s (intervals up to 10 s stay healthy).
ENV Collector__HeartbeatFile=/tmp/collector.heartbeat
USER $APP_UID
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "f=$Collector__HeartbeatFile; [ -f \"$f\" ] && [ $(( $(date +%s) - $(stat -c %Y \"$f\") )) -lt 30 ]"]
ENTRYPOINT ["dotnet", "LoadCluster.Collector.dll"]
