"""grens report end to end on the embedded default data.

Checks the files it writes, the RFC 7946 shape of stations.geojson, that
the CSV files say what report.json says, travel times worked out by hand
from feeds/README.md, the border crossing of the Randstad - Aachen
journeys, that report.html is self-contained, and - in headless Chromium -
that the page renders and every number on it equals report.json."""
import csv
import html.parser
import json
import os
import shutil
import subprocess
import tempfile

from harness import FIXTURES, SOURCE, run, check, finish

tmp = tempfile.mkdtemp(prefix="grens-report-")
out = os.path.join(tmp, "out")

r = run("report", "--out", out, timeout=300)
check(r.returncode == 0, f"grens report exits 0 (got {r.returncode}: {r.stderr.strip()})")
FILES = ["report.json", "report.html", "profiles.csv", "profile_steps.csv",
         "opportunities.csv", "stations.csv", "stations.geojson", "journeys.csv"]
for name in FILES:
    check(os.path.isfile(os.path.join(out, name)), f"{name} written")
check(not [n for n in os.listdir(out) if ".tmp." in n], "no temporary files left behind")

with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
    doc = json.load(f)

# ---- provenance ------------------------------------------------------------------
feeds = {f["name"]: f for f in doc["feeds"]}
check(set(feeds) == {"nl", "nrw", "be"}, f"feeds nl, nrw and be ({list(feeds)})")
check(feeds["nl"]["version"] == "2026.1", "feed_info version of nl")
names = [x["name"] for x in feeds["nl"]["files"]]
check(names == sorted(names) and "stop_times.txt" in names, "nl files hashed, sorted")
for x in feeds["nl"]["files"]:
    check(len(x["sha256"]) == 64 and all(c in "0123456789abcdef" for c in x["sha256"]),
          f"sha256 of {x['name']} is 64 hex digits")
import hashlib
with open(os.path.join(feeds["nl"]["path"], "stops.txt"), "rb") as f:
    want = hashlib.sha256(f.read()).hexdigest()
got = [x["sha256"] for x in feeds["nl"]["files"] if x["name"] == "stops.txt"]
check(got == [want], "sha256 of nl/stops.txt equals Python's hashlib")
check(doc["grens_version"] and doc["generated"].endswith("Z"), "version and run time")

# ---- travel times worked out by hand (feeds/README.md, reality checks) ------------
# A profile's travel time counts from the departure step (every minute by default),
# waiting at the origin included. Amsterdam C -> Heerlen 144 min (IC a :44/:14), change
# 4 min to the RE18 (Heerlen d :48/:18, AVV 2024), RE18 Heerlen -> Aachen Hbf 29 min:
# 144 + 4 + 29 = 177 min = 10620 s; the IC leaves at :20 and :50, on a step. Utrecht C
# -> Heerlen 116 min: 116 + 4 + 29 = 149 min = 8940 s; the IC leaves Utrecht at :18 and
# :48, also on a step (with the old 5-minute steps it was 3 min after the step at :15:
# 3 min more than the best journey).
profiles = {(p["from"]["name"], p["scenario"]): p for p in doc["profiles"]}
for origin, fastest in (("Amsterdam Centraal", 10620), ("Utrecht Centraal", 8940)):
    p = profiles.get((origin, "base"))
    check(p is not None, f"a base profile from {origin}")
    if p:
        check(p["to"]["name"] == "Aachen Hbf", f"{origin} profile goes to Aachen Hbf")
        check(p["summary"]["min_s"] == fastest,
              f"{origin} -> Aachen fastest {p['summary']['min_s']}, expected {fastest}")
        # 06:00-22:00 every 60 s: 16 * 60 + 1 = 961 departures.
        check(p["summary"]["steps"] == 961, "961 departure steps")
        check(len(p["steps"]["travel_s"]) == 961, "961 steps kept")
