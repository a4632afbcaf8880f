#!/usr/bin/env python3
"""fascia's integration suite: HTTP through nginx to the test stack.

    tools/stack.sh test up && python3 tests/integration/run.py [REGEX]

prints TAP (one line per test, the plan last) and exits 1 when a test
failed.  REGEX runs only the tests whose description matches.  The stack must
be up (tests/run.sh brings it up and down); the suite loads its own fixtures
(fixtures.sql, all named itest-*) next to the demo content.  The last test
stops fascia with SIGTERM, so bring the stack up again to re-run.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

sys.dont_write_bytecode = True

import lib  # noqa: E402


def load_fixtures():
    path = os.path.join(HERE, "fixtures.sql")
    with open(path, encoding="utf-8") as f:
        try:
            lib.sql_change(f.read())
        except lib.Failure as e:
            print("Bail out! fixtures.sql failed: %s" % e)
            sys.exit(2)


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else None
    r = lib.get("/healthz")
    if r.status != 200:
        print("Bail out! %s/healthz answers %d: is the test stack up?" % (lib.URL, r.status))
        return 2
    load_fixtures()
    # The order matters: first what leaves the stack as it found it (issue
    # 2's pages and protocol, issue 4's finding, issue 8's cache, which
    # reloads fascia twice), then issue 3's comments,
    # whose last tests stop the database, then the faults, whose last test
    # stops fascia (SIGTERM).
    for name in ("pages", "protocol", "test_finding", "cache", "comments",
                 "hostile", "faults"):
        if os.path.exists(os.path.join(HERE, name + ".py")):
            __import__(name)
    return 1 if lib.run_all(only) else 0


if __name__ == "__main__":
    sys.exit(main())
