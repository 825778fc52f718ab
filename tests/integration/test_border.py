"""The border on the embedded corridor: Düren, served only by the German
feed, is out of reach of the Dutch network alone and reachable once the two
feeds are linked. Then grens access --border-effect: the three views, the two
parts of the effect, the ranks and the assumption sets, by hand on
tests/fixtures/border-basic and as inequalities on the embedded data; places
are tied to stops once, on all feeds, and every view reuses those ties."""
import csv
import json
import os
import tempfile

from harness import FIXTURES, run, check, finish, SOURCE

nl = os.path.join(SOURCE, "feeds", "nl")
nrw = os.path.join(SOURCE, "feeds", "nrw")
query = ["--from", "Amsterdam Centraal", "--to", "Düren", "--date", "2026-03-10",
         "--time", "08:00", "--format", "json"]

# NL feed alone: Düren is not in the Dutch network at all.
r = run("route", "--feed", "nl=" + nl, *query)
check(r.returncode == 2 and "Düren" in r.stderr,
      f"NL alone: Düren is no stop of the network ({r.returncode}: {r.stderr.strip()})")

# Linked NL + NRW. By hand from the feed files:
#   feeds/nl/stop_times.txt, trip NSINT:ice-int:daily:129: Amsterdam Centraal
#   (asd:1) d 08:04, Köln Hbf (kk:1) a 10:45;
#   feeds/nrw/stop_times.txt, trip 10120-wdsa-de-nrw-re1: Köln Hbf
#   (de:05315:11201:1:2) d 10:58, Düren (de:05358:2286:1:2) a 11:24.
#   Köln Hbf is one station in both feeds: a 360 s walk between the platforms,
#   10:45 + 6 min = 10:51 <= 10:58, so the change holds.
#   Travel time 11:24 - 08:04 = 3 h 20 = 12000 s, one transfer.
r = run("route", "--feed", "nl=" + nl, "--feed", "nrw=" + nrw, *query)
check(r.returncode == 0, f"linked: exit 0 ({r.stderr.strip()})")
doc = json.loads(r.stdout) if r.returncode == 0 else {"journeys": []}
check(len(doc["journeys"]) >= 1, "linked: Düren is reachable")
if doc["journeys"]:
    j = doc["journeys"][0]
    check(j["departure"] == "2026-03-10T08:04:00", f"departs 08:04 ({j['departure']})")
    check(j["arrival"] == "2026-03-10T11:24:00", f"arrives 11:24 ({j['arrival']})")
    check(j["duration_s"] == 12000, f"3 h 20 ({j['duration_s']})")
    check(j["transfers"] == 1, f"one transfer ({j['transfers']})")
    transit = [leg for leg in j["legs"] if leg["mode"] == "transit"]
    check([leg["feed"] for leg in transit] == ["nl", "nrw"],
          f"the journey crosses from the Dutch feed to the German one: {transit}")
    walks = [leg for leg in j["legs"] if leg["mode"] == "walk"]
    check(len(walks) == 1 and walks[0]["duration_s"] == 360,
          f"one 360 s walk between the two feeds' Köln Hbf platforms: {walks}")

# ---- places tied once: tests/fixtures/access-tie -----------------------------------
# P (100 people, NL) at lon 5.985; XA of feed x at lon 6.0 (1073 m east of P), XB
# at 6.1 with place Q (1000); YA of feed y at 5.972 (930 m west of P), YB at 5.872
# with place R (10). X1 runs XA -> XB and Y1 YA -> YB every 10 min (10 min ride);
# XA and YA are 2 km apart, so no footpath joins them. Walking only, cutoff 60.
TIE = os.path.join(SOURCE, "tests", "fixtures", "access-tie")
TX, TY = "x=" + os.path.join(TIE, "x"), "y=" + os.path.join(TIE, "y")
TARGS = ["--places", os.path.join(TIE, "places.csv"), "--from", "P", "--date", "2026-03-10",
         "--window", "07:00-07:20", "--step", "300", "--cutoffs", "60", "--links", "none",
         "--access-mode", "walk", "--format", "json"]


def population(p):
    d = json.loads(p.stdout)
    return d["origins"][0]["accessibility"][0]


