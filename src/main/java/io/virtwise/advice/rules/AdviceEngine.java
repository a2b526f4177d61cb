package io.virtwise.advice.rules;

import io.virtwise.advice.AdviceSink;
import io.virtwise.advice.fix.HostPlan;
import io.virtwise.advice.Recommendation;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.Facts;
import io.virtwise.facts.FactsFileException;
import io.virtwise.facts.FactsJson;
import io.virtwise.facts.HostFacts;
import io.virtwise.facts.HugePagePool;
import io.virtwise.facts.NumaNode;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.ConsequenceException;

/**
 * Runs a rule base over a set of facts and returns the recommendations, most severe first.
 * Rules are code a user can edit, so one evaluation is bounded: a rule that keeps re-firing, runs
 * past the time limit or throws ends it with a {@link RuleEvaluationException} naming that rule,
 * and an interrupt (Ctrl-C) ends it with {@link AdviceInterruptedException}, never partial advice.
 */
public final class AdviceEngine {

	/**
	 * How far one evaluation may go. The firing bound grows with the facts, far above what the
	 * rules fire legitimately (about one firing per recommendation), and stops a loop long before
	 * the facts it inserts fill the heap.
	 */
	public record Bounds(int maxFirings, Duration maxTime) {

		static Bounds forFacts(int factCount) {
			return new Bounds((int) Math.min(Integer.MAX_VALUE - 1, 100_000L + 20L * factCount), Duration.ofSeconds(20));
		}
	}

	/**
	 * A few small facts sets on which, together, every rule of rules/ that the fixtures make fire
	 * fires once: a Docker engine with containers and pinned guests, another storage driver, a
	 * nested host, a host without KVM.
	 */
	private static final String WARM_UP_FACTS = "warm-up-facts.json";

	private static final Pattern RULE_IN_MESSAGE = Pattern.compile("Rule \"([^\"]+)\"");

	private AdviceEngine() {
	}

	public static List<Recommendation> evaluate(RuleBase ruleBase, Facts facts) {
		return evaluate(ruleBase, facts, null);
	}

