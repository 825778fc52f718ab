"""Query dates against the feeds' service periods, for every command that takes a date.

A date outside every feed's period is refused (exit 1, the date and each feed's period
named) instead of answering "no journey"; a date on which one feed runs no trips is a
warning and a note in the JSON outputs and the report; a date in the part of a long
calendar that was cut is refused naming the part kept."""
import json
import os
import tempfile

from fetch_server import Server
from harness import run, check, finish, fixture_zip, FIXTURES

tmp = tempfile.mkdtemp(prefix="grens-dates-")

# ---- the embedded default data -------------------------------------------------------------
# feeds/nl/calendar_dates.txt and feeds/nrw/calendar.txt both run from 20251214 to 20261212.
PERIODS = "nl 2025-12-14 to 2026-12-12, nrw 2025-12-14 to 2026-12-12, be 2025-12-14 to 2026-12-12"
refused = [
    ("route", "2027-06-16", ["--from", "Amsterdam Centraal", "--to", "Aachen Hbf",
                             "--time", "08:00"]),
    ("profile", "2027-06-16", ["--from", "Amsterdam Centraal", "--to", "Aachen Hbf",
                               "--window", "07:00-08:00"]),
    ("compare", "2027-06-16", []),
    ("access", "2030-01-01", []),
    ("report", "2027-01-05", ["--out", os.path.join(tmp, "refused")]),
]
for cmd, date, extra in refused:
    r = run(cmd, *extra, "--date", date, timeout=300)
    want = f"{date} is outside the service period of every feed ({PERIODS})"
    check(r.returncode == 1, f"{cmd} --date {date} exits 1 (got {r.returncode})")
    check(want in r.stderr, f"{cmd} --date {date} names the date and both periods: {r.stderr!r}")
    check("journey" not in r.stdout, f"{cmd} --date {date} prints no result: {r.stdout[:200]!r}")
check(not os.path.exists(os.path.join(tmp, "refused", "report.json")),
      "a refused report writes no report.json")

# compare checks each of its dates: the good one passes, the bad one is named.
r = run("compare", "--date", "2026-03-10", "--date", "2027-06-16", "--format", "json")
check(r.returncode == 1, f"compare with one bad date of two exits 1 (got {r.returncode})")
check("2027-06-16 is outside" in r.stderr and "2026-03-10" not in r.stderr,
      f"only the bad date is named: {r.stderr!r}")

# ---- two fixture feeds ---------------------------------------------------------------------
# dates-short: one trip Alpha 08:00 -> Beta 08:20, Monday to Friday 20260302..20260313.
# dates-long: one trip Beta 08:30 -> Gamma 08:50, daily 20260301..20451231: 20 years, more
# than the 3660 days kept, so the range is cut to 20260301 + 3659 days = 2036-03-07.
FEEDS = ["--feed", "short=" + os.path.join(FIXTURES, "dates-short"),
         "--feed", "long=" + os.path.join(FIXTURES, "dates-long"), "--links", "none"]
ROUTE = ["--from", "Alpha", "--to", "Gamma"]


def route_json(date):
    r = run("route", *FEEDS, *ROUTE, "--date", date, "--time", "07:50", "--format", "json")
    doc = json.loads(r.stdout) if r.returncode == 0 else None
    return r, doc


# A Tuesday both feeds serve: one journey 08:00 -> 08:50 (change at Beta), no notes.
r, doc = route_json("2026-03-10")
check(r.returncode == 0 and doc, f"route on 2026-03-10 exits 0 ({r.stderr.strip()})")
if doc:
    check(len(doc["journeys"]) == 1 and doc["journeys"][0]["duration_s"] == 3000,
          f"one journey 08:00 -> 08:50 = 3000 s ({doc['journeys']})")
    check(doc["notes"] == [], f"no notes on a day both feeds serve ({doc['notes']})")
check("warning" not in r.stderr, f"no warning on a day both feeds serve ({r.stderr!r})")

# Saturday 2026-03-14: after short's period (last day Friday 2026-03-13), inside long's.
NOTE = "feed short runs no trips on 2026-03-14 (its service period: 2026-03-02 to 2026-03-13)"
r, doc = route_json("2026-03-14")
check(r.returncode == 0, f"route on a day only long serves exits 0 ({r.stderr.strip()})")
check(f"warning: {NOTE}" in r.stderr, f"a warning names the feed: {r.stderr!r}")
if doc:
    check(doc["journeys"] == [], "no journey: the first leg does not run")
    check(doc["notes"] == [{"code": "no_service_on_date", "date": "2026-03-14", "feed": "short",
                            "message": NOTE}], f"the note in the JSON ({doc['notes']})")

# Saturday 2026-03-07 is inside short's calendar but not on one of its weekdays: a note too.
r, doc = route_json("2026-03-07")
check(r.returncode == 0 and doc and [n["feed"] for n in doc["notes"]] == ["short"],
      f"a day in short's period without its trips is a note ({r.stdout[-300:]!r})")

