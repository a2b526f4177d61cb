package io.virtwise.probe.kvm;

import io.virtwise.host.HostRoots;

import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.kvm.inspect.KvmFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.Metrics;
import io.virtwise.facts.ProbePaths;
import io.virtwise.probe.core.ProbeOutputException;
import io.virtwise.probe.core.Summary;
import io.virtwise.probe.core.SysbenchOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** sysbench output from a real TCG boot, the variants' domain XML, warm-up and median, huge page reservation. */
class GuestCpuProbeTest {

	/**
	 * Captured from a real TCG boot of the probe guest with the quick command lines (libvirt 9.0.0,
	 * QEMU 7.2, sysbench 1.0.20; CR LF line ends); random reads finish only 2 events a run under TCG.
	 */
	static ProbeConsole captured() throws IOException {
		return ProbeConsole.parse(Files.readString(Path.of("src/test/resources/fixtures/kvm-probe/console-tcg-sysbench.log"),
				StandardCharsets.ISO_8859_1));
	}

	static final GuestCpuProbe.Options QUICK = GuestCpuProbe.Options.of(null, true, null);

	static GuestCpuProbe.Bench bench(String name) {
		return GuestCpuProbe.benches(QUICK).stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
	}

	@Test
	void everyRunOfARealConsoleIsParsed() throws IOException {
		ProbeConsole console = captured();
		assertThat(console.reachedInit()).isTrue();
		assertThat(console.done()).isTrue();
		assertThat(console.sections()).containsOnlyKeys("cpu/0", "cpu/1", "cpu/2", "cpu/3", "mem-seq/0", "mem-seq/1", "mem-seq/2",
				"mem-seq/3", "mem-rnd/0", "mem-rnd/1", "mem-rnd/2", "mem-rnd/3");
		SysbenchOutput cpu = SysbenchOutput.parse(console.sections().get("cpu/1"));
		assertThat(cpu.eventsPerSecond()).isEqualTo(2438.29);
		assertThat(cpu.events()).isEqualTo(2479);
		assertThat(cpu.value("cpu")).isEqualTo(2438.29);
		SysbenchOutput seq = SysbenchOutput.parse(console.sections().get("mem-seq/1"));
		assertThat(seq.mibPerSecond()).isEqualTo(2019.13);
		assertThat(seq.eventsPerSecond()).isNull();
		assertThat(SysbenchOutput.parse(console.sections().get("mem-rnd/3")).value("memory")).isEqualTo(12.70);
	}

	@Test
	void theWarmUpIsDiscardedAndTheMedianOfTheRestKept() throws IOException {
		ProbeConsole console = captured();
		Summary s = GuestCpuProbe.summarise(bench("cpu"), rep -> console.sections().get("cpu/" + rep), 3);
		// cpu/0 (1462.19) is the warm-up; runs 1..3 are 2438.29, 2058.37, 1674.14
		assertThat(s.count()).isEqualTo(3);
		assertThat(s.median()).isEqualTo(2058.37);
		assertThat(s.min()).isEqualTo(1674.14);
		assertThat(s.max()).isEqualTo(2438.29);
	}

	@Test
	void aMissingRunOrAnErrorIsNoNumber() throws IOException {
		ProbeConsole console = captured();
		assertThatThrownBy(() -> GuestCpuProbe.summarise(bench("cpu"), rep -> console.sections().get("cpu/" + rep), 4))
			.isInstanceOf(ProbeOutputException.class).hasMessageContaining("cpu run 4");
		assertThatThrownBy(() -> SysbenchOutput.parse("FATAL: invalid option --bogus\n")).isInstanceOf(ProbeOutputException.class)
			.hasMessageContaining("FATAL");
		assertThatThrownBy(() -> SysbenchOutput.parse("    total number of events:              0\n"))
			.isInstanceOf(ProbeOutputException.class).hasMessageContaining("no event");
		assertThatThrownBy(() -> SysbenchOutput.parse(console.sections().get("cpu/1")).value("memory"))
			.isInstanceOf(ProbeOutputException.class);
	}

