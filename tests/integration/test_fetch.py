"""grens fetch end to end against a local HTTP server (fetch_server.py).

Every failure case first gives the feed a good current version and then
checks that the failed run left it byte-identical (SHA-256), recorded the
failure in status.json and said why on stderr."""
import fcntl
import glob
import hashlib
import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

from harness import BIN, run, check, finish
from fetch_server import Server, LAST_MODIFIED, make_gtfs
from pbwriter import varint

# Small timeouts and backoff so the whole file runs in seconds.
FAST = ["--retries", "2", "--backoff-ms", "20", "--connect-timeout", "5", "--timeout", "30"]


def field_bytes(num, payload):
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def make_feed_message(timestamp):
    """FeedMessage { header { gtfs_realtime_version: "2.0", timestamp } }."""
    header = field_bytes(1, b"2.0") + varint(3 << 3 | 0) + varint(timestamp)
    return field_bytes(1, header)


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def status(cache, name):
    with open(os.path.join(cache, name, "status.json")) as f:
        return json.load(f)


srv = Server(lifetime=150)
tmp = tempfile.TemporaryDirectory(prefix="grens-fetch-")
CACHE = os.path.join(tmp.name, "cache")


def fetch(name, path, *extra, kind=None, env=None, timeout=60):
    args = ["fetch", "--url", srv.url(path), "--name", name, "--cache", CACHE, *FAST]
    if kind:
        args += ["--kind", kind]
    return run(*args, *extra, env=env, timeout=timeout)


def serve(path, body):
    srv.state.bodies[path] = body
    return body


