#!/usr/bin/env bash
# One whole callback against a node running deploy/examples/demo.toml on loopback:
#   1. the mobile (+48601111222) calls the trigger number; the node rings, then rejects;
#   2. 5 s later the node calls the mobile back; SIPp answers and dials 102;
#   3. the node calls extension 102 on the PBX trunk; SIPp answers and talks;
#   4. the mobile hangs up after 10 s; the CDR is printed.
# Needs SIPp (Debian package sip-tester) and root for RTP pcap playback.
#
#   cargo run --release -- run --config deploy/examples/demo.toml &
#   deploy/sipp/callback-demo.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
node=${NODE:-127.0.0.1:5060}
db=${CDR_DB:-$root/var/cdr.sqlite}
bin=${CALLBACKD:-$root/target/release/callbackd}
[ -x "$bin" ] || bin=$root/target/debug/callbackd
command -v sipp >/dev/null || { echo "sipp not found: apt-get install sip-tester" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
ln -s /usr/share/sip-tester "$work/pcap"
cd "$work"

echo "== the far end (extension 102) waits on 127.0.0.1:5080"
sipp -sf "$here/far-end.xml" -i 127.0.0.1 -p 5080 -mp 17000 -m 1 -aa -trace_err -timeout 90s \
    > far-end.out 2>&1 &
echo "== the mobile waits for the callback on 127.0.0.1:5070"
sipp -sf "$here/mobile.xml" -i 127.0.0.1 -p 5070 -mp 16000 -m 1 -aa -trace_err -timeout 60s \
    > mobile.out 2>&1 &
mobile=$!
sleep 0.5
echo "== the mobile calls the trigger number (it rings twice, then busy)"
sipp "$node" -sf "$here/trigger.xml" -s 48225551000 -key mobile +48601111222 \
    -i 127.0.0.1 -p 5072 -m 1 -timeout 20s -trace_err > trigger.out 2>&1 \
    || { echo "the trigger call failed:"; cat trigger.out; exit 1; }
echo "== waiting for the callback, the dialling and the call"
wait "$mobile" || { echo "the mobile's call failed:"; tail -n 30 mobile.out; cat ./*errors.log 2>/dev/null; exit 1; }
sleep 1
echo "== CDR"
"$bin" cdr --db "$db" --format json | tail -n 1