# Five origins (four Randstad stations and Eindhoven) x (base + four proposals).
check(len(doc["profiles"]) == 25, f"five origins, base and four proposals ({len(doc['profiles'])})")
check(doc["query"]["step_s"] == 60 and doc["query"]["threshold_s"] == 10800,
      f"default step 60 s and threshold 180 min ({doc['query']})")

# profile, compare and report share those defaults (README "One step and one
# threshold"), and their --help says so.
r = run("profile", "--from", "Utrecht Centraal", "--to", "Aachen Hbf", "--date", "2026-06-16",
        "--window", "06:00-07:00", "--format", "json")
q = json.loads(r.stdout)["query"] if r.returncode == 0 else {}
check(q.get("step_s") == 60 and q.get("threshold_min") == 180, f"profile defaults ({q})")
r = run("compare", "--from", "Utrecht Centraal", "--one-way", "--window", "06:00-07:00",
        "--format", "json")
q = json.loads(r.stdout) if r.returncode == 0 else {}
check(q.get("step_s") == 60 and q.get("threshold_s") == 10800, "compare defaults")
for cmd, texts in (("profile", ["(default 60)", "minutes (default 180)"]),
                   ("compare", ["--step 60", "--threshold 180"]),
                   ("report", ["departures (default 60)", "minutes (default 180)"]),
                   ("access", ["(default 60)"])):
    h = run(cmd, "--help").stdout
    check(all(t in h for t in texts), f"{cmd} --help states {texts}")

# The table's min is the duration of the best journey shown with it: the journey is
# routed at the profile's fastest step, so both agree when every departure minute is
# a step (a coarser step made Utrecht's min 2:35 beside a 2:32 journey).
journeys = {(j["legs"][0]["from"]["name"], j["scenario"]): j for j in doc["journeys"]}
for (origin, scenario), p in profiles.items():
    j = journeys.get((origin, scenario))
    check(j is not None and j["duration_s"] == p["summary"]["min_s"],
          f"{origin} {scenario}: min {p['summary']['min_s']} s equals the best journey's "
          f"duration ({j and j['duration_s']})")

# The default scenario (feeds/README.md): the Heerlen IC on to Aachen Hbf gives
# Amsterdam C -> Aachen Hbf in 2 h 51 without a change: 171 min = 10260 s.
sc = profiles.get(("Amsterdam Centraal", "ic-aken"))
check(sc is not None and sc["summary"]["min_s"] == 10260,
      f"ic-aken: Amsterdam -> Aachen fastest 10260 s ({sc and sc['summary']['min_s']})")
PROPOSALS = ["ic-eindhoven-aken", "ic-eindhoven-aken-randen", "ic-denhaag-aken", "ic-aken"]
check([s["name"] for s in doc["scenarios"]] == PROPOSALS, "scenario provenance")
check(len(doc["scenarios"][0]["sha256"]) == 64, "scenario hash")

# ---- reachable population: nl-only, linked, ic-aken -------------------------------------
opp = {(o["origin"]["name"], o["variant"]): o for o in doc["opportunities"]}
check({v for _, v in opp} == {"nl-only", "linked", *PROPOSALS}, f"variants {set(opp)}")
for (origin, variant), o in opp.items():
    pops = [c["population"] for c in o["cutoffs"]]
    check([c["minutes"] for c in o["cutoffs"]] == [60, 90, 120, 180], "default cutoffs")
    check(pops == sorted(pops), f"{origin} {variant}: population grows with the cutoff")
    lin = [c["population"] for c in opp[(origin, "linked")]["cutoffs"]]
    if variant == "nl-only":
        check(all(a <= b for a, b in zip(pops, lin)), f"{origin}: linked reaches at least "
              "what nl-only reaches")
