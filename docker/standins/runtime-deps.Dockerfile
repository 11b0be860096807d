# Stand-in for the official mcr.microsoft.com/dotnet/runtime-deps:10.0 image (see
# docker/build-base-images.sh): what a self-contained .NET app needs from the OS, with the official
# image's user app (UID 1654) and settings. The aspnet stand-in builds on it, as the official one does.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y ca-certificates libssl3 libicu72 tzdata zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --shell /bin/false app
ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
