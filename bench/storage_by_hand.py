#!/usr/bin/env python3
"""Storage half of bench/probe-vs-hand.sh: the tool's fio runs and the same runs by hand, interleaved.

Each round runs the tool once (A), then replays by hand (B) exactly the command lines the tool
recorded for its fio figures: the same `docker run` lines (same image, CPU, mounts, security
options; only the run id in names and labels is ours), the same mkdir, the same uncounted warm-up
and the same measured fio line, as many repetitions as the tool made and in the same order (every
path once per repetition). A B A B ... so that the shared disk's slow swings hit both alike.

Usage: storage_by_hand.py ROUNDS OUTDIR -- TOOL-COMMAND...   (the tool prints its report as JSON)
Prints a table: per path and metric the median of the tool's figures over the rounds, the median
of the by-hand figures (each round's median of its repetitions, as the tool computes it), the
difference, the median of the rounds' own differences (tool against the hand run right after it),
and the spread (max-min over median) of the tool's figures, of the by-hand round medians and of
the single by-hand runs: where identical by-hand runs spread more than 10%, that spread, not the
tool, limits the agreement.
"""
import json
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import time

FIO_METRICS = {  # metric -> fio job and how to read it
    "randread-iops": ("randread", lambda j: j["read"]["iops"]),
    "randwrite-iops": ("randwrite", lambda j: j["write"]["iops"]),
    "seqread-mbps": ("seqread", lambda j: j["read"]["bw_bytes"] / 1e6),
    "seqwrite-mbps": ("seqwrite", lambda j: j["write"]["bw_bytes"] / 1e6),
}


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while n:
        s, n = digits[n % 36] + s, n // 36
    return s or "0"


def run_id():
    """Like a probe run's id (start time, our pid), so a concurrent probe's sweep sees a live run."""
    return f"{base36(int(time.time()))}-{os.getpid()}"


def sh(line, check=True):
    return subprocess.run(shlex.split(line), capture_output=True, text=True, check=check)


class HandRun:
    """One replay of a tool run's recorded commands under our own run id; removes all it made."""

    def __init__(self, report):
        self.tool_id = report["runId"]
        self.id = run_id()
        self.labels = f"--label io.virtwise.probe={self.id} --label io.virtwise.probe.host={socket.gethostname()}"
        self.dirs = []
        # per path: the lines before the measured one (setup, mkdir, warm-up) and the measured fio line
        self.paths = {}
        self.reps = 0
        for r in report["results"]:
            if r["metric"] in FIO_METRICS:
                lines = [c.replace(self.tool_id, self.id) for c in r["commands"]]
                self.paths[r["path"]] = (lines[:-1], lines[-1])
                self.reps = max(self.reps, r["repetitions"])

    def set_up(self):
        """The tool's order: every container, then every mkdir, then every warm-up."""
        done = set()
        for phase in ("docker run ", "mkdir -p", "--name=warm-up"):
            for before, _ in self.paths.values():
                for line in before:
                    if phase in line and line not in done:
                        done.add(line)
                        if line.startswith("docker run "):
                            self.make_mount_sources(line)
                        sh(line)

    def make_mount_sources(self, run_line):
        """What the tool makes before `docker run`: its host directories and its labelled volume."""
        for source in re.findall(r"-v (\S+?):", run_line):
            if source.startswith("/"):
                os.makedirs(source, exist_ok=True)
                self.dirs.append(source)
            else:
                sh(f"docker volume create {self.labels} {source}")

    def measure(self):
        """values[(path, metric)] = one figure per repetition, every path once per repetition."""
        values = {}
        for _ in range(self.reps):
            for path, (_, line) in self.paths.items():
                out = sh(line).stdout
                jobs = {j["jobname"]: j for j in json.loads(out[out.index("{"):])["jobs"]}
                for metric, (job, read) in FIO_METRICS.items():
                    if job in jobs:
                        values.setdefault((path, metric), []).append(read(jobs[job]))
        return values

    def clean_up(self):
        label = f"label=io.virtwise.probe={self.id}"
        for kind in ("container", "volume"):
            listed = sh(f"docker {kind} ls -q --filter {label}" + (" -a" if kind == "container" else ""), check=False)
            names = listed.stdout.split()
            if names:
                sh(f"docker {kind} rm -f " + " ".join(names), check=False)
        for d in self.dirs:
            subprocess.run(["rm", "-rf", d], check=False)


SETTLE_SECONDS = 15


def settle():
    """The same start for both sides: each follows the other's cleanup (1 GiB of fio files and, after
    the tool, a 256 MiB copy-up image deleted on a disk mounted with discard), whose writeback and
    discards would otherwise land in the first by-hand runs only; the tool's JVM start gave it a pause."""
    subprocess.run(["sync"], check=False)
    time.sleep(SETTLE_SECONDS)


def spread(values):
    return (max(values) - min(values)) / statistics.median(values) * 100


def main():
    rounds, outdir, tool = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    tool_figures, hand_rounds, hand_runs = {}, {}, {}
    for i in range(1, rounds + 1):
        settle()
        print(f"== round {i}/{rounds}: the tool", file=sys.stderr)
        report_file = os.path.join(outdir, f"tool-storage-{i}.json")
        with open(report_file, "w") as f:
            subprocess.run(tool, stdout=f, check=True)
        with open(report_file) as f:
            report = json.load(f)
        for r in report["results"]:
            if r["metric"] in FIO_METRICS:
                tool_figures.setdefault((r["path"], r["metric"]), []).append(r["median"])
        settle()
        print(f"== round {i}/{rounds}: the same commands by hand", file=sys.stderr)
        hand = HandRun(report)
        try:
            hand.set_up()
            for key, values in hand.measure().items():
                hand_rounds.setdefault(key, []).append(statistics.median(values))
                hand_runs.setdefault(key, []).extend(values)
        finally:
            hand.clean_up()
    with open(os.path.join(outdir, "storage-figures.json"), "w") as f:
        json.dump({"tool": {" ".join(k): v for k, v in tool_figures.items()},
                   "hand-rounds": {" ".join(k): v for k, v in hand_rounds.items()},
                   "hand-runs": {" ".join(k): v for k, v in hand_runs.items()}}, f, indent=1)
    print(f"storage, {rounds} rounds interleaved (tool, hand, tool, hand ...); spread = (max-min)/median")
    print(f"{'path':15} {'metric':15} {'tool':>9} {'by hand':>9} {'diff':>7} {'paired':>7}  {'spread: tool runs':>17}"
          f" {'hand rounds':>11} {'hand runs':>9}")
    worst = 0.0
    for key in sorted(tool_figures, key=lambda k: (k[1], k[0])):
        if key not in hand_rounds:
            print(f"{key[0]:15} {key[1]:15} (no by-hand figure)")
            continue
        t, h = statistics.median(tool_figures[key]), statistics.median(hand_rounds[key])
        d = (t - h) / h * 100
        paired = statistics.median((a - b) / b * 100 for a, b in zip(tool_figures[key], hand_rounds[key]))
        worst = max(worst, abs(d))
        print(f"{key[0]:15} {key[1]:15} {t:9.0f} {h:9.0f} {d:+6.1f}% {paired:+6.1f}%  {spread(tool_figures[key]):16.0f}%"
              f" {spread(hand_rounds[key]):10.0f}% {spread(hand_runs[key]):8.0f}%")
    print(f"storage: largest difference {worst:.1f}% (target within 10%)")


if __name__ == "__main__":
    main()
