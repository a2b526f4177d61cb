package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One huge page size as /sys/kernel/mm/hugepages reports it; counts are pages, not bytes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HugePagePool(long pageSizeKb, Long total, Long free, Long reserved, Long surplus) {
}
