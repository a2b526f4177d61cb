package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Virtualisation support. {@code hardwareVirt} is vmx, svm or none (from the CPU flags);
 * {@code kvmFlavour} is what provides /dev/kvm (intel, amd, pvm); {@code runningAsGuest}
 * is true when the CPU reports a hypervisor under us; {@code haltPollNs} is KVM's halt_poll_ns module
 * parameter, how long a halted vCPU polls before it sleeps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VirtFacts(
		String hardwareVirt,
		Boolean kvmDevicePresent,
		Boolean kvmDeviceAccessible,
		String kvmFlavour,
		Boolean nestedEnabled,
		Boolean runningAsGuest,
		String hypervisor,
		Boolean vhostNetPresent,
		Long haltPollNs) {

	public VirtFacts(String hardwareVirt, Boolean kvmDevicePresent, Boolean kvmDeviceAccessible, String kvmFlavour,
			Boolean nestedEnabled, Boolean runningAsGuest, String hypervisor, Boolean vhostNetPresent) {
		this(hardwareVirt, kvmDevicePresent, kvmDeviceAccessible, kvmFlavour, nestedEnabled, runningAsGuest, hypervisor,
				vhostNetPresent, null);
	}
}
