#!/usr/bin/env python3
"""tests/tree/run.py: checks on the source tree itself, printed as TAP.

1. No module of src/ is part of an include cycle.  A module is a .c file
   and the .h of the same name; module A depends on module B when A.c or
   A.h includes "B.h".  The template engine (src/tmpl/) is one library
   with its own internal header and is left out.
2. Every C file matches .clang-format (`make format-check`).
3. The README's source-tree table names every module of src/ and nothing
   that is not there.
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "src")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)

results = []


def report(ok, name, lines=()):
    results.append((ok, name, list(lines)))


def modules():
    names = {}
    for f in sorted(os.listdir(SRC)):
        base, ext = os.path.splitext(f)
        if ext in (".c", ".h"):
            names.setdefault(base, []).append(f)
    return names


def include_graph(mods):
    graph = {}
    for mod, files in mods.items():
        deps = set()
        for f in files:
            with open(os.path.join(SRC, f), encoding="utf-8") as fh:
                for dep in INCLUDE.findall(fh.read()):
                    if dep in mods and dep != mod:
                        deps.add(dep)
        graph[mod] = deps
    return graph


def cycles(graph):
    """Tarjan's strongly connected components of more than one module."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def path_in(graph, comp):
    """One cycle through the first module of comp, for the message."""
    start = comp[0]
    prev = {start: None}
    todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph[v]):
            if w == start:
                chain = [v]
                while prev[chain[-1]] is not None:
                    chain.append(prev[chain[-1]])
                return " -> ".join(reversed(chain)) + " -> " + start
            if w in comp and w not in prev:
                prev[w] = v
                todo.append(w)
    return ", ".join(comp)


def check_cycles():
    mods = modules()
    graph = include_graph(mods)
    found = cycles(graph)
    report(not found, "no include cycle between the %d modules of src/" %
           len(mods), ["cycle: " + path_in(graph, c) for c in found])


def check_format():
    if shutil.which("clang-format") is None:
        report(False, "every C file matches .clang-format",
               ["clang-format is not installed (tools/bootstrap.sh test)"])
        return
    run = subprocess.run(["make", "-s", "format-check"], cwd=ROOT,
                         capture_output=True, text=True)
    bad = sorted(set(re.findall(r"^(\S+?\.[ch]):\d+:\d+: error",
                                run.stderr, re.M)))
    report(run.returncode == 0,
           "every C file matches .clang-format (make format-check)",
           ["not formatted: %s (make format)" % f for f in bad] or
           run.stderr.splitlines()[:5])


def check_readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    named = set(re.findall(r"`src/([A-Za-z0-9_]+)\.[ch]`", readme))
    named |= set(re.findall(r"`([A-Za-z0-9_]+)\.c`", readme))
    mods = {m for m, files in modules().items()
            if any(f.endswith(".c") for f in files)}
    missing = sorted(mods - named)
    extra = sorted(m for m in named - mods
                   if not os.path.exists(os.path.join(SRC, "tmpl", m + ".c")))
    report(not missing and not extra,
           "the README's source-tree table names every module of src/",
           ["not in the README: %s.c" % m for m in missing] +
           ["in the README but not in src/: %s.c" % m for m in extra])


check_cycles()
check_format()
check_readme()
print("1..%d" % len(results))
for i, (ok, name, lines) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    for line in lines:
        print("# " + line)
sys.exit(0)
