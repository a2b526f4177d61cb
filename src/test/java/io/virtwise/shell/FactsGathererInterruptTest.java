package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.virtwise.docker.DockerAccess;
import io.virtwise.docker.DockerUnavailableException;
import io.virtwise.host.HostInspector;
import io.virtwise.host.HostRoots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C while facts are gathered ends the gather: an interrupted engine call is not an unavailable engine. */
class FactsGathererInterruptTest {

	@TempDir
	Path root;

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void ctrlCWhileDockerIsAskedIsNotADockerThatIsDown() {
		// what the bounded HTTP client does on Ctrl-C: the interrupt set again, the call failed
		DockerAccess docker = new DockerAccess(null, host -> {
			Thread.currentThread().interrupt();
			throw new DockerUnavailableException("interrupted while waiting for the Docker engine", new InterruptedException());
		});
		FactsGatherer gatherer = new FactsGatherer(new HostInspector(HostRoots.under(root)), docker, Optional::empty, List::of);

		assertThatThrownBy(gatherer::gather).isInstanceOf(VirtwiseException.class)
			.satisfies(e -> assertThat(((VirtwiseException) e).exitCode()).isEqualTo(ExitCodes.INTERRUPTED));
		assertThat(Thread.currentThread().isInterrupted()).as("the interrupt stays set for the caller").isTrue();
	}

	@Test
	void ctrlCWhileLibvirtIsAskedIsNotALibvirtThatIsDown() {
		FactsGatherer gatherer = new FactsGatherer(new HostInspector(HostRoots.under(root)), null, () -> {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted");
		}, List::of);

		assertThatThrownBy(gatherer::gather).isInstanceOf(VirtwiseException.class)
			.satisfies(e -> assertThat(((VirtwiseException) e).exitCode()).isEqualTo(ExitCodes.INTERRUPTED));
	}

	@Test
	void ctrlCThatNoInspectorNoticedStillEndsTheGather() {
		FactsGatherer gatherer = new FactsGatherer(new HostInspector(HostRoots.under(root)), null, () -> {
			Thread.currentThread().interrupt(); // e.g. pressed while the host files were read
			return Optional.empty();
		}, List::of);

		assertThatThrownBy(gatherer::gather).isInstanceOf(VirtwiseException.class);
	}

	@Test
	void withoutCtrlCAnEngineThatIsDownStaysAReasonInTheFacts() {
		DockerAccess docker = new DockerAccess(null, host -> {
			throw new DockerUnavailableException("Docker engine not reachable", null);
		});
		FactsGatherer gatherer = new FactsGatherer(new HostInspector(HostRoots.under(root)), docker, Optional::empty, List::of);

		assertThat(gatherer.gather().dockerUnavailable()).isEqualTo("Docker engine not reachable");
	}
}
