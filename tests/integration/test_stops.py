"""grens stops on the embedded corridor feeds: stations by name, ranked, and
near a point, nearest first, as text, CSV and the JSON document; nothing
found is an empty list, bad arguments exit 2."""
import csv
import io
import json
import os

from harness import run, check, finish, SOURCE


def stops(*args):
    return run("stops", *args)


def doc(*args):
    r = stops(*args, "--format", "json")
    check(r.returncode == 0, f"stops {' '.join(args)} exits 0 ({r.returncode}: {r.stderr.strip()})")
    try:
        return json.loads(r.stdout)
    except ValueError:
        check(False, f"stops {' '.join(args)} prints JSON: {r.stdout[:200]}")
        return {"query": {}, "stops": []}


def station_row(feed, stop_id):
    """The row of feeds/FEED/stops.txt with stop_id."""
    with open(os.path.join(SOURCE, "feeds", feed, "stops.txt"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["stop_id"] == stop_id:
                return row
    return None


# ---- by name -------------------------------------------------------------------------
# "aachen" starts every Aachen station's name: the shorter names first, so the
# Aachen Hbf of each feed (nl:ahbf, nrw "Aachen Hauptbahnhof", be) before
# "Aachen West", "Aachen, Bushof", "Aachen Schanz" and "Aachen-Rothe Erde".
d = doc("--name", "aachen")
check(d["query"] == {"name": "aachen", "limit": 10}, f"query: {d['query']}")
names = [s["name"] for s in d["stops"]]
check(names and names[0] == "Aachen Hbf", f"Aachen Hbf first: {names}")
check(d["stops"] and d["stops"][0]["id"] == "nl:ahbf", f"nl:ahbf first: {d['stops'][:1]}")
ids = [s["id"] for s in d["stops"]]
check(ids[:3] == ["nl:ahbf", "nrw:de:05334:1008", "be:S8000001"],
      f"the three Aachen Hbf first: {ids}")
check(all("aachen" in n.lower() for n in names), f"only Aachen stations: {names}")
check(len(ids) == len(set(ids)), f"one entry per station: {ids}")
# no platform is listed (feeds/nl/stops.txt: ahbf:6 is Aachen Hbf's platform)
check(not any(":" in s["stop_id"] and s["feed"] == "nl" for s in d["stops"]),
      f"no nl platform listed: {ids}")
first = d["stops"][0] if d["stops"] else {}
row = station_row("nl", "ahbf")
check(first.get("feed") == "nl" and first.get("stop_id") == "ahbf" and
      first.get("lat") == float(row["stop_lat"]) and first.get("lon") == float(row["stop_lon"]),
      f"nl:ahbf as the feed has it: {first} / {row}")
check(first.get("platforms") == 1 and "distance_m" not in first, f"nl:ahbf: {first}")
check(list(first.keys()) == ["id", "feed", "stop_id", "name", "lat", "lon", "platforms"],
      f"keys in order: {list(first.keys())}")

# Case and diacritics: every spelling finds Köln Hbf first.
for text in ("koeln hbf", "KÖLN HAUPTBAHNHOF", "koln hb"):
    d = doc("--name", text)
    check(d["stops"] and d["stops"][0]["name"] == "Köln Hbf",
          f"{text!r} finds Köln Hbf: {[s['name'] for s in d['stops']]}")
# Words are starts of words: "aken" is no start of "aachen".
d = doc("--name", "aken")
check(d["stops"] == [], f"aken finds nothing: {d['stops']}")
r = stops("--name", "aken")
check(r.returncode == 0 and "no station matches 'aken'" in r.stdout,
      f"text: nothing found ({r.returncode}: {r.stdout.strip()})")
# --limit
d = doc("--name", "aachen", "--limit", "2")
check([s["id"] for s in d["stops"]] == ["nl:ahbf", "nrw:de:05334:1008"] and
      d["query"]["limit"] == 2, f"--limit 2: {d}")

# ---- near a point ----------------------------------------------------------------------
# At Heerlen station's own coordinates (feeds/nl/stops.txt hrl): Heerlen first,
# 0 m; Heerlen de Kissel (50.890196,5.994040) 0.018196 deg * 111195 m *
# cos(50.89 deg) = 1276 m east and 0.000497 deg * 111195 m = 55 m south:
# 1277 m, inside the default 1500 m.
row = station_row("nl", "hrl")
lat, lon = row["stop_lat"], row["stop_lon"]
d = doc("--near", f"{lat},{lon}")
check(d["query"] == {"near": {"lat": float(lat), "lon": float(lon), "radius_m": 1500.0},
                     "limit": 10}, f"query: {d['query']}")
check(d["stops"] and d["stops"][0]["id"] == "nl:hrl" and d["stops"][0]["distance_m"] < 50,
      f"Heerlen first, under 50 m: {d['stops'][:1]}")
check([s["id"] for s in d["stops"]] == ["nl:hrl", "nl:hrlk"], f"near Heerlen: {d['stops']}")
dist = [s["distance_m"] for s in d["stops"]]
check(dist == sorted(dist) and abs(dist[-1] - 1277) < 5, f"nearest first: {dist}")
check(d["stops"][0]["platforms"] == 5, f"Heerlen has 5 platforms: {d['stops'][:1]}")
d = doc("--near", f"{lat},{lon}", "--radius", "100")
check([s["id"] for s in d["stops"]] == ["nl:hrl"], f"within 100 m: {d['stops']}")
# the Ardennes: nothing within reach is an empty list
d = doc("--near", "50.0,5.0")
check(d["stops"] == [], f"nothing near 50,5: {d['stops']}")

# ---- CSV -----------------------------------------------------------------------------
r = stops("--near", f"{lat},{lon}", "--format", "csv")
check(r.returncode == 0, f"csv exits 0: {r.stderr.strip()}")
lines = r.stdout.splitlines()
check(lines and lines[0] == "id,feed,stop_id,name,lat,lon,distance_m", f"csv header: {lines[:1]}")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
check(rows and rows[0]["id"] == "nl:hrl" and float(rows[0]["distance_m"]) < 50,
      f"csv: Heerlen first: {rows[:1]}")
r = stops("--name", "aachen", "--format", "csv")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
check(r.returncode == 0 and rows and rows[0]["id"] == "nl:ahbf" and rows[0]["distance_m"] == "",
      f"csv name search: no distance: {rows[:1]}")

# ---- bad arguments exit 2 with the reason --------------------------------------------
for args, want in (
        (["--near", "abc"], "--near needs LAT,LON"),
        (["--near", "50.9"], "--near needs LAT,LON"),
        (["--near", "95,6"], "--near needs LAT,LON"),
        (["--name", "aachen", "--limit", "0"], "--limit needs a whole number from 1 to 100"),
        (["--name", "aachen", "--limit", "101"], "--limit needs a whole number from 1 to 100"),
        (["--near", "50.9,5.9", "--radius", "0"], "--radius needs metres above 0"),
        (["--name", "aachen", "--near", "50.9,5.9"], "--name and --near exclude each other"),
        ([], "give --name TEXT or --near LAT,LON"),
        (["--name", "aachen", "--radius", "10"], "--radius goes with --near"),
        (["--name", ""], "empty search text"),
        (["--name", "   "], "empty search text"),
        (["--name", "a" * 201], "at most 200"),
):
    r = stops(*args)
    check(r.returncode == 2 and want in r.stderr and not r.stdout,
          f"stops {' '.join(args)[:60]}: exit 2, {want!r} ({r.returncode}: {r.stderr.strip()})")
# an unusable feed is 1
r = stops("--feed", os.path.join(SOURCE, "no-such-feed"), "--name", "aachen")
check(r.returncode == 1 and "no-such-feed" in r.stderr,
      f"unusable feed exits 1 ({r.returncode}: {r.stderr.strip()})")

finish()
