package io.virtwise.probe.docker;

import io.virtwise.probe.core.ProbeOptions;
import io.virtwise.probe.core.Skipped;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a run says when its storage half did not fit after the network half. */
class DockerProbeTest {

	@Test
	void aStorageHalfLeftOutSaysHowToMeasureItAlone() {
		Skipped quick = DockerProbe.storageLeftOut(ProbeOptions.of(null, true, null, null), 4.6, 10.7);
		assertThat(quick.probe()).isEqualTo("docker-storage");
		assertThat(quick.what()).isEqualTo("all");
		assertThat(quick.reason()).isEqualTo("deadline: 5 s left after the network probe, one storage round needs about "
				+ "11 s; 'probe docker --quick --only storage' measures it alone");

		Skipped own = DockerProbe.storageLeftOut(ProbeOptions.of("web", false, null, null), -2, 30);
		assertThat(own.reason()).startsWith("deadline: 0 s left")
			.endsWith("; 'probe docker --container web --only storage' measures it alone");
	}
}
