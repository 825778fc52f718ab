"""Helpers for the end-to-end tests of the grens binary."""
import os
import subprocess
import sys

BIN = os.environ.get("GRENS_BIN", "grens")
SOURCE = os.environ.get("GRENS_SOURCE_ROOT", ".")
SHARED = os.environ.get("GRENS_SHARED", "")
FIXTURES = os.path.join(SOURCE, "tests", "fixtures")

failures = 0
checks = 0


def run(*args, timeout=120, env=None, stdin=None):
    """Run grens with args; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout,
                          env=e, input=stdin)


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        frame = sys._getframe(1)
        print(f"{frame.f_code.co_filename}:{frame.f_lineno}: FAILED: {what}", file=sys.stderr)


def shared_dir():
    """../shared, or None (with a message) when it is absent."""
    if SHARED and os.path.isfile(os.path.join(SHARED, "DESIGN.md")):
        return SHARED
    print(f"SKIP: {SHARED or '../shared'} is absent; tests on the shared real feeds skipped",
          file=sys.stderr)
    return None


def finish():
    print(f"{checks} checks, {failures} failed", file=sys.stderr)
    sys.exit(1 if failures else 0)
