package io.virtwise.shell;

import io.virtwise.shell.view.MarkdownTable;
import io.virtwise.shell.view.OutputFormat;
import io.virtwise.kvm.inspect.KvmInspectorFactory;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import io.virtwise.facts.GuestDisk;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.GuestNic;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.kvm.inspect.KvmInspector;
import io.virtwise.kvm.inspect.LibvirtUnavailableException;
import org.springframework.shell.core.command.annotation.Argument;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/** libvirt's view: the node, its domains, one domain's performance-relevant settings. */
@Component
public class KvmCommands {

	private final KvmInspectorFactory inspectors;

	public KvmCommands(KvmInspectorFactory inspectors) {
		this.inspectors = inspectors;
	}

	@Command(name = "kvm node", group = "KVM", description = "Show the host as libvirt sees it: NUMA cells, huge pages, caches",
			completionProvider = OptionValueCompletion.BEAN)
	public String node(@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format) {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		KvmNodeFacts n = snapshot(uri).node();
		if (chosen == OutputFormat.JSON) {
			return OutputFormat.json(n);
		}
		StringBuilder out = new StringBuilder();
		out.append("libvirt ").append(n.libvirtVersion()).append(" at ").append(n.uri()).append('\n');
		out.append("cpu: ").append(n.cpuModel()).append(", ").append(n.cpus()).append(" CPUs, sockets=").append(n.sockets())
			.append(" cores=").append(n.cores()).append(" threads=").append(n.threads()).append('\n');
		out.append("domain types: ").append(n.domainTypes()).append("; page sizes (KiB): ").append(n.pageSizesKb()).append('\n');
		for (KvmNodeFacts.Cell c : n.cells()) {
			out.append("cell ").append(c.id()).append(": cpus ").append(c.cpus()).append(", memory ").append(c.memoryKb())
				.append(" KiB");
			for (KvmNodeFacts.Pages p : c.pages()) {
				if (p.sizeKb() != 4) {
					out.append(", ").append(p.sizeKb()).append(" KiB pages ").append(p.total())
						.append(p.free() == null ? "" : " (" + p.free() + " free)");
				}
			}
			out.append('\n');
		}
		for (KvmNodeFacts.CacheBank b : n.caches()) {
			out.append("cache L").append(b.level()).append(' ').append(b.type()).append(' ').append(b.sizeKb())
				.append(" KiB on cpus ").append(b.cpus()).append('\n');
		}
		return out.toString().stripTrailing();
	}

