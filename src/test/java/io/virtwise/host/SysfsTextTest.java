package io.virtwise.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsTextTest {

	@Test
	void readTrimsAndAnswersNullForMissingFilesAndDirectories(@TempDir Path dir) {
		HostFixtures.write(dir.resolve("value"), "  madvise \n");
		HostFixtures.write(dir.resolve("empty"), "\n");

		assertThat(SysfsText.read(dir.resolve("value"))).isEqualTo("madvise");
		assertThat(SysfsText.read(dir.resolve("empty"))).isEmpty();
		assertThat(SysfsText.read(dir.resolve("missing"))).isNull();
		assertThat(SysfsText.read(dir)).isNull();
		assertThat(SysfsText.readLines(dir.resolve("missing"))).isNull();
	}

	@Test
	void numbersAreNullWhenGarbled() {
		assertThat(SysfsText.parseLong(" 1024 ")).isEqualTo(1024L);
		assertThat(SysfsText.parseLong("abc")).isNull();
		assertThat(SysfsText.parseLong("")).isNull();
		assertThat(SysfsText.parseLong(null)).isNull();
		assertThat(SysfsText.parseInt("-1")).isEqualTo(-1);
		assertThat(SysfsText.parseInt("99999999999")).isNull();
	}

	@Test
	void flags() {
		assertThat(SysfsText.parseFlag("Y")).isTrue();
		assertThat(SysfsText.parseFlag("1")).isTrue();
		assertThat(SysfsText.parseFlag("N")).isFalse();
		assertThat(SysfsText.parseFlag("0")).isFalse();
		assertThat(SysfsText.parseFlag("maybe")).isNull();
		assertThat(SysfsText.parseFlag(null)).isNull();
	}

	@Test
	void cpuLists() {
		assertThat(SysfsText.parseCpuList("0-3,8,10-11")).containsExactly(0, 1, 2, 3, 8, 10, 11);
		assertThat(SysfsText.parseCpuList("5,13")).containsExactly(5, 13);
		assertThat(SysfsText.parseCpuList("8,0-1")).containsExactly(0, 1, 8);
		assertThat(SysfsText.parseCpuList("0")).containsExactly(0);
		assertThat(SysfsText.parseCpuList("")).isEmpty();
		assertThat(SysfsText.parseCpuList("3-1")).isNull();
		assertThat(SysfsText.parseCpuList("a-b")).isNull();
		assertThat(SysfsText.parseCpuList("1,,2")).isNull();
		assertThat(SysfsText.parseCpuList("0-99999999")).isNull();
		assertThat(SysfsText.parseCpuList(null)).isNull();
	}

	@Test
	void sizesInKb() {
		assertThat(SysfsText.parseSizeKb("2048K")).isEqualTo(2048L);
		assertThat(SysfsText.parseSizeKb("491520K")).isEqualTo(491520L);
		assertThat(SysfsText.parseSizeKb("24684084 kB")).isEqualTo(24684084L);
		assertThat(SysfsText.parseSizeKb("1048576kB")).isEqualTo(1048576L);
		assertThat(SysfsText.parseSizeKb("32M")).isEqualTo(32768L);
		assertThat(SysfsText.parseSizeKb("1G")).isEqualTo(1048576L);
		assertThat(SysfsText.parseSizeKb("2048")).as("no unit, no guess").isNull();
		assertThat(SysfsText.parseSizeKb("big")).isNull();
		assertThat(SysfsText.parseSizeKb(null)).isNull();
	}

	@Test
	void selectedMode() {
		assertThat(SysfsText.selectedMode("always [madvise] never")).isEqualTo("madvise");
		assertThat(SysfsText.selectedMode("always defer defer+madvise [madvise] never")).isEqualTo("madvise");
		assertThat(SysfsText.selectedMode("none [mq-deadline] kyber bfq")).isEqualTo("mq-deadline");
		assertThat(SysfsText.selectedMode("none")).isEqualTo("none");
		assertThat(SysfsText.selectedMode("always madvise never")).isNull();
		assertThat(SysfsText.selectedMode("")).isNull();
		assertThat(SysfsText.selectedMode(null)).isNull();
	}

	@Test
	void colonFieldsKeepTheFirstOccurrence() {
		assertThat(SysfsText.colonFields(List.of("model name\t: Xeon", "flags : a b", "model name : Other", "junk")))
			.containsEntry("model name", "Xeon")
			.containsEntry("flags", "a b")
			.hasSize(2);
	}

	@Test
	void mountFieldsAreUnescaped() {
		assertThat(SysfsText.unescapeMountField("/mnt/huge\\040pages")).isEqualTo("/mnt/huge pages");
		assertThat(SysfsText.unescapeMountField("/plain")).isEqualTo("/plain");
		assertThat(SysfsText.unescapeMountField("/odd\\09")).isEqualTo("/odd\\09");
	}

	@Test
	void numberedChildrenSortNumerically(@TempDir Path dir) {
		for (String name : List.of("cpu10", "cpu2", "cpu0", "cpufreq", "cpuidle")) {
			HostFixtures.write(dir.resolve(name).resolve("x"), "");
		}
		assertThat(SysfsText.numberedChildren(dir, "cpu")).extracting(SysfsText.Numbered::number)
			.containsExactly(0, 2, 10);
		assertThat(SysfsText.numberedChildren(dir.resolve("missing"), "cpu")).isNull();
		assertThat(SysfsText.childNames(dir.resolve("missing"))).isNull();
	}
}
