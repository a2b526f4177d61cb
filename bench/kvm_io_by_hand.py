#!/usr/bin/env python3
"""bench/kvm-io.sh's work: `probe kvm` and the same fio lines run by hand in the same guest, interleaved.

Each round runs the tool once (A), then (B) boots a throwaway vwbench-<id>-<round> domain from the
domain XML the tool recorded for its figures: same kernel, machine, vCPUs, memory, disk driver,
cache and io, and a disk image of the same size in the same directory. Only the name (and the run
paths that carry it), the initramfs and the kernel command line differ: a small cpio appended to
the tool's own initramfs adds /vwbench/init, started with rdinit=, which runs exactly the fio
command lines the tool recorded (its uncounted warm-up, then as many runs as it made) between the
console markers the tool's guest prints. QEMU's utime+stime is read at those markers, as the tool
does, for the host CPU time per guest I/O. A B A B ... so that the shared machine's swings hit
both alike. On this lab the guest runs under TCG: every figure is EMULATED, not KVM.

Usage: kvm_io_by_hand.py ROUNDS OUTDIR BENCH_ID -- TOOL-COMMAND...   (the tool prints its report as JSON)
Domains and directories are named vwbench-BENCH_ID-*; the caller's trap removes what a kill leaves.
"""
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time

RUNS_DIR = "/var/lib/virtwise/probe-runs"  # where the tool put its disk: the same storage
CLOCK_TICKS = 100  # USER_HZ
BEGIN, END, DONE = "VWPROBE-FIO-BEGIN ", "VWPROBE-FIO-END ", "VWPROBE-DONE"

# the probe guest's /init without its fio loop: modules, /dev/vda, then our lines (label TAB command)
INIT = """#!/bin/sh
export PATH=/bin:/usr/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
echo VWPROBE-INIT
for m in $(cat /lib/modules/order); do insmod /lib/modules/$m 2>/dev/null; done
i=0; while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
while IFS='\t' read -r label cmd; do
  echo "VWPROBE-FIO-BEGIN $label"; sh -c "$cmd"; echo "VWPROBE-FIO-END $label"
done < /vwbench/jobs
echo VWPROBE-DONE; sync; poweroff -f
"""


def virsh(*args, check=True):
    return subprocess.run(["virsh", "-q", "-c", "qemu:///system", *args], capture_output=True, text=True, check=check)


def newc(files):
    """A cpio newc archive of {path: (mode, bytes)}, directories first, with the trailer."""
    out = bytearray()
    for ino, (path, (mode, data)) in enumerate(list(files.items()) + [("TRAILER!!!", (0, b""))], start=1):
        name = path.encode() + b"\0"
        fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0]
        out += b"070701" + b"".join(b"%08X" % f for f in fields) + name
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def ticks(pid):
    """utime+stime of every thread of the process, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None


def tool_jobs(report):
    """(metric, qd) -> the tool's guest result, its fio line and the domain XML it recorded."""
    jobs = {}
    for r in report["results"]:
        if r["path"] == "guest" and r["metric"].endswith("-iops"):
            xml = r["commands"][0].split("<<'XML'\n", 1)[1].rsplit("\nXML\n", 1)[0]
            jobs[(r["metric"], r["placement"])] = (r, r["commands"][1].split("   #")[0], xml)
    return jobs


def tool_cpu(report, metric, qd):
    rw = metric[: -len("-iops")]
    for r in report["results"]:
        if r["path"] == "guest" and r["metric"] == "cpu-us-per-io" and r.get("placement") == f"{qd}-{rw}":
            return r
    return None


def by_hand(report, name, log):
    """Boots the replay domain, runs the recorded lines; {(metric, qd): ([iops...], [cpu us per I/O...])}."""
    jobs = tool_jobs(report)
    _, _, xml = next(iter(jobs.values()))
    old = re.search(r"<name>([^<]+)</name>", xml).group(1)
    xml = xml.replace(old, name)
    initrd = re.search(r"<initrd>([^<]+)</initrd>", xml).group(1)
    run_dir = os.path.join(RUNS_DIR, name)
    os.makedirs(run_dir)
    lines = []
    for (metric, qd), (r, fio, _) in jobs.items():
        lines += [f"{metric}@{qd}/{i}\t{fio}" for i in range(r["repetitions"] + 1)]  # /0: the warm-up
    size_mib = int(re.search(r"--size=(\d+)M", next(iter(jobs.values()))[1]).group(1))
    # the tool's disk: written in full, so reads hit allocated blocks; same size
    chunk = bytearray(1 << 20)
    for i in range(0, len(chunk), 4096):
        chunk[i] = (i >> 12) & 0xFF
    with open(os.path.join(run_dir, "disk.raw"), "wb") as f:
        for _ in range(size_mib + 16):
            f.write(chunk)
    ours = os.path.join(run_dir, "initrd.img")
    with open(initrd, "rb") as src, open(ours, "wb") as dst:
        base = src.read()
        dst.write(base + b"\0" * (-len(base) % 512))
        dst.write(gzip.compress(newc({"vwbench": (0o40755, b""), "vwbench/init": (0o100755, INIT.encode()),
                                      "vwbench/jobs": (0o100644, ("\n".join(lines) + "\n").encode())})))
    xml = re.sub(r"<initrd>[^<]+</initrd>", f"<initrd>{ours}</initrd>", xml)
    xml = re.sub(r"<cmdline>[^<]+</cmdline>", "<cmdline>console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/vwbench/init</cmdline>", xml)
    with open(os.path.join(run_dir, "domain.xml"), "w") as f:
        f.write(xml)
    console = re.search(r"<serial type='file'><source path='([^']+)'", xml).group(1)
    virsh("define", os.path.join(run_dir, "domain.xml"))
    virsh("start", name)
    at, text, done_to = {}, "", 0
    started = time.time()
    deadline = started + 60 + 30 * len(lines)
    while time.time() < deadline:
        if os.path.exists(console):
            with open(console, encoding="latin-1") as f:
                text = f.read()
            # whole lines only: a marker split across two reads would be missed
            for line in text[done_to:text.rfind("\n") + 1].splitlines():
                line = line.strip()
                if line.startswith((BEGIN, END)):
                    try:
                        pid = int(open(f"/run/libvirt/qemu/{name}.pid").read())
                    except (OSError, ValueError):
                        pid = -1
                    at.setdefault(line.split(" ", 1)[1], []).append(ticks(pid))
            done_to = max(done_to, text.rfind("\n") + 1)
        if DONE in text:
            break
        if int(time.time() - started) % 5 == 0 and virsh("domstate", name, check=False).stdout.strip() not in ("running", "paused"):
            break
        time.sleep(0.2)
    with open(log, "a", encoding="latin-1") as f:
        f.write(text)
    out = {}
    for key in jobs:
        metric, qd = key
        iops, cpu = [], []
        for i in range(1, jobs[key][0]["repetitions"] + 1):
            label = f"{metric}@{qd}/{i}"
            m = re.search(re.escape(BEGIN + label) + r"\s*\n(.*?)\n" + re.escape(END + label), text, re.S)
            if not m:
                continue
            body = m.group(1)
            j = json.JSONDecoder().raw_decode(body[body.index("{"):])[0]["jobs"][0]
            side = j["read"] if "read" in metric else j["write"]
            iops.append(side["iops"])
            t = at.get(label, [])
            ios = side["iops"] * j["job_runtime"] / 1000.0
            if len(t) == 2 and None not in t and ios > 0:
                cpu.append((t[1] - t[0]) * (1e6 / CLOCK_TICKS) / ios)
        out[key] = (iops, cpu)
    return out


