# LoadCluster's enrollment tool (loadcluster-admin), and the first-run script of docker compose
# (init.sh: TLS certificates with openssl, the Redis aclfile's admin user). Build from the repository root:
#   docker build -f docker/admin.Dockerfile -t loadcluster-admin .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LoadCluster.Samples/LoadCluster.Samples.csproj src/LoadCluster.Samples/
COPY src/LoadCluster.Admin/LoadCluster.Admin.csproj src/LoadCluster.Admin/
RUN dotnet restore src/LoadCluster.Admin/LoadCluster.Admin.csproj
COPY src/LoadCluster.Samples/ src/LoadCluster.Samples/
COPY src/LoadCluster.Admin/ src/LoadCluster.Admin/
RUN dotnet publish src/LoadCluster.Admin/LoadCluster.Admin.csproj -c Release --no-restore -o /app \
      -p:DebugType=none -p:GenerateDocumentationFile=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
COPY docker/init.sh /usr/local/bin/loadcluster-init
RUN printf '#!/bin/sh\nexec dotnet /app/loadcluster-admin.dll "$@"\n' > /usr/local/bin/loadcluster-admin \
 && chmod +x /usr/local/bin/loadcluster-admin /usr/local/bin/loadcluster-init \
 && mkdir -p /out/web /out/collector && chown "$APP_UID" /out/web /out/collector
# Enrollment writes each service's environment file into a volume of that service's own, mounted
# here: an empty named volume takes this folder's owner, so the tool needs no root.
USER $APP_UID
ENTRYPOINT ["loadcluster-admin"]
