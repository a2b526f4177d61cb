package io.virtwise.kvm;

import static io.virtwise.advice.RuleTesting.advise;
import static io.virtwise.advice.RuleTesting.assertStableOnceJitCompiled;
import static io.virtwise.advice.RuleTesting.find;
import static io.virtwise.advice.RuleTesting.found;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.advice.Evidence;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.Severity;
import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The KVM rule families on captured dumpxml/capabilities of the lab and a made-up 2-socket host. */
class KvmRulesTest {

	static final List<String> KVM_IDS = List.of("KVM-HUGEPAGES-GUEST", "KVM-VCPU-UNPINNED", "KVM-CPU-PASSTHROUGH",
			"KVM-TCG-EMULATED", "KVM-NUMATUNE-MISSING", "KVM-DISK-CACHE", "KVM-DISK-QCOW2", "KVM-DISK-BUS",
			"KVM-NIC-MODEL", "KVM-DISK-IOTHREAD");

	static final Facts LAB = KvmFixtures.facts("capabilities.xml", "untuned-domain.xml", "tuned-domain.xml", "tcg-domain.xml");

	@Test
	void labFiresExactlyTheExpectedFindings() {
		assertThat(found(advise(LAB))).containsExactlyInAnyOrder("KVM-HUGEPAGES-GUEST@vw-untuned",
				"KVM-VCPU-UNPINNED@vw-untuned", "KVM-CPU-PASSTHROUGH@vw-untuned", "KVM-DISK-CACHE@vw-untuned",
				"KVM-DISK-QCOW2@vw-untuned", "KVM-DISK-BUS@vw-untuned", "KVM-NIC-MODEL@vw-untuned",
				"KVM-TCG-EMULATED@vw-tcg");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			KVM-HUGEPAGES-GUEST  | MEDIUM   | kvm-memory.drl | guests[vw-untuned].hugepageBacked        | false
			KVM-VCPU-UNPINNED    | HIGH     | kvm-cpu.drl    | guests[*].vcpus.sum                      | 5
			KVM-CPU-PASSTHROUGH  | HIGH     | kvm-cpu.drl    | guests[vw-untuned].cpuMode               | custom
			KVM-DISK-CACHE       | MEDIUM   | kvm-io.drl     | guests[vw-untuned].disks[hda].cache      | writeback
			KVM-DISK-QCOW2       | MEDIUM   | kvm-io.drl     | guests[vw-untuned].disks[hda].format     | qcow2
			KVM-DISK-BUS         | HIGH     | kvm-io.drl     | guests[vw-untuned].disks[hda].bus        | ide
			KVM-NIC-MODEL        | HIGH     | kvm-io.drl     | guests[vw-untuned].nics.model            | e1000
			""")
	void firesOnTheUntunedGuestWithEvidenceDiffAndRestart(String id, Severity severity, String file, String fact, String value) {
		Recommendation r = find(advise(LAB), id, "vw-untuned").orElseThrow();

		assertThat(r.severity()).isEqualTo(severity);
		assertThat(r.rule()).startsWith(file + ": ");
		assertThat(r.evidence()).contains(new Evidence(fact, value));
		assertThat(r.fix()).contains("--- vw-untuned.xml", "+++ vw-untuned.xml (virtwise)");
		assertThat(r.fix()).anySatisfy(line -> assertThat(line).startsWith("@@ -"));
		assertThat(r.needsRestart()).isTrue();
		assertThat(r.source()).contains("RC25482");
		assertThat(r.fix()).noneSatisfy(line -> assertThat(line).contains("s3cret"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "KVM-HUGEPAGES-GUEST", "KVM-VCPU-UNPINNED", "KVM-CPU-PASSTHROUGH", "KVM-TCG-EMULATED",
			"KVM-NUMATUNE-MISSING", "KVM-DISK-CACHE", "KVM-DISK-QCOW2", "KVM-DISK-BUS", "KVM-NIC-MODEL", "KVM-DISK-IOTHREAD" })
	void silentOnTheTunedGuest(String id) {
		assertThat(find(advise(LAB), id, "vw-tuned")).isEmpty();
		// tuned for the lab's 1 thread per core; on a 2-thread host its topology should pair siblings
		if (!id.equals("KVM-CPU-PASSTHROUGH")) {
			assertThat(find(advise(KvmFixtures.facts("two-socket-capabilities.xml", "tuned-domain.xml")), id, "vw-tuned")).isEmpty();
		}
	}

	/** A probe kvm-cpu figure as the lab measured it (run tpdcmg-28484, TCG, quick: median of 3 against the host's). */
	static ProbeResult cpuProbe(String path, String metric, double median, double host) {
		return new ProbeResult("kvm-cpu", path, "lab", metric, metric.startsWith("cpu") ? "events/s" : "MiB/s", median, null, null,
				null, 3, host, Boolean.TRUE, List.of(), null);
	}

	static final List<ProbeResult> MEASURED = List.of(cpuProbe("plain", "mem-rnd-read-mibps", 25.82, 295.6),
			cpuProbe("hugepages", "mem-rnd-read-mibps", 19.43, 295.6), cpuProbe("plain", "cpu-events-per-s", 1890, 16089),
			cpuProbe("pinned", "cpu-events-per-s", 3918, 16089), cpuProbe("passthrough-topology", "cpu-events-per-s", 1914, 16089));

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			KVM-HUGEPAGES-GUEST | mem-rnd-read-mibps | hugepages            | ratioToHugepages           | 1.33
			KVM-VCPU-UNPINNED   | cpu-events-per-s   | pinned               | ratioToPinned              | 0.48
			KVM-CPU-PASSTHROUGH | cpu-events-per-s   | passthrough-topology | ratioToPassthroughTopology | 0.99
			""")
	void measuredVariantsAreShownAsTheirEvidenceLabelledEmulated(String id, String metric, String variant, String ratioKey,
			String ratio) {
		Recommendation r = find(advise(LAB.withProbes(MEASURED)), id, "vw-untuned").orElseThrow();

		String plain = "probes[kvm-cpu/plain/lab]." + metric;
		assertThat(r.evidence()).contains(new Evidence(plain + "." + ratioKey, ratio), new Evidence(plain + ".emulated",
				"true (QEMU TCG, not KVM)"));
		assertThat(r.evidence()).anySatisfy(e -> assertThat(e.fact()).isEqualTo("probes[kvm-cpu/" + variant + "/lab]." + metric + ".median"));
		assertThat(find(advise(LAB), id, "vw-untuned").orElseThrow().evidence()).as("nothing measured, nothing shown")
			.noneSatisfy(e -> assertThat(e.fact()).startsWith("probes["));
	}

