#!/usr/bin/env bash
# Guest vs host CPU and memory from `probe kvm-cpu`: sysbench cpu, sequential memory writes and
# random memory reads in the probe guest, plain / hugepage-backed / pinned / host-passthrough with
# the host's topology, each as a ratio to the same command lines on the host and as a gain over
# the plain guest. On this lab /dev/kvm is PVM, so the guest runs under QEMU TCG: every guest
# figure is EMULATED and says what the variants change under emulation, not under KVM.
# Usage: bench/kvm-cpu.sh [--quick] [--guest NAME]      (needs scripts/lab-up kvm; builds the jar if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="$here/target/virtwise.jar"
[ -f "$jar" ] || (cd "$here" && mvn -q -B -ntp package -DskipTests)
json="$(java -jar "$jar" probe kvm-cpu --format json "$@" 2>/dev/null)"
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
rows = {(x["metric"], x["path"]): x for x in r["results"]}
print(f"probe kvm-cpu run {r['runId']} subject {r['subject']} ({r['seconds']:.1f} s)")
print(f"{'metric':<21}{'variant':<22}{'median':>10}{'min-max':>20}{'n':>3}{'/host':>7}{'/plain':>8}  label")
for metric in ("cpu-events-per-s", "mem-seq-write-mibps", "mem-rnd-read-mibps"):
    plain = rows.get((metric, "plain"))
    for path in ("plain", "hugepages", "pinned", "passthrough-topology", "host"):
        x = rows.get((metric, path))
        if not x:
            continue
        ratio = x["median"] / x["baselineMedian"] if x.get("baselineMedian") else float("nan")
        gain = x["median"] / plain["median"] if plain and path != "host" else float("nan")
        spread = f"{x['min']:.1f}-{x['max']:.1f}"
        label = "EMULATED (TCG)" if x.get("emulated") else ("native" if path == "host" else "kvm")
        print(f"{metric:<21}{path:<22}{x['median']:>10.1f}{spread:>20}{x['repetitions']:>3}{ratio:>7.2f}{gain:>8.2f}  {label}")
for s in r.get("skipped", []):
    print("skipped:", s.get("path"), s.get("what"), "-", s.get("reason"))
PY
