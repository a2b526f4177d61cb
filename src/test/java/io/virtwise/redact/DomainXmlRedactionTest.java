package io.virtwise.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Domain XML forms that leaked (issue 18), each on its own. */
class DomainXmlRedactionTest {

	private static String redacted(String inner) {
		String xml = "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n" + inner + "\n</domain>";
		return Redactor.redactXml(xml);
	}

	@Test
	void anRbdKeyInsideAQemuArg() {
		assertThat(redacted("<qemu:commandline><qemu:arg value='-drive'/><qemu:arg value='file=rbd:pool/img:id=admin:"
				+ "key=AQBvaBFZAAAAABAAgUv2M1bUoJBD7MMFTWsZQ==:auth_supported=cephx,if=virtio'/></qemu:commandline>"))
			.doesNotContain("AQBvaBFZ").contains("id=admin:key=(redacted):auth_supported=cephx");
	}

	@Test
	void passwordsUnderQemuOverride() {
		assertThat(redacted("<qemu:override><qemu:device alias='vnc0'><qemu:frontend>"
				+ "<qemu:property name='password' type='string' value='0verr1de'/></qemu:frontend></qemu:device></qemu:override>"))
			.doesNotContain("0verr1de").contains("name='password' type='string' value='(redacted)'");
	}

	@Test
	void cookiesOfANetworkDisk() {
		assertThat(redacted("<disk type='network'><source protocol='https' name='img'><cookies>"
				+ "<cookie name='session'>c00kieval</cookie></cookies></source></disk>"))
			.doesNotContain("c00kieval").contains("<cookie name='session'>(redacted)</cookie>");
	}

	@Test
	void secretsInTitleAndDescription() {
		assertThat(redacted("<title>db password: t1tlepw</title><description>root pw=descrpw token ghp_abcdefghijklmnopqrstuvwxyz01"
				+ "</description>")).doesNotContain("t1tlepw", "descrpw", "ghp_abcdefghijklmnopqrstuvwxyz01");
	}

	@Test
	void aTokenOptionAndItsValueInTwoQemuArgs() {
		assertThat(redacted("<qemu:commandline><qemu:arg value='--token'/><qemu:arg value='tw0args'/>"
				+ "<qemu:arg value='-vnc'/></qemu:commandline>"))
			.doesNotContain("tw0args").contains("<qemu:arg value='-vnc'/>");
	}

	@Test
	void urlPasswordsInQemuArgsAndPasswordOnTheKernelCommandLine() {
		assertThat(redacted("<os><cmdline>console=ttyS0 password=k3rnelpw root=/dev/vda</cmdline></os><qemu:commandline>"
				+ "<qemu:arg value='-drive'/><qemu:arg value='file=https://u:urlpw9@host/img.qcow2'/></qemu:commandline>"))
			.doesNotContain("k3rnelpw", "urlpw9").contains("console=ttyS0 password=(redacted) root=/dev/vda");
	}

	@Test
	void systemdCredentialsInSmbiosStrings() {
		assertThat(redacted("<sysinfo type='smbios'><oemStrings><entry>io.systemd.credential:mycred=cr3dval</entry>"
				+ "<entry>io.systemd.credential.binary:other=c2VjcmV0</entry></oemStrings></sysinfo>"))
			.doesNotContain("cr3dval", "c2VjcmV0").contains("io.systemd.credential:mycred=(redacted)");
		assertThat(redacted("<qemu:commandline><qemu:arg value='-smbios'/>"
				+ "<qemu:arg value='type=11,value=io.systemd.credential:root.pw=cr3dval'/></qemu:commandline>"))
			.doesNotContain("cr3dval");
	}

	@Test
	void aVncPasswordWithAQuoteInIt() {
		assertThat(redacted("<graphics type='vnc' passwd=\"ab'cd\"/>")).doesNotContain("ab", "cd\"").contains("passwd=\"(redacted)\"");
		assertThat(redacted("<graphics type='vnc' passwd='ab&apos;cd'/>")).doesNotContain("ab&apos;cd");
	}

	@Test
	void aPasswordWithAQuoteComesBackEscapedWhereverItsNewQuotesAre() {
		String original = "<domain>\n  <graphics type='vnc' passwd=\"ab'cd\"/>\n</domain>";
		String edited = Redactor.redactXml(original).replace("passwd=\"(redacted)\"", "passwd='(redacted)'");
		assertThat(Redactor.restoreXmlSecrets(edited, original)).contains("passwd='ab&apos;cd'");
	}

	@Test
	void aSecretElementsTextAsCdata() {
		assertThat(redacted("<metadata><vw:password xmlns:vw='urn:x'><![CDATA[LEAKX1]]></vw:password></metadata>"))
			.doesNotContain("LEAKX1").contains("<![CDATA[(redacted)]]></vw:password>");
	}

	@Test
	void aDescriptionValueRunsOnThroughACommma() {
		assertThat(redacted("<description>password=LEAKX5,LEAKX5b</description>")).doesNotContain("LEAKX5");
	}
}