	@Test
	void hugePagesFixNamesTheExactNodeReservation() {
		Recommendation r = find(advise(LAB), "KVM-HUGEPAGES-GUEST", "vw-untuned").orElseThrow();

		// 512 MiB = 256 pages of 2 MiB, on the single node, which has none reserved
		assertThat(r.fix()).anySatisfy(line -> assertThat(line)
			.startsWith("echo 256 > /sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"));
		assertThat(r.fix()).containsSequence("+  <memoryBacking>", "+    <hugepages>", "+      <page size='2048' unit='KiB'/>",
				"+    </hugepages>", "+  </memoryBacking>");
	}

	@Test
	void hugePagesSilentWhenTheHostHasNo2MiBPages() {
		Facts facts = KvmFixtures.facts(KvmFixtures.node("capabilities.xml"), List.of(KvmFixtures.guest("untuned-domain.xml")));
		var node = facts.kvmNode();
		var noHuge = new io.virtwise.facts.KvmNodeFacts(node.uri(), node.libvirtVersion(), node.cpuModel(), node.cpuVendor(),
				node.sockets(), node.dies(), node.cores(), node.threads(), node.cpus(), node.memoryKb(), List.of(4L),
				node.cells(), node.caches(), node.domainTypes());
		assertThat(found(advise(KvmFixtures.facts(noHuge, facts.guests())))).doesNotContain("KVM-HUGEPAGES-GUEST@vw-untuned");
	}

	@Test
	void cpuFixIsHostPassthroughWithTheHostsTopologyAndCachePassthrough() {
		Recommendation r = find(advise(LAB), "KVM-CPU-PASSTHROUGH", "vw-untuned").orElseThrow();

		assertThat(r.fix()).contains("-  <cpu mode='custom' match='exact' check='partial'>", "-    <model fallback='allow'>qemu64</model>",
				"+  <cpu mode='host-passthrough' check='none' migratable='on'>",
				"+    <topology sockets='1' dies='1' cores='2' threads='1'/>", "+    <cache mode='passthrough'/>");
		assertThat(r.expectedEffect()).contains("130.3", "284.2");
	}

	@Test
	void pinningOnTheTwoSocketHostKeepsSiblingsTogetherWhenContainersShare() {
		List<GuestFacts> guests = List.of(KvmFixtures.guest("untuned-domain.xml"));
		Facts facts = new Facts(Facts.SCHEMA_VERSION, "t", "test", null,
				List.of(new ContainerFacts("c1", "api", "nginx", "running", "bridge", null, null, null)), guests, List.of(),
				null, KvmFixtures.node("two-socket-capabilities.xml"));

		Recommendation r = find(advise(facts), "KVM-VCPU-UNPINNED", "vw-untuned").orElseThrow();
		assertThat(r.fix()).contains("virsh vcpupin vw-untuned 0 0 --config", "virsh vcpupin vw-untuned 1 16 --config",
				"virsh emulatorpin vw-untuned 1,17 --config", "virsh numatune vw-untuned --mode strict --nodeset 0 --config");
		assertThat(r.fix()).contains("+    <vcpupin vcpu='0' cpuset='0'/>", "+    <vcpupin vcpu='1' cpuset='16'/>",
				"+    <emulatorpin cpuset='1,17'/>", "+    <memory mode='strict' nodeset='0'/>");
		// and the CPU fix exposes the host's two threads per core
		assertThat(find(advise(facts), "KVM-CPU-PASSTHROUGH", "vw-untuned").orElseThrow().fix())
			.contains("+    <topology sockets='1' dies='1' cores='1' threads='2'/>");
	}

