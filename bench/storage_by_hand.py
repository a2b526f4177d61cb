#!/usr/bin/env python3
"""Storage half of bench/probe-vs-hand.sh: the tool's fio runs and the same runs by hand, on the same files.

Each round runs the tool once with --keep (its containers, volume, directories and fio files stay),
then replays by hand exactly the command lines it recorded for its fio figures, in its containers and
on its very files: the uncounted warm-up and the measured fio line, as many repetitions as the tool
made and in the same order (every path once per repetition), then removes what the tool kept. On the
lab's virtual disk 4k random-write IOPS depend on where a file lands (one 256 MiB file gave 19-23k
where its neighbours gave 27-31k, in every order they were measured), so a replay on freshly laid-out
files compares the disk's regions, not the tool with the hand. Before each side, a sync and a wait
for idle disks; during the replay an idle virtwise shell stays open (ShellBeside).

Usage: storage_by_hand.py ROUNDS OUTDIR -- TOOL-COMMAND...   (the tool prints its report as JSON;
the command must include --keep)
Prints a table: per path and metric the median of the tool's figures over the rounds, the median
of the by-hand figures (each round's median of its repetitions, as the tool computes it), the
difference, the median of the rounds' own differences (the tool against the hand run next to it)
with how many rounds were within 10%, and the spread (max-min over median) of the tool's figures,
of the by-hand round medians and of the single by-hand runs: where identical by-hand runs spread
more than 10%, that spread, not the tool, limits the agreement. A verdict line counts the rows
within 10%, paired and as medians. Then each path's ratio to host-dir on both sides, and how large
the read requests of the 1 MiB sequential jobs were when they reached the disk (ReadRequestSizes).
"""
import collections
import glob
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time

FIO_METRICS = {  # metric -> fio job and how to read it
    "randread-iops": ("randread", lambda j: j["read"]["iops"]),
    "randwrite-iops": ("randwrite", lambda j: j["write"]["iops"]),
    "seqread-mbps": ("seqread", lambda j: j["read"]["bw_bytes"] / 1e6),
    "seqwrite-mbps": ("seqwrite", lambda j: j["write"]["bw_bytes"] / 1e6),
}


def sh(line, check=True):
    return subprocess.run(shlex.split(line), capture_output=True, text=True, check=check)


class HandRun:
    """One replay of a kept tool run's recorded fio lines, in its containers, on its files."""

    def __init__(self, report):
        self.id = report["runId"]
        # per path: the warm-up line and the measured fio line, as recorded
        self.paths = {}
        self.reps = 0
        for r in report["results"]:
            if r["metric"] in FIO_METRICS:
                warm_up = [c for c in r["commands"] if "--name=warm-up" in c]
                self.paths[r["path"]] = (warm_up, r["commands"][-1])
                self.reps = max(self.reps, r["repetitions"])

    def warm_up(self):
        """The tool's uncounted warm-up per path; the files exist, so fio does not lay them out again."""
        for warm_up, _ in self.paths.values():
            for line in warm_up:
                sh(line)

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
        """What the tool kept: everything labelled with its run id, and its directories."""
        label = f"label=io.virtwise.probe={self.id}"
        for kind, ls in (("container", "docker ps -aq"), ("volume", "docker volume ls -q"), ("image", "docker images -q")):
            names = sh(f"{ls} --filter {label}", check=False).stdout.split()
            if names:
                rm = {"container": "docker rm -f", "volume": "docker volume rm", "image": "docker rmi -f"}[kind]
                sh(f"{rm} " + " ".join(sorted(set(names))), check=False)
        for d in glob.glob(f"/var/tmp/vwprobe-{self.id}-*"):
            shutil.rmtree(d, ignore_errors=True)


SETTLE_SECONDS = int(os.environ.get("SETTLE", "30"))
# before the replay, which follows the tool on its own files: by default the same pause
HAND_SETTLE_SECONDS = int(os.environ.get("HAND_SETTLE", str(SETTLE_SECONDS)))
# REPLAYS=2 replays each kept run twice: the table compares the tool with the first replay and,
# paired the same way, the second replay with the first: the agreement the same commands on the
# same files reach a few minutes apart, against which the tool's agreement can be read
REPLAYS = int(os.environ.get("REPLAYS", "1"))
# The replay runs with an idle virtwise shell open beside it (ShellBeside); SHELL_BESIDE=0 without
SHELL_BESIDE = os.environ.get("SHELL_BESIDE", "1") == "1"
IDLE_WINDOW_SECONDS = 3
IDLE_MAX_WAIT_SECONDS = 60


