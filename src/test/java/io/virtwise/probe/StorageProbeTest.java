package io.virtwise.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StorageProbeTest {

	@Test
	void smallFileRateCountsCreateAndDeleteTime() {
		// 2000 files created in 0.6 s and deleted in 0.4 s: 2000 files/s
		assertThat(StorageProbe.smallFileRate("2000 600000000 400000000\n")).isCloseTo(2000.0, within(1e-9));
	}

	@Test
	void aShortCountOrGarbageIsNotARate() {
		assertThatThrownBy(() -> StorageProbe.smallFileRate("1999 600000000 400000000")).isInstanceOf(ProbeOutputException.class);
		assertThatThrownBy(() -> StorageProbe.smallFileRate("split: write error")).isInstanceOf(ProbeOutputException.class);
	}

	@Test
	void unitsFollowTheNamingConvention() {
		assertThat(StorageProbe.unit("randread-iops")).isEqualTo("IOPS");
		assertThat(StorageProbe.unit("seqwrite-mbps")).isEqualTo("MB/s");
		assertThat(StorageProbe.unit("small-file-ops")).isEqualTo("files/s");
		assertThat(StorageProbe.unit("copy-up-ms")).isEqualTo("ms");
	}
}
