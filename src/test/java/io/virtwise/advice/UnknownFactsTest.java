package io.virtwise.advice;

import io.virtwise.advice.rules.AdviceEngine;
import io.virtwise.advice.rules.RuleBase;
import io.virtwise.advice.rules.RuleBaseException;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.CpuFacts;
import io.virtwise.facts.DiskInfo;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.HugePagePool;
import io.virtwise.facts.KernelFacts;
import io.virtwise.facts.MemoryFacts;
import io.virtwise.facts.NumaNode;
import io.virtwise.facts.ThpFacts;
import io.virtwise.facts.VirtFacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unknown is never zero or false: facts that could not be read must not fire a rule. */
class UnknownFactsTest {

	static RuleBase rules;

	@BeforeAll
	static void loadRules() throws RuleBaseException {
		rules = RuleBase.load(Path.of("rules"));
	}

	@Test
	void hostWithNoPartsKnownGetsNoAdvice() {
		HostFacts host = new HostFacts("blank", null, null, null, null, null, null, null, null, null, null, null, null);

		assertThat(AdviceEngine.evaluate(rules, Facts.ofHost(host, "2025-11-20T10:00:00Z", "test"))).isEmpty();
	}

	@Test
	void hostWhosePartsExistButHoldOnlyNullsGetsNoAdvice() {
		HostFacts host = new HostFacts("blank",
				new CpuFacts(null, null, null, null, null, null, null, null),
				List.of(new NumaNode(0, null, null, null), new NumaNode(1, null, null, null)),
				null,
				new MemoryFacts(null, null, null),
				List.of(new HugePagePool(2048, null, null, null, null), new HugePagePool(1048576, null, null, null, null)),
				null,
				new ThpFacts(null, null),
				null,
				new VirtFacts(null, null, null, null, null, null, null, null),
				new KernelFacts(null, null, null),
				List.of(new DiskInfo(null, null, null, null)),
				null);
		Facts facts = new Facts(Facts.SCHEMA_VERSION, "2025-11-20T10:00:00Z", "test", host,
				List.of(new ContainerFacts(null, null, null, null, null, null, null, null)),
				List.of(new GuestFacts(null, null, null, null, null, null, null, null, null)), List.of());

		assertThat(AdviceEngine.evaluate(rules, facts)).isEmpty();
	}

	@Test
	void aKvmHostWhoseTuningIsUnknownGetsNoTuningAdvice() {
		// Only /dev/kvm is known: every tuning rule needs a second known value to fire.
		HostFacts host = new HostFacts("kvm-only", null, null, null, null, null, null, null, null,
				new VirtFacts(null, true, null, null, null, null, null, null), null, null, null);

		assertThat(AdviceEngine.evaluate(rules, Facts.ofHost(host, "2025-11-20T10:00:00Z", "test"))).isEmpty();
	}

	@Test
	void aNumaHostWithUnknownGuestAndContainerPlacementGetsNoPlacementAdvice() {
		HostFacts host = new HostFacts("numa", null,
				List.of(new NumaNode(0, List.of(0, 1), null, null), new NumaNode(1, List.of(2, 3), null, null)),
				null, null, null, null, null, null, null, null, null, null);
		Facts facts = new Facts(Facts.SCHEMA_VERSION, "2025-11-20T10:00:00Z", "test", host,
				List.of(new ContainerFacts("c1", "api", null, null, null, null, null, null),
						new ContainerFacts("c2", "odd", null, null, null, List.of("0-1,x"), null, null)),
				List.of(new GuestFacts("vm", null, null, null, null, null, null, null, null)), List.of());

		assertThat(AdviceEngine.evaluate(rules, facts)).isEmpty();
	}
}
