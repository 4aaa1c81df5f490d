#!/usr/bin/env python3
"""Draws docs/dashboard.png: the Grafana dashboard's time-series panels, as a real
Prometheus answered their queries while a live node ran one callback and refused one
trigger.

The data comes from the test `tests/prometheus_live.rs`, which runs the node, SIPp and
Prometheus and, with CALLBACKD_DASHBOARD_DUMP set, writes every dashboard query's range
result to a JSON file. Without an argument this script runs that test itself; with one it
plots an existing dump:

    python3 docs/plot_dashboard.py               # runs the test, then plots
    python3 docs/plot_dashboard.py dump.json     # plots dump.json

Needs matplotlib (pip install matplotlib).
"""

import json
import math
import os
import re
import subprocess
import sys
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "docs", "dashboard.png")
# Panel types drawn as lines; stats and heatmaps are left out.
DRAWN = {"timeseries", "state-timeline"}
UNITS = {"reqps": "per second", "pps": "packets/s", "s": "seconds", "percentunit": "ratio"}


def run_test():
    dump = os.path.join(tempfile.mkdtemp(), "dashboard.json")
    env = dict(os.environ, CALLBACKD_DASHBOARD_DUMP=dump)
    subprocess.run(
        ["cargo", "test", "--test", "prometheus_live", "--", "--nocapture"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return dump


def legend(template, labels):
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template or "")
    return text.strip() or ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def draw(ax, panel, start):
    """Draws a panel's series; those at 0 throughout are counted, not drawn, unless
    nothing else is there."""
    lines = []
    for target in panel["targets"]:
        for series in target["result"] or []:
            xs = [float(t) - start for t, _ in series["values"]]
            ys = [float(v) for _, v in series["values"]]
            if all(math.isnan(y) for y in ys):
                continue
            labels = {k: v for k, v in series["metric"].items() if k != "job"}
            lines.append((xs, ys, legend(target["legend"], labels)))
    moving = [line for line in lines if any(y != 0 for y in line[1])]
    zeros = len(lines) - len(moving)
    drawn = moving or lines
    for xs, ys, label in drawn:
        ax.plot(xs, ys, ".-", label=label, linewidth=1.2, markersize=3)
    ax.set_title(panel["title"], fontsize=9)
    ax.set_ylabel(UNITS.get(panel.get("unit"), ""), fontsize=7)
    ax.tick_params(labelsize=7)
    ax.grid(alpha=0.3)
    if drawn:
        title = f"+{zeros} series at 0, not drawn" if moving and zeros else None
        ax.legend(fontsize=6, loc="upper left", ncol=2 if len(drawn) > 4 else 1,
                  title=title, title_fontsize=6)
    else:
        ax.text(0.5, 0.5, "no observations in this run", ha="center", va="center",
                transform=ax.transAxes, fontsize=8, color="grey")


def main():
    dump = sys.argv[1] if len(sys.argv) > 1 else run_test()
    with open(dump) as f:
        data = json.load(f)
    with open(os.path.join(ROOT, "deploy", "grafana", "callbackd.json")) as f:
        kinds = {p.get("title"): p.get("type") for p in json.load(f)["panels"]}
    panels = [p for p in data["panels"] if kinds.get(p["title"]) in DRAWN]
    cols = 3
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(15, 3.1 * rows), squeeze=False, sharex=True)
    for ax, panel in zip(axes.flat, panels):
        draw(ax, panel, data["calls_started"])
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    axes[0][0].set_xlim(data["start"] - data["calls_started"], data["end"] - data["calls_started"])
    for ax in axes[-1]:
        ax.set_xlabel("seconds since the trigger call", fontsize=7)
        ax.tick_params(labelbottom=True)
    fig.suptitle(
        "callbackd metrics from a live node, plotted from Prometheus queries of the Grafana "
        "dashboard\none callback bridged to extension 102 and one trigger refused (unknown "
        "CLI); scrape every 1 s, $__rate_interval = 4s, $trunk and $instance = All",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    fig.savefig(OUT, dpi=90)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
