"""grens fetch on a full disk: the last good feed stays, and a status.json that
cannot be written is named on stderr with exit status 1, never left stale in
silence.

The cache lives on a small tmpfs that is then filled up (needs root and
mount(2)); without those, a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored)
makes the same writes fail with EFBIG. Exit status 77 (skipped) when neither
works."""
import errno
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile

from harness import BIN, check, finish
from fetch_server import Server, make_gtfs

FAST = ["--retries", "0", "--connect-timeout", "5", "--timeout", "30"]


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


tmp = tempfile.TemporaryDirectory(prefix="grens-fetch-disk-")
mnt = os.path.join(tmp.name, "disk")
os.makedirs(mnt)
mounted = False
method = None
if os.geteuid() == 0:
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt],
                       capture_output=True, text=True)
    mounted = r.returncode == 0
    if mounted:
        method = "tmpfs"
    else:
        print("note: cannot mount a tmpfs (%s); using RLIMIT_FSIZE" % r.stderr.strip(),
              file=sys.stderr)
if not method and hasattr(resource, "RLIMIT_FSIZE") and hasattr(signal, "SIGXFSZ"):
    method = "rlimit"
if not method:
    print("SKIP: neither a tmpfs (root) nor RLIMIT_FSIZE is available", file=sys.stderr)
    sys.exit(77)
reason = "No space left on device" if method == "tmpfs" else "File too large"
CACHE = os.path.join(mnt, "cache")


def fill_disk():
    """Take every free block of the tmpfs (the rlimit method needs nothing)."""
    if method != "tmpfs":
        return
    with open(os.path.join(mnt, "filler"), "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError as e:
            check(e.errno == errno.ENOSPC, "the tmpfs is full: %s" % e)
    with open(os.path.join(mnt, "filler2"), "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0")
        except OSError:
            pass


def limited():
    # Files may not grow beyond 64 bytes; SIGXFSZ would kill grens, so it is
    # ignored and write() fails with EFBIG instead.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def fetch(path, full):
    args = [BIN, "fetch", "--url", srv.url(path), "--name", "f", "--cache", CACHE, *FAST]
    pre = limited if full and method == "rlimit" else None
    return subprocess.run(args, capture_output=True, text=True, timeout=60, preexec_fn=pre,
                          restore_signals=pre is None)


srv = Server(lifetime=100)
try:
    v1 = make_gtfs("v1", padding=4096)
    srv.state.bodies["/etag/f/v1"] = v1
    r = fetch("/etag/f/v1", full=False)
    cur = os.path.join(CACHE, "f", "current.zip")
    status_path = os.path.join(CACHE, "f", "status.json")
    check(r.returncode == 0 and "updated" in r.stdout, "first fetch with room: " + r.stderr)
    with open(status_path) as f:
        before = f.read()
    fill_disk()

    # Not modified: the feed is fine, but its status cannot be recorded.
    r = fetch("/etag/f/v1", full=True)
    check(r.returncode == 1, "full disk, 304: exit 1 (got %d: %s)" % (r.returncode, r.stderr))
    check("f: not modified" in r.stdout, "the feed itself is reported: " + r.stdout)
    want = "f: status not recorded: cannot write %s: %s" % (status_path, reason)
    check(want in r.stderr, "stderr names status.json and why (%s): %s" % (want, r.stderr))
    check("failed after" not in r.stderr, "the feed is not called failed: " + r.stderr)
    with open(status_path) as f:
        check(f.read() == before, "status.json is the earlier run's, untouched")
    check(sha(cur) == hashlib.sha256(v1).hexdigest(), "current.zip kept")

    # A new version does not fit: the download fails, the status too.
    srv.state.bodies["/etag/f/v2"] = make_gtfs("v2", padding=4096)
    r = fetch("/etag/f/v2", full=True)
    check(r.returncode == 1, "full disk, new version: exit 1 (%d)" % r.returncode)
    check("f: failed after 1 attempt" in r.stderr and reason in r.stderr,
          "the failed download is named: " + r.stderr)
    check(want in r.stderr, "and so is the status not written: " + r.stderr)
    check(sha(cur) == hashlib.sha256(v1).hexdigest(), "current.zip still the last good one")
    check(sorted(os.listdir(os.path.join(CACHE, "f"))) == [".lock", "current.zip",
                                                            "status.json", "versions"],
          "no temporary files left: %s" % os.listdir(os.path.join(CACHE, "f")))
    with open(status_path) as f:
        check(json.load(f)["last_result"] == "updated", "status.json still says updated")
finally:
    srv.close()
    if mounted:
        subprocess.run(["umount", mnt])
    tmp.cleanup()

finish()
