"""grens compare end to end: hand-computed travel times on the scenario
fixture, error reporting for bad scenario files, the JSON shape, and the
shipped proposal scenarios on the embedded corridor feeds."""
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

from pbwriter import message, delay_update
from harness import FIXTURES, SOURCE, check, finish, run

BASIC = os.path.join(FIXTURES, "scenario-basic")
EDITS = os.path.join(FIXTURES, "scenario-edits")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def rows_by(doc, **match):
    return [r for r in doc["rows"] if all(
        (r[k]["name"] if isinstance(r[k], dict) else r[k]) == v for k, v in match.items())]


# ---------------------------------------------------------------------------
# --help
r = run("compare", "--help")
check(r.returncode == 0 and "--scenario" in r.stdout and "--window" in r.stdout,
      f"compare --help: {r.returncode} {r.stdout[:200]}")
r = run("compare", "--bogus", "1")
check(r.returncode == 2, f"unknown option exits 2, got {r.returncode}")

# ---------------------------------------------------------------------------
# The fixture (read tests/fixtures/scenario-basic): R1 Aston 06:00/06:30/07:00
# -> Cijk +40 min; R2 Cijk 06:50 -> Dorp 07:20 and 07:50 -> 08:20; change
# 120 s. add-line.yaml adds X Aston d 06:05 -> Dorp a 06:50.
# Departures 06:00 .. 06:05 every minute (6 steps) from Aston to Dorp:
#   base: 06:00 -> 07:20 (80 min); 06:01 .. 06:05 wait for R1 06:30 -> Cijk
#         07:10 -> R2 07:50 -> 08:20: 139, 138, 137, 136, 135 min.
#         sorted 80, 135, 136, 137, 138, 139: min 80, median (3rd of 6,
#         nearest rank) 136 min = 8160 s.
#   X:    06:00 .. 06:05 -> 06:50: 50, 49, 48, 47, 46, 45 min: min 45 = 2700 s,
#         median 47 min = 2820 s; delta 2820 - 8160 = -5340 s.
#   p90 (nearest rank: ceil(0.9 * 6) = 6th of 6): base 139 min = 8340 s,
#         X 50 min = 3000 s: delta -5340 s; delta min 2700 - 4800 = -2100 s;
#         mean transfers 0 - 1 = -1; all 6 under 2 h 30 in both: share delta 0.
#   no-r2: Dorp is unreachable: no median, no delta.
common = ["--feed", "t=" + BASIC, "--from", "t:sa", "--to", "t:d", "--one-way",
          "--date", "2026-03-10", "--window", "06:00-06:05"]
r = run("compare", *common, "--scenario", os.path.join(EDITS, "add-line.yaml"),
        "--scenario", os.path.join(EDITS, "remove-r2.yaml"), "--format", "json")
check(r.returncode == 0, f"compare on the fixture exits 0: {r.stderr}")
doc = json.loads(r.stdout) if r.returncode == 0 else {"rows": [], "scenarios": []}
check(doc.get("scenarios") == ["base", "direct", "no-r2"], f"scenarios: {doc.get('scenarios')}")
check(doc.get("dates") == ["2026-03-10"] and doc.get("window") == "06:00-06:05",
      f"dates and window: {doc.get('dates')} {doc.get('window')}")
