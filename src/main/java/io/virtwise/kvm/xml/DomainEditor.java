package io.virtwise.kvm.xml;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.events.EventListener;
import org.w3c.dom.events.EventTarget;
import org.w3c.dom.events.MutationEvent;

/**
 * One guest's domain XML parsed once, on which each fix's edit is made, measured and undone. The
 * edit's DOM mutations say which children of {@code <domain>} and {@code <devices>} changed; only
 * those are written again and diffed, so a fix per disk of a guest with thousands of disks costs
 * the size of that disk, not of the domain. Not thread-safe: one editor per thread.
 */
public final class DomainEditor {

	/** What one edit changed: the unified diff and the whole edited text, sharing the original. */
	public record Result(List<String> diff, EditedText edited) {
	}

	private static final int CONTEXT = 3;
	private static final List<String> MUTATIONS = List.of("DOMNodeInserted", "DOMNodeRemoved", "DOMAttrModified",
			"DOMCharacterDataModified");

	// the rules make a fix per disk of the same guest in a row: keep its parsed domain for the next one
	private static final ThreadLocal<SoftReference<DomainEditor>> LAST = new ThreadLocal<>();

	private final String source;
	private final Document doc;
	private final Element root;
	private final String before;
	private final List<String> beforeLines;
	private final int[] lineStarts;
	private final Map<Node, int[]> pieces = new IdentityHashMap<>();
	private final Map<Node, int[]> startTags = new IdentityHashMap<>();
	private final List<Runnable> undo = new ArrayList<>();
	private Changes changes;

	private DomainEditor(String source) {
		this.source = source;
		this.doc = DomainXml.parse(source);
		this.root = doc.getDocumentElement();
		this.before = DomainXml.write(doc, DomainXml.child(root, "devices"), pieces, startTags);
		this.beforeLines = lines(before);
		this.lineStarts = new int[beforeLines.size()];
		for (int i = 1, at = 0; i < lineStarts.length; i++) {
			at += beforeLines.get(i - 1).length() + 1;
			lineStarts[i] = at;
		}
		EventListener listener = event -> record((MutationEvent) event);
		for (String type : MUTATIONS) {
			((EventTarget) doc).addEventListener(type, listener, true);
		}
	}

	/** The editor of this domain XML: the one last used on this thread when it is the same text. */
	public static DomainEditor of(String domainXml) {
		SoftReference<DomainEditor> ref = LAST.get();
		DomainEditor last = ref == null ? null : ref.get();
		if (last != null && last.source.equals(domainXml)) {
			return last;
		}
		DomainEditor editor = new DomainEditor(domainXml);
		LAST.set(new SoftReference<>(editor));
		return editor;
	}

	/** The domain as written before any edit. */
	String before() {
		return before;
	}

	/** Makes the edit, returns its diff and text, and undoes it, whether it succeeds or throws. */
	public Result apply(Consumer<Document> edit, String beforeLabel, String afterLabel) {
		changes = new Changes();
		try {
			edit.accept(doc);
			List<EditedText.Replacement> replacements = replacements(changes);
			if (replacements == null) {
				// an edit outside what the pieces describe (the root replaced, overlapping changes): write it all
				String after = DomainXml.write(doc);
				return new Result(DomainXmlDiff.diff(before, after, beforeLabel, afterLabel), EditedText.whole(after));
			}
			return new Result(diff(replacements, beforeLabel, afterLabel), EditedText.of(before, replacements));
		}
		finally {
			changes = null;
			for (int i = undo.size() - 1; i >= 0; i--) {
				undo.get(i).run();
			}
			undo.clear();
		}
	}

	/** What an edit touched, in the terms of the pieces of the original text. */
	private static final class Changes {
		final Set<Node> dirty = new LinkedHashSet<>();
		final Set<Node> dirtyStartTags = new LinkedHashSet<>();
		final Set<Node> inserted = new LinkedHashSet<>();
		final Set<Node> removed = new LinkedHashSet<>();
	}

	private void record(MutationEvent event) {
		if (changes == null) {
			return;   // the undo's own mutations
		}
		Node target = (Node) event.getTarget();
		Node related = event.getRelatedNode();
		switch (event.getType()) {
			case "DOMNodeInserted" -> {
				undo.add(() -> related.removeChild(target));
				if (startTags.containsKey(related)) {
					changes.inserted.add(target);
				}
				else {
					touch(related);
				}
			}
			case "DOMNodeRemoved" -> {
				Node next = target.getNextSibling();
				undo.add(() -> related.insertBefore(target, next));
				if (startTags.containsKey(related)) {
					if (pieces.containsKey(target)) {
						changes.removed.add(target);
					}
					changes.inserted.remove(target);
				}
				else {
					touch(related);
				}
			}
			case "DOMAttrModified" -> {
				Element element = (Element) target;
				String name = event.getAttrName();
				String previous = event.getPrevValue();
				if (event.getAttrChange() == MutationEvent.ADDITION) {
					undo.add(() -> {
						element.removeAttribute(name);
						DomainXml.forgetAttribute(element, name);
					});
				}
				else {
					undo.add(() -> element.setAttribute(name, previous));
				}
				if (startTags.containsKey(element)) {
					changes.dirtyStartTags.add(element);
				}
				else {
					touch(element);
				}
			}
			default -> {
				String previous = event.getPrevValue();
				undo.add(() -> target.setNodeValue(previous));
				touch(target);
			}
		}
	}

