package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One published port. {@code path} is how traffic from this host reaches it: {@code docker-proxy}
 * (the userland proxy, when the engine runs it) or {@code dnat} (iptables NAT only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortBinding(Integer containerPort, String protocol, String hostIp, Integer hostPort, String path) {
}