base = rows_by(doc, scenario="base")
direct = rows_by(doc, scenario="direct")
nor2 = rows_by(doc, scenario="no-r2")
check(len(base) == 1 and len(direct) == 1 and len(nor2) == 1, f"one row each: {len(doc['rows'])}")
if base and direct and nor2:
    b, d, n = base[0], direct[0], nor2[0]
    check(b["min_s"] == 80 * 60 and b["median_s"] == 8160 and b["delta_median_s"] == 0,
          f"base: {b['min_s']} {b['median_s']} {b['delta_median_s']}")
    check(d["min_s"] == 2700 and d["median_s"] == 2820 and d["delta_median_s"] == -5340,
          f"direct: {d['min_s']} {d['median_s']} {d['delta_median_s']}")
    check(d["delta_min_s"] == -2100 and d["delta_p90_s"] == -5340
          and d["delta_mean_transfers"] == -1 and d["delta_share_under_threshold"] == 0,
          f"direct deltas: {d['delta_min_s']} {d['delta_p90_s']} {d['delta_mean_transfers']} "
          f"{d['delta_share_under_threshold']}")
    check(b["delta_min_s"] == 0 and b["delta_p90_s"] == 0, "base deltas are 0")
    check(n["delta_min_s"] is None and n["delta_p90_s"] is None
          and n["delta_mean_transfers"] is None, f"no-r2 deltas are null: {n}")
    check(d["mean_transfers"] == 0 and b["mean_transfers"] == 1,
          f"transfers: base {b['mean_transfers']} direct {d['mean_transfers']}")
    check(d["first_departure"] == "2026-03-10T06:05:00", f"first departure {d['first_departure']}")
    check(d["best_journey"] and len(d["best_journey"]["legs"]) == 1
          and d["best_journey"]["legs"][0]["route"] == "X"
          and d["best_journey"]["duration_s"] == 2700,
          f"best journey: {d['best_journey']}")
    check(d["scenario_sha256"] == sha256(os.path.join(EDITS, "add-line.yaml")),
          "the row carries the scenario file's SHA-256")
    check(n["reached"] == 0 and n["median_s"] is None and n["delta_median_s"] is None
          and n["best_journey"] is None, f"no-r2: Dorp unreachable: {n}")
    check(b["from"] == {"id": "t:sa", "name": "Aston"} and b["to"]["id"] == "t:d",
          f"from/to: {b['from']} {b['to']}")
    # The window ends at 06:05, so the one journey on X (leaving 06:05, the
    # last step) may leave later as far as the profile knows: no per-train
    # saving; 0 for the base.
    check(d["delta_train_s"] is None and d["train_departure"] is None
          and b["delta_train_s"] == 0 and n["delta_train_s"] is None,
          f"per train in a 5-minute window: {d['delta_train_s']} {b['delta_train_s']}")

# Per train, window 06:00-07:10: X leaves Aston at 06:05 and arrives 06:50
# (45 min); from 06:06 on the scenario rides the base trains. The base journey
# from 06:05 arrives 08:20 and leaves, at the latest, with R1 07:00 (Cijk
# 07:40, change 2 min, R2 07:50 -> 08:20): 80 min, not the 135 of waiting
# from 06:05. Per train 45 - 80 = -35 min = -2100 s, departure 06:05.
r = run("compare", *common[:-1], "06:00-07:10", "--scenario",
        os.path.join(EDITS, "add-line.yaml"), "--format", "json")
doc = json.loads(r.stdout) if r.returncode == 0 else {"rows": []}
d = rows_by(doc, scenario="direct")
check(len(d) == 1 and d[0]["delta_train_s"] == -2100
      and d[0]["train_departure"] == "2026-03-10T06:05:00",
      f"per train on the fixture: {d[0]['delta_train_s'] if d else r.stderr}")
# The CSV carries the same, as its last two columns.
r = run("compare", *common[:-1], "06:00-07:10", "--scenario",
        os.path.join(EDITS, "add-line.yaml"), "--format", "csv")
rows = list(csv.reader(io.StringIO(r.stdout)))
check(r.returncode == 0 and rows and rows[0][-2:] == ["delta_train_s", "train_departure"]
      and [x[-2:] for x in rows[1:]] == [["0", ""], ["-2100", "2026-03-10T06:05:00"]],
      f"per train in the CSV: {rows}")

# ---------------------------------------------------------------------------
# Bad scenario files: file:line:column on stderr; exit 2 when the file is
# malformed, 1 when it is well formed but does not fit the feeds.
for name, code, where in (("bad-key.yaml", 2, ":5:7: "), ("bad-syntax.yaml", 2, ":4:1: "),
                          ("bad-stop.yaml", 1, ":7:19: ")):
    path = os.path.join(EDITS, name)
    r = run("compare", *common, "--scenario", path)
    check(r.returncode == code, f"{name}: exit {r.returncode}, expected {code}")
    check(path + where in r.stderr, f"{name}: error names {path}{where}: {r.stderr.strip()}")
    check(r.stdout == "", f"{name}: nothing on stdout")
