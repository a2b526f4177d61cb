#!/usr/bin/env bash
# The tool's `probe kvm` figures next to the same fio command lines run by hand in the same guest
# image, in the same run, with the difference in %. Each of ROUNDS rounds (default 3) runs the tool
# (QUICK=1 adds --quick; arguments are passed on, e.g. --guest NAME), then bench/kvm_io_by_hand.py
# boots a throwaway vwbench-* domain from the domain XML the tool recorded and runs exactly the fio
# lines it recorded (warm-up and repetitions included), reading QEMU's CPU time at the same console
# markers. On this lab /dev/kvm is PVM, so the guests run under QEMU TCG: every guest figure is
# EMULATED, not KVM. Needs scripts/lab-up (libvirtd, the probe guest), root, python3.
# Takes about 5 minutes per round with QUICK=1 on a busy 2-vCPU machine.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-3}"
out="$here/bench/out"
mkdir -p "$out"
[ -f "$here/target/virtwise.jar" ] || (cd "$here" && mvn -q -B -ntp package -DskipTests)
# our own copy: a build during the run would replace target/virtwise.jar under the running tool
jar="$out/virtwise-kvm-bench.jar"
cp "$here/target/virtwise.jar" "$jar"

id="$(date +%s)-$$"
virsh_() { virsh -q -c qemu:///system "$@"; }
cleanup() {
  for d in $(virsh_ list --all --name 2>/dev/null | grep "^vwbench-$id-" || true); do
    virsh_ destroy "$d" >/dev/null 2>&1 || true
    virsh_ undefine "$d" >/dev/null 2>&1 || true
  done
  rm -rf /var/lib/virtwise/probe-runs/vwbench-"$id"-*
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 "$here/bench/kvm_io_by_hand.py" "$rounds" "$out" "$id" -- \
  java -jar "$jar" probe kvm --format json ${QUICK:+--quick} "$@" | tee "$out/kvm-io.txt"
