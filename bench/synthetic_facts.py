#!/usr/bin/env python3
"""Writes a synthetic facts file: the untuned 2-node host of the rule tests plus N containers and M guests,
shaped so that the container and guest rules have real work (some span NUMA nodes, some do not)."""
import json, sys

containers, guests, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
facts = json.load(open("src/test/resources/facts/untuned-host.json"))
facts["containers"] = [{
    "id": "%064x" % i, "name": "svc-%d" % i, "image": "example/app:1", "state": "running",
    "networkMode": "bridge" if i % 3 else "host",
    "cpusetCpus": ["0-3"] if i % 4 == 0 else (["14-17"] if i % 4 == 1 else None),
    "cpuLimit": 2.0 if i % 2 else None, "memoryLimitBytes": 1 << 30 if i % 2 else None,
} for i in range(containers)]
facts["guests"] = [{
    "name": "vm-%d" % i, "uuid": "00000000-0000-0000-0000-%012d" % i, "state": "running", "accel": "kvm",
    "vcpus": 4 if i % 2 else 24, "memoryKb": 8 << 20, "hugepageBacked": bool(i % 3 == 0),
    "pinnedCpus": [0, 1, 2, 3] if i % 5 == 0 else ([7, 8, 9, 20] if i % 5 == 1 else None),
    "numaNodes": [0] if i % 2 else [0, 1],
} for i in range(guests)]
json.dump(facts, open(out, "w"), indent=1)
