#!/usr/bin/env python3
"""Rule evaluation, fresh against cached rule base, interleaved so a busy machine skews both alike.
Each run is a new JVM timing its first evaluation, as one-shot advise does.
Usage: bench/evaluation_compare.py CLASSPATH_FILE [RUNS]   (run from the project folder after mvn compile)"""
import os, re, subprocess, sys, tempfile
from statistics import median

cp = "target/classes:" + open(sys.argv[1]).read().strip()
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
java = os.environ.get("VIRTWISE_JAVA", "java")
os.makedirs("bench/out", exist_ok=True)
cache = tempfile.mkdtemp(prefix="virtwise-bench-cache-")

def once(facts, cache_dir):
    out = subprocess.run([java, "-cp", cp, "bench/EvaluationBench.java", facts, cache_dir],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"evaluation ([\d.]+) ms, (\d+) recommendations, fromCache=(\w+)", out)
    return float(m.group(1)), m.group(2), m.group(3)

print("| facts | rule base | evaluation median (ms) | max (ms) | recommendations |")
print("|---|---|---|---|---|")
for scale, (c, g) in (("small", (None, None)), ("1x", (1000, 200)), ("10x", (10000, 2000))):
    if g is None:
        path = "src/test/resources/facts/untuned-host.json"
    else:
        path = "bench/out/synthetic-%s.json" % scale
        subprocess.run([sys.executable, "bench/synthetic_facts.py", str(c), str(g), path], check=True)
    once(path, cache)  # fills the cache
    fresh, cached, recs = [], [], set()
    for _ in range(runs):
        t, n, _ = once(path, "none"); fresh.append(t); recs.add(n)
        t, n, hit = once(path, cache); assert hit == "true"; cached.append(t); recs.add(n)
    for label, times in (("fresh", fresh), ("cached", cached)):
        print("| %s | %s | %.0f | %.0f | %s |" % (scale, label, median(times), max(times), "/".join(sorted(recs))))
