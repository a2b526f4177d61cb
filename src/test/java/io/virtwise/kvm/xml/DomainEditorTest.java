package io.virtwise.kvm.xml;

import io.virtwise.advice.fix.KvmFixes;
import io.virtwise.kvm.inspect.KvmFixtures;
import io.virtwise.advice.fix.ManyDisksTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.virtwise.advice.Corpus;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.GuestController;
import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.GuestNic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * The editor diffs only what an edit touched; for every guest of the corpus and the fixtures and
 * every edit KvmFixes makes, its diff and text must be those of writing and diffing the whole domain.
 */
class DomainEditorTest {

	static Stream<Arguments> guests() throws FactsFileException {
		List<Arguments> out = new ArrayList<>();
		for (Path item : Corpus.items()) {
			for (GuestFacts g : Corpus.facts(item).guests()) {
				if (g.domainXml() != null) {
					out.add(Arguments.of(item.getFileName() + "/" + g.name(), g));
				}
			}
		}
		for (String fixture : List.of("untuned-domain.xml", "tuned-domain.xml", "tcg-domain.xml", "secrets-domain.xml")) {
			out.add(Arguments.of(fixture, KvmFixtures.guest(fixture)));
		}
		out.add(Arguments.of("generated 40 disks", DomainXmlParser.parse(ManyDisksTest.domainWithDisks("vw-disks", 40))));
		return out.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("guests")
	void everyEditDiffsAsTheWholeDomainWould(String name, GuestFacts guest) {
		Map<String, Consumer<Document>> edits = edits(guest);
		DomainEditor editor = DomainEditor.of(guest.domainXml());
		// twice, the second time backwards: each edit is undone, so none sees another's changes
		List<String> order = new ArrayList<>(edits.keySet());
		for (int pass = 0; pass < 2; pass++) {
			for (String edit : order) {
				Consumer<Document> change = edits.get(edit);
				Document doc = DomainXml.parse(guest.domainXml());
				String before = DomainXml.write(doc);
				String after;
				try {
					change.accept(doc);
					after = DomainXml.write(doc);
				}
				catch (RuntimeException e) {
					// an edit this domain does not allow fails the same way in the editor, and leaves it as it was
					assertThatThrownBy(() -> editor.apply(change, "a", "b")).as(edit).isInstanceOf(e.getClass());
					assertThat(editor.before()).isEqualTo(before);
					continue;
				}
				DomainEditor.Result result = editor.apply(change, "a.xml", "b.xml");
				assertThat(editor.before()).as("the original after " + edit).isEqualTo(before);
				assertThat(result.edited().text()).as(edit).isEqualTo(after);
				assertThat(result.diff()).as(edit).isEqualTo(DomainXmlDiff.diff(before, after, "a.xml", "b.xml"));
			}
			java.util.Collections.reverse(order);
		}
	}

	@Test
	void anEditThatMovesAndRemovesDevicesIsUndoneToo() {
		GuestFacts guest = KvmFixtures.guest("untuned-domain.xml");
		DomainEditor editor = DomainEditor.of(guest.domainXml());
		String before = editor.before();
		Consumer<Document> shuffle = doc -> {
			org.w3c.dom.Element devices = DomainXml.child(doc.getDocumentElement(), "devices");
			org.w3c.dom.Element disk = DomainXml.child(devices, "disk");
			devices.appendChild(disk);   // moved last
			DomainXml.remove(DomainXml.child(devices, "interface"));
			DomainXml.set(doc.getDocumentElement(), "type", "qemu");
			DomainXml.child(doc.getDocumentElement(), "vcpu").setTextContent("4");
		};
		Document doc = DomainXml.parse(guest.domainXml());
		shuffle.accept(doc);
		String after = DomainXml.write(doc);

		DomainEditor.Result result = editor.apply(shuffle, "a", "b");

		assertThat(result.edited().text()).isEqualTo(after);
		assertThat(result.diff()).isEqualTo(DomainXmlDiff.diff(before, after, "a", "b"));
		assertThat(editor.apply(d -> { }, "a", "b").diff()).isEmpty();
		assertThat(editor.before()).isEqualTo(before);
	}

	/** Every edit KvmFixes offers, on each device of the guest. */
	private static Map<String, Consumer<Document>> edits(GuestFacts g) {
		Map<String, Consumer<Document>> edits = new LinkedHashMap<>();
		edits.put("hugepages", KvmFixes.hugepages(2048));
		edits.put("host-passthrough", KvmFixes.hostPassthrough());
		edits.put("kvm", KvmFixes.kvmAccel());
		edits.put("topology", KvmFixes.topology(new int[] {1, 1, 1}, true));
		edits.put("shrink", KvmFixes.shrink(1));
		for (GuestDisk d : g.disks() == null ? List.<GuestDisk>of() : g.disks()) {
			if (d.target() == null) {
				continue;
			}
			edits.put("cache " + d.target(), KvmFixes.diskCacheNone(d.target()));
			edits.put("raw " + d.target(), KvmFixes.diskRaw(d.target(), KvmFixes.rawPathFor(d.source())));
			edits.put("virtio " + d.target(), KvmFixes.diskVirtio(d.target(), KvmFixes.virtioName(g, d.target())));
			edits.put("iothread " + d.target(), KvmFixes.iothread(d.target()));
		}
		for (GuestNic n : g.nics() == null ? List.<GuestNic>of() : g.nics()) {
			edits.put("nic " + n.mac() + " " + n.model(), KvmFixes.nicVirtio(n));
			edits.put("queues " + n.mac() + " " + n.model(), KvmFixes.nicQueues(n, 4));
		}
		for (GuestController c : g.controllers() == null ? List.<GuestController>of() : g.controllers()) {
			edits.put("scsi " + c.index(), KvmFixes.scsiVirtio(c.index()));
		}
		return edits;
	}
}
