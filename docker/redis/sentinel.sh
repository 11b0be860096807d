#!/bin/sh
# A sentinel of LoadCluster's Redis: docker-compose.yml runs three, and so do the Sentinel tests
# (tests/LoadCluster.Testing/TestSentinel.cs), from the same Redis image as the data nodes.
#
# Sentinel keeps what it learns (the current primary, its replicas, the other sentinels) and its
# users in its config file, so the file lives in /data and only its first version is written here,
# from SENTINEL_MONITOR ("host port" of the first primary). Clients ask for the primary by the
# service name "loadcluster" (serviceName=loadcluster). A primary that does not answer for 3 s is
# down once two of the three sentinels agree.
#
# With REDIS_ADMIN_PASSWORD (Redis with ACLs, as docker compose runs it) the sentinel's default user
# is off and its admin user is Redis's admin: the sentinels use it with each other and with the
# data nodes, operators and the enrollment tool with them; enrollment adds each service's own user
# (RedisAcl.SentinelRules). Every other option comes as arguments, given again on each start
# ("$@"), e.g. --port 26379 or the TLS options, and SENTINEL_ANNOUNCE, the name the others reach
# this sentinel by (announce-ip), when it has one.
set -eu
# Started as root (docker compose does): the data directory goes to the redis user, and the rest
# runs as it, as the image's own entrypoint does.
if [ "$(id -u)" = 0 ]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups sh "$0" "$@"
fi
conf=/data/sentinel.conf
if [ ! -f "$conf" ]; then
  {
    echo "sentinel resolve-hostnames yes"
    echo "sentinel announce-hostnames yes"
    echo "sentinel monitor loadcluster ${SENTINEL_MONITOR:?set SENTINEL_MONITOR to the first primary as \"host port\"} 2"
    echo "sentinel down-after-milliseconds loadcluster 3000"
    echo "sentinel failover-timeout loadcluster 10000"
    if [ -n "${REDIS_ADMIN_PASSWORD:-}" ]; then
      echo "user default off"
      echo "user admin on #$(printf '%s' "$REDIS_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1) ~* &* +@all"
      echo "sentinel sentinel-user admin"
      echo "sentinel sentinel-pass \"$REDIS_ADMIN_PASSWORD\""
      echo "sentinel auth-user loadcluster admin"
      echo "sentinel auth-pass loadcluster \"$REDIS_ADMIN_PASSWORD\""
    fi
  } >"$conf"
  chmod 0600 "$conf"
fi
exec redis-server "$conf" --sentinel ${SENTINEL_ANNOUNCE:+--sentinel announce-ip "$SENTINEL_ANNOUNCE"} "$@"
