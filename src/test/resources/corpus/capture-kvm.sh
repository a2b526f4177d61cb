#!/bin/bash
# Captures the corpus's virt-install items: what Debian's virt-install 4.1 prints (--print-xml
# --dry-run: no disk is created, nothing defined), then what libvirt makes of it (defined for a
# moment under a vwcorp- name, read back with virsh dumpxml --inactive, undefined), which is the form
# a user saves and imports. Needs the lab's libvirtd and `apt-get install virtinst`.
# Usage: capture-kvm.sh [ITEM...]   (all items when none is given)
set -euo pipefail
cd "$(dirname "$0")"
IMG=/var/lib/libvirt/images
VI="virt-install --print-xml --dry-run --import --noautoconsole"

# item | guest name | virt-install arguments
ITEMS=(
"kvm-vi-debian11-qcow2|web01|--name web01 --memory 2048 --vcpus 2 --osinfo debian11 --disk path=$IMG/web01.qcow2,size=20 --network network=default"
"kvm-vi-win10-sata|win10|--name win10 --memory 4096 --vcpus 2 --osinfo win10 --disk path=$IMG/win10.qcow2,size=64 --disk device=cdrom,path=$IMG/Win10_22H2_English_x64.iso --network network=default"
"kvm-vi-centos7-ide|legacy-c7|--name legacy-c7 --machine pc --memory 2048 --vcpus 2 --osinfo centos7.0 --disk path=$IMG/legacy-c7.img,size=20,format=raw,bus=ide --disk path=$IMG/legacy-c7-data.qcow2,size=50,bus=virtio --disk device=cdrom,bus=ide,path=$IMG/CentOS-7-x86_64-Minimal-2009.iso --network network=default,model=e1000"
"kvm-vi-usernet-slirp|sandbox|--name sandbox --memory 1024 --vcpus 1 --osinfo alpinelinux3.16 --disk path=$IMG/sandbox.qcow2,size=8 --network user"
"kvm-vi-scsi-lsilogic|fileserver|--name fileserver --memory 2048 --vcpus 2 --osinfo centos7.0 --controller type=scsi,model=lsilogic --disk path=$IMG/fileserver.qcow2,size=40,bus=scsi --disk path=$IMG/fileserver-data.raw,size=200,format=raw,bus=scsi --network network=default"
"kvm-vi-virtio-scsi-iothread|dbvm|--name dbvm --memory 2048 --vcpus 2 --osinfo debian11 --iothreads 1 --controller type=scsi,model=virtio-scsi,driver.iothread=1 --disk path=$IMG/dbvm.raw,size=40,format=raw,bus=scsi,driver.cache=none,driver.io=native --network network=default"
"kvm-vi-io-uring|app01|--name app01 --memory 2048 --vcpus 2 --osinfo debian11 --disk path=$IMG/app01.raw,size=20,format=raw,bus=virtio,driver.cache=none,driver.io=io_uring --network network=default"
"kvm-vi-tmpfs-disk|ci-runner|--name ci-runner --memory 2048 --vcpus 2 --osinfo debian11 --disk path=/dev/shm/ci-runner.raw,format=raw,bus=virtio --network network=default"
"kvm-vi-host-model|mig01|--name mig01 --memory 2048 --vcpus 2 --osinfo debian11 --cpu host-model --disk path=$IMG/mig01.qcow2,size=20 --network network=default"
"kvm-vi-pinned-overlap|rt01|--name rt01 --memory 1024 --vcpus 2 --osinfo debian11 --memorybacking hugepages=on --cputune vcpupin0.vcpu=0,vcpupin0.cpuset=0,vcpupin1.vcpu=1,vcpupin1.cpuset=1,emulatorpin.cpuset=0-1 --disk path=$IMG/rt01.raw,size=10,format=raw,driver.cache=none,driver.io=native --network network=default"
"kvm-vi-hugepages-1g|hpc01|--name hpc01 --memory 16384 --vcpus 8 --osinfo debian11 --cpu host-passthrough --memorybacking hugepages.page0.size=1,hugepages.page0.unit=G --disk path=$IMG/hpc01.raw,size=40,format=raw,driver.cache=none,driver.io=native --network network=default"
"kvm-vi-numa-custom-cpu|numa01|--name numa01 --memory 2048 --vcpus 4 --osinfo debian11 --cpu Opteron_G3,require=invtsc,disable=svm,cell0.id=0,cell0.cpus=0-1,cell0.memory=1048576,cell1.id=1,cell1.cpus=2-3,cell1.memory=1048576 --xml ./cpu/maxphysaddr/@mode=emulate --xml ./cpu/maxphysaddr/@bits=42 --numatune memory.mode=strict,memory.nodeset=0-1,memnode0.cellid=0,memnode0.mode=strict,memnode0.nodeset=0,memnode1.cellid=1,memnode1.mode=strict,memnode1.nodeset=1 --disk path=$IMG/numa01.qcow2,size=20 --network network=default"
"kvm-vi-wide-guest|analytics|--name analytics --memory 6144 --vcpus 6 --osinfo debian11 --disk path=$IMG/analytics.qcow2,size=40 --network network=default"
"kvm-vi-tcg|cross01|--name cross01 --virt-type qemu --memory 1024 --vcpus 1 --osinfo debian11 --disk path=$IMG/cross01.qcow2,size=10 --network network=default"
"kvm-vi-tuned-pinned|tuned01|--name tuned01 --memory 8192 --vcpus 4 --osinfo debian11 --cpu host-passthrough,topology.sockets=1,topology.dies=1,topology.cores=2,topology.threads=2 --iothreads 1 --cputune vcpupin0.vcpu=0,vcpupin0.cpuset=2,vcpupin1.vcpu=1,vcpupin1.cpuset=18,vcpupin2.vcpu=2,vcpupin2.cpuset=3,vcpupin3.vcpu=3,vcpupin3.cpuset=19,emulatorpin.cpuset=0\,16,iothreadpin0.iothread=1,iothreadpin0.cpuset=0\,16 --numatune memory.mode=strict,memory.nodeset=0 --disk path=$IMG/tuned01.raw,size=40,format=raw,bus=virtio,driver.cache=none,driver.io=native,driver.iothread=1 --network network=default,model=virtio,driver.queues=4"
)
for n in 1 2 3 4 5; do
	ITEMS+=("kvm-vi-contended|batch0$n|--name batch0$n --memory 4096 --vcpus 8 --osinfo debian11 --cpu host-passthrough --disk path=$IMG/batch0$n.qcow2,size=20 --network network=default")
