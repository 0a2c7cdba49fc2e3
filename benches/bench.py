#!/usr/bin/env python3
"""folio's benchmark: the synthetic blog of ../shared/bench, built by folio
and (when installed) by Hugo, side by side in one run.

    python3 benches/bench.py                     # 10,000 posts, 5 runs of each case
    python3 benches/bench.py --sizes 100000 --no-hugo   # 100,000 posts, folio alone
    python3 benches/bench.py --sizes 1000 --runs 3 --cases rebuild
    python3 benches/bench.py --serve             # save-to-reload latency of `folio serve`
    python3 benches/bench.py --sites real --seed benches/code-seed.md   # a code block in every post

Two sites per size, each generated for folio (`gen_site.py --flavor native`)
and for Hugo (`--flavor hugo`, Hugo's minimal generated templates):

- "real": the path a real folio site takes. Every post's body is the
  site's own ports post (`--seed-file content/posts/email-server-ports-table.md`,
  each table's rows shuffled and marked per post), with the repository's
  own `templates/`, `static/` and `content/_index.md` copied over the
  generated ones, so every table goes through the site's
  `partials/table.html` and the quick answer reads the table data. Hugo's
  site carries the same bodies (`--seed-file`), so the same tables.
- "minimal": the generator's own post with the minimal templates of
  benches/templates/, which read no `page.tables`. They have no
  `partials/table.html`, so the built-in theme's fills in (as it does for
  any site without one): its port table goes through that partial in
  Tera, its other tables through folio's built-in writer.

Same work on both sides: the copied `_index.md` gets `base_url` set to
Hugo's (`https://example.com/`, so verify_site.py reads both outputs the
same way) and `paginate_by: 0` (the minimal site gets an `_index.md` with
just that) (every post on one list page; folio
paginates by 10 by default), since Hugo's generated templates do not
paginate. folio still writes
its feed, sitemap and 404 page, which Hugo's bench config turns off.

Cases, each RUNS whole-process builds per tool, interleaved (folio, Hugo,
folio, ...), each after an untimed `sync` so no run pays for the writeback
of the one before:

- rebuild: on the disk, into the output of the build before (two untimed
  warm-up builds first: folio's first two builds create its two output
  trees, from the third on it reuses them);
- cold-tmpfs: no output of any earlier build, on tmpfs (--tmpfs, /dev/shm);
- cold-disk: the same on the disk (--disk, the system's temporary folder),
  with `cp -r` of folio's own output tree to a fresh folder on the same
  disk as the floor for creating those files.

Beside each cold case, "write floor": benches/write-floor (built here)
writes folio's output tree again from memory to a fresh folder on the
same file system, one thread per core, and times only the writing: each
folder made, each file created and written. No build that writes those
files takes less there; what folio takes beyond it is reading, rendering
and its own bookkeeping. On the disk its copies are kept until the case
ends, as `cp -r`'s are (there, deleting 70,000 files slowed the next
writes by tens of seconds), so the disk case needs room for three trees
a run.

Before a cold run the earlier output is moved aside (renamed, deleted
after all runs), not deleted: deleting it would make ext4 search the
freshly freed inodes on the next run, which is not the cost of a cold
build. Outputs are checked with verify_site.py before timing. It prints
medians, min-max, the ratio to Hugo, pages per second, peak memory (max
RSS of the process), and the files and bytes each tool wrote.

Not part of `cargo test`; standard library only.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "content", "posts", "email-server-ports-table.md")
BASE_URL = "https://example.com/"
CASES = ("rebuild", "cold-tmpfs", "cold-disk")
WRITE_FLOOR = os.path.join(ROOT, "target", "release", "folio-write-floor")


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


def gen_site(bench_dir, posts, flavor, dest, seed=None):
    cmd = [sys.executable, os.path.join(bench_dir, "gen_site.py"), "--posts", str(posts),
           "--out", dest, "--flavor", flavor, "--clean"]
    if seed:
        cmd += ["--seed-file", seed]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def replace_dir(src, dest):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest)


def site_index(dest):
    """The site's own content/_index.md, with Hugo's base URL and no
    pagination (see the module's doc)."""
    with open(os.path.join(ROOT, "content", "_index.md"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    end = lines.index("---", 1)
    head = [l for l in lines[1:end] if not l.startswith(("base_url:", "paginate_by:"))]
    head += ["base_url: %s" % BASE_URL, "paginate_by: 0"]
    with open(os.path.join(dest, "content", "_index.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(["---"] + head + lines[end:]))


def generate(bench_dir, posts, kind, tool, dest):
    """Generates the `kind` ("real" or "minimal") site of `posts` posts for
    `tool` ("folio" or "hugo") in `dest`."""
    seed = SEED if kind == "real" else None
    gen_site(bench_dir, posts, "native" if tool == "folio" else "hugo", dest, seed)
    if tool != "folio":
        return
    if kind == "real":
        for d in ("templates", "static"):
            replace_dir(os.path.join(ROOT, d), os.path.join(dest, d))
        site_index(dest)
    else:
        replace_dir(os.path.join(ROOT, "benches", "templates"), os.path.join(dest, "templates"))
        with open(os.path.join(dest, "content", "_index.md"), "w", encoding="utf-8") as f:
            f.write("---\npaginate_by: 0\n---\n")


def tree_size(path):
    """Files, bytes and bytes of disk blocks under `path`."""
    files = size = blocks = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            st = os.lstat(os.path.join(dirpath, name))
            files += 1
            size += st.st_size
            blocks += st.st_blocks * 512
    return files, size, blocks


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


def tables_per_post(site):
    """How many tables each generated post of `site` has (the delimiter
    rows of its first post: the seed's tables and the generator's own)."""
    with open(os.path.join(site, "content", "posts", "email-server-ports-table-1.md"), encoding="utf-8") as f:
        return sum(1 for line in f if DELIMITER_ROW.match(line))


DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*$")


def verify(bench_dir, site, out, kind):
    """verify_site.py on a build's output. It expects the generator's own
    post (two tables); on the real site each post must have the ports
    post's tables (and the generator's) instead."""
    result = subprocess.run(
        [sys.executable, os.path.join(bench_dir, "verify_site.py"), site, out],
        capture_output=True, text=True)
    lines = result.stdout.strip().splitlines()
    errors = [l.strip() for l in lines[1:]]
    if kind == "real":
        tables = "%d tables, want 2" % tables_per_post(site)
        errors = [e for e in errors if not e.endswith(tables)]
    status = "FAIL" if errors else "OK"
    print("    verify %s: %s%s" % (os.path.basename(site), status, lines[0][lines[0].index(":"):]))
    if errors:
        sys.exit(result.stdout)


class Tool:
    """One tool's build of one site: its command, where it runs, what it
    writes."""

    def __init__(self, name, cmd, site, outputs):
        self.name, self.cmd, self.site, self.outputs = name, cmd, site, outputs
        self.samples = []

    def run(self):
        return run(self.cmd, self.site)

    def move_outputs_aside(self, trash):
        for d in self.outputs:
            path = os.path.join(self.site, d)
            if os.path.exists(path):
                os.rename(path, os.path.join(trash, "%s-%d" % (d.strip("."), len(os.listdir(trash)))))


def generate_sites(args, hugo, posts, kind, where):
    """Generates the `kind` site for each tool under `where`."""
    generate(args.bench_dir, posts, kind, "folio", os.path.join(where, "folio-%s-%d" % (kind, posts)))
    if hugo:
        generate(args.bench_dir, posts, kind, "hugo", os.path.join(where, "hugo-%s-%d" % (kind, posts)))


def tools_in(folio, hugo, posts, kind, where):
    """Each tool's build of the `kind` site generated under `where`."""
    native = os.path.join(where, "folio-%s-%d" % (kind, posts))
    tools = [Tool("folio", [folio, "build", "--root", native], native,
                  ["public", ".public.folio-previous"])]
    if hugo:
        hsite = os.path.join(where, "hugo-%s-%d" % (kind, posts))
        tools.append(Tool("hugo", [hugo, "--quiet"], hsite, ["public", "resources"]))
    return tools


def time_case(args, tools, kind, case, where, pages):
    """Times `case` for each tool (see the module's doc); prints and
    returns the rows (before deleting what the runs left, which takes a
    while on a disk)."""
    trash = os.path.join(where, "trash")
    copies = os.path.join(where, "copies")
    os.makedirs(trash, exist_ok=True)
    os.makedirs(copies, exist_ok=True)
    cold = case != "rebuild"
    try:
        for _ in range(2):
            for tool in tools:
                if cold:
                    tool.move_outputs_aside(trash)
                tool.run()
        for tool in tools:
            verify(args.bench_dir, tool.site, os.path.join(tool.site, "public"), kind)
            tool.samples = []
        folio_public = os.path.join(tools[0].site, "public")
        floor, written, written_size = [], [], None
        for i in range(args.runs):
            for tool in tools:
                if cold:
                    tool.move_outputs_aside(trash)
                os.sync()
                tool.samples.append(tool.run())
            if cold:
                os.sync()
                copy = os.path.join(copies, "w%d" % i)
                written.append((write_floor(folio_public, copy), 0))
                written_size = written_size or tree_size(copy)
                if case == "cold-tmpfs":
                    # Memory, not time: deleting on tmpfs slows no later
                    # run (on ext4 it would, so the disk keeps its copies).
                    shutil.rmtree(copy)
            if case == "cold-disk":
                os.sync()
                floor.append(run(["cp", "-r", folio_public, os.path.join(copies, str(i))]))
        rows = [dict(summary(tool.name, tool.samples), written=tree_size(os.path.join(tool.site, "public")))
                for tool in tools]
        if written:
            rows.append(dict(summary("floor", written), written=written_size))
        if floor:
            rows.append(dict(summary("cp -r", floor), written=tree_size(os.path.join(copies, "0"))))
        for row in rows:
            row.update(site=kind, case=case, pages=pages)
        print_rows(rows)
        return rows
    finally:
        shutil.rmtree(trash, ignore_errors=True)
        shutil.rmtree(copies, ignore_errors=True)


def write_floor(tree, dest):
    """Seconds benches/write-floor takes to write `tree` again at `dest`."""
    out = subprocess.run([WRITE_FLOOR, tree, dest], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def summary(name, samples):
    times = [t for t, _ in samples]
    return {"tool": name, "median": statistics.median(times), "min": min(times),
            "max": max(times), "peak_mib": max(m for _, m in samples)}


def build_sizes(args, folio, hugo):
    places = {"rebuild": args.disk, "cold-tmpfs": args.tmpfs, "cold-disk": args.disk}
    results = []
    for posts in args.sizes:
        for kind in args.sites:
            generated = {}
            try:
                for case in args.cases:
                    where = places[case]
                    if where not in generated:
                        generated[where] = tempfile.mkdtemp(prefix="folio-bench-", dir=where)
                        generate_sites(args, hugo, posts, kind, generated[where])
                    work = generated[where]
                    tools = tools_in(folio, hugo, posts, kind, work)
                    with open(os.path.join(tools[0].site, ".bench-manifest.json")) as f:
                        pages = json.load(f)["expected_html_pages"]
                    print("%s site, %d posts (%d HTML pages), %s, %s; load: %s" % (
                        kind, posts, pages, case, work, load()))
                    rows = time_case(args, tools, kind, case, work, pages)
                    for row in rows:
                        row["posts"] = posts
                    results.extend(rows)
            finally:
                for work in generated.values():
                    if args.keep:
                        print("sites kept in", work)
                    else:
                        shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    return results


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def print_rows(rows):
    for r in rows:
        files, size, blocks = r["written"]
        peak = "peak %5.0f MiB" % r["peak_mib"] if r["peak_mib"] else "peak     - MiB"
        print("    %-6s median %7.3f s (%.3f-%.3f), %6.0f pages/s, %s, wrote %d files, %.1f MB (%.1f MB of blocks)" % (
            r["tool"], r["median"], r["min"], r["max"], r["pages"] / r["median"], peak,
            files, size / 1e6, blocks / 1e6))


def print_table(results):
    """The summary: one line per site, size and case."""
    print()
    print("| site | posts | case | folio | Hugo | folio/Hugo | write floor | folio/floor | `cp -r` of folio's output | folio/`cp -r` | folio peak | Hugo peak | memory |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    keys = []
    for r in results:
        key = (r["site"], r["posts"], r["case"])
        if key not in keys:
            keys.append(key)
    for key in keys:
        by = {r["tool"]: r for r in results if (r["site"], r["posts"], r["case"]) == key}
        f, h, w, c = by["folio"], by.get("hugo"), by.get("floor"), by.get("cp -r")
        span = lambda r: "%.3f s (%.3f-%.3f)" % (r["median"], r["min"], r["max"]) if r else "-"
        ratio = lambda a, b: "%.2f" % (a / b) if b else "-"
        print("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %.0f MiB | %s | %s |" % (
            key[0], key[1], key[2], span(f), span(h),
            ratio(f["median"], h["median"] if h else None), span(w),
            ratio(f["median"], w["median"] if w else None), span(c),
            ratio(f["median"], c["median"] if c else None), f["peak_mib"],
            "%.0f MiB" % h["peak_mib"] if h else "-",
            ratio(f["peak_mib"], h["peak_mib"] if h else None)))


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


def paginate_as_the_site_does(dest):
    """Drops the `paginate_by: 0` that site_index() added to `dest`'s
    _index.md, leaving the site's own setting (or folio's default)."""
    path = os.path.join(dest, "content", "_index.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace("paginate_by: 0\n", ""))


def serve_bench(args, folio):
    work = tempfile.mkdtemp(prefix="folio-serve-bench-")
    try:
        real = os.path.join(work, "real")
        for d in ("content", "templates", "static"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(real, d))
        sites = [("real site", real, os.path.join(real, "content/posts/email-server-ports-table.md"))]
        for posts in args.sizes:
            native = os.path.join(work, "real-%d" % posts)
            generate(args.bench_dir, posts, "real", "folio", native)
            post = os.path.join(native, "content/posts/email-server-ports-table-1.md")
            sites.append(("%d posts" % posts, native, post))
            # The same site paginated as the site's own _index.md has it
            # (folio's default, 10 a page): a title edit renders the list
            # pages that show the post, not a home page of every post.
            sites.append(("%d posts, paginated" % posts, native, post))
        print("folio serve: save to reload event, %d edits each (includes the 15 ms debounce)" % args.edits)
        for name, root, post in sites:
            if name.endswith("paginated"):
                paginate_as_the_site_does(root)
            for kind in ("body", "title"):
                lat = serve_latency(folio, root, post, args.edits, kind)
                print("    %-24s %-5s edit: median %6.1f ms, min %6.1f, max %6.1f" % (
                    name, kind, 1000 * statistics.median(lat), 1000 * min(lat), 1000 * max(lat)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    global SEED
    sys.stdout.reconfigure(line_buffering=True)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000", help="post counts, comma-separated (100000 on request)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--sites", default="real,minimal", help="which sites: real, minimal")
    p.add_argument("--cases", default=",".join(CASES), help="which cases: " + ", ".join(CASES))
    p.add_argument("--tmpfs", default="/dev/shm", help="a tmpfs folder for cold-tmpfs")
    p.add_argument("--disk", default=tempfile.gettempdir(), help="a folder on the disk for rebuild and cold-disk")
    p.add_argument("--bench-dir", default=os.path.join(ROOT, "..", "shared", "bench"),
                   help="folder holding gen_site.py and verify_site.py")
    p.add_argument("--keep", action="store_true", help="keep the generated sites")
    p.add_argument("--no-hugo", action="store_true", help="folio alone (Hugo needs some 20 GiB at 100,000 posts)")
    p.add_argument("--serve", action="store_true", help="measure serve's save-to-reload latency instead")
    p.add_argument("--edits", type=int, default=15)
    p.add_argument("--seed", default=SEED,
                   help="the real site's post, every post's body (default: the site's ports post; "
                        "benches/code-seed.md adds a code block)")
    args = p.parse_args()
    SEED = os.path.abspath(args.seed)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.sites = args.sites.split(",")
    args.cases = args.cases.split(",")
    for case in args.cases:
        if case not in CASES:
            p.error("unknown case %s" % case)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path",
                    os.path.join(ROOT, "benches", "write-floor", "Cargo.toml"),
                    "--target-dir", os.path.join(ROOT, "target")], check=True)
    folio = os.path.join(ROOT, "target", "release", "folio")
    if args.serve:
        serve_bench(args, folio)
        return
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not hugo and not args.no_hugo:
        print("hugo not installed (apt-get install hugo): folio alone")
    print("machine: %d cores; %s; load %s" % (os.cpu_count(), subprocess.run(
        ["uname", "-sr"], capture_output=True, text=True).stdout.strip(), load()))
    real_site(folio)
    build_sizes(args, folio, hugo)


if __name__ == "__main__":
    main()
