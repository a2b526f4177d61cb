package io.virtwise.advice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.virtwise.facts.ContainerFacts;
import io.virtwise.facts.Facts;
import io.virtwise.facts.GuestFacts;
import io.virtwise.facts.KvmNodeFacts;
import io.virtwise.facts.MountInfo;
import org.junit.jupiter.api.Test;

/** The safety checks themselves: each passes a safe fix and fails a hand-made unsafe one. */
class FixSafetyTest {

	// ---- mounts -------------------------------------------------------------------------------

	static final List<MountInfo> MOUNTS = List.of(
			new MountInfo("volume", "8c23010632effd0a", "/var/lib/docker/volumes/8c23010632effd0a/_data", "/var/lib/postgresql/data", false),
			new MountInfo("bind", null, "/srv/site", "/usr/share/nginx/html", true),
			new MountInfo("tmpfs", null, null, "/var/cache/nginx", false));

	static ContainerFacts container(String name, List<MountInfo> mounts) {
		return new ContainerFacts("id-" + name, name, "postgres:16", "running", "bridge", List.of(), null, null, List.of(), mounts, 0L,
				false, "default", "no", null, List.of(), java.util.Map.of(), null);
	}

	static Recommendation fix(String id, String subject, String... lines) {
		Recommendation.Builder b = Recommendation.builder(id, Severity.MEDIUM, "t").subject(subject);
		for (String l : lines) {
			b.fix(l);
		}
		return b.rollback("# back").build();
	}

	@Test
	void aReCreateCarryingEveryMountPasses() {
		Recommendation r = fix("DOCKER-NET-BRIDGE-NAT", "db", "docker rename db db-old && docker stop db-old",
				"docker run -d --name db --network host -v 8c23010632effd0a:/var/lib/postgresql/data -v /srv/site:/usr/share/nginx/html:ro "
						+ "--tmpfs /var/cache/nginx postgres:16   # re-created");
		assertThat(FixSafety.mountsKept(container("db", MOUNTS), r)).isEmpty();
		assertThat(FixSafety.noForceRemove(container("db", MOUNTS), r)).isEmpty();
	}

	@Test
	void mountSyntaxIsReadToo() {
		Recommendation r = fix("X", "db", "docker run -d --name=db --mount type=volume,source=8c23010632effd0a,target=/var/lib/postgresql/data "
				+ "--mount type=bind,src=/srv/site,dst=/usr/share/nginx/html,readonly --mount type=tmpfs,target=/var/cache/nginx postgres:16");
		assertThat(FixSafety.mountsKept(container("db", MOUNTS), r)).isEmpty();
	}

	@Test
	void aReCreateThatLosesAMountOrItsFlagFails() {
		ContainerFacts db = container("db", MOUNTS);
		assertThat(FixSafety.mountsKept(db, fix("X", "db", "docker run -d --name db -v /srv/site:/usr/share/nginx/html:ro --tmpfs /var/cache/nginx postgres:16")))
			.singleElement().asString().contains("without its volume mount at /var/lib/postgresql/data");
		assertThat(FixSafety.mountsKept(db, fix("X", "db", "docker run -d --name db -v fresh:/var/lib/postgresql/data "
				+ "-v /srv/site:/usr/share/nginx/html:ro --tmpfs /var/cache/nginx postgres:16")))
			.singleElement().asString().contains("with volume fresh");
		assertThat(FixSafety.mountsKept(db, fix("X", "db", "docker run -d --name db -v 8c23010632effd0a:/var/lib/postgresql/data "
				+ "-v /srv/site:/usr/share/nginx/html --tmpfs /var/cache/nginx postgres:16")))
			.singleElement().asString().contains("writable, the container has it read-only");
		assertThat(FixSafety.mountsKept(db, fix("X", "db", "docker run -d --name db -v 8c23010632effd0a:/var/lib/postgresql/data "
				+ "-v /srv/site:/usr/share/nginx/html:ro postgres:16 && docker start db")))
			.singleElement().asString().contains("tmpfs mount at /var/cache/nginx");
		// another container's run line is not this one's re-create
		assertThat(FixSafety.mountsKept(db, fix("X", "db", "docker run -d --name db-probe virtwise/probe:latest"))).isEmpty();
	}

