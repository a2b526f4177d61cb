package io.virtwise.kvm.xml;

import io.virtwise.kvm.inspect.KvmArtifacts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DomainXmlBoundsTest {

	private static String nested(int depth) {
		StringBuilder xml = new StringBuilder("<domain type='kvm'><name>n</name><metadata>");
		xml.append("<a>".repeat(depth)).append("</a>".repeat(depth));
		return xml.append("</metadata></domain>").toString();
	}

	private static String wide(int elements) {
		return "<domain type='kvm'><metadata>" + "<a/>".repeat(elements) + "</metadata></domain>";
	}

	@Test
	void nestingPastTheBoundIsRefusedWithOneLine() {
		assertThatThrownBy(() -> DomainXml.parse(nested(DomainXml.MAX_NESTING)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("nested deeper than 1000 levels")
			.message().doesNotContain("\n");
		assertThat(DomainXml.parse(nested(DomainXml.MAX_NESTING - 3)).getDocumentElement().getTagName())
			.isEqualTo("domain");
	}

	@Test
	void twoHundredThousandNestedElementsAreRefusedQuickly() {
		String xml = nested(200_000);
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
			assertThatThrownBy(() -> KvmArtifacts.parse(xml, "deep.xml"))
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageStartingWith("deep.xml is XML beyond virtwise's bounds");
		});
	}

	@Test
	void factsImportOfDeepXmlIsOneFactsFileError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
		java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("deep.xml"), nested(200_000));
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
			assertThatThrownBy(() -> io.virtwise.importer.FactsImporter.importFiles(null, java.util.List.of(file)))
				.isInstanceOf(io.virtwise.facts.FactsFileException.class)
				.hasMessageContaining("nested deeper than " + DomainXml.MAX_NESTING + " levels");
		});
	}

	@Test
	void elementCountPastTheBoundIsRefused() {
		assertThatThrownBy(() -> DomainXml.parse(wide(101), 1000, 100))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("more than 100 elements");
		assertThat(DomainXml.parse(wide(98), 1000, 100)).isNotNull();
	}

	@Test
	void elevenMegabytesOfEmptyElementsAreRefusedWithTheRealBound() {
		String xml = "<domain type='kvm'><metadata>" + "<a/><b/>".repeat(11 << 20 >> 3) + "</metadata></domain>";
		assertThatThrownBy(() -> KvmArtifacts.parse(xml, "wide.xml"))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("more than " + DomainXml.MAX_ELEMENTS + " elements");
	}

	@Test
	void attributeOrderIsKeptInALargeDocumentAndInLinearTime() {
		StringBuilder xml = new StringBuilder("<domain type='kvm'><devices>");
		for (int i = 0; i < 50_000; i++) {
			xml.append("<disk type='file' device='disk'><target dev='vd").append(i).append("' bus='virtio'/></disk>");
		}
		xml.append("</devices></domain>");
		Document doc = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> DomainXml.parse(xml.toString()));
		String written = DomainXml.write(doc);
		assertThat(written).contains("<disk type='file' device='disk'><target dev='vd49999' bus='virtio'/></disk>");
	}
}
