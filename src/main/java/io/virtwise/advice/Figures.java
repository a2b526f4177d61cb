package io.virtwise.advice;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

import io.virtwise.facts.ProbeResult;

/**
 * How measured figures read in evidence: a stable name for each probe result and numbers
 * rounded the way a person quotes them (17.8 us, 2.51, 84044 IOPS).
 */
public final class Figures {

	private Figures() {
	}

	/** {@code probes[docker-network/published-proxy/api].tcp-rr-latency}: probe, path, subject, metric. */
	public static String key(ProbeResult p) {
		return "probes[" + p.probe() + "/" + p.path() + "/" + p.subject() + "]." + p.metric();
	}

	/** Whole numbers from 100 up, otherwise at most two decimals, trailing zeros dropped. */
	public static String number(double value) {
		BigDecimal rounded = BigDecimal.valueOf(value).setScale(Math.abs(value) >= 100 ? 0 : 2, RoundingMode.HALF_UP);
		return rounded.stripTrailingZeros().toPlainString();
	}

	public static String number(double value, String unit) {
		return unit == null || unit.isEmpty() ? number(value) : number(value) + " " + unit;
	}

	/** Bytes in binary units with one decimal: {@code 2.0 GiB}, {@code 300.0 MiB}. */
	public static String binary(long bytes) {
		String[] units = { "KiB", "MiB", "GiB", "TiB" };
		if (bytes < 1024) {
			return bytes + " B";
		}
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}
}