r = run("compare", *common, "--scenario", os.path.join(EDITS, "missing.yaml"))
check(r.returncode == 2 and "missing.yaml" in r.stderr, f"a missing file: {r.returncode} {r.stderr}")

# ---------------------------------------------------------------------------
# The default run on the embedded corridor: base against every shipped
# proposal (README, "The shipped scenarios").
r = run("compare")
check(r.returncode == 0, f"grens compare runs on the defaults: {r.stderr}")
# The scenario's copies of the feeds resolve feeds/links.csv like the base.
check("link_unknown_stop" not in r.stderr and "no such stop" not in r.stderr,
      f"the links file applies to the scenario network too: {r.stderr[:400]}")
check("Amsterdam Centraal" in r.stdout and "ic-aken" in r.stdout and "Δmedian" in r.stdout
      and "Δtrain" in r.stdout and "ic-eindhoven-aken-randen " in r.stdout,
      "the text table names origins, scenarios (whole) and the delta columns")
r = run("compare", "--format", "json")
doc = json.loads(r.stdout) if r.returncode == 0 else {"rows": []}
SHIPPED = ["ic-eindhoven-aken", "ic-eindhoven-aken-randen", "ic-denhaag-aken", "ic-aken"]
check(doc.get("scenarios") == ["base"] + SHIPPED, f"default scenarios {doc.get('scenarios')}")
check(len(doc.get("dates", [])) == 2, f"a weekday and a Sunday: {doc.get('dates')}")
# 6 origins x 1 destination x 2 directions x 2 dates x 5 networks
check(len(doc["rows"]) == 120, f"120 rows, got {len(doc['rows'])}")
keys = {"from", "to", "date", "scenario", "min_s", "median_s", "p90_s", "mean_transfers",
        "share_under_threshold", "first_departure", "last_departure", "delta_median_s",
        "delta_train_s", "train_departure"}
check(all(keys <= set(row) for row in doc["rows"]), "every row has the DESIGN.md fields")
for name in SHIPPED:
    check(doc.get("scenario_sha256", {}).get(name)
          == sha256(os.path.join(SOURCE, "feeds", "scenarios", name + ".yaml")),
          f"the JSON carries the hash of {name}")
# Amsterdam C -> Aachen Hbf on the weekday (feeds/README.md, feeds/scenarios/ic-aken.yaml):
# base: IC :20/:50 to Heerlen (144 min), 4 min change, RE18 :18/:48 (29 min):
#   177 min door to door; each departure minute waits 0..29 min: 06:20 covers
#   06:00-06:20 (21 steps), each later train up to 21:20 30 steps; after 21:20
#   nothing arrives that night (40 steps: the last RE18 leaves Heerlen 23:48).
#   Steps with wait <= 15: 16 + 30 x 16 = 496 >= 481 (the nearest-rank median
#   of 961), wait <= 14: 15 + 30 x 15 = 465: median 177 + 15 = 192 min =
#   11520 s. min 177 min = 10620 s.
# ic-aken: the :20 trains run through, 2 h 51 (144 + 2 + 25 = 171 min); the
#   :50 ones keep the change (177). 06:00-06:20: 171 + w (w 0..20, 21 values);
#   15 hours of the :50 train 177 + w and 15 of the :20 train 171 + w (w 0..29,
#   30 values each); 21:21-22:00 ride the 22:20 through train, 191..230.
#   Values <= 189 min: 19 + 15 x 13 + 15 x 19 = 499 >= 481; <= 188: 18 + 15 x 12
#   + 15 x 18 = 468: median 189 min = 11340 s, 3 min less than the base.
#   Per train: the through train 171 against the base train from the same
#   minute, 177: -6 min = -360 s, first at 06:20.
# ic-eindhoven-aken (Eindhoven d :36): from Amsterdam, the Maastricht IC d :05
#   reaches Eindhoven at :24 (8+18+2+29+3+19 = 79), the through IC d :36 is
#   at Aachen Hbf at :04 (61 + 2 + 25 = 88): 179 min, against the base train
#   :20 from the same minute, 177: +2 min per train (+120 s): the new train
#   gives an earlier departure, not a faster one.
wd = doc["dates"][0] if doc.get("dates") else ""


