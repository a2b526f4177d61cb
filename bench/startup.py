#!/usr/bin/env python3
"""Start-up, one-shot and rule-evaluation benchmark for virtwise (issue: shell, rules, advise).

Medians of N runs, measured side by side in one run on this machine:
  - start to prompt (real pseudo-terminal) and one-shot `advise` wall time, peak RSS,
    with the JDK 25 AOT cache (the launcher's default when a JDK 25 is present) and with plain JDK 17;
  - rule evaluation on synthetic facts: 1 host + 1,000 containers + 200 guests, and 10x that.
Usage: bench/startup.py [runs]   (default 10)
"""
import os, re, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from prompt_time import once as prompt_once  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 10


def timed(cmd, env):
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "RSS %M"] + cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    rss = int(re.search(r"RSS (\d+)", proc.stderr).group(1)) / 1024
    return wall, rss, proc


def median(xs):
    return statistics.median(xs)


def java_env(java):
    env = dict(os.environ)
    if java:
        env["VIRTWISE_JAVA"] = java
    return env


def main():
    subprocess.run(["./virtwise", "rules"], check=True, capture_output=True)  # build, extract, train
    os.makedirs("bench/out", exist_ok=True)
    rows = []
    for label, java in (("JDK 25 + AOT cache", None), ("JDK 17, no cache", "java")):
        env = java_env(java)
        os.environ.update({k: v for k, v in env.items() if k == "VIRTWISE_JAVA"})
        prompts = []
        for _ in range(RUNS):
            t = prompt_once(["./virtwise"])
            if t is not None:
                prompts.append(t)
        os.environ.pop("VIRTWISE_JAVA", None)
        walls, rsss = [], []
        for _ in range(RUNS):
            wall, rss, proc = timed(["./virtwise", "advise"], env)
            assert proc.returncode == 0, proc.stderr
            walls.append(wall)
            rsss.append(rss)
        rows.append((label, median(prompts), max(prompts), median(walls), max(walls), median(rsss), max(rsss)))

    print("| launch | prompt median (s) | prompt max | one-shot advise median (s) | advise max | peak RSS median (MB) | RSS max |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |" % r)

    print()
    print("| synthetic facts | containers | guests | evaluation median (ms) | max (ms) | recommendations |")
    print("|---|---|---|---|---|---|")
    for scale, (c, g) in (("1x", (1000, 200)), ("10x", (10000, 2000))):
        path = "bench/out/synthetic-%s.json" % scale
        subprocess.run([sys.executable, "bench/synthetic_facts.py", str(c), str(g), path], check=True)
        evals, recs = [], None
        for _ in range(RUNS):
            proc = subprocess.run(["./virtwise", "advise", "--facts", path, "--timing", "--format", "json"],
                                  capture_output=True, text=True)
            m = re.search(r"evaluation ([\d.]+) ms .* (\d+) recommendations", proc.stderr)
            evals.append(float(m.group(1)))
            recs = m.group(2)
        print("| %s | %d | %d | %.0f | %.0f | %s |" % (scale, c, g, median(evals), max(evals), recs))


if __name__ == "__main__":
    main()