try:
    r = run("fetch", "--help")
    check(r.returncode == 0 and "--max-bytes" in r.stdout and "status.json" in r.stdout,
          "fetch --help describes the options")
    r = run("fetch", "--bogus")
    check(r.returncode == 2 and "unknown option" in r.stderr, "unknown option exits 2")
    r = run("fetch", "--url", "ftp://x/y.zip", "--name", "x", "--cache", CACHE)
    check(r.returncode == 2 and "http://" in r.stderr, "a non-http URL is refused")
    r = run("fetch", "--url", srv.url("/plain/x"), "--name", "../evil", "--cache", CACHE)
    check(r.returncode == 2 and "feed name" in r.stderr, "a name with a slash is refused")

    # ---- 200 then 304 with ETag --------------------------------------------------
    v1 = serve("/etag/a/v1", make_gtfs("v1"))
    r = fetch("etag", "/etag/a/v1")
    cur = os.path.join(CACHE, "etag", "current.zip")
    check(r.returncode == 0 and "updated" in r.stdout, "first fetch downloads: " + r.stderr)
    check(os.path.isfile(cur) and sha(cur) == hashlib.sha256(v1).hexdigest(),
          "current.zip is the served body")
    s = status(CACHE, "etag")
    check(s["etag"] == '"v1"' and s["http_status"] == 200 and s["last_result"] == "updated",
          "status records ETag, 200, updated: %r" % s)
    check(s["sha256"] == hashlib.sha256(v1).hexdigest() and s["size"] == len(v1),
          "status records SHA-256 and size")
    check(s["consecutive_failures"] == 0 and s["last_error"] is None, "no failure recorded")
    check(s["last_attempt"] and s["last_success"] == s["last_attempt"], "timestamps set")
    r = fetch("etag", "/etag/a/v1")
    reqs = srv.state.requests("/etag/a/v1")
    check(r.returncode == 0 and "not modified" in r.stdout, "second fetch: not modified")
    check(len(reqs) == 2 and reqs[1][2].get("If-None-Match") == '"v1"',
          "second request carries If-None-Match")
    check("If-None-Match" not in reqs[0][2], "first request is unconditional")
    check(sha(cur) == hashlib.sha256(v1).hexdigest(), "304 leaves current as it was")
    check(status(CACHE, "etag")["last_result"] == "not_modified"
          and status(CACHE, "etag")["http_status"] == 304, "status says not_modified")
    check(os.listdir(os.path.join(CACHE, "etag", "versions")) == [], "304 keeps no version")
    # A new version replaces current and keeps the old one under versions/.
    v2 = serve("/etag/a/v2", make_gtfs("v2"))
    r = fetch("etag", "/etag/a/v2")
    check(r.returncode == 0 and sha(cur) == hashlib.sha256(v2).hexdigest(),
          "a changed feed replaces current")
    vers = glob.glob(os.path.join(CACHE, "etag", "versions", "*.zip"))
    check(len(vers) == 1 and sha(vers[0]) == hashlib.sha256(v1).hexdigest(),
          "the previous version is kept: %r" % vers)
    # --force skips the conditional headers; same bytes -> "unchanged".
    r = fetch("etag", "/etag/a/v2", "--force")
    check(r.returncode == 0 and "unchanged" in r.stdout, "forced refetch of same bytes")
    check("If-None-Match" not in srv.state.requests("/etag/a/v2")[-1][2],
          "--force sends no If-None-Match")

    # A hand-edited status.json must not inject header lines through its ETag.
    s = status(CACHE, "etag")
    s["etag"] = '"v2"\r\nX-Injected: 1'
    with open(os.path.join(CACHE, "etag", "status.json"), "w") as f:
        json.dump(s, f)
    r = fetch("etag", "/etag/a/v2")
    hdrs = srv.state.requests("/etag/a/v2")[-1][2]
    check(r.returncode == 0 and "X-Injected" not in hdrs and "If-None-Match" not in hdrs,
          "a validator with a line break is not sent: %r" % hdrs)
    check(status(CACHE, "etag")["etag"] == '"v2"', "the served ETag replaces it")
    # A damaged status.json costs only the conditional request.
    with open(os.path.join(CACHE, "etag", "status.json"), "w") as f:
        f.write("{ not json")
    r = fetch("etag", "/etag/a/v2")
    check(r.returncode == 0 and "unchanged" in r.stdout, "damaged status: full GET, unchanged")
    check(status(CACHE, "etag")["sha256"] == hashlib.sha256(v2).hexdigest(),
          "damaged status rewritten with the SHA-256 of current")
    # A second run on the same feed while one holds the lock fails at once.
    with open(os.path.join(CACHE, "etag", ".lock"), "a") as lockf:
        fcntl.flock(lockf, fcntl.LOCK_EX)
        r = fetch("etag", "/etag/a/v1", "--force")
        fcntl.flock(lockf, fcntl.LOCK_UN)
    check(r.returncode == 1 and "locked by another fetch" in r.stderr, "locked feed: " + r.stderr)
    check(sha(cur) == hashlib.sha256(v2).hexdigest(), "locked feed: current untouched")

    # ---- Last-Modified only ---------------------------------------------------------
    lm = serve("/lm/b", make_gtfs("lm"))
    r = fetch("lm", "/lm/b")
    check(r.returncode == 0 and status(CACHE, "lm")["last_modified"] == LAST_MODIFIED,
          "Last-Modified stored")
    check(status(CACHE, "lm")["etag"] is None, "no ETag stored when none was sent")
    r = fetch("lm", "/lm/b")
    reqs = srv.state.requests("/lm/b")
    check(r.returncode == 0 and "not modified" in r.stdout, "If-Modified-Since gives 304")
    check(reqs[-1][2].get("If-Modified-Since") == LAST_MODIFIED, "If-Modified-Since sent")

    # ---- the good feed every failure case starts from -------------------------------
    good = serve("/plain/good", make_gtfs("good"))
    r = fetch("good", "/plain/good")
    gcur = os.path.join(CACHE, "good", "current.zip")
    good_sha = hashlib.sha256(good).hexdigest()
    check(r.returncode == 0 and sha(gcur) == good_sha, "good feed fetched")
    failures = 0

    def failed_run(what, path, expect, *extra, requests=None):
        """Run a fetch that must fail; the good feed must be byte-identical."""
        global failures
        before = len(srv.state.requests(path))
        r = fetch("good", path, *extra)
        failures += 1
        check(r.returncode == 1, "%s: exit 1 (got %d)" % (what, r.returncode))
        check(expect in r.stderr and "good" in r.stderr,
              "%s: stderr names the feed and says '%s': %s" % (what, expect, r.stderr))
        check(sha(gcur) == good_sha, "%s: current.zip is byte-identical" % what)
        s = status(CACHE, "good")
        check(s["last_result"] == "failed" and expect in (s["last_error"] or ""),
              "%s: status records the error: %r" % (what, s["last_error"]))
        check(s["consecutive_failures"] == failures,
              "%s: consecutive_failures %d == %d" % (what, s["consecutive_failures"], failures))
        check(s["sha256"] == good_sha, "%s: status keeps the current SHA-256" % what)
        check(glob.glob(os.path.join(CACHE, "good", ".part-*")) == [],
              "%s: no temporary file left" % what)
        if requests is not None:
            n = len(srv.state.requests(path)) - before
            check(n == requests, "%s: %d requests, expected %d" % (what, n, requests))
        return r

    # 404: not retried.
    failed_run("404", "/missing/x", "HTTP 404", requests=1)
    # 503 every time: the first attempt plus --retries 2.
    failed_run("503", "/always500/x", "HTTP 503", requests=3)
    # A body shorter than its Content-Length: retried, then failed.
    serve("/short/x", good[:200])
    failed_run("truncated", "/short/x", "truncated", "--retries", "1", requests=2)
    # A stalled server: low-speed timeout after about 1 s.
    failed_run("stall", "/stall/x", "timed out", "--retries", "0", "--low-speed-time", "1",
               "--low-speed-bytes", "1000", requests=1)
    # Over the size cap while streaming (no Content-Length) and announced.
    failed_run("cap stream", "/bigstream/x", "size cap", "--max-bytes", "1M", requests=1)
    failed_run("cap length", "/biglength/x", "size cap", "--max-bytes", "1M", requests=1)
    # A redirect loop and a redirect to another protocol.
    failed_run("redirect loop", "/loop/x", "redirects", "--max-redirects", "3")
    failed_run("redirect ftp", "/toftp/x", "only http and https", requests=1)
    # An HTML page instead of a zip.
    failed_run("html", "/html/x", "not a valid gtfs", requests=1)
    # A 200 that is a zip but not GTFS.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    serve("/plain/notgtfs", buf.getvalue())
    failed_run("zip without GTFS files", "/plain/notgtfs", "not a valid gtfs", requests=1)

    # Recovery resets the failure count.
    r = fetch("good", "/plain/good")
    check(r.returncode == 0 and status(CACHE, "good")["consecutive_failures"] == 0,
          "a success resets consecutive_failures")

    # ---- retries that succeed ---------------------------------------------------------
    fl = serve("/flaky/x", make_gtfs("flaky"))
    r = fetch("flaky", "/flaky/x", "--retries", "3")
    check(r.returncode == 0 and sha(os.path.join(CACHE, "flaky", "current.zip"))
          == hashlib.sha256(fl).hexdigest(), "500, 500, then 200 succeeds")
    # 2 failures + 1 success = 3 requests, and attempts in status says so.
    check(len(srv.state.requests("/flaky/x")) == 3 and status(CACHE, "flaky")["attempts"] == 3,
          "three requests for 500, 500, 200")
    busy = serve("/busy/x", make_gtfs("busy"))
    r = fetch("busy", "/busy/x", "--retries", "2", "--backoff-ms", "10")
    reqs = srv.state.requests("/busy/x")
    check(r.returncode == 0 and len(reqs) == 2, "429 then 200 succeeds")
    # Retry-After: 1 (seconds) beats the 10 ms backoff: the retry comes >= 1 s later
    # (server-side clock; a lower bound, not a speed measurement).
    check(len(reqs) == 2 and reqs[1][1] - reqs[0][1] >= 0.95,
          "Retry-After honoured: %.3f s" % (reqs[1][1] - reqs[0][1] if len(reqs) == 2 else -1))
    mv = serve("/plain/moved-target", make_gtfs("moved"))
    r = fetch("moved", "/moved/plain/moved-target")
    check(r.returncode == 0 and sha(os.path.join(CACHE, "moved", "current.zip"))
          == hashlib.sha256(mv).hexdigest(), "one redirect is followed")

    # ---- the cache cannot be written ----------------------------------------------------
    # Tests run as root, so permissions do not stop writes: use a path whose
    # parent is a regular file.
    blocker = os.path.join(tmp.name, "blocker")
    with open(blocker, "w") as f:
        f.write("x")
    r = run("fetch", "--url", srv.url("/plain/good"), "--name", "good", "--cache",
            os.path.join(blocker, "cache"), *FAST)
    check(r.returncode == 1 and "cannot create directory" in r.stderr,
          "unwritable cache: clear error: " + r.stderr)
    # Inside an existing entry: versions/ replaced by a file.
    serve("/plain/blocked", make_gtfs("blocked"))
    r = fetch("blocked", "/plain/blocked")
    bcur = os.path.join(CACHE, "blocked", "current.zip")
    bsha = sha(bcur)
    vdir = os.path.join(CACHE, "blocked", "versions")
    os.rmdir(vdir)
    with open(vdir, "w") as f:
        f.write("not a directory")
    serve("/plain/blocked2", make_gtfs("blocked2"))
    r = fetch("blocked", "/plain/blocked2")
    check(r.returncode == 1 and "versions" in r.stderr, "versions/ not a directory fails")
    check(sha(bcur) == bsha, "blocked cache: current.zip byte-identical")
    check(status(CACHE, "blocked")["consecutive_failures"] == 1, "blocked: failure recorded")

    # ---- killed during a download --------------------------------------------------------
    args = [BIN, "fetch", "--url", srv.url("/slow/k"), "--name", "good", "--cache", CACHE,
            *FAST]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and srv.state.sent.get("/slow/k", 0) < 64 * 1024:
        time.sleep(0.05)
    parts = glob.glob(os.path.join(CACHE, "good", ".part-*"))
    check(srv.state.sent.get("/slow/k", 0) >= 64 * 1024 and len(parts) == 1,
          "download under way with a temporary file")
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    check(p.returncode == -signal.SIGKILL, "grens was killed")
    check(sha(gcur) == good_sha, "killed: current.zip byte-identical")
    check(status(CACHE, "good")["sha256"] == good_sha, "killed: status.json intact")
    g2 = serve("/plain/good2", make_gtfs("good2"))
    r = fetch("good", "/plain/good2")
    check(r.returncode == 0 and sha(gcur) == hashlib.sha256(g2).hexdigest(),
          "the next run updates")
    check(glob.glob(os.path.join(CACHE, "good", ".part-*")) == [],
          "the next run removes the interrupted temporary file")

    # ---- bounded versions ------------------------------------------------------------------
    served = []
    for i in range(4):
        served.append(serve("/plain/ver%d" % i, make_gtfs("ver%d" % i)))
        r = fetch("ver", "/plain/ver%d" % i, "--keep-versions", "2")
        check(r.returncode == 0, "version %d fetched" % i)
    # 4 downloads: current is ver3; ver0..ver2 were kept in turn, only the 2 newest stay.
    kept = sorted(glob.glob(os.path.join(CACHE, "ver", "versions", "*.zip")))
    want = {hashlib.sha256(served[i]).hexdigest() for i in (1, 2)}
    check(len(kept) == 2 and {sha(k) for k in kept} == want, "two newest old versions kept")
    check(all(re.fullmatch(r"\d{10}-\d{8}T\d{6}Z-[0-9a-f]{12}\.zip", os.path.basename(k))
              and os.path.basename(k)[28:40] == sha(k)[:12] for k in kept),
          "version names: <seq>-<UTC>-<sha12>.zip: %r" % kept)

    # ---- GTFS-realtime ------------------------------------------------------------------------
    pb = serve("/plain/rt.pb", make_feed_message(1764316800))
    r = fetch("rt", "/plain/rt.pb", kind="gtfs-rt")
    rcur = os.path.join(CACHE, "rt", "current.pb")
    check(r.returncode == 0 and os.path.isfile(rcur)
          and sha(rcur) == hashlib.sha256(pb).hexdigest(), "a FeedMessage is cached as current.pb")
    check(status(CACHE, "rt")["kind"] == "gtfs-rt", "status kind gtfs-rt")
    r = fetch("rt", "/html/rt", kind="gtfs-rt")
    check(r.returncode == 1 and "not a valid gtfs-rt" in r.stderr
          and sha(rcur) == hashlib.sha256(pb).hexdigest(), "an HTML page is not a FeedMessage")

    # ---- progress on a terminal only -----------------------------------------------------
    serve("/plain/prog", make_gtfs("prog", padding=400000))
    r = fetch("prog-pipe", "/plain/prog")
    check(r.returncode == 0 and "MB/s" not in r.stderr,
          "no progress when stderr is not a terminal")
    try:
        master, slave = pty.openpty()
    except OSError as e:
        master = None
        print("SKIP: no pseudo-terminal (%s); terminal progress not tested" % e, file=sys.stderr)
    if master is not None:
        p = subprocess.Popen([BIN, "fetch", "--url", srv.url("/plain/prog"), "--name", "prog-tty",
                              "--cache", CACHE, *FAST], stdout=subprocess.DEVNULL,
                             stderr=slave)
        os.close(slave)
        tty_out = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO once the child has closed the terminal
                break
            if not chunk:
                break
            tty_out += chunk
        os.close(master)
        p.wait(timeout=30)
        check(p.returncode == 0 and b"prog-tty: " in tty_out and b"MB/s" in tty_out,
              "progress with rate on a terminal: %r" % tty_out[:200])

    # ---- feeds.yaml -----------------------------------------------------------------------------
    conf = os.path.join(tmp.name, "feeds.yaml")
    serve("/plain/c1", make_gtfs("c1"))
    serve("/plain/c2", make_gtfs("c2"))
    with open(conf, "w") as f:
        f.write("# test list\ndefaults:\n  retries: 0\n\nfeeds:\n"
                "  - name: c-one\n    kind: gtfs\n    url: %s\n    licence: CC0\n\n"
                "  - name: c-missing\n    kind: gtfs\n    url: %s\n\n"
                "  - name: c-mirror\n    kind: gtfs\n    url: %s\n    mirror: [%s]\n\n"
                "  - name: c-small\n    kind: gtfs\n    url: %s\n    max_bytes: 100\n\n"
                "  - name: c-key\n    kind: gtfs\n    url: %s\n"
                "    header_env: \"X-Api-Key: GRENS_TEST_KEY\"\n"
                "    header:\n      - \"Accept: application/zip\"\n    enabled: no\n\n"
                "  - name: c-both\n    kind: gtfs\n    url: %s\n    mirror: %s\n"
                "    enabled: no\n"
                % (srv.url("/plain/c1"), srv.url("/missing/c"), srv.url("/missing/m"),
                   srv.url("/plain/c2"), srv.url("/plain/c1"), srv.url("/plain/c2"),
                   srv.url("/always500/b"), srv.url("/missing/b")))
    r = run("fetch", "--config", conf, "--list")
    check(r.returncode == 0 and "c-one" in r.stdout and "(disabled)" in r.stdout, "--list")
    r = run("fetch", "--config", conf, "--cache", CACHE, *FAST[2:])
    check(r.returncode == 1, "a run with a failing feed exits 1")
    check("c-missing" in r.stderr and "HTTP 404" in r.stderr and "c-one" not in r.stderr,
          "the failing feed is named with its reason: " + r.stderr)
    check("c-one: updated" in r.stdout and "c-mirror: updated" in r.stdout,
          "other feeds still fetched: " + r.stdout)
    # c-small: feeds.yaml caps it at 100 bytes; the zip is larger.
    check("c-small" in r.stderr and "size cap of 100 bytes" in r.stderr, "per-feed max_bytes applies")
    check("2 of 4 feeds failed" in r.stderr, "summary counts enabled feeds only")
    check(not os.path.exists(os.path.join(CACHE, "c-key")), "disabled feed skipped")
    check(status(CACHE, "c-missing")["consecutive_failures"] == 1, "failure recorded in status")
    r = run("fetch", "--config", conf, "--cache", CACHE, "--only", "c-small", "--max-bytes",
            "1M", *FAST[2:])
    check(r.returncode == 0, "--max-bytes on the command line beats feeds.yaml: " + r.stderr)
    r = run("fetch", "--config", conf, "--cache", CACHE, "--only", "c-one", *FAST[2:])
    # /plain/ sends no validators: a full GET of the same bytes is "unchanged".
    check(r.returncode == 0 and "c-one: unchanged" in r.stdout and "c-missing" not in r.stderr,
          "--only fetches one feed: " + r.stdout + r.stderr)
    r = run("fetch", "--config", conf, "--cache", CACHE, "--only", "nope")
    check(r.returncode == 2 and "no feed [nope]" in r.stderr, "--only with an unknown name")
    # When the main URL and its mirror both fail, both reasons are given.
    r = run("fetch", "--config", conf, "--cache", CACHE, "--only", "c-both", *FAST[2:])
    check(r.returncode == 1 and "/always500/b: HTTP 503; mirror: " in r.stderr
          and "/missing/b: HTTP 404" in r.stderr, "both failures named: " + r.stderr)
    check(len(srv.state.requests("/always500/b")) == 1
          and len(srv.state.requests("/missing/b")) == 1, "retries 0 from defaults")
    # An API key header comes from the environment and is never stored.
    env = dict(os.environ)
    env.pop("GRENS_TEST_KEY", None)
    r = subprocess.run([BIN, "fetch", "--config", conf, "--cache", CACHE, "--only", "c-key"],
                       capture_output=True, text=True, timeout=60, env=env)
    check(r.returncode == 1 and "GRENS_TEST_KEY is not set" in r.stderr,
          "missing key variable named: " + r.stderr)
    r = run("fetch", "--config", conf, "--cache", CACHE, "--only", "c-key", *FAST[2:],
            env={"GRENS_TEST_KEY": "s3cret-value"})
    reqs = srv.state.requests("/plain/c2")
    check(r.returncode == 0 and reqs[-1][2].get("X-Api-Key") == "s3cret-value"
          and reqs[-1][2].get("Accept") == "application/zip", "headers sent")
    stored = open(os.path.join(CACHE, "c-key", "status.json")).read()
    check("s3cret" not in stored, "the key is not in status.json")
    # Config errors carry file:line:column and the key.
    with open(conf, "w") as f:
        f.write("feeds:\n  - name: a\n    kind: gtfs\n    url: http://127.0.0.1/x\n"
                "    colour: red\n")
    r = run("fetch", "--config", conf, "--cache", CACHE)
    check(r.returncode == 1 and conf + ":5:5: colour: feed: unknown key 'colour'" in r.stderr,
          "unknown key reported with file:line:column: " + r.stderr)
    with open(conf, "w") as f:
        f.write("feeds:\n  - name: a\n    kind: gtfs\n\n"
                "  - name: b\n    kind: gtfs\n    url: http://127.0.0.1/x\n")
    r = run("fetch", "--config", conf, "--cache", CACHE)
    check(r.returncode == 1 and conf + ":2: url: feed [a] has no url" in r.stderr,
          "missing url reported at the feed's line: " + r.stderr)
    with open(conf, "w") as f:
        f.write("feeds:\n  - name: a\n    kind: gtfs\n    url: http://127.0.0.1/x\n"
                "    retries: [1, 2]\n")
    r = run("fetch", "--config", conf, "--cache", CACHE)
    check(r.returncode == 1 and conf + ":5:14: retries: expected a single value, not a list"
          in r.stderr, "a list where one value belongs: " + r.stderr)
    r = run("fetch", "--config", os.path.join(tmp.name, "absent.conf"), "--cache", CACHE)
    check(r.returncode == 1 and "absent.conf" in r.stderr, "missing config file")
    # A list that selects nothing is a broken setup, not a successful run.
    for text in ("", "# every feed removed\n\n", "defaults:\n  retries: 0\n"):
        with open(conf, "w") as f:
            f.write(text)
        r = run("fetch", "--config", conf, "--cache", CACHE)
        check(r.returncode == 1 and r.stderr.strip() ==
              "grens fetch: %s lists no feeds; nothing to fetch" % conf,
              "a list without feeds %r: exit 1 naming the file (%d: %s)"
              % (text, r.returncode, r.stderr))
    with open(conf, "w") as f:
        f.write("feeds:\n  - name: off\n    kind: gtfs\n    url: %s\n    enabled: no\n"
                % srv.url("/plain/c1"))
    r = run("fetch", "--config", conf, "--cache", CACHE)
    check(r.returncode == 1 and r.stdout == "" and
          "%s lists no enabled feeds (1 disabled; --only NAME fetches one)" % conf in r.stderr,
          "only disabled feeds: exit 1 (%d: %s)" % (r.returncode, r.stderr))
    check(not os.path.exists(os.path.join(CACHE, "off")), "nothing fetched")
    r = run("fetch", "--config", conf, "--cache", CACHE, "--list")
    check(r.returncode == 0 and "(disabled)" in r.stdout, "--list still lists them")
    # The shipped feed list parses and names the required feeds.
    src = os.environ.get("GRENS_SOURCE_ROOT", ".")
    r = run("fetch", "--config", os.path.join(src, "feeds", "feeds.yaml"), "--list")
    check(r.returncode == 0 and r.stderr == "", "feeds/feeds.yaml parses: " + r.stderr)
    for needle in ("gtfs.ovapi.nl/nl/gtfs-nl.zip", "tripUpdates.pb", "vehiclePositions.pb",
                   "alerts.pb", "trainUpdates.pb", "download.gtfs.de", "opendata.avv.de",
                   "vrsinfo.de"):
        check(needle in r.stdout, "feeds.yaml lists " + needle)
finally:
    srv.close()
    tmp.cleanup()

finish()
