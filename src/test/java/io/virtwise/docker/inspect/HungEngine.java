package io.virtwise.docker.inspect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dockerd that is hung rather than down (stopped with SIGSTOP, deadlocked, its disk stalled)
 * still accepts connections: the kernel completes them from the listen backlog. This listener
 * does the same and never answers, on a unix socket as dockerd's own or on loopback TCP, so the
 * engine's silence is what a test sees; the lab's real dockerd is not stopped for it because the
 * integration tests share that one.
 */
public final class HungEngine implements AutoCloseable {

	private final ServerSocketChannel listener;
	private final String host;
	private final Path socket;
	private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();

	private HungEngine(ServerSocketChannel listener, String host, Path socket) {
		this.listener = listener;
		this.host = host;
		this.socket = socket;
		Thread acceptor = new Thread(() -> {
			while (listener.isOpen()) {
				try {
					accepted.add(listener.accept());
				}
				catch (IOException e) {
					return;
				}
			}
		}, "hung-engine");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** Listening on loopback TCP, as {@code dockerd -H tcp://127.0.0.1:PORT} would. */
	public static HungEngine onLoopback() throws IOException {
		ServerSocketChannel listener = ServerSocketChannel.open();
		listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
		return new HungEngine(listener, "tcp://127.0.0.1:" + port, null);
	}

	/** Listening on a unix socket in {@code dir}, as dockerd does on /var/run/docker.sock. */
	public static HungEngine onUnixSocket(Path dir) throws IOException {
		Path socket = dir.resolve("docker.sock");
		ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		listener.bind(UnixDomainSocketAddress.of(socket));
		return new HungEngine(listener, "unix://" + socket, socket);
	}

	/** The {@code --docker} URI that reaches it. */
	public String host() {
		return host;
	}

	/** Connections accepted so far (the client's, never answered). */
	public int connections() {
		return accepted.size();
	}

	/** Closing the accepted connections ends any client still waiting on one. */
	@Override
	public void close() throws IOException {
		listener.close();
		for (SocketChannel c : accepted) {
			c.close();
		}
		if (socket != null) {
			Files.deleteIfExists(socket);
		}
	}
}
