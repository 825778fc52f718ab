"""grens build and --snapshot end to end: the same answers as from the feeds,
the provenance, hand-derived times on a fixture, and every kind of damaged
file refused with the file and the reason."""
import hashlib
import json
import os
import shutil
import struct
import tempfile

from harness import FIXTURES, SOURCE, check, finish, run

tmp = tempfile.mkdtemp(prefix="grens-snapshot-")
snap = os.path.join(tmp, "corridor.grens")
FEEDS = os.path.join(SOURCE, "feeds")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def without_timings(v):
    """The document without fields that measure time spent."""
    if isinstance(v, dict):
        return {k: without_timings(x) for k, x in v.items()
                if not k.startswith("timing") and k not in ("elapsed_s", "generated")}
    if isinstance(v, list):
        return [without_timings(x) for x in v]
    return v


# ---------------------------------------------------------------------------
# grens build: the default feeds, written atomically
r = run("build", "--help")
check(r.returncode == 0 and "--out" in r.stdout and "--min-transfer" in r.stdout,
      f"build --help: {r.returncode} {r.stderr}")
r = run("build")
check(r.returncode == 2 and "--out" in r.stderr, f"build without --out exits 2: {r.stderr}")
r = run("build", "--out", snap)
check(r.returncode == 0, f"build exits 0: {r.stderr}")
check(os.path.isfile(snap), "the snapshot exists")
check(sorted(os.listdir(tmp)) == ["corridor.grens"], f"no temporary left: {os.listdir(tmp)}")
check("3 feeds" in r.stdout and "stop events" in r.stdout, f"build prints counts: {r.stdout}")

# the counts of info --snapshot are those of the timetable built from the feeds
rf = run("info", "--format", "json")
rs = run("info", "--snapshot", snap, "--format", "json")
check(rf.returncode == 0 and rs.returncode == 0, f"info exits 0: {rf.stderr} {rs.stderr}")
fi = json.loads(rf.stdout) if rf.returncode == 0 else {}
si = json.loads(rs.stdout) if rs.returncode == 0 else {}
for key in ("stops", "patterns", "trips", "stop_events", "footpaths"):
    check(si.get("timetable", {}).get(key) == fi.get("timetable", {}).get(key),
          f"info timetable {key}: {si.get('timetable', {}).get(key)} vs "
          f"{fi.get('timetable', {}).get(key)}")
check(si.get("snapshot", {}).get("bytes") == os.path.getsize(snap), "info gives the file size")
check(si.get("snapshot", {}).get("format_version") == 1, "format version 1")

# provenance: every file of every feed with its SHA-256, hashed here
feeds = si.get("feeds", [])
check([f["name"] for f in feeds] == ["nl", "nrw", "be"], f"feed names: {feeds}")
for f in feeds:
    d = os.path.join(FEEDS, f["name"])
    names = sorted(n for n in os.listdir(d) if not n.startswith(".")
                   and os.path.isfile(os.path.join(d, n)))
    check([x["name"] for x in f["files"]] == names, f"{f['name']}: files {f['files']}")
    for x in f["files"]:
        p = os.path.join(d, x["name"])
        check(x["sha256"] == sha256(p) and x["bytes"] == os.path.getsize(p),
              f"{f['name']}/{x['name']}: sha256 and size")
    check(f["version"] == "2026.1", f"{f['name']}: feed_info version {f['version']}")
check(si.get("links", {}).get("sha256") == sha256(os.path.join(FEEDS, "links.csv")),
      "the default links file is recorded with its SHA-256")
check(si.get("link_options", {}).get("min_change_s") == 120, "link options recorded")

