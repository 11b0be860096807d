#!/usr/bin/env bash
# The Docker engine the tests need (Testcontainers' Redis, the compose test, the AppHost's
# container mode). Meant to be sourced:
#
#   source scripts/docker-engine.sh
#   docker_engine_start      # starts dockerd (as root) unless an engine answers; fails with the reason
#   docker_engine_stop       # stops the dockerd started above, if any (its containers stop with it)
#
# dockerd is tried with its default storage driver, then with vfs (overlay is not available in
# every sandbox). Its log goes to $LOADCLUSTER_CACHE_DIR or /tmp.

_docker_engine_pid=""
_docker_engine_log=""

docker_engine_answers() { docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; }

docker_engine_start() {
  command -v docker >/dev/null || { echo "docker-engine: the docker CLI is not installed: apt-get install docker.io" >&2; return 1; }
  docker_engine_answers && return 0
  command -v dockerd >/dev/null || { echo "docker-engine: no Docker engine answers and dockerd is not installed: apt-get install docker.io" >&2; return 1; }
  [ "$(id -u)" = 0 ] || { echo "docker-engine: no Docker engine answers and only root can start dockerd: start it (sudo dockerd &) and run again" >&2; return 1; }
  _docker_engine_log=$(mktemp "${TMPDIR:-/tmp}/loadcluster-dockerd.XXXXXX.log")
  local driver
  for driver in "" "--storage-driver=vfs"; do
    # shellcheck disable=SC2086 # an empty driver adds no argument
    dockerd $driver >"$_docker_engine_log" 2>&1 &
    _docker_engine_pid=$!
    local i
    for i in $(seq 1 120); do
      docker_engine_answers && { echo "docker-engine: started dockerd ${driver:-(default storage driver)} (pid $_docker_engine_pid)"; return 0; }
      kill -0 "$_docker_engine_pid" 2>/dev/null || break
      sleep 0.5
    done
    docker_engine_stop keep-log
  done
  echo "docker-engine: dockerd did not start (default storage driver, then vfs); last lines of its log:" >&2
  tail -n 15 "$_docker_engine_log" >&2
  return 1
}

docker_engine_stop() {
  [ -n "$_docker_engine_pid" ] || return 0
  if kill -0 "$_docker_engine_pid" 2>/dev/null; then
    kill -TERM "$_docker_engine_pid"
    local i
    for i in $(seq 1 120); do kill -0 "$_docker_engine_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$_docker_engine_pid" 2>/dev/null || true
  fi
  wait "$_docker_engine_pid" 2>/dev/null || true
  _docker_engine_pid=""
  [ "${1:-}" = keep-log ] || rm -f "$_docker_engine_log"
}
