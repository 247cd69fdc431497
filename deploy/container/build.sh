#!/usr/bin/env bash
# Build the repo's Dockerfile, unchanged, with podman on a machine that reaches no image registry:
# make (or reuse) the local base under the Dockerfile's FROM name, then build and print the size.
#   deploy/container/build.sh [TAG]          # TAG defaults to videoforge:local
set -euo pipefail
cd "$(dirname "$0")/../.."
tag="${1:-videoforge:local}"

deploy/container/local-base.sh
deploy/container/podman.sh build --pull=never --tag "$tag" .
deploy/container/podman.sh image inspect --format "{{.Size}}" "$tag" |
  awk -v tag="$tag" '{ printf "%s: %.0f MB\n", tag, $1 / 1e6 }'
