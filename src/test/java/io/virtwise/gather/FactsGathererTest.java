package io.virtwise.gather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.virtwise.docker.inspect.DockerInspector;
import io.virtwise.docker.inspect.DockerUnavailableException;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.kvm.inspect.KvmInspector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host, Docker and libvirt are asked at once; Ctrl-C while waiting for them stops all three and is not swallowed. */
class FactsGathererTest {

	private static final GuestFacts GUEST = DomainXmlParser.parse("<domain type='kvm'><name>vw-gather</name></domain>");

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void hostDockerAndLibvirtAreAskedAtOnce() {
		// each inspector waits for the other two: asked one after another, the first would wait for good
		CyclicBarrier allThree = new CyclicBarrier(3);
		FactsGatherer gatherer = new FactsGatherer(meeting(allThree, () -> null),
				meeting(allThree, () -> new DockerInspector.Snapshot(null, List.of())),
				meeting(allThree, () -> Optional.of(new KvmInspector.Snapshot(null, List.of(GUEST)))), List::of);

		Facts facts = gatherer.gather();

		assertThat(facts.guests()).containsExactly(GUEST);
		assertThat(facts.dockerUnavailable()).isNull();
		assertThat(facts.kvmUnavailable()).isNull();
	}

	@Test
	void aDaemonThatDoesNotAnswerIsSaidSoAndTheOthersStay() {
		FactsGatherer gatherer = new FactsGatherer(() -> null, () -> {
			throw new DockerUnavailableException("no engine at unix:///nowhere", null);
		}, () -> Optional.of(new KvmInspector.Snapshot(null, List.of(GUEST))), List::of);

		Facts facts = gatherer.gather();

		assertThat(facts.dockerUnavailable()).isEqualTo("no engine at unix:///nowhere");
		assertThat(facts.guests()).containsExactly(GUEST);
	}

	@Test
	void ctrlCWhileWaitingStopsTheOthersAndStaysInterrupted() throws InterruptedException {
		CountDownLatch dockerAsked = new CountDownLatch(1);
		CountDownLatch dockerStopped = new CountDownLatch(1);
		Supplier<DockerInspector.Snapshot> hungEngine = () -> {
			dockerAsked.countDown();
			try {
				new CountDownLatch(1).await();   // an engine that never answers
			}
			catch (InterruptedException e) {
				dockerStopped.countDown();
			}
			return new DockerInspector.Snapshot(null, List.of());
		};
		FactsGatherer gatherer = new FactsGatherer(() -> {
			try {
				dockerAsked.await();
			}
			catch (InterruptedException e) {
				throw new AssertionError(e);
			}
			Thread.currentThread().interrupt();   // Ctrl-C while the host is read
			return null;
		}, hungEngine, Optional::empty, List::of);

		assertThatThrownBy(gatherer::gather).isInstanceOf(GatheringInterruptedException.class);

		assertThat(Thread.interrupted()).as("the interrupt is kept for the command to end on").isTrue();
		assertThat(dockerStopped.await(30, TimeUnit.SECONDS)).as("the hung Docker call was interrupted").isTrue();
	}

	/** The inspector's answer once all three have started. */
	private static <T> Supplier<T> meeting(CyclicBarrier barrier, Supplier<T> answer) {
		return () -> {
			try {
				barrier.await(60, TimeUnit.SECONDS);   // a guard against hanging, not a speed target
			}
			catch (Exception e) {
				throw new AssertionError("the inspectors were not asked at once", e);
			}
			return answer.get();
		};
	}
}
