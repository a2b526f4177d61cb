package io.virtwise.advice;

import io.virtwise.advice.fix.CpuPlanTest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.kvm.inspect.KvmFixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The safety properties of every fix (FixSafety: no mount dropped, no XML element dropped that the fix
 * is not about, no CPU handed out twice, one huge page count per pool, a way back) over the project's
 * own fixtures and over generated hosts full of guests: 1-4 NUMA nodes of 1-8 cores with 1-2 threads,
 * and up to 8 guests each unpinned, pinned 1:1 (soundly or over each other), pinned to ranges, with or
 * without an emulatorpin, iothreads, huge pages and guest NUMA cells.
 */
class FixSafetyPropertiesTest {

	@TestFactory
	Stream<DynamicTest> everyFixtureFactsFile() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("src/test/resources/facts"))) {
			return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream()
				.map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
					Facts facts = Fixtures.load(f.getFileName().toString());
					assertThat(FixSafety.check(facts, RuleTesting.advise(facts))).isEmpty();
				}));
		}
	}

	@Test
	void theLabsCapturedGuests() {
		for (String caps : List.of("capabilities.xml", "two-socket-capabilities.xml")) {
			Facts facts = KvmFixtures.facts(caps, "untuned-domain.xml", "tuned-domain.xml", "tcg-domain.xml");
			assertThat(FixSafety.check(facts, RuleTesting.advise(facts))).as(caps).isEmpty();
		}
	}

	@Test
	void generatedHostsFullOfGuests() {
		Random random = new Random(17_2026);
		for (int round = 0; round < 500; round++) {
			long seed = random.nextLong();
			Random r = new Random(seed);
			KvmNodeFacts host = CpuPlanTest.host(1 + r.nextInt(4), 1 + r.nextInt(8), 1 + r.nextInt(2), r.nextBoolean(),
					(2L + r.nextInt(64)) << 20);
			List<Integer> cpus = host.cells().stream().flatMap(c -> c.cpus().stream()).toList();
			List<GuestFacts> guests = new ArrayList<>();
			List<String> xmls = new ArrayList<>();
			int count = r.nextInt(9);
			for (int i = 0; i < count; i++) {
				String xml = domain(r, "g" + i, cpus);
				xmls.add(xml);
				guests.add(DomainXmlParser.parse(xml).withState(r.nextInt(4) == 0 ? "running" : "shut off"));
			}
			Facts facts = KvmFixtures.facts(host, guests);
			List<Recommendation> advice = RuleTesting.advise(facts);
			assertThat(FixSafety.check(facts, advice)).as("seed %d: %d nodes, guests %s", seed, host.cells().size(), xmls).isEmpty();
		}
	}

	/** A guest as virt-install writes one, varied where the plans and the fixes look. */
	static String domain(Random r, String name, List<Integer> hostCpus) {
		int vcpus = 1 + r.nextInt(Math.min(24, hostCpus.size() + 4));
		long memoryMiB = 512L << r.nextInt(7);
		StringBuilder cputune = new StringBuilder();
		switch (r.nextInt(4)) {
			case 1 -> {
				List<Integer> shuffled = new ArrayList<>(hostCpus);
				Collections.shuffle(shuffled, r);
				if (shuffled.size() >= vcpus) {
					for (int v = 0; v < vcpus; v++) {
						cputune.append("    <vcpupin vcpu='").append(v).append("' cpuset='").append(shuffled.get(v)).append("'/>\n");
					}
				}
			}
			case 2 -> {
				for (int v = 0; v < vcpus; v++) {
					cputune.append("    <vcpupin vcpu='").append(v).append("' cpuset='0-").append(hostCpus.size() - 1).append("'/>\n");
				}
			}
			default -> {
			}
		}
		if (cputune.length() > 0 && r.nextBoolean()) {
			cputune.append("    <emulatorpin cpuset='").append(hostCpus.get(r.nextInt(hostCpus.size()))).append("'/>\n");
		}
		boolean cells = vcpus >= 2 && vcpus % 2 == 0 && r.nextInt(4) == 0;
		String numa = !cells ? "" : "    <numa>\n      <cell id='0' cpus='0-" + (vcpus / 2 - 1) + "' memory='" + memoryMiB / 2
				+ "' unit='MiB'/>\n      <cell id='1' cpus='" + vcpus / 2 + "-" + (vcpus - 1) + "' memory='" + memoryMiB / 2
				+ "' unit='MiB'/>\n    </numa>\n";
		String cpu = switch (r.nextInt(3)) {
			case 0 -> "  <cpu mode='custom' match='exact' check='partial'>\n    <model fallback='allow'>qemu64</model>\n" + numa + "  </cpu>\n";
			case 1 -> "  <cpu mode='host-passthrough' check='none' migratable='on'>\n    <feature policy='require' name='invtsc'/>\n"
					+ numa + "  </cpu>\n";
			default -> numa.isEmpty() ? "" : "  <cpu>\n" + numa + "  </cpu>\n";
		};
		boolean hugepages = r.nextInt(3) == 0;
		return "<domain type='kvm'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>" + memoryMiB + "</memory>\n"
				+ (hugepages ? "  <memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n" : "")
				+ "  <vcpu placement='static'>" + vcpus + "</vcpu>\n"
				+ (r.nextBoolean() ? "  <iothreads>1</iothreads>\n" : "")
				+ (cputune.length() == 0 ? "" : "  <cputune>\n" + cputune + "  </cputune>\n")
				+ "  <os>\n    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>\n  </os>\n" + cpu
				+ "  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n"
				+ "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
				+ "      <source file='/var/lib/libvirt/images/" + name + ".qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n"
				+ "    <interface type='network'>\n      <source network='default'/>\n      <model type='virtio'/>\n    </interface>\n"
				+ "  </devices>\n</domain>\n";
	}
}
