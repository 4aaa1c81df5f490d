#!/usr/bin/env bash
# Runs callbackd's whole test suite. Installs the real peers the tests talk to (SIPp,
# tshark, Prometheus) when they are missing, then runs every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v sipp >/dev/null || need+=(sip-tester)
command -v tshark >/dev/null || need+=(tshark)
command -v promtool >/dev/null || need+=(prometheus)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The protocol layer is sans-IO: no async runtime may enter its dependency tree.
if cargo tree -p protocols -e normal --prefix none | grep -qE '^(tokio|actix|mio) '; then
    echo "protocols depends on an I/O runtime:" >&2
    cargo tree -p protocols -e normal -i tokio >&2 || true
    exit 1
fi

cargo test --workspace "$@"
