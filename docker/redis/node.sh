#!/bin/sh
# A Redis data node of LoadCluster's Sentinel setup: docker-compose.yml runs it, and so do the
# Sentinel tests (tests/LoadCluster.Testing/TestSentinel.cs).
#
# Its config file lives in /data, beside the data: Sentinel rewrites it (CONFIG REWRITE) whenever it
# changes the node's role, so a node that restarts comes back as what it last was (the primary, or
# a replica of the current primary), not as what it was at first. Only the first version is written
# here: from REDIS_REPLICA_OF ("host port" of the first primary) on the node that starts as a
# replica, and with REDIS_ADMIN_PASSWORD (Redis with ACLs) the user a replica signs in to its
# primary with, Redis's admin (any node may become either). Every other option comes as
# arguments, given again on each start ("$@"), e.g. --aclfile or the TLS options, and
# REDIS_ANNOUNCE, the name the others reach this node by (replica-announce-ip), when it has one.
set -eu
# Started as root (docker compose does): the data directory goes to the redis user, and the rest
# runs as it, as the image's own entrypoint does.
if [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups sh "$0" "$@"
fi
conf=/data/redis.conf
if [ ! -f "$conf" ]; then
  {
    if [ -n "${REDIS_REPLICA_OF:-}" ]; then echo "replicaof $REDIS_REPLICA_OF"; fi
    if [ -n "${REDIS_ADMIN_PASSWORD:-}" ]; then echo "masteruser admin"; echo "masterauth \"$REDIS_ADMIN_PASSWORD\""; fi
  } >"$conf"
  chmod 0600 "$conf"
fi
exec redis-server "$conf" ${REDIS_ANNOUNCE:+--replica-announce-ip "$REDIS_ANNOUNCE"} "$@"