def pair(frm, to):
    return {row["scenario"]: row
            for row in rows_by(doc, date=wd, **{"from": frm, "to": to})}


by = pair("Amsterdam Centraal", "Aachen Hbf")
check(set(by) == {"base"} | set(SHIPPED), f"Amsterdam rows {list(by)}")
if set(by) == {"base"} | set(SHIPPED):
    check(by["base"]["min_s"] == 10620 and by["base"]["median_s"] == 11520,
          f"base Amsterdam C -> Aachen Hbf: {by['base']['min_s']} {by['base']['median_s']}")
    check(by["ic-aken"]["min_s"] == 10260 and by["ic-aken"]["median_s"] == 11340,
          f"ic-aken: {by['ic-aken']['min_s']} {by['ic-aken']['median_s']}")
    check(by["ic-aken"]["delta_median_s"] == -180, f"delta {by['ic-aken']['delta_median_s']}")
    check(by["ic-aken"]["delta_train_s"] == -360
          and by["ic-aken"]["train_departure"] == wd + "T06:20:00",
          f"ic-aken per train {by['ic-aken']['delta_train_s']} {by['ic-aken']['train_departure']}")
    check(by["ic-eindhoven-aken"]["delta_train_s"] == 120
          and by["ic-eindhoven-aken"]["train_departure"] == wd + "T06:05:00",
          f"ic-eindhoven-aken from Amsterdam per train {by['ic-eindhoven-aken']['delta_train_s']}")
    legs = (by["ic-aken"]["best_journey"] or {}).get("legs", [])
    check(len(legs) == 1 and legs[0]["route"] == "IC", f"best journey without a change: {legs}")

# The published per-train saving of a through IC Eindhoven - Aachen: "just
# under half an hour" (L1 / NH Nieuws, 2024-05). The line files give:
# southbound, base Eindhoven d :43 (Heerlen IC) -> Heerlen a :44 (16+14+1+14+
#   1+15 = 61) -> RE18 :48 -> Aachen Hbf a :17: 94 min ("a little over 1.5 h");
#   the through IC d :36 -> Heerlen a :37 d :39 -> Aachen Hbf a :04: 61 + 2 +
#   25 = 88 min; per train 88 - 94 = -6 min = -360 s (the base change is only
#   4 min, and the RE18 takes 29 min where the IC takes 25 + 2).
# northbound, the through IC Aachen Hbf d :31 -> Eindhoven a :59 (25 + 2 + 61 =
#   88 min); the base from :31: RE18 :47 -> Heerlen a :16, the IC leaves at :16
#   (4 min change missed), next :46 -> Eindhoven a :47: 29 + 30 + 61 = 120 min
#   from :47; per train 88 - 120 = -32 min = -1920 s.
# The edge-of-day trains (randen) are the same trains: the same saving per
# train, first at 06:36 / 06:31; only the median moves less.
for frm, to, want, dep in (("Eindhoven Centraal", "Aachen Hbf", -360, "06:36"),
                           ("Aachen Hbf", "Eindhoven Centraal", -1920, "06:31")):
    by = pair(frm, to)
    for name in ("ic-eindhoven-aken", "ic-eindhoven-aken-randen"):
        row = by.get(name, {})
        check(row.get("delta_train_s") == want and row.get("train_departure") == f"{wd}T{dep}:00",
              f"{name} {frm} -> {to} per train {row.get('delta_train_s')} "
              f"{row.get('train_departure')}, want {want} at {dep}")
    check(by.get("base", {}).get("min_s") == (94 if want == -360 else 120) * 60,
          f"base {frm} -> {to} fastest {by.get('base', {}).get('min_s')}")

