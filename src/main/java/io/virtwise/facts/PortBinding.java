package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One published port. {@code path} is how traffic from this host reaches it: {@code docker-proxy}
 * (the userland proxy, when the engine runs it) or {@code dnat} (iptables NAT only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortBinding(Integer containerPort, String protocol, String hostIp, Integer hostPort, String path) {

	/** Published on a loopback address only (127.x, ::1): reachable from this machine alone. */
	public boolean onLoopback() {
		return hostIp != null && (hostIp.startsWith("127.") || hostIp.equals("::1"));
	}

	/** Published on every address (0.0.0.0, ::, or none given). */
	public boolean onEveryAddress() {
		return hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::");
	}
}
