#!/usr/bin/env bash
# Installs redis-server (Debian package) for the response-cache tests, which start their own redis-server process on a
# free loopback port. Nothing here starts a system service. Skipped when redis-server is already on PATH.
# Used by .ci/run before `dotnet test`, and by the tests' Redis fixture on a machine that lacks it.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo -n"
  else
    echo "install-redis.sh: redis-server is missing and this user cannot install packages (not root, no sudo)." >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
$sudo apt-get install -y --no-install-recommends redis-server
command -v redis-server >/dev/null 2>&1