# Before both periods: refused, both periods named (long's as its calendar declares it).
r, doc = route_json("2025-06-01")
check(r.returncode == 1, f"route before every period exits 1 (got {r.returncode})")
check("2025-06-01 is outside the service period of every feed (short 2026-03-02 to "
      "2026-03-13, long 2026-03-01 to 2045-12-31)" in r.stderr, f"message: {r.stderr!r}")

# In long's calendar but after the part kept: refused, naming the part kept.
for date in ("2036-03-08", "2040-01-01"):
    r, doc = route_json(date)
    check(r.returncode == 1, f"route on {date} (cut away) exits 1 (got {r.returncode})")
    check(f"{date} is in the service period of feed long (2026-03-01 to 2045-12-31), but only "
          "2026-03-01 to 2036-03-07 of it is routable" in r.stderr, f"message: {r.stderr!r}")
# The last day kept is routable (short runs no trips then: a note, not an error).
r, doc = route_json("2036-03-07")
check(r.returncode == 0, f"the last day kept is routable ({r.stderr.strip()})")

# profile, compare and access carry the same note in their JSON.
r = run("profile", *FEEDS, *ROUTE, "--date", "2026-03-14", "--window", "07:50-08:00",
        "--format", "json")
check(r.returncode == 0, f"profile on 2026-03-14 exits 0 ({r.stderr.strip()})")
if r.returncode == 0:
    check([n["message"] for n in json.loads(r.stdout)["notes"]] == [NOTE], "profile notes")
r = run("compare", *FEEDS, "--from", "Alpha", "--to", "Gamma", "--one-way",
        "--scenario", os.path.join(FIXTURES, "dates-edits", "remove-l1.yaml"),
        "--date", "2026-03-10", "--date", "2026-03-14", "--window", "07:50-08:00",
        "--format", "json")
if r.returncode == 0:
    notes = json.loads(r.stdout)["notes"]
    check([(n["date"], n["feed"]) for n in notes] == [("2026-03-14", "short")],
          f"compare notes: one per date and feed without trips ({notes})")
r = run("access", *FEEDS, "--from", "Alpha", "--date", "2026-03-14", "--format", "json")
check(r.returncode == 0, f"access on 2026-03-14 exits 0 ({r.stderr.strip()})")
if r.returncode == 0:
    check([n["message"] for n in json.loads(r.stdout)["meta"]["notes"]] == [NOTE],
          "access notes in meta")
r = run("access", *FEEDS, "--from", "Alpha", "--date", "2040-01-01", "--format", "json")
check(r.returncode == 1 and "but only 2026-03-01 to 2036-03-07" in r.stderr,
      f"access refuses a cut-away date ({r.returncode}: {r.stderr.strip()})")

# The report: a note in report.json and on the page.
out = os.path.join(tmp, "report")
r = run("report", *FEEDS, "--pair", "Alpha -> Gamma", "--date", "2026-03-14", "--out", out,
        "--window", "07:50-08:00")
check(r.returncode == 0, f"report on 2026-03-14 exits 0 ({r.stderr.strip()})")
if r.returncode == 0:
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        check(NOTE in json.load(f)["notes"], "the note in report.json")
    with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
        check(NOTE in f.read(), "the note on report.html")
r = run("report", *FEEDS, "--pair", "Alpha -> Gamma", "--date", "2040-01-01", "--out", out)
check(r.returncode == 1 and "but only 2026-03-01 to 2036-03-07" in r.stderr,
      f"report refuses a cut-away date ({r.returncode}: {r.stderr.strip()})")

# nightly analyses its run date by default: a date after the feed ends fails the night
# (exit 1, no dated folder) rather than publishing an empty report.
srv = Server(lifetime=60)
srv.state.bodies["/plain/short.zip"] = fixture_zip("dates-short")
night = os.path.join(tmp, "night")
os.makedirs(night)
with open(os.path.join(night, "feeds.yaml"), "w") as f:
    f.write(f"feeds:\n  - name: short\n    kind: gtfs\n    url: {srv.url('/plain/short.zip')}\n"
            "    retries: 0\n")
with open(os.path.join(night, "nightly.yaml"), "w") as f:
    f.write("feeds: feeds.yaml\ncache: cache\nwindow: 07:50-08:00\npairs: [Alpha -> Beta]\n")
r = run("nightly", "--config", os.path.join(night, "nightly.yaml"), "--out",
        os.path.join(night, "out"), "--date", "2026-03-20")
check(r.returncode == 1, f"nightly after the feed's period exits 1 (got {r.returncode})")
check("2026-03-20 is outside the service period of every feed (short 2026-03-02 to "
      "2026-03-13)" in r.stderr, f"nightly names the date and the period: {r.stderr!r}")
check(not os.path.exists(os.path.join(night, "out", "2026-03-20")), "no folder for the night")
r = run("nightly", "--config", os.path.join(night, "nightly.yaml"), "--out",
        os.path.join(night, "out"), "--date", "2026-03-10")
check(r.returncode == 0, f"nightly inside the period exits 0 ({r.stderr.strip()})")
srv.close()

finish()