# ---------------------------------------------------------------------------
# The half-hourly scenario applied in memory matches the feeds that
# tools/gen-corridor generates from feeds/lines/scenarios/ic-aken.lines.
with tempfile.TemporaryDirectory() as tmp:
    g = subprocess.run([sys.executable, os.path.join(SOURCE, "tools", "gen-corridor"), "--add",
                        os.path.join(SOURCE, "feeds", "lines", "scenarios", "ic-aken.lines"),
                        "--out", tmp], capture_output=True, text=True)
    check(g.returncode == 0, f"gen-corridor --add: {g.stderr}")
    empty = os.path.join(tmp, "none.yaml")
    with open(empty, "w") as f:
        f.write("name: none\nedits: []\n")
    gen = run("compare", "--feed", os.path.join(tmp, "nl"), "--feed", os.path.join(tmp, "nrw"),
              "--scenario", empty, "--format", "csv")
    mem = run("compare", "--scenario",
              os.path.join(SOURCE, "feeds", "scenarios", "ic-aken-halfhourly.yaml"),
              "--format", "csv")
    check(gen.returncode == 0 and mem.returncode == 0, f"both runs: {gen.stderr} {mem.stderr}")
    stats = ("min_s", "median_s", "p90_s", "mean_transfers", "share_under_threshold")

    def table(text, scenario):
        return [(row["from_name"], row["to_name"], row["date"], *(row[k] for k in stats))
                for row in csv.DictReader(io.StringIO(text)) if row["scenario"] == scenario]

    a, b = table(gen.stdout, "base"), table(mem.stdout, "ic-aken-halfhourly")
    check(len(a) == 24 and a == b, f"generated and in-memory ic-aken agree: {a[:2]} vs {b[:2]}")

# --out writes every format.
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "cmp")
    r = run("compare", *common, "--scenario", os.path.join(EDITS, "add-line.yaml"), "--out", out)
    check(r.returncode == 0, f"--out: {r.stderr}")
    names = sorted(os.listdir(out)) if os.path.isdir(out) else []
    check(names == ["compare.csv", "compare.json", "compare.txt"], f"--out wrote {names}")
    if "compare.json" in names:
        with open(os.path.join(out, "compare.json")) as f:
            check(len(json.load(f)["rows"]) == 2, "compare.json has base and scenario rows")

# ---------------------------------------------------------------------------
# --rt: every network runs on the live times. The message (2026-03-10 08:00Z,
# so the date defaults to 2026-03-10 in Europe/Amsterdam) delays r1a (R1
# Aston 06:00) by 600 s at Cijk: there 06:50, ready 06:52, R2 06:50 missed.
#   base: 06:00 -> r1a -> Cijk 06:50 -> R2 07:50 -> Dorp 08:20 = 140 min;
#         06:01 .. 06:05 -> r1b 06:30 -> Cijk 07:10 -> R2 07:50 -> 08:20 =
#         139 .. 135 min. Sorted 135 .. 140: min 8100 s, median (3rd) 137 min
#         = 8220 s, p90 (6th) 140 min = 8400 s.
#   direct: X does not touch Cijk: 50 .. 45 min as without realtime, median
#         2820 s; delta 2820 - 8220 = -5400 s.
rtdir = tempfile.mkdtemp(prefix="grens-compare-rt-")
pb = os.path.join(rtdir, "late.pb")
with open(pb, "wb") as f:
    f.write(message([delay_update("e1", "r1a", "c", 600, "20260310")], timestamp=1773129600))
live = ["--feed", "t=" + BASIC, "--from", "t:sa", "--to", "t:d", "--one-way",
        "--window", "06:00-06:05", "--scenario", os.path.join(EDITS, "add-line.yaml")]
r = run("compare", *live, "--rt", pb, "--format", "json")
doc = json.loads(r.stdout) if r.returncode == 0 else {"rows": []}
check(r.returncode == 0 and doc.get("dates") == ["2026-03-10"] and doc.get("rt") == pb,
      f"compare --rt: date from the message, rt named: {r.stderr} {doc.get('dates')}")
by = {row["scenario"]: row for row in doc["rows"]}
if set(by) == {"base", "direct"}:
    b, d = by["base"], by["direct"]
    check(b["min_s"] == 8100 and b["median_s"] == 8220 and b["p90_s"] == 8400,
          f"live base: {b['min_s']} {b['median_s']} {b['p90_s']}")
    check(d["median_s"] == 2820 and d["delta_median_s"] == -5400,
          f"live direct: {d['median_s']} {d['delta_median_s']}")