# The old bug, as two independent runs: with one station per place, on x alone P
# walks to XA (1073 m x 1.3 / 1.2 = 1163 s) and rides to Q: 100 + 1000 = 1100;
# on x + y its nearest station is YA (930 m), which leads only to R: 100 + 10 = 110.
# Tied on each network separately the border "costs" 110 - 1100 = -990 people.
old_base = run("access", "--feed", TX, *TARGS, "--access-stops", "1")
old_alt = run("access", "--feed", TX, "--feed", TY, *TARGS, "--access-stops", "1")
check(old_base.returncode == 0 and population(old_base)["population"] == 1100,
      f"x alone: P reaches Q ({old_base.stderr})")
check(old_alt.returncode == 0 and population(old_alt)["population"] == 110,
      f"x + y, one station: P reaches R only ({old_alt.stderr})")
# ---- the embedded data: every place tied once --------------------------------------
# Every placed municipality is counted once, by the mode of its quickest tie,
# and feeds/places/be-unplaced.csv (10 municipalities, 107,937 people) is
# reported, never dropped: 342 + 396 + 116 placed, 17,427,805 + 18,190,422 +
# 1,879,233 people (feeds/places/SOURCES.md).
p = run("access", "--from", "Heerlen", "--window", "07:00-07:10", "--cutoffs", "60",
        "--format", "json")
check(p.returncode == 0, f"Heerlen on the default data: {p.stderr[-500:]}")
if p.returncode == 0:
    m = json.loads(p.stdout)["meta"]
    check(m["places"] == 854, f"854 placed municipalities ({m['places']})")
    t = m["access"]["ties"]
    check(sum(v["places"] for v in t.values()) == 854, f"ties cover every place {t}")
    check(sum(v["population"] for v in t.values()) == 17427805 + 18190422 + 1879233,
          f"and all their people {t}")
    check(m["unplaced"] == {"municipalities": 10, "population": 107937},
          f"be-unplaced.csv is reported: {m['unplaced']}")

# ---- grens access --border-effect on tests/fixtures/border-basic ----------------------
FIX = os.path.join(FIXTURES, "border-basic")
BASE = ["access", "--feed", "x=" + os.path.join(FIX, "x"), "--places",
        os.path.join(FIX, "places.csv"), "--links", "none", "--date", "2026-03-10",
        "--window", "07:00-07:10", "--step", "300", "--cutoffs", "30,60",
        "--percentiles", "50,90", "--access-time", "0"]
KEYS = ["national", "closed_border", "today", "border_effect", "cross_border_network",
        "neighbours"]


def as_json(r):
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


r = run(*BASE, "--from", "PH", "--from", "PM", "--border-effect", "--rank", "--sensitivity",
        "--format", "json")
