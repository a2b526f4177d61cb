package io.virtwise.probe.kvm;

import io.virtwise.facts.VirtFacts;
import io.virtwise.host.HostRoots;
import io.virtwise.host.VirtReader;
import java.util.List;

/**
 * KVM or TCG for the probe guest. KVM only where /dev/kvm is hardware KVM: under PVM (nested
 * virtualisation without VMX) a stock kernel never boots, so the probe guest runs under TCG and
 * every guest figure is emulated. The host is read the way host inspection reads it.
 */
public final class AccelChoice {

	private final HostRoots roots;

	public AccelChoice(HostRoots roots) {
		this.roots = roots;
	}

	/** {@code kvm} or {@code qemu} (TCG), with a note saying why when it is TCG. */
	public String choose(ProbeGuest.Target target, List<String> notes) {
		VirtFacts virt = new VirtReader(roots).read();
		boolean pvm = virt != null && "pvm".equals(virt.kvmFlavour());
		boolean kvm = virt != null && Boolean.TRUE.equals(virt.kvmDevicePresent()) && !pvm;
		boolean targetKvm = target == null || "kvm".equals(target.facts().accel());
		if (kvm && targetKvm) {
			return "kvm";
		}
		if (pvm && targetKvm) {
			notes.add("/dev/kvm is PVM here: a type='kvm' guest starts but its kernel never boots, so the probe guest runs "
					+ "under TCG (type='qemu')" + (target == null ? "" : " instead of " + target.facts().name() + "'s type='kvm'"));
		}
		else if (!kvm) {
			notes.add("no usable /dev/kvm: the probe guest runs under TCG (type='qemu')");
		}
		return "qemu";
	}
}