# ---------------------------------------------------------------------------
# Same answers from the snapshot as from the feeds (JSON, timing fields aside)
same = [
    ("route", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-03-10",
     "--time", "08:00", "--format", "json"),
    ("route", "--from", "Eindhoven Centraal", "--to", "Köln Hbf", "--date", "2026-03-10",
     "--time", "07:30", "--algo", "dijkstra", "--format", "json"),
    ("profile", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-03-10",
     "--window", "07:00-09:00", "--format", "json"),
    ("compare", "--scenario", "none", "--format", "json"),
    ("access", "--border-effect", "--format", "json"),
    # scenarios: applied to the snapshot, they answer as the rebuilt feeds
    ("compare", "--format", "json"),  # the default scenario
    ("compare", "--scenario", os.path.join(FEEDS, "scenarios", "ic-aken.yaml"),
     "--scenario", os.path.join(FEEDS, "scenarios", "ic-denhaag-aken.yaml"), "--format", "json"),
    ("route", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-03-10",
     "--time", "08:00", "--scenario", os.path.join(FEEDS, "scenarios", "ic-aken-halfhourly.yaml"),
     "--format", "json"),
    ("profile", "--from", "Eindhoven Centraal", "--to", "Aachen Hbf", "--date", "2026-03-10",
     "--window", "06:00-09:00", "--scenario",
     os.path.join(FEEDS, "scenarios", "ic-eindhoven-aken.yaml"), "--format", "json"),
    ("access", "--scenario", os.path.join(FEEDS, "scenarios", "ic-eindhoven-aken-randen.yaml"),
     "--format", "json"),
]
for args in same:
    a = run(*args)
    b = run(args[0], "--snapshot", snap, *args[1:])
    check(a.returncode == 0 and b.returncode == 0,
          f"{args[0]}: exits 0 both ways: {a.returncode} {b.returncode} {b.stderr[:300]}")
    if a.returncode == 0 and b.returncode == 0:
        ja, jb = json.loads(a.stdout), json.loads(b.stdout)
        check(without_timings(ja) == without_timings(jb), f"{args[0]} {args[1:4]}: same JSON")
        if args[0] == "route":
            check(len(ja["journeys"]) > 0, f"{args[1:5]}: a journey to compare")

# the report: the same provenance, the same base results
ra = run("report", "--out", os.path.join(tmp, "rf"))
rb = run("report", "--snapshot", snap, "--out", os.path.join(tmp, "rs"))
check(ra.returncode == 0 and rb.returncode == 0, f"report exits 0: {rb.stderr[:300]}")
if ra.returncode == 0 and rb.returncode == 0:
    da = json.load(open(os.path.join(tmp, "rf", "report.json")))
    db = json.load(open(os.path.join(tmp, "rs", "report.json")))
    check(da["feeds"] == db["feeds"], "report: the same feed provenance")
    for k in ("profiles", "journeys", "stations"):
        check([x for x in da[k] if x.get("scenario") == "base"] == db[k],
              f"report: the same base {k}")
    check(any("nl-only not computed" in n for n in db["notes"]),
          "report: a note says the nl-only side needs --feed")

# ---------------------------------------------------------------------------
# Hand-derived on the scenario fixture (tests/fixtures/scenario-basic): R1
# leaves Aston 06:00 and reaches Cijk 40 min later, 06:40; with the 120 s
# change R2 at 06:50 is caught, Dorp 07:20: 80 min = 4800 s, one transfer.
fix = os.path.join(tmp, "basic.grens")
r = run("build", "--feed", "t=" + os.path.join(FIXTURES, "scenario-basic"), "--links", "none",
        "--out", fix)
check(r.returncode == 0, f"build of the fixture: {r.stderr}")
r = run("route", "--snapshot", fix, "--from", "t:sa", "--to", "t:d", "--date", "2026-03-10",
        "--time", "06:00", "--format", "json")
check(r.returncode == 0, f"route on the fixture snapshot: {r.stderr}")
j = json.loads(r.stdout)["journeys"] if r.returncode == 0 else []
check(len(j) >= 1 and j[0]["duration_s"] == 4800 and j[0]["transfers"] == 1,
      f"Aston 06:00 -> Dorp 07:20, one transfer: {j[:1]}")
check(len(j) >= 1 and j[0]["arrival"] == "2026-03-10T07:20:00", f"arrival: {j[:1]}")

# A scenario on the fixture snapshot (tests/fixtures/scenario-edits/add-line.yaml):
# line X leaves Aston 06:05 and reaches Dorp 45 min later, 06:50: 2700 s, no
# transfer (the base needs 80 min and one change).
r = run("route", "--snapshot", fix, "--from", "t:sa", "--to", "t:d", "--date", "2026-03-10",
        "--time", "06:00", "--scenario", os.path.join(FIXTURES, "scenario-edits", "add-line.yaml"),
        "--format", "json")
