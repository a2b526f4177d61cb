package io.virtwise.importer;

import io.virtwise.docker.inspect.DockerFixtures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.GuestFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FactsImporterTest {

	static final Facts EMPTY = new Facts(Facts.SCHEMA_VERSION, "2026-01-01T00:00:00Z", "imported", null, List.of(),
			List.of(), List.of(), null);

	@TempDir
	Path temp;

	@Test
	void inspectInfoAndVersionMergeInAnyOrder() throws FactsFileException {
		FactsImporter.Result result = FactsImporter.importFiles(EMPTY,
				List.of(DockerFixtures.CONTAINERS, DockerFixtures.INFO, DockerFixtures.VERSION));
		Facts facts = result.facts();
		assertThat(facts.containers()).hasSize(9);
		assertThat(facts.docker().version()).isEqualTo("20.10.24+dfsg1");
		assertThat(facts.docker().apiVersion()).isEqualTo("1.41");
		assertThat(facts.docker().storageDriver()).isEqualTo("overlay2");
		// docker info cannot tell the proxy, so the port path stays unknown; seccomp it can tell
		assertThat(facts.docker().userlandProxy()).isNull();
		ContainerFacts bridge = byName(facts, "vw-fx-bridge");
		assertThat(bridge.ports().get(0).path()).isNull();
		assertThat(bridge.seccompProfile()).isEqualTo("default");
		assertThat(result.summaries()).hasSize(3);
		assertThat(result.summaries().get(0)).startsWith(DockerFixtures.CONTAINERS + ": docker inspect, 9 containers (vw-fx-bridge");
		assertThat(result.summaries().get(1)).isEqualTo(DockerFixtures.INFO
				+ ": docker info, Docker 20.10.24+dfsg1, overlay2 on extfs, cgroup v1 (cgroupfs), 14 running");
		assertThat(result.summaries().get(2)).isEqualTo(DockerFixtures.VERSION + ": docker version, Docker 20.10.24+dfsg1, API 1.41");
	}

	@Test
	void aFactsFileWithTheEnginesProxySettingGivesImportedPortsTheirPath() throws Exception {
		Facts known = EMPTY.withDocker(new io.virtwise.facts.EngineFacts(null, null, null, null, null, null, false, true,
				null, null, null, null), List.of());
		Path factsFile = temp.resolve("engine.json");
		FactsJson.writeFile(known, factsFile);
		Facts facts = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS, factsFile)).facts();
		assertThat(byName(facts, "vw-fx-bridge").ports().get(0).path()).isEqualTo("dnat");
		assertThat(facts.docker().userlandProxy()).isFalse();
	}

	@Test
	void theSameContainerImportedTwiceIsReplacedNotDoubled() throws FactsFileException {
		Facts once = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS)).facts();
		Facts twice = FactsImporter.importFiles(once, List.of(DockerFixtures.CONTAINERS)).facts();
		assertThat(twice.containers()).hasSize(9);
	}

	@Test
	void aFactsFileBringsItsHost() throws FactsFileException {
		Facts facts = FactsImporter.importFiles(EMPTY, List.of(Path.of("src/test/resources/facts/tuned-host.json"),
				DockerFixtures.CONTAINERS)).facts();
		assertThat(facts.host()).isNotNull();
		assertThat(facts.containers()).extracting(ContainerFacts::name).contains("api", "vw-fx-bridge");
	}

	@Test
	void aNamespaceSharedWithAnotherImportedContainerIsNamedByItsName() throws Exception {
		Facts both = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.RUNLINE)).facts();
		assertThat(run(both, "rl-shared")).contains(" --ipc container:rl-full ").doesNotContain("f833490f");
		// rl-shared alone: the other container's name is not in the batch, so its id stays
		Path alone = temp.resolve("shared.json");
		Files.writeString(alone, DockerFixtures.container(DockerFixtures.RUNLINE, "rl-shared").toString());
		assertThat(run(FactsImporter.importFiles(EMPTY, List.of(alone)).facts(), "rl-shared"))
			.contains(" --ipc container:f833490f7ecff111c65f3b4f36333f2427ca362d736f7e1436394a712da1b0a7 ");
		// rl-full known from earlier facts, rl-shared imported later: named again
		assertThat(run(FactsImporter.importFiles(both, List.of(alone)).facts(), "rl-shared")).contains(" --ipc container:rl-full ");
	}

	private static String run(Facts facts, String name) {
		return facts.containers().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().runCommand();
	}

	@Test
	void aSingleContainerObjectIsAccepted() throws Exception {
		Path one = temp.resolve("one.json");
		Files.writeString(one, DockerFixtures.container("vw-fx-limits").toString());
		assertThat(FactsImporter.importFiles(EMPTY, List.of(one)).facts().containers()).hasSize(1);
	}

	@Test
	void theImagesInspectLetsTheRunLinesLeaveOutWhatTheImageSets() throws FactsFileException {
		FactsImporter.Result alone = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS));
		assertThat(byName(alone.facts(), "vw-fx-bridge").runCommand()).contains("--label io.virtwise.image=probe");
		assertThat(alone.summaries().get(0)).endsWith("; without their images' config the rebuilt run lines also carry what "
				+ "the image sets (labels, command, environment names): import docker image inspect IMAGE with them to leave that out");

		FactsImporter.Result withImage = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.IMAGE, DockerFixtures.CONTAINERS));
		assertThat(withImage.facts().containers()).hasSize(9)
			.allSatisfy(c -> assertThat(c.runCommand()).as(c.name()).doesNotContain("io.virtwise.image", "io.virtwise.recipe"));
		// the image's own command is left out too; the container's own labels stay
		assertThat(byName(alone.facts(), "vw-fx-bridge").runCommand()).endsWith(" virtwise/probe:latest /bin/sleep infinity");
		assertThat(byName(withImage.facts(), "vw-fx-bridge").runCommand()).isEqualTo("docker run -d --name vw-fx-bridge "
				+ "-p 127.0.0.1:18080:80 --log-driver json-file --label io.virtwise.fixture=1 --label io.virtwise.test=1 "
				+ "virtwise/probe:latest");
		assertThat(withImage.summaries()).containsExactly(
				DockerFixtures.IMAGE + ": docker inspect, 1 image (virtwise/probe:6b863503c894)",
				withImage.summaries().get(1));
		assertThat(withImage.summaries().get(1)).startsWith(DockerFixtures.CONTAINERS + ": docker inspect, 9 containers (")
			.doesNotContain("without");
	}

	@Test
	void anImageImportedWithoutItsContainersChangesNothingAndSaysSo() throws Exception {
		Facts containers = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS)).facts();
		FactsImporter.Result later = FactsImporter.importFiles(containers, List.of(DockerFixtures.IMAGE));
		assertThat(later.facts().containers()).isEqualTo(containers.containers());
		assertThat(later.summaries()).containsExactly(DockerFixtures.IMAGE + ": docker inspect, 1 image "
				+ "(virtwise/probe:6b863503c894), used by none of the containers imported with it (an image serves the "
				+ "containers of its own facts import)");
		// docker image inspect --format '{{json .}}': one image, not an array
		Path one = temp.resolve("image-object.json");
		Files.writeString(one, FactsJson.MAPPER.readTree(DockerFixtures.IMAGE.toFile()).get(0).toString());
		Facts both = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS, one)).facts();
		assertThat(byName(both, "vw-fx-bridge").runCommand()).doesNotContain("io.virtwise.image");
	}

	@Test
	void unknownOrBrokenFilesAreNamedAndImportNothing() throws IOException {
		Path network = temp.resolve("network.json");
		Files.writeString(network, "[{\"Name\": \"bridge\", \"Id\": \"4f1c\", \"Driver\": \"bridge\", \"IPAM\": {}}]");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS, network)))
			.isInstanceOf(FactsFileException.class)
			.hasMessageStartingWith(network + " is a JSON array, but not of containers or images");
		Path other = temp.resolve("other.json");
		Files.writeString(other, "{\"hello\": 1}");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(other)))
			.hasMessageStartingWith(other + " is JSON of an unknown kind; facts import reads docker inspect output");
		Path empty = temp.resolve("empty.json");
		Files.writeString(empty, "[]");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(empty))).hasMessageContaining("an empty JSON array");
		Path nothing = temp.resolve("nothing.json");
		Files.writeString(nothing, "");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(nothing)))
			.hasMessageStartingWith(nothing + " is empty; facts import reads docker inspect output");
		Path broken = temp.resolve("broken.json");
		Files.writeString(broken, "[{\"Id\": ");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(broken))).hasMessageStartingWith(broken + " is not JSON");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(temp.resolve("missing.json"))))
			.hasMessageEndingWith("missing.json does not exist");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(Path.of("src/test/resources/shell/future-schema.json"))))
			.hasMessageContaining("newer than this virtwise");
	}

	static final Path KVM = Path.of("src/test/resources/fixtures/kvm");

	@Test
	void libvirtXmlMixesWithDockerJsonInOneImport() throws FactsFileException {
		FactsImporter.Result result = FactsImporter.importFiles(EMPTY, List.of(KVM.resolve("untuned-domain.xml"),
				DockerFixtures.CONTAINERS, KVM.resolve("capabilities.xml"), KVM.resolve("tcg-domain.xml")));
		Facts facts = result.facts();
		assertThat(facts.containers()).hasSize(9);
		assertThat(facts.guests()).extracting(GuestFacts::name).containsExactly("vw-untuned", "vw-tcg");
		assertThat(facts.guests().get(0).disks()).singleElement().satisfies(d -> assertThat(d.bus()).isEqualTo("ide"));
		assertThat(facts.kvmNode().cpus()).isEqualTo(2);
		assertThat(facts.kvmNode().supportsKvm()).isTrue();
		assertThat(result.summaries()).containsExactly(
				KVM.resolve("untuned-domain.xml") + ": virsh dumpxml, guest vw-untuned (type kvm, 2 vCPUs, 512 MiB, 1 disk, 1 NIC)",
				result.summaries().get(1),
				KVM.resolve("capabilities.xml") + ": virsh capabilities, 2 CPUs in 1 NUMA cell, domain types qemu, kvm",
				result.summaries().get(3));
		assertThat(result.summaries().get(1)).startsWith(DockerFixtures.CONTAINERS + ": docker inspect, 9 containers");
		// what the XML cannot say stays unknown
		assertThat(facts.guests().get(0).state()).isNull();
	}

	@Test
	void aGuestImportedAgainByNameReplacesTheEarlierOneAndFactsFilesKeepTheNode() throws Exception {
		Facts first = FactsImporter.importFiles(EMPTY, List.of(KVM.resolve("capabilities.xml"), KVM.resolve("untuned-domain.xml")))
			.facts();
		Path retuned = temp.resolve("retuned.xml");
		Files.writeString(retuned, Files.readString(KVM.resolve("untuned-domain.xml")).replace("bus='ide'", "bus='virtio'"));
		Facts second = FactsImporter.importFiles(first, List.of(retuned, KVM.resolve("tuned-domain.xml"))).facts();
		assertThat(second.guests()).extracting(GuestFacts::name).containsExactly("vw-untuned", "vw-tuned");
		assertThat(second.guests().get(0).disks().get(0).bus()).isEqualTo("virtio");
		assertThat(second.kvmNode()).isEqualTo(first.kvmNode());

		// a facts file written from those facts brings its guests (by name again) and its node
		Path exported = temp.resolve("exported.json");
		FactsJson.writeFile(second, exported);
		Facts again = FactsImporter.importFiles(second, List.of(exported)).facts();
		assertThat(again.guests()).hasSize(2);
		assertThat(FactsImporter.importFiles(EMPTY, List.of(exported)).facts().kvmNode()).isEqualTo(first.kvmNode());
	}

	@Test
	void malformedOrForeignXmlIsOneLineWithFileLineAndColumn() throws IOException {
		Path broken = temp.resolve("broken.xml");
		Files.writeString(broken, "<domain type='kvm'>\n  <name>x</name>\n  <cpu mode='custom'>\n</domain>\n");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(KVM.resolve("capabilities.xml"), broken)))
			.isInstanceOf(FactsFileException.class)
			.hasMessageStartingWith(broken + " is not well-formed XML (line 4, column 3): ")
			.hasMessageContaining("cpu")
			.satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
		Path network = temp.resolve("network.xml");
		Files.writeString(network, "<?xml version='1.0'?>\n<!-- virsh net-dumpxml default -->\n  <network>\n<name>default</name></network>");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(network)))
			.hasMessage(network + " has root element <network> (line 3, column 3), neither <domain> (virsh dumpxml) "
					+ "nor <capabilities> (virsh capabilities)");
		Path doctype = temp.resolve("doctype.xml");
		Files.writeString(doctype, "<!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n<domain>&x;</domain>");
		assertThatThrownBy(() -> FactsImporter.importFiles(EMPTY, List.of(doctype)))
			.hasMessageStartingWith(doctype + " is not well-formed XML (line 1, column ");
	}

	@Test
	void importedFactsNeverHoldEnvironmentValues() throws FactsFileException {
		Facts facts = FactsImporter.importFiles(EMPTY, List.of(DockerFixtures.CONTAINERS, DockerFixtures.INFO)).facts();
		assertThat(FactsJson.write(facts)).contains("DB_PASSWORD").doesNotContain("hunter2-secret", "tok-abc123");
	}

	static ContainerFacts byName(Facts facts, String name) {
		return facts.containers().stream().filter(c -> name.equals(c.name())).findFirst().orElseThrow();
	}
}
