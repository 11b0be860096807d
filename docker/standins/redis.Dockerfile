# Stand-in for the official redis:7-bookworm image (see docker/build-base-images.sh).
# Matches what docker-compose.yml relies on: redis-server and redis-cli on PATH, data in /data,
# runs as user redis, CMD redis-server, arguments after the image name passed to redis-server.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y redis-server && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
