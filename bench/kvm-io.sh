#!/usr/bin/env bash
# Guest vs host 4k random IOPS and host CPU time per guest I/O, from `probe kvm`.
# On this lab /dev/kvm is PVM, so the guest runs under QEMU TCG: every guest figure is EMULATED.
# Usage: bench/kvm-io.sh [--quick] [--guest NAME]      (needs scripts/lab-up kvm; builds the jar if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
jar="$here/target/virtwise.jar"
[ -f "$jar" ] || (cd "$here" && mvn -q -B -ntp package -DskipTests)
json="$(java -jar "$jar" probe kvm --format json "$@" 2>/dev/null)"
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
rows = {}
for x in r["results"]:
    rows[(x["metric"], x.get("placement"), x["path"])] = x
print(f"probe kvm run {r['runId']} subject {r['subject']} ({r['seconds']:.1f} s)")
print(f"{'metric':<16}{'qd':<6}{'guest':>10}{'host':>10}{'ratio':>8}  {'cpu us/io guest':>16}{'host':>8}  label")
for (m, p, path), g in sorted(rows.items()):
    if path != "guest" or m == "cpu-us-per-io":
        continue
    h = rows.get((m, p, "host"))
    c = rows.get(("cpu-us-per-io", f"{p}-{m.replace('-iops','')}", "guest"))
    ch = rows.get(("cpu-us-per-io", f"{p}-{m.replace('-iops','')}", "host"))
    label = "EMULATED (TCG)" if g.get("emulated") else "kvm"
    print(f"{m:<16}{p:<6}{g['median']:>10.0f}{(h['median'] if h else float('nan')):>10.0f}"
          f"{(g['median']/h['median'] if h else float('nan')):>8.2f}  "
          f"{(c['median'] if c else float('nan')):>16.1f}{(ch['median'] if ch else float('nan')):>8.1f}  {label}")
for s in r.get("skipped", []):
    print("skipped:", s)
PY
