#!/usr/bin/env python3
"""Rule evaluation with the rule base freshly compiled or read back from the cache, each with and
without the warm-up the shell's rule-base thread does, interleaved so a busy machine skews all alike.
Each run is a new JVM timing its first real evaluation, as one-shot advise does.
Usage: bench/evaluation_compare.py CLASSPATH_FILE [RUNS]
(from the project folder after mvn compile; CLASSPATH_FILE from mvn dependency:build-classpath -Dmdep.outputFile=...)"""
import os, re, subprocess, sys, tempfile
from statistics import median

deps = open(sys.argv[1]).read().strip()
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
java = os.environ.get("VIRTWISE_JAVA", "java")
os.makedirs("target/bench-classes", exist_ok=True)
subprocess.run(["javac", "-d", "target/bench-classes", "-cp", "target/classes:" + deps, "bench/EvaluationBench.java"], check=True)
cp = "target/bench-classes:target/classes:" + deps
os.makedirs("bench/out", exist_ok=True)
cache = tempfile.mkdtemp(prefix="virtwise-bench-cache-")
VARIANTS = (("fresh", "none", False), ("cached", cache, False), ("fresh, warmed up", "none", True), ("cached, warmed up", cache, True))

def once(facts, cache_dir, warm, filling=False):
    out = subprocess.run([java, "-DwarmUp=%s" % str(warm).lower(), "-cp", cp, "EvaluationBench", facts, cache_dir],
                         capture_output=True, text=True, check=True).stdout
    m = re.search(r"evaluation ([\d.]+) ms, (\d+) recommendations, fromCache=(\w+)", out)
    assert filling or m.group(3) == str(cache_dir != "none").lower(), out
    return float(m.group(1)), m.group(2)

print("| facts | rule base | evaluation median (ms) | max (ms) | recommendations |")
print("|---|---|---|---|---|")
for scale, (c, g) in (("small", (None, None)), ("1x", (1000, 200)), ("10x", (10000, 2000))):
    if g is None:
        path = "src/test/resources/facts/untuned-host.json"
    else:
        path = "bench/out/synthetic-%s.json" % scale
        subprocess.run([sys.executable, "bench/synthetic_facts.py", str(c), str(g), path], check=True)
    once(path, cache, False, filling=True)
    times = {v[0]: [] for v in VARIANTS}
    recs = set()
    for _ in range(runs):
        for label, cache_dir, warm in VARIANTS:
            t, n = once(path, cache_dir, warm)
            times[label].append(t)
            recs.add(n)
    for label, _, _ in VARIANTS:
        print("| %s | %s | %.0f | %.0f | %s |" % (scale, label, median(times[label]), max(times[label]), "/".join(sorted(recs))), flush=True)
