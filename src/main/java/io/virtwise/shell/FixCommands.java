package io.virtwise.shell;

import io.virtwise.gather.FactsGatherer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.Recommendation;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import io.virtwise.advice.rules.RuleBaseService;
import io.virtwise.facts.Facts;
import io.virtwise.kvm.fix.BackupStore;
import io.virtwise.kvm.fix.DomainFix;
import io.virtwise.kvm.inspect.LibvirtConnector;
import io.virtwise.kvm.inspect.LibvirtUnavailableException;
import org.libvirt.Connect;
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
		Recommendation rec = DomainFix.pick(AdviceEngine.evaluate(ruleBase, facts), wanted, guest);
		DomainFix.requireDomainEdit(rec);
		DomainFix fix = new DomainFix(ruleBase, facts, backups);
		Connect conn = connect();
		try {
			Optional<DomainFix.Plan> planned = fix.plan(conn, rec);
			if (planned.isEmpty()) {
				boolean running = isRunning(conn, rec.subject());
				return rec.id() + " is already in " + rec.subject() + "'s persistent configuration"
						+ (running ? "; it " + DomainFix.COLD_BOOT : "") + ". Nothing changed.";
			}
			DomainFix.Plan plan = planned.get();
			String name = plan.guest();
			PrintWriter out = context.outputWriter();
			out.println(plan.recommendation().id() + " for " + name + ": " + plan.recommendation().title());
			out.println("Change to the persistent domain XML:");
			plan.diff().forEach(out::println);
			if (!plan.conversions().isEmpty()) {
				out.println("Runs on this host first (the qcow2 file is only read, never changed or removed):");
				plan.conversions().forEach(c -> out.println("  " + String.join(" ", c.command())));
			}
			if (!plan.hostCommands().isEmpty()) {
				out.println("Host commands (printed, not run; run the ones that apply yourself):");
				plan.hostCommands().forEach(line -> out.println("  " + line));
			}
			out.println("Backup of the current XML: " + plan.backup());
			out.println("Roll back with: virtwise fix rollback " + name + "   (or: virsh define " + plan.backup() + ")"
					+ (plan.conversions().isEmpty() ? "" : "; it keeps the raw file, remove it yourself when done with it"));
			out.flush();

			if (!yes && !confirmed(context, name)) {
				return "Not applied: " + name + " is unchanged.";
			}
			DomainFix.Applied applied = fix.apply(conn, plan);
			String applyId = plan.recommendation().id();
			outcome.attachRecommendations(List.of("applied " + applyId + " " + name));
			StringBuilder done = new StringBuilder();
			plan.conversions().forEach(c -> done.append("Converted ").append(c.qcow2()).append(" to ").append(c.raw())
				.append(" (the qcow2 file is unchanged).\n"));
			done.append("Applied " + applyId + " to " + name + "'s persistent configuration (backup " + applied.backup() + ").");
			done.append(plan.running() ? "\n" + name + " is running and was not touched: the change " + DomainFix.COLD_BOOT + "."
					: "\n" + name + " is shut off: the change takes effect when it next starts.");
			if (applied.remaining() > 0) {
				done.append("\n").append(applied.remaining()).append(" more ").append(applyId).append(" finding(s) remain for ")
					.append(name).append(" (another disk or NIC): run fix apply ").append(applyId).append(" --guest ")
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
		DomainFix.Backup backup = DomainFix.latestBackup(backups, name);
		Connect conn = connect();
		try {
			DomainFix.RolledBack back = DomainFix.rollback(conn, backup);
			StringBuilder out = new StringBuilder("Re-defined " + name + " from " + back.backup() + ".");
			if (!back.diff().isEmpty()) {
				out.append("\n").append(String.join("\n", back.diff()));
			}
			if (back.running()) {
				out.append("\n").append(name).append(" is running and was not touched: the restored configuration ")
					.append(DomainFix.COLD_BOOT).append('.');
			}
			for (Path f : back.keptFiles()) {
				out.append("\nKept ").append(f).append(", which ").append(name).append(" no longer uses: if it ran on it since ")
					.append("fix apply, its writes since then are there, not in the restored image; otherwise remove it: rm ")
					.append(f);
			}
			return out.toString();
		}
		finally {
			close(conn);
		}
	}

	private static boolean isRunning(Connect conn, String name) throws LibvirtException {
		try {
			return conn.domainLookupByName(name).isActive() == 1;
		}
		catch (LibvirtException e) {
			return false;
		}
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
