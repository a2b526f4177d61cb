package io.virtwise.facts;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the host-wide plans and the XML fixes need to know of a guest beyond its size and pins.
 *
 * @param arch the guest's architecture ({@code <os><type arch>}), which decides whether KVM can run it here
 * @param memorySource memoryBacking's source type (anonymous, memfd, file), null when unset
 * @param numad whether numad places it ({@code placement='auto'} on vcpu or numatune)
 * @param memnodes numatune's memnode nodesets by guest cell id
 * @param pageSizeByCell huge page size (KiB) per guest cell where {@code <page nodeset>} names cells
 * @param managedBy the management stack that owns and rewrites its XML (nova), null for none known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestDetails(String arch, String memorySource, Boolean numad, Map<Integer, String> memnodes,
		Map<Integer, Long> pageSizeByCell, String managedBy) {

	public GuestDetails {
		memnodes = memnodes == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(memnodes));
		pageSizeByCell = pageSizeByCell == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(pageSizeByCell));
	}

	public static final GuestDetails NONE = new GuestDetails(null, null, null, null, null, null);
}
