package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.host.CgroupCpuReader.CfsStat;

/**
 * The lab's cgroup v1 tree is captured (capture-cgroup.sh, a container at --cpus 0.2 running a busy
 * loop); the cgroup v2 trees are written here in the kernel's documented cpu.stat format
 * (admin-guide/cgroup-v2.rst), since the lab runs v1.
 */
class CgroupCpuReaderTest {

	static final Path LAB_V1 = HostFixtures.ROOT.resolve("lab-cgroup-v1");
	static final String OTHER = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	static final String ID = "4f1e1d0b6a3c2e5f8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f";
	static final String V2_MOUNTS = "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0\n";
	static final String V2_STAT = "usage_usec 40117033\nuser_usec 39871190\nsystem_usec 245843\ncore_sched.force_idle_usec 0\n"
			+ "nr_periods 2006\nnr_throttled 1989\nthrottled_usec 160284417\nnr_bursts 0\nburst_usec 0\n";

	static String labId() {
		return labField("id");
	}

	static long labPid() {
		return Long.parseLong(labField("pid"));
	}

	private static String labField(String key) {
		try {
			for (String line : Files.readAllLines(LAB_V1.resolve("container"))) {
				if (line.startsWith(key + " ")) {
					return line.substring(key.length() + 1).trim();
				}
			}
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		throw new IllegalStateException("no " + key + " in the capture");
	}

	@Test
	void labContainerIsThrottledAsCaptured() {
		CfsStat stat = new CgroupCpuReader(HostRoots.under(LAB_V1)).read(labId(), labPid());

		// --cpus 0.2 with a busy loop: its quota runs out in nearly every period it runs
		assertThat(stat).isEqualTo(new CfsStat(251, 249));
	}

	@Test
	void withoutAPidDockersOwnLayoutIsFound() {
		assertThat(new CgroupCpuReader(HostRoots.under(LAB_V1)).read(labId(), null)).isEqualTo(new CfsStat(251, 249));
		assertThat(new CgroupCpuReader(HostRoots.under(LAB_V1)).read(labId(), 0L)).isEqualTo(new CfsStat(251, 249));
	}

	@Test
	void aPidWhoseCgroupNamesAnotherContainerIsNotBelieved(@TempDir Path tmp) {
		Path root = HostFixtures.copy(LAB_V1, tmp.resolve("host"));
		// another PID namespace's pid 7 is someone else here
		HostFixtures.write(root.resolve("proc/7/cgroup"), "1:cpu:/docker/" + OTHER + "\n0::/docker/" + OTHER + "\n");
		HostFixtures.write(root.resolve("sys/fs/cgroup/cpu/docker/" + OTHER + "/cpu.stat"), "nr_periods 10\nnr_throttled 0\nthrottled_time 0\n");

		assertThat(new CgroupCpuReader(HostRoots.under(root)).read(labId(), 7L)).isEqualTo(new CfsStat(251, 249));
	}

	@Test
	void theUnifiedHierarchyOfAHybridHostHasNoBandwidthCounters(@TempDir Path tmp) {
		Path root = HostFixtures.copy(LAB_V1, tmp.resolve("host"));
		// without the v1 cpu mount only the controller-less unified hierarchy is left
		HostFixtures.write(root.resolve("proc/mounts"), "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0\n");

		assertThat(new CgroupCpuReader(HostRoots.under(root)).read(labId(), labPid())).isNull();
	}

	@Test
	void cgroupV2WithTheSystemdDriver(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/mounts"), V2_MOUNTS);
		HostFixtures.write(tmp.resolve("proc/4242/cgroup"), "0::/system.slice/docker-" + ID + ".scope\n");
		HostFixtures.write(tmp.resolve("sys/fs/cgroup/system.slice/docker-" + ID + ".scope/cpu.stat"), V2_STAT);

		assertThat(new CgroupCpuReader(HostRoots.under(tmp)).read(ID, 4242L)).isEqualTo(new CfsStat(2006, 1989));
		assertThat(new CgroupCpuReader(HostRoots.under(tmp)).read(ID, null)).isEqualTo(new CfsStat(2006, 1989));
	}

	@Test
	void cgroupV2WithTheCgroupfsDriver(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/mounts"), V2_MOUNTS);
		HostFixtures.write(tmp.resolve("sys/fs/cgroup/docker/" + ID + "/cpu.stat"), V2_STAT);

		assertThat(new CgroupCpuReader(HostRoots.under(tmp)).read(ID, null)).isEqualTo(new CfsStat(2006, 1989));
	}

	@Test
	void aProcessInAChildCgroupIsCountedAtTheContainersOwn(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/mounts"), V2_MOUNTS);
		// systemd inside the container moves itself to init.scope, which has no quota of its own
		HostFixtures.write(tmp.resolve("proc/4242/cgroup"), "0::/system.slice/docker-" + ID + ".scope/init.scope\n");
		HostFixtures.write(tmp.resolve("sys/fs/cgroup/system.slice/docker-" + ID + ".scope/cpu.stat"), V2_STAT);
		HostFixtures.write(tmp.resolve("sys/fs/cgroup/system.slice/docker-" + ID + ".scope/init.scope/cpu.stat"),
				"usage_usec 5\nuser_usec 5\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");

		assertThat(new CgroupCpuReader(HostRoots.under(tmp)).read(ID, 4242L)).isEqualTo(new CfsStat(2006, 1989));
	}

	@Test
	void aCgroupParentIsFoundThroughTheProcess(@TempDir Path tmp) {
		HostFixtures.write(tmp.resolve("proc/mounts"), "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0\n"
				+ "cgroup /sys/fs/cgroup/cpuset cgroup rw,nosuid,nodev,noexec,relatime,cpuset 0 0\n");
		HostFixtures.write(tmp.resolve("proc/4242/cgroup"), "4:cpuset:/batch/" + ID + "\n3:cpu,cpuacct:/batch/" + ID + "\n");
		HostFixtures.write(tmp.resolve("sys/fs/cgroup/cpu,cpuacct/batch/" + ID + "/cpu.stat"),
				"nr_periods 500\nnr_throttled 125\nthrottled_time 9000000000\n");

		assertThat(new CgroupCpuReader(HostRoots.under(tmp)).read(ID, 4242L)).isEqualTo(new CfsStat(500, 125));
		// the cpuset hierarchy is not the cpu controller's
		assertThat(new CgroupCpuReader(HostRoots.under(tmp)).read(ID, null)).isNull();
	}

	@Test
	void pathsThatLeaveTheHierarchyOrNameNoContainerAreRefused() {
		assertThat(CgroupCpuReader.upToContainer("/../../etc/" + ID, ID)).isNull();
		assertThat(CgroupCpuReader.upToContainer("/user.slice", ID)).isNull();
		assertThat(CgroupCpuReader.upToContainer("/a/docker-" + ID + ".scope/b", ID)).isEqualTo("a/docker-" + ID + ".scope");
	}

	@Test
	void anIdThatIsNotOneIsNeverLookedUp() {
		CgroupCpuReader reader = new CgroupCpuReader(HostRoots.under(LAB_V1));
		assertThat(reader.read("../../..", labPid())).isNull();
		assertThat(reader.read(null, labPid())).isNull();
	}

	@Test
	void cpuStatNeedsBothCountersAndSaneOnes() {
		assertThat(CgroupCpuReader.parse(List.of("nr_periods 10", "nr_throttled 3"))).isEqualTo(new CfsStat(10, 3));
		assertThat(CgroupCpuReader.parse(List.of("nr_periods 10"))).isNull();
		assertThat(CgroupCpuReader.parse(List.of("nr_periods 10", "nr_throttled 11"))).isNull();
		assertThat(CgroupCpuReader.parse(List.of("nr_periods x", "nr_throttled 1"))).isNull();
		assertThat(CgroupCpuReader.parse(null)).isNull();
	}
}