	@Test
	void pinningSilentWithoutContention() {
		Facts facts = KvmFixtures.facts("two-socket-capabilities.xml", "untuned-domain.xml", "tcg-domain.xml");
		assertThat(found(advise(facts))).doesNotContain("KVM-VCPU-UNPINNED@vw-untuned");
	}

	@Test
	void numatuneFiresOnlyOnANumaHost() {
		Recommendation r = find(advise(KvmFixtures.facts("two-socket-capabilities.xml", "untuned-domain.xml")),
				"KVM-NUMATUNE-MISSING", "vw-untuned").orElseThrow();
		assertThat(r.fix()).contains("virsh numatune vw-untuned --mode strict --nodeset 0 --config",
				"+  <numatune>", "+    <memory mode='strict' nodeset='0'/>", "+  </numatune>");
		assertThat(found(advise(LAB))).doesNotContain("KVM-NUMATUNE-MISSING@vw-untuned");
	}

	@Test
	void tcgGuestIsToldToUseKvm() {
		Recommendation r = find(advise(LAB), "KVM-TCG-EMULATED", "vw-tcg").orElseThrow();
		assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
		assertThat(r.fix()).contains("-<domain type='qemu'>", "+<domain type='kvm'>");
		assertThat(r.rule()).startsWith("kvm-cpu.drl: ");
	}

	@Test
	void tcgSilentWhereKvmIsNotOffered() {
		var node = KvmFixtures.node("capabilities.xml");
		var qemuOnly = new io.virtwise.facts.KvmNodeFacts(null, null, null, null, node.sockets(), node.dies(), node.cores(),
				node.threads(), node.cpus(), node.memoryKb(), node.pageSizesKb(), node.cells(), node.caches(), List.of("qemu"));
		assertThat(found(advise(KvmFixtures.facts(qemuOnly, List.of(KvmFixtures.guest("tcg-domain.xml")))))).isEmpty();
	}

	@Test
	void ioFixesAreDiffsOfTheDiskAndNic() {
		List<Recommendation> all = advise(LAB);
		assertThat(find(all, "KVM-DISK-CACHE", "vw-untuned").orElseThrow().fix())
			.contains("-      <driver name='qemu' type='qcow2' cache='writeback'/>",
					"+      <driver name='qemu' type='qcow2' cache='none' io='native'/>");
		assertThat(find(all, "KVM-DISK-QCOW2", "vw-untuned").orElseThrow().fix())
			.contains("qemu-img convert -p -O raw /var/tmp/vw-kvm-cap.OMK7aV/vw-untuned.qcow2 /var/tmp/vw-kvm-cap.OMK7aV/vw-untuned.raw",
					"+      <source file='/var/tmp/vw-kvm-cap.OMK7aV/vw-untuned.raw'/>");
		assertThat(find(all, "KVM-DISK-BUS", "vw-untuned").orElseThrow().fix())
			.contains("+      <target dev='vda' bus='virtio'/>", "-      <address type='drive' controller='0' bus='0' target='0' unit='0'/>");
		assertThat(find(all, "KVM-NIC-MODEL", "vw-untuned").orElseThrow().fix())
			.contains("+      <model type='virtio'/>", "+      <driver name='vhost'/>");
	}

	@Test
	void iothreadFiresForAVirtioDiskWithoutOne() {
		String xml = KvmFixtures.text("tuned-domain.xml").replace(" iothread='1'", "");
		GuestFacts g = DomainXmlParser.parse(xml);
		Recommendation r = find(advise(KvmFixtures.facts(KvmFixtures.node("capabilities.xml"), List.of(g))),
				"KVM-DISK-IOTHREAD", "vw-tuned").orElseThrow();
		assertThat(r.fix()).contains("+      <driver name='qemu' type='raw' cache='none' io='native' iothread='1'/>");
		assertThat(r.severity()).isEqualTo(Severity.LOW);
	}

	@Test
	void guestsWithoutDomainXmlAreUnknownNotUntuned() {
		GuestFacts bare = new GuestFacts("old", null, null, "kvm", 64, 1L << 20, false, List.of(), null);
		assertThat(advise(KvmFixtures.facts(KvmFixtures.node("capabilities.xml"), List.of(bare)))).isEmpty();
	}

	@Test
	void adviceIsStableOnceConstraintsAreJitCompiled() {
		assertStableOnceJitCompiled(LAB, KvmFixtures.facts("two-socket-capabilities.xml", "untuned-domain.xml", "tuned-domain.xml"));
	}
}
