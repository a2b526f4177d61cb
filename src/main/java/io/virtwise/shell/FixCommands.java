package io.virtwise.shell;

import io.virtwise.gather.FactsGatherer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.FixStep;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.InputFiles;
import io.virtwise.kvm.fix.BackupStore;
import io.virtwise.kvm.fix.DirectIoCheck;
import io.virtwise.kvm.fix.DiskConversion;
import io.virtwise.kvm.xml.DomainXml;
import io.virtwise.kvm.xml.DomainXmlDiff;
import io.virtwise.kvm.xml.DomainXmlParser;
import io.virtwise.kvm.inspect.LibvirtConnector;
import io.virtwise.kvm.inspect.LibvirtUnavailableException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * Applies a KVM recommendation's domain-XML change to the guest's persistent configuration
 * (never its live state), after saving the original XML, and puts it back on request.
 */
@Component
public class FixCommands {

	static final String COLD_BOOT = "takes effect at the next cold boot (virsh shutdown + start)";
	private static final int PERSISTENT_XML = Domain.XMLFlags.SECURE | Domain.XMLFlags.INACTIVE;

	private final FactsGatherer gatherer;
	private final RuleBaseService rules;
	private final BackupStore backups;
	private final CommandOutcome outcome;
	private final LibvirtUri libvirt;

	public FixCommands(FactsGatherer gatherer, RuleBaseService rules, BackupStore backups, CommandOutcome outcome,
			LibvirtUri libvirt) {
		this.gatherer = gatherer;
		this.rules = rules;
		this.backups = backups;
		this.outcome = outcome;
		this.libvirt = libvirt;
	}

