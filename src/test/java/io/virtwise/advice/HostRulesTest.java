package io.virtwise.advice;

import static io.virtwise.advice.RuleTesting.assertComplete;
import static io.virtwise.advice.RuleTesting.assertStableOnceJitCompiled;
import static io.virtwise.advice.RuleTesting.find;
import static io.virtwise.advice.RuleTesting.ids;
import static io.virtwise.advice.RuleTesting.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.facts.Facts;
import io.virtwise.facts.KvmNodeFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The host rule families against untuned, tuned and focused fixtures. */
class HostRulesTest {

	static final List<String> HOST_IDS = List.of("HOST-HUGEPAGES-PLAN", "HOST-HUGETLBFS-UNMOUNTED", "HOST-THP-NEVER",
			"HOST-THP-DEFRAG-ALWAYS", "HOST-SWAP-GUEST-RAM", "HOST-CPU-GOVERNOR", "HOST-NUMA-GUEST-SPANS",
			"HOST-NUMA-CONTAINER-SPANS", "HOST-NUMA-BALANCING", "HOST-KVM-MISSING", "HOST-KVM-NO-ACCESS",
			"HOST-IS-GUEST", "HOST-NESTED-PVM", "HOST-VHOST-NET-MISSING", "HOST-DISK-SCHEDULER");

	static List<String> hostIds() {
		return HOST_IDS;
	}

	// local overloads hide RuleTesting.advise(Facts): the Facts form is repeated here
	static List<Recommendation> advise(Facts facts) {
		return RuleTesting.advise(facts);
	}

	static List<Recommendation> advise(String fixture) {
		return advise(Fixtures.load(fixture));
	}

	static List<Recommendation> advise(String fixture, Consumer<ObjectNode> edit) {
		return advise(Fixtures.load(fixture, edit));
	}

	// --- untuned: every rule that one host can express fires, each with its evidence ---

	// The fixture is a Docker host too: docker rule families have their say in DockerRulesTest.
	@Test
	void untunedHostFiresExactlyTheExpectedFindings() {
		List<String> found = advise("untuned-host.json").stream()
			.filter(r -> r.id().startsWith("HOST-"))
			.map(r -> r.id() + "@" + r.subject())
			.toList();

		// no libvirt view of this host (no KvmNodeFacts): no page plan, and /dev/kvm access is only a note about this user;
		// its guests have no virtio NICs, so vhost-net is nobody's concern
		assertThat(found).containsExactlyInAnyOrder("HOST-THP-DEFRAG-ALWAYS@host", "HOST-SWAP-GUEST-RAM@host",
				"HOST-CPU-GOVERNOR@host", "HOST-NUMA-GUEST-SPANS@web", "HOST-NUMA-GUEST-SPANS@batch", "HOST-NUMA-GUEST-SPANS@db",
				"HOST-NUMA-CONTAINER-SPANS@api", "HOST-NUMA-BALANCING@host", "HOST-KVM-NO-ACCESS@host", "HOST-DISK-SCHEDULER@host");
	}

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource(delimiter = '|', textBlock = """
			HOST-THP-DEFRAG-ALWAYS    | host  | host-memory.drl  | host.thp.defrag                  | always
			HOST-SWAP-GUEST-RAM       | host  | host-memory.drl  | host.memory.swapTotalKb          | 8388608
			HOST-CPU-GOVERNOR         | host  | host-cpu.drl     | host.cpuGovernor                 | powersave
			HOST-NUMA-GUEST-SPANS     | web   | host-cpu.drl     | guests[web].pinnedCpus           | [6, 7, 8, 9]
			HOST-NUMA-GUEST-SPANS     | batch | host-cpu.drl     | guests[batch].numaNodes          | [0, 1]
			HOST-NUMA-GUEST-SPANS     | db    | host-cpu.drl     | guests[db].vcpus                 | 20
			HOST-NUMA-CONTAINER-SPANS | api   | host-cpu.drl     | containers[api].cpusetCpus       | [6-9]
			HOST-NUMA-BALANCING       | host  | host-cpu.drl     | host.kernel.numaBalancing        | true
			HOST-KVM-NO-ACCESS        | host  | host-virt.drl    | host.virt.kvmDeviceAccessible    | false
			HOST-DISK-SCHEDULER       | host  | host-storage.drl | host.disks[nvme0n1].scheduler    | mq-deadline
			""")
	void firesOnUntunedHostWithEvidenceFixAndSource(String id, String subject, String file, String fact, String value) {
		Recommendation r = find(advise("untuned-host.json"), id, subject).orElseThrow(
				() -> new AssertionError(id + " did not fire for " + subject));

		assertThat(r.evidence()).contains(new Evidence(fact, value));
		assertComplete(r, file);
	}

