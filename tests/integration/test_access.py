"""grens access end to end on tests/fixtures/access-basic (expected values
worked out in tests/fixtures/access-basic/README.md and tests/unit/test_access.c)
and on the embedded corridor data."""
import csv
import io
import json
import os
import shutil
import tempfile

from harness import FIXTURES, SOURCE, check, finish, run

FIX = os.path.join(FIXTURES, "access-basic")
PLACES = os.path.join(FIX, "places.csv")
X = "x=" + os.path.join(FIX, "x")
Y = "y=" + os.path.join(FIX, "y")
WINDOW = ["--date", "2026-03-10", "--window", "07:00-07:20", "--step", "300"]


def access(*args):
    return run("access", *args)


def as_json(p):
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


# ---- one origin, hand-computed -------------------------------------------------
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "30,60,120",
           "--format", "json")
check(p.returncode == 0, f"plain run exits 0: {p.stderr}")
doc = as_json(p)
check(doc is not None, "json output parses")
if doc:
    o = doc["origins"][0]
    check(o["id"] == "GM0001" and o["type"] == "place", "origin is PA")
    acc = {(e["percentile"], e["cutoff_min"]): e for e in o["accessibility"]}
    # p50: PA 100 + PB 1000 within 30; + PC 10000 within 60; + PD 100000 and PE
    # 1000000 within 120. PE lies at E, a stop of feed y, which this run does not
    # load: no stop within walking reach (1500 m) and PE is German (no bicycle), so
    # a feeder ties it to the stations within 15 km, D (7.1 km) and C (14.3 km):
    # C: 600 s waiting + ceil(14295 m x 1.3 / (20 km/h = 5.556 m/s)) = 600 + 3346;
    # PA -> C at p50 2100 s, so PE at 2100 + 3946 = 6046 s (via D: 6900 + 600 +
    # 1673 = 9173 s).
    check(acc[(50, 30)]["population"] == 1100, f"p50 30 min: {acc[(50, 30)]}")
    check(acc[(50, 60)]["population"] == 11100, "p50 60 min")
    check(acc[(50, 120)]["population"] == 1111100, "p50 120 min")
    check(acc[(50, 120)]["jobs"] == 15, "jobs 1+2+3+4+5")
    times = {pl["name"]: pl["time_s"][0] for pl in o["places"]}
    check(times == {"PA": 0, "PB": 900, "PC": 2100, "PD": 6900, "PE": 6046},
          f"p50 travel times {times}")
    ties = {pl["name"]: pl["tie"] for pl in o["places"]}
    check(ties == {"PA": "walk", "PB": "walk", "PC": "walk", "PD": "walk", "PE": "feeder"},
          f"how each place is tied {ties}")
    t = doc["meta"]["access"]["ties"]
    check(t["walk"] == {"places": 4, "population": 111100} and
          t["feeder"] == {"places": 1, "population": 1000000} and
          t["bike"]["places"] == 0 and t["none"]["places"] == 0, f"meta ties {t}")
    check(doc["meta"]["unplaced"] == {"municipalities": 0, "population": 0},
          f"no unplaced places {doc['meta']['unplaced']}")
    m = doc["meta"]
    check(m["window"] == "07:00-07:20" and m["step_s"] == 300 and m["cutoffs_min"] == [30, 60, 120],
          "meta records the window and cutoffs")
    check(m["shard"] == {"index": 0, "count": 1}, "unsharded meta")

# --max-duration: PD (115 min at p50) is beyond 60 min, so unreached; nearer
# places are unchanged; the default bound is the largest cutoff
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "30,60",
           "--format", "json", "--max-duration", "60")
doc = as_json(p)
check(p.returncode == 0 and doc is not None, f"bounded run: {p.stderr}")
if doc:
    times = {pl["name"]: pl["time_s"][0] for pl in doc["origins"][0]["places"]}
    # PE at 6046 s (see above) is beyond the bound too
    check(times == {"PA": 0, "PB": 900, "PC": 2100, "PD": None, "PE": None}, f"bounded {times}")
    check(doc["meta"]["max_duration_min"] == 60, "meta max_duration_min")
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "30,90",
           "--decay", "linear:20", "--format", "json")
doc = as_json(p)
check(doc is not None and doc["meta"]["max_duration_min"] == 100, "default bound: 90 + 20/2")

# a stop origin and per-stop times
p = access("--feed", X, "--places", PLACES, "--from", "x:B", *WINDOW, "--stops", "--format", "json")
doc = as_json(p)
check(p.returncode == 0 and doc is not None, f"stop origin runs: {p.stderr}")
if doc:
    o = doc["origins"][0]
    check(o["type"] == "stop" and o["id"] == "x:B", "stop origin id")
    stops = {s["id"]: s["time_s"][0] for s in o["stops"]}
    # from B, R1 at 07:10, 07:30, 07:50 to C (+20): 30 25 20 35 30 -> p50 30 min
    check(stops.get("x:C") == 1800, f"stop C p50 {stops.get('x:C')}")
    check("x:A" not in stops, "unreached stops are left out")

