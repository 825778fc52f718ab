"""grens link end to end: the report in text, json and csv on the link-*
fixtures, time zones, argument errors, and the embedded corridor feeds
(feeds/nl + feeds/nrw): stations matched, RE18 and ICE trips merged."""
import csv
import io
import json
import os
import tempfile

from harness import FIXTURES, SOURCE, check, finish, run

NL = "nl=" + os.path.join(FIXTURES, "link-nl")
DE = "de=" + os.path.join(FIXTURES, "link-de")
LINKS = os.path.join(FIXTURES, "link-rules", "links.csv")
OVERRIDES = os.path.join(FIXTURES, "link-rules", "overrides.csv")
FIX_ARGS = ["--feed", NL, "--feed", DE, "--links", LINKS, "--overrides", OVERRIDES]

# ---------------------------------------------------------------------------
# 1. The fixture pair as JSON (expected values derived in tests/unit/test_link.c).
r = run("link", *FIX_ARGS, "--report", "--format", "json")
check(r.returncode == 0, f"link json exits 0: {r.stderr}")
rep = json.loads(r.stdout) if r.returncode == 0 else {}
pairs = {(m["a"]["id"], m["b"]["id"]): m for m in rep.get("matches", [])}
expected = {
    ("grs", "de:05334:5002"): "override",
    ("hzr", "de:05334:3690"): "links",
    ("vl", "8400644"): "code",
    ("ahbf", "de:05334:1008"): "name",
    ("bush", "de:05334:5003"): "distance",
}
check({k: v["rule"] for k, v in pairs.items()} == expected,
      f"five matches with their rules: {sorted(pairs)}")
ah = pairs.get(("ahbf", "de:05334:1008"), {})
check(ah.get("a", {}).get("name") == "Aachen Hbf"
      and ah.get("b", {}).get("name") == "Aachen Hauptbahnhof"
      and ah.get("a", {}).get("feed") == "nl" and ah.get("b", {}).get("feed") == "de",
      f"both names and feeds kept: {ah}")
# 0.0003 degrees of longitude at 50.77 N = 21.1 m.
check(abs(ah.get("distance_m", 0) - 21.1) < 0.5, f"Aachen distance: {ah.get('distance_m')}")
misses = {(m["a"]["id"], m["b"]["id"]): m["reason"] for m in rep.get("near_misses", [])}
check(set(misses) == {("kkd", "de:05334:5001"), ("aw", "de:05334:1086"),
                      ("vl", "de:05334:5004"), ("schz", "de:05334:5005")},
      f"near misses: {misses}")
check("already matched" in misses.get(("vl", "de:05334:5004"), ""), "Venlo bus stop: taken")
check("forbidden" in misses.get(("kkd", "de:05334:5001"), ""), "Kerkrade forbidden by override")
merges = {(m["a"]["trip_id"], m["b"]["trip_id"]): m for m in rep.get("merged_trips", [])}
check({k: v["kind"] for k, v in merges.items()} == {
    ("nl-re18-1", "de-re18-1"): "joined",
    ("nl-ic-1", "de-ic-1"): "contained",
    ("nl-ic-2", "de-ic-2"): "contained",
    ("nl-bus-1", "de-bus-1"): "same",
}, f"merged trips: {sorted(merges)}")
j = merges.get(("nl-re18-1", "de-re18-1"), {})
check(j.get("short_name") == "32027" and j.get("days") == 5 and j.get("shared_stops") == 1,
      f"joined RE18: {j}")
counts = rep.get("counts", {})
check(counts.get("link_footpaths") == 10 and counts.get("links_unresolved") == 1
      and counts.get("stops") == 29 and counts.get("trips") == 9, f"counts: {counts}")
check("link_invalid_row" in r.stderr and "overrides.csv:4" in r.stderr,
      f"the bad override row is reported with its line: {r.stderr}")
check(rep.get("timezone") == "Europe/Amsterdam"
      and [f["timezone"] for f in rep.get("feeds", [])] == ["Europe/Amsterdam", "Europe/Berlin"]
      and all(f["shift_min_s"] == 0 and f["shift_max_s"] == 0 for f in rep.get("feeds", [])),
      f"zones: {rep.get('feeds')}")

