#!/usr/bin/env python3
"""folio's benchmark: the synthetic blog of ../shared/bench, built by folio
and (when installed) by Hugo, side by side in one run.

    python3 benches/bench.py                    # 1,000 and 10,000 posts, 5 runs each
    python3 benches/bench.py --sizes 1000 --runs 3
    python3 benches/bench.py --serve            # save-to-reload latency of `folio serve`

For each size it generates the same site twice with gen_site.py (`--flavor
native` for folio, with the templates in benches/templates/; `--flavor hugo`
for Hugo), builds each twice to warm caches and create the output folders,
verifies both outputs with verify_site.py, then times RUNS whole-process
builds of each tool, interleaved (folio, hugo, cp -r, folio, hugo, ...), so
both see the same machine state. Before each timed run, `sync` flushes what
the run before wrote (untimed): no tool pays for another's writeback. Every
build writes into its existing output folder, as a rebuild does. It prints
medians, min-max, pages per second, peak memory (max RSS of the process)
and the folio/Hugo ratio.
`cp -r` of the content folder is the floor: copying the bytes folio reads.

Not part of `cargo test`; standard library only.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, cwd=None, quiet=True):
    """Runs a command; returns (seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=out)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: %s" % " ".join(cmd))
    return elapsed, usage.ru_maxrss / 1024.0


def generate(bench_dir, posts, flavor, dest):
    subprocess.run(
        [sys.executable, os.path.join(bench_dir, "gen_site.py"), "--posts", str(posts),
         "--out", dest, "--flavor", flavor, "--clean"],
        check=True, stdout=subprocess.DEVNULL)
    if flavor == "native":
        templates = os.path.join(dest, "templates")
        shutil.rmtree(templates)
        shutil.copytree(os.path.join(ROOT, "benches", "templates"), templates)


def verify(bench_dir, site, out):
    result = subprocess.run(
        [sys.executable, os.path.join(bench_dir, "verify_site.py"), site, out],
        capture_output=True, text=True)
    print("    verify %s: %s" % (os.path.basename(site), result.stdout.strip().splitlines()[0]))
    if result.returncode != 0:
        sys.exit(result.stdout)


def summary(name, samples, pages):
    times = [t for t, _ in samples]
    peak = max(m for _, m in samples)
    med = statistics.median(times)
    return {
        "tool": name, "median": med, "min": min(times), "max": max(times),
        "pages_per_s": pages / med if med else 0.0, "peak_mib": peak,
    }


