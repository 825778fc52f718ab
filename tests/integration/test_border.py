"""The border on the embedded corridor: Düren, served only by the German
feed, is out of reach of the Dutch network alone and reachable once the two
feeds are linked; and the border effect of grens access is never negative,
because places are tied to stops once, on all feeds, and every side reuses
those ties."""
import json
import os

from harness import run, check, finish, SOURCE

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
# --border-effect ties once, on x + y (P -> YA), and reuses the tie on x alone,
# where YA does not exist: P is tied to nothing there, 100 -> 110, +10.
p = run("access", "--feed", TX, "--feed", TY, *TARGS, "--access-stops", "1",
        "--border-effect", "--base-feeds", "x")
e = population(p) if p.returncode == 0 else {}
check(e.get("base") == 100 and e.get("alternative") == 110 and e.get("delta") == 10,
      f"one station: 100 -> 110 (+10), never negative: {e} {p.stderr}")
# With the default 4 stations P is tied to YA and XA on x + y; x keeps XA:
# base 100 + 1000 = 1100, linked + R = 1110, +10.
p = run("access", "--feed", TX, "--feed", TY, *TARGS, "--border-effect", "--base-feeds", "x")
e = population(p) if p.returncode == 0 else {}
check(e.get("base") == 1100 and e.get("alternative") == 1110 and e.get("delta") == 10,
      f"four stations: 1100 -> 1110 (+10): {e} {p.stderr}")

# ---- the embedded data: never negative for any place, origin, cutoff, percentile -----
p = run("access", "--border-effect", "--date", "2026-03-10", "--window", "07:00-08:00",
        "--step", "120", "--percentiles", "50,90", "--cutoffs", "30,60,90,120",
        "--format", "json", timeout=900)
check(p.returncode == 0, f"every place as origin: {p.stderr[-500:]}")
if p.returncode == 0:
    doc = json.loads(p.stdout)
    m = doc["meta"]
    check(m["places"] == 854 and len(doc["origins"]) == 854,
          f"342 + 396 + 116 placed municipalities are the origins ({m['places']})")
    neg = [(o["name"], e) for o in doc["origins"] for e in o["accessibility"]
           if e["delta"] < 0]
    check(not neg, f"the border effect is never negative: {neg[:5]}")
    # every placed municipality is counted once, by the mode of its quickest tie
    t = m["access"]["ties"]
    check(sum(v["places"] for v in t.values()) == 854, f"ties cover every place {t}")
    check(sum(v["population"] for v in t.values()) == 17427805 + 18190422 + 1879233,
          f"and all their people {t}")
    # the ties of the base are those of all feeds minus the stops nrw alone has:
    # never more places tied by any mode than on all feeds
    b = m["comparison"]["base_ties"]
    check(b["none"]["places"] >= t["none"]["places"], f"base ties {b} vs {t}")
    check(m["unplaced"] == {"municipalities": 10, "population": 107937},
          f"be-unplaced.csv is reported: {m['unplaced']}")

finish()
