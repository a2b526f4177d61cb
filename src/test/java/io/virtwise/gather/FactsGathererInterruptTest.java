package io.virtwise.gather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.virtwise.docker.inspect.DockerAccess;
import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.facts.Facts;
import io.virtwise.host.HostInspector;
import io.virtwise.host.HostRoots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine that is down is a reason kept in the facts, not an error, and its reason is redacted.
 * (Ctrl-C while the inspectors run on their own threads: FactsGathererTest.)
 */
class FactsGathererInterruptTest {

	@TempDir
	Path root;

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void withoutCtrlCAnEngineThatIsDownStaysAReasonInTheFacts() {
		DockerAccess docker = new DockerAccess(null, host -> {
			throw new DockerUnavailableException("Docker engine not reachable", null);
		});
		FactsGatherer gatherer = new FactsGatherer(new HostInspector(HostRoots.under(root)), docker, Optional::empty, List::of);

		assertThat(gatherer.gather().dockerUnavailable()).isEqualTo("Docker engine not reachable");
	}

	@Test
	void theReasonAnEngineIsDownKeepsNoCredentials() {
		DockerAccess docker = new DockerAccess(null, host -> {
			throw new DockerUnavailableException("Docker engine not reachable at https://admin:hunter2pw@10.0.0.1:2376", null);
		});
		FactsGatherer gatherer = new FactsGatherer(new HostInspector(HostRoots.under(root)), docker, () -> {
			throw new IllegalStateException("cannot connect to qemu+tcp://admin:hunter2pw@10.0.0.1/system");
		}, List::of);

		Facts facts = gatherer.gather();
		assertThat(facts.dockerUnavailable()).contains("admin:").doesNotContain("hunter2pw");
		assertThat(facts.kvmUnavailable()).contains("admin:").doesNotContain("hunter2pw");
	}
}
