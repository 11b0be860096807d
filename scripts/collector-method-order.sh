#!/usr/bin/env bash
# Rewrites src/LoadCluster.Collector/MethodOrder.txt: the managed methods the collector runs from
# start through its first minutes of samples (first-calls.py traces them), which the native build
# places side by side at the front of the code (IlcOrderFile; README, "Footprint"). Run it when
# the collector's code or packages change, then publish and check the footprint benchmark.
#
# Usage: scripts/collector-method-order.sh [SECONDS]   (default 330: past the 5-minute rollup point)
# Needs what packaging/deb/build.sh needs, plus python3 and redis-server.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-330}
order=$root/src/LoadCluster.Collector/MethodOrder.txt
publish=$root/artifacts/collector/linux-x64
command -v redis-server >/dev/null || { echo "collector-method-order: redis-server is missing: bash scripts/install-deps.sh redis-server" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish "$root/src/LoadCluster.Collector/LoadCluster.Collector.csproj" -c Release -r linux-x64 -o "$publish" -nologo -clp:ErrorsOnly >&2

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null &
redis=$!
trap 'kill $redis' EXIT
sleep 0.5

# As the benchmark runs it: the shortest interval, so a few minutes hold thousands of samples.
calls=$(mktemp)
env -i PATH="$PATH" ConnectionStrings__redis="127.0.0.1:$port" Collector__Host=method-order \
  Collector__Interval=00:00:00.1 OTEL_EXPORTER_OTLP_ENDPOINT= \
  python3 "$root/scripts/first-calls.py" "$seconds" "$publish/LoadCluster.Collector" --env-file /dev/null >"$calls"
# Sorted, so a new trace changes only the lines of methods that came or went.
LC_ALL=C sort -u "$calls" >"$order"
rm -f "$calls"
echo "collector-method-order: $(wc -l <"$order") methods in $order" >&2