# decay in the CLI (minutes): linear:20 at 30 min = 3600 (see the unit test)
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "30",
           "--decay", "linear:20", "--format", "csv")
check(p.returncode == 0, f"csv run: {p.stderr}")
lines = p.stdout.splitlines()
# a plain CSV: the header first, with the date, percentile and cutoff of each row
check(lines[0] == "index,origin_id,origin_name,date,percentile,cutoff_min,population,jobs",
      f"csv header: {lines[0]}")
rows = list(csv.DictReader(io.StringIO(p.stdout)))
check(len(rows) == 1 and rows[0]["population"] == "3600", f"linear decay row {rows}")
check(rows and rows[0]["date"] == WINDOW[WINDOW.index("--date") + 1] and
      rows[0]["percentile"] == "50" and rows[0]["cutoff_min"] == "30", f"row keys {rows}")
# counts are JSON integers: 3600, not 3600.0
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "30",
           "--decay", "linear:20", "--format", "json")
doc = as_json(p)
acc = doc["origins"][0]["accessibility"][0] if doc else {}
check(acc.get("population") == 3600 and type(acc.get("population")) is int,
      f"population is an integer: {acc}")
check("3600.0" not in p.stdout, "no 3600.0 in the JSON")
# --out X.csv writes X.meta.json beside it (and nothing else)
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "acc.csv")
    p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "30",
               "--format", "csv", "--out", out)
    check(p.returncode == 0 and sorted(os.listdir(tmp)) == ["acc.csv", "acc.meta.json"],
          f"csv and metadata files: {os.listdir(tmp)} {p.stderr}")
    if os.path.exists(os.path.join(tmp, "acc.meta.json")):
        meta = json.load(open(os.path.join(tmp, "acc.meta.json")))
        check(meta["command"] == "grens access" and meta["cutoffs_min"] == [30] and
              meta["shard"] == {"index": 0, "count": 1}, f"metadata {meta}")

# text output names the place and the numbers
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "60")
check(p.returncode == 0 and "PA (GM0001)" in p.stdout and "population 11100" in p.stdout,
      f"text output: {p.stdout}")

# geojson: one point feature per origin with coordinates and values
p = access("--feed", X, "--places", PLACES, *WINDOW, "--cutoffs", "60", "--format", "geojson")
g = as_json(p)
check(g is not None and g["type"] == "FeatureCollection", "geojson parses")
if g:
    check(len(g["features"]) == 5, "every place is an origin by default")
    f0 = g["features"][0]
    check(f0["geometry"]["coordinates"] == [6.0, 50.0], "lon, lat order")
    check(f0["properties"]["population_p50_60min"] == 11100, "geojson property")

# ---- threads, shards and merge ---------------------------------------------------
full = access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--threads", "1",
              "--percentiles", "20,50", "--format", "json")
threaded = access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--threads", "4",
                  "--percentiles", "20,50", "--format", "json")
check(full.returncode == 0 and threaded.returncode == 0, "threaded runs")
check(as_json(full) == as_json(threaded), "4 threads give the same document as 1")

