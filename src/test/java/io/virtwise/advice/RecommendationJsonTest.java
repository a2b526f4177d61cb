package io.virtwise.advice;

import io.virtwise.kvm.xml.EditedText;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import org.junit.jupiter.api.Test;

/** A domain edit kept as the original plus replaced ranges is still shown whole, under its old name. */
class RecommendationJsonTest {

	@Test
	void theEditedDomainIsWrittenWholeAsNewDomainXml() throws Exception {
		EditedText edit = EditedText.of("<domain>\n  <vcpu>2</vcpu>\n</domain>\n",
				List.of(new EditedText.Replacement(17, 18, "4")));
		Recommendation r = Recommendation.builder("KVM-X", Severity.LOW, "t").fix("# diff").newDomainXml(edit).build();

		JsonNode json = FactsJson.MAPPER.readTree(FactsJson.MAPPER.writeValueAsString(r));

		assertThat(json.get("newDomainXml").asText()).isEqualTo("<domain>\n  <vcpu>4</vcpu>\n</domain>\n");
		assertThat(json.has("domainEdit")).isFalse();
		assertThat(r).isEqualTo(Recommendation.builder("KVM-X", Severity.LOW, "t").fix("# diff")
			.newDomainXml("<domain>\n  <vcpu>4</vcpu>\n</domain>\n").build());
	}

	@Test
	void aRecommendationWithoutAnEditHasNoNewDomainXml() throws Exception {
		Recommendation r = Recommendation.builder("HOST-X", Severity.LOW, "t").fix("echo").build();
		assertThat(FactsJson.MAPPER.readTree(FactsJson.MAPPER.writeValueAsString(r)).has("newDomainXml")).isFalse();
	}
}