	@ParameterizedTest
	@MethodSource("hostIds")
	void silentOnTunedHost(String id) {
		assertThat(ids(advise("tuned-host.json"))).doesNotContain(id);
	}

	@Test
	void tunedHostHasNoHostFindingsAtAll() {
		assertThat(advise("tuned-host.json")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "untuned-host.json", "tuned-host.json", "kvm-missing.json", "nested-guest.json" })
	void adviceIsStableOnceConstraintsAreJitCompiled(String fixture) {
		assertStableOnceJitCompiled(Fixtures.load(fixture));
	}

	// --- concrete fixes ---

	@Test
	void numaFixesNameTheHomeNodeAndItsCpus() {
		List<Recommendation> all = advise("untuned-host.json");

		assertThat(find(all, "HOST-NUMA-CONTAINER-SPANS", "api").orElseThrow().fix())
			.contains("docker update --cpuset-cpus 0-7,16-23 --cpuset-mems 0 api");
		// a guest pinned over both nodes is told where its home node is; no placeholder command is printed as if exact
		assertThat(find(all, "HOST-NUMA-GUEST-SPANS", "web").orElseThrow().fix())
			.anySatisfy(line -> assertThat(line).startsWith("# re-pin each vCPU to a CPU of node 0 (0-7,16-23)"))
			.noneSatisfy(line -> assertThat(line).contains("<vcpu>", "<cpu>"));
		// no libvirt view of the host here, so no plan to split db over the nodes: shrinking is the way offered
		assertThat(find(all, "HOST-NUMA-GUEST-SPANS", "db").orElseThrow().fix())
			.anySatisfy(line -> assertThat(line).contains("shrink it to 16 vCPUs (virsh setvcpus db 16 --config --maximum"));
	}

	@Test
	void eachGuestIsToldOnceEvenWhenItSpansNodesInSeveralWays() {
		List<Recommendation> all = advise("untuned-host.json", tree -> {
			ObjectNode web = Fixtures.at(tree, "/guests/0");
			web.putArray("numaNodes").add(0).add(1);
			web.put("vcpus", 24);
		});

		assertThat(all.stream().filter(r -> r.subject().equals("web"))).singleElement()
			.satisfies(r -> assertThat(r.rule()).isEqualTo("host-cpu.drl: Guest pinned to CPUs on several NUMA nodes"));
	}

	@Test
	void numaRulesAreSilentOnASingleNodeHost() {
		List<Recommendation> all = advise("untuned-host.json", tree -> {
			ArrayNode cpus = Fixtures.at(tree, "/host/numaNodes/0").putArray("cpus");
			for (int cpu = 0; cpu < 32; cpu++) {
				cpus.add(cpu);
			}
			((ArrayNode) tree.at("/host/numaNodes")).remove(1);
		});

		assertThat(ids(all)).doesNotContain("HOST-NUMA-GUEST-SPANS", "HOST-NUMA-CONTAINER-SPANS", "HOST-NUMA-BALANCING");
	}

	// --- memory family: cases one fixture cannot hold ---

