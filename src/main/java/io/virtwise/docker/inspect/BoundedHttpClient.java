package io.virtwise.docker.inspect;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import com.github.dockerjava.transport.DockerHttpClient;

/**
 * Every request docker-java sends to the engine, with a limit on how long its answer (status line
 * and headers; a stream's body is its caller's to bound) may take. On the unix socket the HTTP
 * client's own response timeout is never applied, so a dockerd that is hung (stopped with SIGSTOP,
 * deadlocked, its disk stalled) would hold a probe's create, start or remove for as long as it
 * stays hung, and Ctrl-C with it.
 *
 * <p>Once a request has gone unanswered past its limit the engine is hung until that request is
 * answered: later requests fail at once with one line instead of each waiting out its own limit,
 * so a probe with twenty steps left ends in seconds. The unanswered request is left to finish on
 * its own thread (its response, if it ever comes, is closed), which is what clears the state when
 * dockerd resumes.
 */
final class BoundedHttpClient implements DockerHttpClient {

	private static final ExecutorService REQUESTS = Executors.newCachedThreadPool(task -> {
		Thread t = new Thread(task, "docker-request");
		t.setDaemon(true);
		return t;
	});

	/** A request sent on its own thread; {@code done} completes when the engine answered or failed. */
	private record Sent(String line, long sentNanos, CompletableFuture<Response> answer, CompletableFuture<Void> done) {
	}

	private final DockerHttpClient delegate;
	private final EngineLimits limits;
	private final AtomicReference<Sent> unanswered = new AtomicReference<>();

	BoundedHttpClient(DockerHttpClient delegate, EngineLimits limits) {
		this.delegate = delegate;
		this.limits = limits;
	}

	@Override
	public Response execute(Request request) {
		Sent stuck = unanswered.get();
		if (stuck != null) {
			if (!stuck.done().isDone()) {
				throw new DockerUnavailableException(DockerConnector.hung("Docker engine has not answered " + stuck.line() + " for "
						+ DockerConnector.seconds(Duration.ofSeconds((System.nanoTime() - stuck.sentNanos()) / 1_000_000_000L))), null);
			}
			unanswered.compareAndSet(stuck, null);
		}
		Duration limit = limits.of(request);
		Sent sent = send(request);
		try {
			return sent.answer().get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException e) {
			if (sent.answer().completeExceptionally(e)) {
				unanswered.set(sent);
				throw new DockerUnavailableException(DockerConnector.hung("Docker engine did not answer " + sent.line() + " within "
						+ DockerConnector.seconds(limit)), e);
			}
			return sent.answer().join(); // answered in the same instant
		}
		catch (InterruptedException e) {
			// Ctrl-C: the caller goes; the request, if the engine answers it, is closed unread
			sent.answer().completeExceptionally(e);
			Thread.currentThread().interrupt();
			throw new DockerUnavailableException("interrupted while waiting for the Docker engine", e);
		}
		catch (ExecutionException e) {
			// the request's thread passes on what execute() throws, which is unchecked
			if (e.getCause() instanceof Error err) {
				throw err;
			}
			throw (RuntimeException) e.getCause();
		}
	}

	private Sent send(Request request) {
		Sent sent = new Sent(request.method() + " " + request.path(), System.nanoTime(), new CompletableFuture<>(),
				new CompletableFuture<>());
		REQUESTS.execute(() -> {
			try {
				Response response = delegate.execute(request);
				if (!sent.answer().complete(response)) {
					response.close(); // the caller gave up on it
				}
			}
			catch (RuntimeException | Error e) {
				sent.answer().completeExceptionally(e);
			}
			finally {
				sent.done().complete(null);
			}
		});
		return sent;
	}

	@Override
	public void close() throws IOException {
		delegate.close();
	}
}