	/** With {@code bounds} null, those for this many facts. */
	public static List<Recommendation> evaluate(RuleBase ruleBase, Facts facts, Bounds bounds) {
		KieSession session = ruleBase.kieBase().newKieSession();
		AdviceSink sink = new AdviceSink();
		Firings firings = new Firings(ruleBase, sink);
		CompletableFuture<Integer> done = new CompletableFuture<>();
		// The rules run on their own thread, so that the caller can stop waiting at once on Ctrl-C or
		// at the deadline even when a consequence never returns to the engine.
		Thread worker = new Thread(() -> {
			try {
				session.setGlobal("advice", sink);
				session.addEventListener(firings);
				int inserted = insertAll(session, facts);
				Bounds limits = bounds != null ? bounds : Bounds.forFacts(inserted);
				firings.limit = limits.maxFirings();
				done.complete(firings.stopped ? 0 : session.fireAllRules(limits.maxFirings()));
			}
			catch (Throwable t) {
				done.completeExceptionally(t);
			}
			finally {
				session.dispose();
			}
		}, "advice-evaluation");
		worker.setDaemon(true);
		Duration maxTime = bounds != null ? bounds.maxTime() : Bounds.forFacts(0).maxTime();
		worker.start();
		int fired;
		try {
			fired = done.get(maxTime.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			stop(session, worker, firings);
			Thread.currentThread().interrupt();
			throw new AdviceInterruptedException();
		}
		catch (TimeoutException e) {
			stop(session, worker, firings);
			RuleInfo rule = firings.culprit();
			throw new RuleEvaluationException(rule, "rule " + describe(rule) + " was still running when evaluation reached its "
					+ (maxTime.toMillis() % 1000 == 0 ? maxTime.toSeconds() + " s" : maxTime.toMillis() + " ms") + " limit", null);
		}
		catch (ExecutionException e) {
			throw failure(ruleBase, firings, e.getCause());
		}
		if (fired >= firings.limit) {
			RuleInfo rule = firings.mostFired();
			throw new RuleEvaluationException(rule, "rule " + describe(rule) + " kept firing: evaluation reached its bound of "
					+ firings.limit + " firings (a rule that matches what it modifies or inserts loops)", null);
		}
		return sorted(dedupe(sink.recommendations()));
	}

	/**
	 * Evaluates the rules once on small built-in facts and drops the result. Drools prepares a
	 * rule's constraints and consequence on their first use, and rules read back from the cache
	 * start with none of that done (no compilation came before), so without this the user's first
	 * evaluation paid for it. Meant for the thread that builds the rule base; a rule that fails
	 * here is left for the real evaluation to report.
	 *
	 * @return the advice on the warm-up facts, empty when a rule failed on them
	 */
	public static List<Recommendation> warmUp(RuleBase ruleBase) {
		try (InputStream in = AdviceEngine.class.getResourceAsStream(WARM_UP_FACTS)) {
			if (in == null) {
				return List.of();
			}
			List<Recommendation> advice = new ArrayList<>();
			for (JsonNode facts : FactsJson.MAPPER.readTree(in)) {
				advice.addAll(evaluate(ruleBase, FactsJson.parse(facts, WARM_UP_FACTS)));
			}
			return advice;
		}
		catch (IOException | FactsFileException | RuntimeException e) {
			// a user's rule that throws or loops on these facts: the evaluation that matters says so
			return List.of();
		}
	}

	/** Halts the engine between firings and interrupts a consequence that waits; the worker is a daemon if neither helps. */
	private static void stop(KieSession session, Thread worker, Firings firings) {
		firings.stopped = true;
		session.halt();
		worker.interrupt();
		try {
			worker.join(1000);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private static RuntimeException failure(RuleBase ruleBase, Firings firings, Throwable t) {
		RuleInfo rule;
		Throwable cause = t;
		if (t instanceof ConsequenceException c) {
			rule = ruleBase.rule(c.getMatch() != null ? c.getMatch().getRule().getName() : c.getRule().getName());
			cause = c.getCause() != null ? c.getCause() : c;
		}
		else if (firings.current != null) {
			rule = firings.current;
		}
		else {
			// a condition that throws: Drools names the rule only in its message
			Matcher m = RULE_IN_MESSAGE.matcher(String.valueOf(t.getMessage()));
			rule = m.find() ? ruleBase.rule(m.group(1)) : null;
		}
		if (rule == null) {
			return t instanceof RuntimeException r ? r : new IllegalStateException(t);
		}
		String detail = cause.getMessage() == null || cause.getMessage().isBlank() ? ""
				: ": " + cause.getMessage().lines().findFirst().orElse("").strip();
		return new RuleEvaluationException(rule, "rule " + describe(rule) + " failed: " + cause.getClass().getSimpleName() + detail, t);
	}

	private static String describe(RuleInfo rule) {
		return rule == null ? "(unknown)" : "\"" + rule.name() + "\" (" + rule.location() + ")";
	}

	/** Which rule fires now and how often each fired: what names the rule at fault. */
	private static final class Firings extends DefaultAgendaEventListener {

		private final RuleBase ruleBase;
		private final AdviceSink sink;
		private final Map<String, Integer> counts = new ConcurrentHashMap<>();
		private volatile RuleInfo current;
		private volatile RuleInfo last;
		private volatile boolean stopped;
		private volatile int limit = Integer.MAX_VALUE;

		Firings(RuleBase ruleBase, AdviceSink sink) {
			this.ruleBase = ruleBase;
			this.sink = sink;
		}

		@Override
		public void beforeMatchFired(BeforeMatchFiredEvent event) {
			if (stopped) {
				event.getKieRuntime().halt();
			}
			RuleInfo rule = ruleBase.rule(event.getMatch().getRule().getName());
			current = rule;
			last = rule;
			counts.merge(rule.name(), 1, Integer::sum);
			sink.firing(rule.file() + ": " + rule.name());
		}

		@Override
		public void afterMatchFired(AfterMatchFiredEvent event) {
			current = null;
		}

		RuleInfo culprit() {
			return current != null ? current : last;
		}

		RuleInfo mostFired() {
			return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> ruleBase.rule(e.getKey()))
				.orElse(culprit());
		}
	}

	/**
	 * Facts go in flattened: the host and each of its parts as separate facts, so rules match
	 * {@code VirtFacts(kvmDevicePresent == true)} rather than walking the tree.
	 */
	private static int insertAll(KieSession session, Facts facts) {
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
		return (int) session.getFactCount();
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
