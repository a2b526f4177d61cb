package io.virtwise.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import io.virtwise.advice.rules.AdviceInterruptedException;
import io.virtwise.gather.GatheringInterruptedException;

/** Each stage's failures map to the exit code the README promises, now that they are thrown below the shell. */
class CommandRunnerExitCodeTest {

	@Test
	void anInterruptInAnyStageIsExit130() {
		assertThat(CommandRunner.exitCodeOf(new GatheringInterruptedException(new InterruptedException())))
			.isEqualTo(ExitCodes.INTERRUPTED);
		assertThat(CommandRunner.exitCodeOf(new AdviceInterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
		assertThat(CommandRunner.exitCodeOf(new InterruptedException())).isEqualTo(ExitCodes.INTERRUPTED);
	}

	@Test
	void badInputAndUsageKeepTheirCodes() {
		assertThat(CommandRunner.exitCodeOf(new IOException("x"))).isEqualTo(ExitCodes.BAD_INPUT);
		assertThat(CommandRunner.exitCodeOf(new IllegalArgumentException("x"))).isEqualTo(ExitCodes.USAGE);
		assertThat(CommandRunner.exitCodeOf(VirtwiseException.usage("x"))).isEqualTo(ExitCodes.USAGE);
	}
}
