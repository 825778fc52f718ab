"""The border on the embedded corridor: Düren, served only by the German
feed, is out of reach of the Dutch network alone and reachable once the two
feeds are linked."""
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

finish()
