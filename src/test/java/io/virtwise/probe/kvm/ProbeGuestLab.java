package io.virtwise.probe.kvm;

import io.virtwise.kvm.inspect.LibvirtConnector;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.virtwise.LabRequirement;
import io.virtwise.probe.core.ProbeProgress;
import org.libvirt.Connect;
import org.libvirt.Domain;

/** What the probe-guest ITs share: the lab they need, the steps a run reports, and that a run leaves nothing behind. */
final class ProbeGuestLab {

	private ProbeGuestLab() {
	}

	/** libvirtd answering and a probe guest holding {@code workload}; fails in CI, skips elsewhere. */
	static void require(String workload) {
		try {
			Connect c = LibvirtConnector.connect(null);
			c.close();
		}
		catch (Exception e) {
			LabRequirement.unavailable("libvirtd is not reachable (scripts/lab-up kvm): " + e.getMessage(), e);
		}
		try {
			new ProbeGuest().locateGuestImage(workload);
		}
		catch (RuntimeException e) {
			LabRequirement.unavailable("the probe guest with " + workload + " is missing (scripts/lab-up kvm builds it): "
					+ e.getMessage(), e);
		}
	}

	/** Records the progress labels of a run. */
	static final class Steps implements ProbeProgress {

		final List<String> labels = new ArrayList<>();

		@Override
		public void begin(int steps) {
		}

		@Override
		public void step(String label) {
			labels.add(label);
		}

		@Override
		public void end() {
		}
	}

	/** No domain of the run is defined any more and no file of it is left under the runs directory. */
	static void assertNothingLeft(String runId) throws Exception {
		Connect c = LibvirtConnector.connect(null);
		try {
			for (Domain d : c.listAllDomains(0)) {
				assertThat(d.getName()).as("leftover probe domain").doesNotStartWith(ProbeGuest.PREFIX + runId);
			}
		}
		finally {
			c.close();
		}
		assertThat(files(runId)).as("leftover probe files").isEmpty();
	}

	private static List<Path> files(String runId) throws IOException {
		if (!Files.isDirectory(ProbeGuest.DEFAULT_RUNS_DIR)) {
			return List.of();
		}
		try (Stream<Path> s = Files.walk(ProbeGuest.DEFAULT_RUNS_DIR)) {
			return s.filter(p -> p.toString().contains(ProbeGuest.PREFIX + runId)).toList();
		}
	}
}
