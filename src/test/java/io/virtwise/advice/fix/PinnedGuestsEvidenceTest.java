package io.virtwise.advice.fix;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.Test;

/** With hundreds of pinned guests, a container's finding names a few and counts the rest. */
class PinnedGuestsEvidenceTest {

	@Test
	void evidenceNamesFiveGuestsAndCountsTheRest() throws Exception {
		Facts base = FactsJson.read(Path.of("src/test/resources/facts/untuned-host.json"));
		List<GuestFacts> guests = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			guests.add(new GuestFacts("vm" + i, null, "running", "kvm", 1, 1024L, null, List.of(i), List.of(0)));
		}
		ContainerFacts unbounded = new ContainerFacts("c1", "free-rider", "img", "running", "bridge", List.of(), null, null);
		Facts facts = new Facts(base.schemaVersion(), base.collectedAt(), "test", base.host(), List.of(unbounded), guests,
				List.of());
		Recommendation r = AdviceEngine.evaluate(RuleBase.load(Path.of("rules")), facts).stream()
			.filter(x -> x.id().equals("DOCKER-LIMITS-PINNED-GUESTS"))
			.findFirst()
			.orElseThrow();
		assertThat(r.evidence()).filteredOn(e -> e.fact().matches("guests\\[vm\\d\\]\\.pinnedCpus")).hasSize(5);
		assertThat(r.evidence()).anySatisfy(e -> assertThat(e.value()).isEqualTo("and 3 more guests pinned to those CPUs"));
	}
}
