package io.virtwise.kvm.xml;

import io.virtwise.kvm.inspect.KvmArtifacts;
import io.virtwise.kvm.inspect.KvmFixtures;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.KvmNodeFacts;
import org.junit.jupiter.api.Test;

class CapabilitiesParserTest {

	@Test
	void capturedLabHost() {
		KvmNodeFacts n = KvmFixtures.node("capabilities.xml");

		assertThat(n.sockets()).isEqualTo(1);
		assertThat(n.cores()).isEqualTo(2);
		assertThat(n.threads()).isEqualTo(1);
		assertThat(n.cpus()).isEqualTo(2);
		assertThat(n.pageSizesKb()).containsExactly(4L, 2048L, 1048576L);
		assertThat(n.domainTypes()).containsExactly("qemu", "kvm");
		assertThat(n.supportsKvm()).isTrue();
		assertThat(n.cells()).singleElement().satisfies(c -> {
			assertThat(c.id()).isZero();
			assertThat(c.memoryKb()).isEqualTo(6514892L);
			assertThat(c.cpus()).containsExactly(0, 1);
			assertThat(c.siblings()).containsExactly(List.of(0), List.of(1));
			assertThat(c.pagesOf(2048).total()).isZero();
		});
		assertThat(n.caches()).containsExactly(new KvmNodeFacts.CacheBank(0, 3, "both", 480L * 1024, List.of(0, 1)));
	}

	@Test
	void twoSocketHyperThreadedHost() {
		KvmNodeFacts n = KvmFixtures.node("two-socket-capabilities.xml");

		assertThat(n.cells()).hasSize(2);
		assertThat(n.cellCpuCount()).isEqualTo(32);
		assertThat(n.threads()).isEqualTo(2);
		assertThat(n.cells().get(1).cpus()).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
		assertThat(n.cells().get(0).siblings()).hasSize(8).first().isEqualTo(List.of(0, 16));
		assertThat(n.siblings()).hasSize(16);
		assertThat(n.caches()).extracting(KvmNodeFacts.CacheBank::sizeKb).containsExactly(20480L, 20480L);
	}

	@Test
	void artifactsTellDomainsFromCapabilities() throws Exception {
		assertThat(KvmArtifacts.parse(KvmFixtures.DIR.resolve("tuned-domain.xml")).guest().name()).isEqualTo("vw-tuned");
		assertThat(KvmArtifacts.parse(KvmFixtures.DIR.resolve("capabilities.xml")).node().cpus()).isEqualTo(2);
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> KvmArtifacts.parse("<foo/>", "x.xml"))
			.hasMessage("x.xml has root element <foo> (line 1, column 1), neither <domain> (virsh dumpxml) nor <capabilities> (virsh capabilities)");
		assertThat(Path.of("src/test/resources/fixtures/kvm/capabilities.xml")).exists();
	}
}
