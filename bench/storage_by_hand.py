#!/usr/bin/env python3
"""Storage half of bench/probe-vs-hand.sh: the tool's fio runs and the same runs by hand, interleaved.

Each round runs the tool once (A) and replays by hand (B) exactly the command lines the tool
recorded for its fio figures: the same `docker run` lines (same image, CPU, mounts, security
options; only the run id in names and labels is ours), the same mkdir, the same uncounted warm-up
and the same measured fio line, as many repetitions as the tool made and in the same order (every
path once per repetition). A B B A A B ... so that the shared disk's slow swings and what each run
leaves behind (writeback, discards) hit both alike; before each side, a sync and a wait for idle disks.

Usage: storage_by_hand.py ROUNDS OUTDIR -- TOOL-COMMAND...   (the tool prints its report as JSON)
Prints a table: per path and metric the median of the tool's figures over the rounds, the median
of the by-hand figures (each round's median of its repetitions, as the tool computes it), the
difference, the median of the rounds' own differences (the tool against the hand run next to it),
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


SETTLE_SECONDS = int(os.environ.get("SETTLE", "30"))
IDLE_WINDOW_SECONDS = 3
IDLE_MAX_WAIT_SECONDS = 60


def disk_sectors_done():
    """Sectors read, written and discarded so far on every whole disk (partitions are in their disk)."""
    total = 0
    with open("/proc/diskstats") as f:
        for line in f:
            fields = line.split()
            name = fields[2]
            if re.fullmatch(r"(loop|ram|zram|dm-|md)\S*", name) or not os.path.exists(f"/sys/block/{name}"):
                continue
            total += int(fields[5]) + int(fields[9]) + (int(fields[16]) if len(fields) > 16 else 0)
    return total


def settle():
    """The same start for both sides: each follows a run's cleanup (1 GiB of fio files and, after the
    tool, a 256 MiB copy-up image deleted on a disk mounted with discard), whose writeback and discards
    would otherwise land in the next runs. A sync, a pause, then until the disks have been idle for a
    few seconds (at most a minute more): a fixed pause alone left the by-hand side, which follows the
    tool's heavier tail, measurably slower in its later repetitions."""
    subprocess.run(["sync"], check=False)
    time.sleep(SETTLE_SECONDS)
    waited, before = 0, disk_sectors_done()
    while waited < IDLE_MAX_WAIT_SECONDS:
        time.sleep(IDLE_WINDOW_SECONDS)
        waited += IDLE_WINDOW_SECONDS
        now = disk_sectors_done()
        if now - before < 2048 * IDLE_WINDOW_SECONDS:  # under 1 MiB/s
            return
        before = now
    print(f"   (the disks were still busy after {SETTLE_SECONDS + waited} s; going on)", file=sys.stderr)


def spread(values):
    return (max(values) - min(values)) / statistics.median(values) * 100


def main():
    rounds, outdir, tool = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    tool_figures, hand_rounds, hand_runs = {}, {}, {}

    def run_tool(i):
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
        return report

    def run_hand(i, report):
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

    # Counterbalanced (tool, hand, then hand, tool, ...): whatever one run leaves behind on the disk
    # lands as often on the tool as on the hand. An odd round's hand replays the round's own tool run;
    # an even round's hand goes first and replays the previous round's (the same plan and commands).
    report = None
    for i in range(1, rounds + 1):
        if i % 2 == 1:
            report = run_tool(i)
            run_hand(i, report)
        else:
            run_hand(i, report)
            report = run_tool(i)
    with open(os.path.join(outdir, "storage-figures.json"), "w") as f:
        json.dump({"tool": {" ".join(k): v for k, v in tool_figures.items()},
                   "hand-rounds": {" ".join(k): v for k, v in hand_rounds.items()},
                   "hand-runs": {" ".join(k): v for k, v in hand_runs.items()}}, f, indent=1)
    print(f"storage, {rounds} rounds counterbalanced (tool, hand, hand, tool ...); spread = (max-min)/median")
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
