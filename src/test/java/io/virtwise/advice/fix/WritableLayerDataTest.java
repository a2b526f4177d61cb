package io.virtwise.advice.fix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.virtwise.facts.ContainerFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which directory a container's data is in, from the files it holds open for writing in its layer. */
class WritableLayerDataTest {

	static ContainerFacts writing(Double rate, Long layer, String... files) {
		return new ContainerFacts("c0ffee", "db", "img", "running", "bridge", List.of(), null, null, List.of(), List.of(), layer, false,
				"default", "no", null, List.of(), null, null, false, null, null, null, null, null, rate, files == null ? null : List.of(files));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/var/lib/mysql/ibdata1                 | /var/lib/mysql
			/var/lib/mysql/shop/orders.ibd         | /var/lib/mysql
			/data/db/collection-0.wt               | /data
			/var/log/nginx/access.log              | /var/log/nginx
			/var/log/app.log                       | /var/log
			/srv/spool/0001.seg                    | /srv/spool
			/opt/app/data/state.db                 | /opt/app
			/home/app/.local/share/x               | /home/app
			/usr/share/elasticsearch/data/nodes/0  | /usr/share/elasticsearch
			/app.log                               |
			/etc/app.conf                          |
			/var/lib/dpkg.lock                     |
			""")
	void theTopmostDirectoryBelowTheSystemsOwnTree(String file, String directory) {
		assertThat(WritableLayerData.topmostBelowSystem(file)).isEqualTo(directory);
	}

	@Test
	void theDirectoryHoldingMostOpenFilesWinsAndScratchSpaceIsNoData() {
		ContainerFacts c = writing(5000.0, 1L << 20, "/var/lib/mysql/ibdata1", "/var/lib/mysql/ib_logfile0", "/var/log/mysql/error.log",
				"/tmp/ib12345", "/run/mysqld/mysqld.pid");

		assertThat(WritableLayerData.dataFiles(c)).containsExactly("/var/lib/mysql/ibdata1", "/var/lib/mysql/ib_logfile0",
				"/var/log/mysql/error.log");
		assertThat(WritableLayerData.directory(c)).isEqualTo("/var/lib/mysql");
		assertThat(WritableLayerData.otherDirectories(c)).containsExactly("/var/log/mysql");
	}

	@Test
	void firesOnALargeLayerOrOnMeasuredWritesIntoADataDirectory() {
		// 1.2 KiB/s puts the size threshold's 100 MiB into the layer within a day
		assertThat(WritableLayerData.RATE_THRESHOLD).isEqualTo((100 << 20) / 86_400.0);
		assertThat(WritableLayerData.fires(writing(2000.0, 64L << 20, "/var/lib/app/data.db"))).isTrue();
		assertThat(WritableLayerData.fires(writing(1000.0, 64L << 20, "/var/lib/app/data.db"))).isFalse();
		assertThat(WritableLayerData.fires(writing(1e6, 64L << 20, "/tmp/upload"))).isFalse();
		assertThat(WritableLayerData.fires(writing(null, 64L << 20, "/var/lib/app/data.db"))).isFalse();
		assertThat(WritableLayerData.fires(writing(null, 100L << 20, (String[]) null))).isTrue();
		assertThat(WritableLayerData.fires(writing(0.0, 200L << 20))).isTrue();
		assertThat(WritableLayerData.directory(writing(null, null, (String[]) null))).isNull();
	}
}