# Without merging, nothing is merged and every trip stays: 4 + 5 = 9.
r = run("link", *FIX_ARGS, "--no-merge", "--format", "json")
rep2 = json.loads(r.stdout) if r.returncode == 0 else {}
check(r.returncode == 0 and rep2.get("merged_trips") == [] and rep2["counts"]["trips"] == 9,
      f"--no-merge: {r.stderr}")
# A tolerance below the 60 s difference at Aachen keeps 20001 apart.
r = run("link", *FIX_ARGS, "--tolerance", "30", "--format", "json")
rep3 = json.loads(r.stdout) if r.returncode == 0 else {}
check(r.returncode == 0 and len(rep3.get("merged_trips", [])) == 3
      and all(m["b"]["trip_id"] != "de-ic-1" for m in rep3.get("merged_trips", [])),
      f"--tolerance 30: {rep3.get('merged_trips')}")

# The walking speed is accepted within 0.2..5 m/s (the footpath durations it
# changes are checked in tests/unit/test_link.c).
check(run("link", *FIX_ARGS, "--walk-speed", "0.6").returncode == 0, "--walk-speed 0.6")
check(run("link", *FIX_ARGS, "--walk-speed", "99").returncode == 2, "bad --walk-speed exits 2")

# ---------------------------------------------------------------------------
# 2. CSV: one row per match, near miss and merged trip; quoting of fields.
r = run("link", *FIX_ARGS, "--format", "csv")
rows = list(csv.DictReader(io.StringIO(r.stdout))) if r.returncode == 0 else []
check(r.returncode == 0 and len(rows) == 5 + 4 + 4, f"csv rows: {len(rows)} {r.stderr}")
check(sum(1 for x in rows if x["section"] == "match") == 5
      and sum(1 for x in rows if x["section"] == "near_miss") == 4
      and sum(1 for x in rows if x["section"] == "merged_trip") == 4, "csv sections")

# Text: the headline counts.
r = run("link", *FIX_ARGS)
check(r.returncode == 0 and "matched stations: 5" in r.stdout and "near misses: 4" in r.stdout
      and "merged trips: 4" in r.stdout, f"text report: {r.stdout[:400]}")

# ---------------------------------------------------------------------------
# 3. Time zones: London and New York, base London (the first feed): 5 h,
#    but 4 h from 2026-03-08 to 03-28 (New York's summer time starts three
#    weeks earlier), so New York's service is split.
LON = "lon=" + os.path.join(FIXTURES, "link-london")
NY = "ny=" + os.path.join(FIXTURES, "link-newyork")
r = run("link", "--feed", LON, "--feed", NY, "--links", "none", "--format", "json")
rep = json.loads(r.stdout) if r.returncode == 0 else {}
feeds = rep.get("feeds", [{}, {}])
check(r.returncode == 0 and rep.get("timezone") == "Europe/London"
      and feeds[1].get("shift_min_s") == 14400 and feeds[1].get("shift_max_s") == 18000
      and feeds[1].get("services_split") == 1, f"London + New York: {feeds} {r.stderr}")
r = run("link", "--feed", LON, "--feed", NY, "--links", "none", "--timezone",
        "America/New_York", "--format", "json")
rep = json.loads(r.stdout) if r.returncode == 0 else {}
feeds = rep.get("feeds", [{}, {}])
# London's 03:00 run is 22:00 / 23:00 the evening before in New York.
check(r.returncode == 0 and feeds[0].get("shift_min_s") == -18000
      and feeds[0].get("trips_moved") == 2, f"--timezone America/New_York: {feeds}")
r = run("link", "--feed", LON, "--timezone", "Nowhere/Atlantis")
check(r.returncode == 1 and "Nowhere/Atlantis" in r.stderr, f"unknown zone: {r.stderr}")

# ---------------------------------------------------------------------------
# 4. Bad arguments and unusable input.
check(run("link", "--help").returncode == 0, "--help exits 0")
check(run("link", "--format", "xml").returncode == 2, "bad --format exits 2")
check(run("link", "--radius", "-5").returncode == 2, "bad --radius exits 2")
check(run("link", "--tolerance", "x").returncode == 2, "bad --tolerance exits 2")
check(run("link", "--bogus").returncode == 2, "unknown option exits 2")
check(run("link", "stray").returncode == 2, "stray argument exits 2")
r = run("link", *FIX_ARGS[:4], "--links", "/nonexistent/links.csv")
check(r.returncode == 1 and "/nonexistent/links.csv" in r.stderr, f"missing links: {r.stderr}")
r = run("link", "--feed", "x=" + os.path.join(FIXTURES, "link-nl"),
        "--feed", "x=" + os.path.join(FIXTURES, "link-de"))
