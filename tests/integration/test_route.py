"""grens route and grens profile end to end.

The journeys of tests/fixtures/route-basic/expected.txt (worked out by hand
there) must come out of `grens route --format json`; then the JSON shape of
DESIGN.md, the text and CSV formats, stop resolution, exit codes, and
`grens profile` on the same fixture, and a generated feed (tools/gen-feed)."""
import csv
import io
import json
import os
import subprocess
import tempfile

from harness import run, check, finish, FIXTURES

FEED = "rb=" + os.path.join(FIXTURES, "route-basic")


def route(*args):
    return run("route", "--feed", FEED, *args)


# ---- expected journeys --------------------------------------------------------
queries = []
with open(os.path.join(FIXTURES, "route-basic", "expected.txt"), encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line.startswith("query "):
            date, time, frm, to, algo = [p.strip() for p in line[6:].split("|")]
            queries.append({"q": (date, time, frm, to, algo), "journeys": []})
        elif line.startswith("journey "):
            dep, arr, tf = line.split()[1:]
            queries[-1]["journeys"].append((dep, arr, int(tf)))
check(len(queries) >= 10, "expected.txt has the queries")

for item in queries:
    date, time, frm, to, algo = item["q"]
    r = route("--from", frm, "--to", to, "--date", date, "--time", time, "--algo", algo,
              "--format", "json")
    check(r.returncode == 0, f"{item['q']}: exit 0 (got {r.returncode}: {r.stderr.strip()})")
    if r.returncode != 0:
        continue
    doc = json.loads(r.stdout)
    got = [(j["departure"], j["arrival"], j["transfers"]) for j in doc["journeys"]]
    check(got == item["journeys"], f"{item['q']}: journeys {got}, expected {item['journeys']}")
    check(doc["query"]["algo"] == algo, f"{item['q']}: query.algo")
    check(doc["query"]["date"] == date, f"{item['q']}: query.date")

# ---- JSON shape ------------------------------------------------------------------
r = route("--from", "AACH", "--to", "BEU", "--date", "2026-03-10", "--time", "08:00",
          "--format", "json")
doc = json.loads(r.stdout)
check(set(doc) == {"query", "journeys", "notes"} and doc["notes"] == [], "top-level keys")
check(doc["query"] == {"from": ["rb:AACH"], "to": ["rb:BEU"], "date": "2026-03-10",
                       "time": "08:00:00", "algo": "raptor"}, f"query object {doc['query']}")
j = doc["journeys"][0]
# the one journey encoding (grens-json(7), JOURNEYS): the same keys as compare
# and report.json write
check(set(j) == {"departure", "arrival", "duration_s", "transfers", "crosses_border", "legs"},
      "journey keys")
# every stop of the fixture is in one feed (rb) and in Germany: no border
check(j["crosses_border"] is False, "crosses_border: one feed, one country")
# 08:00 -> 09:15 is 4500 s
check(j["duration_s"] == 4500, "duration_s = 09:15 - 08:00 = 4500")
modes = [leg["mode"] for leg in j["legs"]]
check(modes == ["transit", "transit", "walk", "transit"], f"legs {modes}")
t0 = j["legs"][0]
check(set(t0) == {"mode", "from", "to", "departure", "arrival", "duration_s", "border", "route",
                  "trip_id", "headsign", "feed"}, f"transit leg keys {sorted(t0)}")
# stops.txt: AACH 50.7678,6.0913 and DUR 50.8094,6.4822, both in Germany
check(t0["from"] == {"id": "rb:AACH", "name": "Aachen Hbf", "feed": "rb", "country": "DE",
                     "lat": 50.7678, "lon": 6.0913}, f"from stop object {t0['from']}")
check(t0["to"] == {"id": "rb:DUR", "name": "Düren", "feed": "rb", "country": "DE",
                   "lat": 50.8094, "lon": 6.4822}, f"to stop object (UTF-8 name) {t0['to']}")
check(t0["route"] == "RE1" and t0["trip_id"] == "rb:re1_0800" and t0["feed"] == "rb",
      "route, scoped trip id, feed")
check(t0["headsign"] == "Köln Hbf", "headsign")
check(t0["border"] is False, "Aachen - Düren crosses no border")
# the leg's duration is its own arrival minus departure
check(t0["duration_s"] == int(t0["arrival"][11:13]) * 3600 + int(t0["arrival"][14:16]) * 60
      - int(t0["departure"][11:13]) * 3600 - int(t0["departure"][14:16]) * 60,
      "transit duration_s = arrival - departure")
check(j["legs"][1]["departure"] == "2026-03-10T08:23:00", "S12 08:23:00, not 08:22:59")
w = j["legs"][2]
# the walk Bonn Hbf -> Bonn ZOB: 240 s from the S12's arrival 09:00, ready at 09:04
check(w == {"mode": "walk",
            "from": {"id": "rb:BONN", "name": "Bonn Hbf", "feed": "rb", "country": "DE",
                     "lat": 50.732, "lon": 7.097},
            "to": {"id": "rb:BZOB", "name": "Bonn ZOB", "feed": "rb", "country": "DE",
                   "lat": 50.7327, "lon": 7.0985},
            "departure": "2026-03-10T09:00:00", "arrival": "2026-03-10T09:04:00",
            "duration_s": 240, "border": False}, f"walk leg {w}")

# stay seated: two transit legs, no transfer
r = route("--from", "AACH", "--to", "SIEG", "--date", "2026-03-10", "--time", "08:00",
          "--format", "json")
j = json.loads(r.stdout)["journeys"][0]
check([leg["trip_id"] for leg in j["legs"]] == ["rb:re1_0800", "rb:re9_0851"],
      "stays on re1 into re9")
check(j["transfers"] == 0, "stay seated is no transfer")
# the re9 leg continues re1's vehicle (block blk1, expected.txt): it says so,
# the first leg (boarded at Aachen) does not
check(j["legs"][1].get("stay_seated") is True, f"re9 leg is stay_seated: {j['legs'][1]}")
check("stay_seated" not in j["legs"][0], "the boarded leg carries no stay_seated")
r = route("--from", "AACH", "--to", "SIEG", "--date", "2026-03-10", "--time", "08:00",
          "--format", "csv")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
check([(x["trip_id"], x["stay_seated"]) for x in rows] ==
      [("rb:re1_0800", "0"), ("rb:re9_0851", "1")], f"CSV stay_seated and trip ids {rows}")

# a station resolves to its platforms
r = route("--from", "AACH", "--to", "Köln Hbf", "--date", "2026-03-10", "--time", "08:00",
          "--format", "json")
doc = json.loads(r.stdout)
check({"rb:K1", "rb:K2"} <= set(doc["query"]["to"]), f"station platforms {doc['query']['to']}")

# no journey: exit 0 and an empty list
r = route("--from", "DUR", "--to", "BONN", "--date", "2026-03-10", "--time", "08:30",
          "--format", "json")
check(r.returncode == 0 and json.loads(r.stdout)["journeys"] == [], "no journey -> []")
r = route("--from", "DUR", "--to", "BONN", "--date", "2026-03-10", "--time", "08:30")
check(r.returncode == 0 and "no journey" in r.stdout, "no journey in text")

# max transfers 0: only the direct bus to Bonn
r = route("--from", "AACH", "--to", "BONN", "--date", "2026-03-10", "--time", "08:00",
          "--max-transfers", "0", "--format", "json")
got = [(x["arrival"], x["transfers"]) for x in json.loads(r.stdout)["journeys"]]
check(got == [("2026-03-10T09:30:00", 0)], f"--max-transfers 0: {got}")

# ---- text and CSV ------------------------------------------------------------------
r = route("--from", "AACH", "--to", "BONN", "--date", "2026-03-10", "--time", "08:00")
check(r.returncode == 0, "text exit 0")
check("journey 1: 2026-03-10T08:00:00 -> 2026-03-10T09:00:00" in r.stdout, "text journey 1")
check("journey 2: 2026-03-10T08:10:00 -> 2026-03-10T09:30:00" in r.stdout, "text journey 2")
r = route("--from", "AACH", "--to", "BEU", "--date", "2026-03-10", "--time", "08:00",
          "--format", "csv")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
check(len(rows) == 4, f"CSV has one row per leg ({len(rows)})")
check(rows[2]["mode"] == "walk" and rows[2]["duration_s"] == "240", "CSV walk row")
# trip ids keep their feed, as in the JSON
check(rows[0]["trip_id"] == "rb:re1_0800" and rows[0]["transfers"] == "2", "CSV transit row")

# ---- arguments and exit codes ----------------------------------------------------
r = run("route", "--help")
check(r.returncode == 0 and "usage: grens route" in r.stdout, "route --help")
r = run("profile", "--help")
check(r.returncode == 0 and "usage: grens profile" in r.stdout, "profile --help")
r = route("--from", "neuss", "--to", "BONN", "--date", "2026-03-10", "--time", "08:00")
check(r.returncode == 2 and "Neuss Süd" in r.stderr and "Neuss Nord" in r.stderr,
      f"ambiguous name lists candidates ({r.returncode}: {r.stderr.strip()})")
r = route("--from", "Atlantis", "--to", "BONN", "--date", "2026-03-10", "--time", "08:00")
check(r.returncode == 2 and "Atlantis" in r.stderr, "unknown stop exits 2")
for bad in (["--date", "2026-13-10", "--time", "08:00"], ["--date", "2026-03-10", "--time", "8h"],
            ["--date", "2026-03-10", "--time", "08:00", "--algo", "astar"],
            ["--date", "2026-03-10", "--time", "08:00", "--max-transfers", "-1"],
            ["--date", "2026-03-10", "--time", "08:00", "--format", "xml"],
            ["--date", "2026-03-10", "--time", "08:00", "--bogus", "1"],
            ["--date", "2026-03-10"]):
    r = route("--from", "AACH", "--to", "BONN", *bad)
    check(r.returncode == 2 and r.stderr, f"bad arguments {bad} exit 2 ({r.returncode})")
r = run("route", "--feed", os.path.join(FIXTURES, "no-such-feed"), "--from", "A", "--to", "B",
        "--date", "2026-03-10", "--time", "08:00")
check(r.returncode == 1 and r.stderr, "unusable feed exits 1")

# ---- profile --------------------------------------------------------------------------
# AACH -> BONN on Tuesday, 07:58 .. 08:12 every 120 s (8 departures):
#  07:58, 08:00 catch re1 + S12 -> 09:00 (62, 60 min, 1 transfer);
#  08:02 .. 08:10 (5 departures) take SB20 08:10 -> 09:30 (88, 86, 84, 82, 80 min);
#  08:12: nothing later -> unreached.
# Sorted: 60, 62, 80, 82, 84, 86, 88, inf (n = 8); nearest rank: p10 = rank 1 = 60 min,
# median = rank 4 = 82 min, p90 = rank ceil(7.2) = 8 = unreached; mean of 7 =
# (60+62+80+82+84+86+88) / 7 = 542 / 7 min; under 61 min: 1 of 8.
r = run("profile", "--feed", FEED, "--from", "AACH", "--to", "BONN", "--date", "2026-03-10",
        "--window", "07:58-08:12", "--step", "120", "--threshold", "61", "--format", "json")
check(r.returncode == 0, f"profile exit 0 ({r.stderr.strip()})")
doc = json.loads(r.stdout)
s = doc["summary"]
check(s["steps"] == 8 and s["reached"] == 7, f"steps/reached {s['steps']}/{s['reached']}")
check(s["min_s"] == 3600 and s["p10_s"] == 3600, "min and p10 60 min")
check(s["median_s"] == 82 * 60, f"median 82 min ({s['median_s']})")
check(s["p90_s"] is None and s["max_s"] is None, "p90 and max unreached")
check(abs(s["mean_s"] - 542 * 60 / 7) < 1e-6, f"mean {s['mean_s']}")
check(abs(s["share_under_threshold"] - 1 / 8) < 1e-9, "share under 61 min")
tt = [st["travel_time_s"] for st in doc["steps"]]
check(tt == [3720, 3600, 5280, 5160, 5040, 4920, 4800, None], f"per-step travel times {tt}")
check(doc["steps"][0]["departure"] == "2026-03-10T07:58:00", "first step")
r = run("profile", "--feed", FEED, "--from", "AACH", "--to", "BONN", "--date", "2026-03-10",
        "--window", "07:58-08:12", "--step", "120", "--format", "csv")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
check(len(rows) == 8 and rows[1]["travel_time_s"] == "3600" and rows[7]["arrival"] == "",
      "profile CSV")
r = run("profile", "--feed", FEED, "--from", "AACH", "--to", "BONN", "--date", "2026-03-10",
        "--window", "09:00-08:00")
check(r.returncode == 2, "reversed window exits 2")

# ---- a generated feed: RAPTOR and Dijkstra agree on earliest arrival ---------------
gen = os.path.join(os.environ.get("GRENS_BUILD_ROOT", "."), "tools", "gen-feed")
if os.path.exists(gen):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "small")
        p = subprocess.run([gen, "--preset", "small", "--out", out, "--seed", "7"],
                           capture_output=True, text=True)
        check(p.returncode == 0, "gen-feed small")
        pairs = [("g0-0", "g5-5", "07:30"), ("g5-0", "g0-5", "23:50"), ("g2-3", "g4-1", "24:20"),
                 ("g1-4", "g3-0", "12:07")]
        for frm, to, time in pairs:
            res = {}
            for algo in ("raptor", "dijkstra"):
                r = run("route", "--feed", "g=" + out, "--from", frm, "--to", to, "--date",
                        "2026-03-04", "--time", time, "--algo", algo, "--format", "json")
                check(r.returncode == 0, f"generated {frm}->{to} {algo}")
                js = json.loads(r.stdout)["journeys"] if r.returncode == 0 else []
                res[algo] = js[0]["arrival"] if js else None
            check(res["raptor"] == res["dijkstra"], f"generated {frm}->{to} {time}: {res}")
else:
    print(f"SKIP generated feed part: {gen} not built")

finish()