	@Test
	void forceRemovingTheContainerFails() {
		ContainerFacts web = container("web", List.of());
		assertThat(FixSafety.noForceRemove(web, fix("X", "web", "docker rm -f web   # re-created"))).hasSize(1);
		assertThat(FixSafety.noForceRemove(web, fix("X", "web", "docker stop web && docker rm --force web"))).hasSize(1);
		assertThat(FixSafety.noForceRemove(web, fix("X", "web", "docker rm -fv web"))).hasSize(1);
		assertThat(FixSafety.noForceRemove(web, fix("X", "web", "docker rm -f web-old   # after checking the new one"))).isEmpty();
	}

	/** Generated: run lines carrying a random subset of a container's mounts in random order fail exactly when one is left out. */
	@Test
	void generatedReCreatesFailExactlyWhenAMountIsLeftOut() {
		Random random = new Random(17);
		for (int n = 0; n < 300; n++) {
			List<MountInfo> mounts = new ArrayList<>();
			List<String> specs = new ArrayList<>();
			int count = 1 + random.nextInt(5);
			for (int i = 0; i < count; i++) {
				boolean ro = random.nextBoolean();
				switch (random.nextInt(3)) {
					case 0 -> {
						String name = Integer.toHexString(random.nextInt(1 << 24)) + "vol" + i;
						mounts.add(new MountInfo("volume", name, "/var/lib/docker/volumes/" + name + "/_data", "/data" + i, ro));
						specs.add("-v " + name + ":/data" + i + (ro ? ":ro" : ""));
					}
					case 1 -> {
						mounts.add(new MountInfo("bind", null, "/srv/b" + i, "/data" + i, ro));
						specs.add(random.nextBoolean() ? "-v /srv/b" + i + ":/data" + i + (ro ? ":ro" : "")
								: "--mount type=bind,source=/srv/b" + i + ",target=/data" + i + (ro ? ",readonly" : ""));
					}
					default -> {
						mounts.add(new MountInfo("tmpfs", null, null, "/data" + i, false));
						specs.add("--tmpfs /data" + i);
					}
				}
			}
			Collections.shuffle(specs, random);
			boolean drop = random.nextBoolean();
			List<String> carried = new ArrayList<>(specs);
			if (drop) {
				carried.remove(random.nextInt(carried.size()));
			}
			String line = "docker run -d --name app " + String.join(" ", carried) + " app:1 serve --port 80";
			List<String> violations = FixSafety.mountsKept(container("app", mounts), fix("X", "app", line));
			assertThat(violations).as(line).hasSize(drop ? 1 : 0);
		}
	}

	// ---- domain XML ---------------------------------------------------------------------------

	static final String DOMAIN = """
			<domain type='kvm'>
			  <name>numa01</name>
			  <vcpu placement='static'>4</vcpu>
			  <numatune>
			    <memory mode='strict' nodeset='0-1'/>
			    <memnode cellid='0' mode='strict' nodeset='0'/>
			    <memnode cellid='1' mode='strict' nodeset='1'/>
			  </numatune>
			  <cpu mode='custom' match='exact' check='partial' migratable='off'>
			    <model fallback='allow'>Opteron_G3</model>
			    <feature policy='require' name='invtsc'/>
			    <numa>
			      <cell id='0' cpus='0-1' memory='1048576' unit='KiB'/>
			      <cell id='1' cpus='2-3' memory='1048576' unit='KiB'/>
			    </numa>
			    <maxphysaddr mode='emulate' bits='42'/>
			  </cpu>
			  <devices>
			    <disk type='file' device='disk'>
			      <driver name='qemu' type='raw'/>
			      <source file='/var/lib/libvirt/images/a.img'/>
			      <target dev='hda' bus='ide'/>
			      <address type='drive' controller='0' bus='0' target='0' unit='0'/>
			    </disk>
			    <disk type='file' device='cdrom'>
			      <driver name='qemu' type='raw'/>
			      <source file='/var/lib/libvirt/images/install.iso'/>
			      <target dev='hdc' bus='ide'/>
			      <readonly/>
			      <address type='drive' controller='0' bus='1' target='0' unit='0'/>
			    </disk>
			  </devices>
			</domain>
			""";

