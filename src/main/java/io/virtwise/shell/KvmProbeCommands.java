package io.virtwise.shell;

import io.virtwise.shell.view.OutputFormat;
import io.virtwise.shell.view.ProgressBar;
import io.virtwise.probe.kvm.GuestCpuProbe;
import io.virtwise.probe.kvm.GuestIoProbe;
import org.springframework.shell.core.command.annotation.Command;
import org.springframework.shell.core.command.annotation.Option;
import org.springframework.stereotype.Component;

/**
 * {@code probe kvm} (guest disk I/O) and {@code probe kvm-cpu} (guest CPU and memory) against
 * the host's, from a throwaway probe guest; both map errors, record results for advise and show
 * them the same way.
 */
@Component
public class KvmProbeCommands {

	private final GuestIoProbe probe;
	private final GuestCpuProbe cpuProbe;
	private final ProbeRunner runner;
	private final LibvirtUri libvirt;

	public KvmProbeCommands(GuestIoProbe probe, GuestCpuProbe cpuProbe, ProbeRunner runner, LibvirtUri libvirt) {
		this.probe = probe;
		this.cpuProbe = cpuProbe;
		this.runner = runner;
		this.libvirt = libvirt;
	}

	@Command(name = "probe kvm", group = "Probe", description = "Measure a KVM guest's disk I/O against the host's",
			help = "Boots a throwaway vwprobe-<run> libvirt domain from the probe guest (scripts/build-probe-guest: a Debian "
					+ "kernel and a busybox initramfs with fio), runs fio 4k random read and write at queue depth 1 and 32 "
					+ "against its virtio disk, and the same jobs on the host against a file in the same directory; shows "
					+ "each guest figure as a ratio to the host's, and the host CPU time the QEMU process spends per guest I/O. "
					+ "--guest NAME copies that domain's CPU mode and topology, pinning, memory backing and disk cache/io; "
					+ "the domain itself and its disk are only read. Where /dev/kvm cannot boot a guest (PVM) the probe guest "
					+ "runs under TCG and every guest figure is labelled emulated. The domain, its disk image and console "
					+ "log are removed afterwards, also on failure and Ctrl-C.",
			completionProvider = NameCompletion.DOMAINS)
	public String probeKvm(@Option(longName = "guest", description = "copy this domain's CPU, memory and disk settings") String guest,
			@Option(longName = "quick", description = "2 s per fio job instead of 3, smaller disk") boolean quick,
			@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format,
			@Option(longName = "commands", description = "show the domain XML and command lines behind every figure") boolean commands) {
		GuestIoProbe.Options options = GuestIoProbe.Options.of(guest, quick, libvirt.choose(uri));
		return runner.show(() -> probe.run(options, ProgressBar.forStderr()), format, commands);
	}

	@Command(name = "probe kvm-cpu", group = "Probe", description = "Measure a KVM guest's CPU and memory against the host's",
			help = "Boots a throwaway vwprobe-<run> libvirt domain from the probe guest once per variant: plain, backed by "
					+ "2 MiB huge pages (reserved for the run when free ones are missing, given back afterwards; skipped and "
					+ "said so when they cannot be reserved), vCPUs pinned 1:1 with emulatorpin, and a host-passthrough CPU "
					+ "with the host's topology exposed. In each it runs sysbench cpu, sequential memory writes and random "
					+ "memory reads (one warm-up run, then 3 runs with --quick, else 5), and the same command lines on the "
					+ "host; shows each variant's median as a ratio to the host's, with min-max. --guest NAME starts every "
					+ "variant from that domain's CPU, pinning and memory settings; the domain itself is only read. Where "
					+ "/dev/kvm cannot boot a guest (PVM) the probe guest runs under TCG and every guest figure is labelled "
					+ "emulated. Everything created is removed afterwards, also on failure and Ctrl-C.",
			completionProvider = NameCompletion.DOMAINS)
	public String probeKvmCpu(@Option(longName = "guest", description = "start from this domain's CPU and memory settings") String guest,
			@Option(longName = "quick", description = "1 s runs, 3 repetitions instead of 2 s and 5") boolean quick,
			@Option(longName = "libvirt", description = LibvirtUri.OPTION_HELP) String uri,
			@Option(longName = "format", description = OutputFormat.TEXT_OR_JSON, defaultValue = "text") String format,
			@Option(longName = "commands", description = "show the domain XML and command lines behind every figure") boolean commands) {
		GuestCpuProbe.Options options = GuestCpuProbe.Options.of(guest, quick, libvirt.choose(uri));
		return runner.show(() -> cpuProbe.run(options, ProgressBar.forStderr()), format, commands);
	}
}