# Within 60 min of Amsterdam C (feeds/places/nl.csv, ties by the default first and
# last mile: walk 1.2 m/s within 1500 m, NL bicycle 4.5 m/s within 5 km + 120 s to
# park, else a feeder: 600 s + distance at 20 km/h; distances x 1.3), p50 06:00-22:00:
#   Amsterdam    889,928  centroid 1289 m from Amsterdam C: bike 373 + 120 = 493 s
#   Utrecht      357,667  walk 147 m (160 s) at Utrecht C; the IC 8 + 18 = 26 min
#   Zaanstad     156,907  feeder from Amsterdam C, 8745 m: 600 + 2047 = 2647 s
#   Diemen        31,206  bike 3249 m to Amsterdam Amstel (939 + 120 s) + 15 min there
#   Waterland     17,393  feeder from Amsterdam C, 12542 m: 600 + 2935 = 3535 s
#   Ouder-Amstel  14,065  feeder 5116 m to Amsterdam Zuid (600 + 1198 s) + 15.6 min there
#   Landsmeer     11,573  feeder from Amsterdam C, 5978 m: 600 + 1399 = 1999 s
#   Oostzaan       9,682  feeder from Amsterdam C, 7007 m: 600 + 1640 = 2240 s
# = 1,488,421.
a60 = opp[("Amsterdam Centraal", "nl-only")]["cutoffs"][0]["population"]
check(a60 == 1488421, f"Amsterdam within 60 min: {a60} = 1488421")
# Every run says how the places were tied and what could not be placed
# (feeds/places/be-unplaced.csv: 10 municipalities, 107,937 people).
notes = doc.get("notes", [])
check(any(n.startswith("places tied to stops: walk ") and "feeder" in n and "no stop" in n
          for n in notes), f"a note on the ties: {notes}")
check("107937 people in 10 municipalities could not be placed (no coordinates)" in notes,
      f"a note on the unplaced population: {notes}")

# The same figures as grens access gives on the Dutch feed alone and on both
# feeds linked (one computation behind both commands).
def access_csv(*feeds):
    r = run("access", *feeds, "--from", "Utrecht Centraal", "--date", "2026-03-10",
            "--window", "06:00-22:00", "--cutoffs", "60,90,120,180", "--format", "csv")
    check(r.returncode == 0, f"grens access {feeds} ({r.stderr.strip()})")
    return {int(x["cutoff_min"]): float(x["population"])
            for x in csv.DictReader(r.stdout.splitlines())}


nl_only = access_csv("--feed", "nl=" + os.path.join(SOURCE, "feeds", "nl"))
linked = access_csv()
want = {c: (nl_only.get(c), linked.get(c)) for c in linked}
got = {c["minutes"]: (c["population"], l["population"])
       for c, l in zip(opp[("Utrecht Centraal", "nl-only")]["cutoffs"],
                       opp[("Utrecht Centraal", "linked")]["cutoffs"])}
check(got == want, f"report and grens access agree on nl-only and linked: {got} vs {want}")

# ---- the savings are grens compare's, the border views grens access's ------------
# One computation behind each (route: the saving per train; access: the border
# views): the report must quote what the commands print.
r = run("compare", "--one-way", "--format", "json", timeout=300)
check(r.returncode == 0, f"grens compare ({r.stderr.strip()[-200:]})")
cmp_rows = json.loads(r.stdout)["rows"] if r.returncode == 0 else []
want = {(x["from"]["name"], x["scenario"]): (x["delta_train_s"], x["delta_median_s"])
        for x in cmp_rows if x["scenario"] != "base" and x["to"]["name"] == "Aachen Hbf"
        and x["date"] == doc["query"]["date"]}  # compare also runs a Sunday
got = {(x["from"]["name"], x["scenario"]): (x["delta_train_s"], x["delta_median_s"])
       for x in doc["savings"]}
check(len(got) == 20 and all(want.get(k) == v for k, v in got.items()),
      f"savings equal grens compare's: {sorted(set(got.items()) - set(want.items()))[:4]}")
# The README's worked case (Reading the default result): ic-aken saves 6 min per
# train from every origin, (4 + 29) - (2 + 25) = 6 min = 360 s.
check(all(got[(o, "ic-aken")][0] == -360 for o, _ in got if (o, "ic-aken") in got),
      "ic-aken: 6 minutes per train from every origin")
