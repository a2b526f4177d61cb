package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.facts.ProbeResult;
import org.junit.jupiter.api.Test;

/** Measured figures as evidence: names, rounding, and the gap between two paths. */
class MeasuredEvidenceTest {

	static ProbeResult probe(String probe, String path, String subject, String metric, String unit, double median,
			Double baseline, String placement) {
		return new ProbeResult(probe, path, subject, metric, unit, median, null, null, null, 5, baseline, null, List.of(),
				placement);
	}

	static ProbeResult storage(String path, String subject, String metric, double median) {
		return probe("docker-storage", path, subject, metric, "files/s", median, 4500.0, null);
	}

	@Test
	void numbersReadTheWayTheyAreQuoted() {
		assertThat(Figures.number(17.8)).isEqualTo("17.8");
		assertThat(Figures.number(17.8 / 7.1)).isEqualTo("2.51");
		assertThat(Figures.number(7.8 / 7.1)).isEqualTo("1.1");
		assertThat(Figures.number(443.0)).isEqualTo("443");
		assertThat(Figures.number(84044.4)).isEqualTo("84044");
		assertThat(Figures.number(0.0458)).isEqualTo("0.05");
		assertThat(Figures.number(9.9, "us")).isEqualTo("9.9 us");
		assertThat(Figures.number(2, null)).isEqualTo("2");
	}

	@Test
	void bytesReadInBinaryUnits() {
		assertThat(Figures.binary(2L << 30)).isEqualTo("2.0 GiB");
		assertThat(Figures.binary(100L << 20)).isEqualTo("100.0 MiB");
		assertThat(Figures.binary(512)).isEqualTo("512 B");
	}

	@Test
	void aProbeResultBecomesMedianBaselineRatioAndPlacement() {
		ProbeResult p = probe("docker-network", "published-proxy", "api", "tcp-rr-latency", "us", 17.8, 7.1, "same-core");

		Recommendation r = Recommendation.builder("X", Severity.LOW, "t").measured(p).build();

		String key = "probes[docker-network/published-proxy/api].tcp-rr-latency";
		assertThat(r.evidence()).containsExactly(new Evidence(key + ".median", "17.8 us"),
				new Evidence(key + ".baselineMedian", "7.1 us"), new Evidence(key + ".ratioToBaseline", "2.51"),
				new Evidence(key + ".placement", "same-core"));
	}

	@Test
	void whatIsUnknownIsLeftOutOfTheEvidence() {
		ProbeResult p = probe("docker-storage", "writable-layer", "lab", "copy-up-ms", "ms", 443.0, null, null);

		assertThat(Recommendation.builder("X", Severity.LOW, "t").measured(p).build().evidence())
			.containsExactly(new Evidence("probes[docker-storage/writable-layer/lab].copy-up-ms.median", "443 ms"));
	}

	@Test
	void theWidestGapBetweenTwoPathsIsFound() {
		List<ProbeResult> probes = List.of(storage("writable-layer", "lab", "small-file-ops", 3100),
				storage("volume", "lab", "small-file-ops", 4400), storage("writable-layer", "lab", "randwrite-iops", 41000),
				storage("volume", "lab", "randwrite-iops", 41800), storage("host-dir", "lab", "small-file-ops", 4500),
				storage("writable-layer", "lab", "copy-up-ms", 443));

		ProbeGap gap = ProbeGap.widest(probes, "ingest", "writable-layer", "volume");

		assertThat(gap.slow().metric()).isEqualTo("small-file-ops");
		assertThat(gap.fast().path()).isEqualTo("volume");
		assertThat(Figures.number(gap.ratio())).isEqualTo("0.7");
		assertThat(Recommendation.builder("X", Severity.LOW, "t").measured(gap).build().evidence())
			.contains(new Evidence("probes[docker-storage/writable-layer/lab].small-file-ops.ratioToVolume", "0.7"))
			.contains(new Evidence("probes[docker-storage/volume/lab].small-file-ops.median", "4400 files/s"));
	}

	@Test
	void aContainersOwnMeasurementWinsOverTheLabs() {
		List<ProbeResult> probes = List.of(storage("writable-layer", "lab", "small-file-ops", 3100),
				storage("volume", "lab", "small-file-ops", 4400), storage("writable-layer", "ingest", "small-file-ops", 4300),
				storage("volume", "ingest", "small-file-ops", 4400));

		assertThat(ProbeGap.widest(probes, "ingest", "writable-layer", "volume").slow().subject()).isEqualTo("ingest");
		assertThat(ProbeGap.widest(probes, "other", "writable-layer", "volume").slow().subject()).isEqualTo("lab");
	}

	@Test
	void noGapWithoutBothPathsOrWhenMoreIsNotBetter() {
		assertThat(ProbeGap.widest(List.of(storage("writable-layer", "lab", "small-file-ops", 3100)), "x", "writable-layer",
				"volume")).isNull();
		assertThat(ProbeGap.widest(List.of(storage("writable-layer", "lab", "copy-up-ms", 443),
				storage("volume", "lab", "copy-up-ms", 1)), "x", "writable-layer", "volume")).isNull();
		assertThat(ProbeGap.widest(null, "x", "writable-layer", "volume")).isNull();
	}
}
