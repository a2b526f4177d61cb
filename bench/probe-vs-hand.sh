#!/usr/bin/env bash
# The tool's figures next to the same commands run by hand on the same paths, in the same run,
# with the difference in % (target: within 10 %).
#
# Network: NET_ROUNDS=5 rounds of the tool's quick probe (same-core paths) and the same sockperf
# commands by hand, one run per path, taking turns at going first; the medians are compared, and
# each round's tool figure with the by-hand one next to it (paired).
# Storage: bench/storage_by_hand.py runs the tool's storage probe with --keep (the default plan;
# QUICK=1 for --quick) and then replays by hand exactly the fio command lines it recorded, in its
# containers and on its very files (on this disk a file's IOPS depend on where it lands), ROUNDS=8
# times, after idle disks; it prints both medians, the difference, and the spread of each side.
# Both halves also compare each path's ratio to its baseline, and end with a verdict line: how many
# rows agree within 10% paired (the median of the rounds' own differences) and as medians.
# ONLY=network|storage runs one;
# SETTLE=seconds (default 30) is the pause after a sync before each side, then until the disks idle;
# HAND_SETTLE=seconds overrides it before the replay, which follows the tool on the tool's own files.
# REPLAYS=2 replays every kept run twice and compares the second replay with the first, paired like
# the tool, with its own verdict line: the agreement identical by-hand runs reach on these files.
# The replay runs beside an idle virtwise shell (SHELL_BESIDE=0: without), and both sides report the
# size of the 1 MiB reads' requests at the disk: see bench/storage_by_hand.py.
# Needs: a running engine with virtwise/probe:latest (scripts/lab-up), root (taskset on
# docker-proxy, /var/tmp directories), python3. Traffic stays on loopback and docker0.
# Takes about 40 s per network round, and 4-7 minutes per storage round (SETTLE=90: 6.5; REPLAYS=2:
# 10, the second replay included).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
net_rounds="${NET_ROUNDS:-5}"
# 8 rounds: with 5, rounds whose whole replay drifted 10-15% (the host, all rows at once) decided rows
rounds="${ROUNDS:-8}"
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
# Tool and hand alternate, one run per path each and in turn first (tool-hand, hand-tool, ...), so
# both sample the same minutes of a noisy machine from both positions; the medians are compared.
tool_round() {
  "${tool[@]}" probe docker --quick --only network --format json >"$out/tool-network-$1.json"
}
hand_round() {
  local round_no="$1"
  for path_target in "loopback 127.0.0.1 $p1" "host-net 127.0.0.1 $p2" "bridge-ip $bridge_ip 11111" \
      "published-proxy 127.0.0.1 $proxy_port" "published-dnat $gw $dnat_port"; do
    set -- $path_target
    printf '%s\ttcp-rr-latency\t%s\t%s\n' "$1" "$round_no" "$(rtt "$2" "$3")" >>"$hand"
  done
}
for round in $(seq "$net_rounds"); do
  if [ $((round % 2)) = 1 ]; then
    echo "== round $round/$net_rounds: the tool (probe docker --quick --only network), then one run per path by hand" >&2
    tool_round "$round"; hand_round "$round"
  else
    echo "== round $round/$net_rounds: one run per path by hand, then the tool" >&2
    hand_round "$round"; tool_round "$round"
  fi
done

python3 - "$out" "$net_rounds" "$hand" <<'EOF'
import json, statistics, sys
sys.path.insert(0, "bench")
from storage_by_hand import TARGET_PERCENT, paired, spread, verdict
out, rounds, hand_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tool, hand = {}, {}  # (path, metric) -> {round: figure}
for i in range(1, rounds + 1):
    for r in json.load(open(f"{out}/tool-network-{i}.json"))["results"]:
        if r.get("placement") in (None, "same-core") and r["metric"] == "tcp-rr-latency":
            tool.setdefault((r["path"], r["metric"]), {})[i] = r["median"]
for line in open(hand_file):
    path, metric, i, value = line.rstrip("\n").split("\t")
    if value:
        hand.setdefault((path, metric), {})[int(i)] = float(value)
print(f"network, {rounds} rounds (the tool's --quick and one sockperf run per path by hand, taking turns at going first);"
      " spread = (max-min)/median")
print(f"{'path':16} {'metric':15} {'tool':>8} {'by hand':>8} {'diff':>7} {'paired':>7} {'rounds':>6}  {'spread: tool':>12} {'by hand':>8}")
worst, rows, medians_within, paired_within = 0.0, 0, 0, 0
for key, by_round in hand.items():
    h = statistics.median(by_round.values())
    t_rounds = tool.get(key, {})
    if not t_rounds:
        print(f"{key[0]:16} {key[1]:15} {'-':>8} {h:8.2f}    (the tool skipped it)")
        continue
    t = statistics.median(t_rounds.values())
    d = (t - h) / h * 100
    both = [i for i in t_rounds if i in by_round]
    bias, rounds_within, n = paired([t_rounds[i] for i in both], [by_round[i] for i in both])
    worst = max(worst, abs(d))
    rows += 1
    medians_within += abs(d) <= TARGET_PERCENT
    paired_within += abs(bias) <= TARGET_PERCENT
    print(f"{key[0]:16} {key[1]:15} {t:8.2f} {h:8.2f} {d:+6.1f}% {bias:+6.1f}% {rounds_within:>3}/{n:<2}  {spread(list(t_rounds.values())):11.0f}%"
          f" {spread(list(by_round.values())):7.0f}%")
print(f"network: largest difference of the medians {worst:.1f}% (target within {TARGET_PERCENT}%)")
verdict("network", medians_within, paired_within, rows)
# What the tool reports and the advice rests on: each path against loopback, taken in the same
# round by the same side, so drift common to all paths cancels.
base = ("loopback", "tcp-rr-latency")
print(f"{'ratio to loopback':33} {'tool':>8} {'by hand':>8} {'diff':>7}")
worst_ratio, ratio_rows = 0.0, []
for key, by_round in hand.items():
    t_rounds = tool.get(key, {})
    common = [i for i in t_rounds if i in by_round and i in tool.get(base, {}) and i in hand.get(base, {})]
    if key == base or not common:
        continue
    t = statistics.median(t_rounds[i] / tool[base][i] for i in common)
    h = statistics.median(by_round[i] / hand[base][i] for i in common)
    d = (t - h) / h * 100
    worst_ratio = max(worst_ratio, abs(d))
    ratio_rows.append(abs(d) <= TARGET_PERCENT)
    print(f"{key[0]:16} {key[1]:16} {t:8.2f} {h:8.2f} {d:+6.1f}%")
print(f"network ratios: largest difference {worst_ratio:.1f}%, {sum(ratio_rows)} of {len(ratio_rows)} within {TARGET_PERCENT}%")
EOF