DiskCounts = collections.namedtuple("DiskCounts", "reads sectors_read sectors_done")


def whole_disks():
    """Reads completed, sectors read, and sectors read, written and discarded, summed over every
    whole disk (partitions are in their disk), from /proc/diskstats."""
    reads = sectors_read = sectors_done = 0
    with open("/proc/diskstats") as f:
        for line in f:
            fields = line.split()
            name = fields[2]
            if re.fullmatch(r"(loop|ram|zram|dm-|md)\S*", name) or not os.path.exists(f"/sys/block/{name}"):
                continue
            reads += int(fields[3])
            sectors_read += int(fields[5])
            sectors_done += int(fields[5]) + int(fields[9]) + (int(fields[16]) if len(fields) > 16 else 0)
    return DiskCounts(reads, sectors_read, sectors_done)


class ReadRequestSizes:
    """Samples /proc/diskstats every 50 ms while one side runs and keeps, for the intervals of
    large reads (over 256 KiB per request: the 1 MiB sequential jobs; the 4k jobs come to 4 KiB),
    the KiB per read request. A 1 MiB O_DIRECT read of a buffer whose 256 pages are all apart
    needs 256 segments, more than a virtio disk with max_segments 254 takes, so the kernel splits
    it in two (512 KiB on average); with a few pages adjacent it goes as one. Which of the two
    happens depends on the guest's free memory; unsplit reads ran 15-50% faster on the lab."""

    def __enter__(self):
        self.sizes, self.stop = [], threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        before = whole_disks()
        while not self.stop.wait(0.05):
            now = whole_disks()
            reads, sectors = now.reads - before.reads, now.sectors_read - before.sectors_read
            if reads and sectors / 2 / reads > 256:
                self.sizes.append(sectors / 2 / reads)
            before = now

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def median(self):
        return statistics.median(self.sizes) if self.sizes else None


