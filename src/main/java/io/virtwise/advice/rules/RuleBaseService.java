package io.virtwise.advice.rules;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Holds the current rule base. The first build starts on a background thread as the process
 * starts (about a second of Drools compilation that would otherwise delay the prompt); a reload
 * that fails keeps the rule base the shell already had.
 */
public final class RuleBaseService {

	private static volatile CompletableFuture<RuleBase> preload;
	private static volatile Path preloadFolder;
	private static volatile boolean warmUp;

	private final Path folder;
	private final RuleBaseCache cache;
	private volatile CompletableFuture<RuleBase> current;
	private volatile RuleBase lastGood;

	public RuleBaseService(Path folder) {
		this(folder, null);
	}

	/** @param cache where compiled rules are kept between runs; null to compile on every start */
	public RuleBaseService(Path folder, RuleBaseCache cache) {
		this.folder = folder;
		this.cache = cache;
		CompletableFuture<RuleBase> early = preload;
		this.current = early != null && folder.equals(preloadFolder) ? early : startBuild(folder, cache);
	}

	/** Starts loading the rules before the application context exists. */
	public static void preload(Path folder, RuleBaseCache cache) {
		preload(folder, cache, false);
	}

	/**
	 * @param warmUpRules evaluate the rules once on built-in facts after each build
	 *        ({@link AdviceEngine#warmUp}): for the shell and scripts, where the first advise then
	 *        comes faster; not for one command, whose evaluation follows at once and would only
	 *        share the CPUs with it
	 */
	public static void preload(Path folder, RuleBaseCache cache, boolean warmUpRules) {
		warmUp = warmUpRules;
		preloadFolder = folder;
		preload = startBuild(folder, cache);
	}

	private static CompletableFuture<RuleBase> startBuild(Path folder, RuleBaseCache cache) {
		CompletableFuture<RuleBase> future = new CompletableFuture<>();
		Thread builder = new Thread(() -> {
			try {
				RuleBase ruleBase = RuleBase.load(folder, cache);
				if (warmUp) {
					AdviceEngine.warmUp(ruleBase);
				}
				future.complete(ruleBase);
			}
			catch (Throwable t) {
				future.completeExceptionally(t);
			}
		}, "rule-base-build");
		builder.setDaemon(true);
		builder.start();
		return future;
	}

	public Path folder() {
		return folder;
	}

	/** The rule base, waiting for the first build if it is still running. */
	public RuleBase get() throws RuleBaseException {
		try {
			RuleBase ruleBase = current.join();
			lastGood = ruleBase;
			return ruleBase;
		}
		catch (CompletionException e) {
			if (lastGood != null) {
				return lastGood;
			}
			if (e.getCause() instanceof RuleBaseException r) {
				throw r;
			}
			throw new IllegalStateException("rule base build failed", e.getCause());
		}
	}

	/** Rebuilds from the folder; on failure the previous rule base stays in use and the error is thrown. */
	public RuleBase reload() throws RuleBaseException {
		RuleBase fresh = RuleBase.load(folder, cache);
		if (warmUp) {
			AdviceEngine.warmUp(fresh);
		}
		lastGood = fresh;
		current = CompletableFuture.completedFuture(fresh);
		return fresh;
	}
}
