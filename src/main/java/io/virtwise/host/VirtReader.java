package io.virtwise.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import io.virtwise.facts.VirtFacts;

/**
 * Virtualisation support: CPU flags from /proc/cpuinfo, /dev/kvm and /dev/vhost-net, the KVM
 * modules under /sys/module, the kernel command line, and what names the hypervisor above us.
 */
public final class VirtReader {

	private final HostRoots roots;

	public VirtReader(HostRoots roots) {
		this.roots = roots;
	}

	public VirtFacts read() {
		CpuInfoReader.CpuInfo info = new CpuInfoReader(roots).read();
		Set<String> flags = info == null ? null : info.flags();
		String hardwareVirt = flags == null ? null
				: flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : "none";
		Boolean runningAsGuest = flags == null ? null : flags.contains("hypervisor");

		boolean devKnown = Files.isDirectory(roots.dev());
		Path kvm = roots.dev().resolve("kvm");
		Boolean kvmPresent = devKnown ? Files.exists(kvm) : null;
		// Whether *this* process may open it: that is what decides if QEMU run by this user gets KVM.
		Boolean kvmAccessible = kvmPresent == null ? null
				: kvmPresent && Files.isReadable(kvm) && Files.isWritable(kvm);

		Path modules = roots.sys().resolve("module");
		boolean modulesKnown = Files.isDirectory(modules);
		String flavour = modulesKnown ? flavour(modules) : null;
		Boolean nested = nested(modules, flavour);
		String hypervisor = hypervisor(runningAsGuest);
		Boolean vhostNet = devKnown || modulesKnown
				? Files.exists(roots.dev().resolve("vhost-net")) || Files.isDirectory(modules.resolve("vhost_net"))
				: null;

		if (hardwareVirt == null && kvmPresent == null && flavour == null && hypervisor == null && vhostNet == null) {
			return null;
		}
		Long haltPollNs = modulesKnown ? SysfsText.parseLong(SysfsText.read(modules.resolve("kvm/parameters/halt_poll_ns"))) : null;
		return new VirtFacts(hardwareVirt, kvmPresent, kvmAccessible, flavour, nested, runningAsGuest, hypervisor,
				vhostNet, haltPollNs);
	}

	/**
	 * Which module provides /dev/kvm. Hardware KVM wins when a PVM module is loaded beside it,
	 * since /dev/kvm then belongs to the hardware module.
	 */
	private static String flavour(Path modules) {
		if (Files.isDirectory(modules.resolve("kvm_intel"))) {
			return "intel";
		}
		if (Files.isDirectory(modules.resolve("kvm_amd"))) {
			return "amd";
		}
		if (Files.isDirectory(modules.resolve("kvm_pvm"))) {
			return "pvm";
		}
		return null;
	}

	private Boolean nested(Path modules, String flavour) {
		if (flavour == null) {
			return null;
		}
		if (flavour.equals("pvm")) {
			// PVM has no module parameter for it; nesting is switched on at boot.
			String cmdline = SysfsText.read(roots.proc().resolve("cmdline"));
			if (cmdline == null) {
				return null;
			}
			for (String token : cmdline.split("\\s+")) {
				if (token.equals("--")) {
					break; // what follows belongs to init, not the kernel
				}
				if (token.startsWith("nested_pvm=")) {
					return SysfsText.parseFlag(token.substring("nested_pvm=".length()));
				}
			}
			return false;
		}
		return SysfsText.parseFlag(SysfsText.read(modules.resolve("kvm_" + flavour + "/parameters/nested")));
	}

	/**
	 * Xen says so in /sys/hypervisor/type; other hypervisors show through DMI. DMI is only used
	 * when the CPU reports a hypervisor, because on bare metal it names the board vendor.
	 */
	private String hypervisor(Boolean runningAsGuest) {
		String type = nonEmpty(SysfsText.read(roots.sys().resolve("hypervisor/type")));
		if (type != null || !Boolean.TRUE.equals(runningAsGuest)) {
			return type;
		}
		Path dmi = roots.sys().resolve("class/dmi/id");
		String vendor = nonEmpty(SysfsText.read(dmi.resolve("sys_vendor")));
		return vendor != null ? vendor : nonEmpty(SysfsText.read(dmi.resolve("product_name")));
	}

	private static String nonEmpty(String s) {
		return s == null || s.isEmpty() ? null : s;
	}
}
