#!/usr/bin/env bash
# Load test of the callback on loopback: SIPp sends trigger calls at a set rate to a node
# started here on deploy/sipp/load/node.toml; a SIPp UAS answers the callbacks and dials
# 102 with SIP INFO; a second SIPp UAS answers as extension 102, stays bridged, and hangs
# up. Prints the three SIPp instances' successful/failed calls, the node's CPU time, RSS
# and the timer metrics from its /metrics, then stops everything.
#
#   deploy/sipp/load.sh [-r RATE] [-t SECONDS] [-h HOLD_MS] [-d DELAY]
#
#   -r  trigger calls per second (default 50)
#   -t  seconds of triggers; the run then waits for the calls in progress (default 30)
#   -h  how long each callback stays bridged, in ms (default 2000)
#   -d  the callback delay, [callback].delay (default 200ms); with a long delay, e.g.
#       -d 120s, the callbacks pile up waiting and the run reports RSS per waiting session
#
# Needs SIPp (Debian package sip-tester), curl, and root (the far end plays speech from
# a pcap, at most 7 s: keep -h below 7000); every run is bounded by -t plus the
# calls' own timers and stops by itself. Loopback only. KEEP=1 keeps the working
# directory (node log, CDRs, SIPp statistics); SIPP_EXTRA adds options to every SIPp
# (e.g. SIPP_EXTRA=-trace_msg).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${CALLBACKD:-$root/target/release/callbackd}
rate=50 seconds=30 hold=2000 delay=200ms
while getopts "r:t:h:d:" opt; do
    case $opt in
        r) rate=$OPTARG ;;
        t) seconds=$OPTARG ;;
        h) hold=$OPTARG ;;
        d) delay=$OPTARG ;;
        *) sed -n '2,/^set /{/^#/p}' "$0"; exit 2 ;;
    esac
