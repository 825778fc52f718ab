"""grens nightly end to end against a local HTTP server.

A small feed (two stations, a train every 30 min) is served over HTTP. The
first night writes a dated folder and points `latest` at it; then the feed
changes (the run time grows from 30 to 40 min) and the second night's diff
must name the changed feed (by SHA-256) and the changed travel time. A
missing feed and a stale feed must fail with the reason."""
import json
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time

from harness import BIN, run, check, finish
from fetch_server import Server
from pbwriter import message, delay_update
from smallfeed import feed_zip


tmp = tempfile.mkdtemp(prefix="grens-nightly-")
out = os.path.join(tmp, "reports")
srv = Server(lifetime=200)
srv.state.bodies["/plain/small.zip"] = feed_zip(30, "v1")


def write_config(name, url, max_age="1h"):
    """A feed list and a nightly config in tmp/name/; returns the config path."""
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "feeds.conf"), "w") as f:
        f.write(f"[small]\nkind = gtfs\nurl = {url}\nretries = 0\n")
    with open(os.path.join(d, "places.csv"), "w") as f:
        f.write("name,country,municipality_code,lat,lon,population\n"
                "Heerlen,NL,GM0917,50.890693,5.975844,1000\n"
                "Aachen,DE,05334002,50.767800,6.091499,5000\n")
    path = os.path.join(d, "nightly.conf")
    with open(path, "w") as f:
        f.write("# test nightly\n"
                "feeds = feeds.conf\n"
                "cache = cache\n"
                f"max_age = {max_age}\n"
                "service_date = 2026-03-10\n"
                "window = 06:00-09:00\n"
                "step = 600\n"
                "pair = Heerlen Test -> Aachen Test\n"
                "places = places.csv\n"
                "cutoffs = 45\n"
                "diff_travel_time = 60\n")
    return path


def partials(d):
    return sorted(n for n in os.listdir(d) if n.startswith(".partial-"))


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


conf = write_config("good", srv.url("/plain/small.zip"))

# ---- night 1 ---------------------------------------------------------------------
r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-09")
check(r.returncode == 0, f"night 1 exits 0 (got {r.returncode}: {r.stderr.strip()})")
night1 = os.path.join(out, "2026-03-09")
check(os.path.isfile(os.path.join(night1, "report.json")), "night 1 report.json")
check(os.path.isfile(os.path.join(night1, "report.html")), "night 1 report.html")
check("first run" in r.stdout, "night 1 has nothing to compare with")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-09", "latest -> night 1")
check(os.path.isfile(os.path.join(night1, "COMPLETE")), "night 1 is marked complete")
check(sorted(os.listdir(out)) == ["2026-03-09", "latest"], f"nothing else: {os.listdir(out)}")
doc1 = load(os.path.join(night1, "report.json"))
# Steps 06:00..09:00 every 600 s: 19 departures; trains at :00 and :30, so the
# waits are 0, 20, 10 min in turn: 7 x 0, 6 x 10, 6 x 20. The nearest-rank median
# is the 10th smallest: a 10 min wait. Median travel time 10 + 30 = 40 min = 2400 s.
p1 = doc1["profiles"][0]
check(p1["summary"]["steps"] == 19, "19 departure steps")
check(p1["summary"]["median_s"] == 2400, f"night 1 median {p1['summary']['median_s']} = 2400")
check(doc1["feeds"][0]["version"] == "v1", "night 1 feed_info version v1")
# Population within 45 min of Heerlen Test: Heerlen itself (1000, tied to the origin
# stop) and Aachen (5000): its median travel time is 40 min as above.
pop1 = doc1["opportunities"][0]
check(pop1["variant"] == "linked" and pop1["cutoffs"] == [{"minutes": 45, "population": 6000}],
      f"night 1 population within 45 min: 1000 + 5000 ({pop1})")
with open(os.path.join(tmp, "good", "cache", "small", "current.zip"), "rb") as f:
    import hashlib
    sha1 = hashlib.sha256(f.read()).hexdigest()
check(doc1["feeds"][0]["files"][0]["sha256"] == sha1, "provenance sha256 of the cached zip")

