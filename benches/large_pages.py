#!/usr/bin/env python3
"""Is a build's time linear in a page's size? Builds the real site with one
large generated post added, at 1x, 2x and 4x a size, and prints the times.

    cargo build --release
    python3 benches/large_pages.py                  # 5/10/20 MB posts, 12,500/25,000/50,000-row tables
    python3 benches/large_pages.py --runs 5 --check # also time `folio check`

The post is a changelog (headings, paragraphs with links, code and
emphasis, lists, code blocks, quotes, a small table every fourth release);
the table post is one table of 5 columns with a link a row. Each site is
the repository's content/, templates/ and static/ plus the one post, built
by target/release/folio (or --bin) into a fresh output folder per run.
Prints the medians of wall time, user and system CPU time, and the peak
memory. On a shared machine the user CPU time is the steadiest: the system
time is mostly the kernel zeroing fresh memory pages, and varies with what
else runs.

Not part of `cargo test`: tests never assert on time. Standard library only.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WORDS = ("the server client port mail message secure connection update fixes "
         "release version config option build render page table link error "
         "warning value record field output input file folder site template "
         "markdown parser heading list code block quote user reader author").split()


def changelog(megabytes):
    """A changelog of at least `megabytes` MB, the same for the same size."""
    import random
    rnd = random.Random(42)

    def sentence(n=None):
        n = n or rnd.randint(6, 18)
        s = " ".join(rnd.choice(WORDS) for _ in range(n))
        return s[0].upper() + s[1:] + "."

    parts = ["---\ntitle: Changelog\ntags: [changelog, reference]\n---\n",
             "The full changelog, every release since the first.\n\n"]
    size, target, v = sum(map(len, parts)), int(megabytes * 1_000_000), 0
    while size < target:
        v += 1
        sec = [f"## Version 1.{v // 100}.{v % 100}\n\n",
               " ".join(sentence() for _ in range(3)),
               f" See [the notes](https://example.com/releases/{v}) and *the* "
               f"`config.{v}` **option**.\n\n### Added\n\n"]
        for i in range(rnd.randint(2, 6)):
            sec.append(f"- {sentence()} ([#{v * 10 + i}](https://example.com/issues/{v * 10 + i}))\n")
        sec.append("\n### Fixed\n\n")
        for i in range(rnd.randint(1, 4)):
            sec.append(f"1. {sentence()} `fn_{i}()` now works\n")
        sec.append("\n")
        if v % 3 == 0:
            sec.append("```rust\nfn main() {\n    let x = %d;\n    println!(\"{x}\");\n}\n```\n\n" % v)
        if v % 4 == 0:
            sec.append("| Option | Default | Meaning |\n|---|---|---|\n")
            sec.extend(f"| opt_{v}_{i} | {i * v} | {sentence(5)} |\n" for i in range(3))
            sec.append("\n")
        if v % 5 == 0:
            sec.append(f"> {sentence()}\n> {sentence()}\n\n")
        text = "".join(sec)
        parts.append(text)
        size += len(text)
    parts.append(f"## Last heading {v}\n\nThe end.\n")
    return "".join(parts)


def table(rows):
    """One table of `rows` rows and 5 columns."""
    parts = ["---\ntitle: Big table\n---\nAll the records.\n\n",
             "| Id | Name | Protocol | Security | Description |\n|---|---|---|---|---|\n"]
    for i in range(1, rows + 1):
        security = "None or TLS" if i % 3 == 0 else "SSL/TLS"
        parts.append(f"| {i} | name-{i} | P{i % 7} | {security} | "
                     f"Row number {i} with [a link](https://example.com/{i}) |\n")
    parts.append("\nAfter the table.\n")
    return "".join(parts)


def timed(cmd, cwd):
    """Runs cmd; returns (wall, user CPU, system CPU seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and not (cmd[1] == "check" and code == 1):
        sys.exit("failed: %s in %s" % (" ".join(cmd), cwd))
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "folio"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--post-mb", type=float, default=5, help="the 1x post size")
    ap.add_argument("--table-rows", type=int, default=12_500, help="the 1x table size")
    ap.add_argument("--check", action="store_true", help="time `folio check` too")
    args = ap.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no {args.bin}: run `cargo build --release` first")

    cases = [(f"post {args.post_mb * k:g} MB", lambda k=k: changelog(args.post_mb * k)) for k in (1, 2, 4)]
    cases += [(f"table {args.table_rows * k:,} rows", lambda k=k: table(args.table_rows * k)) for k in (1, 2, 4)]
    commands = [["build"]] + ([["check"]] if args.check else [])
    print(f"{'input':<22} {'command':<7} {'wall':>8} {'user CPU':>9} {'sys CPU':>8} {'peak memory':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, make in cases:
            site = os.path.join(tmp, "site")
            shutil.rmtree(site, ignore_errors=True)
            for d in ("content", "templates", "static"):
                shutil.copytree(os.path.join(ROOT, d), os.path.join(site, d))
            with open(os.path.join(site, "content", "posts", "large.md"), "w") as f:
                f.write(make())
            for cmd in commands:
                results = []
                for _ in range(args.runs):
                    shutil.rmtree(os.path.join(site, "public"), ignore_errors=True)
                    results.append(timed([args.bin] + cmd, site))
                wall, user, system = (statistics.median(r[i] for r in results) for i in range(3))
                rss = max(r[3] for r in results)
                print(f"{name:<22} {cmd[0]:<7} {wall:>6.2f} s {user:>7.2f} s {system:>6.2f} s {rss:>8.0f} MiB",
                      flush=True)


if __name__ == "__main__":
    main()