	@Test
	void thpNeverFiresOnAKvmHostAndDefragRuleStaysSilent() {
		List<Recommendation> all = advise("untuned-host.json", tree -> Fixtures.at(tree, "/host/thp").put("enabled", "never"));

		Recommendation r = only(all, "HOST-THP-NEVER");
		assertThat(r.evidence()).contains(new Evidence("host.thp.enabled", "never"));
		assertThat(r.fix()).contains("echo madvise > /sys/kernel/mm/transparent_hugepage/enabled   # QEMU madvises guest RAM, so guests get THP",
				"echo defer+madvise > /sys/kernel/mm/transparent_hugepage/defrag");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("transparent_hugepage=madvise"));
		assertThat(r.rule()).startsWith("host-memory.drl: ");
		assertThat(r.expectedEffect()).contains("-1%").doesNotContain("0.0394");
		assertThat(r.rollback()).contains("echo never > /sys/kernel/mm/transparent_hugepage/enabled");
		assertThat(ids(all)).doesNotContain("HOST-THP-DEFRAG-ALWAYS");
	}

	@Test
	void kvmHostAdviceNeedsGuests() {
		// the same host with no guests at all: a Docker host that merely has /dev/kvm
		List<Recommendation> all = advise("untuned-host.json", tree -> {
			tree.putArray("guests");
			Fixtures.at(tree, "/host/thp").put("enabled", "never");
		});

		assertThat(ids(all)).doesNotContain("HOST-THP-NEVER", "HOST-SWAP-GUEST-RAM", "HOST-HUGETLBFS-UNMOUNTED",
				"HOST-VHOST-NET-MISSING", "HOST-HUGEPAGES-PLAN");
		assertThat(all).filteredOn(r -> r.id().equals("HOST-KVM-NO-ACCESS")).allSatisfy(
				r -> assertThat(r.severity()).isEqualTo(Severity.INFO));
	}

	@Test
	void thpNeverIsSilentWithoutKvm() {
		assertThat(ids(advise("kvm-missing.json", tree -> Fixtures.at(tree, "/host/thp").put("enabled", "never"))))
			.doesNotContain("HOST-THP-NEVER");
	}

	@Test
	void hugetlbfsRuleCitesTheReservedPoolWhenPagesAreReserved() {
		List<Recommendation> all = advise("tuned-host.json", tree -> {
			Fixtures.at(tree, "/host").putArray("hugetlbfsMounts");
			Fixtures.at(tree, "/host/hugePages/1").put("total", 16);
		});
		assertThat(ids(advise("tuned-host.json", tree -> {
			Fixtures.at(tree, "/host").putArray("hugetlbfsMounts");
			Fixtures.at(tree, "/host/hugePages/1").put("total", 16);
			tree.withArray("/guests").forEach(g -> ((ObjectNode) g).put("hugepageBacked", false));
		}))).as("pages reserved for something other than guests (MAP_HUGETLB needs no mount)").doesNotContain("HOST-HUGETLBFS-UNMOUNTED");

		Recommendation r = only(all, "HOST-HUGETLBFS-UNMOUNTED");
		assertThat(r.rule()).isEqualTo("host-memory.drl: hugetlbfs not mounted while huge pages are reserved");
		assertThat(r.evidence()).contains(new Evidence("host.hugePages[2048kB].total", "14336"));
		assertThat(r.fix()).contains("mkdir -p /dev/hugepages && mount -t hugetlbfs hugetlbfs /dev/hugepages");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("/etc/fstab"));
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("libvirtd"));
		assertThat(r.rollback()).anySatisfy(line -> assertThat(line).startsWith("umount /dev/hugepages"));
	}

	@Test
	void hugetlbfsRuleIsSilentWhenMountsAreUnknown() {
		assertThat(ids(advise("untuned-host.json", tree -> Fixtures.at(tree, "/host").remove("hugetlbfsMounts"))))
			.doesNotContain("HOST-HUGETLBFS-UNMOUNTED");
	}

	@Test
	void swapRuleIsSilentWithoutSwapAndWhenGuestRamIsInHugePages() {
		assertThat(ids(advise("untuned-host.json", tree -> Fixtures.at(tree, "/host/memory").put("swapTotalKb", 0))))
			.doesNotContain("HOST-SWAP-GUEST-RAM");
		assertThat(ids(advise("tuned-host.json"))).doesNotContain("HOST-SWAP-GUEST-RAM");
	}

	// --- cpu family: the governor belongs to whoever owns the hardware ---

	@Test
	void governorIsSilentInsideAGuestEvenWhenKnown() {
		assertThat(ids(advise("nested-guest.json", tree -> Fixtures.at(tree, "/host").put("cpuGovernor", "powersave"))))
			.doesNotContain("HOST-CPU-GOVERNOR");
	}

	@Test
	void governorIsSilentWhenUnknownOrWhenItIsUnknownWhetherThisIsAGuest() {
		assertThat(ids(advise("untuned-host.json", tree -> Fixtures.at(tree, "/host").remove("cpuGovernor"))))
			.doesNotContain("HOST-CPU-GOVERNOR");
		assertThat(ids(advise("untuned-host.json", tree -> Fixtures.at(tree, "/host/virt").remove("runningAsGuest"))))
			.doesNotContain("HOST-CPU-GOVERNOR");
	}

	@Test
	void governorFixSetsPerformance() {
		Recommendation r = only(advise("untuned-host.json"), "HOST-CPU-GOVERNOR");

		assertThat(r.fix()).contains("cpupower frequency-set -g performance");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("scaling_governor"));
		assertThat(r.tradeOff()).containsIgnoringCase("power");
	}

	// --- virt family ---

	@Test
	void kvmMissingOnBareMetalWithVtxSaysWhichModuleToLoad() {
		List<Recommendation> all = advise("kvm-missing.json");

		Recommendation r = only(all, "HOST-KVM-MISSING");
		assertThat(r.severity()).isEqualTo(Severity.HIGH);
		assertThat(r.rule()).isEqualTo("host-virt.drl: KVM device missing with hardware virtualisation available");
		assertThat(r.evidence()).contains(new Evidence("host.virt.kvmDevicePresent", "false"),
				new Evidence("host.virt.hardwareVirt", "vmx"));
		assertThat(r.fix()).contains("modprobe kvm_intel");
		assertThat(r.source()).isNotBlank();
		// nothing else on this host is a KVM host finding: no /dev/kvm means no KVM tuning advice
		assertThat(ids(all)).containsExactly("HOST-KVM-MISSING");
	}

	@ParameterizedTest(name = "hardwareVirt={0} runningAsGuest={1}")
	@CsvSource(delimiter = '|', nullValues = "null", textBlock = """
			svm  | false | KVM device missing with hardware virtualisation available      | modprobe kvm_amd
			none | false | KVM device missing: virtualisation disabled in firmware         | firmware setup
			none | true  | KVM device missing inside a VM without nested virtualisation   | nested=1
			none | null  | KVM device missing, cause unknown                              | modprobe kvm_intel
			null | false | KVM device missing, cause unknown                              | modprobe kvm_intel
			""")
	void kvmMissingFixDependsOnWhy(String hardwareVirt, Boolean guest, String ruleName, String fixHint) {
		List<Recommendation> all = advise("kvm-missing.json", tree -> {
			ObjectNode virt = Fixtures.at(tree, "/host/virt");
			virt.put("hardwareVirt", hardwareVirt);
			virt.put("runningAsGuest", guest);
		});

		Recommendation r = only(all, "HOST-KVM-MISSING");
		assertThat(r.rule()).isEqualTo("host-virt.drl: " + ruleName);
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains(fixHint));
		assertThat(r.evidence()).contains(new Evidence("host.virt.kvmDevicePresent", "false"));
	}

	@Test
	void kvmMissingIsSilentWhenPresenceIsUnknown() {
		assertThat(ids(advise("kvm-missing.json", tree -> Fixtures.at(tree, "/host/virt").remove("kvmDevicePresent"))))
			.doesNotContain("HOST-KVM-MISSING");
	}

	@Test
	void kvmAccessIsAboutLibvirtsQemuUserNotThisOne() {
		// without libvirt's view only a note: whether this user can open /dev/kvm says nothing about QEMU's user
		Recommendation note = only(advise("untuned-host.json"), "HOST-KVM-NO-ACCESS");
		assertThat(note.severity()).isEqualTo(Severity.INFO);
		assertThat(note.fix()).singleElement().asString().contains("virsh capabilities");

		// libvirt does not list the kvm domain type although /dev/kvm exists: its QEMU user cannot open it
		Facts facts = Fixtures.load("untuned-host.json").withKvm(new KvmNodeFacts("qemu:///system", "9.0.0", null, null, 1, 1, 2, 1,
				2, 4194304L, List.of(4L, 2048L), List.of(new KvmNodeFacts.Cell(0, 4194304L, List.of(), List.of(0, 1), List.of())),
				List.of(), List.of("qemu")), Fixtures.load("untuned-host.json").guests());
		Recommendation r = only(advise(facts), "HOST-KVM-NO-ACCESS");
		assertThat(r.severity()).isEqualTo(Severity.HIGH);
		assertThat(r.evidence()).contains(new Evidence("kvmNode.domainTypes", "[qemu]"));
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).startsWith("chgrp kvm /dev/kvm && chmod 0660 /dev/kvm && usermod -aG kvm libvirt-qemu"));
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("/etc/libvirt/qemu.conf"));
		assertThat(r.rollback()).anySatisfy(line -> assertThat(line).contains("virtwise-kvm-mode.before"));
	}

	@Test
	void nestedGuestShapedLikeThisMachine() {
		List<Recommendation> all = advise("nested-guest.json");

		// it has /dev/kvm but no guests: only the note on reading figures; nothing to tune for KVM
		assertThat(ids(all)).containsExactlyInAnyOrder("HOST-IS-GUEST");
		assertThat(ids(advise("nested-guest.json", tree -> tree.putArray("guests").addObject().put("name", "vm1")
			.put("accel", "kvm").put("vcpus", 2)))).contains("HOST-NESTED-PVM");

		Recommendation guest = only(all, "HOST-IS-GUEST");
		assertThat(guest.severity()).isEqualTo(Severity.INFO);
		assertThat(guest.rule()).startsWith("host-virt.drl: ");
		assertThat(guest.evidence()).contains(new Evidence("host.virt.runningAsGuest", "true"));
		assertThat(guest.expectedEffect()).contains("Ratios").contains("do not transfer to bare metal");

		Recommendation pvm = only(advise("nested-guest.json", tree -> tree.putArray("guests").addObject().put("name", "vm1")
			.put("accel", "kvm").put("vcpus", 2)), "HOST-NESTED-PVM");
		assertThat(pvm.rule()).startsWith("host-virt.drl: ");
		assertThat(pvm.evidence()).contains(new Evidence("host.virt.kvmFlavour", "pvm"));
		assertThat(pvm.fix()).anySatisfy(line -> assertThat(line).contains("emulated"));
	}

	@Test
	void pvmNoteIsSilentForOrdinaryNestedKvm() {
		List<Recommendation> all = advise("nested-guest.json", tree -> {
			ObjectNode virt = Fixtures.at(tree, "/host/virt");
			virt.put("kvmFlavour", "intel");
			virt.put("hardwareVirt", "vmx");
			tree.putArray("guests").addObject().put("name", "vm1").put("accel", "kvm").put("vcpus", 2);
		});

		assertThat(ids(all)).contains("HOST-IS-GUEST").doesNotContain("HOST-NESTED-PVM");
	}

	@Test
	void vhostNetFixLoadsTheModuleAndCitesTcpRr() {
		assertThat(ids(advise("untuned-host.json"))).as("no guest with a virtio NIC on a tap").doesNotContain("HOST-VHOST-NET-MISSING");
		Recommendation r = only(advise("untuned-host.json", tree -> Fixtures.at(tree, "/guests/0").putArray("nics").addObject()
			.put("type", "network").put("model", "virtio")), "HOST-VHOST-NET-MISSING");

		assertThat(r.fix()).contains("modprobe vhost_net");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("/etc/modules-load.d/"));
		assertThat(r.expectedEffect()).contains("67.9 us", "37.6 us", "+81%");
		assertThat(r.rollback()).anySatisfy(line -> assertThat(line).contains("rm -f /etc/modules-load.d/vhost_net.conf"));
	}

	// --- storage family ---

	@Test
	void diskSchedulerFiresForBfqOnAnySsdButNotMqDeadlineOnSata() {
		List<Recommendation> all = advise("tuned-host.json",
				tree -> Fixtures.at(tree, "/host/disks/2").put("scheduler", "bfq"));

		Recommendation r = only(all, "HOST-DISK-SCHEDULER");
		assertThat(r.evidence()).contains(new Evidence("host.disks[sdb].scheduler", "bfq"));
		assertThat(r.fix()).contains("echo none > /sys/block/sdb/queue/scheduler");
		assertThat(r.rule()).startsWith("host-storage.drl: ");
	}

	@Test
	void diskSchedulerIsSilentWhenRotationIsUnknown() {
		assertThat(ids(advise("untuned-host.json", tree -> Fixtures.at(tree, "/host/disks/0").remove("rotational"))))
			.doesNotContain("HOST-DISK-SCHEDULER");
	}
}
