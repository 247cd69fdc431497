#!/usr/bin/env bash
# Make the Dockerfile's base image locally, for machines that reach no image registry.
#
# A minimal Debian rootfs (debootstrap) with Python, pip and venv, imported into podman under the
# Dockerfile's FROM name. The rootfs is cached as a tarball OUTSIDE the repo and reused when present.
# The machine's own CA certificates (/usr/local/share/ca-certificates) are copied into the base only,
# so that package downloads in the build pass a TLS-intercepting proxy; they never go into the repo.
# This base has Debian's Python, not the official python image's: it proves the Dockerfile's steps
# and the app, not python:3.11-slim itself.
#
#   deploy/container/local-base.sh            # make (or reuse) the base and tag it
#   VIDEOFORGE_BASE_CACHE=/some/dir VIDEOFORGE_BASE_SUITE=bookworm deploy/container/local-base.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

suite="${VIDEOFORGE_BASE_SUITE:-bookworm}"
cache="${VIDEOFORGE_BASE_CACHE:-/var/cache/videoforge}"
tarball="$cache/base-$suite.tar"

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "local-base: $1 is missing; install it: apt-get install podman buildah runc debootstrap netavark" >&2
    exit 2
  }
}
need podman

# The images the Dockerfile builds FROM (not its own stage names), fully qualified as podman names them.
from_images() {
  awk 'toupper($1) == "FROM" { print $2; if (toupper($3) == "AS") print "stage:" $4 }' Dockerfile |
    awk '/^stage:/ { stages[substr($0, 7)] = 1; next } !($0 in stages) && !seen[$0]++' |
    sed -E 's#^([^/]+)$#docker.io/library/\1#; s#^([^./:]+/[^/]+)$#docker.io/\1#'
}

# The Debian mirror this machine uses (deb822 or one-line format), else Debian's own.
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ && !/security/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$uri" ] || uri=$(awk '$1 == "deb" && !/security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

make_tarball() {
  need debootstrap
  local rootfs
  rootfs=$(mktemp -d "${TMPDIR:-/tmp}/videoforge-base.XXXXXX")
  trap 'rm -rf "$rootfs"' RETURN
  echo "local-base: debootstrap $suite from $(debian_mirror) (a few minutes, once)" >&2
  debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates \
    "$suite" "$rootfs" "$(debian_mirror)" >"$rootfs.log" 2>&1 || {
    tail -n 30 "$rootfs.log" >&2
    exit 1
  }
  rm -f "$rootfs.log"
  # Like the official image: pip may install into the system Python, `python` is python3.
  rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
  ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  mkdir -p "$cache"
  tar -C "$rootfs" --numeric-owner -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
}

[ -s "$tarball" ] || make_tarball

mapfile -t images < <(from_images)
missing=()
for image in "${images[@]}"; do
  deploy/container/podman.sh image exists "$image" || missing+=("$image")
done
if [ "${#missing[@]}" -gt 0 ]; then
  id=$(deploy/container/podman.sh import --quiet \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["python3"]' \
    "$tarball")
  for image in "${missing[@]}"; do
    deploy/container/podman.sh tag "$id" "$image"
  done
fi
echo "local-base: ${images[*]} from $tarball"