check(r.returncode == 1 and "two feeds are named 'x'" in r.stderr, f"duplicate names: {r.stderr}")
r = run("link", "--feed", NL, "--links", LINKS, "--format", "json")
one = json.loads(r.stdout) if r.returncode == 0 else {}
# One feed: nothing to match or merge; links rows naming feed de are ignored.
check(r.returncode == 0 and one.get("matches") == [] and one.get("merged_trips") == []
      and one["counts"]["links_unresolved"] == 0, f"a single feed: {r.stderr}")
r = run("link", "--feed", "/nonexistent/feed")
check(r.returncode == 1, f"unusable feed exits 1: {r.stderr}")

# ---------------------------------------------------------------------------
# 5. The embedded corridor feeds (defaults: feeds/nl, feeds/nrw, feeds/be,
#    feeds/links.csv).
FEEDS = os.path.join(SOURCE, "feeds")
if os.path.isfile(os.path.join(FEEDS, "nrw", "trips.txt")):
    with open(os.path.join(FEEDS, "links.csv"), newline="", encoding="utf-8") as f:
        # A row joins two stations; the linker names the pair in the order
        # the feeds are loaded (nl, nrw, be), the file in name order.
        link_rows = {frozenset((x["stop_id_a"], x["stop_id_b"])) for x in csv.DictReader(f)}
    with open(os.path.join(FEEDS, "nrw", "trips.txt"), newline="", encoding="utf-8") as f:
        nrw_trips = list(csv.DictReader(f))
    re18 = {t["trip_id"] for t in nrw_trips if t["route_id"] == "de-nrw-re18"}
    ice = {t["trip_id"] for t in nrw_trips if t["route_id"] == "de-nrw-ice-int"}
    for links_arg, rule in ((None, "links"), ("none", "name")):
        args = ["link", "--format", "json"] + (["--links", links_arg] if links_arg else [])
        r = run(*args)
        check(r.returncode == 0, f"corridor link exits 0: {r.stderr}")
        rep = json.loads(r.stdout) if r.returncode == 0 else {}
        got = {(m["a"]["id"], m["b"]["id"]): m["rule"] for m in rep.get("matches", [])}
        # Every station links.csv names is matched, by the file or, without
        # it, by name alone (Aachen Hbf / Aachen Hauptbahnhof included).
        check({frozenset(k) for k in got} == link_rows and set(got.values()) == {rule},
              f"corridor matches with --links {links_arg}: {sorted(got.items())}")
        for a, b in (("ahbf", "de:05334:1008"), ("hzr", "de:05334:3690"), ("vl", "8400644"),
                     ("aw", "de:05334:1086")):
            check((a, b) in got, f"corridor: nl:{a} = nrw:{b}")
        merged_b = {m["b"]["trip_id"]: m for m in rep.get("merged_trips", [])
                    if m["b"]["feed"] == "nrw" and m["a"]["feed"] == "nl"}
        merged_a = {m["a"]["trip_id"] for m in rep.get("merged_trips", [])
                    if m["a"]["feed"] == "nrw" and m["b"]["feed"] == "nl"}
        # Every German-section RE18 run is a section of nl's whole run, with
        # the same train number; the ICE is the same run in both feeds.
        check(re18 <= set(merged_b) and not merged_a,
              f"all {len(re18)} nrw RE18 trips merged into nl runs; "
              f"missing {sorted(re18 - set(merged_b))[:5]}")
        check(all(merged_b[t]["kind"] == "contained" for t in re18 if t in merged_b),
              "RE18 sections are contained in nl's runs")
        check(all(merged_b[t]["short_name"] == t.split("-")[0] for t in re18 if t in merged_b),
              "RE18 merged by train number")
        # be carries the ICE Bruxelles - Köln (also in nrw) and the RE18
        # extension Maastricht - Liège (also in nl): each run is merged once.
        pairs = {(m["a"]["feed"], m["b"]["feed"], m["short_name"])
                 for m in rep.get("merged_trips", []) if "be" in (m["a"]["feed"], m["b"]["feed"])}
        check(any(p[:2] == ("nrw", "be") for p in pairs)
              and any(p[:2] == ("nl", "be") for p in pairs),
              f"be trips merged with nrw (ICE) and nl (RE18 to Liège): {sorted(pairs)[:4]}")
        check(ice <= set(merged_b) and all(merged_b[t]["kind"] == "same" for t in ice
                                           if t in merged_b),
              "the ICE is the same run in both feeds")
        check(all(m["max_difference_s"] <= 120 for m in rep.get("merged_trips", [])),
              "merged within the tolerance")
    # Stop lookup treats matched stations as one place: Heerlen to Köln needs
    # the walk between nl's and nrw's Aachen Hbf.
    r = run("route", "--from", "Heerlen", "--to", "Köln Hbf", "--date", "2026-03-10",
            "--time", "08:00", "--format", "json")
    if r.returncode == 0:
        legs = [leg for jr in json.loads(r.stdout)["journeys"] for leg in jr["legs"]]
        check(any(leg["mode"] == "walk" and leg["from"]["id"].startswith("nl:ahbf")
                  and leg["to"]["id"].startswith("nrw:de:05334:1008") for leg in legs),
              f"Heerlen -> Köln changes at Aachen across feeds: {r.stdout[:600]}")
    else:
        check(False, f"grens route Heerlen -> Köln Hbf: {r.stderr}")