doc = as_json(r)
check(r.returncode == 0 and doc is not None, f"border views run: {r.stderr.strip()}")
if doc:
    c = doc["meta"]["comparison"]
    check(c["kind"] == "border" and c["home"] == "NL"
          and c["views"] == ["national", "closed_border", "today"], f"comparison meta {c}")
    # S, H, V, M are Dutch, Aachen Hbf and Düren German; the cut keeps M -> H
    # (both R1 trips), S -> H and V -> M (t2): 3 trips become 4 parts
    check(c["stops"] == 6 and c["stops_at_home"] == 4 and c["trips"] == 3
          and c["trips_cut"] == 4, f"the cut: {c}")
    check(c["rank"]["count"] == 4, f"PH, PM, PS, PV are ranked: {c['rank']}")
    check(set(c["assumptions"]) == {"central", "low", "high"}, "three assumption sets")
    lo, ce, hi = (c["assumptions"][k] for k in ("low", "central", "high"))
    # low and high: access distance -/+ 500 m, walking -/+ 0.2 m/s, change
    # times +/- 60 s from the run's own (1500 m, 1.2 m/s, 120 s, 120 s)
    check((lo["access_distance_m"], ce["access_distance_m"], hi["access_distance_m"])
          == (1000, 1500, 2000), f"access distances {lo} {ce} {hi}")
    check((lo["min_change_s"], ce["min_change_s"], hi["min_change_s"]) == (180, 120, 60)
          and (lo["link_min_change_s"], hi["link_min_change_s"]) == (180, 60),
          "change times")
    check(abs(lo["walk_speed_mps"] - 1.0) < 1e-9 and abs(hi["walk_speed_mps"] - 1.4) < 1e-9,
          "walking speeds")
    names = [o["name"] for o in doc["origins"]]
    check(names == ["PH", "PM"], f"only the --from origins are shown: {names}")
    ph = {(e["percentile"], e["cutoff_min"]): e for e in doc["origins"][0]["border"]}
    # By hand (tests/unit/test_access.c, test_border_views): from H at 07:00,
    # 07:05, 07:10 today A is 35/30/25 min away (t2), V 55/50/45, M 65/60/55,
    # D 60/55/50 (t1); PX sits at H. On the cut nothing leaves H.
    #                          national closed  today    effect   network  neighbours
    want = {(50, 30): [1, 10001, 110001, 110000, 100000, 10000],
            (50, 60): [1, 10001, 1111011, 1111010, 1101010, 10000],
            (90, 30): [1, 10001, 10001, 10000, 0, 10000],
            (90, 60): [1, 10001, 1111001, 1111000, 1101000, 10000]}
    for k, v in want.items():
        got = [ph[k][x] for x in KEYS]
        check(got == v, f"PH p{k[0]} {k[1]} min: {got} == {v}")
    # ranks at p50 within 60 min: national PV 1010 > PS 100 > PM 11 > PH 1;
    # today PH 1111011 > PM 1110011 > PV 1010 > PS 100
    check(ph[(50, 60)]["rank"] == {"national": 4, "today": 1, "of": 4},
          f"Heerlen-like PH: bottom nationally, top today {ph[(50, 60)]['rank']}")
    pm = {(e["percentile"], e["cutoff_min"]): e for e in doc["origins"][1]["border"]}
    check([pm[(50, 60)][x] for x in KEYS] == [11, 10011, 1110011, 1110000, 1100000, 10000]
          and pm[(50, 60)]["rank"] == {"national": 3, "today": 2, "of": 4},
          f"PM p50 60 min {pm[(50, 60)]}")
    for o in doc["origins"]:
        for e in o["border"]:
            s = e["sensitivity"]
            for k in ("national", "closed_border", "today"):
                check(s["low"][k] <= e[k] <= s["high"][k],
                      f"{o['name']} {k}: low <= central <= high ({s['low'][k]}, {e[k]}, "
                      f"{s['high'][k]})")
            # fixed access times and no change on these journeys: the sets agree,
            # so no number's range reaches zero unless it is zero throughout
            zero = [k for k in KEYS if e[k] == 0]
            check(e["may_be_zero_or_negative"] == [], f"nothing crosses zero: {e}")
            check(all(s["low"][k] == 0 for k in zero), "zeros are zero in every set")

# CSV and text come from the same document.
r = run(*BASE, "--from", "PH", "--border-effect", "--rank", "--format", "csv")
rows = list(csv.DictReader(r.stdout.splitlines()))
check(r.returncode == 0 and len(rows) == 4, f"4 CSV rows: {r.stderr.strip()}")
if rows:
    check(list(rows[0])[7:] == KEYS + ["rank_national", "rank_today", "ranked"],
          f"CSV columns {list(rows[0])}")
    row = [x for x in rows if x["percentile"] == "50" and x["cutoff_min"] == "60"][0]
    check([int(row[k]) for k in KEYS] == [1, 10001, 1111011, 1111010, 1101010, 10000]
          and (row["rank_national"], row["rank_today"], row["ranked"]) == ("4", "1", "4"),
          f"CSV row {row}")
r = run(*BASE, "--from", "PH", "--border-effect", "--rank")
check(r.returncode == 0 and "border effect +1111010 = cross-border network +1101010 + "
      "neighbours +10000" in r.stdout and "rank 4 of 4 nationally, 1 today" in r.stdout,
      f"text: {r.stdout}")
# without --from: every Dutch place (PS has no departure in 2 of 3 minutes:
# only itself, 100, in every view)
r = run(*BASE, "--border-effect", "--format", "json")
doc = as_json(r)
check(doc is not None and [o["name"] for o in doc["origins"]] == ["PH", "PM", "PS", "PV"],
      f"default origins are the places in NL: {r.stderr.strip()}")

# Shards of a border run merge into the whole run.
with tempfile.TemporaryDirectory() as tmp:
    parts = [os.path.join(tmp, f"b{i}.json") for i in range(2)]
    for i, path in enumerate(parts):
        r = run(*BASE, "--border-effect", "--shard", f"{i}/2", "--format", "json", "--out", path)
        check(r.returncode == 0, f"shard {i}: {r.stderr.strip()}")
    r = run("access", "merge", *parts, "--format", "json")
    merged = as_json(r)
    check(merged is not None and doc is not None and merged["origins"] == doc["origins"],
          "merged border shards equal the whole run")

