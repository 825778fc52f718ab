"""grens rt record end to end against a local HTTP server.

A scripted feed serves changing FeedMessages, sometimes the same bytes, a
304, a 500, a body cut short of its Content-Length and a body that is half a
message: the archive must hold exactly the distinct valid snapshots and the
failures must be counted. A recorder killed with -9 and restarted leaves no
torn file, rebuilds the index and archives nothing twice. --until and --for
stop it by itself, SIGTERM cleanly; --retention prunes old day folders;
grens nightly starts one background recorder and never a second. Every wait
is bounded."""
import atexit
import datetime
import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from harness import BIN, run, check, finish
from fetch_server import Server
from pbwriter import message, delay_update

tmp = tempfile.mkdtemp(prefix="grens-record-")
started = []  # recorders this test started, stopped at exit whatever happens


@atexit.register
def stop_recorders():
    for pid in started:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
srv = Server(lifetime=300)
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ grens rt record: ")


def feed(ts, n=1):
    """A FeedMessage with header timestamp ts and n trip updates."""
    return message([delay_update("e%d" % k, "t%d" % k, "s1", 60 * k) for k in range(n)],
                   timestamp=ts)


def sha(b):
    return hashlib.sha256(b).hexdigest()


def wait_for(cond, seconds):
    """Poll cond every 50 ms for at most seconds; its last value."""
    end = time.monotonic() + seconds
    while True:
        v = cond()
        if v or time.monotonic() > end:
            return v
        time.sleep(0.05)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def stop(proc, sig):
    """Send sig to a recorder we started and collect its output (killed
    when it has not ended within 20 s)."""
    proc.send_signal(sig)
    try:
        return proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def day_dirs(d):
    return sorted(n for n in os.listdir(d) if re.fullmatch(r"\d{4}-\d\d-\d\d", n))


def scan(d):
    """What an archive folder holds, checked file by file: every snapshot
    decodes from gzip to bytes whose SHA-256 its name and its index row
    carry. Returns (problems, [(feed, sha256)], temporary files)."""
    problems, snaps, temps = [], [], []
    for n in os.listdir(d):
        if n.startswith(".part-"):
            temps.append(n)
    for day in day_dirs(d):
        dd = os.path.join(d, day)
        files = sorted(n for n in os.listdir(dd) if n.endswith(".pb.gz"))
        temps += [n for n in os.listdir(dd) if n.startswith(".part-")]
        rows = {}
        try:
            with open(os.path.join(dd, "index.csv"), encoding="utf-8") as f:
                lines = f.read().splitlines()
            if lines[0] != "received_utc,header_timestamp,feed,sha256,bytes,file":
                problems.append(f"{day}: index header {lines[0]}")
            for line in lines[1:]:
                c = line.split(",")
                rows[c[5]] = c
        except (OSError, IndexError) as e:
            problems.append(f"{day}: index.csv: {e}")
        if sorted(rows) != files:
            problems.append(f"{day}: index lists {sorted(rows)}, folder holds {files}")
        for n in files:
            try:
                with gzip.open(os.path.join(dd, n)) as f:
                    raw = f.read()
            except (OSError, EOFError) as e:
                problems.append(f"{day}/{n}: torn: {e}")
                continue
            h = sha(raw)
            m = re.fullmatch(r"(\d{6})Z-(.+)-([0-9a-f]{12})\.pb\.gz", n)
            if not m or m.group(3) != h[:12]:
                problems.append(f"{day}/{n}: name does not carry its hash {h[:12]}")
            row = rows.get(n)
            if row and (row[3] != h or int(row[4]) != len(raw) or row[2] != m.group(2)):
                problems.append(f"{day}/{n}: index row {row} does not describe it")
            snaps.append((m.group(2) if m else "?", h))
    return problems, snaps, temps


