package io.virtwise.facts;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Kernel release and the cgroup hierarchy in use (1, 2, or hybrid). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KernelFacts(String release, String cgroupVersion, Boolean numaBalancing) {
}