# Refused with a reason.
for extra, why in ((["--from", "PA", "--border-effect"], "'PA' is in DE"),
                   (["--border-effect", "--home", "BE"], "knows NL and DE only"),
                   (["--rank", "--shard", "0/2"], "no --shard"),
                   (["--sensitivity"], "go with --border-effect"),
                   (["--border-effect", "--base-feeds", "x"], "no longer accepted")):
    r = run(*BASE, *extra)
    check(r.returncode == 2 and why in r.stderr, f"{extra} refused: {r.stderr.strip()}")

# ---- the embedded data: never negative ------------------------------------------------
# Places are tied to stops once, on today's network, and the cut keeps those
# ties to Dutch stops, so for every origin, percentile and cutoff
# national <= closed border <= today, whatever the access distance (5000 m
# used to make the effect negative when each network tied places its own way).
for extra in ([], ["--access-distance", "5000"]):
    r = run("access", "--border-effect", "--percentiles", "50,90", "--format", "json", *extra)
    doc = as_json(r)
    check(r.returncode == 0 and doc is not None, f"default data {extra}: {r.stderr.strip()}")
    if doc:
        check(len(doc["origins"]) >= 8, f"every Dutch place is an origin ({len(doc['origins'])})")
        bad = [(o["name"], e) for o in doc["origins"] for e in o["border"]
               if not (e["national"] <= e["closed_border"] <= e["today"])
               or min(e["border_effect"], e["cross_border_network"], e["neighbours"]) < 0
               or e["border_effect"] != e["cross_border_network"] + e["neighbours"]]
        check(bad == [], f"never negative, parts add up {extra}: {bad[:3]}")

# Heerlen with the assumption sets. Walking only, every view is ordered
# low <= central <= high: a longer reach can only add stations to a place's
# nearest four, faster walking and shorter changes only shorten journeys.
r = run("access", "--from", "Heerlen", "--border-effect", "--rank", "--sensitivity",
        "--access-mode", "walk", "--percentiles", "50,90", "--format", "json")
doc = as_json(r)
check(r.returncode == 0 and doc is not None, f"Heerlen --sensitivity: {r.stderr.strip()}")
if doc:
    for e in doc["origins"][0]["border"]:
        s = e["sensitivity"]
        for k in ("national", "closed_border", "today"):
            check(s["low"][k] <= e[k] <= s["high"][k], f"Heerlen {k} ordered: {e}")
        check(e["rank"]["of"] == doc["meta"]["comparison"]["rank"]["count"], "rank of N")
# With the default modes the sets need not be ordered: a place that no walk or
# bicycle reaches is tied by a feeder to its four nearest stations within
# 15 km; the high set's longer walk can tie it by walking to one station
# instead. The text therefore gives the range over all three sets.
r = run("access", "--from", "Heerlen", "--border-effect", "--sensitivity",
        "--percentiles", "50", "--cutoffs", "60")
check(r.returncode == 0 and "[low–high]: the range over the low, central and high" in r.stdout,
      f"the range is explained: {r.stdout}")
# A border figure comes with its spread: without --percentiles the views are
# given at p50 and p90 (3 default cutoffs x 2 percentiles = 6 entries).
jd = as_json(run("access", "--from", "Heerlen", "--border-effect", "--format", "json"))
if jd:
    got = sorted({(e["percentile"], e["cutoff_min"]) for e in jd["origins"][0]["border"]})
    check(got == [(50, 60), (50, 90), (50, 120), (90, 60), (90, 90), (90, 120)],
          f"p50 and p90 by default: {got}")
else:
    check(False, "Heerlen --border-effect as JSON")
# Every run says how the places were tied and who could not be placed
# (feeds/places/be-unplaced.csv: 10 municipalities, 107,937 people).
check("places tied to stops: walk " in r.stdout and " no stop " in r.stdout
      and "107937 people in 10 municipalities could not be placed" in r.stdout,
      f"ties and unplaced in the border text: {r.stdout}")
jr = run("access", "--from", "Heerlen", "--border-effect", "--sensitivity",
         "--percentiles", "50", "--cutoffs", "60", "--format", "json")
doc = as_json(jr)
if doc:
    e = doc["origins"][0]["border"][0]
    vals = [e["today"], e["sensitivity"]["low"]["today"], e["sensitivity"]["high"]["today"]]
    check(any(f"[{lo}–{hi}]" in r.stdout
              for lo in (f"{min(vals)}", f"{min(vals):,}") for hi in (f"{max(vals)}", f"{max(vals):,}")),
          f"today's range {vals} is min..max in the text: {r.stdout}")

finish()