with tempfile.TemporaryDirectory() as tmp:
    shard_files = []
    for i in range(3):
        out = os.path.join(tmp, f"s{i}.json")
        p = access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--percentiles",
                   "20,50", "--shard", f"{i}/3", "--format", "json", "--out", out)
        check(p.returncode == 0 and os.path.exists(out), f"shard {i}: {p.stderr}")
        shard_files.append(out)
    sd = json.load(open(shard_files[1]))
    check([o["index"] for o in sd["origins"]] == [1, 4], "shard 1/3 takes origins 1 and 4")
    merged = run("access", "merge", shard_files[2], shard_files[0], shard_files[1],
                 "--format", "json")
    check(merged.returncode == 0, f"merge: {merged.stderr}")
    check(as_json(merged) == as_json(full), "merged shards equal the unsharded run")
    # a shard missing, or given twice
    p = run("access", "merge", shard_files[0], shard_files[1])
    check(p.returncode != 0 and "shard 2/3 is missing" in p.stderr, f"missing shard: {p.stderr}")
    p = run("access", "merge", shard_files[0], shard_files[0], shard_files[1], shard_files[2])
    check(p.returncode != 0 and "given twice" in p.stderr, f"twice: {p.stderr}")
    # a shard of another run (other cutoffs)
    other = os.path.join(tmp, "other.json")
    access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--percentiles", "20,50",
           "--cutoffs", "45", "--shard", "2/3", "--format", "json", "--out", other)
    p = run("access", "merge", shard_files[0], shard_files[1], other)
    check(p.returncode != 0 and "another run" in p.stderr, f"foreign shard: {p.stderr}")
    # CSV shards merge into the unsharded CSV
    csv_full = access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--format", "csv")
    csv_files = []
    for i in range(2):
        out = os.path.join(tmp, f"c{i}.csv")
        access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--shard", f"{i}/2",
               "--format", "csv", "--out", out)
        csv_files.append(out)
    p = run("access", "merge", csv_files[1], csv_files[0])
    check(p.returncode == 0 and p.stdout == csv_full.stdout,
          f"merged CSV equals the unsharded CSV: {p.stderr}")
    # a NUL byte in a shard refuses the merge, naming the file and line
    with open(csv_files[1], "rb") as f:
        lines = f.read().split(b"\n")
    lines[2] = lines[2][:1] + b"\0" + lines[2][1:]
    nul = os.path.join(tmp, "nul.csv")
    with open(nul, "wb") as f:
        f.write(b"\n".join(lines))
    p = run("access", "merge", csv_files[0], nul)
    check(p.returncode != 0 and f"'{nul}' line 3: NUL byte" in p.stderr, f"NUL shard: {p.stderr}")
    merged_csv = os.path.join(tmp, "merged.csv")
    p = run("access", "merge", csv_files[1], csv_files[0], "--out", merged_csv)
    check(p.returncode == 0 and open(merged_csv).read() == csv_full.stdout,
          f"merge --out writes the CSV: {p.stderr}")
    mm = os.path.join(tmp, "merged.meta.json")
    check(os.path.exists(mm) and json.load(open(mm))["shard"] == {"index": 0, "count": 1},
          "merge --out writes the metadata of the whole run")
    # a CSV shard without its metadata file cannot be checked: refused
    os.unlink(os.path.join(tmp, "c0.meta.json"))
    p = run("access", "merge", csv_files[1], csv_files[0])
    check(p.returncode != 0 and "c0.meta.json" in p.stderr, f"no metadata: {p.stderr}")

# ---- border effect: tests/integration/test_border.py ------------------------------------
# The old comparison of feed sets is gone; asking for it says why.
p = access("--feed", X, "--feed", Y, "--places", PLACES, *WINDOW, "--border-effect",
           "--base-feeds", "x")
check(p.returncode == 2 and "--base-feeds is no longer accepted" in p.stderr
      and "cuts the linked network" in p.stderr, f"--base-feeds refused: {p.stderr}")

# ---- scenario effect -----------------------------------------------------------------
# walking only: with a feeder, PD would still be reached from C (7 km) without R2
p = access("--feed", X, "--places", PLACES, "--from", "PA", *WINDOW, "--cutoffs", "120",
           "--scenario", os.path.join(FIX, "no-r2.yaml"), "--access-mode", "walk",
           "--format", "json")
doc = as_json(p)
check(p.returncode == 0 and doc is not None, f"scenario effect runs: {p.stderr}")
if doc:
    check(doc["meta"]["scenario"]["name"] == "no-r2" and len(doc["meta"]["scenario"]["sha256"]) == 64,
          "scenario name and hash in meta")
    check(doc["meta"]["comparison"]["kind"] == "scenario", "comparison kind")
    e = doc["origins"][0]["accessibility"][0]
    # without R2, PD (100000, 115 min at p50) is no longer reached: 111100 -> 11100
    # (PE has no stop in walking reach on x: reachable only from itself)
    check(e["base"] == 111100 and e["alternative"] == 11100 and e["delta"] == -100000,
          f"scenario delta {e}")
p = access("--feed", X, "--places", PLACES, *WINDOW, "--scenario", os.path.join(FIX, "no-r2.yaml"),
           "--border-effect")
check(p.returncode == 2, "--scenario with --border-effect is refused")
p = access("--feed", X, "--places", PLACES, *WINDOW, "--scenario", os.path.join(FIX, "missing.yaml"))
check(p.returncode == 1, f"an unreadable scenario fails: {p.stderr}")

# ---- bad input -----------------------------------------------------------------------
p = access("--feed", X, "--places", os.path.join(FIX, "bad-places.csv"), *WINDOW)
check(p.returncode == 0, "bad rows are skipped, the run goes on")
for where in ["bad-places.csv:3: lat:", "bad-places.csv:4: lon:", "bad-places.csv:5: population:",
              "bad-places.csv:6: country:", "bad-places.csv:8: name:"]:
    check(where in p.stderr, f"notice {where!r} in {p.stderr}")
