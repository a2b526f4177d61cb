#!/usr/bin/env bash
# The tool's figures next to the same commands run by hand on the same paths, in the same run,
# with the difference in % (target: within 10 %).
#
# Network: the tool's quick probe (same-core paths), then the same sockperf commands by hand
# (REPS=3 runs per path; the median is compared). Storage: bench/storage_by_hand.py runs the
# tool's storage probe with --keep (the default plan; QUICK=1 for --quick) and then replays by
# hand exactly the fio command lines it recorded, in its containers and on its very files (on this
# disk a file's IOPS depend on where it lands), ROUNDS=4 times, after idle disks; it
# prints both medians, the difference, and the spread of each side. ONLY=network|storage runs one;
# SETTLE=seconds (default 30) is the pause after a sync before each side, then until the disks idle;
# HAND_SETTLE=seconds overrides it before the replay, which follows the tool on the tool's own files.
# REPLAYS=2 replays every kept run twice and shows how far the second replay is from the first.
# Needs: a running engine with virtwise/probe:latest (scripts/lab-up), root (taskset on
# docker-proxy, /var/tmp directories), python3. Traffic stays on loopback and docker0.
# Takes about 1 minute for the network and 4 minutes per storage round.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
reps="${REPS:-3}"
rounds="${ROUNDS:-4}"
only="${ONLY:-}"
img=virtwise/probe:latest
out="$here/bench/out"
mkdir -p "$out"

# The tool as users start it: the launcher (JDK 25 with its class cache when present, C1 only,
# serial GC), which starts with about a fifth of the CPU a plain `java -jar` on JDK 17 burns.
tool=(./virtwise)
"${tool[@]}" help >/dev/null   # builds, extracts and trains the class cache once

if [ "$only" != network ]; then
  python3 bench/storage_by_hand.py "$rounds" "$out" -- "${tool[@]}" probe docker --only storage \
    ${QUICK:+--quick} --keep --format json | tee "$out/storage.txt"
fi
[ "$only" != storage ] || exit 0

echo "== the tool: probe docker --quick --only network" >&2
"${tool[@]}" probe docker --quick --only network --format json >"$out/tool-network.json"

# By hand. Labelled like a probe run of this shell (base-36 start time and our pid), so a
# concurrent probe sees a live run and leaves it alone, and the trap removes it all.
run_id="$(python3 -c 'import sys,time
n=int(time.time()); d="0123456789abcdefghijklmnopqrstuvwxyz"; s=""
while n: s=d[n%36]+s; n//=36
print(s)')-$$"
n="vwprobe-$run_id"
label=(--label "io.virtwise.probe=$run_id" --label "io.virtwise.probe.host=$(cat /proc/sys/kernel/hostname)")
cleanup() {
  docker ps -aq --filter "label=io.virtwise.probe=$run_id" | xargs -r docker rm -f >/dev/null
  docker volume ls -q --filter "label=io.virtwise.probe=$run_id" | xargs -r docker volume rm >/dev/null
}
trap cleanup EXIT
hand="$out/hand.tsv"
: >"$hand"

echo "== by hand: network, same-core ($reps runs per path)" >&2
serve() { echo "sockperf sr --tcp $1 -p $2 & exec iperf3 -s $3 -p $(($2 + 1))"; }
p1=$((30000 + RANDOM % 4000 * 2)); p2=$((p1 + 2))
docker run -d --name "$n-client" "${label[@]}" --network host --cpuset-cpus 1 --security-opt seccomp=unconfined $img sleep infinity >/dev/null
docker run -d --name "$n-loopback" "${label[@]}" --network host --cpuset-cpus 1 --security-opt seccomp=unconfined $img sh -c "$(serve '-i 127.0.0.1' $p1 '-B 127.0.0.1')" >/dev/null
docker run -d --name "$n-host-net" "${label[@]}" --network host --cpuset-cpus 1 $img sh -c "$(serve '-i 127.0.0.1' $p2 '-B 127.0.0.1')" >/dev/null
docker run -d --name "$n-bridge-ip" "${label[@]}" --cpuset-cpus 1 $img sh -c "$(serve '' 11111 '')" >/dev/null
docker run -d --name "$n-proxy" "${label[@]}" --cpuset-cpus 1 -p 127.0.0.1::11111 $img sh -c "$(serve '' 11111 '')" >/dev/null
gw="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}' "$n-bridge-ip")"
docker run -d --name "$n-dnat" "${label[@]}" --cpuset-cpus 1 -p "$gw::11111" $img sh -c "$(serve '' 11111 '')" >/dev/null
sleep 1
bridge_ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$n-bridge-ip")"
proxy_port="$(docker port "$n-proxy" 11111/tcp | head -1 | sed 's/.*://')"
dnat_port="$(docker port "$n-dnat" 11111/tcp | head -1 | sed 's/.*://')"
# docker-proxy serves 127.0.0.1:$proxy_port; pin it with the client, as the tool does
for pid in $(pgrep -f "docker-proxy .*-host-port $proxy_port "); do taskset -a -p -c 1 "$pid" >/dev/null; done

rtt() { docker exec "$n-client" sockperf pp --tcp -i "$1" -p "$2" -t 1 --full-rtt 2>&1 | awk '/percentile 50.000/ {print $NF}'; }
for path_target in "loopback 127.0.0.1 $p1" "host-net 127.0.0.1 $p2" "bridge-ip $bridge_ip 11111" \
    "published-proxy 127.0.0.1 $proxy_port" "published-dnat $gw $dnat_port"; do
  set -- $path_target
  for _ in $(seq "$reps"); do printf '%s\ttcp-rr-latency\t%s\n' "$1" "$(rtt "$2" "$3")" >>"$hand"; done
done

python3 - "$out/tool-network.json" "$hand" <<'EOF'
import json, statistics, sys
tool = {}
for f in sys.argv[1:2]:
    for r in json.load(open(f))["results"]:
        if r.get("placement") in (None, "same-core"):
            tool[(r["path"], r["metric"])] = r["median"]
hand = {}
for line in open(sys.argv[2]):
    path, metric, value = line.rstrip("\n").split("\t")
    if value:
        hand.setdefault((path, metric), []).append(float(value))
print(f"{'path':16} {'metric':15} {'tool':>10} {'by hand':>10} {'diff':>8}  hand runs (min-max)")
worst = 0.0
for key, values in hand.items():
    h = statistics.median(values)
    spread = f"{min(values):.2f}-{max(values):.2f}"
    t = tool.get(key)
    if t is None:
        print(f"{key[0]:16} {key[1]:15} {'-':>10} {h:10.2f}    (tool skipped it)  {spread}")
        continue
    d = (t - h) / h * 100
    worst = max(worst, abs(d))
    inside = "tool inside hand range" if min(values) <= t <= max(values) else ""
    print(f"{key[0]:16} {key[1]:15} {t:10.2f} {h:10.2f} {d:+7.1f}%  {spread}  {inside}")
print(f"network: largest difference {worst:.1f}% (target within 10%)")
EOF
