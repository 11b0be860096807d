# The LoadCluster web app (pages, fragments, the Turbo hub). Build from the repository root:
#   docker build -f docker/web.Dockerfile -t loadcluster-web .
# Framework-dependent, not trimmed: Razor components, SignalR and the JSON hub protocol rely on
# reflection that trimming would break. Size comes from the shared ASP.NET layer and no symbols.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# The Turbo library's build copies Turbo and the SignalR client from pinned npm packages; the
# official SDK image has no Node.js.
RUN command -v npm >/dev/null || { apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*; }
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LoadCluster.Samples/LoadCluster.Samples.csproj src/LoadCluster.Samples/
COPY src/LoadCluster.ServiceDefaults/LoadCluster.ServiceDefaults.csproj src/LoadCluster.ServiceDefaults/
COPY src/LoadCluster.Turbo/LoadCluster.Turbo.csproj src/LoadCluster.Turbo/package.json src/LoadCluster.Turbo/package-lock.json src/LoadCluster.Turbo/
COPY src/LoadCluster.Web/LoadCluster.Web.csproj src/LoadCluster.Web/
# Restore (NuGet and npm) in their own layers, so a code change does not download them again.
RUN dotnet restore src/LoadCluster.Web/LoadCluster.Web.csproj
RUN cd src/LoadCluster.Turbo && npm ci --no-audit --no-fund
COPY src/LoadCluster.Samples/ src/LoadCluster.Samples/
COPY src/LoadCluster.ServiceDefaults/ src/LoadCluster.ServiceDefaults/
COPY src/LoadCluster.Turbo/ src/LoadCluster.Turbo/
COPY src/LoadCluster.Web/ src/LoadCluster.Web/
RUN dotnet publish src/LoadCluster.Web/LoadCluster.Web.csproj -c Release --no-restore -o /app \
      -p:DebugType=none -p:GenerateDocumentationFile=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER $APP_UID
# /health is ready: the process serves and Redis answers. The image has no curl: bash opens the
# socket itself.
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "LoadCluster.Web.dll"]
