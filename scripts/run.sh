#!/usr/bin/env bash
# The README's run command: LoadCluster on its Aspire AppHost (Redis, a collector, N web replicas
# behind one port, and the Aspire dashboard at http://127.0.0.1:18888). Options pass through to
# the AppHost: --replicas N (default 3), --port P (default 8080), --redis auto|container|local,
# --simulate N (N synthetic hosts from the fleet simulator; without it the dashboard can start 1,000).
# Ctrl+C (or SIGTERM) stops everything it started.
#
# It first installs what the chosen Redis needs, if missing: redis-server (--redis local, and
# auto, which falls back to it when no container runtime answers); for --redis container, Docker,
# a running engine (started here and left running) and the Redis image (pulled, or a local
# stand-in built where no registry answers). With ConnectionStrings__redis set, nothing is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

redis=auto
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --redis) redis=${args[i + 1]:-} ;;
    --redis=*) redis=${args[i]#--redis=} ;;
  esac
done

if [ -z "${ConnectionStrings__redis:-}" ]; then
  if [ "$redis" = container ]; then
    bash scripts/install-deps.sh docker.io debootstrap ca-certificates
    source scripts/docker-engine.sh
    docker_engine_answers || { docker_engine_start; echo "run.sh: the Docker engine keeps running after LoadCluster stops."; }
    image=docker.io/library/redis:8.6  # what Aspire.Hosting.Redis 13.6 runs
    docker image inspect "$image" >/dev/null 2>&1 || docker pull -q "$image" 2>/dev/null || bash docker/build-base-images.sh --redis-only
  else
    bash scripts/install-deps.sh redis-server
  fi
fi

exec dotnet run --project src/LoadCluster.AppHost -c Release -- "$@"