	static GuestFacts guest(String name, String xml) {
		return new GuestFacts(name, null, "shut off", "kvm", 4, 2097152L, false, null, null, null, null, null, null, null, null, null,
				java.util.Map.of(), "", java.util.Map.of(), null, null, null, null, null, null, null, xml);
	}

	static Recommendation xmlFix(String id, String subject, String newXml) {
		return Recommendation.builder(id, Severity.MEDIUM, "t").subject(subject).fix("virsh define new.xml")
			.rollback("virsh define old.xml").newDomainXml(newXml).build();
	}

	@Test
	void theSmallestCpuEditPassesAndAWholeCpuReplacementFails() {
		GuestFacts g = guest("numa01", DOMAIN);
		String small = DOMAIN.replace("<cpu mode='custom' match='exact' check='partial' migratable='off'>", "<cpu mode='host-passthrough' check='none' migratable='off'>")
			.replace("    <model fallback='allow'>Opteron_G3</model>\n", "");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-CPU-PASSTHROUGH", "numa01", small))).isEmpty();
		String whole = DOMAIN.replaceAll("(?s)<cpu .*</cpu>", "<cpu mode='host-passthrough' check='none' migratable='on'/>");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-CPU-PASSTHROUGH", "numa01", whole)))
			.anySatisfy(v -> assertThat(v).contains("drops /domain/cpu/numa"))
			.anySatisfy(v -> assertThat(v).contains("drops /domain/cpu/feature[invtsc]"))
			.anySatisfy(v -> assertThat(v).contains("drops /domain/cpu/maxphysaddr"))
			.anySatisfy(v -> assertThat(v).contains("<memnode cellid='0'>").contains("no such <cell>"))
			.anySatisfy(v -> assertThat(v).contains("migratable='off' to 'on'"));
	}

	@Test
	void aRemovalIsAllowedOnlyForTheFixItServes() {
		GuestFacts g = guest("numa01", DOMAIN);
		String noModel = DOMAIN.replace("    <model fallback='allow'>Opteron_G3</model>\n", "");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-DISK-CACHE", "numa01", noModel))).singleElement().asString()
			.contains("drops /domain/cpu/model");
	}

	@Test
	void aBusChangeMayDropOnlyTheMovedDisksAddressAndKeepsTheCdrom() {
		GuestFacts g = guest("numa01", DOMAIN);
		String moved = DOMAIN.replace("<target dev='hda' bus='ide'/>\n      <address type='drive' controller='0' bus='0' target='0' unit='0'/>",
				"<target dev='vda' bus='virtio'/>");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-DISK-BUS", "numa01", moved))).isEmpty();
		String cdromAddressToo = moved.replace("      <address type='drive' controller='0' bus='1' target='0' unit='0'/>\n", "");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-DISK-BUS", "numa01", cdromAddressToo))).singleElement().asString()
			.contains("disk[cdrom:/var/lib/libvirt/images/install.iso]/address");
		String cdromGone = DOMAIN.replaceAll("(?s)<disk type='file' device='cdrom'>.*?</disk>", "");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-DISK-BUS", "numa01", cdromGone))).singleElement().asString()
			.contains("drops /domain/devices/disk[cdrom:");
	}

	@Test
	void aFormatChangeKeepsTheDiskFoundByItsTarget() {
		GuestFacts g = guest("numa01", DOMAIN);
		String raw = DOMAIN.replace("/var/lib/libvirt/images/a.img", "/var/lib/libvirt/images/a.raw");
		assertThat(FixSafety.xmlKept(g, xmlFix("KVM-DISK-QCOW2", "numa01", raw))).isEmpty();
	}

