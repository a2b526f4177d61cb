package io.virtwise.shell;

import java.nio.file.Path;

import io.virtwise.kvm.fix.BackupStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The fix commands' wiring, apart from ShellConfiguration so the branches merge cleanly. */
@Configuration(proxyBeanMethods = false)
public class FixShellConfiguration {

	/** Domain XML backups: {@code virtwise.backup-dir}, default {@code ~/.virtwise/backups}. */
	@Bean
	BackupStore backupStore(@Value("${virtwise.backup-dir:}") String dir) {
		return new BackupStore(dir == null || dir.isBlank() ? UserDirectory.backups() : Path.of(dir));
	}
}
