package io.virtwise.advice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.virtwise.facts.Facts;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.HugePagePool;
import io.virtwise.facts.NumaNode;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;

/** Runs a rule base over a set of facts and returns the recommendations, most severe first. */
public final class AdviceEngine {

	private AdviceEngine() {
	}

	public static List<Recommendation> evaluate(RuleBase ruleBase, Facts facts) {
		KieSession session = ruleBase.kieBase().newKieSession();
		AdviceSink sink = new AdviceSink();
		try {
			session.setGlobal("advice", sink);
			session.addEventListener(new DefaultAgendaEventListener() {
				@Override
				public void beforeMatchFired(BeforeMatchFiredEvent event) {
					String name = event.getMatch().getRule().getName();
					sink.firing(ruleBase.fileOf(name) + ": " + name);
				}
			});
			insertAll(session, facts);
			session.fireAllRules();
		}
		finally {
			session.dispose();
		}
		return sorted(dedupe(sink.recommendations()));
	}

	/**
	 * Facts go in flattened: the host and each of its parts as separate facts, so rules match
	 * {@code VirtFacts(kvmDevicePresent == true)} rather than walking the tree.
	 */
	private static void insertAll(KieSession session, Facts facts) {
		HostFacts host = facts.host();
		if (host != null) {
			session.insert(host);
			insertIfPresent(session, host.cpu());
			insertIfPresent(session, host.memory());
			insertIfPresent(session, host.thp());
			insertIfPresent(session, host.virt());
			insertIfPresent(session, host.kernel());
			insertIfPresent(session, host.conntrack());
			insertIfPresent(session, host.ksm());
			if (host.hugePages() != null) {
				for (HugePagePool pool : host.hugePages()) {
					session.insert(pool);
				}
			}
			if (host.numaNodes() != null) {
				for (NumaNode node : host.numaNodes()) {
					session.insert(node);
				}
			}
			if (host.disks() != null) {
				host.disks().forEach(session::insert);
			}
		}
		insertIfPresent(session, facts.docker());
		insertIfPresent(session, facts.kvmNode());
		facts.containers().forEach(session::insert);
		facts.guests().forEach(session::insert);
		facts.probes().forEach(session::insert);
		insertIfPresent(session, HostPlan.of(facts));
	}

	private static void insertIfPresent(KieSession session, Object fact) {
		if (fact != null) {
			session.insert(fact);
		}
	}

	/** A rule that matches twice on the same subject (e.g. via two disks) still says it once. */
	private static List<Recommendation> dedupe(List<Recommendation> all) {
		Map<String, Recommendation> unique = new LinkedHashMap<>();
		for (Recommendation r : all) {
			unique.putIfAbsent(r.id() + "\u0000" + r.subject() + "\u0000" + r.evidence(), r);
		}
		return new ArrayList<>(unique.values());
	}

	private static List<Recommendation> sorted(List<Recommendation> recommendations) {
		recommendations.sort(Comparator.comparing(Recommendation::severity).reversed()
			.thenComparing(Recommendation::id)
			.thenComparing(r -> r.subject() == null ? "" : r.subject()));
		return List.copyOf(recommendations);
	}
}