	// ---- pins -------------------------------------------------------------------------------

	static final KvmNodeFacts FOUR_CPUS = new KvmNodeFacts(null, null, null, null, 1, 1, 4, 1, 4, 8L << 20, List.of(4L, 2048L),
			List.of(new KvmNodeFacts.Cell(0, 8L << 20, null, List.of(0, 1, 2, 3), List.of(List.of(0), List.of(1), List.of(2), List.of(3)))),
			null, List.of("kvm"));

	static String pinned(String name, String vcpu0, String vcpu1, String emulator) {
		return "<domain type='kvm'><name>" + name + "</name><vcpu placement='static'>2</vcpu><cputune>"
				+ "<vcpupin vcpu='0' cpuset='" + vcpu0 + "'/><vcpupin vcpu='1' cpuset='" + vcpu1 + "'/>"
				+ (emulator == null ? "" : "<emulatorpin cpuset='" + emulator + "'/>") + "</cputune><devices/></domain>";
	}

	static String unpinned(String name, String cpuset) {
		return "<domain type='kvm'><name>" + name + "</name><vcpu placement='static'" + (cpuset == null ? "" : " cpuset='" + cpuset + "'")
				+ ">2</vcpu><devices/></domain>";
	}

	static Facts host(GuestFacts... guests) {
		return new Facts(1, null, "test", null, List.of(), List.of(guests), List.of(), null, FOUR_CPUS);
	}

	@Test
	void aPlanWithDisjointPinsPasses() {
		Facts facts = host(guest("a", unpinned("a", null)), guest("b", unpinned("b", null)));
		List<Recommendation> plan = List.of(
				xmlFix("KVM-VCPU-UNPINNED", "a", pinned("a", "1", "2", "0")),
				xmlFix("KVM-PIN-NO-ROOM", "b", unpinned("b", "0,3")));
		assertThat(FixSafety.pinsDisjoint(facts, plan)).isEmpty();
	}

	@Test
	void planningOneCpuForTwoVcpusOrUnderAnEmulatorFails() {
		Facts facts = host(guest("a", unpinned("a", null)), guest("b", unpinned("b", null)));
		assertThat(FixSafety.pinsDisjoint(facts, List.of(xmlFix("KVM-VCPU-UNPINNED", "a", pinned("a", "1", "2", "0")),
				xmlFix("KVM-VCPU-UNPINNED", "b", pinned("b", "2", "3", "0")))))
			.anySatisfy(v -> assertThat(v).contains("host CPU 2 is a vCPU 1's alone, yet b vCPU 0"));
		assertThat(FixSafety.pinsDisjoint(facts, List.of(xmlFix("KVM-VCPU-UNPINNED", "a", pinned("a", "1", "2", "1-3")),
				xmlFix("KVM-PIN-NO-ROOM", "b", unpinned("b", "0,3")))))
			.anySatisfy(v -> assertThat(v).contains("a emulator/iothread"));
		// a guest left floating over every CPU runs on those the plan gave to another
		assertThat(FixSafety.pinsDisjoint(facts, List.of(xmlFix("KVM-VCPU-UNPINNED", "a", pinned("a", "1", "2", "0")))))
			.anySatisfy(v -> assertThat(v).contains("yet b vCPU 0 may run there"));
		// two fixes that pin one guest differently are two plans
		assertThat(FixSafety.pinsDisjoint(host(guest("a", unpinned("a", "0-3"))), List.of(xmlFix("KVM-VCPU-UNPINNED", "a", pinned("a", "1", "2", "0")),
				xmlFix("KVM-PIN-OVERLAP", "a", pinned("a", "2", "3", "0")))))
			.anySatisfy(v -> assertThat(v).contains("pin it in 2 different ways"));
	}

