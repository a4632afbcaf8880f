#!/usr/bin/env python3
"""tests/tree/run.py: checks on the source tree itself, printed as TAP.

1. No module of src/ is part of an include cycle.  A module is a .c file
   and the .h of the same name; module A depends on module B when A.c or
   A.h includes "B.h".  The template engine (src/tmpl/) is one library
   with its own internal header and is left out.
2. Every C file matches .clang-format (`make format-check`).
3. The README's source-tree table names every module of src/ and nothing
   that is not there.
4. Every manual page of man/ is clean under `mandoc -Tlint -W warning`.
5. man/fascia.conf.5 has an item for every key that conf/fascia.conf sets
   or shows commented out and for every key of src/conf.c, and none for a
   key that src/conf.c does not know.
6. man/fascia.8 has a subsection or an item for every command of the
   command table of src/main.c, and in a command's subsection an item for
   every subcommand of its table (src/cli_*.c).
"""
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(ROOT, "src")
MAN = os.path.join(ROOT, "man")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"', re.M)
# A key's line in conf/fascia.conf, set or commented out: "key = value",
# "#key = value", "; key = value".
CONF_LINE = re.compile(r"^[#;]?[ \t]*([a-z][a-z0-9_]*)[ \t]*=", re.M)
# An item of a page: ".It Cm name ..." (or ".It Ic name"), or ".It Xo"
# with ".Cm name" on the next line.
MAN_ITEM = re.compile(
    r"^\.It[ \t]+(?:Xo[ \t]*\n\.)?(?:Cm|Ic)[ \t]+([^ \t\n]+)", re.M)
MAN_HEADING = re.compile(r"^\.(Sh|Ss)[ \t]+(.*)$", re.M)

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


def read(*path):
    with open(os.path.join(ROOT, *path), encoding="utf-8") as fh:
        return fh.read()


def c_table(text, decl):
    """The body of the table declared by decl (a regex) in C text."""
    m = re.search(decl + r"\s*=\s*\{(.*?)\n\};", text, re.S)
    return m.group(1) if m else None


def check_man_lint():
    name = "every page of man/ is clean under mandoc -Tlint -W warning"
    if shutil.which("mandoc") is None:
        report(False, name,
               ["mandoc is not installed (tools/bootstrap.sh test)"])
        return
    pages = sorted(f for f in os.listdir(MAN) if re.search(r"\.[1-9]$", f)) \
        if os.path.isdir(MAN) else []
    lines = [] if pages else ["no manual page in man/"]
    for page in pages:
        run = subprocess.run(["mandoc", "-Tlint", "-W", "warning",
                              os.path.join("man", page)],
                             cwd=ROOT, capture_output=True, text=True)
        said = (run.stdout + run.stderr).splitlines()
        if run.returncode != 0 or said:
            lines += said or ["man/%s: mandoc exited with status %d" %
                              (page, run.returncode)]
    report(not lines, name + " (%d pages)" % len(pages), lines)


def check_man_conf():
    name = "man/fascia.conf.5 documents every key, and no other"
    if not os.path.exists(os.path.join(MAN, "fascia.conf.5")):
        report(False, name, ["there is no man/fascia.conf.5"])
        return
    known = c_table(read("src", "conf.c"), r"struct conf_key conf_keys\[\]")
    known = re.findall(r'(?:KEY_[A-Z]+\(|\{)\s*"([a-z][a-z0-9_]*)"',
                       known or "")
    if not known:
        report(False, name, ["no key found in conf_keys[] of src/conf.c"])
        return
    in_file = CONF_LINE.findall(read("conf", "fascia.conf"))
    items = set(MAN_ITEM.findall(read("man", "fascia.conf.5")))
    lines = ["no item for %s, which conf/fascia.conf sets" % k
             for k in sorted(set(in_file) - items)]
    lines += ["no item for %s, a key of src/conf.c" % k
              for k in sorted(set(known) - items - set(in_file))]
    lines += ["an item for %s, which src/conf.c does not know" % k
              for k in sorted(items - set(known))]
    report(not lines, name + " (%d keys)" % len(known), lines)


def man_parts(page):
    """The sections and subsections of page, in order: (macro, title,
    the items of the text up to the next heading)."""
    parts = MAN_HEADING.split(page)
    return [(macro, title.strip(), set(MAN_ITEM.findall(body)))
            for macro, title, body in zip(parts[1::3], parts[2::3],
                                          parts[3::3])]


def check_man_commands():
    name = "man/fascia.8 documents every command of src/main.c and its " \
        "subcommands"
    commands = re.findall(r'\{\s*"([a-z][a-z-]*)"\s*,\s*"',
                          c_table(read("src", "main.c"),
                                  r"struct command commands\[\]") or "")
    if not commands:
        report(False, name, ["no command found in commands[] of src/main.c"])
        return
    if not os.path.exists(os.path.join(MAN, "fascia.8")):
        report(False, name, ["there is no man/fascia.8"])
        return
    parts = man_parts(read("man", "fascia.8"))
    subsections = {t: items for m, t, items in parts if m == "Ss"}
    # An item names a command only outside the subsections of commands,
    # where ".It Cm author" may be a front matter key.
    items = set()
    for m, t, its in parts:
        if m == "Sh" or re.sub(r"^fascia ", "", t) not in commands:
            items |= its
    subs = {}  # a command's subcommands, from the table of its file
    for f in sorted(os.listdir(SRC)):
        if not re.match(r"cli_.*\.c$", f):
            continue
        text = read("src", f)
        prog = re.search(r'struct cli_group \w+ = \{\s*"([a-z-]+)"', text)
        table = c_table(text, r"struct cli_sub subs\[\]")
        if prog and table:
            subs[prog.group(1)] = re.findall(r'\{\s*"([a-z-]+)"\s*,', table)
    lines = []
    for cmd in commands:
        ss = subsections.get(cmd, subsections.get("fascia " + cmd))
        if ss is None and cmd not in items:
            lines.append("no subsection or item for %s" % cmd)
            continue
        lines += ["no item for %s %s in its subsection" % (cmd, sub)
                  for sub in subs.get(cmd, []) if sub not in (ss or ())]
    report(not lines, name + " (%d commands, %d subcommands)" %
           (len(commands), sum(len(v) for v in subs.values())), lines)


check_cycles()
check_format()
check_readme()
check_man_lint()
check_man_conf()
check_man_commands()
print("1..%d" % len(results))
for i, (ok, name, lines) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    for line in lines:
        print("# " + line)
sys.exit(0)
