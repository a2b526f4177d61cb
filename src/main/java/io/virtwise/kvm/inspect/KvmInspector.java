package io.virtwise.kvm.inspect;

import io.virtwise.kvm.xml.CapabilitiesParser;
import io.virtwise.kvm.xml.DomainXmlParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.virtwise.facts.GuestFacts;
import io.virtwise.host.HostRoots;
import io.virtwise.host.MountsReader;
import io.virtwise.facts.KvmNodeFacts;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/** Live inspection through libvirt: node info, capabilities, and every domain's XML and state. */
public final class KvmInspector {

	/** The name prefix of virtwise's own throwaway probe domains, which are no one's guests. */
	public static final String PROBE_GUEST_PREFIX = "vwprobe-";

	/** The node and its guests, sorted by name. */
	public record Snapshot(KvmNodeFacts node, List<GuestFacts> guests) {
	}

	/** One domain of a listing, read only when asked: libvirt's {@link Domain}, or a stand-in in tests. */
	interface ListedDomain {

		String name() throws LibvirtException;

		/** Its facts and state; {@link Gone} when the domain was undefined since it was listed. */
		GuestFacts read() throws LibvirtException, Gone;
	}

	/** The domain a listing named no longer exists (VIR_ERR_NO_DOMAIN). */
	static final class Gone extends Exception {

		Gone(String name, Throwable cause) {
			super(name + " went away", cause);
		}
	}

	private final String uri;

	public KvmInspector(String uri) {
		this.uri = uri;
	}

	public Snapshot inspect() {
		Connect conn = LibvirtConnector.shared(uri);
		try {
			KvmNodeFacts caps = CapabilitiesParser.parse(conn.getCapabilities());
			NodeInfo info = conn.nodeInfo();
			KvmNodeFacts node = new KvmNodeFacts(LibvirtConnector.resolveUri(uri), version(conn.getLibVirVersion()),
					caps.cpuModel(), caps.cpuVendor(), caps.sockets(), caps.dies(), caps.cores(), caps.threads(),
					info.cpus, info.memory, caps.pageSizesKb(), withFreePages(caps.cells()), caps.caches(), caps.domainTypes(),
					caps.kvmArchs());
			List<GuestFacts> guests = guests(Arrays.stream(conn.listAllDomains(0)).map(KvmInspector::listed).toList());
			return new Snapshot(node, local() ? withImageFilesystems(guests, new MountsReader(HostRoots.live())) : guests);
		}
		catch (LibvirtException e) {
			// the connection may be what broke (libvirtd restarted): the next call opens a fresh one
			LibvirtConnector.dropShared(uri);
			throw new LibvirtUnavailableException("libvirt at " + LibvirtConnector.resolveUri(uri) + " failed: "
					+ LibvirtConnector.oneLine(e.getMessage()), e);
		}
	}

	/**
	 * The guests of a listing, sorted by name. A domain undefined between the listing and its read
	 * (a probe guest another shell tears down) is skipped rather than failing every guest, and
	 * virtwise's own throwaway probe domains are no one's guests.
	 */
	static List<GuestFacts> guests(List<? extends ListedDomain> listing) throws LibvirtException {
		List<GuestFacts> guests = new ArrayList<>();
		for (ListedDomain domain : listing) {
			if (domain.name().startsWith(PROBE_GUEST_PREFIX)) {
				continue;
			}
			try {
				guests.add(domain.read());
			}
			catch (Gone e) {
				// not there any more: not part of the picture
			}
		}
		guests.sort(Comparator.comparing(GuestFacts::name));
		return guests;
	}

	static ListedDomain listed(Domain domain) {
		return new ListedDomain() {

			@Override
			public String name() throws LibvirtException {
				return domain.getName();
			}

			@Override
			public GuestFacts read() throws LibvirtException, Gone {
				try {
					// Flags 0: libvirt leaves passwords out; the parser redacts anyway.
					GuestFacts guest = DomainXmlParser.parse(domain.getXMLDesc(0));
					return guest.withState(domain.getInfo().state.name().replace("VIR_DOMAIN_", "").toLowerCase(Locale.ROOT));
				}
				catch (LibvirtException e) {
					if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
						throw new Gone(name(), e);
					}
					throw e;
				}
			}
		};
	}

	private boolean local() {
		return LibvirtConnector.resolveUri(uri).matches("qemu:///(system|session)");
	}

	/** Each file-backed disk with the host filesystem its image is on (cache='none' needs one that takes O_DIRECT). */
	static List<GuestFacts> withImageFilesystems(List<GuestFacts> guests, MountsReader mounts) {
		List<GuestFacts> out = new ArrayList<>();
		for (GuestFacts g : guests) {
			if (g.disks() == null) {
				out.add(g);
				continue;
			}
			out.add(g.withDisks(g.disks().stream().map(d -> "file".equals(d.sourceType()) && d.source() != null
					? d.withSourceFilesystem(mounts.filesystemOf(d.source())) : d).toList()));
		}
		return out;
	}

	/** Free huge pages per cell from sysfs: only meaningful when libvirt runs on this host. */
	private List<KvmNodeFacts.Cell> withFreePages(List<KvmNodeFacts.Cell> cells) {
		if (cells == null || !LibvirtConnector.resolveUri(uri).matches("qemu:///(system|session)")) {
			return cells;
		}
		List<KvmNodeFacts.Cell> out = new ArrayList<>();
		for (KvmNodeFacts.Cell cell : cells) {
			List<KvmNodeFacts.Pages> pages = new ArrayList<>();
			for (KvmNodeFacts.Pages p : cell.pages()) {
				Long free = null;
				try {
					java.nio.file.Path f = java.nio.file.Path.of("/sys/devices/system/node/node" + cell.id() + "/hugepages/hugepages-"
							+ p.sizeKb() + "kB/free_hugepages");
					free = Long.valueOf(java.nio.file.Files.readString(f).strip());
				}
				catch (java.io.IOException | NumberFormatException e) {
					// unknown stays null
				}
				pages.add(new KvmNodeFacts.Pages(p.sizeKb(), p.total(), p.sizeKb() == 4 ? null : free));
			}
			out.add(new KvmNodeFacts.Cell(cell.id(), cell.memoryKb(), pages, cell.cpus(), cell.siblings()));
		}
		return out;
	}

	/** Names only, for Tab completion: empty when libvirt cannot be reached. */
	public List<String> domainNames() {
		try {
			List<String> names = new ArrayList<>();
			for (Domain d : LibvirtConnector.shared(uri).listAllDomains(0)) {
				if (!d.getName().startsWith(PROBE_GUEST_PREFIX)) {
					names.add(d.getName());
				}
			}
			names.sort(null);
			return names;
		}
		catch (LibvirtException e) {
			LibvirtConnector.dropShared(uri);
			return List.of();
		}
		catch (RuntimeException | LinkageError e) {
			return List.of();
		}
	}

	static String version(long v) {
		return (v / 1_000_000) + "." + (v / 1000 % 1000) + "." + (v % 1000);
	}
}
