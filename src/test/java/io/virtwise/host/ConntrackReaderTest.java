package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.virtwise.facts.ConntrackFacts;

class ConntrackReaderTest {

	static final Path LAB = HostFixtures.ROOT.resolve("lab-conntrack-ksm");

	// The header of kernels before 5.x: "searched" and "delete_list" where newer ones have other columns.
	static final String OLD_HEADER = "entries  searched found new invalid ignore delete delete_list insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart";

	@Test
	void labTableIsReadAsTheKernelWroteIt() {
		ConntrackFacts ct = new ConntrackReader(HostRoots.under(LAB)).read();

		assertThat(ct).isEqualTo(new ConntrackFacts(3L, 262144L, 262144L, 0L, 0L, 0L));
		assertThat(ct.usedShare()).isEqualTo(3 / 262144.0);
		assertThat(ct.pressureDrops()).isZero();
	}

	@Test
	void countersAreSummedOverCpusByTheirHeaderName(@TempDir Path tmp) {
		Path root = HostFixtures.copy(LAB, tmp.resolve("host"));
		HostFixtures.write(root.resolve("proc/net/stat/nf_conntrack"), OLD_HEADER + "\n"
				+ "0003fff0  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000002 0000000a 00000010 00000000  00000000 00000000 00000000 00000000\n"
				+ "0003fff0  00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 000000f0 00000001 00000000  00000000 00000000 00000000 00000000\n");

		ConntrackFacts ct = new ConntrackReader(HostRoots.under(root)).read();

		assertThat(ct.drops()).isEqualTo(0x0a + 0xf0);
		assertThat(ct.earlyDrops()).isEqualTo(0x10 + 0x01);
		assertThat(ct.insertFailed()).isEqualTo(3);
		assertThat(ct.pressureDrops()).isEqualTo(0x0a + 0xf0 + 0x11);
	}

	@Test
	void aColumnAKernelDoesNotWriteIsUnknownNotZero() {
		List<String> stat = List.of("entries found new drop", "00000001 00000000 00000000 00000005");

		assertThat(ConntrackReader.column(stat, "drop")).isEqualTo(5);
		assertThat(ConntrackReader.column(stat, "early_drop")).isNull();
		assertThat(ConntrackReader.column(List.of("entries drop"), "drop")).isNull();
		assertThat(ConntrackReader.column(List.of("entries drop", "00000001 zz"), "drop")).isNull();
		assertThat(ConntrackReader.column(List.of("entries drop", "00000001"), "drop")).isNull();
	}

	@Test
	void withoutConntrackLoadedTheTableIsUnknown(@TempDir Path tmp) {
		assertThat(new ConntrackReader(HostRoots.under(tmp)).read()).isNull();
	}

	@Test
	void aGarbledFileLeavesOnlyItsValueUnknown(@TempDir Path tmp) {
		Path root = HostFixtures.copy(LAB, tmp.resolve("host"));
		HostFixtures.write(root.resolve("proc/sys/net/netfilter/nf_conntrack_count"), "lots\n");
		HostFixtures.replaceWithDirectory(root.resolve("proc/net/stat/nf_conntrack"));

		ConntrackFacts ct = new ConntrackReader(HostRoots.under(root)).read();

		assertThat(ct).isEqualTo(new ConntrackFacts(null, 262144L, 262144L, null, null, null));
		assertThat(ct.usedShare()).isNull();
		assertThat(ct.pressureDrops()).isNull();
	}
}