check(r.returncode == 0, f"route with a scenario on the fixture snapshot: {r.stderr}")
j = json.loads(r.stdout)["journeys"] if r.returncode == 0 else []
check(len(j) >= 1 and j[0]["arrival"] == "2026-03-10T06:50:00" and j[0]["transfers"] == 0,
      f"Aston 06:05 X -> Dorp 06:50 direct: {j[:1]}")
check("on the snapshot" in r.stderr, f"the scenario says it ran on the snapshot: {r.stderr}")

# An overlay edit merges a GTFS directory, which a built timetable cannot
# take: refused as a scenario that does not fit (exit 1), naming the edit.
r = run("route", "--snapshot", fix, "--from", "t:sa", "--to", "t:d", "--date", "2026-03-10",
        "--time", "06:00", "--scenario", os.path.join(FIXTURES, "scenario-edits", "overlay.yaml"))
check(r.returncode == 1 and "overlay.yaml:4:5: overlay: merging a GTFS" in r.stderr
      and not r.stdout, f"overlay on a snapshot: exit 1 naming the edit: {r.returncode} {r.stderr}")

# ---------------------------------------------------------------------------
# What a snapshot cannot do is refused with the reason (exit 2)
q = ["--from", "t:sa", "--to", "t:d", "--date", "2026-03-10", "--time", "06:00"]
refusals = [
    (["route", "--snapshot", fix, "--feed", FIXTURES, *q], "not both"),
    (["route", "--snapshot", fix, "--rt", os.path.join(tmp, "x.pb"), *q], "--rt needs --feed"),
    (["route", "--snapshot", fix, "--links", "none", *q], "give --links"),
    (["route", "--snapshot", fix, "--min-transfer", "300", *q],
     "built with --min-transfer = 120, asked for 300"),
    (["access", "--snapshot", snap, "--border-effect", "--sensitivity"], "--sensitivity"),
]
for args, reason in refusals:
    r = run(*args)
    check(r.returncode == 2 and reason in r.stderr and not r.stdout,
          f"{args[0]} {args[3:5]}: exit 2 with '{reason}': {r.returncode} {r.stderr}")

# ---------------------------------------------------------------------------
# Damaged files: refused with the file and the reason (exit 1), never a crash
# and never an answer. Layout (src/net/snapshot.c): byte order at 8, version
# at 12, header size at 16, section count at 20; each 32-byte section entry
# holds offset (8) and size (16).
good = open(fix, "rb").read()
header_size, sections = struct.unpack_from("<II", good, 16)


def refused(data, reason, what):
    p = os.path.join(tmp, "bad.grens")
    with open(p, "wb") as f:
        f.write(data)
    r = run("route", "--snapshot", p, *q)
    check(r.returncode == 1 and f"{p}: " in r.stderr and reason in r.stderr and not r.stdout,
          f"{what}: exit 1 naming the file and '{reason}': {r.returncode} {r.stderr.strip()}")