class ShellBeside:
    """An idle virtwise shell (the tool's launcher without a command, its stdin held open) for the
    length of the replay, so the by-hand runs meet the guest's memory as the tool's own runs do:
    with a JVM of about 250 MB resident beside them, and not in the pages a JVM has just freed on
    exit, where 1 MiB reads came out split in two (ReadRequestSizes)."""

    STARTUP_SECONDS = 6

    def __init__(self, launcher):
        self.launcher = launcher

    def __enter__(self):
        if self.launcher:
            self.shell = subprocess.Popen([self.launcher], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
            time.sleep(self.STARTUP_SECONDS)
        return self

    def __exit__(self, *exc):
        if self.launcher:
            self.shell.stdin.close()  # end of input ends the shell
            try:
                self.shell.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.shell.kill()


def settle(pause=SETTLE_SECONDS):
    """The same start for both sides: each follows a run's cleanup (1 GiB of fio files and, after the
    tool, a 256 MiB copy-up image deleted on a disk mounted with discard), whose writeback and discards
    would otherwise land in the next runs. A sync, a pause, then until the disks have been idle for a
    few seconds (at most a minute more): a fixed pause alone left the by-hand side, which follows the
    tool's heavier tail, measurably slower in its later repetitions."""
    subprocess.run(["sync"], check=False)
    time.sleep(pause)
    waited, before = 0, whole_disks().sectors_done
    while waited < IDLE_MAX_WAIT_SECONDS:
        time.sleep(IDLE_WINDOW_SECONDS)
        waited += IDLE_WINDOW_SECONDS
        now = whole_disks().sectors_done
        if now - before < 2048 * IDLE_WINDOW_SECONDS:  # under 1 MiB/s
            return
        before = now
    print(f"   (the disks were still busy after {pause + waited} s; going on)", file=sys.stderr)


def spread(values):
    return (max(values) - min(values)) / statistics.median(values) * 100


TARGET_PERCENT = 10


def paired(tool_by_round, hand_by_round):
    """The tool's figure against the by-hand figure taken next to it in the same round, in % of the
    by-hand one: the median over the rounds (the bias, as a Bland-Altman comparison of two methods
    reads it) and how many rounds were within the target. Drift of a shared machine between rounds
    cancels in each pair; the medians over all rounds (the diff column) carry it."""
    diffs = [(t - h) / h * 100 for t, h in zip(tool_by_round, hand_by_round)]
    return statistics.median(diffs), sum(abs(d) <= TARGET_PERCENT for d in diffs), len(diffs)


# two-sided 97.5% points of Student's t for 1-12 degrees of freedom: a 95% interval over a few rounds
T_975 = [12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18]


def pooled_bias(numerators, denominators):
    """One side against the other over every row at once: per round the geometric mean of the rows'
    ratios, then the mean over the rounds with a 95% interval. The round is the unit because the rows
    of one round share that round's drift; the rounds are independent of each other. Returns (bias
    in %, half-width of the interval in points, rounds), or None with fewer than two rounds."""
    per_round = collections.defaultdict(list)
    for key, values in numerators.items():
        for i, (a, b) in enumerate(zip(values, denominators.get(key, []))):
            per_round[i].append(math.log(a / b))
    logs = [statistics.mean(v) for v in per_round.values()]
    if len(logs) < 2:
        return None
    mean, half = statistics.mean(logs), T_975[min(len(logs) - 1, len(T_975)) - 1] * statistics.stdev(logs) / math.sqrt(len(logs))
    bias = (math.exp(mean) - 1) * 100
    return bias, (math.exp(mean + half) - math.exp(mean - half)) / 2 * 100, len(logs)


def verdict(half, medians_within, paired_within, rows):
    print(f"{half}: {paired_within} of {rows} rows agree within {TARGET_PERCENT}% paired (the median of the rounds' own"
          f" differences), {medians_within} of {rows} compared as medians over the rounds")


def main():
    rounds, outdir, tool = int(sys.argv[1]), sys.argv[2], sys.argv[4:]
    tool_figures, hand_rounds, hand_runs, later_rounds = {}, {}, {}, {}
    request_kib = {"tool": [], "by hand": []}  # per round: median KiB per large read request

    def run_tool(i):
        settle()
        print(f"== round {i}/{rounds}: the tool (--keep)", file=sys.stderr)
        report_file = os.path.join(outdir, f"tool-storage-{i}.json")
        with open(report_file, "w") as f, ReadRequestSizes() as requests:
            subprocess.run(tool, stdout=f, check=True)
        request_kib["tool"].append(requests.median())
        with open(report_file) as f:
            report = json.load(f)
        for r in report["results"]:
            if r["metric"] in FIO_METRICS:
                tool_figures.setdefault((r["path"], r["metric"]), []).append(r["median"])
        return report

    def run_hand(i, hand, rounds_into, runs_into):
        settle(HAND_SETTLE_SECONDS)
        print(f"== round {i}/{rounds}: the same commands by hand, on the same files", file=sys.stderr)
        with ShellBeside(tool[0] if SHELL_BESIDE else None):
            hand.warm_up()
            with ReadRequestSizes() as requests:
                measured = hand.measure()
        if rounds_into is hand_rounds:
            request_kib["by hand"].append(requests.median())
        for key, values in measured.items():
            rounds_into.setdefault(key, []).append(statistics.median(values))
            runs_into.setdefault(key, []).extend(values)

    for i in range(1, rounds + 1):
        kept = run_tool(i)
        hand = HandRun(kept)
        try:
            run_hand(i, hand, hand_rounds, hand_runs)
            for _ in range(1, REPLAYS):
                run_hand(i, hand, later_rounds, {})
        finally:
            hand.clean_up()
    with open(os.path.join(outdir, "storage-figures.json"), "w") as f:
        json.dump({"tool": {" ".join(k): v for k, v in tool_figures.items()},
                   "hand-rounds": {" ".join(k): v for k, v in hand_rounds.items()},
                   "hand-runs": {" ".join(k): v for k, v in hand_runs.items()},
                   "hand-later-replays": {" ".join(k): v for k, v in later_rounds.items()},
                   "read-request-kib": request_kib}, f, indent=1)
    report(rounds, tool_figures, hand_rounds, hand_runs, later_rounds, request_kib)


def report(rounds, tool_figures, hand_rounds, hand_runs, later_rounds, request_kib):
    """The tables and verdict lines, from figures keyed (path, metric)."""
    print(f"storage, {rounds} rounds (the tool with --keep, then by hand on its files); spread = (max-min)/median")
    print(f"{'path':15} {'metric':15} {'tool':>9} {'by hand':>9} {'diff':>7} {'paired':>7} {'rounds':>6}  {'spread: tool runs':>17}"
          f" {'hand rounds':>11} {'hand runs':>9}" + (f" {'2nd replay vs 1st':>18} {'rounds':>6}" if later_rounds else ""))
    worst, rows, medians_within, paired_within, replays_within = 0.0, 0, 0, 0, 0
    # each round's second replay (later_rounds holds REPLAYS - 1 per round), compared with its first
    second_replays = {k: v[::REPLAYS - 1] for k, v in later_rounds.items()}
    for key in sorted(tool_figures, key=lambda k: (k[1], k[0])):
        if key not in hand_rounds:
            print(f"{key[0]:15} {key[1]:15} (no by-hand figure)")
            continue
        t, h = statistics.median(tool_figures[key]), statistics.median(hand_rounds[key])
        d = (t - h) / h * 100
        bias, rounds_within, n = paired(tool_figures[key], hand_rounds[key])
        worst = max(worst, abs(d))
        rows += 1
        medians_within += abs(d) <= TARGET_PERCENT
        paired_within += abs(bias) <= TARGET_PERCENT
        later = ""
        if key in second_replays:  # paired like the tool
            drift, drift_within, m = paired(second_replays[key], hand_rounds[key])
            replays_within += abs(drift) <= TARGET_PERCENT
            later = f" {drift:+17.1f}% {drift_within:>3}/{m:<2}"
        print(f"{key[0]:15} {key[1]:15} {t:9.0f} {h:9.0f} {d:+6.1f}% {bias:+6.1f}% {rounds_within:>3}/{n:<2}  {spread(tool_figures[key]):16.0f}%"
              f" {spread(hand_rounds[key]):10.0f}% {spread(hand_runs[key]):8.0f}%" + later)
    print(f"storage: largest difference of the medians {worst:.1f}% (target within {TARGET_PERCENT}%)")
    verdict("storage", medians_within, paired_within, rows)
    if later_rounds:
        # the noise floor: the same commands by hand on the same files, a few minutes apart
        print(f"storage: by hand against itself, {replays_within} of {rows} rows agree within {TARGET_PERCENT}% paired"
              f" (the second replay against the first)")
    # Whether the tool reads systematically high or low, all rows together: a row's miss of the
    # target in one run is mostly the drift of its rounds, a bias would show here in every run.
    sides = [("the tool against the first replay", tool_figures, hand_rounds)]
    if later_rounds:
        sides.append(("the second replay against the first", second_replays, hand_rounds))
    for what, numerators, denominators in sides:
        pooled = pooled_bias(numerators, denominators)
        if pooled:
            bias, half, n = pooled
            print(f"storage, all rows: {what} {bias:+.1f}% (95% interval +-{half:.1f} points, {n} rounds)")
    # What the tool reports and the advice rests on: each path against host-dir, taken in the same
    # round by the same side, so drift common to all paths cancels.
    print(f"{'ratio to host-dir':31} {'tool':>9} {'by hand':>9} {'diff':>7}")
    worst_ratio, ratio_rows = 0.0, []
    for key in sorted(tool_figures, key=lambda k: (k[1], k[0])):
        base = ("host-dir", key[1])
        sides = [tool_figures.get(key), tool_figures.get(base), hand_rounds.get(key), hand_rounds.get(base)]
        if key[0] == "host-dir" or any(v is None or len(v) != rounds for v in sides):
            continue  # a round without both figures: the pairs would not be of one round
        t = statistics.median(a / b for a, b in zip(tool_figures[key], tool_figures[base]))
        h = statistics.median(a / b for a, b in zip(hand_rounds[key], hand_rounds[base]))
        d = (t - h) / h * 100
        worst_ratio = max(worst_ratio, abs(d))
        ratio_rows.append(abs(d) <= TARGET_PERCENT)
        print(f"{key[0]:15} {key[1]:15} {t:9.2f} {h:9.2f} {d:+6.1f}%")
    print(f"storage ratios: largest difference {worst_ratio:.1f}%, {sum(ratio_rows)} of {len(ratio_rows)} within"
          f" {TARGET_PERCENT}%")
    for side, sizes in request_kib.items():
        shown = ", ".join("-" if k is None else f"{k:.0f}" for k in sizes)
        print(f"1 MiB reads reached the disk as requests of (KiB, median per round) {side}: {shown}")


if __name__ == "__main__":
    main()
