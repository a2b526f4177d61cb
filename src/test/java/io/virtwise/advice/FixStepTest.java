package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;
import io.virtwise.kvm.xml.EditedText;
import org.junit.jupiter.api.Test;

/** The typed fix parts print as the lines they always did, and stay apart for the code that acts on them. */
class FixStepTest {

	static final List<String> DIFF = List.of("--- g.xml", "+++ g.xml (virtwise)", "@@ -1 +1 @@", "-<a/>", "+<b/>");

	@Test
	void aFixLineIsANoteWhenItIsAComment() {
		assertThat(FixStep.ofLine("# why")).isEqualTo(new FixStep.Note("# why"));
		assertThat(FixStep.ofLine("modprobe vhost_net   # the back end")).isEqualTo(new FixStep.HostCommand("modprobe vhost_net   # the back end"));
	}

	@Test
	void aDomainEditPrintsItsBackupHeadingAndDiff() {
		FixStep.DomainEdit edit = new FixStep.DomainEdit("g", "g.before-KVM-X.xml", DIFF, EditedText.whole("<b/>"));
		assertThat(edit.lines()).containsExactly(
				"virsh dumpxml --inactive --security-info g > g.before-KVM-X.xml   # the way back",
				"# virsh edit g   # make this change to the domain XML:",
				"--- g.xml", "+++ g.xml (virtwise)", "@@ -1 +1 @@", "-<a/>", "+<b/>");
		assertThat(new FixStep.DomainEdit("g", null, List.of(), EditedText.whole("<b/>")).lines()).isEmpty();
	}

	@Test
	void theRecommendationKeepsEachPartTypedAndPrintsThemInOrder() throws Exception {
		Recommendation r = Recommendation.builder("KVM-X", Severity.MEDIUM, "t").subject("g")
			.fix("modprobe vhost_net")
			.step(new FixStep.DomainEdit("g", "g.before-KVM-X.xml", DIFF, EditedText.whole("<b/>")))
			.fixAfterEdit("virsh shutdown g && virsh start g")
			.fix("# in the guest: ethtool -l eth0")
			.step(new FixStep.ContainerRecreation("web", List.of("docker stop web", "docker start web")))
			.build();

		assertThat(r.steps()).extracting(s -> s.getClass().getSimpleName())
			.containsExactly("HostCommand", "DomainEdit", "HostCommand", "Note", "ContainerRecreation");
		assertThat(r.steps(FixStep.HostCommand.class)).extracting(FixStep.HostCommand::line)
			.containsExactly("modprobe vhost_net", "virsh shutdown g && virsh start g");
		assertThat(r.domainEdit().diff()).isEqualTo(DIFF);
		assertThat(r.newDomainXml()).isEqualTo("<b/>");
		assertThat(r.fix()).hasSize(1 + 2 + DIFF.size() + 1 + 1 + 2).startsWith("modprobe vhost_net")
			.endsWith("# in the guest: ethtool -l eth0", "docker stop web", "docker start web");

		JsonNode json = FactsJson.MAPPER.readTree(FactsJson.MAPPER.writeValueAsString(r));
		assertThat(json.has("steps")).isFalse();
		assertThat(json.get("fix")).hasSize(r.fix().size());
		List<String> names = new java.util.ArrayList<>();
		json.fieldNames().forEachRemaining(names::add);
		assertThat(names).containsSubsequence("evidence", "fix", "rollback", "needsRestart", "newDomainXml");
	}

	@Test
	void aRestartAfterTheEditIsDroppedWithoutOne() {
		Recommendation r = Recommendation.builder("KVM-X", Severity.MEDIUM, "t").subject("g")
			.fix("# g is managed by OpenStack nova").fixAfterEdit("virsh start g").build();
		assertThat(r.fix()).containsExactly("# g is managed by OpenStack nova");
		assertThat(r.domainEdit()).isNull();
		assertThat(r.newDomainXml()).isNull();
	}
}
