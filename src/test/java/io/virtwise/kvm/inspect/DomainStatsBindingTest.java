package io.virtwise.kvm.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/** Decoding virDomainStatsRecord / virTypedParameter memory laid out as libvirt lays it out on this platform. */
class DomainStatsBindingTest {

	@Test
	void typedParameterLayoutIsLibvirts() {
		// x86_64 and aarch64: char field[80]; int type; 8-byte union at offset 88; 96 bytes each
		assertThat(DomainStatsBinding.TypedParamLayout.TYPE_OFFSET).isEqualTo(80);
		assertThat(DomainStatsBinding.TypedParamLayout.VALUE_OFFSET).isEqualTo(88);
		assertThat(DomainStatsBinding.TypedParamLayout.SIZE).isEqualTo(96);
	}

	@Test
	void everyParameterTypeDecodes() {
		Memory name = new Memory(4);
		name.setString(0, "vda", StandardCharsets.UTF_8.name());
		Memory params = new Memory(8L * DomainStatsBinding.TypedParamLayout.SIZE);
		params.clear();
		put(params, 0, "state.state", DomainStatsBinding.PARAM_INT, p -> p.setInt(0, 1));
		put(params, 1, "vcpu.current", DomainStatsBinding.PARAM_UINT, p -> p.setInt(0, -1)); // 2^32-1 unsigned
		put(params, 2, "cpu.time", DomainStatsBinding.PARAM_ULLONG, p -> p.setLong(0, 2_399_140_000L));
		put(params, 3, "vcpu.0.delay", DomainStatsBinding.PARAM_LLONG, p -> p.setLong(0, -5L));
		put(params, 4, "dirtyrate.megabytes_per_second", DomainStatsBinding.PARAM_DOUBLE, p -> p.setDouble(0, 1.5));
		put(params, 5, "vcpu.0.guest_mode.cur", DomainStatsBinding.PARAM_BOOLEAN, p -> p.setByte(0, (byte) 1));
		put(params, 6, "block.0.name", DomainStatsBinding.PARAM_STRING, p -> p.setPointer(0, name));
		put(params, 7, "from.a.newer.libvirt", 99, p -> p.setLong(0, 7));

		Map<String, Object> decoded = DomainStatsBinding.decodeParams(params, 8);
		assertThat(decoded).containsExactly(Map.entry("state.state", 1L), Map.entry("vcpu.current", 4_294_967_295L),
				Map.entry("cpu.time", 2_399_140_000L), Map.entry("vcpu.0.delay", -5L),
				Map.entry("dirtyrate.megabytes_per_second", 1.5), Map.entry("vcpu.0.guest_mode.cur", true),
				Map.entry("block.0.name", "vda"));
	}

	@Test
	void recordListIsNullTerminated() {
		Memory params = new Memory(DomainStatsBinding.TypedParamLayout.SIZE);
		params.clear();
		put(params, 0, "cpu.time", DomainStatsBinding.PARAM_ULLONG, p -> p.setLong(0, 42));
		// { virDomainPtr dom; virTypedParameterPtr params; int nparams; }
		Memory record = new Memory(3L * Native.POINTER_SIZE);
		record.clear();
		record.setPointer(Native.POINTER_SIZE, params);
		record.setInt(2L * Native.POINTER_SIZE, 1);
		Memory list = new Memory(2L * Native.POINTER_SIZE);
		list.setPointer(0, record);
		list.setPointer(Native.POINTER_SIZE, null);

		List<Map<String, Object>> records = DomainStatsBinding.decodeRecords(list);
		assertThat(records).containsExactly(Map.of("cpu.time", 42L));
		assertThat(DomainStatsBinding.decodeRecords(null)).isEmpty();
	}

	private static void put(Memory params, int index, String field, int type, java.util.function.Consumer<Pointer> value) {
		Pointer p = params.share((long) index * DomainStatsBinding.TypedParamLayout.SIZE);
		byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
		p.write(0, bytes, 0, bytes.length);
		p.setInt(DomainStatsBinding.TypedParamLayout.TYPE_OFFSET, type);
		value.accept(p.share(DomainStatsBinding.TypedParamLayout.VALUE_OFFSET));
	}
}
