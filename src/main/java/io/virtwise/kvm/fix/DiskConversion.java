package io.virtwise.kvm.fix;

import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.kvm.inspect.LibvirtConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.virtwise.facts.GuestDisk;

/**
 * The host side of KVM-DISK-QCOW2: {@code qemu-img convert -O raw} of a guest's qcow2 image into
 * a new file next to it. The qcow2 file is only read: never written, moved or deleted, and the
 * raw file is never written over an existing one.
 */
public final class DiskConversion {

	/** One disk whose definition goes from a qcow2 file to a raw one. */
	public record Change(String target, Path qcow2, Path raw) {

		public List<String> command() {
			return List.of("qemu-img", "convert", "-O", "raw", qcow2.toString(), raw.toString());
		}
	}

	private DiskConversion() {
	}

	/** One disk as two definitions have it, matched by its target name. */
	record Pair(GuestDisk before, GuestDisk after) {
	}

	/** The disks both definitions have, by target name, each as it was and as it will be. */
	static List<Pair> pairs(String beforeXml, String afterXml) {
		Map<String, GuestDisk> before = DomainXmlParser.parse(beforeXml).disks().stream()
			.filter(d -> d.target() != null).collect(Collectors.toMap(GuestDisk::target, d -> d, (a, b) -> a));
		List<Pair> out = new ArrayList<>();
		for (GuestDisk after : DomainXmlParser.parse(afterXml).disks()) {
			GuestDisk was = before.get(after.target());
			if (was != null) {
				out.add(new Pair(was, after));
			}
		}
		return out;
	}

	/** The disks that are qcow2 files in {@code beforeXml} and raw files at another path in {@code afterXml}. */
	public static List<Change> changes(String beforeXml, String afterXml) {
		List<Change> out = new ArrayList<>();
		for (Pair p : pairs(beforeXml, afterXml)) {
			GuestDisk was = p.before();
			GuestDisk after = p.after();
			if ("qcow2".equals(was.format()) && "raw".equals(after.format()) && was.source() != null
					&& after.source() != null && !was.source().equals(after.source())) {
				out.add(new Change(after.target(), Path.of(was.source()), Path.of(after.source())));
			}
		}
		return out;
	}

	/** Why the conversion cannot run on this host, or null when it can. */
	public static String problem(Change c) {
		if (!Files.isRegularFile(c.qcow2())) {
			return c.qcow2() + " is not a file on this host (a remote libvirt or a block device: convert it where it lives)";
		}
		if (Files.exists(c.raw())) {
			return c.raw() + " already exists and is never overwritten: move it away first";
		}
		return null;
	}

	/** Runs qemu-img; a half-written raw file is removed on failure. The raw file gets the qcow2 file's permissions. */
	public static void convert(Change c) throws IOException, InterruptedException {
		String why = problem(c);
		if (why != null) {
			throw new IOException(why);
		}
		Process p;
		try {
			p = new ProcessBuilder(c.command()).redirectErrorStream(true).start();
		}
		catch (IOException e) {
			throw new IOException("cannot run qemu-img (apt-get install qemu-utils): " + e.getMessage(), e);
		}
		boolean done = false;
		try {
			String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int rc = p.waitFor();
			if (rc != 0) {
				throw new IOException("qemu-img convert exited " + rc + ": " + LibvirtConnector.oneLine(output));
			}
			try {
				Files.setPosixFilePermissions(c.raw(), Files.getPosixFilePermissions(c.qcow2()));
			}
			catch (UnsupportedOperationException e) {
				// not a POSIX file system: qemu-img's defaults stay
			}
			done = true;
		}
		finally {
			if (!done) {
				p.destroyForcibly();
				Files.deleteIfExists(c.raw());
			}
		}
	}

	/** Image files the current definition uses that the restored one does not: left in place by a rollback. */
	public static List<Path> leftBehind(String currentXml, String restoredXml) {
		Set<String> restored = sources(restoredXml);
		List<Path> out = new ArrayList<>();
		for (String s : sources(currentXml)) {
			if (!restored.contains(s)) {
				out.add(Path.of(s));
			}
		}
		return out;
	}

	private static Set<String> sources(String xml) {
		Set<String> out = new LinkedHashSet<>();
		for (GuestDisk d : DomainXmlParser.parse(xml).disks()) {
			if (d.source() != null && d.source().startsWith("/")) {
				out.add(d.source());
			}
		}
		return out;
	}
}
