package io.virtwise.kvm.fix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import io.virtwise.advice.FixStep;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.InputFiles;
import io.virtwise.kvm.inspect.LibvirtConnector;
import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlDiff;
import io.virtwise.kvm.xml.DomainXmlParser;

/**
 * {@code fix apply} and {@code fix rollback} of a guest's persistent domain definition, never its
 * live state: the edit is planned in full (and every check made) before anything changes, the
 * original XML is saved to the exact file the plan names, and a definition libvirt rejects leaves
 * the guest as it was. The shell only asks and prints.
 */
public final class DomainFix {

	public static final String COLD_BOOT = "takes effect at the next cold boot (virsh shutdown + start)";
	private static final int PERSISTENT_XML = Domain.XMLFlags.SECURE | Domain.XMLFlags.INACTIVE;

	private final RuleBase ruleBase;
	private final Facts facts;
	private final BackupStore backups;

	/** @param facts the facts the advice came from, live ones: the rule is re-run on the persistent XML */
	public DomainFix(RuleBase ruleBase, Facts facts, BackupStore backups) {
		this.ruleBase = ruleBase;
		this.facts = facts;
		this.backups = backups;
	}

	/**
	 * Everything {@code fix apply} would do, nothing done yet.
	 *
	 * @param original the persistent definition with its secrets, saved before the change
	 * @param edited what is defined: the fix made on {@code original}, secrets kept
	 * @param diff the change, redacted, as the user is shown it
	 * @param hostCommands the fix's lines for the user to run; the domain edit is the part applied here
	 * @param backup the file the original is saved to, named in the rollback line before it is written
	 */
	public record Plan(Recommendation recommendation, String guest, boolean running, String original, String edited,
			List<DiskConversion.Change> conversions, List<String> diff, List<String> hostCommands, Path backup) {
	}

	/** What apply did: the backup it saved and how many findings of the same id remain for the guest. */
	public record Applied(Path backup, long remaining) {
	}

	/** What rollback did: the backup defined, the change from what was defined before, files no longer used. */
	public record RolledBack(Path backup, boolean running, List<String> diff, List<Path> keptFiles) {
	}

	/** The plan for one recommendation, or empty when the persistent definition already has the change. */
	public Optional<Plan> plan(Connect conn, Recommendation rec) throws LibvirtException {
		requireDomainEdit(rec);
		String name = rec.subject();
		Domain domain = find(conn, name);
		if (domain == null) {
			throw new IllegalArgumentException("no libvirt domain named '" + name + "' (see kvm ls)");
		}
		boolean running = domain.isActive() == 1;
		// the persistent definition with its secrets, not the live XML the facts came from
		String original = domain.getXMLDesc(PERSISTENT_XML);
		Recommendation persistent = onPersistentXml(name, original, rec.id());
		if (persistent == null) {
			return Optional.empty();
		}
		String edited = DomainXml.restoreSecrets(persistent.newDomainXml(), original);
		// KVM-DISK-QCOW2's XML names a raw file that only a conversion of the image creates
		List<DiskConversion.Change> conversions = DiskConversion.changes(original, edited);
		if (!conversions.isEmpty() && running) {
			throw new DomainFixException(DomainFixException.Kind.UNAVAILABLE, persistent.id() + " converts " + name
					+ "'s disk image and needs the guest shut off: virsh shutdown " + name
					+ ", then run fix apply again (nothing was changed)", null);
		}
		for (Path image : DirectIoCheck.newlyDirect(original, edited)) {
			String why = DirectIoCheck.problem(image);
			if (why != null) {
				throw DomainFixException.badInput(persistent.id() + " for " + name + ": " + why + " (nothing was changed)", null);
			}
		}
		for (DiskConversion.Change c : conversions) {
			String why = DiskConversion.problem(c);
			if (why != null) {
				throw DomainFixException.badInput("cannot convert " + name + "'s disk " + c.target() + ": " + why
						+ " (nothing was changed)", null);
			}
		}
		String before = DomainXml.write(DomainXml.parse(DomainXml.redact(original)));
		List<String> diff = DomainXmlDiff.diff(before, persistent.newDomainXml(), name + ".xml", name + ".xml (virtwise)");
		List<String> host = conversions.isEmpty() ? hostCommands(persistent) : List.of();
		return Optional.of(new Plan(persistent, name, running, original, edited, conversions, diff, host,
				backups.nextPath(name)));
	}

