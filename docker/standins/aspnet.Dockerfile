# Stand-in for the official mcr.microsoft.com/dotnet/aspnet:10.0 image (see
# docker/build-base-images.sh): this machine's .NET and ASP.NET Core runtimes on the runtime-deps
# stand-in (user app, UID 1654, APP_UID and port settings come from there).
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
COPY dotnet/dotnet /usr/share/dotnet/dotnet
COPY dotnet/host /usr/share/dotnet/host
COPY dotnet/shared /usr/share/dotnet/shared
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
