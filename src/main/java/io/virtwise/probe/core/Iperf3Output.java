package io.virtwise.probe.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.virtwise.facts.FactsJson;

/**
 * What {@code iperf3 -c ... -J} reported. We read the receiver's side ({@code end.sum_received}):
 * bytes that arrived, not bytes the sender pushed into its socket buffer.
 */
public record Iperf3Output(double bitsPerSecond, long bytes, double seconds, Long retransmits) {

	public double gbitPerSecond() {
		return bitsPerSecond / 1e9;
	}

	public static Iperf3Output parse(String json) {
		JsonNode root;
		try {
			root = FactsJson.MAPPER.readTree(json == null ? "" : json.substring(Math.max(0, json.indexOf('{'))));
		}
		catch (JsonProcessingException e) {
			throw new ProbeOutputException("iperf3 printed no JSON: " + e.getOriginalMessage(), e);
		}
		if (root == null || root.isMissingNode()) {
			throw new ProbeOutputException("iperf3 printed nothing");
		}
		String error = root.path("error").asText("");
		if (!error.isEmpty()) {
			throw new ProbeOutputException("iperf3: " + error);
		}
		JsonNode received = root.path("end").path("sum_received");
		if (!received.has("bits_per_second") || received.path("bytes").asLong(0) <= 0) {
			throw new ProbeOutputException("iperf3 reported no received bytes");
		}
		JsonNode sent = root.path("end").path("sum_sent");
		return new Iperf3Output(received.path("bits_per_second").asDouble(), received.path("bytes").asLong(),
				received.path("seconds").asDouble(), sent.has("retransmits") ? sent.path("retransmits").asLong() : null);
	}
}