	@Test
	void theGuestRunsTheHostsCommandLines() {
		GuestCpuProbe.Bench rnd = bench("mem-rnd");
		assertThat(rnd.command()).isEqualTo("sysbench memory --threads=1 --time=1 --memory-block-size=8M --memory-total-size=1000G "
				+ "--memory-oper=read --memory-access-mode=rnd run");
		assertThat(rnd.kernelArg()).isEqualTo("vw.bench=mem-rnd:memory,--threads=1,--time=1,--memory-block-size=8M,"
				+ "--memory-total-size=1000G,--memory-oper=read,--memory-access-mode=rnd");
		assertThat(GuestCpuProbe.Options.of(null, false, null).reps()).isEqualTo(5);
		assertThat(QUICK.reps()).isEqualTo(3);
	}

	static final ProbeGuestImage.Build IMAGE = new ProbeGuestImage.Build(Path.of("/g/vmlinuz"), Path.of("/g/initrd.img"));

	static Document plain() {
		return new ProbeGuestDomain(HostRoots.live()).xml("vwprobe-t1-1", "qemu", IMAGE, "console=ttyS0", null,
				Path.of("/r/console.log"), null, new ArrayList<>());
	}

	static GuestCpuProbe probe(Path pool, Path mounts) {
		return new GuestCpuProbe(new ProbeGuest(pool, pool), new HugePages(pool, mounts));
	}

	@Test
	void eachVariantChangesOnlyItsPart(@TempDir Path tmp) throws IOException {
		Path pool = hugePool(tmp, 300, 300, true);
		GuestCpuProbe probe = probe(pool, tmp.resolve("mounts"));
		String plain = DomainXml.write(plain());
		assertThat(plain).startsWith("<domain type='qemu'>").contains("<vcpu>2</vcpu>").doesNotContain("<disk")
			.doesNotContain("<cpu").doesNotContain("cputune").doesNotContain("memoryBacking");

		Document d = plain();
		assertThat(probe.apply(GuestCpuProbe.Variant.PLAIN, d, true, r -> { })).isNull();
		assertThat(DomainXml.write(d)).isEqualTo(plain);

		d = plain();
		assertThat(probe.apply(GuestCpuProbe.Variant.PINNED, d, true, r -> { })).isNull();
		int cpus = Runtime.getRuntime().availableProcessors();
		assertThat(DomainXml.write(d)).contains("<cputune><vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='1' cpuset='" + (1 % cpus)
				+ "'/><emulatorpin cpuset='0-" + (cpus - 1) + "'/></cputune><os>");

		d = plain();
		assertThat(probe.apply(GuestCpuProbe.Variant.PASSTHROUGH, d, true, r -> { })).isNull();
		assertThat(DomainXml.write(d)).as("TCG cannot pass the host CPU through")
			.contains("<features><acpi/></features><cpu mode='maximum'><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>");
		d = plain();
		probe.apply(GuestCpuProbe.Variant.PASSTHROUGH, d, false, r -> { });
		assertThat(DomainXml.write(d)).contains("<cpu mode='host-passthrough'><topology sockets='1' dies='1' cores='2' threads='1'/>"
				+ "<cache mode='passthrough'/></cpu>");

		d = plain();
		assertThat(probe.apply(GuestCpuProbe.Variant.HUGEPAGES, d, true, r -> { })).isNull();
		assertThat(DomainXml.write(d)).contains("<memory unit='MiB'>512</memory><memoryBacking><hugepages><page size='2048' "
				+ "unit='KiB'/></hugepages></memoryBacking><vcpu>2</vcpu>");
	}

	static Document like(String domain, List<String> notes) {
		String xml = KvmFixtures.text(domain);
		ProbeGuest.Target target = new ProbeGuest.Target(DomainXmlParser.parse(xml), DomainXml.parse(xml), null);
		return new ProbeGuestDomain(HostRoots.live()).xml("vwprobe-t1-1", "qemu", IMAGE, "console=ttyS0", null,
				Path.of("/r/console.log"), target, notes);
	}