	/** Saves the backup the plan names, runs its conversions, then defines the edited XML. */
	public Applied apply(Connect conn, Plan plan) throws IOException {
		Path saved = backups.save(plan.backup(), plan.original());
		convert(plan.conversions(), saved);
		try {
			conn.domainDefineXML(plan.edited());
		}
		catch (LibvirtException e) {
			removeConverted(plan.conversions());
			throw DomainFixException.badInput("libvirt rejected the edited XML for " + plan.guest() + ": "
					+ LibvirtConnector.oneLine(e.getMessage()) + " (nothing changed; the backup is " + saved + ")", e);
		}
		String id = plan.recommendation().id();
		long remaining = evaluateWith(plan.guest(), plan.edited()).stream()
			.filter(r -> r.id().equals(id) && plan.guest().equals(r.subject())).count();
		return new Applied(saved, remaining);
	}

	/** A guest's newest backup, read and checked: it is domain XML and defines that guest. */
	public record Backup(String guest, Path file, String xml) {
	}

	/** The backup {@link #rollback} would define; checked before any connection, so a wrong name is a usage error. */
	public static Backup latestBackup(BackupStore backups, String name) throws IOException {
		Optional<Path> latest = backups.latest(name);
		if (latest.isEmpty()) {
			throw new IllegalArgumentException("no backup of " + name + " in " + backups.dir() + " (fix apply makes one)");
		}
		Path file = latest.get();
		String xml = InputFiles.readText(file, "backup");
		GuestFacts saved;
		try {
			saved = DomainXmlParser.parse(xml);
		}
		catch (IllegalArgumentException e) {
			throw DomainFixException.badInput("backup " + file + " is not domain XML: " + e.getMessage(), e);
		}
		if (!name.equals(saved.name())) {
			throw DomainFixException.badInput("backup " + file + " defines '" + saved.name() + "', not '" + name + "'", null);
		}
		return new Backup(name, file, xml);
	}

	/** Defines a guest's backup again; a raw file it no longer uses is kept and named. */
	public static RolledBack rollback(Connect conn, Backup backup) {
		String name = backup.guest();
		Path file = backup.file();
		String xml = backup.xml();
		boolean running = false;
		List<String> diff = List.of();
		List<Path> unused = List.of();
		try {
			Domain current = find(conn, name);
			if (current != null) {
				running = current.isActive() == 1;
				String currentXml = current.getXMLDesc(PERSISTENT_XML);
				unused = DiskConversion.leftBehind(currentXml, xml);
				String now = DomainXml.write(DomainXml.parse(DomainXml.redact(currentXml)));
				diff = DomainXmlDiff.diff(now, DomainXml.write(DomainXml.parse(DomainXml.redact(xml))), name + ".xml (now)",
						file.getFileName().toString());
			}
			conn.domainDefineXML(xml);
			// never deleted here: a guest that ran on the raw copy since fix apply has its newer writes only there
		}
		catch (LibvirtException e) {
			throw new DomainFixException(DomainFixException.Kind.UNAVAILABLE, "libvirt failed to define " + file + ": "
					+ LibvirtConnector.oneLine(e.getMessage()), e);
		}
		return new RolledBack(file, running, diff, unused.stream().filter(Files::exists).toList());
	}