	/** Marks the child of {@code <domain>} or {@code <devices>} that holds this node as changed. */
	private void touch(Node node) {
		for (Node n = node; n != null; n = n.getParentNode()) {
			Node parent = n.getParentNode();
			if (parent != null && startTags.containsKey(parent)) {
				if (pieces.containsKey(n)) {
					changes.dirty.add(n);
				}
				return;
			}
		}
	}

	/** The changed stretches of the original text and what replaces each, in order; null when they do not fit apart. */
	private List<EditedText.Replacement> replacements(Changes c) {
		if (doc.getDocumentElement() != root || startTags.keySet().stream().anyMatch(level -> !attached(level) || !level.hasChildNodes())) {
			return null;
		}
		List<EditedText.Replacement> out = new ArrayList<>();
		for (Node n : c.dirty) {
			if (!c.removed.contains(n) && !c.inserted.contains(n)) {
				int[] range = pieces.get(n);
				out.add(new EditedText.Replacement(range[0], range[1], written(n)));
			}
		}
		for (Node n : c.removed) {
			int[] range = pieces.get(n);
			out.add(new EditedText.Replacement(range[0], range[1], ""));
		}
		for (Node tag : c.dirtyStartTags) {
			if (!attached(tag) || !((Element) tag).hasChildNodes()) {
				return null;
			}
			StringBuilder text = new StringBuilder();
			DomainXml.writeStartTag((Element) tag, text);
			int[] range = startTags.get(tag);
			out.add(new EditedText.Replacement(range[0], range[1], text.toString()));
		}
		for (Node n : c.inserted) {
			Node previous = n.getPreviousSibling();
			if (!attached(n) || previous != null && c.inserted.contains(previous)) {
				continue;   // gone again, or written with the run it follows
			}
			Node parent = n.getParentNode();
			if (!startTags.containsKey(parent) || previous != null && !pieces.containsKey(previous)) {
				return null;
			}
			StringBuilder run = new StringBuilder();
			for (Node r = n; r != null && c.inserted.contains(r); r = r.getNextSibling()) {
				DomainXml.writeNode(r, run);
			}
			int at = previous != null ? pieces.get(previous)[1] : startTags.get(parent)[1];
			out.add(new EditedText.Replacement(at, at, run.toString()));
		}
		// an insertion after a piece comes before a change of whatever starts where that piece ends
		out.sort(Comparator.comparingInt(EditedText.Replacement::start).thenComparingInt(EditedText.Replacement::end));
		for (int i = 1; i < out.size(); i++) {
			if (out.get(i).start() < out.get(i - 1).end()) {
				return null;
			}
		}
		return out;
	}

	private boolean attached(Node node) {
		Node n = node;
		while (n.getParentNode() != null) {
			n = n.getParentNode();
		}
		return n == doc;
	}

	private static String written(Node node) {
		StringBuilder out = new StringBuilder();
		DomainXml.writeNode(node, out);
		return out.toString();
	}

	/**
	 * The unified diff of the changed lines only: each group of touching changes is diffed on the
	 * lines it spans and placed at its line in the whole text, so context and hunk headers are those
	 * of a diff of the whole domain.
	 */
	private List<String> diff(List<EditedText.Replacement> replacements, String beforeLabel, String afterLabel) {
		Patch<String> patch = new Patch<>();
		int shift = 0;
		int i = 0;
		while (i < replacements.size()) {
			int first = lineOf(replacements.get(i).start());
			int last = lastLineOf(replacements.get(i));
			int j = i + 1;
			while (j < replacements.size() && lineOf(replacements.get(j).start()) <= last) {
				last = Math.max(last, lastLineOf(replacements.get(j)));
				j++;
			}
			int from = lineStarts[first];
			int to = lineStarts[last] + beforeLines.get(last).length();
			StringBuilder after = new StringBuilder();
			int at = from;
			for (EditedText.Replacement r : replacements.subList(i, j)) {
				after.append(before, at, r.start()).append(r.text());
				at = r.end();
			}
			after.append(before, at, to);
			List<String> old = beforeLines.subList(first, last + 1);
			List<String> now = Arrays.asList(after.toString().split("\n", -1));
			for (AbstractDelta<String> d : DiffUtils.diff(old, now).getDeltas()) {
				patch.addDelta(d.withChunks(new Chunk<>(d.getSource().getPosition() + first, d.getSource().getLines()),
						new Chunk<>(d.getTarget().getPosition() + first + shift, d.getTarget().getLines())));
			}
			shift += now.size() - old.size();
			i = j;
		}
		if (patch.getDeltas().isEmpty()) {
			return List.of();
		}
		return UnifiedDiffUtils.generateUnifiedDiff(beforeLabel, afterLabel, beforeLines, patch, CONTEXT);
	}

	/** The line holding this character of the original. */
	private int lineOf(int offset) {
		int found = Arrays.binarySearch(lineStarts, offset);
		return found >= 0 ? found : -found - 2;
	}

	/** The line where the replaced stretch ends: a stretch ending in a line break takes the next line along. */
	private int lastLineOf(EditedText.Replacement r) {
		return lineOf(r.end());
	}

	private static List<String> lines(String text) {
		String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
		return Arrays.asList(trimmed.split("\n", -1));
	}
}
