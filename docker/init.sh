#!/bin/sh
# First run of docker compose (service "init", as root): makes what Redis needs before it starts,
# once, into the volumes; later runs find it there and change nothing.
#   /redis-tls  the cluster's private CA and Redis's TLS certificate and key, one for every Redis
#               node and sentinel (only they mount it)
#   /ca         the CA certificate every service trusts (LoadCluster__Redis__CaFile)
#   /keyring    the certificate the web replicas encrypt the data-protection key ring to
#   /data-a, /data-b  each data node's aclfile: the default user off, the admin user
#               (REDIS_ADMIN_PASSWORD); enrollment adds the rest (the sentinels make theirs themselves)
set -eu
: "${REDIS_ADMIN_PASSWORD:?set REDIS_ADMIN_PASSWORD in .env (see .env.example)}"
days=825

names=DNS:redis-a,DNS:redis-b,DNS:sentinel-1,DNS:sentinel-2,DNS:sentinel-3,DNS:localhost,IP:127.0.0.1
if [ ! -s /redis-tls/ca.crt ]; then
  echo "init: making a private CA"
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=LoadCluster compose CA" \
    -keyout /redis-tls/ca.key -out /redis-tls/ca.crt 2>/dev/null
fi
# Made again when it does not name every node and sentinel (one made before Sentinel named only "redis").
if [ ! -s /redis-tls/redis.crt ] || ! openssl x509 -in /redis-tls/redis.crt -noout -ext subjectAltName 2>/dev/null | grep -q 'DNS:sentinel-3'; then
  echo "init: making Redis's certificate (valid $days days; $names)"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=redis" -keyout /redis-tls/redis.key -out /redis-tls/redis.csr 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$names" > /redis-tls/redis.ext
  openssl x509 -req -in /redis-tls/redis.csr -CA /redis-tls/ca.crt -CAkey /redis-tls/ca.key -CAcreateserial \
    -days "$days" -extfile /redis-tls/redis.ext -out /redis-tls/redis.crt 2>/dev/null
  rm -f /redis-tls/redis.csr /redis-tls/redis.ext
  # Redis runs as its own user (its uid differs between images): the key is readable in this
  # volume, which only the Redis containers mount; the CA's key stays root's.
  chmod 0644 /redis-tls/redis.key /redis-tls/redis.crt /redis-tls/ca.crt
  chmod 0600 /redis-tls/ca.key
fi
cp /redis-tls/ca.crt /ca/ca.crt && chmod 0644 /ca/ca.crt

if [ ! -s /keyring/keyring.pem ]; then
  echo "init: making the key ring's certificate"
  openssl req -x509 -newkey rsa:3072 -nodes -days 3650 -subj "/CN=LoadCluster key ring" \
    -keyout /keyring/key.pem -out /keyring/cert.pem 2>/dev/null
  cat /keyring/cert.pem /keyring/key.pem > /keyring/keyring.pem && rm /keyring/cert.pem /keyring/key.pem
  # The web replicas run as the .NET images' app user.
  chown "${APP_UID:-1654}" /keyring/keyring.pem && chmod 0400 /keyring/keyring.pem
fi

for data in /data-a /data-b; do
  if [ ! -s "$data/users.acl" ]; then
    echo "init: Redis users of $data: default off, admin"
    hash=$(printf '%s' "$REDIS_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)
    printf 'user default off\nuser admin on #%s ~* &* +@all\n' "$hash" > "$data/users.acl"
  fi
done
echo "init: done"