	/** Only KVM recommendations that edit a guest's domain XML are applied; the others are followed by hand. */
	public static void requireDomainEdit(Recommendation rec) {
		if (!rec.id().startsWith("KVM-") || rec.newDomainXml() == null) {
			throw new IllegalArgumentException(rec.id() + " is not applied automatically: only KVM recommendations that "
					+ "change a guest's domain XML are; follow its fix lines (advise)");
		}
	}

	/** The one recommendation meant: by id, narrowed by {@code guest}; several guests need one named. */
	public static Recommendation pick(List<Recommendation> all, String id, String guest) {
		List<Recommendation> byId = all.stream().filter(r -> r.id().equalsIgnoreCase(id)).toList();
		if (byId.isEmpty()) {
			throw new IllegalArgumentException(id + " is not among the current recommendations (see advise)");
		}
		if (guest != null && !guest.isBlank()) {
			List<Recommendation> mine = byId.stream().filter(r -> guest.equals(r.subject())).toList();
			if (mine.isEmpty()) {
				throw new IllegalArgumentException(id + " is not among the current recommendations for '" + guest + "' (see advise)");
			}
			return mine.get(0);
		}
		List<String> subjects = byId.stream().map(Recommendation::subject).distinct().toList();
		if (subjects.size() > 1) {
			throw new IllegalArgumentException(id + " applies to " + String.join(", ", subjects) + ": choose one with --guest NAME");
		}
		return byId.get(0);
	}

	/** The fix's host commands and notes, printed for the user to run; the domain edit is what fix apply does itself. */
	public static List<String> hostCommands(Recommendation rec) {
		return rec.steps().stream().filter(s -> s instanceof FixStep.HostCommand || s instanceof FixStep.Note)
			.flatMap(s -> s.lines().stream()).toList();
	}

	/** The rule re-run on the persistent XML, so the edit is made to what will be defined. */
	private Recommendation onPersistentXml(String name, String xml, String id) {
		return evaluateWith(name, xml).stream()
			.filter(r -> r.id().equals(id) && name.equals(r.subject()) && r.newDomainXml() != null)
			.findFirst().orElse(null);
	}

	private List<Recommendation> evaluateWith(String name, String xml) {
		List<GuestFacts> guests = new ArrayList<>();
		for (GuestFacts g : facts.guests()) {
			guests.add(name.equals(g.name()) ? DomainXmlParser.parse(xml).withState(g.state()) : g);
		}
		return AdviceEngine.evaluate(ruleBase, facts.withKvm(facts.kvmNode(), guests));
	}

	/** Runs the image conversions; on failure removes the raw files this run made and says nothing else changed. */
	private static void convert(List<DiskConversion.Change> conversions, Path backup) {
		List<DiskConversion.Change> made = new ArrayList<>();
		for (DiskConversion.Change c : conversions) {
			try {
				DiskConversion.convert(c); // removes its own partial file
				made.add(c);
			}
			catch (IOException e) {
				removeConverted(made);
				throw DomainFixException.badInput("converting " + c.qcow2() + " failed: " + e.getMessage()
						+ " (the domain XML is unchanged; the backup is " + backup + ")", e);
			}
			catch (InterruptedException e) {
				removeConverted(made);
				Thread.currentThread().interrupt();
				throw new DomainFixException(DomainFixException.Kind.INTERRUPTED, "interrupted while converting " + c.qcow2()
						+ ": the partial raw file was removed, the domain XML is unchanged", e);
			}
		}
	}

	/** Removes raw files this run created; only called before the new XML is defined, so nothing uses them. */
	private static void removeConverted(List<DiskConversion.Change> conversions) {
		for (DiskConversion.Change c : conversions) {
			try {
				Files.deleteIfExists(c.raw());
			}
			catch (IOException e) {
				// left for the user; the message names the backup and nothing points at this file
			}
		}
	}

	private static Domain find(Connect conn, String name) {
		try {
			return conn.domainLookupByName(name);
		}
		catch (LibvirtException e) {
			return null;
		}
	}
}
