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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The host rule families against untuned, tuned and focused fixtures. */
class HostRulesTest {

	static final List<String> HOST_IDS = List.of("HOST-HUGEPAGES-NONE", "HOST-HUGETLBFS-UNMOUNTED", "HOST-THP-NEVER",
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

		assertThat(found).containsExactlyInAnyOrder("HOST-HUGEPAGES-NONE@host", "HOST-HUGETLBFS-UNMOUNTED@host",
				"HOST-THP-DEFRAG-ALWAYS@host", "HOST-SWAP-GUEST-RAM@host", "HOST-CPU-GOVERNOR@host",
				"HOST-NUMA-GUEST-SPANS@web", "HOST-NUMA-GUEST-SPANS@batch", "HOST-NUMA-GUEST-SPANS@db",
				"HOST-NUMA-CONTAINER-SPANS@api", "HOST-NUMA-BALANCING@host", "HOST-KVM-NO-ACCESS@host",
				"HOST-VHOST-NET-MISSING@host", "HOST-DISK-SCHEDULER@host");
	}

	@ParameterizedTest(name = "{0} on {1}")
	@CsvSource(delimiter = '|', textBlock = """
			HOST-HUGEPAGES-NONE       | host  | host-memory.drl  | host.hugePages[2048kB].total     | 0
			HOST-HUGETLBFS-UNMOUNTED  | host  | host-memory.drl  | host.hugetlbfsMounts             | []
			HOST-THP-DEFRAG-ALWAYS    | host  | host-memory.drl  | host.thp.defrag                  | always
			HOST-SWAP-GUEST-RAM       | host  | host-memory.drl  | host.memory.swapTotalKb          | 8388608
			HOST-CPU-GOVERNOR         | host  | host-cpu.drl     | host.cpuGovernor                 | powersave
			HOST-NUMA-GUEST-SPANS     | web   | host-cpu.drl     | guests[web].pinnedCpus           | [6, 7, 8, 9]
			HOST-NUMA-GUEST-SPANS     | batch | host-cpu.drl     | guests[batch].numaNodes          | [0, 1]
			HOST-NUMA-GUEST-SPANS     | db    | host-cpu.drl     | guests[db].vcpus                 | 20
			HOST-NUMA-CONTAINER-SPANS | api   | host-cpu.drl     | containers[api].cpusetCpus       | [6-9]
			HOST-NUMA-BALANCING       | host  | host-cpu.drl     | host.kernel.numaBalancing        | true
			HOST-KVM-NO-ACCESS        | host  | host-virt.drl    | host.virt.kvmDeviceAccessible    | false
			HOST-VHOST-NET-MISSING    | host  | host-virt.drl    | host.virt.vhostNetPresent        | false
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
	void hugePageFixNamesACountSizedToTheGuests() {
		Recommendation r = only(advise("untuned-host.json"), "HOST-HUGEPAGES-NONE");

		// web 4 GiB + db 16 GiB + batch 8 GiB = 28 GiB = 14336 pages of 2 MiB
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).startsWith("echo 14336 > /proc/sys/vm/nr_hugepages"));
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("vm.nr_hugepages = 14336"));
		assertThat(r.severity()).isEqualTo(Severity.MEDIUM);
	}

	@Test
	void numaFixesNameTheHomeNodeAndItsCpus() {
		List<Recommendation> all = advise("untuned-host.json");

		assertThat(find(all, "HOST-NUMA-CONTAINER-SPANS", "api").orElseThrow().fix())
			.contains("docker update --cpuset-cpus 0-7,16-23 --cpuset-mems 0 api");
		assertThat(find(all, "HOST-NUMA-GUEST-SPANS", "web").orElseThrow().fix())
			.contains("virsh numatune web --mode strict --nodeset 0 --config", "virsh emulatorpin web 0-7,16-23 --config");
		assertThat(find(all, "HOST-NUMA-GUEST-SPANS", "db").orElseThrow().fix())
			.anySatisfy(line -> assertThat(line).startsWith("virsh setvcpus db 16 --config --maximum"));
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
		assertThat(r.source()).contains("RC25482");
		assertThat(ids(all)).doesNotContain("HOST-THP-DEFRAG-ALWAYS");
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

		Recommendation r = only(all, "HOST-HUGETLBFS-UNMOUNTED");
		assertThat(r.rule()).isEqualTo("host-memory.drl: hugetlbfs not mounted while huge pages are reserved");
		assertThat(r.evidence()).contains(new Evidence("host.hugePages[2048kB].total", "14336"));
		assertThat(r.fix()).contains("mkdir -p /dev/hugepages && mount -t hugetlbfs hugetlbfs /dev/hugepages");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("/etc/fstab"));
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("libvirtd"));
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
	void kvmWithoutAccessSaysHowToGrantIt() {
		Recommendation r = only(advise("untuned-host.json"), "HOST-KVM-NO-ACCESS");

		assertThat(r.severity()).isEqualTo(Severity.HIGH);
		assertThat(r.fix()).contains("chgrp kvm /dev/kvm && chmod 0660 /dev/kvm");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).startsWith("usermod -aG kvm"));
	}

	@Test
	void nestedGuestShapedLikeThisMachine() {
		List<Recommendation> all = advise("nested-guest.json");

		assertThat(ids(all)).containsExactlyInAnyOrder("HOST-IS-GUEST", "HOST-NESTED-PVM", "HOST-HUGEPAGES-NONE",
				"HOST-HUGETLBFS-UNMOUNTED", "HOST-VHOST-NET-MISSING");

		Recommendation guest = only(all, "HOST-IS-GUEST");
		assertThat(guest.severity()).isEqualTo(Severity.INFO);
		assertThat(guest.rule()).startsWith("host-virt.drl: ");
		assertThat(guest.evidence()).contains(new Evidence("host.virt.runningAsGuest", "true"));
		assertThat(guest.expectedEffect()).contains("Ratios").contains("do not transfer to bare metal");

		Recommendation pvm = only(all, "HOST-NESTED-PVM");
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
		});

		assertThat(ids(all)).contains("HOST-IS-GUEST").doesNotContain("HOST-NESTED-PVM");
	}

	@Test
	void vhostNetFixLoadsTheModuleAndCitesTcpRr() {
		Recommendation r = only(advise("untuned-host.json"), "HOST-VHOST-NET-MISSING");

		assertThat(r.fix()).contains("modprobe vhost_net");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).contains("/etc/modules-load.d/"));
		assertThat(r.expectedEffect()).contains("67.9 us", "37.6 us", "+81%");
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
