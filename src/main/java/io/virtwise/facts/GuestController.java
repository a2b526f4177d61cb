package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A disk controller of a guest: {@code type} scsi, sata, ide...; {@code model} e.g. lsilogic or virtio-scsi. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestController(String type, int index, String model, Integer iothread) {
}