# ---- night 2: the feed changed ---------------------------------------------------------
srv.state.bodies["/plain/small.zip"] = feed_zip(40, "v2")
r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-10")
check(r.returncode == 0, f"night 2 exits 0 (got {r.returncode}: {r.stderr.strip()})")
night2 = os.path.join(out, "2026-03-10")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-10", "latest -> night 2")
check("1 feed(s) changed" in r.stdout and "1 travel time(s)" in r.stdout,
      f"night 2 summary: {r.stdout.strip()}")
diff = load(os.path.join(night2, "diff.json"))
check(diff["counts"]["feeds_changed"] == 1, "diff: one feed changed")
feed = diff["feeds"][0] if diff["feeds"] else {}
check(feed.get("name") == "small" and feed.get("change") == "changed", "diff names the feed")
check(feed.get("previous_files", {}).get("current.zip") == sha1, "diff: previous sha256")
check(feed.get("current_files", {}).get("current.zip") not in (None, sha1),
      "diff: a new sha256")
check(feed.get("previous_version") == "v1" and feed.get("current_version") == "v2",
      "diff: feed_info versions")
# The same waits with a 40 min run: 10 + 40 = 50 min = 3000 s, 600 s more.
tt = diff["travel_times"]
check(len(tt) == 1 and tt[0]["previous_median_s"] == 2400 and tt[0]["current_median_s"] == 3000
      and tt[0]["delta_s"] == 600, f"diff: travel time 2400 -> 3000 ({tt})")
# Aachen's median is now 50 min, beyond 45: 6000 -> 1000.
op = diff["opportunities"]
check(len(op) == 1 and op[0]["previous"] == 6000 and op[0]["current"] == 1000
      and op[0]["delta"] == -5000, f"diff: population 6000 -> 1000 ({op})")
with open(os.path.join(night2, "diff.txt"), encoding="utf-8") as f:
    text = f.read()
check("feed small: changed" in text and "+600 s" in text, "diff.txt says it in words")

# ---- night 3: nothing changed ------------------------------------------------------------
r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-11")
check(r.returncode == 0, f"night 3 exits 0 ({r.stderr.strip()})")
diff = load(os.path.join(out, "2026-03-11", "diff.json"))
check(diff["counts"] == {"feeds_changed": 0, "feeds_added": 0, "feeds_removed": 0,
                         "travel_times_changed": 0, "opportunities_changed": 0},
      f"night 3: no changes ({diff['counts']})")
check(diff["previous"]["path"].endswith("2026-03-10/report.json"), "compared with night 2")

# ---- a failing server with a recent good download: the report still runs ---------------
conf_down = write_config("good", srv.url("/always500/small.zip"))
r = run("nightly", "--config", conf_down, "--out", out, "--date", "2026-03-12")
check(r.returncode == 0, f"download failure within max_age: exit 0 ({r.stderr.strip()})")
check("download failed" in r.stderr, "the failed download is named")
notes = load(os.path.join(out, "2026-03-12", "report.json"))["notes"]
check(any("download failed" in n for n in notes), "the report notes the failed download")

# ---- stale: the last good download is older than max_age --------------------------------
conf_stale = write_config("good", srv.url("/always500/small.zip"), max_age="1s")
time.sleep(2.2)
r = run("nightly", "--config", conf_stale, "--out", out, "--date", "2026-03-13")
check(r.returncode == 1, f"stale feed: exit 1 (got {r.returncode})")
check("small: stale" in r.stderr, f"the stale feed is named: {r.stderr.strip()}")
check(not os.path.exists(os.path.join(out, "2026-03-13")), "no folder for a failed night")
check(not partials(out), f"no temporary folder left by a failed night: {partials(out)}")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-12", "latest is left alone")

