#!/usr/bin/env bash
# Installs the system packages dyadwatch builds against, when missing (Debian/Ubuntu).
# Safe to run repeatedly: it does nothing when everything is present.
set -euo pipefail

need=()
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
have_pc libxml-2.0 || need+=(libxml2-dev)
have_pc libcurl || need+=(libcurl4-openssl-dev)
have_pc sqlite3 || need+=(libsqlite3-dev)
have_pc zlib || need+=(zlib1g-dev)
command -v python3 >/dev/null 2>&1 || need+=(python3)

if [ ${#need[@]} -gt 0 ]; then
    echo "bootstrap: installing ${need[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "bootstrap: the Swift toolchain (6.0 or later) is required; see https://www.swift.org/install/linux/" >&2
    exit 1
fi