	@Test
	void withGuestEveryVariantStartsFromThatDomainAndReplacesOnlyItsPart(@TempDir Path tmp) throws IOException {
		GuestCpuProbe probe = probe(hugePool(tmp, 300, 300, true), tmp.resolve("mounts"));
		List<String> notes = new ArrayList<>();
		String plain = DomainXml.write(like("untuned-domain.xml", notes));
		assertThat(plain).as("the untuned guest's flat qemu64 CPU, no disk in a CPU probe")
			.contains("mode='custom'").contains("<model fallback='allow'>qemu64</model>").doesNotContain("<disk");
		assertThat(notes).anyMatch(n -> n.startsWith("copied from vw-untuned (read only") && !n.contains("disk a new raw image"));

		Document d = like("untuned-domain.xml", new ArrayList<>());
		probe.apply(GuestCpuProbe.Variant.PASSTHROUGH, d, true, r -> { });
		assertThat(DomainXml.write(d)).doesNotContain("qemu64").containsOnlyOnce("<cpu ")
			.contains("<cpu mode='maximum'><topology sockets='1' dies='1' cores='2' threads='1'/></cpu>");

		// the tuned guest brings its own pins; the pinned variant's are the only ones left
		d = like("tuned-domain.xml", new ArrayList<>());
		assertThat(DomainXml.write(d)).contains("<cputune>");
		probe.apply(GuestCpuProbe.Variant.PINNED, d, true, r -> { });
		assertThat(DomainXml.write(d)).containsOnlyOnce("<cputune>").containsOnlyOnce("<vcpupin vcpu='0'");
	}

	@Test
	void hugePagesThatCannotBeReservedSkipTheVariantAndSaySo(@TempDir Path tmp) throws IOException {
		// a plain file: writing nr_hugepages frees nothing, as on a host whose memory is fragmented
		Path pool = hugePool(tmp, 4, 1, true);
		Document d = plain();
		List<Runnable> undo = new ArrayList<>();
		String why = probe(pool, tmp.resolve("mounts")).apply(GuestCpuProbe.Variant.HUGEPAGES, d, true, undo::add);
		assertThat(why).contains("could not be reserved").contains("256 free 2048kB pages needed, 1 free after asking for "
				+ "nr_hugepages=259");
		assertThat(undo).as("the cleanup would put the pool back too").hasSize(1);
		assertThat(DomainXml.write(d)).doesNotContain("memoryBacking");
		assertThat(Files.readString(pool.resolve("nr_hugepages"))).as("the pool put back at once").isEqualTo("4");

		Path unmounted = hugePool(tmp.resolve("u"), 0, 300, false);
		assertThat(probe(unmounted, tmp.resolve("u").resolve("mounts")).apply(GuestCpuProbe.Variant.HUGEPAGES, plain(), true,
				r -> { })).contains("no hugetlbfs is mounted");
	}

	@Test
	void enoughFreePagesAreUsedWithoutTouchingThePool(@TempDir Path tmp) throws IOException {
		Path pool = hugePool(tmp, 300, 300, true);
		List<Runnable> undo = new ArrayList<>();
		assertThat(probe(pool, tmp.resolve("mounts")).apply(GuestCpuProbe.Variant.HUGEPAGES, plain(), true, undo::add)).isNull();
		assertThat(undo).isEmpty();
		assertThat(Files.readString(pool.resolve("nr_hugepages"))).isEqualTo("300");
	}

	/** A fake sysfs pool (hugepages-2048kB) and /proc/mounts with or without hugetlbfs. */
	static Path hugePool(Path dir, long nr, long free, boolean mounted) throws IOException {
		Path pool = Files.createDirectories(dir.resolve("hugepages-2048kB"));
		Files.writeString(pool.resolve("nr_hugepages"), Long.toString(nr));
		Files.writeString(pool.resolve("free_hugepages"), Long.toString(free));
		Files.writeString(dir.resolve("mounts"), "proc /proc proc rw 0 0\n"
				+ (mounted ? "hugetlbfs /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n" : ""));
		return pool;
	}

	@Test
	void theKvmProbesEmitOnlyDeclaredPathsAndMetrics() {
		assertThat(GuestCpuProbe.benches(QUICK)).extracting(GuestCpuProbe.Bench::metric).allMatch(Metrics.ALL::contains);
		assertThat(List.of(GuestCpuProbe.Variant.values())).extracting(v -> v.path).allMatch(ProbePaths.ALL::contains);
		assertThat(GuestIoProbe.JOBS).extracting(GuestIoProbe::metric)
			.containsExactly(Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS, Metrics.RANDREAD_IOPS, Metrics.RANDWRITE_IOPS);
	}
}
