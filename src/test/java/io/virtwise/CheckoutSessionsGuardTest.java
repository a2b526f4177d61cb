package io.virtwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutSessionsGuardTest {

	@Test
	void aJournalAddedAppendedToOrRemovedIsAChange(@TempDir Path folder) throws Exception {
		Path example = Files.writeString(folder.resolve("example.session.jsonl"), "{}\n");
		Map<String, String> before = CheckoutSessionsGuard.snapshot(folder);
		assertThat(CheckoutSessionsGuard.changes(before, CheckoutSessionsGuard.snapshot(folder))).isEmpty();

		Files.writeString(folder.resolve("stray.session.jsonl"), "{}\n");
		Files.writeString(example, "{}\n{\"type\":\"command\"}\n");
		assertThat(CheckoutSessionsGuard.changes(before, CheckoutSessionsGuard.snapshot(folder)))
			.containsExactlyInAnyOrder("added stray.session.jsonl", "changed example.session.jsonl");

		Files.delete(example);
		assertThat(CheckoutSessionsGuard.changes(before, CheckoutSessionsGuard.snapshot(folder))).contains("removed example.session.jsonl");
		assertThat(CheckoutSessionsGuard.snapshot(folder.resolve("missing"))).isEmpty();
	}

	@Test
	void testsRecordSessionsOutsideTheCheckout() {
		// set by the build for every test and every jar a test starts (pom.xml)
		String configured = System.getenv("VIRTWISE_SESSIONS");
		assertThat(configured).as("VIRTWISE_SESSIONS under the test run").isNotBlank();
		assertThat(Path.of(configured).toAbsolutePath().normalize()
			.startsWith(CheckoutSessionsGuard.CHECKOUT_SESSIONS.toAbsolutePath().normalize())).as(configured).isFalse();
	}
}