done

# virt-install attaches only existing files without a size= (ISOs, a disk on tmpfs); empty stand-ins for the moment of capture
ISOS=("$IMG/Win10_22H2_English_x64.iso" "$IMG/CentOS-7-x86_64-Minimal-2009.iso" /dev/shm/ci-runner.raw)
made=()
for iso in "${ISOS[@]}"; do
	if [ ! -e "$iso" ]; then
		touch "$iso"
		made+=("$iso")
	fi
done
trap 'rm -f "${made[@]}"' EXIT

want=("$@")
for entry in "${ITEMS[@]}"; do
	IFS='|' read -r item guest args <<<"$entry"
	if [ ${#want[@]} -gt 0 ] && [[ ! " ${want[*]} " == *" $item "* ]]; then
		continue
	fi
	mkdir -p "$item"
	printed=$(mktemp)
	# shellcheck disable=SC2086
	eval "$VI $args" >"$printed"
	tmpname="vwcorp-$guest-$$"
	sed -i "s|<name>$guest</name>|<name>$tmpname</name>|" "$printed"
	if virsh -q define "$printed" >/dev/null; then
		virsh -q dumpxml --inactive "$tmpname" | sed "s|<name>$tmpname</name>|<name>$guest</name>|" >"$item/$guest.xml"
		virsh -q undefine "$tmpname" >/dev/null
		echo "$item/$guest.xml: virsh dumpxml --inactive of virt-install's output"
	else
		sed "s|<name>$tmpname</name>|<name>$guest</name>|" "$printed" >"$item/$guest.xml"
		echo "$item/$guest.xml: libvirt refused it, kept virt-install's own output"
	fi
	rm -f "$printed"
done