def remove(name):
    virsh("destroy", name, check=False)
    virsh("undefine", name, check=False)
    subprocess.run(["rm", "-rf", os.path.join(RUNS_DIR, name)], check=False)


def spread(values):
    return (max(values) - min(values)) / statistics.median(values) * 100 if len(values) > 1 else 0.0


def main():
    rounds, outdir, bench_id = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    tool = sys.argv[sys.argv.index("--") + 1:]
    tool_rounds, hand_rounds = [], []
    for n in range(1, rounds + 1):
        subprocess.run(["sync"])
        print(f"== round {n}/{rounds}: the tool: {' '.join(tool)}", file=sys.stderr)
        with open(os.path.join(outdir, f"kvm-tool-{n}.err"), "w") as err:
            report = json.loads(subprocess.run(tool, stdout=subprocess.PIPE, stderr=err, text=True, check=True).stdout)
        with open(os.path.join(outdir, f"kvm-tool-{n}.json"), "w") as f:
            json.dump(report, f, indent=1)
        tool_rounds.append(report)
        subprocess.run(["sync"])
        name = f"vwbench-{bench_id}-{n}"
        print(f"== round {n}/{rounds}: by hand in {name}: the {report['runId']} domain XML and fio lines", file=sys.stderr)
        try:
            hand_rounds.append(by_hand(report, name, os.path.join(outdir, f"kvm-hand-{n}.console")))
        finally:
            remove(name)

    emulated = any(r.get("emulated") for rep in tool_rounds for r in rep["results"])
    label = "EMULATED (QEMU TCG, not KVM)" if emulated else "KVM"
    print(f"probe kvm vs by hand, {rounds} round(s) interleaved, runs {', '.join(r['runId'] for r in tool_rounds)}; "
          f"guest figures {label}")
    print("tool = median over rounds of the tool's medians; by hand = median over rounds of each replay's median; "
          "paired = median of each round's own difference")
    print(f"{'job':<22}{'figure':<22}{'tool':>9}{'by hand':>9}{'diff':>8}{'paired':>8}  tool host  tool guest/host  single hand runs")
    for key in tool_jobs(tool_rounds[0]):
        metric, qd = key
        rows = [("guest IOPS", lambda rep: tool_jobs(rep)[key][0], 0),
                ("QEMU CPU us per I/O", lambda rep: tool_cpu(rep, metric, qd), 1)]
        for figure, pick, side in rows:
            tools, hands, paired, singles = [], [], [], []
            for rep, hand in zip(tool_rounds, hand_rounds):
                t = pick(rep)
                h = hand.get(key, ([], []))[side]
                singles += h
                if t is not None:
                    tools.append(t["median"])
                if h:
                    hands.append(statistics.median(h))
                if t is not None and h:
                    paired.append((t["median"] - statistics.median(h)) / statistics.median(h) * 100)
            if not tools or not hands:
                print(f"{metric + ' ' + qd:<22}{figure:<22}{'(missing on one side)':>34}")
                continue
            t, h = statistics.median(tools), statistics.median(hands)
            host = [pick(rep)["baselineMedian"] for rep in tool_rounds if pick(rep) and pick(rep).get("baselineMedian")]
            hm = statistics.median(host) if host else None
            print(f"{metric + ' ' + qd:<22}{figure:<22}{t:9.1f}{h:9.1f}{(t - h) / h * 100:+7.1f}%{statistics.median(paired):+7.1f}%"
                  f"  {hm if hm is None else round(hm, 1)!s:>9}  {(t / hm if hm else float('nan')):15.3f}"
                  f"  {min(singles):.1f}-{max(singles):.1f} (spread {spread(singles):.0f}%)")


if __name__ == "__main__":
    main()
