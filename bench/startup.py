#!/usr/bin/env python3
"""Start-up, one-shot and rule-evaluation benchmark for virtwise (issue: shell, rules, advise).

Medians of N runs on this machine:
  - start to prompt (real pseudo-terminal) and one-shot `advise` wall time, peak RSS,
    with the launcher's default JVM (JDK 25 and its AOT cache when present) and with plain JDK 17;
  - rule evaluation on synthetic facts: 1 host + 1,000 containers + 200 guests, and 10x that.

With --baseline DIR, two builds side by side in one run: DIR is another checkout with its own
target/virtwise.jar (its launcher extracts and trains its own cache there). Runs alternate
A B A B, so a busy machine slows both alike; the table gives both medians and their ratio.

Usage: bench/startup.py [runs] [--baseline DIR] [--jvm default|17|both] [--no-synthetic]   (runs default 10)
"""
import argparse, os, re, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from prompt_time import once as prompt_once  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JVMS = {"default": ("launcher default JVM", None), "17": ("JDK 17", "java")}


def timed(cmd, env, cwd):
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "RSS %M"] + cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.monotonic() - start
    rss = int(re.search(r"RSS (\d+)", proc.stderr).group(1)) / 1024
    return wall, rss, proc


def java_env(java):
    env = dict(os.environ)
    env.pop("VIRTWISE_JAVA", None)
    if java:
        env["VIRTWISE_JAVA"] = java
    return env


def prompt(build, env):
    # prompt_time forks in this process: the child takes this environment
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return prompt_once([os.path.join(build, "virtwise")])
    finally:
        os.environ.clear()
        os.environ.update(saved)


def prepare(build, env):
    """Builds if needed, extracts the jar and trains its cache (the first run does), so no timed run pays for it."""
    subprocess.run([os.path.join(build, "virtwise"), "rules"], env=env, cwd=build, check=True, capture_output=True)


def measure(builds, jvm_keys, runs):
    """{(build, jvm): {"prompt": [...], "advise": [...], "rss": [...]}}, runs interleaved over the builds."""
    results = {}
    for key in jvm_keys:
        env = java_env(JVMS[key][1])
        for build in builds:
            prepare(build, env)
            results[(build, key)] = {"prompt": [], "advise": [], "rss": []}
        for _ in range(runs):
            for build in builds:
                t = prompt(build, env)
                if t is not None:
                    results[(build, key)]["prompt"].append(t)
        for _ in range(runs):
            for build in builds:
                wall, rss, proc = timed([os.path.join(build, "virtwise"), "advise"], env, build)
                assert proc.returncode == 0, proc.stderr
                results[(build, key)]["advise"].append(wall)
                results[(build, key)]["rss"].append(rss)
    return results


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def single_table(results, jvm_keys):
    print("| launch | prompt median (s) | prompt max | one-shot advise median (s) | advise max | peak RSS median (MB) | RSS max |")
    print("|---|---|---|---|---|---|---|")
    for key in jvm_keys:
        r = results[(ROOT, key)]
        print("| %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |" % (JVMS[key][0], med(r["prompt"]), max(r["prompt"], default=0),
              med(r["advise"]), max(r["advise"]), med(r["rss"]), max(r["rss"])))


def compare_table(results, baseline, jvm_keys, runs):
    print("Medians of %d runs each, interleaved baseline/this build (baseline: %s)." % (runs, baseline))
    print()
    print("| launch | measure | baseline | this build | this / baseline |")
    print("|---|---|---|---|---|")
    for key in jvm_keys:
        a, b = results[(baseline, key)], results[(ROOT, key)]
        for name, field, unit in (("start to prompt", "prompt", "s"), ("one-shot advise", "advise", "s"),
                                  ("peak RSS (advise)", "rss", "MB")):
            ma, mb = med(a[field]), med(b[field])
            fmt = "%.2f " + unit if unit == "s" else "%.0f " + unit
            print("| %s | %s | %s | %s | %.2f |" % (JVMS[key][0], name, fmt % ma, fmt % mb, mb / ma if ma else float("nan")))


def synthetic(runs):
    print("| synthetic facts | containers | guests | evaluation median (ms) | max (ms) | recommendations |")
    print("|---|---|---|---|---|---|")
    for scale, (c, g) in (("1x", (1000, 200)), ("10x", (10000, 2000))):
        path = "bench/out/synthetic-%s.json" % scale
        subprocess.run([sys.executable, "bench/synthetic_facts.py", str(c), str(g), path], check=True)
        evals, recs = [], None
        for _ in range(runs):
            proc = subprocess.run(["./virtwise", "advise", "--facts", path, "--timing", "--format", "json"],
                                  capture_output=True, text=True)
            m = re.search(r"evaluation ([\d.]+) ms .* (\d+) recommendations", proc.stderr)
            evals.append(float(m.group(1)))
            recs = m.group(2)
        print("| %s | %d | %d | %.0f | %.0f | %s |" % (scale, c, g, med(evals), max(evals), recs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=10)
    parser.add_argument("--baseline", help="another checkout with its own target/virtwise.jar, measured interleaved")
    parser.add_argument("--jvm", choices=("default", "17", "both"), default="both")
    parser.add_argument("--no-synthetic", action="store_true", help="skip the rule evaluation on synthetic facts")
    args = parser.parse_args()
    os.chdir(ROOT)
    os.makedirs("bench/out", exist_ok=True)
    jvm_keys = ["default", "17"] if args.jvm == "both" else [args.jvm]
    builds = [ROOT]
    baseline = None
    if args.baseline:
        baseline = os.path.abspath(args.baseline)
        if not os.path.isfile(os.path.join(baseline, "target", "virtwise.jar")):
            sys.exit("startup.py: %s has no target/virtwise.jar" % baseline)
        builds = [baseline, ROOT]
    results = measure(builds, jvm_keys, args.runs)
    if baseline:
        compare_table(results, baseline, jvm_keys, args.runs)
    else:
        single_table(results, jvm_keys)
    if not args.no_synthetic:
        print()
        synthetic(args.runs)


if __name__ == "__main__":
    main()
