package io.virtwise.probe.kvm;

import io.virtwise.probe.core.ProbeException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Follows a probe guest's console file line by line until the guest's init says it is done, and
 * fails clearly and early when it will never be: a kernel panic, the domain stopping, no init
 * within the boot deadline, or work that outlasts its time.
 */
final class ProbeConsoleFollower {

	/** What a Linux kernel prints when it gives up, whatever the cause (no init, no root, an oops). */
	static final String KERNEL_PANIC = "Kernel panic - not syncing";

	private final Path pidFile;
	private final BooleanSupplier domainActive;
	private final long bootSeconds;

	/** {@code pidFile}: where libvirt writes the QEMU process id; {@code domainActive}: whether the domain still runs. */
	ProbeConsoleFollower(Path pidFile, BooleanSupplier domainActive, long bootSeconds) {
		this.pidFile = pidFile;
		this.domainActive = domainActive;
		this.bootSeconds = bootSeconds;
	}

	void follow(Path console, long workSeconds, ProbeGuest.ConsoleListener listener) throws IOException {
		long bootDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(bootSeconds);
		long endDeadline = bootDeadline + TimeUnit.SECONDS.toNanos(workSeconds);
		
		long pid = -1;
		long offset = 0;
		StringBuilder pending = new StringBuilder();
		StringBuilder all = new StringBuilder();
		boolean init = false;
		boolean stopped = false;
		long nextLivenessCheck = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
		while (true) {
			if (pid < 0 && Files.isRegularFile(pidFile)) {
				pid = Long.parseLong(Files.readString(pidFile).strip());
			}
			if (Files.isRegularFile(console)) {
				try (RandomAccessFile f = new RandomAccessFile(console.toFile(), "r")) {
					long len = f.length();
					if (len > offset) {
						byte[] buf = new byte[(int) (len - offset)];
						f.seek(offset);
						f.readFully(buf);
						offset = len;
						pending.append(new String(buf, StandardCharsets.ISO_8859_1));
					}
				}
			}
			int nl;
			while ((nl = pending.indexOf("\n")) >= 0) {
				String line = pending.substring(0, nl).replace("\r", "").strip();
				all.append(line).append('\n');
				pending.delete(0, nl + 1);
				if (line.equals(ProbeConsole.INIT)) {
					init = true;
				}
				else if (line.equals(ProbeConsole.DONE)) {
					return;
				}
				else if (line.contains(KERNEL_PANIC)) {
					// a panicked kernel halts and never prints again: no point waiting out the deadline
					throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest's kernel panicked "
							+ (init ? "during the probe: " : "before reaching its init: ") + line.substring(line.indexOf(KERNEL_PANIC)));
				}
				listener.line(line, pid);
			}
			if (stopped) {
				// the console was read once more after the domain stopped: no DONE in it
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest stopped "
						+ (init ? "before finishing its work" : "before reaching its init") + " (last console lines: " + tail(all) + ")");
			}
			long now = System.nanoTime();
			if (now > nextLivenessCheck) {
				nextLivenessCheck = now + TimeUnit.SECONDS.toNanos(1);
				stopped = !domainActive.getAsBoolean();
				if (stopped) {
					continue; // read what the console got before it stopped, then fail
				}
			}
			if (!init && now > bootDeadline) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest never reached its init within "
						+ bootSeconds + " s (kernel or initramfs did not boot; last console lines: " + tail(all) + ")");
			}
			if (now > endDeadline) {
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "the probe guest did not finish its work in time"
						+ " (last console lines: " + tail(all) + ")");
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new ProbeException(ProbeException.Reason.UNAVAILABLE, "interrupted");
			}
		}
	}

	private static String tail(StringBuilder all) {
		List<String> lines = all.toString().lines().filter(l -> !l.isBlank()).toList();
		return lines.isEmpty() ? "none" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
	}
}
