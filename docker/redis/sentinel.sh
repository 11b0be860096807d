#!/bin/sh
# A sentinel of LoadCluster's Redis: docker-compose.yml runs three, and so do the Sentinel tests
# (tests/LoadCluster.Testing/TestSentinel.cs), from the same Redis image as the data nodes.
#
# Sentinel keeps what it learns (the current primary, its replicas, the other sentinels) in its
# config file, so the file lives in /data and only its first version is written here, from
# SENTINEL_MONITOR ("host port" of the first primary). Clients ask for the primary by the service
# name "loadcluster" (serviceName=loadcluster). A primary that does not answer for 3 s is down
# once two of the three sentinels agree. Every other option comes as arguments, given again on
# each start ("$@"), e.g. --port 26379 --sentinel auth-pass loadcluster PASSWORD, and
# SENTINEL_ANNOUNCE, the name the others reach this sentinel by (announce-ip), when it has one.
set -eu
conf=/data/sentinel.conf
if [ ! -f "$conf" ]; then
  cat >"$conf" <<CONF
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel monitor loadcluster ${SENTINEL_MONITOR:?set SENTINEL_MONITOR to the first primary as "host port"} 2
sentinel down-after-milliseconds loadcluster 3000
sentinel failover-timeout loadcluster 10000
CONF
fi
exec redis-server "$conf" --sentinel ${SENTINEL_ANNOUNCE:+--sentinel announce-ip "$SENTINEL_ANNOUNCE"} "$@"
