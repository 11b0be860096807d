# Stand-in for the official mcr.microsoft.com/dotnet/aspnet:10.0 image (see
# docker/build-base-images.sh): this machine's .NET and ASP.NET Core runtimes on Debian, with the
# official image's user app (UID 1654), APP_UID and port settings.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y ca-certificates libssl3 libicu72 tzdata zlib1g \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --shell /bin/false app
COPY dotnet/dotnet /usr/share/dotnet/dotnet
COPY dotnet/host /usr/share/dotnet/host
COPY dotnet/shared /usr/share/dotnet/shared
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
