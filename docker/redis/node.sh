#!/bin/sh
# A Redis data node of LoadCluster's Sentinel setup: docker-compose.yml runs it, and so do the
# Sentinel tests (tests/LoadCluster.Testing/TestSentinel.cs).
#
# Its config file lives in /data, beside the data: Sentinel rewrites it (CONFIG REWRITE) whenever it
# changes the node's role, so a node that restarts comes back as what it last was (the primary, or
# a replica of the current primary), not as what it was at first. Only the first version is written
# here, from REDIS_REPLICA_OF ("host port" of the first primary) on the node that starts as a
# replica. Every other option comes as arguments, given again on each start ("$@"), and
# REDIS_ANNOUNCE, the name the others reach this node by (replica-announce-ip), when it has one.
set -eu
conf=/data/redis.conf
if [ ! -f "$conf" ]; then
  if [ -n "${REDIS_REPLICA_OF:-}" ]; then echo "replicaof $REDIS_REPLICA_OF" >"$conf"; else : >"$conf"; fi
fi
exec redis-server "$conf" ${REDIS_ANNOUNCE:+--replica-announce-ip "$REDIS_ANNOUNCE"} "$@"
