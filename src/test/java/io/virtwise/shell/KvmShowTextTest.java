package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import io.virtwise.kvm.xml.DomainXmlParser;
import org.junit.jupiter.api.Test;

/** kvm show's pinning line on captured dumpxml: vCPU pins, emulatorpin, IOThreads and their pins. */
class KvmShowTextTest {

	static final Path DIR = Path.of("src/test/resources/fixtures/kvm");

	/** The tuned lab guest with its one IOThread pinned, as virsh iothreadpin --config leaves it. */
	static GuestFacts tunedWithIothreadPin() throws Exception {
		return DomainXmlParser.parse(Files.readString(DIR.resolve("tuned-domain.xml"))
			.replace("<emulatorpin cpuset='0-1'/>", "<emulatorpin cpuset='0-1'/>\n    <iothreadpin iothread='1' cpuset='1'/>"));
	}

	@Test
	void iothreadPinIsParsedAndShownOnThePinningLine() throws Exception {
		GuestFacts g = tunedWithIothreadPin();
		assertThat(g.iothreadPins()).isEqualTo(Map.of(1, "1"));
		assertThat(KvmCommands.text(g).lines().filter(l -> l.startsWith("pinning: ")))
			.containsExactly("pinning: {0=0, 1=1}, emulatorpin 0-1, iothreads 1, iothreadpin {1=1}");

		JsonNode json = FactsJson.MAPPER.readTree(FactsJson.MAPPER.writeValueAsString(g));
		assertThat(json.get("iothreadPins").get("1").asText()).isEqualTo("1");
	}

	@Test
	void withoutIothreadPinTheLineSaysNone() throws Exception {
		GuestFacts tuned = DomainXmlParser.parse(Files.readString(DIR.resolve("tuned-domain.xml")));
		assertThat(tuned.iothreadPins()).isEmpty();
		assertThat(KvmCommands.text(tuned)).contains("emulatorpin 0-1, iothreads 1, iothreadpin none");
		GuestFacts untuned = DomainXmlParser.parse(Files.readString(DIR.resolve("untuned-domain.xml")));
		assertThat(KvmCommands.text(untuned)).contains("pinning: none, emulatorpin none, iothreads 0, iothreadpin none");
		// a guest from facts saved before iothreadpin was read: not known, so not "none"
		ObjectNode older = FactsJson.MAPPER.valueToTree(untuned);
		older.remove("iothreadPins");
		assertThat(KvmCommands.text(FactsJson.MAPPER.treeToValue(older, GuestFacts.class))).contains("iothreadpin unknown");
	}
}