r = run("access", "--border-effect", "--rank", "--sensitivity", "--from", "Heerlen",
        "--date", doc["query"]["date"], "--cutoffs", "60,90,120,180", "--format", "json",
        timeout=300)
check(r.returncode == 0, f"grens access --border-effect ({r.stderr.strip()[-200:]})")
acc = json.loads(r.stdout)["origins"][0]["border"] if r.returncode == 0 else []
border = doc["border"][0] if doc.get("border") else {"rows": []}
check(border.get("origin", {}).get("name") == "Heerlen" and border.get("ranked") == 144,
      f"border views of Heerlen, ranked among 144 ({border.get('ranked')})")
check(len(border["rows"]) == 8 and len(acc) == 8, "p50 and p90 x four cutoffs")
for row, e in zip(border["rows"], acc):
    sens = e.get("sensitivity", {})
    for key in ("national", "closed_border", "today"):
        vals = [e[key]] + [sens[s][key] for s in ("low", "high")]
        check(row[key] == e[key] and row["range"][key] == [min(vals), max(vals)],
              f"p{row['percentile']} {row['cutoff_min']} min {key}: {row[key]} "
              f"{row['range'][key]} vs access {vals}")
    check(row.get("rank_national") == e["rank"]["national"] and
          row.get("rank_today") == e["rank"]["today"], f"ranks {row} vs {e['rank']}")

