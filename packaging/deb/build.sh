#!/usr/bin/env bash
# Builds the collector's Debian package from this checkout:
#   /usr/bin/loadcluster-collector            the Native AOT executable (no .NET runtime needed)
#   /lib/systemd/system/loadcluster-collector.service   the hardened unit
#   maintainer scripts                         user, /etc/loadcluster, enable + start; stop on remove; purge removes the settings
# The version is the collector project's <Version>.
#
# Usage: packaging/deb/build.sh [--arch amd64|arm64] [--out DIR]
#   --arch  default: this machine's. arm64 on an amd64 machine cross-compiles (Debian's
#           gcc-aarch64-linux-gnu and libc6-dev-arm64-cross; clang links for the target).
#   --out   default: artifacts/packages
# Prints the path of the .deb on its last line. Needs the .NET SDK, clang, llvm (objcopy) and
# dpkg-deb: scripts/install-deps.sh installs them (scripts/test.sh does).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
project=$root/src/LoadCluster.Collector/LoadCluster.Collector.csproj
package=loadcluster-collector

die() { echo "build.sh: $*" >&2; exit 1; }
arch=$(dpkg --print-architecture)
out=$root/artifacts/packages
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch=${2:?--arch needs amd64 or arm64}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    *) die "unknown argument '$1' (usage: build.sh [--arch amd64|arm64] [--out DIR])" ;;
  esac
done
case "$arch" in
  amd64) rid=linux-x64; triple=x86_64-linux-gnu ;;
  arm64) rid=linux-arm64; triple=aarch64-linux-gnu ;;
  *) die "--arch $arch: only amd64 and arm64 are built" ;;
esac
command -v clang >/dev/null || die "clang is missing (Native AOT links with it): bash scripts/install-deps.sh clang llvm"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing: apt-get install dpkg"
if [ "$arch" != "$(dpkg --print-architecture)" ] && [ ! -d "/usr/$triple/lib" ]; then
  die "cross-compiling for $arch needs its C library: bash scripts/install-deps.sh gcc-${triple%%-*}-linux-gnu libc6-dev-$arch-cross"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
version=$(dotnet msbuild "$project" -nologo -getProperty:Version)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || die "the collector project's Version '$version' is not a version"

publish=$root/artifacts/collector/$rid
echo "publishing the collector $version for $rid (Native AOT)" >&2
dotnet publish "$project" -c Release -r "$rid" -o "$publish" -nologo -clp:ErrorsOnly >&2
binary=$publish/LoadCluster.Collector
[ -x "$binary" ] || die "the publish made no $binary"

stage=$(mktemp -d)
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT
install -D -m 0755 "$binary" "$stage/usr/bin/$package"
install -D -m 0644 "$here/$package.service" "$stage/lib/systemd/system/$package.service"
install -D -m 0644 "$here/README.md" "$stage/usr/share/doc/$package/README.md"
install -D -m 0644 "$here/copyright" "$stage/usr/share/doc/$package/copyright"
install -d "$stage/DEBIAN"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$stage/DEBIAN/"

# The newest glibc symbol version the executable links against is the libc6 it needs.
glibc=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: $package
Version: $version
Architecture: $arch
Maintainer: LoadCluster maintainers <loadcluster@example.org>
Section: admin
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: libc6 (>= $glibc), libssl3 | libssl1.1, passwd
Description: LoadCluster collector: this host's load, live on the cluster's board
 Reads /proc every interval (1 s by default) and publishes the host's load,
 CPU and memory to the LoadCluster Redis, where every web replica of the
 board picks it up. A single native executable run by a sandboxed systemd
 service; its settings are the host's enrollment output, written to
 /etc/loadcluster/collector.env.
CONTROL
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"

mkdir -p "$out"
deb=$out/${package}_${version}_${arch}.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
echo "$deb"
