#!/usr/bin/env bash
# Builds local stand-ins for the public base images that docker/*.Dockerfile and
# docker-compose.yml name, for machines that can run the Docker engine but reach no container
# registry (our CI). Each stand-in is tagged with the public name, so the real Dockerfiles and
# compose file build and run unchanged. On a machine that can pull, do not run this: pull.
#
#   mcr.microsoft.com/dotnet/sdk:10.0     Debian + this machine's .NET SDK, Node.js and npm
#   mcr.microsoft.com/dotnet/runtime-deps:10.0  Debian + what a self-contained .NET app needs, user app (1654)
#   mcr.microsoft.com/dotnet/aspnet:10.0  runtime-deps + this machine's .NET and ASP.NET Core runtimes
#   redis:7-bookworm                      Debian + redis-server, entrypoint like the official image
#   docker.io/library/redis:8.6           the same stand-in, under the name the AppHost's container mode asks for
#   nginx:1.27-bookworm                   Debian + nginx, conf.d layout and CMD like the official image
#   loadcluster/debian-bookworm-host:local  not a stand-in: a Debian 12 host with systemd as PID 1,
#                                         where the collector's Debian package is installed and run
#
# The Aspire dashboard (profile "dashboard") gets no stand-in: the CI test does not enable it.
#
# Usage: docker/build-base-images.sh [--force] [--redis-only]
#   skips images that already exist unless --force; --redis-only builds just the Redis stand-ins
#   (what scripts/run.sh --redis container needs)
# Debian's rootfs (debootstrap, the slow part) is cached as a tarball in $LOADCLUSTER_CACHE_DIR
# (default /var/cache/loadcluster when writable, else .cache/ in the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

force=0
redis_only=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --redis-only) redis_only=1 ;;
    *) echo "usage: build-base-images.sh [--force] [--redis-only]" >&2; exit 2 ;;
  esac
done

die() { echo "build-base-images: $*" >&2; exit 1; }
command -v docker >/dev/null || die "docker is not installed: apt-get install docker.io"
docker info >/dev/null 2>&1 || die "the Docker engine is not running: start dockerd (as root) and retry"

if [ -n "${LOADCLUSTER_CACHE_DIR:-}" ]; then cache=$LOADCLUSTER_CACHE_DIR
elif mkdir -p /var/cache/loadcluster 2>/dev/null && [ -w /var/cache/loadcluster ]; then cache=/var/cache/loadcluster
else cache="$here/../.cache/base-images"; fi
mkdir -p "$cache"

base=loadcluster/debian-bookworm-minbase:local
have() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

# --- Debian bookworm rootfs, imported as the base of every stand-in --------------------------
if ! have "$base"; then
  tarball="$cache/bookworm-minbase.tar"
  if [ ! -s "$tarball" ]; then
    [ "$(id -u)" = 0 ] || die "debootstrap needs root"
    command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install debootstrap"
    rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
    trap 'rm -rf "$rootfs"' EXIT
    echo "debootstrap --variant=minbase bookworm (once; cached in $tarball)"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
      || die "debootstrap failed, see $cache/debootstrap.log"
    # As in Debian's official image: no services start during apt-get install, no apt caches kept.
    printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"; chmod +x "$rootfs/usr/sbin/policy-rc.d"
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$rootfs/etc/apt/apt.conf.d/90loadcluster"
    cat >"$rootfs/etc/apt/sources.list" <<'SOURCES'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"; trap - EXIT
  fi
  echo "docker import -> $base"
  docker import --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$cache/bookworm-minbase.tar" "$base" >/dev/null
fi

# --- stand-ins ---------------------------------------------------------------------------------
# build TAG DOCKERFILE [CONTEXT]: the base image's name is passed as a build argument.
build() {
  local tag=$1 dockerfile=$2 context=${3:-$here/standins}
  if have "$tag"; then echo "exists: $tag"; return; fi
  local log="$cache/build-$(basename "$dockerfile" .Dockerfile).log"
  echo "building stand-in $tag"
  docker build --network host --build-arg "BASE=$base" -t "$tag" -f "$dockerfile" "$context" >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "building $tag failed, see $log"; }
}

build redis:7-bookworm "$here/standins/redis.Dockerfile"
# Aspire.Hosting.Redis 13.6 runs docker.io/library/redis:8.6; Debian's 7.0 serves what the cluster uses.
have docker.io/library/redis:8.6 || docker tag redis:7-bookworm docker.io/library/redis:8.6
[ "$redis_only" = 1 ] && { echo "redis stand-ins ready"; exit 0; }
build mcr.microsoft.com/dotnet/runtime-deps:10.0 "$here/standins/runtime-deps.Dockerfile"
build nginx:1.27-bookworm "$here/standins/nginx.Dockerfile"
build loadcluster/debian-bookworm-host:local "$here/standins/debian-host.Dockerfile"

# The .NET images carry this machine's SDK and runtimes, copied into a temporary build context.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")") || die "dotnet is not installed"
need_sdk=1; have mcr.microsoft.com/dotnet/sdk:10.0 && need_sdk=0
need_aspnet=1; have mcr.microsoft.com/dotnet/aspnet:10.0 && need_aspnet=0
[ "$need_sdk" = 0 ] && echo "exists: mcr.microsoft.com/dotnet/sdk:10.0"
[ "$need_aspnet" = 0 ] && echo "exists: mcr.microsoft.com/dotnet/aspnet:10.0"
if [ "$need_sdk$need_aspnet" != 00 ]; then
  ctx=$(mktemp -d "$cache/dotnet-context.XXXXXX")
  trap 'rm -rf "$ctx"' EXIT
  mkdir -p "$ctx/dotnet/shared"
  cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$ctx/dotnet/"
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App" "$dotnet_root/shared/Microsoft.AspNetCore.App" "$ctx/dotnet/shared/"
  cp "$here"/standins/*.Dockerfile "$ctx/"
  [ "$need_aspnet" = 1 ] && build mcr.microsoft.com/dotnet/aspnet:10.0 "$ctx/aspnet.Dockerfile" "$ctx"
  if [ "$need_sdk" = 1 ]; then
    cp -a "$dotnet_root/sdk" "$dotnet_root/sdk-manifests" "$dotnet_root/packs" "$ctx/dotnet/"
    node=$(readlink -f "$(command -v node)") || die "node is not installed (the Turbo library's build runs npm ci)"
    npm_root=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")") || die "npm is not installed"
    mkdir -p "$ctx/node" && cp -a "$node" "$ctx/node/node" && cp -a "$npm_root" "$ctx/node/npm"
    mkdir -p "$ctx/certs" && cp -L /etc/ssl/certs/ca-certificates.crt "$ctx/certs/"
    build mcr.microsoft.com/dotnet/sdk:10.0 "$ctx/sdk.Dockerfile" "$ctx"
  fi
  rm -rf "$ctx"; trap - EXIT
fi
echo "base image stand-ins ready"
