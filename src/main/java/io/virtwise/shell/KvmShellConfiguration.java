package io.virtwise.shell;

import io.virtwise.kvm.inspect.KvmInspectorFactory;
import java.util.Map;
import java.util.Set;

import io.virtwise.probe.kvm.GuestCpuProbe;
import io.virtwise.probe.kvm.GuestIoProbe;
import io.virtwise.kvm.inspect.KvmInspector;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The KVM commands' wiring, apart from ShellConfiguration so the branches merge cleanly. */
@Configuration(proxyBeanMethods = false)
public class KvmShellConfiguration {

	@Bean
	LibvirtUri libvirtUri(LaunchOptions options) {
		return new LibvirtUri(options.libvirtUri());
	}

	/** Every inspection (kvm node/ls/show, advise's facts, Tab completion) goes where --libvirt points. */
	@Bean
	@ConditionalOnMissingBean
	KvmInspectorFactory kvmInspectorFactory(LibvirtUri libvirt) {
		return uri -> new KvmInspector(libvirt.choose(uri));
	}

	@Bean
	@ConditionalOnMissingBean
	GuestIoProbe guestIoProbe() {
		return new GuestIoProbe();
	}

	@Bean
	@ConditionalOnMissingBean
	GuestCpuProbe guestCpuProbe() {
		return new GuestCpuProbe();
	}

	@Bean(NameCompletion.DOMAINS)
	NameCompletion domainNameCompletion(KvmInspectorFactory inspectors, OptionValueCompletion options) {
		// the line's own --libvirt URI, as the command will use it; else the launch option's
		return new NameCompletion(context -> inspectors.forUri(NameCompletion.optionValue(context.getWords(),
				context.getWordIndex(), "libvirt")).domainNames(), Set.of("guest"),
				Map.of("kvm show", 0, "kvm stats", 0, "fix rollback", 0), options);
	}
}
