# A clean Debian 12 host as the collector's Debian package meets it (the package test installs it
# here): systemd as PID 1, so the unit really runs, sandbox and all; libssl3 and CA certificates,
# as any Debian install has. Not a stand-in for a public image: tagged loadcluster/debian-bookworm-host:local.
ARG BASE
FROM ${BASE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd systemd-sysv libssl3 ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
# The base forbids starting services during installs, as images do; a host does not, and the
# package's postinst starts its service.
 && rm -f /usr/sbin/policy-rc.d
STOPSIGNAL SIGRTMIN+3
CMD ["/sbin/init"]