	@Test
	void anExistingOverlapMustBeNamed() {
		Facts facts = host(guest("rt", pinned("rt", "0", "1", "0-1")));
		assertThat(FixSafety.pinsDisjoint(facts, List.of())).isNotEmpty().allSatisfy(v -> assertThat(v).contains("no KVM-PIN-OVERLAP names it"));
		Recommendation named = Recommendation.builder("KVM-PIN-OVERLAP", Severity.MEDIUM, "t").subject("rt").fix("# no room: 2 CPUs").build();
		assertThat(FixSafety.pinsDisjoint(facts, List.of(named))).isEmpty();
	}

	@Test
	void libvirtCpusetExclusionsAreRead() {
		assertThat(FixSafety.cpuset("1-4,^2")).containsExactly(1, 3, 4);
		assertThat(FixSafety.cpuset("0,16")).containsExactly(0, 16);
	}

	// ---- huge pages ---------------------------------------------------------------------------

	@Test
	void oneCountPerTargetPasses() {
		assertThat(FixSafety.hugePageCountsAgree(List.of(
				fix("HOST-HUGEPAGES-PLAN", "host", "echo 512 > /sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages",
						"echo 256 > /sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages",
						"echo 8 > /sys/devices/system/node/node1/hugepages/hugepages-1048576kB/nr_hugepages"),
				fix("KVM-HUGEPAGES-GUEST", "a", "# pages: see HOST-HUGEPAGES-PLAN; echo 999 > /proc/sys/vm/nr_hugepages is not run here",
						"cat /sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages")))).isEmpty();
	}

	@Test
	void twoCountsForOneTargetOrGlobalBesidePerNodeFail() {
		assertThat(FixSafety.hugePageCountsAgree(List.of(fix("A", "a", "echo 1024 > /proc/sys/vm/nr_hugepages"),
				fix("B", "b", "sysctl -w vm.nr_hugepages=2048")))).singleElement().asString().contains("[1024, 2048]");
		assertThat(FixSafety.hugePageCountsAgree(List.of(fix("A", "host", "echo 'vm.nr_hugepages = 1024' > /etc/sysctl.d/80-hugepages.conf"),
				fix("B", "b", "echo 512 | tee /sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"))))
			.singleElement().asString().contains("both host-wide and per node");
		assertThat(FixSafety.hugePageCountsAgree(List.of(fix("A", "a", "echo 4 > /sys/devices/system/node/node0/hugepages/hugepages-1048576kB/nr_hugepages"),
				fix("B", "b", "echo 8 > /sys/devices/system/node/node0/hugepages/hugepages-1048576kB/nr_hugepages")))).hasSize(1);
	}

	// ---- every fix ----------------------------------------------------------------------------

	@Test
	void aChangeWithoutItsWayBackFailsAndAReadingNeedsNone() {
		Recommendation change = Recommendation.builder("HOST-THP-NEVER", Severity.MEDIUM, "t").fix("echo madvise > /sys/kernel/mm/transparent_hugepage/enabled").build();
		assertThat(FixSafety.rollbackPrinted(change)).hasSize(1);
		Recommendation reading = Recommendation.builder("X", Severity.INFO, "t").fix("# nothing to change").fix("cat /proc/meminfo")
			.fix("docker stats --no-stream web   # what it uses now").build();
		assertThat(FixSafety.rollbackPrinted(reading)).isEmpty();
		Recommendation xml = Recommendation.builder("X", Severity.INFO, "t").fix("# see the diff").newDomainXml("<domain/>").build();
		assertThat(FixSafety.rollbackPrinted(xml)).hasSize(1);
	}

	@Test
	void aRedactedPlaceholderInAFixFails() {
		assertThat(FixSafety.noRedactedValue(fix("X", "db", "docker run -d --name db -e 'POSTGRES_PASSWORD=<redacted>' postgres:16"))).hasSize(1);
		assertThat(FixSafety.noRedactedValue(fix("X", "db", "docker run -d --name db --env-file db.env postgres:16   # db.env: POSTGRES_PASSWORD"))).isEmpty();
	}
}