refused(b"", "the file is empty", "empty file")
refused(b"stop_id,stop_name\nA,Alpha\n", "not a grens timetable snapshot", "a CSV file")
refused(good[:40], "truncated", "cut in the header")
refused(good[:len(good) // 2], "truncated", "cut in half")
refused(good[:-1], "truncated", "one byte short")
bo = struct.unpack_from("<I", good, 8)[0]
refused(good[:8] + struct.pack(">I", bo) + good[12:], "other byte order", "foreign byte order")
refused(good[:12] + struct.pack("<I", 0) + good[16:], "an older grens wrote it", "version 0")
refused(good[:12] + struct.pack("<I", 2) + good[16:], "a newer grens wrote it", "version 2")
flipped = 0
for i in range(sections):
    off, size = struct.unpack_from("<QQ", good, header_size + 32 * i + 8)
    if size == 0:
        continue
    bad = bytearray(good)
    bad[off + size // 2] ^= 0x20
    refused(bytes(bad), f"section {i} checksum does not match", f"a byte of section {i}")
    flipped += 1
check(flipped >= 30, f"bytes flipped in {flipped} sections")
r = run("route", "--snapshot", os.path.join(tmp, "missing.grens"), *q)
check(r.returncode == 1 and "cannot open" in r.stderr, f"a missing file: {r.stderr}")
r = run("info", "--snapshot", tmp)
check(r.returncode == 1 and "not a regular file" in r.stderr, f"a directory: {r.stderr}")

# ---------------------------------------------------------------------------
# --clip (tests/fixtures/clip-basic, README there): the box around Alpha and
# Bravo keeps t1 (a b) and t3 out to Charlie and back as t3#1 (a b) and t3#2
# (b a); t2 and t4 go. t3's fourth row leaves Bravo 10:30, its fifth reaches
# Alpha 10:40: from Bravo at 10:00 the journey is t3#2, 600 s.
CLIP = os.path.join(FIXTURES, "clip-basic")
clipped = os.path.join(tmp, "clipped.grens")
r = run("build", "--feed", "t=" + CLIP, "--links", "none", "--clip", "4.9,49.9,5.15,50.1",
        "--out", clipped)
check(r.returncode == 0 and "3 stops" in r.stdout and "3 trips" in r.stdout,
      f"build --clip: {r.returncode} {r.stdout} {r.stderr}")
check("stops 6 -> 3" in r.stderr and "trips 4 -> 3 (1 cut in parts)" in r.stderr,
      f"build --clip says what it kept: {r.stderr}")
r = run("route", "--snapshot", clipped, "--from", "t:b", "--to", "t:a", "--date", "2026-03-10",
        "--time", "10:00", "--format", "json")
j = json.loads(r.stdout)["journeys"] if r.returncode == 0 else []
check(len(j) == 1 and j[0]["duration_s"] == 600 and j[0]["legs"][0]["trip_id"] == "t:t3#2",
      f"Bravo 10:30 -> Alpha 10:40 on t3#2: {j}")
r = run("info", "--snapshot", clipped, "--format", "json")
prov = json.loads(r.stdout) if r.returncode == 0 else {}
check(prov.get("timetable", {}).get("stop_events") == 6, f"2 + 2 + 2 stop events: {prov}")
# the polygon with a hole around Charlie: 5 of 6 stops; t1 a b | d e, t3 a b |
# b a, t4 d e: 5 trips, 2 cut, 4 + 4 + 2 = 10 rows
r = run("info", "--feed", "t=" + CLIP, "--clip", os.path.join(CLIP, "hole.geojson"),
        "--format", "json")
c = json.loads(r.stdout)["feeds"][0].get("clip", {}) if r.returncode == 0 else {}
check(c == {"stops": [6, 5], "routes": [2, 2], "trips": [4, 5], "stop_times": [16, 10],
            "trips_cut_in_parts": 2}, f"info --clip counts before and after: {c}")
r = run("info", "--feed", "t=" + CLIP, "--clip", "4.9,49.9,5.15,50.1")
check(r.returncode == 0 and "clip     stops 6 -> 3, routes 2 -> 1, trips 4 -> 3" in r.stdout,
      f"info --clip text: {r.stdout}")
for bad_clip in ("6,50,5,51", "1,2,3", os.path.join(CLIP, "stops.txt")):
    r = run("build", "--feed", "t=" + CLIP, "--clip", bad_clip, "--out", clipped)
    check(r.returncode == 2 and ("--clip" in r.stderr or "clip file" in r.stderr),
          f"--clip {bad_clip}: exit 2 with the reason: {r.returncode} {r.stderr}")
r = run("route", "--snapshot", clipped, "--clip", "4.9,49.9,5.15,50.1", *q)
check(r.returncode == 2 and "unknown option '--clip'" in r.stderr,
      f"a snapshot is clipped by grens build, not by route: {r.stderr}")
# the feed list takes clip: per feed
conf = os.path.join(tmp, "feeds.yaml")
with open(conf, "w") as f:
    f.write("feeds:\n  - name: delfi\n    kind: gtfs\n    url: https://example.org/delfi.zip\n"
            "    clip: 5.8,50.3,9.5,52.6\n")
r = run("fetch", "--list", "--config", conf)
check(r.returncode == 0 and "delfi" in r.stdout, f"feeds.yaml with clip: {r.stderr}")

# A failed build leaves the snapshot that was there as it was.
before = sha256(fix)
r = run("build", "--feed", "t=" + os.path.join(tmp, "no-such-feed"), "--out", fix)
check(r.returncode == 1, f"a build of a missing feed fails: {r.returncode}")
check(sha256(fix) == before, "the earlier snapshot is untouched")
check(not [n for n in os.listdir(tmp) if ".tmp-" in n], "no temporary file left")

shutil.rmtree(tmp)
finish()