check("5 rows skipped" in p.stderr, "skipped rows are counted")
# The same file at a deep path: every notice names the whole path (file names
# used to be cut at 63 bytes, so a checkout 60 characters deep lost them).
with tempfile.TemporaryDirectory() as tmp:
    deep = os.path.join(tmp, *(["d" * 40] * 6))
    os.makedirs(deep)
    deep_places = os.path.join(deep, "bad-places.csv")
    shutil.copy(os.path.join(FIX, "bad-places.csv"), deep_places)
    p = access("--feed", X, "--places", deep_places, *WINDOW)
    check(p.returncode == 0, f"bad rows at a deep path are skipped too: {p.stderr}")
    check(f"{deep_places}:3: lat:" in p.stderr, f"the whole path in the notice: {p.stderr}")
with tempfile.TemporaryDirectory() as tmp:
    nopop = os.path.join(tmp, "nopop.csv")
    with open(nopop, "w") as f:
        f.write("name,country,municipality_code,lat,lon\nA,NL,GM1,50,6\n")
    p = access("--feed", X, "--places", nopop, *WINDOW)
    check(p.returncode == 1 and "nopop.csv:1: population: missing required column" in p.stderr,
          f"missing column: {p.stderr}")
for bad in (["--cutoffs", "60,x"], ["--percentiles", "0"], ["--decay", "cubic"],
            ["--shard", "3/3"], ["--window", "09:00-07:00"], ["--threads", "0"]):
    p = access("--feed", X, "--places", PLACES, *WINDOW, *bad)
    check(p.returncode == 2, f"{bad} is a usage error")
# Without --date: the Tuesday with the most trips. x runs WD on every weekday
# 2026-03-02 .. 2026-03-31, so all five Tuesdays tie and the one nearest the
# middle of the period (2026-03-16 12:00) wins: 2026-03-17.
p = access("--feed", X, "--places", PLACES, "--window", "07:00-08:00", "--format", "json")
q = access("--feed", X, "--places", PLACES, "--window", "07:00-08:00", "--format", "json",
           "--date", "2026-03-17")
check(p.returncode == 0 and "--date 2026-03-17" in p.stderr
      and json.loads(p.stdout)["meta"]["date"] == "2026-03-17",
      f"default date: {p.returncode} {p.stderr.strip()}")
check(p.returncode == 0 and q.returncode == 0
      and json.loads(p.stdout)["origins"] == json.loads(q.stdout)["origins"],
      "the default date gives the same result as --date 2026-03-17")
p = access("--feed", X, "--places", PLACES, "--from", "Nowhere", *WINDOW)
check(p.returncode == 2 and "matches no stop" in p.stderr, f"unknown origin: {p.stderr}")

# The default places: every run names the population it could not place
# (feeds/places/be-unplaced.csv: 10 municipalities, 107,937 people) and how
# the places were tied; feeds/places is what tools/gen-places writes.
if os.path.isdir(os.path.join(SOURCE, "feeds", "nl")):
    p = access("--from", "Heerlen", "--date", "2026-03-10", "--window", "07:00-07:10",
               "--cutoffs", "60")
    check(p.returncode == 0 and
          "107937 people in 10 municipalities could not be placed (no coordinates)" in p.stdout
          and "places tied to stops: walk " in p.stdout, f"text names ties and unplaced: {p.stdout}")
    p = access("--from", "Heerlen", "--date", "2026-03-10", "--window", "07:00-07:10",
               "--cutoffs", "60", "--access-mode", "walk", "--format", "json")
    t = json.loads(p.stdout)["meta"]["access"]["ties"] if p.returncode == 0 else {}
    check(t and t["bike"]["places"] == 0 and t["feeder"]["places"] == 0,
          f"--access-mode walk ties by walking only: {t}")
    p = access("--from", "Heerlen", "--access-mode", "car")
    check(p.returncode == 2 and "walk, bike, feeder" in p.stderr, f"unknown mode: {p.stderr}")
    import subprocess, sys
    g = subprocess.run([sys.executable, os.path.join(SOURCE, "tools", "gen-places"),
                        os.path.join(SOURCE, "feeds", "places"), "--check", "--out",
                        os.path.join(SOURCE, "feeds", "places")], capture_output=True, text=True)
    check(g.returncode == 0, f"feeds/places is the generator's output of itself: {g.stderr}")

# Text tables pad by display width: "Köln" is 5 bytes but 4 columns, so its
# travel time starts in the same column as every other place's
# (4 spaces + 24 columns of name + 1 space = column 29).
if os.path.isdir(os.path.join(SOURCE, "feeds", "nl")):
    p = access("--from", "Aachen", "--date", "2026-06-16", "--window", "07:00-07:30",
               "--cutoffs", "60")
    rows = [ln for ln in p.stdout.splitlines() if ln.startswith("    ") and ln[4] != " "]
    names = [ln[4:28].rstrip() for ln in rows]
    check("Köln" in names and "Mönchengladbach" in names, f"places listed: {names}")
    for ln in rows:
        check(ln[28] == " " and ln[29] != " ", f"time column of {ln!r} starts at column 29")

finish()
