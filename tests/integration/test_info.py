"""grens info end to end: counts, service dates, patterns, notices, exit codes."""
import csv
import io
import json
import os
import shutil
import tempfile
import zipfile

from harness import run, check, finish, shared_dir, FIXTURES

basic = os.path.join(FIXTURES, "net-basic")

# --help and bad arguments
r = run("info", "--help")
check(r.returncode == 0 and "usage: grens info" in r.stdout, "info --help")
r = run("info", "--bogus")
check(r.returncode == 2 and "--bogus" in r.stderr, "unknown flag exits 2 and names it")
r = run("info", "--feed", basic, "--format", "xml")
check(r.returncode == 2 and "--format" in r.stderr, "bad --format exits 2")
r = run("info", "--feed", "/nonexistent/feed.zip")
check(r.returncode == 1 and "/nonexistent/feed.zip" in r.stderr, "missing feed exits 1, names it")
# one line, the path once
check(r.stderr == "grens info: feed '/nonexistent/feed.zip' is unusable: "
      "No such file or directory\n", f"missing feed: one line ({r.stderr!r})")

# A zip bomb: stop_times.txt of one row repeated inflates about 300:1. The
# default cap (100) refuses it while inflating, naming the member: exit 1;
# --max-zip-ratio raises the cap.
with tempfile.TemporaryDirectory() as tmp:
    bomb = os.path.join(tmp, "bomb.zip")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name in os.listdir(basic):
            if name != "stop_times.txt":
                z.write(os.path.join(basic, name), name)
        with open(os.path.join(basic, "stop_times.txt")) as fh:
            rows = fh.read()
        z.writestr("stop_times.txt", rows + "t1,23:59:00,23:59:00,a1,99\n" * 150000)
    ratio = z.getinfo("stop_times.txt").file_size / z.getinfo("stop_times.txt").compress_size
    check(ratio > 100, f"the bomb compresses over 100:1 ({ratio:.0f})")
    r = run("info", "--feed", bomb)
    check(r.returncode == 1 and r.stderr.startswith(f"grens info: feed '{bomb}' is unusable: "
          "stop_times.txt: compression ratio over 100: ") and "zip bomb" in r.stderr
          and r.stderr.count("\n") == 1, f"zip bomb refused, exit 1 ({r.returncode}: {r.stderr!r})")
    r = run("info", "--feed", bomb, "--max-zip-ratio", "100000")
    check("compression ratio" not in r.stderr, f"--max-zip-ratio raises the cap ({r.stderr[-300:]!r})")
    r = run("info", "--feed", bomb, "--max-zip-ratio", "0")
    check(r.returncode == 2 and "--max-zip-ratio" in r.stderr, f"--max-zip-ratio 0 exits 2")
    r = run("info", "--help")
    check("--max-zip-ratio N" in r.stdout, "info --help explains --max-zip-ratio")

# Headers but no rows in stops.txt or trips.txt: unusable, as without the file;
# the message names the empty table.
with tempfile.TemporaryDirectory() as tmp:
    for table, what in (("stops.txt", "stop"), ("trips.txt", "trip")):
        feed = os.path.join(tmp, table.split(".")[0] + "-empty")
        shutil.copytree(basic, feed)
        with open(os.path.join(feed, table)) as fh:
            header = fh.readline()
        with open(os.path.join(feed, table), "w") as fh:
            fh.write(header)
        r = run("info", "--feed", feed)
        check(r.returncode == 1 and r.stderr == f"grens info: feed '{feed}' is unusable: "
              f"{table}: no usable {what} (the table is empty, or every row was skipped)\n",
              f"headers-only {table} exits 1 naming it ({r.stderr!r})")
        r = run("route", "--feed", feed, "--from", "a1", "--to", "c", "--date", "2026-03-10",
                "--time", "08:00")
        check(r.returncode == 1 and table in r.stderr, f"route on headers-only {table} exits 1")

# The net-basic fixture, counted by hand from its files: 1 agency, 7 stops,
# 2 routes, 7 trips, 18 stop_times rows, 2 calendar rows, 2 calendar_dates
# rows, 5 transfers. Service: wk starts Monday 2026-03-02, sun ends Sunday
# 2026-03-15. Patterns: RE1 a1-b-c split in two (t4 overtakes t1), RB20 c-d-e
# and c-d: 4 (t8 has one stop and no pattern).
r = run("info", "--feed", "t=" + basic, "--format", "json")
check(r.returncode == 0, f"info on fixture exits 0 ({r.stderr})")
doc = json.loads(r.stdout) if r.returncode == 0 else {"feeds": [{}]}
f = doc["feeds"][0]
check(f.get("name") == "t", "NAME=PATH names the feed")
c = f.get("counts", {})
expected = {"agency": 1, "stops": 7, "routes": 2, "trips": 7, "stop_times": 18,
            "calendar": 2, "calendar_dates": 2, "transfers": 5, "frequencies": 0}
for k, v in expected.items():
    check(c.get(k) == v, f"count {k}: {c.get(k)} != {v}")
check(f.get("service_dates") == {"first": "2026-03-02", "last": "2026-03-15"},
      f"service dates {f.get('service_dates')}")
check(f.get("patterns") == 4, f"patterns {f.get('patterns')}")
codes = {n["code"]: n for n in doc.get("timetable", {}).get("notices", [])}
check(codes.get("trip_with_fewer_than_two_stops", {}).get("count") == 1,
      "the trip with one stop is reported")
check(doc.get("timetable", {}).get("trips") == 6, "6 routable trips")

r = run("info", "--feed", basic)
check(r.returncode == 0 and "patterns 4" in r.stdout, "text output lists patterns")
check("feed net-basic" in r.stdout, "feed name derived from the directory name")

# The default embedded feeds load when present.
r = run("info")
check(r.returncode in (0, 1), "info without --feed runs")

# Real feeds: counts derived independently with Python's csv module.
sh = shared_dir()
if sh:
    for name in ("caltrain-2023-ct.zip", "wmata-rail-2026.zip"):
        path = os.path.join(sh, "data", "gtfs", name)
        zf = zipfile.ZipFile(path)
        want = {}
        for table in ("agency", "stops", "routes", "trips", "stop_times", "calendar",
                      "calendar_dates", "transfers", "frequencies"):
            try:
                with zf.open(table + ".txt") as fh:
                    want[table] = sum(1 for _ in csv.reader(io.TextIOWrapper(fh, "utf-8-sig"))) - 1
            except KeyError:
                want[table] = 0
        r = run("info", "--feed", path, "--format", "json", timeout=300)
        check(r.returncode == 0, f"{name}: exit {r.returncode} {r.stderr[-500:]}")
        if r.returncode == 0:
            got = json.loads(r.stdout)["feeds"][0]
            for table, n in want.items():
                check(got["counts"][table] == n, f"{name}: {table} {got['counts'][table]} != {n}")
            check(got["patterns"] > 0, f"{name}: has patterns")

finish()
