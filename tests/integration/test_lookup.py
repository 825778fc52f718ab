"""Stop arguments on the embedded corridor feeds: names compared as the
linker compares them, suggestions when nothing matches, and coordinates."""
import json
import os
import tempfile

from harness import run, check, finish, SOURCE

FEEDS = ["--feed", "nl=" + os.path.join(SOURCE, "feeds", "nl"),
         "--feed", "nrw=" + os.path.join(SOURCE, "feeds", "nrw")]


def query(frm, to="Aachen Hbf", cmd="route", *extra):
    args = [cmd, *FEEDS, "--from", frm, "--to", to, "--date", "2026-06-16"]
    if cmd == "route":
        args += ["--time", "08:00"]
    else:
        args += ["--window", "08:00-09:00"]
    return run(*args, "--format", "json", *extra)


# feeds/nl/stops.txt: kk "Köln Hbf", dus "Düsseldorf Hbf", gvc "Den Haag
# Centraal"; feeds/nrw/stops.txt: de:05315:11201 "Köln Hbf", de:05111:18235
# "Düsseldorf Hbf". Köln and Düsseldorf are matched across the feeds, so
# both stations (with their platforms) stand for the name.
for name, station in (("koeln hbf", "nrw:de:05315:11201"), ("Köln Hauptbahnhof", "nl:kk"),
                      ("Koeln Hauptbahnhof", "nl:kk"), ("Duesseldorf Hbf", "nl:dus"),
                      ("Düsseldorf Hauptbahnhof", "nrw:de:05111:18235"),
                      ("Den Haag C.", "nl:gvc")):
    r = query(name)
    check(r.returncode == 0, f"{name!r} resolves ({r.returncode}: {r.stderr.strip()})")
    if r.returncode == 0:
        got = json.loads(r.stdout)["query"]["from"]
        check(station in got, f"{name!r}: {station} in {got}")

# Nothing matches: the three nearest names by edit distance on the keys.
# "heerlem" is 1 edit (m->n) from "heerlen"; every other station name of the
# feeds needs at least 4 ("weert": h->w, l->t, -e, -m).
r = query("Heerlem")
check(r.returncode == 2, f"unknown name exits 2 ({r.returncode})")
check("grens route: --from 'Heerlem' matches no stop; nearest names: \"Heerlen\"" in r.stderr,
      f"suggestions: {r.stderr.strip()}")
check(r.stderr.count('"') == 6, f"three names suggested: {r.stderr.strip()}")

# Coordinates: 50.8881,5.9790 lies 0.002593 deg * 111195 m = 288 m south and
# 0.003156 deg * 111195 m * cos(50.89 deg) = 221 m east of Heerlen (hrl,
# 50.890693,5.975844): about 363 m. Heerlen de Kissel (hrlk, 50.890196,
# 5.994040) is 0.002096 * 111195 = 233 m north and 0.01504 * 111195 *
# cos(50.89) = 1054 m east: about 1080 m, also within 1500 m. Heerlen
# Woonboulevard (50.896209,5.953086): 901 m north, 0.025914 * 70130 = 1817 m
# west, about 2028 m: out. The stations stand with their platforms (Heerlen
# 1-5: RE18 1/2, IC 3, RS18 4, RS15 5; de Kissel 1/2).
r = query("50.8881,5.9790")
check(r.returncode == 0, f"coordinates resolve ({r.stderr.strip()})")
if r.returncode == 0:
    doc = json.loads(r.stdout)
    check(doc["query"]["from"] == ["nl:hrl", "nl:hrl:1", "nl:hrl:2", "nl:hrl:3", "nl:hrl:4",
                                   "nl:hrl:5", "nl:hrlk", "nl:hrlk:1", "nl:hrlk:2"],
          f"from Heerlen: {doc['query']['from']}")
    check(len(doc["journeys"]) >= 1, "a journey from the coordinates")
# Coordinates for --to, and in grens profile.
r = query("Aachen Hbf", "50.8881,5.9790", "profile")
check(r.returncode == 0, f"profile --to coordinates ({r.stderr.strip()})")
# 50.0,5.0 is in the Ardennes: Liège-Guillemins (50.624358,5.566483) is
# 0.624358 * 111195 = 69426 m north and 0.566483 * 111195 * cos(50.3) = 40253 m
# east, about 80 km; Maastricht (50.85 N) about 95 km.
r = query("50.0,5.0")
check(r.returncode == 2 and "--from '50.0,5.0' matches no stop: none within 1500 m; the "
      "nearest is \"Liège-Guillemins\"" in r.stderr, f"nothing in reach: {r.stderr.strip()}")

# A scenario names its stops by the same rules: feeds/scenarios/ic-aken.yaml
# with "Aachen Hbf" spelled "Aachen Hauptbahnhof" and "Herzogenrath" as is
# (nl:hza "Herzogenrath") changes the same 66 trips and gives the same
# median (grens compare prints the scenario's edit summary on stderr).
with open(os.path.join(SOURCE, "feeds", "scenarios", "ic-aken.yaml"), encoding="utf-8") as f:
    text = f.read()
check("stop: Aachen Hbf" in text, "ic-aken.yaml names Aachen Hbf")
with tempfile.TemporaryDirectory() as tmp:
    spelled = os.path.join(tmp, "ic-aken-spelled.yaml")
    with open(spelled, "w", encoding="utf-8") as f:
        f.write(text.replace("stop: Aachen Hbf", "stop: Aachen Hauptbahnhof"))
    cmp = ["compare", *FEEDS, "--from", "Amsterdam Centraal", "--to", "Aachen Hbf",
           "--date", "2026-06-16", "--format", "json"]
    a = run(*cmp, "--scenario", os.path.join(SOURCE, "feeds", "scenarios", "ic-aken.yaml"))
    b = run(*cmp, "--scenario", spelled)
    check(a.returncode == 0 and b.returncode == 0,
          f"both spellings run ({a.returncode}, {b.returncode}: {b.stderr.strip()})")
    if a.returncode == 0 and b.returncode == 0:
        med = lambda r: [(x["scenario"], x["median_s"]) for x in json.loads(r.stdout)["rows"]]
        check(med(a)[1:] and [m for _, m in med(a)] == [m for _, m in med(b)],
              f"same medians: {med(a)} {med(b)}")

finish()
