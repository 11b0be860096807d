# Stand-in for the official mcr.microsoft.com/dotnet/sdk:10.0 image (see
# docker/build-base-images.sh): this machine's .NET SDK on Debian. This machine's Node.js and npm
# are added too, to keep CI builds fast (Debian's npm is 400 packages); docker/web.Dockerfile
# installs them itself when an image lacks them, as the official SDK image does.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y ca-certificates libicu72 libssl3 zlib1g \
 && rm -rf /var/lib/apt/lists/*
COPY node/node /usr/bin/node
COPY node/npm /usr/lib/node_modules/npm
COPY dotnet /usr/share/dotnet
# This machine's CA bundle: it trusts the TLS proxy in front of the package registries, if any.
COPY certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/bin/npx
ENV DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
    NUGET_CERT_REVOCATION_MODE=offline \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
