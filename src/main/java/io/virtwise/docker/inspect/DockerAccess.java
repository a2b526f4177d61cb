package io.virtwise.docker.inspect;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

import com.github.dockerjava.api.DockerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's way to the engine, connected on first use so the shell starts (and host-only
 * commands work) with no engine running. A failed call drops the connection, so the next one
 * tries afresh: the engine may have been started, or restarted, in between.
 */
public final class DockerAccess implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(DockerAccess.class);

	private final String explicitHost;
	private final Function<String, DockerClient> connector;
	private DockerClient client;
	private DockerInspector inspector;

	/** @param explicitHost the {@code --docker} URI, or null for DOCKER_HOST or the default socket */
	public DockerAccess(String explicitHost) {
		this(explicitHost, DockerConnector::connect);
	}

	public DockerAccess(String explicitHost, Function<String, DockerClient> connector) {
		this.explicitHost = explicitHost;
		this.connector = connector;
	}

	/** Where the engine is looked for. */
	public String host() {
		return DockerConnector.resolveHost(explicitHost);
	}

	/** Runs a call against the engine, connecting first if needed. */
	public <T> T use(Function<DockerInspector, T> call) {
		DockerInspector current = connected();
		try {
			return call.apply(current);
		}
		catch (DockerUnavailableException e) {
			disconnect();
			throw e;
		}
	}

	/** Container names for completion; empty when the engine is down. */
	public List<String> namesIfAvailable() {
		try {
			return use(DockerInspector::containerNames);
		}
		catch (DockerUnavailableException | IllegalArgumentException e) {
			return List.of(); // completion stays quiet; the command itself says what is wrong
		}
	}

	private synchronized DockerInspector connected() {
		if (inspector == null) {
			client = connector.apply(explicitHost);
			inspector = new DockerInspector(client, explicitHost);
		}
		return inspector;
	}

	private synchronized void disconnect() {
		DockerClient old = client;
		client = null;
		inspector = null;
		closeQuietly(old);
	}

	@Override
	public void close() {
		disconnect();
	}

	private static void closeQuietly(DockerClient client) {
		if (client == null) {
			return;
		}
		try {
			client.close();
		}
		catch (IOException | RuntimeException e) {
			log.debug("closing the Docker client: {}", e.getMessage());
		}
	}
}
