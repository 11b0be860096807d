#!/bin/sh
# Like the official image's entrypoint: flags alone mean redis-server flags; as root, own /data
# and drop to user redis. The official build compiles protected mode off; Debian's binary has it
# on, so it is switched off here (the compose file sets a password instead).
set -e
case "$1" in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
  if [ "$(id -u)" = 0 ]; then
    chown -R redis:redis /data
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
  fi
fi
exec "$@"
