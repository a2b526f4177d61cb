package io.virtwise.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class FactsTest {

	static Facts full() throws Exception {
		Facts base = FactsJson.read(Path.of("src/test/resources/facts/docker-untuned.json"));
		KvmNodeFacts node = new KvmNodeFacts("qemu:///system", "9.0.0", null, null, 1, 1, 2, 1, 2, null, List.of(4L, 2048L), null, null, List.of("qemu", "kvm"));
		return base.withKvm(node, List.of(new GuestFacts("g", null, null, null, 2, 1024L, null, null, null)));
	}

	@Test
	void everyWitherKeepsTheOtherParts() throws Exception {
		Facts facts = full();
		assertThat(facts.docker()).isNotNull();
		assertThat(facts.kvmNode()).isNotNull();
		assertThat(facts.probes()).isNotEmpty();
		for (Facts changed : List.of(facts.withSource("elsewhere"), facts.withProbes(facts.probes()),
				facts.withDocker(facts.docker(), facts.containers()), facts.withKvm(facts.kvmNode(), facts.guests()))) {
			assertThat(changed.host()).isEqualTo(facts.host());
			assertThat(changed.containers()).isEqualTo(facts.containers());
			assertThat(changed.guests()).isEqualTo(facts.guests());
			assertThat(changed.probes()).isEqualTo(facts.probes());
			assertThat(changed.docker()).isEqualTo(facts.docker());
			assertThat(changed.kvmNode()).isEqualTo(facts.kvmNode());
		}
	}

	@Test
	void aFactsFileRoundTripsThroughJson() throws Exception {
		Facts facts = full();
		assertThat(FactsJson.parse(FactsJson.write(facts), "test")).isEqualTo(facts);
	}

	@Test
	void aDockerInspectFileOrAnEmptyOneIsNotFactsAndPointsToFactsImport() {
		assertThatThrownBy(() -> FactsJson.parse("[{\"Id\": \"abc\"}]", "inspect.json"))
			.isInstanceOf(FactsFileException.class)
			.hasMessage("inspect.json is JSON but not a virtwise facts file (no schemaVersion); saved docker inspect and "
					+ "docker info output goes through 'facts import FILE...' first");
		assertThatThrownBy(() -> FactsJson.parse("", "empty.json")).hasMessageStartingWith("empty.json is empty, not a virtwise facts file;");
	}
}