else:
    check(False, f"compare --rt rows: {list(by)}")
r = run("compare", *live, "--rt", pb, "--date", "2026-03-10", "--date", "2026-03-11")
check(r.returncode == 2 and "one --date" in r.stderr, f"--rt with two dates: {r.stderr.strip()}")
r = run("compare", *live, "--rt", "http://127.0.0.1:1/late.pb")
check(r.returncode == 2 and "grens fetch" in r.stderr, f"--rt URL: {r.stderr.strip()}")
r = run("compare", *live, "--rt", os.path.join(rtdir, "missing.pb"))
check(r.returncode == 1, f"--rt missing file: exit 1 ({r.returncode})")
shutil.rmtree(rtdir, ignore_errors=True)

# The text table pads names by display width and cuts them at a character:
# "Köln Hbf" (9 bytes, 8 columns) leaves the date at column 42 like "Aachen
# Hbf" (20 + 1 + 20 + 1), and the heading "Δmedian" (8 bytes, 7 columns)
# right-aligned in 8 columns ends where the rows end.
r = run("compare", "--from", "Köln Hbf", "--to", "Aachen Hbf", "--date", "2026-06-16",
        "--window", "08:00-09:00")
lines = r.stdout.splitlines()
head = [ln for ln in lines if ln.startswith("from ")]
rows = [ln for ln in lines if ln.startswith(("Köln Hbf ", "Aachen Hbf "))]
# two directions x five networks (the base and the four shipped scenarios)
check(r.returncode == 0 and len(head) == 1 and len(rows) == 10, f"compare table: {r.stdout}")
for ln in rows:
    check(ln[42:52] == "2026-06-16", f"date at column 42: {ln!r}")
    check(len(ln) == len(head[0]), f"row as wide as the heading: {ln!r} / {head[0]!r}")

# A best journey that stays seated says so on the continuing leg: on
# route-basic, re1 (Aachen 08:00) reaches Köln Gleis 1 at 08:50 and its block
# continues as re9 at 08:51 to Siegburg (tests/fixtures/route-basic/expected.txt).
with tempfile.TemporaryDirectory() as tmp:
    sc = os.path.join(tmp, "no-s12.yaml")
    with open(sc, "w", encoding="utf-8") as f:
        f.write("name: no-s12\nedits:\n  - remove:\n      routes: [S12]\n")
    r = run("compare", "--feed", "rb=" + os.path.join(FIXTURES, "route-basic"), "--scenario", sc,
            "--from", "AACH", "--to", "SIEG", "--one-way", "--date", "2026-03-10",
            "--window", "08:00-08:00", "--format", "json")
    check(r.returncode == 0, f"compare on route-basic: {r.stderr}")
    if r.returncode == 0:
        legs = json.loads(r.stdout)["rows"][0]["best_journey"]["legs"]
        check([(x["trip_id"], x.get("stay_seated")) for x in legs] ==
              [("rb:re1_0800", None), ("rb:re9_0851", True)], f"compare stay_seated {legs}")

# The networks on several threads: --threads 1 and --threads 3 give the same
# document (five networks: the base and the four shipped scenarios, both
# directions, each with its best journey), apart from meta; a bad count is a
# usage error.
docs = []
for n in ("1", "3"):
    r = run("compare", "--from", "Köln Hbf", "--to", "Aachen Hbf", "--date", "2026-06-16",
            "--window", "08:00-09:00", "--threads", n, "--format", "json")
    check(r.returncode == 0, f"compare --threads {n}: {r.stderr}")
    d = json.loads(r.stdout) if r.returncode == 0 else {}
    d.pop("meta", None)
    docs.append(d)
check(docs[0] == docs[1] and len(docs[0].get("rows", [])) == 10 and
      any(row.get("best_journey") for row in docs[0].get("rows", [])),
      "compare: the same rows on 1 and 3 threads")
r = run("compare", "--threads", "0")
check(r.returncode == 2 and "--threads" in r.stderr, f"--threads 0 exits 2: {r.returncode} {r.stderr}")

finish()
