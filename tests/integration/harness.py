"""Helpers for the end-to-end tests of the grens binary."""
import importlib
import os
import shutil
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


def fixture_zip(name):
    """The files of tests/fixtures/NAME as the bytes of a GTFS .zip."""
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        src = os.path.join(FIXTURES, name)
        for member in sorted(os.listdir(src)):
            z.write(os.path.join(src, member), member)
    return buf.getvalue()


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        frame = sys._getframe(1)
        print(f"{frame.f_code.co_filename}:{frame.f_lineno}: FAILED: {what}", file=sys.stderr)


def part_is(part):
    """A test with checks on ../shared runs as two meson tests (GRENS_TEST_PART
    local and shared), so skipped checks are counted as skipped; unset, both."""
    p = os.environ.get("GRENS_TEST_PART", "")
    return not p or p == part


def _shared_present():
    return bool(SHARED) and os.path.isfile(os.path.join(SHARED, "DESIGN.md"))


def _skip_reason():
    return f"SKIP: {SHARED or '../shared'} is absent; tests on the shared real feeds skipped"


def shared_dir():
    """../shared, or None when this part skips the shared checks or it is
    absent (then with a message)."""
    if not part_is("shared"):
        return None
    if _shared_present():
        return SHARED
    print(_skip_reason(), file=sys.stderr)
    return None


# The shared part of a test has nothing to do without ../shared: skipped
# (exit 77) before it starts, with the reason on stdout for tools/test.
if os.environ.get("GRENS_TEST_PART") == "shared" and not _shared_present():
    print(_skip_reason())
    sys.exit(77)


def finish():
    print(f"{checks} checks, {failures} failed", file=sys.stderr)
    sys.exit(1 if failures else 0)


def debian_module(name):
    """Import module name, also from Debian's python3-* packages when the
    tests run under another python3; None when it is not installed."""
    try:
        return importlib.import_module(name)
    except ImportError:
        pass
    if "/usr/lib/python3/dist-packages" not in sys.path:
        sys.path.append("/usr/lib/python3/dist-packages")
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def browser_missing():
    """What a browser test lacks of Debian's chromium, chromium-driver and
    python3-selenium (tools/setup --test-deps installs them), as package
    names; empty when all are there."""
    missing = []
    if debian_module("selenium.webdriver") is None:
        missing.append("python3-selenium")
    if CHROMIUM is None:
        missing.append("chromium")
    if not os.path.isfile(CHROMEDRIVER):
        missing.append("chromium-driver")
    return missing


def headless_chrome(*args, logs=None):
    """Chromium, headless, through chromedriver, with args added to the
    usual ones and logs as its goog:loggingPrefs. Call browser_missing()
    first."""
    webdriver = debian_module("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--disable-background-networking", "--disable-component-update", "--no-first-run",
              "--hide-scrollbars", *args):
        opts.add_argument(a)
    if logs:
        opts.set_capability("goog:loggingPrefs", logs)
    return webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