# ---- CSV says what the JSON says --------------------------------------------------
with open(os.path.join(out, "profiles.csv"), encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
check(len(rows) == len(doc["profiles"]), "one profiles.csv row per profile")
for row, p in zip(rows, doc["profiles"]):
    check(row["from_id"] == p["from"]["id"] and row["scenario"] == p["scenario"],
          "profiles.csv row order")
    for key in ("min_s", "median_s", "p90_s"):
        v = p["summary"][key]
        check(row[key] == ("" if v is None else str(v)), f"profiles.csv {key}")
with open(os.path.join(out, "profile_steps.csv"), encoding="utf-8") as f:
    steps = list(csv.DictReader(f))
check(len(steps) == sum(len(p["steps"]["travel_s"]) for p in doc["profiles"]),
      "profile_steps.csv has every step")

# Each CSV carries what its rows depend on: the date (and the threshold of
# share_under_threshold, the percentile of the opportunities and the map).
q = doc["query"]
check(q["percentile"] == 50, f"the report works on the median: {q}")
check(all(r["date"] == q["date"] and r["threshold_s"] == str(q["threshold_s"]) for r in rows),
      "profiles.csv rows carry date and threshold_s")
check(all(r["date"] == q["date"] for r in steps), "profile_steps.csv rows carry the date")
with open(os.path.join(out, "opportunities.csv"), encoding="utf-8") as f:
    opp_rows = list(csv.DictReader(f))
check(opp_rows and all(r["date"] == q["date"] and r["percentile"] == "50" and
                       r["population"].isdigit() for r in opp_rows),
      f"opportunities.csv: date, percentile, whole population {opp_rows[:1]}")
check(all(type(c["population"]) is int for o in doc["opportunities"] for c in o["cutoffs"]),
      "population is a JSON integer")

# ---- stations: a station matched across feeds is one ----------------------------------
# feeds/nl, feeds/nrw and feeds/be all carry Köln Hbf (nl:kk,
# nrw:de:05315:11201, be:S8000207: the ICE) and Aachen Hbf / Aachen
# Hauptbahnhof (nl:ahbf, nrw:de:05334:1008, be:S8000001); the linker matches
# them, so each is one station per scenario, named and placed as its first
# member (nl), with the ids of all three.
with open(os.path.join(out, "stations.csv"), encoding="utf-8") as f:
    st_rows = list(csv.DictReader(f))
for scen in {x["scenario"] for x in doc["stations"]}:
    mine = [x for x in doc["stations"] if x["scenario"] == scen]
    ids = [i for x in mine for i in x["members"]]
    check(len(ids) == len(set(ids)), f"{scen}: every stop id on the map once")
    for name, members in (("Köln Hbf", ["nl:kk", "nrw:de:05315:11201", "be:S8000207"]),
                          ("Aachen Hbf", ["nl:ahbf", "nrw:de:05334:1008", "be:S8000001"])):
        hits = [x for x in mine if members[0] in x["members"] or members[1] in x["members"]]
        check(len(hits) == 1 and hits[0]["members"] == members and hits[0]["name"] == name
              and hits[0]["id"] == members[0], f"{scen}: one {name} station {hits}")
    check(not [x for x in mine if x["name"] == "Aachen Hauptbahnhof"],
          f"{scen}: no second Aachen station")
check(len(st_rows) == len(doc["stations"]) and
      all(r["members"] == ";".join(x["members"]) for r, x in zip(st_rows, doc["stations"])),
      "stations.csv lists the member ids, ';' between them")
check(all(r["date"] == q["date"] and r["percentile"] == "50" for r in st_rows),
      "stations.csv rows carry date and percentile")

# ---- journeys: the border crossing is marked ----------------------------------------
check(len(doc["journeys"]) >= 4, "a best journey per pair")
for j in doc["journeys"]:
    legs = j["legs"]
    check(legs[0]["from"]["country"] == "NL" and legs[-1]["to"]["country"] == "DE",
          "journeys start in NL and end in DE")
    crossing = [leg for leg in legs if leg["border"]]
    check(j["crosses_border"] and len(crossing) >= 1, "a leg crosses the border")
    for leg in crossing:
        check(leg["from"]["country"] != leg["to"]["country"]
              or leg["from"]["feed"] != leg["to"]["feed"],
              "a border leg joins two countries or two feeds")
with open(os.path.join(out, "journeys.csv"), encoding="utf-8") as f:
    legs = list(csv.DictReader(f))
check(sum(1 for x in legs if x["border"] == "1") ==
      sum(1 for j in doc["journeys"] for leg in j["legs"] if leg["border"]),
      "journeys.csv marks the same border legs")

# ---- GeoJSON: RFC 7946 shape ------------------------------------------------------
with open(os.path.join(out, "stations.geojson"), encoding="utf-8") as f:
    gj = json.load(f)
check(gj.get("type") == "FeatureCollection", "a FeatureCollection")
check("crs" not in gj, "no crs member (RFC 7946 is WGS 84 only)")
check(isinstance(gj.get("features"), list) and len(gj["features"]) == len(doc["stations"]),
      "one Feature per station row")
for feat in gj["features"]:
    ok = (feat.get("type") == "Feature" and isinstance(feat.get("properties"), dict)
          and "geometry" in feat)
    g = feat.get("geometry")
    if g is not None:
        c = g.get("coordinates")
        ok = ok and g.get("type") == "Point" and isinstance(c, list) and len(c) == 2
        ok = ok and all(isinstance(v, (int, float)) for v in c)
        # [lon, lat]: in this corridor longitudes are 3..8 and latitudes 50..54.
        ok = ok and 3 <= c[0] <= 8 and 50 <= c[1] <= 54
    check(ok, f"Feature shape {json.dumps(feat)[:160]}")
    if not ok:
        break
props = gj["features"][0]["properties"]
check({"id", "name", "feed", "country", "travel_s", "scenario"} <= set(props),
      f"station properties {sorted(props)}")
check("lat" not in props and "lon" not in props, "coordinates only in the geometry")

# ---- the page is self-contained -----------------------------------------------------
with open(os.path.join(out, "report.html"), encoding="utf-8") as f:
    page = f.read()
low = page.lower()
check("<script" not in low and "<link" not in low and "@import" not in low,
      "no script, link or @import")
check("src=" not in low and "url(" not in low, "no external resources")
check("<svg" in low and "<style>" in low, "inline SVG and CSS")


class Numbers(html.parser.HTMLParser):
    """data-ref / data-value / data-values of every element."""

    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-ref" in a:
            self.refs.append((tag, a))


def json_at(path):
    v = doc
    for part in path.split("/"):
        v = v[int(part)] if isinstance(v, list) else v[part]
    return v


def compare(dom, where):
    p = Numbers()
    p.feed(dom)
    check(len(p.refs) > 50, f"{where}: numbers carry data-ref ({len(p.refs)})")
    bad = 0
    for tag, a in p.refs:
        want = json_at(a["data-ref"])
        if "data-values" in a:
            got = [None if x == "" else int(x) for x in a["data-values"].split(",")]
            ok = got == want
        else:
            v = a.get("data-value")
            ok = (v == "null" and want is None) or (
                want is not None and v != "null" and abs(float(v) - want) < 1e-9)
        if not ok:
            bad += 1
            if bad < 5:
                print(f"{where}: {a['data-ref']}: page {a.get('data-value')} json {want}")
    check(bad == 0, f"{where}: every number equals report.json ({bad} differ)")
    return p


compare(page, "report.html")


class Findings(html.parser.HTMLParser):
    """The text of the findings block outside links, the links' targets and
    whether each link carries a number from report.json."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.in_link = None
        self.loose = []
        self.links = []
        # A scenario's own description (its YAML) is quoted prose, not a finding.
        self.about = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and a.get("class") == "about":
            self.about = True
        if tag == "section" and a.get("id") == "findings":
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
        if self.depth and tag == "a":
            self.in_link = a
            self.links.append(a)

    def handle_endtag(self, tag):
        if self.depth and tag == "section":
            self.depth -= 1
        if tag == "a":
            self.in_link = None
        if tag == "span":
            self.about = False

    def handle_data(self, data):
        if self.depth and not self.in_link and not self.about:
            self.loose.append(data)


f = Findings()
f.feed(page)
text = " ".join(f.loose)
import re
# Cutoffs (60/90/120 min), "p90" and the window's clock times are labels, not findings.
loose = re.sub(r"\b(60|90|120)\s*min|p90|\d\d:\d\d-\d\d:\d\d|1 = most", "", text)
check(f.links and not re.search(r"\d", loose), f"every number of the findings is a link: {loose[:300]}")
ids = set(re.findall(r'id="([^"]+)"', page))
number_links = [a for a in f.links if "data-ref" in a]
check(len(number_links) >= 4 * 5 * 2 + 3 * 2 * 4 + 5,
      f"findings: savings of four proposals x five origins x 2, border views ({len(number_links)})")
check(all(a.get("href", "#")[1:] in ids for a in f.links), "every findings link has its table")
check(all(a["data-ref"].split("/")[0] == a["href"][1:] for a in number_links),
      "each number links to the table of its section")

# ---- headless Chromium ----------------------------------------------------------------
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if not chromium:
    print("SKIP: chromium is not installed (tools/setup installs it); the page was not "
          "rendered")
else:
    profile = tempfile.mkdtemp(prefix="grens-chromium-")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}"]
    url = "file://" + os.path.join(out, "report.html")
    d = subprocess.run([chromium, *flags, "--dump-dom", url], capture_output=True, text=True,
                       timeout=120)
    check(d.returncode == 0 and "</html>" in d.stdout,
          f"chromium --dump-dom renders the page (exit {d.returncode})")
    if d.returncode == 0:
        p = compare(d.stdout, "rendered DOM")
        check(sum(1 for tag, _ in p.refs if tag == "rect") ==
              sum(len(o["cutoffs"]) for o in doc["opportunities"] if o["variant"] != "linked"),
              "one bar per reachable-population figure, drawn against today's (linked)")
        # station circles on the base and change maps, and the border map's places
        places = sum(len(b.get("places", [])) for b in doc.get("border", []))
        check(sum(1 for tag, _ in p.refs if tag == "circle") == len(doc["stations"])
              - sum(1 for s in doc["stations"] if s["lat"] is None) + places,
              "one circle per station on the maps and per place on the border map")
        check("border crossing" in d.stdout, "the border crossing is marked on the page")
    shot = os.path.join(tmp, "report.png")
    s = subprocess.run([chromium, *flags, "--window-size=1200,3000", f"--screenshot={shot}",
                        url], capture_output=True, text=True, timeout=120)
    check(s.returncode == 0 and os.path.isfile(shot), "chromium --screenshot")
    if os.path.isfile(shot):
        with open(shot, "rb") as f:
            check(f.read(8) == b"\x89PNG\r\n\x1a\n", "the screenshot is a PNG")
        check(os.path.getsize(shot) > 20000, "the screenshot is not blank")
    shutil.rmtree(profile, ignore_errors=True)

# ---- bad arguments and unwritable output ----------------------------------------------
r = run("report")
check(r.returncode == 2 and "--out" in r.stderr, "no --out: exit 2 naming --out")
r = run("report", "--out", out, "--pair", "Amsterdam")
check(r.returncode == 2 and "--pair" in r.stderr, "bad --pair: exit 2")
# Without --date the day is the Tuesday with the most trips: every Tuesday of
# the nl feed runs the same weekday services (calendar_dates, no holiday on a
# Tuesday), so the tie goes to the one nearest the middle of its period,
# 2026-06-16, the day grens compare picks.
out_nl = os.path.join(tmp, "nl-only")
r = run("report", "--out", out_nl, "--feed", feeds["nl"]["path"], "--pair",
        "Heerlen -> Maastricht")
q = json.load(open(os.path.join(out_nl, "report.json")))["query"] if r.returncode == 0 else {}
check(q.get("date") == "2026-06-16", f"--feed without --date: the busiest Tuesday ({q}, {r.stderr})")
r = run("report", "--out", out, "--feed", feeds["nl"]["path"], "--pair", "a -> b")
check(r.returncode == 2 and "'a'" in r.stderr, f"unknown pair stop: exit 2 ({r.stderr.strip()})")
r = run("report", "--out", out, "--pair", "Nowhere Centraal -> Aachen Hbf")
check(r.returncode == 2 and "Nowhere Centraal" in r.stderr, "unknown stop: exit 2, named")
blocker = os.path.join(tmp, "file")
with open(blocker, "w") as f:
    f.write("x")
r = run("report", "--out", os.path.join(blocker, "sub"))
check(r.returncode == 1 and blocker in r.stderr, "unwritable --out: exit 1 naming the path")

shutil.rmtree(tmp, ignore_errors=True)
# The journey of a report stays seated where the route does (route-basic:
# re1 continues as re9 at Köln, tests/fixtures/route-basic/expected.txt).
with tempfile.TemporaryDirectory() as tmp:
    r = run("report", "--feed", "rb=" + os.path.join(FIXTURES, "route-basic"), "--pair",
            "AACH -> SIEG", "--date", "2026-03-10", "--window", "08:00-08:00", "--out", tmp)
    check(r.returncode == 0, f"report on route-basic: {r.stderr}")
    if r.returncode == 0:
        with open(os.path.join(tmp, "report.json"), encoding="utf-8") as f:
            legs = json.load(f)["journeys"][0]["legs"]
        check([x.get("stay_seated") for x in legs] == [None, True], f"report stay_seated {legs}")

# A language the page has no catalogue for is a bad flag: exit 2, nothing written.
bad = os.path.join(tempfile.mkdtemp(prefix="grens-lang-"), "out")
r = run("report", "--out", bad, "--lang", "fr")
check(r.returncode == 2 and "--lang must be en, nl or de, not 'fr'" in r.stderr,
      f"--lang fr: exit 2 with the choices ({r.returncode}, {r.stderr.strip()})")
check(not os.path.exists(bad), "--lang fr writes nothing")
finish()
