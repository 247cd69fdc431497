#!/usr/bin/env bash
# podman with the settings this kind of machine needs: runc and ulimits (containers.conf here),
# chroot isolation for RUN steps and the Docker image format (which keeps HEALTHCHECK).
# Anything already set in the environment wins.
#   deploy/container/podman.sh run --rm -p 127.0.0.1:8000:8000 -v "$PWD/var:/data" videoforge:local
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
export BUILDAH_ISOLATION="${BUILDAH_ISOLATION:-chroot}"
export BUILDAH_FORMAT="${BUILDAH_FORMAT:-docker}"
exec podman "$@"
