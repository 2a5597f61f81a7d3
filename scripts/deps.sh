#!/usr/bin/env bash
# Installs what `make run` (deps.sh run) or `make test` (deps.sh test) needs on a Debian machine,
# and only what is missing. Safe to run again; runs apt-get only when something is absent.
set -euo pipefail
mode=${1:-run}

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

have go || { [ -x /usr/local/go/bin/go ] || { echo "deps: Go 1.26+ is required (expected at /usr/local/go); see https://go.dev/dl" >&2; exit 1; }; }
have git || need_apt+=(git)
have gcc || need_apt+=(gcc)
# Image optimization (internal/imaging/vips) links libvips through cgo: the build of every mode needs
# its headers and pkg-config, found the same way the go tool finds them.
have pkg-config || need_apt+=(pkg-config)
{ have pkg-config && pkg-config --exists vips; } || need_apt+=(libvips-dev)
if [ "$mode" = test ] || [ "$mode" = bench ]; then
  have curl || need_apt+=(curl)
  have aws || need_apt+=(awscli)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "deps: installing ${need_apt[*]} with apt-get"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ "$mode" = test ]; then
  # The end-to-end tests drive the real aws CLI; say which one so a failure is easy to place.
  echo "deps: $(aws --version 2>&1 | head -n1); $(curl --version | head -n1 | cut -d' ' -f1-2); libvips $(pkg-config --modversion vips)"
fi
