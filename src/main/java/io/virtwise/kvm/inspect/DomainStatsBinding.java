package io.virtwise.kvm.inspect;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;
import org.libvirt.Domain;

/**
 * virDomainListGetStats through JNA: libvirt-java 0.5.4 binds neither it nor
 * virConnectGetAllDomainStats, and only they return the per-vCPU times, halt-polling times and
 * KVM's exit counters as typed parameters ("vcpu.0.time", "cpu.haltpoll.success.time",
 * "vcpu.0.exits.sum", "block.0.rd.reqs"...). The records are decoded into plain Java values and
 * freed with virDomainStatsRecordListFree before returning.
 */
public final class DomainStatsBinding {

	/** virDomainStatsTypes. */
	public static final int STATS_STATE = 1;
	public static final int STATS_CPU_TOTAL = 1 << 1;
	public static final int STATS_VCPU = 1 << 3;
	public static final int STATS_BLOCK = 1 << 5;

	/** virTypedParameterType. */
	static final int PARAM_INT = 1;
	static final int PARAM_UINT = 2;
	static final int PARAM_LLONG = 3;
	static final int PARAM_ULLONG = 4;
	static final int PARAM_DOUBLE = 5;
	static final int PARAM_BOOLEAN = 6;
	static final int PARAM_STRING = 7;

	static final int FIELD_LENGTH = 80;

	interface Virt extends Library {

		int virDomainListGetStats(Pointer[] doms, int stats, PointerByReference retStats, int flags);

		void virDomainStatsRecordListFree(Pointer stats);

		String virGetLastErrorMessage();
	}

	/**
	 * struct _virTypedParameter { char field[80]; int type; union {...} value; }: the union's
	 * widest members are 8 bytes (long long, double, char*), so a long gives JNA its size and
	 * alignment; the layout is only used for offsets, values are read by type.
	 */
	@Structure.FieldOrder({"field", "type", "value"})
	public static final class TypedParamLayout extends Structure {
		public byte[] field = new byte[FIELD_LENGTH];
		public int type;
		public long value;

		static final TypedParamLayout INSTANCE = new TypedParamLayout();
		static final int SIZE = INSTANCE.size();
		static final int TYPE_OFFSET = INSTANCE.fieldOffset("type");
		static final int VALUE_OFFSET = INSTANCE.fieldOffset("value");
	}

	/** The stats call failed on the daemon's side (domain gone, connection lost). */
	public static final class StatsException extends RuntimeException {

		public StatsException(String message, Throwable cause) {
			super(message, cause);
		}
	}

	private static volatile Virt virt;

	private DomainStatsBinding() {
	}

	private static Virt virt() {
		if (virt == null) {
			virt = Native.load("virt", Virt.class);
		}
		return virt;
	}

	/** The typed parameters libvirt returns for this domain and these stats groups, by field name. */
	public static Map<String, Object> read(Domain domain, int stats) {
		Pointer dom = pointerOf(domain);
		PointerByReference records = new PointerByReference();
		Virt lib;
		int n;
		try {
			lib = virt();
			n = lib.virDomainListGetStats(new Pointer[] {dom, null}, stats, records, 0);
		}
		catch (UnsatisfiedLinkError e) {
			throw new StatsException("this libvirt client library has no virDomainListGetStats (libvirt 1.2.8 or later needed)", e);
		}
		if (n < 0) {
			throw new StatsException("virDomainListGetStats failed: " + LibvirtConnector.oneLine(lib.virGetLastErrorMessage()), null);
		}
		try {
			List<Map<String, Object>> all = decodeRecords(records.getValue());
			return all.isEmpty() ? Map.of() : all.get(0);
		}
		finally {
			lib.virDomainStatsRecordListFree(records.getValue());
		}
	}

	/**
	 * A NULL-terminated array of virDomainStatsRecordPtr, each {@code { virDomainPtr dom;
	 * virTypedParameterPtr params; int nparams; }}: one map of parameters per record.
	 */
	static List<Map<String, Object>> decodeRecords(Pointer array) {
		List<Map<String, Object>> out = new java.util.ArrayList<>();
		if (array == null) {
			return out;
		}
		for (int i = 0;; i++) {
			Pointer record = array.getPointer((long) i * Native.POINTER_SIZE);
			if (record == null) {
				return out;
			}
			Pointer params = record.getPointer(Native.POINTER_SIZE);
			int count = record.getInt(2L * Native.POINTER_SIZE);
			out.add(decodeParams(params, count));
		}
	}

	/** virTypedParameter[count] as field name to Long, Double, Boolean or String, in libvirt's order. */
	static Map<String, Object> decodeParams(Pointer params, int count) {
		Map<String, Object> out = new LinkedHashMap<>();
		for (int i = 0; i < count && params != null; i++) {
			Pointer p = params.share((long) i * TypedParamLayout.SIZE);
			byte[] raw = p.getByteArray(0, FIELD_LENGTH);
			int len = 0;
			while (len < raw.length && raw[len] != 0) {
				len++;
			}
			String field = new String(raw, 0, len, StandardCharsets.UTF_8);
			long at = TypedParamLayout.VALUE_OFFSET;
			Object value = switch (p.getInt(TypedParamLayout.TYPE_OFFSET)) {
				case PARAM_INT -> (long) p.getInt(at);
				case PARAM_UINT -> Integer.toUnsignedLong(p.getInt(at));
				// unsigned 64-bit counters stay below 2^63 for centuries of nanoseconds
				case PARAM_LLONG, PARAM_ULLONG -> p.getLong(at);
				case PARAM_DOUBLE -> p.getDouble(at);
				case PARAM_BOOLEAN -> p.getByte(at) != 0;
				case PARAM_STRING -> {
					Pointer s = p.getPointer(at);
					yield s == null ? null : s.getString(0, StandardCharsets.UTF_8.name());
				}
				default -> null; // a type newer than this code: left out rather than guessed
			};
			if (value != null) {
				out.put(field, value);
			}
		}
		return out;
	}

	// libvirt-java keeps the virDomainPtr in a package-private field and offers no getter.
	private static Pointer pointerOf(Domain domain) {
		try {
			Field f = Domain.class.getDeclaredField("vdp");
			f.setAccessible(true);
			return ((PointerType) f.get(domain)).getPointer();
		}
		catch (ReflectiveOperationException | RuntimeException e) {
			throw new StatsException("cannot reach the domain pointer inside libvirt-java " + Domain.class.getPackage().getImplementationVersion(), e);
		}
	}
}
