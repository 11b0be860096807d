#!/usr/bin/env bash
# The README's run command: installs redis-server and nginx if missing, then starts LoadCluster
# (Redis, one collector, N web replicas, nginx in front). Options: --replicas N (default 3),
# --port P (default 8080). Ctrl+C stops everything. Set ConnectionStrings__redis to use an
# existing Redis instead of starting one.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh redis-server nginx
exec dotnet run --project src/LoadCluster.AppHost -c Release -- "$@"