# ---- 1. a scripted feed: what is kept, what is counted --------------------------------
A, B, C = feed(1700000000), feed(1700000030), feed(1700000060, 3)
srv.state.scripts["/script/rt.pb"] = [
    ("200", A),             # 1 new: A
    ("200", A),             # 2 the same bytes: unchanged
    ("304",),               # 3 not modified: unchanged
    ("500",),               # 4 failed (--retries 0: no second try within the poll)
    ("200", B),             # 5 new: B
    ("short", C),           # 6 failed: 1000 bytes fewer than announced
    ("200", C[:len(C) // 2]),  # 7 failed: half a message does not decode
    ("200", C),             # 8 new: C
    ("200", A),             # 9 A again: a new download, but the archive holds it: unchanged
    ("304",),               # 10, 11, ...: unchanged
]
# So: 3 new (A, B, C), 3 failed (polls 4, 6, 7), the other polls unchanged;
# the archive holds exactly A, B and C.
arch1 = os.path.join(tmp, "arch1")
url1 = srv.url("/script/rt.pb")
p = subprocess.Popen([BIN, "rt", "record", "--url", "nl-rt=" + url1, "--out", arch1,
                      "--every", "100ms", "--retries", "0", "--for", "60s"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seen = wait_for(lambda: srv.state.counters.get("/script/rt.pb", 0) >= 12, 30)
check(seen, "the recorder made at least 12 polls within 30 s")
out, err = stop(p, signal.SIGTERM)
check(p.returncode == 0, f"SIGTERM ends it with 0 (got {p.returncode}: {err.strip()})")
check("(stopped by a signal)" in out, f"the summary says a signal stopped it: {out.strip()}")
polls = srv.state.counters.get("/script/rt.pb", 0)
st = load_json(os.path.join(arch1, "status.json")) or {}
check(st.get("polls") == polls, f"status polls {st.get('polls')} = requests served {polls}")
check(st.get("new") == 3, f"status new {st.get('new')} = 3 (A, B, C)")
check(st.get("failed") == 3, f"status failed {st.get('failed')} = 3 (500, short, half)")
check(st.get("unchanged") == polls - 6, f"status unchanged {st.get('unchanged')} = {polls} - 6")
check(st.get("stopped") is not None and st.get("pid") == p.pid, "status: stopped, with the pid")
check(st.get("last_new_snapshot") is not None and st.get("last_poll") is not None,
      "status: last poll and last new snapshot")
f0 = (st.get("feeds") or [{}])[0]
check(f0.get("name") == "nl-rt" and f0.get("url") == url1 and f0.get("new") == 3 and
      f0.get("failed") == 3, f"status of the feed: {f0}")
problems, snaps, temps = scan(arch1)
check(not problems, f"the archive checks out: {problems}")
check(not temps, f"no temporary file left: {temps}")
check(sorted(h for _, h in snaps) == sorted([sha(A), sha(B), sha(C)]),
      f"the archive holds exactly A, B and C: {snaps}")
check(all(f == "nl-rt" for f, _ in snaps), "snapshots carry the feed name")
fails = [l for l in err.splitlines() if "poll failed" in l]
check(len(fails) == 3 and all(LOG_LINE.match(l) for l in fails),
      f"three failure lines with the time first: {fails}")
check(any("HTTP 500" in l for l in fails), "a failure line names the HTTP 500")
check(any("truncated" in l for l in fails), "a failure line names the truncated download")
check(any("not a valid gtfs-rt" in l for l in fails), "a failure line names the bad message")
check("\r" not in err, "no progress output when stderr is not a terminal")

# A restart on the same archive with the feed still answering 304: nothing is
# added twice (the fetcher's validators and the archive's hashes both hold).
r = run("rt", "record", "--url", "nl-rt=" + url1, "--out", arch1, "--every", "100ms",
        "--for", "500ms", timeout=30)
check(r.returncode == 0, f"restart exits 0 (got {r.returncode}: {r.stderr.strip()})")
problems, snaps2, _ = scan(arch1)
check(not problems and sorted(snaps2) == sorted(snaps), f"restart adds nothing: {snaps2}")
check(re.search(r"recorded 0 new snapshot\(s\) in \d+ poll\(s\)", r.stdout),
      f"restart summary: {r.stdout.strip()}")

# ---- 2. kill -9 mid-run, then restart -------------------------------------------------
# A new 200-entity message on every request, so the recorder writes all the time.
srv.state.generators["/gen/rt.pb"] = lambda n: feed(1700000000 + n, 200)
arch2 = os.path.join(tmp, "arch2")
p = subprocess.Popen([BIN, "rt", "record", "--url", srv.url("/gen/rt.pb"), "--out", arch2,
                      "--every", "100ms", "--retries", "0", "--for", "60s"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait_for(lambda: os.path.isdir(arch2) and len(scan(arch2)[1]) >= 6, 30)
p.kill()  # SIGKILL
p.wait(timeout=10)
problems, before, temps = scan(arch2)
check(len(before) >= 6, f"at least 6 snapshots before the kill ({len(before)})")
# Whatever the kill interrupted, every file under a final name is whole; an
# index may lack the last snapshot (killed between the two renames).
check(not [x for x in problems if "torn" in x or "hash" in x], f"no torn file: {problems}")
today = day_dirs(arch2)[-1]
dd = os.path.join(arch2, today)
# Make the crash windows certain rather than likely: a torn temporary file,
# an index that lacks the newest snapshot, a corrupt snapshot, and a
# download the fetcher made current that was never archived.
with open(os.path.join(dd, ".part-x1y2z3"), "wb") as f:
    f.write(b"\x1f\x8b half a snapshot")
with open(os.path.join(dd, "index.csv"), encoding="utf-8") as f:
    rows = f.read().splitlines()
with open(os.path.join(dd, "index.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(rows[:-1]) + "\n")
with open(os.path.join(dd, "000001Z-rt-0123456789ab.pb.gz"), "wb") as f:
    f.write(b"\x1f\x8b\x08\x00 not gzip at all")
D = feed(1600000000, 2)
with open(os.path.join(arch2, ".fetch", "rt", "current.pb"), "wb") as f:
    f.write(D)
# The restart: the generator keeps answering with new messages.
r = run("rt", "record", "--url", srv.url("/gen/rt.pb"), "--out", arch2, "--every", "100ms",
        "--retries", "0", "--for", "1s", timeout=30)
check(r.returncode == 0, f"restart after kill -9 exits 0 (got {r.returncode}: {r.stderr.strip()})")
check(re.search(r"removed 1 temporary file\(s\) of an interrupted write, rebuilt 1 index\(es\) "
                r"from the files, 1 corrupt snapshot\(s\) set aside", r.stderr),
      f"restart says what it repaired: {r.stderr.strip()}")
check("archived the last download of the previous run" in r.stderr,
      "the download the killed run did not archive is archived")
problems, after, temps = scan(arch2)
check(not problems, f"after the restart the archive checks out: {problems}")
check(not temps, f"no temporary file after the restart: {temps}")
check(os.path.isfile(os.path.join(dd, "000001Z-rt-0123456789ab.pb.gz.corrupt")),
      "the corrupt snapshot is set aside as .corrupt")
hashes = [h for _, h in after]
check(len(hashes) == len(set(hashes)), "no snapshot twice")
check(set(h for _, h in before) <= set(hashes), "every snapshot from before the kill is kept")
check(sha(D) in hashes, "the unarchived download is in the archive")
st = load_json(os.path.join(arch2, "status.json")) or {}
check(st.get("new", 0) >= 1 and st.get("polls") == st.get("new", 0) + st.get("unchanged", 0) +
      st.get("failed", 0), f"status counts add up: {st}")

# ---- 2b. a download the archive could not store is stored later -----------------------
# Today's day folder is taken by a plain file, so storing fails (as on a full
# disk); the server then answers 304 only. Once the file is gone, the
# recorder stores the download it already has: the 304 alone would never
# bring it back.
srv.state.scripts["/script/once.pb"] = [("200", feed(1700009000)), ("304",)]
arch5 = os.path.join(tmp, "arch5")
os.makedirs(arch5)
blocker = os.path.join(arch5, datetime.datetime.now(datetime.timezone.utc).date().isoformat())
with open(blocker, "w") as f:
    f.write("not a folder\n")
p = subprocess.Popen([BIN, "rt", "record", "--url", srv.url("/script/once.pb"), "--out", arch5,
                      "--every", "100ms", "--retries", "0", "--for", "60s"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
status5 = lambda: load_json(os.path.join(arch5, "status.json")) or {}
check(wait_for(lambda: status5().get("failed", 0) >= 2, 20),
      f"storing fails while the folder is blocked: {status5()}")
os.unlink(blocker)
check(wait_for(lambda: status5().get("new", 0) == 1, 20),
      f"the download is stored once the folder can be made: {status5()}")
_, err5 = stop(p, signal.SIGTERM)
problems, snaps, _ = scan(arch5)
check(not problems and len(snaps) == 1, f"one snapshot: {snaps} {problems}")
check(srv.state.counters.get("/script/once.pb", 0) >= 3, "the server answered 304 meanwhile")
check("poll failed: cannot" in err5, f"the storing failure is logged: {err5.strip()[:300]}")

# ---- 3. --until and --for stop it by itself --------------------------------------------
srv.state.scripts["/script/steady.pb"] = [("200", A)]
steady = srv.url("/script/steady.pb")
arch3 = os.path.join(tmp, "arch3")
until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
t0 = time.monotonic()
r = run("rt", "record", "--url", steady, "--out", arch3, "--every", "300ms",
        "--until", until.strftime("%Y-%m-%dT%H:%M:%SZ"), timeout=30)
took = time.monotonic() - t0
check(r.returncode == 0, f"--until: exits 0 (got {r.returncode}: {r.stderr.strip()})")
check(took < 10, f"--until 2 s ahead: stopped after {took:.1f} s")
st = load_json(os.path.join(arch3, "status.json")) or {}
check(st.get("until") == until.strftime("%Y-%m-%dT%H:%M:%SZ") and st.get("stopped"),
      f"status has the end time: {st.get('until')}")
t0 = time.monotonic()
r = run("rt", "record", "--url", steady, "--out", arch3, "--every", "200ms", "--for", "1s",
        timeout=30)
took = time.monotonic() - t0
check(r.returncode == 0 and 0.9 <= took < 8, f"--for 1s: exit {r.returncode} after {took:.1f} s")

# ---- 4. retention -------------------------------------------------------------------
# Copies of a snapshot in a day folder long ago and in yesterday's: with
# --retention 2 the oldest kept day is today - 2, so 2020-01-01 goes and
# yesterday stays (both are listed: their indexes are rebuilt from the files).
days = day_dirs(arch1)
snap = sorted(n for n in os.listdir(os.path.join(arch1, days[-1])) if n.endswith(".pb.gz"))[0]
yesterday = (datetime.datetime.now(datetime.timezone.utc).date() -
             datetime.timedelta(days=1)).isoformat()
for old in ("2020-01-01", yesterday):
    os.makedirs(os.path.join(arch1, old), exist_ok=True)
    shutil.copy(os.path.join(arch1, days[-1], snap), os.path.join(arch1, old, snap))
r = run("rt", "record", "--url", "nl-rt=" + steady, "--out", arch1, "--every", "100ms",
        "--for", "300ms", "--retention", "2", timeout=30)
check(r.returncode == 0, f"retention run exits 0 ({r.stderr.strip()})")
check(not os.path.exists(os.path.join(arch1, "2020-01-01")), "2020-01-01 is pruned")
check(os.path.isdir(os.path.join(arch1, yesterday)), "yesterday is kept")
check("removed 1 day folder(s) older than 2 day(s)" in r.stderr, f"says so: {r.stderr.strip()}")

# ---- 5. bad arguments, unusable --out, a second recorder ----------------------------------
for args, code, what in [
        (["--url", steady], 2, "no --out"),
        (["--out", arch3], 2, "neither --url nor --config"),
        (["--url", steady, "--config", "x.conf", "--out", arch3], 2, "--url and --config"),
        (["--url", steady, "--out", arch3, "--every", "50ms"], 2, "--every below 100ms"),
        (["--url", steady, "--out", arch3, "--every", "5x"], 2, "--every with a bad unit"),
        (["--url", steady, "--out", arch3, "--until", "2001-01-01T00:00:00Z"], 2, "--until past"),
        (["--url", steady, "--out", arch3, "--for", "1s", "--until", "2099-01-01T00:00"], 2,
         "--for with --until"),
        (["--url", "ftp:/x", "--out", arch3, "--max-bytes", "0"], 2, "--max-bytes 0"),
        (["--url", steady, "--out", os.path.join(tmp, "arch1", "status.json"), "--for", "1s"], 1,
         "--out is a file")]:
    r = run("rt", "record", *args, timeout=30)
    check(r.returncode == code and "grens rt record:" in r.stderr,
          f"{what}: exit {r.returncode} (want {code}), stderr {r.stderr.strip()[:200]}")
r = run("rt", "record", "--help")
check(r.returncode == 0 and "--retention DAYS" in r.stdout and "Exit status" in r.stdout,
      "--help lists the options and the exit codes")

p = subprocess.Popen([BIN, "rt", "record", "--url", steady, "--out", arch3, "--every", "200ms",
                      "--for", "60s"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def lock_pid(d):
    try:
        with open(os.path.join(d, "record.lock"), encoding="utf-8") as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return 0


def lock_free(d):
    """Whether no process holds d/record.lock (the recorder releases it
    last, after its summary line)."""
    with open(os.path.join(d, "record.lock"), "rb") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(f, fcntl.LOCK_UN)
        return True


check(wait_for(lambda: lock_pid(arch3) == p.pid, 20), "the recorder's pid is in record.lock")
check(not lock_free(arch3), "record.lock is held while it runs")
r = run("rt", "record", "--url", steady, "--out", arch3, "--for", "1s", timeout=30)
check(r.returncode == 3 and f"another recorder (pid {p.pid})" in r.stderr,
      f"a second recorder exits 3 naming the first: {r.returncode} {r.stderr.strip()}")
stop(p, signal.SIGINT)
check(p.returncode == 0, f"SIGINT ends it with 0 (got {p.returncode})")
check(lock_free(arch3), "record.lock is free after it")

# ---- 6. --config: the enabled gtfs-rt feeds of a feed list ---------------------------------
srv.state.scripts["/script/be.pb"] = [("200", feed(1700000500))]
conf = os.path.join(tmp, "feeds.yaml")
with open(conf, "w") as f:
    f.write(f"feeds:\n  - name: nl-rt\n    kind: gtfs-rt\n    url: {steady}\n"
            f"  - name: be-rt\n    kind: gtfs-rt\n    url: {srv.url('/script/be.pb')}\n"
            f"  - name: off-rt\n    kind: gtfs-rt\n    enabled: no\n"
            f"    url: {srv.url('/missing/x')}\n"
            f"  - name: nl\n    kind: gtfs\n    url: {srv.url('/missing/nl.zip')}\n")
arch4 = os.path.join(tmp, "arch4")
r = run("rt", "record", "--config", conf, "--out", arch4, "--every", "200ms", "--for", "700ms",
        timeout=30)
check(r.returncode == 0, f"--config exits 0 ({r.stderr.strip()})")
problems, snaps, _ = scan(arch4)
check(not problems and sorted(f for f, _ in snaps) == ["be-rt", "nl-rt"],
      f"--config records the two enabled gtfs-rt feeds, one snapshot each: {snaps} {problems}")
st = load_json(os.path.join(arch4, "status.json")) or {}
check([x.get("name") for x in st.get("feeds", [])] == ["nl-rt", "be-rt"], "status per feed")

# ---- 7. grens nightly starts one background recorder --------------------------------------
nd = os.path.join(tmp, "night")
os.makedirs(nd)
with open(os.path.join(nd, "feeds.yaml"), "w") as f:
    f.write(f"feeds:\n  - name: small\n    kind: gtfs\n"
            f"    url: {srv.url('/missing/small.zip')}\n")
nconf = os.path.join(nd, "nightly.yaml")
with open(nconf, "w") as f:
    f.write("feeds: feeds.yaml\ncache: cache\npairs: [A -> B]\n"
            "rt_archive: archive   # relative to this file\n"
            f"rt_record_urls:\n  - nl-rt={steady}\n")
reports = os.path.join(tmp, "reports")
# The feed was never downloaded, so the night fails (exit 1); the recording
# is independent of the night and starts anyway.
r = run("nightly", "--config", nconf, "--out", reports, "--no-fetch", timeout=60)
narch = os.path.join(nd, "archive")
check(r.returncode == 1 and "recording 1 feed(s) in the background" in r.stdout,
      f"nightly starts a recorder: {r.returncode} {r.stdout.strip()} {r.stderr.strip()}")
rec_pid = wait_for(lambda: lock_pid(narch), 20)
if rec_pid > 0:
    started.append(rec_pid)
check(rec_pid > 0, "the background recorder holds the archive")
check(wait_for(lambda: (load_json(os.path.join(narch, "status.json")) or {}).get("polls", 0) >= 1,
               20), "the background recorder polls")
r = run("nightly", "--config", nconf, "--out", reports, "--no-fetch", timeout=60)
check(f"a recorder is already running (pid {rec_pid}); none started" in r.stdout,
      f"a second night starts no second recorder: {r.stdout.strip()}")
st = load_json(os.path.join(narch, "status.json")) or {}
check(st.get("until") is not None and st.get("pid") == rec_pid,
      f"the night's recorder has an end time: {st.get('until')}")
if rec_pid > 0:
    os.kill(rec_pid, signal.SIGTERM)
    gone = wait_for(lambda: lock_free(narch), 20)
    check(gone, "the background recorder stops on SIGTERM")
    if gone:
        started.remove(rec_pid)
with open(os.path.join(narch, "record.log"), encoding="utf-8", errors="replace") as f:
    log = f.read()
check("recorded 1 new snapshot(s)" in log, f"its summary is in record.log: {log[-300:]}")
# A folder recorded elsewhere: only rt_archive; its status is noted.
other = os.path.join(nd, "other.yaml")
with open(other, "w") as f:
    f.write(f"feeds: feeds.yaml\npairs: [A -> B]\nrt_archive: {arch4}\n")
r = run("nightly", "--config", other, "--out", reports, "--no-fetch", timeout=60)
check("background" not in r.stdout and re.search(
    r"realtime archive .*arch4: last poll \S+Z, last new snapshot \S+Z; \d+ poll\(s\): 2 new, "
    r"\d+ unchanged, 0 failed", r.stdout), f"a folder recorded elsewhere is read: {r.stdout}")
check(not os.path.exists(os.path.join(arch4, "record.log")), "no recorder is started on it")
bad = os.path.join(nd, "bad.yaml")
with open(bad, "w") as f:
    f.write(f"feeds: feeds.yaml\npairs: [A -> B]\nrt_record_urls: [{steady}]\n")
r = run("nightly", "--config", bad, "--out", reports, timeout=60)
check(r.returncode == 2 and "rt_record_url needs rt_archive" in r.stderr,
      f"rt_record_url without rt_archive: {r.returncode} {r.stderr.strip()}")

# The recording keys are keys like the others: an error beside them names
# its line and column (window is on line 4).
with open(bad, "w") as f:
    f.write(f"feeds: feeds.yaml\nrt_archive: a\nrt_record_urls: [{steady}]\nwindow: nope\n"
            "pairs: [A -> B]\n")
r = run("nightly", "--config", bad, "--out", reports, timeout=60)
check(r.returncode == 2 and "bad.yaml:4:9: window" in r.stderr,
      f"errors name their line and column: {r.stderr.strip()}")

srv.close()
shutil.rmtree(tmp, ignore_errors=True)
finish()