# An explicit link between far-apart stops is taken, but warned about and
# listed. link-nl mt (Maastricht, 50.8497, 5.7053) and link-de 8400644 (Venlo,
# 51.3650, 6.1730): 0.5153 deg * 111195 m = 57.3 km north, 0.4677 deg *
# 111195 m * cos(51.1 deg) = 32.6 km east, about 65.9 km (haversine: 65949 m),
# far more than the 400 m walking radius of two feeds. hzr - de:05334:3690
# share their coordinates: 0 m, no warning.
with tempfile.TemporaryDirectory() as tmp:
    far = os.path.join(tmp, "links.csv")
    with open(far, "w", encoding="utf-8") as f:
        f.write("feed_a,stop_id_a,feed_b,stop_id_b\nnl,hzr,de,de:05334:3690\nnl,mt,de,8400644\n")
    r = run("link", "--feed", NL, "--feed", DE, "--links", far, "--report")
    check(r.returncode == 0, f"far link run: {r.stderr}")
    want = (f"{far}:3: link_too_far: nl:mt - de:8400644 are 65949 m apart, more than the "
            "walking radius of 400 m; taken as one station")
    check(want in r.stderr, f"far link warning: {r.stderr}")
    check(r.stderr.count("link_too_far") == 1, "only the far row is warned about")
    check("explicit links longer than the walking radius: 1" in r.stdout and
          f'65949 m  nl:mt "Maastricht" = de:8400644 "Venlo"  ({far}:3, radius 400 m)' in r.stdout,
          f"far link in the report: {r.stdout}")
    r = run("link", "--feed", NL, "--feed", DE, "--links", far, "--radius", "5000",
            "--format", "json")
    doc = json.loads(r.stdout) if r.returncode == 0 else {}
    fl = doc.get("far_links", [])
    check(len(fl) == 1 and fl[0]["line"] == 3 and fl[0]["radius_m"] == 5000 and
          fl[0]["a"]["id"] == "mt" and round(fl[0]["distance_m"]) == 65949 and
          doc["counts"]["far_links"] == 1, f"far_links in JSON with --radius 5000: {fl}")

# Feed names are the user's and padded by display width: "köln" is 5 bytes
# and 4 columns, so its time zone starts where "nl"'s does ("  feed " is 7
# columns, the name 8, a space: column 16).
r = run("link", "--feed", "köln=" + os.path.join(FIXTURES, "link-de"), "--feed", NL,
        "--links", "none")
zones = [ln for ln in r.stdout.splitlines() if ln.startswith("  feed ")]
check(len(zones) == 2 and all(ln[16:20] == "Euro" for ln in zones), f"feed columns {zones}")

finish()