def real_site(folio, runs=21):
    """The real site from process start to exit: cold (no output folder
    yet, so every file and folder is new) and as a rebuild."""
    work = tempfile.mkdtemp(prefix="folio-real-")
    try:
        for d in ("content", "templates", "static"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(work, d))
        cmd = [folio, "build", "--root", work]
        cold = []
        for _ in range(runs):
            for d in ("public", ".public.folio-previous"):
                shutil.rmtree(os.path.join(work, d), ignore_errors=True)
            cold.append(run(cmd)[0])
        warm = [run(cmd)[0] for _ in range(runs)]
        print("real site: cold median %.1f ms (min %.1f), rebuild median %.1f ms (min %.1f)" % (
            1000 * statistics.median(cold), 1000 * min(cold), 1000 * statistics.median(warm), 1000 * min(warm)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_sizes(args, folio, hugo):
    results = []
    work = tempfile.mkdtemp(prefix="folio-bench-")
    try:
        for posts in args.sizes:
            native = os.path.join(work, "native-%d" % posts)
            generate(args.bench_dir, posts, "native", native)
            tools = [("folio", [folio, "build", "--root", native], None)]
            if hugo:
                hsite = os.path.join(work, "hugo-%d" % posts)
                generate(args.bench_dir, posts, "hugo", hsite)
                tools.append(("hugo", [hugo, "--quiet"], hsite))
            # Each cp -r gets a fresh destination, deleted only after all runs:
            # deleting between runs would make ext4 search freshly freed inodes
            # on the next copy, which is not the cost of copying.
            copies = os.path.join(work, "copies-%d" % posts)
            os.makedirs(copies)
            tools.append(("cp -r", None, None))

            with open(os.path.join(native, ".bench-manifest.json")) as f:
                pages = json.load(f)["expected_html_pages"]
            print("%d posts (%d HTML pages):" % (posts, pages))
            def copy_cmd(n):
                return ["cp", "-r", os.path.join(native, "content"), os.path.join(copies, str(n))]

            # Two warm-up builds of each tool (folio's first two builds of a
            # site create its two output trees; from the third on it reuses
            # them), then verify what each wrote.
            for warm in range(2):
                for name, cmd, cwd in tools:
                    run(cmd or copy_cmd("warm%d" % warm), cwd)
            verify(args.bench_dir, native, os.path.join(native, "public"))
            if hugo:
                verify(args.bench_dir, hsite, os.path.join(hsite, "public"))

            samples = {name: [] for name, _, _ in tools}
            for i in range(args.runs):
                for name, cmd, cwd in tools:
                    # What the tool before wrote is flushed first (untimed),
                    # so no tool's run pays for another's writeback.
                    os.sync()
                    samples[name].append(run(cmd or copy_cmd(i), cwd))
            shutil.rmtree(copies, ignore_errors=True)
            rows = [summary(name, samples[name], pages) for name, _, _ in tools]
            for row in rows:
                row["posts"] = posts
            results.extend(rows)
            print_table(rows)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("sites kept in", work)
    return results


def print_table(rows):
    by = {r["tool"]: r for r in rows}
    print("    %-7s %9s %17s %10s %9s" % ("tool", "median", "min-max", "pages/s", "peak"))
    for r in rows:
        print("    %-7s %8.3fs %7.3f-%7.3fs %10.0f %6.0f MiB" % (
            r["tool"], r["median"], r["min"], r["max"], r["pages_per_s"], r["peak_mib"]))
    if "hugo" in by:
        f, h = by["folio"], by["hugo"]
        print("    folio/hugo: time %.2f, memory %.2f" % (f["median"] / h["median"], f["peak_mib"] / h["peak_mib"]))
    f, c = by["folio"], by["cp -r"]
    print("    folio/cp -r: time %.2f" % (f["median"] / c["median"]))


class Events:
    """Reads `folio serve`'s event stream; records when each reload arrives."""

    def __init__(self, url):
        self.arrivals = []
        self.lock = threading.Condition()
        self.stream = urllib.request.urlopen(url)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for raw in self.stream:
            line = raw.decode("utf-8", "replace").strip()
            if line == "event: reload":
                with self.lock:
                    self.arrivals.append(time.perf_counter())
                    self.lock.notify_all()

    def wait(self, count, timeout=30):
        with self.lock:
            self.lock.wait_for(lambda: len(self.arrivals) >= count, timeout)
            return self.arrivals[count - 1] if len(self.arrivals) >= count else None


def serve_latency(folio, root, post, edits, kind):
    """Times from writing `post` to the reload event. `kind` is "body" (a
    sentence added at the end: nothing a list shows changes, so only the
    post is rendered again) or "title" (a new title: every list showing the
    post is rendered again too)."""
    proc = subprocess.Popen([folio, "serve", "--port", "0", "--root", root],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    port = None
    for line in proc.stderr:
        if "http://127.0.0.1:" in line:
            port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
            break
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
    events = Events("http://127.0.0.1:%d/__folio/events" % port)
    time.sleep(0.5)
    original = open(post, encoding="utf-8").read()
    latencies = []
    try:
        for i in range(edits):
            if kind == "title":
                text = original.replace("title: ", "title: Edit %d " % i, 1)
            else:
                text = original + "\nEdit number %d.\n" % i
            start = time.perf_counter()
            with open(post, "w", encoding="utf-8") as f:
                f.write(text)
            arrived = events.wait(i + 1)
            if arrived is None:
                sys.exit("no reload event after edit %d" % i)
            latencies.append(arrived - start)
            time.sleep(0.2)
    finally:
        with open(post, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait()
    return latencies


def serve_bench(args, folio):
    work = tempfile.mkdtemp(prefix="folio-serve-bench-")
    try:
        real = os.path.join(work, "real")
        for d in ("content", "templates", "static"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(real, d))
        sites = [("real site", real, os.path.join(real, "content/posts/email-server-ports-table.md"))]
        for posts in args.sizes:
            native = os.path.join(work, "native-%d" % posts)
            generate(args.bench_dir, posts, "native", native)
            sites.append(("%d posts" % posts, native, os.path.join(native, "content/posts/email-server-ports-table-1.md")))
        print("folio serve: save to reload event, %d edits each (includes the 15 ms debounce)" % args.edits)
        for name, root, post in sites:
            for kind in ("body", "title"):
                lat = serve_latency(folio, root, post, args.edits, kind)
                print("    %-12s %-5s edit: median %6.1f ms, min %6.1f, max %6.1f" % (
                    name, kind, 1000 * statistics.median(lat), 1000 * min(lat), 1000 * max(lat)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="1000,10000", help="post counts, comma-separated")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--bench-dir", default=os.path.join(ROOT, "..", "shared", "bench"),
                   help="folder holding gen_site.py and verify_site.py")
    p.add_argument("--keep", action="store_true", help="keep the generated sites")
    p.add_argument("--serve", action="store_true", help="measure serve's save-to-reload latency instead")
    p.add_argument("--edits", type=int, default=15)
    args = p.parse_args()
    args.sizes = [int(s) for s in args.sizes.split(",")]
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    folio = os.path.join(ROOT, "target", "release", "folio")
    if args.serve:
        serve_bench(args, folio)
        return
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo not installed (apt-get install hugo): folio alone")
    print("machine: %d cores; %s" % (os.cpu_count(), subprocess.run(
        ["uname", "-sr"], capture_output=True, text=True).stdout.strip()))
    real_site(folio)
    build_sizes(args, folio, hugo)


if __name__ == "__main__":
    main()
