package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.virtwise.facts.ContainerFacts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A move to the host network takes a container off its networks: where it reaches others, or is
 * reached, by name (Docker's embedded DNS on user-defined networks, legacy links) no re-create is printed.
 * CorpusRecreateIT found it on the lab: the corpus's api, on frontend and some-network, lost the name
 * of the redis it is configured with (REDIS_URL=redis://cache:6379/0) once re-created as printed.
 */
class ContainerRecreateHostNetworkTest {

	static ContainerFacts on(String networkMode, String runCommand) {
		return new ContainerFacts(ContainerRecreateTest.ID, "api", "app:1", "running", networkMode, List.of(), null, null, List.of(),
				List.of(), 0L, false, "default", "no", null, List.of(), Map.of(), runCommand, false, ContainerRecreateTest.IMAGE_ID, null,
				null, null, null, null, null);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			frontend | docker run -d --name api --network frontend -p 8000:8000 app:1  # also on network some-network: docker network connect some-network api | it is on the user-defined networks frontend, some-network, where Docker's embedded DNS lets containers reach each other by name: on the host network it would leave them, and could no longer resolve the others' names, nor they its own
			appnet   | docker run -d --name api --network appnet -p 8000:8000 app:1                                                                    | it is on the user-defined network appnet, where Docker's embedded DNS lets containers reach each other by name: on the host network it would leave it, and could no longer resolve the others' names, nor they its own
			bridge   | docker run -d --name api -p 8000:8000 app:1  # also on network backend: docker network connect --alias api-b backend api           | it is on the user-defined network backend, where
			bridge   | docker run -d --name api -p 8000:8000 --link db:database app:1                                                                  | its --link db:database cannot go with host networking, and the names it gives would no longer resolve
			""")
	void aContainerReachedOrReachingOthersByNameIsNotMovedToTheHostNetwork(String mode, String run, String why) {
		ContainerFacts c = on(mode, run);
		ContainerRecreate.Plan plan = ContainerRecreate.onHostNetwork(c, List.of(c));

		assertThat(plan.refusal()).startsWith(why);
		assertThat(plan.fix()).containsExactly(ContainerRecreate.REFUSED + plan.refusal());
		assertThat(plan.rollback()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			bridge  | docker run -d --name api -p 8000:8000 app:1
			default | docker run -d --name api -p 8000:8000 app:1
			""")
	void onTheDefaultBridgeNoNameIsLostAndTheReCreateIsPrinted(String mode, String run) {
		ContainerFacts c = on(mode, run);

		assertThat(ContainerRecreate.onHostNetwork(c, List.of(c)).refused()).isFalse();
		// a directory moved to a volume keeps the networks: nothing is refused for them
		ContainerFacts onNetwork = on("frontend", "docker run -d --name api --network frontend app:1");
		assertThat(ContainerRecreate.withDataVolume(onNetwork, List.of(onNetwork), "api-data", "/srv/data").refused()).isFalse();
	}
}
