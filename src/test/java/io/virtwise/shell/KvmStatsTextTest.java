package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import io.virtwise.kvm.inspect.PassiveStats;
import org.junit.jupiter.api.Test;

/** kvm stats' text for a window in which the guest restarted: said, and no figure made up for it. */
class KvmStatsTextTest {

	private static PassiveStats.Sample sample(long at, long cpuNs, long vcpuNs) {
		Map<String, Object> p = new HashMap<>();
		p.put("state.state", 1L);
		p.put("cpu.time", cpuNs);
		p.put("vcpu.current", 1L);
		p.put("vcpu.maximum", 1L);
		p.put("vcpu.0.time", vcpuNs);
		p.put("block.count", 0L);
		return PassiveStats.Sample.of(at, p, false);
	}

	@Test
	void aRestartInsideTheWindowIsSaidAndItsFiguresAreUnknown() {
		PassiveStats.Window w = PassiveStats.derive("g", sample(0, 9_000_000_000L, 8_000_000_000L),
				sample(1_000_000_000L, 20_000_000L, 10_000_000L), false);
		String text = KvmStatsCommands.text("g", w);
		assertThat(text).contains("the guest restarted inside the window").contains("host CPU time: unknown")
			.contains("vCPU time: unknown");
	}

	@Test
	void aNormalWindowSaysNothingAboutRestarts() {
		PassiveStats.Window w = PassiveStats.derive("g", sample(0, 1_000_000_000L, 500_000_000L),
				sample(1_000_000_000L, 1_200_000_000L, 600_000_000L), false);
		String text = KvmStatsCommands.text("g", w);
		assertThat(text).doesNotContain("restarted").contains("host CPU time: 0.200 s").contains("vcpu-ms-per-s: 100.0");
	}
}
