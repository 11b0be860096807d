# The LoadCluster collector (one per host). Build from the repository root:
#   docker build -f docker/collector.Dockerfile -t loadcluster-collector .
# To read the host's load rather than the container's, mount the host's /proc read-only and point
# the collector at it: -v /proc:/host/proc:ro -e Collector__ProcPath=/host/proc
# Self-contained and trimmed (the trimmer reports no warnings for it, and warnings fail the
# build), on runtime-deps: no shared runtime needed, about 30 MB of app. Not Native AOT, which the
# project asks for (packaging/deb/build.sh uses it): that needs clang in this build image, and CI
# keeps to one native compile per run.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LoadCluster.Samples/LoadCluster.Samples.csproj src/LoadCluster.Samples/
COPY src/LoadCluster.ServiceDefaults/LoadCluster.ServiceDefaults.csproj src/LoadCluster.ServiceDefaults/
COPY src/LoadCluster.Collector/LoadCluster.Collector.csproj src/LoadCluster.Collector/
# The runtime identifier of the machine building (linux-x64 or linux-arm64), for restore and publish.
# Restore must know about trimming too, or publish silently skips it (the trimmer is a package).
RUN case "$(uname -m)" in x86_64) echo linux-x64 ;; aarch64) echo linux-arm64 ;; *) uname -m; exit 1 ;; esac > /rid \
 && dotnet restore src/LoadCluster.Collector/LoadCluster.Collector.csproj -r "$(cat /rid)" -p:PublishTrimmed=true -p:PublishAot=false
COPY src/LoadCluster.Samples/ src/LoadCluster.Samples/
COPY src/LoadCluster.ServiceDefaults/ src/LoadCluster.ServiceDefaults/
COPY src/LoadCluster.Collector/ src/LoadCluster.Collector/
RUN dotnet publish src/LoadCluster.Collector/LoadCluster.Collector.csproj -c Release --no-restore -o /app \
      -r "$(cat /rid)" --self-contained -p:PublishTrimmed=true -p:PublishAot=false -p:DebugType=none -p:GenerateDocumentationFile=false

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
WORKDIR /app
COPY --from=build /app ./
# The collector has no HTTP port: it rewrites this file after every sample, and the health check
# wants it fresher than 30 s (intervals up to 10 s stay healthy). Its folder is the only one the
# app user may write to.
RUN mkdir -p /run/loadcluster && chown "$APP_UID" /run/loadcluster
ENV Collector__HeartbeatFile=/run/loadcluster/collector.heartbeat
USER $APP_UID
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "f=$Collector__HeartbeatFile; [ -f \"$f\" ] && [ $(( $(date +%s) - $(stat -c %Y \"$f\") )) -lt 30 ]"]
ENTRYPOINT ["./LoadCluster.Collector"]