	@Command(name = "fix apply", group = "Fix", description = "Apply a KVM recommendation's domain XML change, with a backup",
			help = "Usage: fix apply ID [--guest NAME] [--yes]. Recomputes the advice, saves the guest's persistent domain "
					+ "XML to ~/.virtwise/backups, shows the diff and the rollback command, asks, then defines the edited XML. "
					+ "A running guest keeps running unchanged: the change takes effect at its next cold boot. Host commands "
					+ "(huge pages, modules) are printed, never run. KVM-DISK-QCOW2 is the one exception: for a shut-off guest "
					+ "only, it runs qemu-img convert -O raw into a new file next to the qcow2 one (which is only read, never "
					+ "changed or removed), then points the disk at it; fix rollback restores the XML and keeps the raw file. "
					+ "Without --yes one-shot use refuses (exit 2).",
			completionProvider = NameCompletion.DOMAINS)
	public String apply(@Argument(index = 0, description = "the recommendation id, e.g. KVM-DISK-CACHE") String id,
			@Option(longName = "guest", description = "the guest, when the id applies to several") String guest,
			@Option(longName = "yes", description = "do not ask for confirmation") boolean yes,
			CommandContext context) throws RuleBaseException, IOException {
		if (id == null || id.isBlank()) {
			throw VirtwiseException.usage("fix apply needs a recommendation id (see advise), e.g. fix apply KVM-DISK-CACHE --guest NAME");
		}
		String wanted = id.strip().toUpperCase(Locale.ROOT);
		if (!gatherer.imported().isEmpty()) {
			throw VirtwiseException.usage("fix apply changes this host's guests: advice now comes from imported facts (facts import --clear first)");
		}
		Facts facts = gatherer.current();
		RuleBase ruleBase = rules.get();
		Recommendation rec = pick(AdviceEngine.evaluate(ruleBase, facts), wanted, guest);
		if (!rec.id().startsWith("KVM-") || rec.newDomainXml() == null) {
			throw VirtwiseException.usage(rec.id() + " is not applied automatically: only KVM recommendations that change a guest's "
					+ "domain XML are; follow its fix lines (advise)");
		}
		String name = rec.subject();
		Connect conn = connect();
		try {
			Domain domain = lookup(conn, name);
			boolean running = domain.isActive() == 1;
			// The persistent definition with its secrets, not the live XML the facts came from.
			String original = domain.getXMLDesc(PERSISTENT_XML);
			Recommendation persistent = onPersistentXml(ruleBase, facts, name, original, rec.id());
			if (persistent == null) {
				return rec.id() + " is already in " + name + "'s persistent configuration"
						+ (running ? "; it " + COLD_BOOT : "") + ". Nothing changed.";
			}
			String edited = DomainXml.restoreSecrets(persistent.newDomainXml(), original);
			// KVM-DISK-QCOW2's XML names a raw file that only a conversion of the image creates
			List<DiskConversion.Change> conversions = DiskConversion.changes(original, edited);
			if (!conversions.isEmpty() && running) {
				throw new VirtwiseException(ExitCodes.UNAVAILABLE, persistent.id() + " converts " + name + "'s disk image and "
						+ "needs the guest shut off: virsh shutdown " + name + ", then run fix apply again (nothing was changed)");
			}
			for (java.nio.file.Path image : DirectIoCheck.newlyDirect(original, edited)) {
				String why = DirectIoCheck.problem(image);
				if (why != null) {
					throw VirtwiseException.badInput(persistent.id() + " for " + name + ": " + why + " (nothing was changed)", null);
				}
			}
			for (DiskConversion.Change c : conversions) {
				String why = DiskConversion.problem(c);
				if (why != null) {
					throw VirtwiseException.badInput("cannot convert " + name + "'s disk " + c.target() + ": " + why
							+ " (nothing was changed)", null);
				}
			}
			String before = DomainXml.write(DomainXml.parse(DomainXml.redact(original)));
			List<String> diff = DomainXmlDiff.diff(before, persistent.newDomainXml(), name + ".xml", name + ".xml (virtwise)");
			Path backup = backups.nextPath(name);

			PrintWriter out = context.outputWriter();
			out.println(persistent.id() + " for " + name + ": " + persistent.title());
			out.println("Change to the persistent domain XML:");
			diff.forEach(out::println);
			List<String> host = conversions.isEmpty() ? hostCommands(persistent) : List.of();
			if (!conversions.isEmpty()) {
				out.println("Runs on this host first (the qcow2 file is only read, never changed or removed):");
				conversions.forEach(c -> out.println("  " + String.join(" ", c.command())));
			}
			if (!host.isEmpty()) {
				out.println("Host commands (printed, not run; run the ones that apply yourself):");
				host.forEach(line -> out.println("  " + line));
			}
			out.println("Backup of the current XML: " + backup);
			out.println("Roll back with: virtwise fix rollback " + name + "   (or: virsh define " + backup + ")"
					+ (conversions.isEmpty() ? "" : "; it keeps the raw file, remove it yourself when done with it"));
			out.flush();

			if (!yes && !confirmed(context, name)) {
				return "Not applied: " + name + " is unchanged.";
			}
			Path saved = backups.save(backup, original); // the file the rollback line above names
			convert(conversions, saved);
			try {
				conn.domainDefineXML(edited);
			}
			catch (LibvirtException e) {
				removeConverted(conversions);
				throw new VirtwiseException(ExitCodes.BAD_INPUT, "libvirt rejected the edited XML for " + name + ": "
						+ LibvirtConnector.oneLine(e.getMessage()) + " (nothing changed; the backup is " + saved + ")", e);
			}
			outcome.attachRecommendations(List.of("applied " + persistent.id() + " " + name));
			StringBuilder done = new StringBuilder();
			conversions.forEach(c -> done.append("Converted ").append(c.qcow2()).append(" to ").append(c.raw())
				.append(" (the qcow2 file is unchanged).\n"));
			done.append("Applied " + persistent.id() + " to " + name + "'s persistent configuration (backup " + saved + ").");
			done.append(running ? "\n" + name + " is running and was not touched: the change " + COLD_BOOT + "."
					: "\n" + name + " is shut off: the change takes effect when it next starts.");
			long more = remaining(ruleBase, facts, name, edited, persistent.id());
			if (more > 0) {
				done.append("\n").append(more).append(" more ").append(persistent.id()).append(" finding(s) remain for ")
					.append(name).append(" (another disk or NIC): run fix apply ").append(persistent.id()).append(" --guest ")
					.append(name).append(" again.");
			}
			return done.toString();
		}
		catch (LibvirtException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, "libvirt failed: " + LibvirtConnector.oneLine(e.getMessage()), e);
		}
		finally {
			close(conn);
		}
	}

	@Command(name = "fix rollback", group = "Fix", description = "Re-define a guest from its latest fix apply backup",
			help = "Usage: fix rollback NAME. Defines the newest ~/.virtwise/backups/NAME-*.xml again and says which file it "
					+ "used. Like fix apply it changes only the persistent configuration, never a running guest.",
			completionProvider = NameCompletion.DOMAINS)
	public String rollback(@Argument(index = 0, description = "the guest") String name) throws IOException {
		if (name == null || name.isBlank()) {
			throw VirtwiseException.usage("fix rollback needs a guest name");
		}
		Optional<Path> latest;
		try {
			latest = backups.latest(name);
		}
		catch (IllegalArgumentException e) {
			throw VirtwiseException.usage(e.getMessage());
		}
		if (latest.isEmpty()) {
			throw VirtwiseException.usage("no backup of " + name + " in " + backups.dir() + " (fix apply makes one)");
		}
		Path file = latest.get();
		String xml = InputFiles.readText(file, "backup");
		GuestFacts saved;
		try {
			saved = DomainXmlParser.parse(xml);
		}
		catch (IllegalArgumentException e) {
			throw VirtwiseException.badInput("backup " + file + " is not domain XML: " + e.getMessage(), e);
		}
		if (!name.equals(saved.name())) {
			throw VirtwiseException.badInput("backup " + file + " defines '" + saved.name() + "', not '" + name + "'", null);
		}
		Connect conn = connect();
		try {
			boolean running = false;
			List<String> diff = List.of();
			List<Path> unused = List.of();
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
			StringBuilder out = new StringBuilder("Re-defined " + name + " from " + file + ".");
			if (!diff.isEmpty()) {
				out.append("\n").append(String.join("\n", diff));
			}
			if (running) {
				out.append("\n").append(name).append(" is running and was not touched: the restored configuration ")
					.append(COLD_BOOT).append('.');
			}
			// never deleted here: a guest that ran on the raw copy since fix apply has its newer writes only there
			for (Path f : unused) {
				if (Files.exists(f)) {
					out.append("\nKept ").append(f).append(", which ").append(name).append(" no longer uses: if it ran on it since ")
						.append("fix apply, its writes since then are there, not in the restored image; otherwise remove it: rm ")
						.append(f);
				}
			}
			return out.toString();
		}
		catch (LibvirtException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, "libvirt failed to define " + file + ": "
					+ LibvirtConnector.oneLine(e.getMessage()), e);
		}
		finally {
			close(conn);
		}
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
				throw VirtwiseException.badInput("converting " + c.qcow2() + " failed: " + e.getMessage()
						+ " (the domain XML is unchanged; the backup is " + backup + ")", e);
			}
			catch (InterruptedException e) {
				removeConverted(made);
				Thread.currentThread().interrupt();
				throw new VirtwiseException(ExitCodes.INTERRUPTED, "interrupted while converting " + c.qcow2()
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

	/** The one recommendation meant: by id, narrowed by --guest; several guests need --guest. */
	static Recommendation pick(List<Recommendation> all, String id, String guest) {
		List<Recommendation> byId = all.stream().filter(r -> r.id().equalsIgnoreCase(id)).toList();
		if (byId.isEmpty()) {
			throw VirtwiseException.usage(id + " is not among the current recommendations (see advise)");
		}
		if (guest != null && !guest.isBlank()) {
			List<Recommendation> mine = byId.stream().filter(r -> guest.equals(r.subject())).toList();
			if (mine.isEmpty()) {
				throw VirtwiseException.usage(id + " is not among the current recommendations for '" + guest + "' (see advise)");
			}
			return mine.get(0);
		}
		List<String> subjects = byId.stream().map(Recommendation::subject).distinct().toList();
		if (subjects.size() > 1) {
			throw VirtwiseException.usage(id + " applies to " + String.join(", ", subjects) + ": choose one with --guest NAME");
		}
		return byId.get(0);
	}

	/** The rule re-run on the persistent XML, so the edit is made to what will be defined. */
	private static Recommendation onPersistentXml(RuleBase ruleBase, Facts facts, String name, String xml, String id) {
		return evaluateWith(ruleBase, facts, name, xml).stream()
			.filter(r -> r.id().equals(id) && name.equals(r.subject()) && r.newDomainXml() != null)
			.findFirst().orElse(null);
	}

	private static long remaining(RuleBase ruleBase, Facts facts, String name, String xml, String id) {
		return evaluateWith(ruleBase, facts, name, xml).stream().filter(r -> r.id().equals(id) && name.equals(r.subject())).count();
	}

	private static List<Recommendation> evaluateWith(RuleBase ruleBase, Facts facts, String name, String xml) {
		List<GuestFacts> guests = new ArrayList<>();
		for (GuestFacts g : facts.guests()) {
			guests.add(name.equals(g.name()) ? DomainXmlParser.parse(xml).withState(g.state()) : g);
		}
		return AdviceEngine.evaluate(ruleBase, facts.withKvm(facts.kvmNode(), guests));
	}

	/** The fix's host commands and notes, printed for the user to run; the domain edit is what fix apply does itself. */
	static List<String> hostCommands(Recommendation rec) {
		return rec.steps().stream().filter(s -> s instanceof FixStep.HostCommand || s instanceof FixStep.Note)
			.flatMap(s -> s.lines().stream()).toList();
	}

	private static boolean confirmed(CommandContext context, String name) {
		String answer;
		try {
			answer = context.inputReader().readInput("Define the changed XML for " + name + "? [y/N] ");
		}
		catch (Exception e) {
			answer = null;
		}
		if (answer == null) {
			// one-shot or a script: nobody to ask
			throw VirtwiseException.usage("fix apply changes " + name + "'s domain XML and needs confirmation: run it "
					+ "again with --yes (nothing was changed)");
		}
		return answer.strip().toLowerCase(Locale.ROOT).startsWith("y");
	}

	private static Domain lookup(Connect conn, String name) {
		Domain d = find(conn, name);
		if (d == null) {
			throw VirtwiseException.usage("no libvirt domain named '" + name + "' (see kvm ls)");
		}
		return d;
	}

	private static Domain find(Connect conn, String name) {
		try {
			return conn.domainLookupByName(name);
		}
		catch (LibvirtException e) {
			return null;
		}
	}

	private static void close(Connect conn) {
		try {
			conn.close();
		}
		catch (LibvirtException e) {
			// nothing left to do with it
		}
	}

	private Connect connect() {
		try {
			return LibvirtConnector.connectReadWrite(libvirt.choose(null));
		}
		catch (LibvirtUnavailableException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
	}
}