done
for tool in sipp curl; do
    command -v $tool >/dev/null || { echo "$tool not found (apt-get install sip-tester curl)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "no $bin: cargo build --release" >&2; exit 1; }

calls=$((rate * seconds))
work=$(mktemp -d /tmp/callbackd-load.XXXXXX)
node_pid=
cleanup() {
    for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
    if [ -n "$node_pid" ]; then # SIGTERM: the node drains calls for up to 30 s
        kill "$node_pid" 2>/dev/null || true
        for _ in $(seq 1 35); do kill -0 "$node_pid" 2>/dev/null || break; sleep 1; done
        kill -9 "$node_pid" 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
ln -s /usr/share/sip-tester pcap

# One registered mobile per trigger call, so no trigger is taken for a repeat.
{
    sed -e "s|@CDR@|$work/cdr.sqlite|" -e "s|@DELAY@|$delay|" "$here/load/node.toml"
    echo "SEQUENTIAL" > mobiles.csv
    for i in $(seq 1 "$calls"); do
        printf '+4860%07d\n' "$i" >> mobiles.csv
        printf '\n[[user]]\nextension = "%d"\nclass = "load"\n  [[user.mobile]]\n  number = "+4860%07d"\n' \
            $((10000 + i)) "$i"
    done
} > node.toml

metric() { # metric NAME [LABEL-FILTER]: the sum of NAME's samples matching the filter
    curl -s --max-time 5 http://127.0.0.1:19464/metrics | awk -v m="$1" -v f="${2:-}" \
        '$1 ~ "^"m"([{]|$)" && index($1, f) { s += $2 } END { printf "%g", s }'
}
proc_stat() { # user+system CPU seconds and RSS KiB of the node
    local ticks rss
    ticks=$(awk '{ print $14 + $15 }' "/proc/$node_pid/stat")
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$node_pid/status")
    echo "$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }') $rss"
}

"$bin" run --config node.toml > node.log 2>&1 &
node_pid=$!
for _ in $(seq 1 100); do
    curl -sf --max-time 1 http://127.0.0.1:19464/readyz >/dev/null 2>&1 && break
    sleep 0.1
done
curl -sf --max-time 1 http://127.0.0.1:19464/readyz >/dev/null || { echo "the node did not start:"; tail node.log; exit 1; }
read -r cpu0 rss0 < <(proc_stat)

# The delay in seconds, for the SIPp timeouts.
delay_s=$(awk -v d="$delay" 'BEGIN { n = d + 0; if (d ~ /ms$/) n /= 1000; else if (d ~ /m$/) n *= 60; printf "%d", n + 1 }')
budget=$((seconds + delay_s + hold / 1000 + 30))

sipp -sf "$here/load/far-end.xml" -i 127.0.0.1 -p 15080 -mp 15110 -d "$hold" \
    -m "$calls" -timeout "${budget}s" -trace_stat -stf far.csv -fd 5 -trace_err ${SIPP_EXTRA:-} \
    -nostdin > far.out 2>&1 &
far_pid=$!
sipp -sf "$here/load/mobile.xml" -i 127.0.0.1 -p 15070 -mp 15100 -rtp_echo \
    -m "$calls" -timeout "${budget}s" -trace_stat -stf mobile.csv -fd 5 -trace_err ${SIPP_EXTRA:-} \
    -nostdin > mobile.out 2>&1 &
mobile_pid=$!
sleep 0.5
echo "== $calls triggers at $rate/s for ${seconds}s; callback delay $delay; bridged ${hold} ms each"
sipp 127.0.0.1:15060 -sf "$here/load/trigger.xml" -s 48225551000 -inf mobiles.csv \
    -i 127.0.0.1 -p 15072 -mp 15120 -r "$rate" -m "$calls" -l $((rate * 5 + 100)) \
    -timeout "$((seconds + 30))s" -trace_stat -stf trigger.csv -fd 5 -trace_err ${SIPP_EXTRA:-} \
    -nostdin > trigger.out 2>&1 || true

# A long delay: the sessions wait now; measure them before any callback goes out.
if [ "$delay_s" -gt 10 ]; then
    read -r _ rss1 < <(proc_stat)
    waiting=$(metric callbackd_sessions_active)
    echo "== waiting callbacks: $waiting sessions; RSS ${rss0} KiB before, ${rss1} KiB now:" \
        "$(awk -v a="$rss0" -v b="$rss1" -v n="$waiting" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1024 / n; else print "-" }') bytes each"
fi

# The callbacks finish; both UAS SIPps exit after -m calls or at their -timeout.
peak_rss=0 peak_bridged=0
deadline=$((SECONDS + budget))
while [ $SECONDS -lt $deadline ] && { kill -0 "$mobile_pid" 2>/dev/null || kill -0 "$far_pid" 2>/dev/null; }; do
    read -r _ rss < <(proc_stat)
    [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
    bridged=$(metric callbackd_sessions_active 'state="bridged"')
    [ "${bridged%.*}" -gt "$peak_bridged" ] && peak_bridged=${bridged%.*} && bridged_rss=$rss
    sleep 1
done
read -r cpu2 rss2 < <(proc_stat)

stats() { # the last statistics line of a SIPp -trace_stat CSV: successful and failed calls
    awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { ok = $col["SuccessfulCall(C)"]; ko = $col["FailedCall(C)"] }
        END { printf "%s successful, %s failed", ok, ko }' "$1"
}
echo "== SIPp"
for s in trigger mobile far; do
    printf '%-8s %s\n' "$s" "$([ -s "$s.csv" ] && stats "$s.csv" || echo "no statistics")"
done
echo "== node"
cpu=$(awk -v a="$cpu0" -v b="$cpu2" 'BEGIN { printf "%.2f", b - a }')
echo "CPU ${cpu} s for $calls callbacks: $(awk -v c="$cpu" -v n="$calls" 'BEGIN { printf "%.2f", c * 1000 / n }') ms per callback"
echo "RSS ${rss0} KiB idle, ${peak_rss} KiB peak, ${rss2} KiB at the end"
echo "sessions by outcome:"
curl -s --max-time 5 http://127.0.0.1:19464/metrics | grep -E '^callbackd_(sessions_total|triggers_total)' | sed 's/^/  /'
echo "RSS with the most calls bridged ($peak_bridged): ${bridged_rss:-0} KiB:" \
    "$(awk -v a="$rss0" -v b="${bridged_rss:-0}" -v n="$peak_bridged" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1024 / n; else print "-" }') bytes per bridged call"
echo "timers: count, mean, p99 (the upper bound of the bucket holding the 99th percentile):"
curl -s --max-time 5 http://127.0.0.1:19464/metrics | awk '
    /^callbackd_(timer_lateness|reject|callback_delay)_seconds_(bucket|sum|count)/ {
        name = $1; sub(/_(bucket|sum|count).*/, "", name)
        labels = $1; le = ""
        if (match(labels, /le="[^"]*"/)) { le = substr(labels, RSTART + 4, RLENGTH - 5) }
        gsub(/le="[^"]*",?/, "", labels); sub(/^[^{]*/, "", labels); sub(/,}$/, "}", labels)
        if (labels == "{}") labels = ""
        key = name labels; seen[key] = 1
        if ($1 ~ /_bucket/) { n[key]++; le_[key, n[key]] = le; cum[key, n[key]] = $2 }
        else if ($1 ~ /_sum/) sum[key] = $2
        else count[key] = $2
    }
    END {
        for (k in seen) {
            if (count[k] == 0) continue
            p99 = "?"
            for (i = 1; i <= n[k]; i++) if (cum[k, i] >= 0.99 * count[k]) { p99 = le_[k, i]; break }
            printf "  %-60s %8d  mean %9.3f ms  p99 <= %s s\n", k, count[k], 1000 * sum[k] / count[k], p99
        }
    }' | sort
