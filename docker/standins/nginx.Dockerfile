# Stand-in for the official nginx:1.27-bookworm image (see docker/build-base-images.sh), with
# Debian's nginx. Matches what docker-compose.yml relies on: http{} includes
# /etc/nginx/conf.d/*.conf, logs go to stdout/stderr, CMD nginx -g 'daemon off;', STOPSIGNAL SIGQUIT.
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y nginx && rm -rf /var/lib/apt/lists/* \
 && rm -f /etc/nginx/sites-enabled/default \
 && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
