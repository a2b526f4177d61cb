package io.virtwise.advice.fix;

import io.virtwise.facts.Facts;

/**
 * The host-wide plans every KVM fix refers to, worked out once per evaluation before the rules
 * run: where each guest's CPUs go ({@link CpuPlan}) and which huge pages the host reserves
 * ({@link PagePlan}). Either is null when the host's topology is unknown. Rules match this one
 * fact, so two guests' fixes can never be planned apart from each other.
 */
public record HostPlan(CpuPlan cpu, PagePlan pages) {

	/** The plans for these facts, or null when libvirt's view of the host is not among them. */
	public static HostPlan of(Facts facts) {
		if (facts.kvmNode() == null) {
			return null;
		}
		CpuPlan cpu = CpuPlan.of(facts.kvmNode(), facts.guests());
		return new HostPlan(cpu, PagePlan.of(facts.kvmNode(), facts.guests(), cpu));
	}

	public CpuPlan.Placement placement(String guest) {
		return cpu == null ? null : cpu.placement(guest);
	}
}
