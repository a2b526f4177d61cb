package io.virtwise.host;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A container's CFS bandwidth counters from its cgroup's cpu.stat: {@code nr_periods} and
 * {@code nr_throttled}, which cgroup v1 and v2 both write (kernel scheduler/sched-bwc.rst).
 *
 * <p>The cgroup is found the way the kernel states it: the container's main process's
 * /proc/PID/cgroup line for the cpu controller (v1) or the unified line (v2), under the mount
 * point /proc/mounts gives that hierarchy. That covers the cgroupfs and systemd drivers and any
 * --cgroup-parent. A path that does not name the container's id is not used (another PID
 * namespace's pid would name someone else's cgroup); then, or without a pid, Docker's two
 * default layouts are tried: {@code docker/ID} (cgroupfs) and {@code system.slice/docker-ID.scope}
 * (systemd).
 */
public final class CgroupCpuReader {

	/** Since the cgroup was made: enforcement periods in which it ran, and those in which its quota ran out. */
	public record CfsStat(long periods, long throttledPeriods) {
	}

	private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{12,64}");

	private final HostRoots roots;

	public CgroupCpuReader(HostRoots roots) {
		this.roots = roots;
	}

	/**
	 * @param containerId the container's full id
	 * @param pid its main process as the engine reports it (State.Pid), or {@code null} / 0 when not running
	 * @return {@code null} when no cpu.stat with both counters is found
	 */
	public CfsStat read(String containerId, Long pid) {
		if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
			return null;
		}
		List<CpuMount> mounts = cpuMounts();
		if (mounts.isEmpty()) {
			return null;
		}
		Set<Path> candidates = new LinkedHashSet<>();
		if (pid != null && pid > 0) {
			candidates.addAll(fromProcess(pid, containerId, mounts));
		}
		for (CpuMount mount : mounts) {
			candidates.add(mount.dir().resolve("docker").resolve(containerId));
			candidates.add(mount.dir().resolve("system.slice").resolve("docker-" + containerId + ".scope"));
		}
		for (Path dir : candidates) {
			CfsStat stat = parse(SysfsText.readLines(dir.resolve("cpu.stat")));
			if (stat != null) {
				return stat;
			}
		}
		return null;
	}

	/** {@code nr_periods} and {@code nr_throttled} from cpu.stat's {@code key value} lines; null unless both are there. */
	static CfsStat parse(List<String> lines) {
		if (lines == null) {
			return null;
		}
		Map<String, String> fields = new java.util.HashMap<>();
		for (String line : lines) {
			String[] kv = line.trim().split("\\s+");
			if (kv.length == 2) {
				fields.putIfAbsent(kv[0], kv[1]);
			}
		}
		Long periods = SysfsText.parseLong(fields.get("nr_periods"));
		Long throttled = SysfsText.parseLong(fields.get("nr_throttled"));
		if (periods == null || throttled == null || periods < 0 || throttled < 0 || throttled > periods) {
			return null;
		}
		return new CfsStat(periods, throttled);
	}

	/** A hierarchy holding the cpu controller, as a directory under the injected /sys. */
	private record CpuMount(Path dir, boolean unified) {
	}

	/** cgroup v1 mounts with the cpu controller first, then cgroup2 mounts; only those under /sys. */
	private List<CpuMount> cpuMounts() {
		List<String> lines = SysfsText.readLines(roots.proc().resolve("mounts"));
		List<CpuMount> v1 = new ArrayList<>();
		List<CpuMount> v2 = new ArrayList<>();
		if (lines == null) {
			return v1;
		}
		for (String line : lines) {
			String[] f = line.trim().split("\\s+");
			if (f.length < 4) {
				continue;
			}
			Path dir = underSys(SysfsText.unescapeMountField(f[1]));
			if (dir == null) {
				continue;
			}
			if (f[2].equals("cgroup") && Arrays.asList(f[3].split(",")).contains("cpu")) {
				v1.add(new CpuMount(dir, false));
			}
			else if (f[2].equals("cgroup2")) {
				v2.add(new CpuMount(dir, true));
			}
		}
		v1.addAll(v2);
		return v1;
	}

	private Path underSys(String mountPoint) {
		if (!mountPoint.startsWith("/sys/")) {
			return null;
		}
		return roots.sys().resolve(mountPoint.substring("/sys/".length()));
	}

	/**
	 * The process's cgroup for the cpu controller under each matching mount, cut after the
	 * component naming the container (a process inside may have moved to a child cgroup, which
	 * has no quota of its own).
	 */
	private List<Path> fromProcess(long pid, String containerId, List<CpuMount> mounts) {
		List<String> lines = SysfsText.readLines(roots.proc().resolve(Long.toString(pid)).resolve("cgroup"));
		List<Path> found = new ArrayList<>();
		if (lines == null) {
			return found;
		}
		String v1 = null;
		String v2 = null;
		for (String line : lines) {
			String[] parts = line.split(":", 3);
			if (parts.length != 3) {
				continue;
			}
			if (parts[0].equals("0") && parts[1].isEmpty()) {
				v2 = parts[2];
			}
			else if (Arrays.asList(parts[1].split(",")).contains("cpu")) {
				v1 = parts[2];
			}
		}
		for (CpuMount mount : mounts) {
			String path = mount.unified() ? v2 : v1;
			String own = path == null ? null : upToContainer(path, containerId);
			if (own != null) {
				found.add(mount.dir().resolve(own));
			}
		}
		return found;
	}

	/** The path relative to its hierarchy's root, ending at the component that names the container; null if none does. */
	static String upToContainer(String path, String containerId) {
		List<String> kept = new ArrayList<>();
		for (String part : path.split("/")) {
			if (part.isEmpty() || part.equals(".") || part.equals("..")) {
				// never let a path from /proc walk out of the cgroup mount
				if (part.equals("..")) {
					return null;
				}
				continue;
			}
			kept.add(part);
			if (part.contains(containerId)) {
				return String.join("/", kept);
			}
		}
		return null;
	}
}