	@Command(name = "kvm ls", group = "KVM", description = "List libvirt domains with their state and key settings",
			completionProvider = OptionValueCompletion.BEAN)
	public String ls(@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = OutputFormat.TEXT_JSON_OR_MARKDOWN, defaultValue = "text") String format) {
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON, OutputFormat.MARKDOWN);
		List<GuestFacts> guests = snapshot(uri).guests();
		if (chosen == OutputFormat.JSON) {
			return OutputFormat.json(guests); // as docker ls: the guests' facts, every field kvm show has
		}
		if (chosen == OutputFormat.MARKDOWN) {
			return MarkdownTable.of(List.of("name", "state", "type", "vcpus", "memory MiB", "cpu mode"), guests.stream()
				.map(g -> List.of(g.name(), Objects.toString(g.state(), "?"), Objects.toString(g.accel(), "?"),
						Objects.toString(g.vcpus(), "?"), g.memoryKb() == null ? "?" : String.valueOf(g.memoryKb() / 1024),
						Objects.toString(g.cpuMode(), "?")))
				.toList());
		}
		if (guests.isEmpty()) {
			return "no domains defined";
		}
		String header = String.format("%-24s %-10s %-5s %5s %10s  %s", "NAME", "STATE", "TYPE", "VCPUS", "MEMORY_MIB", "CPU MODE");
		return header + "\n" + guests.stream()
			.map(g -> String.format("%-24s %-10s %-5s %5s %10s  %s", g.name(), g.state(), g.accel(), g.vcpus(),
					g.memoryKb() == null ? "?" : g.memoryKb() / 1024, g.cpuMode()))
			.collect(Collectors.joining("\n"));
	}

	@Command(name = "kvm show", group = "KVM", description = "Show one domain's CPU, memory, disk and NIC settings",
			completionProvider = NameCompletion.DOMAINS)
	public String show(@Argument(index = 0, description = "the domain name") String name,
			@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format) {
		if (name == null || name.isBlank()) {
			throw VirtwiseException.usage("kvm show needs a domain name (see kvm ls)");
		}
		OutputFormat chosen = OutputFormat.parse(format, OutputFormat.TEXT, OutputFormat.JSON);
		GuestFacts g = snapshot(uri).guests().stream().filter(x -> name.equals(x.name())).findFirst()
			.orElseThrow(() -> VirtwiseException.usage("no libvirt domain named '" + name + "' (see kvm ls)"));
		return chosen == OutputFormat.JSON ? OutputFormat.json(g) : text(g);
	}

	/** {@code kvm show}'s text: one line each for CPU, pinning and memory, then one per disk and NIC. */
	public static String text(GuestFacts g) {
		StringBuilder out = new StringBuilder();
		out.append(g.name()).append(" (").append(g.state()).append(", type ").append(g.accel()).append(")\n");
		out.append("vcpus: ").append(g.vcpus()).append(", cpu mode ").append(g.cpuMode())
			.append(g.cpuModel() == null ? "" : " " + g.cpuModel())
			.append(g.sockets() == null ? ", flat topology" : ", topology " + g.sockets() + "s/" + g.dies() + "d/" + g.cores() + "c/" + g.threads() + "t")
			.append(", cache ").append(g.cacheMode() == null ? "default" : g.cacheMode()).append('\n');
		out.append("pinning: ").append(pins(g.vcpuPins())).append(", emulatorpin ")
			.append(g.emulatorPin().isEmpty() ? "none" : g.emulatorPin()).append(", iothreads ").append(g.iothreads())
			.append(", iothreadpin ").append(pins(g.iothreadPins())).append('\n');
		out.append("memory: ").append(g.memoryKb()).append(" KiB, hugepages ")
			.append(Boolean.TRUE.equals(g.hugepageBacked()) ? "yes" + (g.hugepageSizeKb() == null ? "" : " (" + g.hugepageSizeKb() + " KiB)") : "no")
			.append(", numatune ").append(g.numatuneMode() == null ? "none" : g.numatuneMode() + " " + g.numatuneNodeset())
			.append(", balloon ").append(g.balloonModel()).append('\n');
		for (GuestDisk d : g.disks()) {
			out.append("disk ").append(d.target()).append(": bus ").append(d.bus()).append(", format ").append(d.format())
				.append(", cache ").append(d.cache() == null ? "default" : d.cache()).append(", io ")
				.append(d.io() == null ? "default" : d.io()).append(d.iothread() == null ? "" : ", iothread " + d.iothread())
				.append(", ").append(d.source()).append('\n');
		}
		for (GuestNic n : g.nics()) {
			out.append("nic: ").append(n.type()).append(", model ").append(n.model()).append(", driver ")
				.append(n.driver() == null ? "default" : n.driver()).append('\n');
		}
		return out.toString().stripTrailing();
	}

	/** vCPU or IOThread number to host CPUs, as {@code {0=2, 1=3}}. */
	private static String pins(java.util.Map<Integer, String> pins) {
		return pins == null ? "unknown" : pins.isEmpty() ? "none" : pins.toString();
	}

	private KvmInspector.Snapshot snapshot(String uri) {
		try {
			return inspectors.forUri(uri).inspect();
		}
		catch (LibvirtUnavailableException e) {
			throw new VirtwiseException(ExitCodes.UNAVAILABLE, e.getMessage(), e);
		}
	}
}