# ---- a run killed midway (kill -9) leaves no night behind -----------------------------------
# The run builds its folder as .partial-DATE.PID.*; the feed server stalls, so the
# run is still working when it is killed.
conf_stall = write_config("good", srv.url("/stall/small.zip"))
p = subprocess.Popen([BIN, "nightly", "--config", conf_stall, "--out", out, "--date",
                      "2026-03-14"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
deadline = time.monotonic() + 30
while not partials(out) and p.poll() is None and time.monotonic() < deadline:
    time.sleep(0.01)
check(p.poll() is None and partials(out), "the run is working in a temporary folder")
p.send_signal(signal.SIGKILL)
p.wait()
killed = partials(out)
check(len(killed) == 1 and not os.path.exists(os.path.join(out, "2026-03-14")),
      f"the killed run left only its temporary folder: {sorted(os.listdir(out))}")
# Also what an older version left after a kill: a dated folder without the
# COMPLETE marker (journeys.csv and the diff missing, a *.tmp.* file), which
# must not be taken for a night, and a stale temporary with files in it.
half = os.path.join(out, "2026-03-13")
os.makedirs(half)
shutil.copy(os.path.join(night1, "report.json"), os.path.join(half, "report.json"))
open(os.path.join(half, "report.html.tmp.Xy12ab"), "w").close()
stale = os.path.join(out, ".partial-2026-03-13.4194305.qwerty")  # no such pid (> 2^22)
os.makedirs(stale)
open(os.path.join(stale, "report.json.tmp.abcdef"), "w").close()
conf = write_config("good", srv.url("/plain/small.zip"))
r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-14")
check(r.returncode == 0, f"the next run exits 0 ({r.returncode}: {r.stderr.strip()})")
check(f"removed 2 unfinished run folder(s) (.partial-*) left in {out}" in r.stderr,
      f"the next run says it cleaned up: {r.stderr.strip()}")
check(not partials(out), f"no temporary folder left: {sorted(os.listdir(out))}")
night14 = os.path.join(out, "2026-03-14")
check(sorted(os.listdir(night14)) == sorted(
    ["COMPLETE", "report.json", "report.html", "profiles.csv", "profile_steps.csv",
     "opportunities.csv", "stations.csv", "stations.geojson", "journeys.csv", "diff.json",
     "diff.txt", "timetable.grens"]), f"a whole night: {sorted(os.listdir(night14))}")
# the night's timetable is a snapshot of the feeds its report names
ri = run("info", "--snapshot", os.path.join(night14, "timetable.grens"), "--format", "json")
check(ri.returncode == 0, f"the night's snapshot opens: {ri.stderr.strip()}")
if ri.returncode == 0:
    check(json.loads(ri.stdout)["feeds"] == load(os.path.join(night14, "report.json"))["feeds"],
          "the snapshot's feeds are the report's")
diff = load(os.path.join(night14, "diff.json"))
check(diff["previous"]["path"] == os.path.join(out, "2026-03-12", "report.json"),
      f"compared with the last complete night, not the partial one: {diff['previous']}")
check(diff["current"]["path"] == os.path.join(night14, "report.json"),
      f"the diff names the night's final folder: {diff['current']}")
check("compared with 2026-03-12" in r.stdout, f"the summary says so: {r.stdout.strip()}")
check(os.path.isdir(half) and not os.path.exists(os.path.join(half, "COMPLETE")),
      "the partial dated folder is left for the user, unmarked")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-14", "latest -> 2026-03-14")

# ---- re-running an older date: replaced whole, latest stays ---------------------------------
r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-12")
check(r.returncode == 0, f"re-run of 2026-03-12 exits 0 ({r.stderr.strip()})")
check("(replacing the earlier run of this date)" in r.stdout, f"replaced: {r.stdout.strip()}")
check(f"{out}/latest stays at the later night 2026-03-14 (--force moves it)" in r.stdout,
      f"latest stays, and says so: {r.stdout.strip()}")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-14", "latest still -> 2026-03-14")
check(os.path.isfile(os.path.join(out, "2026-03-12", "COMPLETE")), "2026-03-12 complete")
notes12 = load(os.path.join(out, "2026-03-12", "report.json"))["notes"]
check(not any("download failed" in n for n in notes12),
      f"2026-03-12 is the new run's, not the earlier one's: {notes12}")
check(load(os.path.join(out, "2026-03-12", "diff.json"))["previous"]["path"]
      == os.path.join(out, "2026-03-11", "report.json"), "compared with the night before it")
check(not partials(out), "no temporary folder left after a replacement")
r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-12", "--force")
check(r.returncode == 0 and "stays" not in r.stdout, f"--force: exit 0 ({r.stderr.strip()})")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-12", "--force moves latest back")

# ---- out of disk space while writing: nothing half-written stays -----------------------------
# Files may not grow beyond 2 kB (RLIMIT_FSIZE; SIGXFSZ ignored, so write() fails
# with EFBIG as on a full disk): report.json cannot be written.


def small_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


r = subprocess.run([BIN, "nightly", "--config", conf, "--out", out, "--date", "2026-03-15",
                    "--no-fetch"], capture_output=True, text=True, timeout=120,
                   preexec_fn=small_files, restore_signals=False)
check(r.returncode == 1 and "cannot write" in r.stderr and "File too large" in r.stderr,
      f"a failed write: exit 1 with the reason ({r.returncode}: {r.stderr.strip()})")
check(not os.path.exists(os.path.join(out, "2026-03-15")) and not partials(out),
      f"no folder and no temporary left: {sorted(os.listdir(out))}")
check(os.readlink(os.path.join(out, "latest")) == "2026-03-12", "latest left alone")

# ---- missing: never downloaded --------------------------------------------------------------
conf_missing = write_config("missing", srv.url("/missing/small.zip"))
r = run("nightly", "--config", conf_missing, "--out", os.path.join(tmp, "m"), "--date",
        "2026-03-09")
check(r.returncode == 1, f"missing feed: exit 1 (got {r.returncode})")
check("small: missing" in r.stderr, f"the missing feed is named: {r.stderr.strip()}")

# ---- realtime feeds: refreshed, summarised in a note, never fatal -----------------------------
# tu.pb: t4 (A 08:00 -> B 08:30 on 2026-03-10) 300 s late at B, and a trip the
# feed does not have. Expected: 2 trip updates, 1 matched, 1 unknown trip,
# 1 stop update, delay p50 = p90 = max = 300 s (one sample).
srv.state.bodies["/plain/small.zip"] = feed_zip(30, "v1")
srv.state.bodies["/plain/tu.pb"] = message(
    [delay_update("e1", "t4", "B", 300, "20260310"),
     delay_update("e2", "nosuchtrip", "B", 60, "20260310")], timestamp=1773100800)
conf_rt = write_config("rt", srv.url("/plain/small.zip"))
with open(os.path.join(tmp, "rt", "feeds.conf"), "a") as f:
    f.write(f"[tu]\nkind = gtfs-rt\nurl = {srv.url('/plain/tu.pb')}\nretries = 0\n"
            f"[gone]\nkind = gtfs-rt\nurl = {srv.url('/missing/gone.pb')}\nretries = 0\n")
out_rt = os.path.join(tmp, "rt-out")
r = run("nightly", "--config", conf_rt, "--out", out_rt, "--date", "2026-03-10")
check(r.returncode == 0, f"realtime feeds never fail the run ({r.returncode}: {r.stderr.strip()})")
check("gone: download failed" in r.stderr, f"the failed realtime download is named: {r.stderr}")
check(os.path.isfile(os.path.join(tmp, "rt", "cache", "tu", "current.pb")),
      "the realtime feed is in the cache")
notes = load(os.path.join(out_rt, "2026-03-10", "report.json"))["notes"] \
    if r.returncode == 0 else []
tu = [n for n in notes if n.startswith("realtime tu:")]
check(len(tu) == 1 and "message of 2026-03-10T00:00:00Z" in tu[0]
      and "2 trip updates: 1 matched (0 cancelled), 1 unknown trips" in tu[0]
      and "1 stop updates" in tu[0] and "delay p50 300 s, p90 300 s, max 300 s" in tu[0],
      f"the realtime note: {tu}")
check(any(n.startswith("realtime gone: download failed") for n in notes)
      and any(n == "realtime gone: no good download yet" for n in notes),
      f"the failed realtime feed in the notes: {notes}")
# The report itself is the same as without realtime: 40 min median as night 1.
prof = load(os.path.join(out_rt, "2026-03-10", "report.json"))["profiles"][0] \
    if r.returncode == 0 else {"summary": {}}
check(prof["summary"].get("median_s") == 2400, f"the profiles stay scheduled: {prof['summary']}")

# ---- bad configuration ---------------------------------------------------------------------
bad = os.path.join(tmp, "bad.conf")
with open(bad, "w") as f:
    f.write("feeds = x.conf\npair = a -> b\nwindow = 9-8\n")
r = run("nightly", "--config", bad, "--out", out)
check(r.returncode == 2 and "bad.conf:3" in r.stderr and "window" in r.stderr,
      f"bad config: exit 2 with file:line and key ({r.stderr.strip()})")
r = run("nightly", "--out", out)
check(r.returncode == 2 and "--config" in r.stderr, "no --config: exit 2")

srv.close()
shutil.rmtree(tmp, ignore_errors=True)
finish()
