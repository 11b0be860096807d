#!/usr/bin/env bash
# Runs every LoadCluster test on a fresh machine: installs what is missing, starts a Docker engine
# if none answers and builds the local stand-in images once (Testcontainers' Redis and the compose
# test use them), builds, runs each test project in turn (they start their own containers, Kestrel
# servers, AppHosts and Chromium), stops the engine it started, and prints one summary line:
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# clang and llvm: the collector's Native AOT build (its Debian package); unzip: the Kubernetes manifests' validator.
bash scripts/install-deps.sh redis-server chromium fonts-dejavu-core docker.io docker-compose debootstrap ca-certificates \
  clang llvm unzip || exit 1

source scripts/docker-engine.sh
trap docker_engine_stop EXIT
engine=1
docker_engine_start || { engine=0; echo "test.sh: no Docker engine; the tests that need one fail, each saying so"; }
if [ "$engine" = 1 ]; then
  bash docker/build-base-images.sh || echo "test.sh: stand-in images incomplete; the tests that need them fail, saying so"
fi
# Test containers that exist already belong to someone else; only this run's are checked at the end.
before=$(docker ps -aq --no-trunc --filter label=org.testcontainers=true 2>/dev/null | sort)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build LoadCluster.sln -c Release -nologo -clp:ErrorsOnly || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  echo "=== $name"
  dotnet test "$proj" -c Release --no-build -nologo --logger "trx;LogFileName=$name.trx" \
    --results-directory "$results" --logger "console;verbosity=normal" "$@" || status=1
done

# Sum the counters of every TRX file into the one line CI reads.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${n:-0}))
done
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1  # a project that crashed before reporting

# Fixtures remove their containers (there is no resource reaper here); say so if one did not.
left=$(comm -13 <(echo "$before") <(docker ps -aq --no-trunc --filter label=org.testcontainers=true 2>/dev/null | sort) | tr '\n' ' ')
if [ -n "${left// /}" ]; then
  echo "warning: $(wc -w <<<"$left") test containers were left behind; removing them"
  docker rm -f $left >/dev/null
fi
# Name each failed test and the start of its message here, beside the summary, where a log's tail shows it.
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  awk '/<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); print "[FAIL] " substr($0, RSTART + 10, RLENGTH - 11); failed = 1; shown = 0 }
       failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
       inmsg && shown < 4 { line = $0; sub(/<\/Message>.*/, "", line); print "    " line; shown++ }
       /<\/Message>/ { inmsg = 0; failed = 0 }' "$trx"
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
