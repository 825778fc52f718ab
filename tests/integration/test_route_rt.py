"""grens route --rt and --scenario end to end: a FeedMessage encoded here
(a minimal protobuf writer) on tests/fixtures/route-rt, the ic-aken scenario
on the embedded feeds, and the recorded Caltrain trip updates."""
import datetime
import hashlib
import json
import os
import tempfile

from harness import run, check, finish, shared_dir, FIXTURES, SOURCE
from pbwriter import ld, vi, message, delay_update


tmp = tempfile.mkdtemp(prefix="grens-route-rt-")
fixture = "f=" + os.path.join(FIXTURES, "route-rt")
pb = os.path.join(tmp, "a1-late.pb")
with open(pb, "wb") as f:
    f.write(message([delay_update("e1", "A1", "X", 240)]))

# ---- route-rt: A1 P 08:00 -> X 08:20, B1 X 08:25 -> Y 08:45, B2 08:55 -> 09:15,
# change time 120 s (the default --min-transfer). A1 240 s late at X arrives
# 08:24, ready 08:26, so B1 is missed and B2 arrives Y 09:15.
base = ["route", "--feed", fixture, "--from", "f:P", "--to", "f:Y", "--date", "2023-11-08",
        "--time", "08:00"]
r = run(*base, "--format", "json")
check(r.returncode == 0, f"schedule run: {r.stderr}")
d = json.loads(r.stdout)
check(d["journeys"][0]["arrival"] == "2023-11-08T08:45:00", "scheduled: B1 to Y 08:45")
legs = [leg for leg in d["journeys"][0]["legs"] if leg["mode"] == "transit"]
check(all("realtime" not in leg and "delay_s" not in leg for leg in legs),
      "no realtime fields without --rt")
check("rt" not in d["query"] and "scenario" not in d["query"], "query without rt and scenario")

for algo in ("raptor", "dijkstra"):
    r = run(*base, "--rt", pb, "--format", "json", "--algo", algo)
    check(r.returncode == 0, f"--rt {algo}: {r.stderr}")
    d = json.loads(r.stdout)
    j = d["journeys"][0]
    check(j["arrival"] == "2023-11-08T09:15:00", f"{algo}: delay breaks the connection: {j}")
    check(d["query"].get("rt") == pb, f"{algo}: query names the realtime file")
    a, b = [leg for leg in j["legs"] if leg["mode"] == "transit"]
    check(a["trip_id"] == "f:A1" and a["realtime"] is True, f"{algo}: A1 live: {a}")
    check(a["arrival"] == "2023-11-08T08:24:00" and a["scheduled_arrival"] == "2023-11-08T08:20:00",
          f"{algo}: A1 live and scheduled arrival: {a}")
    check(a["departure"] == a["scheduled_departure"] == "2023-11-08T08:00:00",
          f"{algo}: A1 leaves on time")
    check(a["delay_s"] == 240, f"{algo}: A1 delay 240 s")
    check(b["trip_id"] == "f:B2" and b["realtime"] is False and b["delay_s"] == 0,
          f"{algo}: B2 as scheduled: {b}")
    check(b["scheduled_arrival"] == b["arrival"] == "2023-11-08T09:15:00", f"{algo}: B2 times")

r = run(*base, "--rt", pb)
check(r.returncode == 0 and "08:24:00 (+4)" in r.stdout and "live" in r.stdout,
      f"text shows the live time and delay: {r.stdout}")
r = run(*base, "--rt", pb, "--format", "csv")
lines = r.stdout.splitlines()
check(r.returncode == 0 and lines[0].endswith(",realtime,scheduled_departure,scheduled_arrival,delay_s")
      and lines[1].endswith(",1,2023-11-08T08:00:00,2023-11-08T08:20:00,240"),
      f"csv realtime columns: {lines[:2]}")

r = run(*base, "--rt", "https://example.org/tu.pb")
check(r.returncode == 2 and "grens fetch" in r.stderr, f"a URL points to grens fetch: {r.stderr}")
r = run(*base, "--rt", os.path.join(tmp, "absent.pb"))
check(r.returncode == 1 and "absent.pb" in r.stderr, f"missing realtime file: {r.stderr}")
bad = os.path.join(tmp, "page.pb")
with open(bad, "wb") as f:
    f.write(b"<html><body>Not found</body></html>")
r = run(*base, "--rt", bad)
check(r.returncode == 1 and "page.pb" in r.stderr, f"an HTML page is refused: {r.stderr}")
r = run("route", "--help")
check(r.returncode == 0 and "--rt FILE" in r.stdout and "--scenario FILE" in r.stdout,
      "--help lists --rt and --scenario")



def added_trip(eid, trip_id, route_id, stops):
    """An ADDED TripUpdate for 2023-11-08 on route_id over (stop_id, POSIX
    time) pairs, arrival = departure."""
    td = ld(1, trip_id) + ld(3, "20231108") + vi(4, 1) + ld(5, route_id)
    stus = b"".join(ld(2, ld(2, vi(2, t)) + ld(3, vi(2, t)) + ld(4, s)) for s, t in stops)
    return ld(2, ld(1, eid) + ld(3, ld(1, td) + stus))


# ---- an added trip N1 on route RB (short name B): X 09:50 -> Y 10:10 -> P
# 10:30. Local midnight of 2023-11-08 in Amsterdam (UTC+1) is 1699401600 -
# 3600 = 1699398000, so 09:50 is 1699398000 + 35400 = 1699433400, 10:10 is
# +36600 = 1699434600 and 10:30 is +37800 = 1699435800. No scheduled trip
# alights at P. From Q at 09:05: A3 Q 09:11 -> X 09:20, ready 09:22, N1 X
# 09:50 -> P 10:30.
added_pb = os.path.join(tmp, "n1-added.pb")
with open(added_pb, "wb") as f:
    f.write(message([added_trip("e1", "N1", "RB", [("X", 1699433400), ("Y", 1699434600),
                                                   ("P", 1699435800)])]))
qp = ["route", "--feed", fixture, "--from", "f:Q", "--to", "f:P", "--date", "2023-11-08",
      "--time", "09:05", "--format", "json"]
r = run(*qp)
check(r.returncode == 0 and json.loads(r.stdout)["journeys"] == [],
      f"no way to P by the schedule: {r.stdout} {r.stderr}")
for algo in ("raptor", "dijkstra"):
    r = run(*qp, "--rt", added_pb, "--algo", algo)
    check(r.returncode == 0, f"added {algo}: {r.stderr}")
    j = json.loads(r.stdout)["journeys"][0]
    check(j["arrival"] == "2023-11-08T10:30:00", f"{algo}: N1 reaches P 10:30: {j}")
    a, n1 = [leg for leg in j["legs"] if leg["mode"] == "transit"]
    check(a["trip_id"] == "f:A3", f"{algo}: A3 to X: {a}")
    check(n1["trip_id"] == "f:N1" and n1["route"] == "B" and n1["feed"] == "f"
          and n1["realtime"] is True, f"{algo}: the added trip's leg: {n1}")
    check(n1["departure"] == "2023-11-08T09:50:00" and n1["from"]["id"] == "f:X",
          f"{algo}: N1 boarded at X 09:50: {n1}")
r = run(*qp[:-2], "--rt", added_pb)
check(r.returncode == 0 and "trip N1 [f]" in r.stdout, f"text names the added trip: {r.stdout}")
check("1 added" in r.stderr, f"the summary counts the added trip: {r.stderr}")

# ---- ic-aken on the embedded feeds. feeds/lines: the Heerlen IC leaves
# Amsterdam Centraal at :20 and reaches Heerlen at :44 (10:44 for the 08:20);
# the RE18 leaves Heerlen 10:48 (4 min change), Aachen Hbf 11:17. The scenario runs the :44
# arrivals on: Heerlen dwell 2 (10:46), Landgraaf +4 (10:50), Herzogenrath +8
# (10:58, dwell 1: 10:59), Aachen Hbf +12 = 11:11, with no change.
scen = os.path.join(SOURCE, "feeds", "scenarios", "ic-aken.yaml")
with open(scen, "rb") as f:
    sha = hashlib.sha256(f.read()).hexdigest()
q = ["route", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-06-16",
     "--time", "08:15", "--format", "json"]
r = run(*q)
check(r.returncode == 0, f"base route: {r.stderr}")
d = json.loads(r.stdout)
j = d["journeys"][0]
check(j["arrival"] == "2026-06-16T11:17:00" and j["transfers"] == 1,
      f"base: change at Heerlen, Aachen 11:17: {j['arrival']} {j['transfers']}")
r = run(*q, "--scenario", scen)
check(r.returncode == 0, f"--scenario: {r.stderr}")
d = json.loads(r.stdout)
j = d["journeys"][0]
check(j["departure"] == "2026-06-16T08:20:00" and j["arrival"] == "2026-06-16T11:11:00"
      and j["transfers"] == 0, f"ic-aken: direct IC 08:20 -> 11:11: {j}")
check(d["query"].get("scenario") == "ic-aken" and d["query"].get("scenario_sha256") == sha,
      f"query names the scenario and its sha256: {d['query']}")
# grens compare leaving at 08:15 only: travel times 11:17 - 08:15 = 10920 s
# (base) and 11:11 - 08:15 = 10560 s (ic-aken), the same journeys
r = run("compare", "--scenario", scen, "--from", "Amsterdam Centraal", "--to", "Aachen Hbf",
        "--one-way", "--date", "2026-06-16", "--window", "08:15-08:15", "--format", "json",
        timeout=300)
check(r.returncode == 0, f"compare: {r.stderr}")
mins = {row["scenario"]: row["min_s"] for row in json.loads(r.stdout)["rows"]}
check(mins == {"base": 10920, "ic-aken": 10560}, f"compare agrees with route: {mins}")
r = run(*q, "--scenario", os.path.join(tmp, "absent.yaml"))
check(r.returncode == 2, f"unreadable scenario file: exit {r.returncode}")

# ---- the recorded Caltrain trip updates (2023-11-08T01:05:34Z = 17:05 PST on
# 2023-11-07): both routers agree, and the journey rides a live trip.
shared = shared_dir()
if shared:
    zip_path = os.path.join(shared, "data", "gtfs", "caltrain-2023-ct.zip")
    tu = os.path.join(shared, "data", "gtfs-rt", "caltrain-ct-trip-updates.pb")
    arrivals = []
    for algo in ("raptor", "dijkstra"):
        r = run("route", "--feed", zip_path, "--rt", tu, "--from", "San Francisco", "--to",
                "San Jose Diridon", "--date", "2023-11-07", "--time", "17:00", "--algo", algo,
                "--format", "json", timeout=300)
        check(r.returncode == 0, f"caltrain {algo}: {r.stderr}")
        d = json.loads(r.stdout)
        j = d["journeys"][0]
        arrivals.append(j["arrival"])
        live = [leg for leg in j["legs"] if leg["mode"] == "transit" and leg["realtime"]]
        check(live, f"caltrain {algo}: a live leg")
        for leg in live:
            late = (datetime.datetime.fromisoformat(leg["arrival"])
                    - datetime.datetime.fromisoformat(leg["scheduled_arrival"]))
            check(leg["delay_s"] == late.total_seconds(),
                  f"caltrain {algo}: delay_s is live minus scheduled arrival: {leg}")
    check(arrivals[0] == arrivals[1], f"caltrain: raptor and dijkstra agree: {arrivals}")

# ---- grens profile --rt and --scenario. Departures 07:55 .. 08:05 every
# minute (11 steps) from P to Y on route-rt:
#   schedule: 07:55 .. 08:00 take A1 08:00 -> X 08:20, ready 08:22, B1 08:25
#     -> Y 08:45: 50 .. 45 min; 08:01 .. 08:05 take A2 08:30 -> X 08:50,
#     ready 08:52, B2 08:55 -> Y 09:15: 74 .. 70 min. Sorted 45 .. 50, 70 ..
#     74: min 45 min = 2700 s, median (6th of 11, nearest rank) 50 min = 3000 s.
#   live (A1 240 s late at X, ready 08:26): B1 is missed, so 07:55 .. 08:00
#     take B2 to Y 09:15 too: 80 .. 75 min; sorted 70 .. 80: min 70 min =
#     4200 s, median 75 min = 4500 s.
prof = ["profile", "--feed", fixture, "--from", "f:P", "--to", "f:Y", "--date", "2023-11-08",
        "--window", "07:55-08:05", "--format", "json"]
r = run(*prof)
d = json.loads(r.stdout) if r.returncode == 0 else {"summary": {}, "query": {}}
sm = d["summary"]
check(r.returncode == 0 and sm.get("reached") == 11 and sm.get("min_s") == 2700
      and sm.get("median_s") == 3000, f"profile on the schedule: {r.stderr} {sm}")
r = run(*prof, "--rt", pb)
d = json.loads(r.stdout) if r.returncode == 0 else {"summary": {}, "query": {}}
sm = d["summary"]
check(r.returncode == 0 and sm.get("reached") == 11 and sm.get("min_s") == 4200
      and sm.get("median_s") == 4500 and d["query"].get("rt") == pb,
      f"profile --rt: {r.stderr} {sm}")
r = run("profile", "--feed", fixture, "--from", "f:P", "--to", "f:Y", "--date", "2023-11-08",
        "--window", "07:55-08:05", "--rt", "http://127.0.0.1:1/x.pb")
check(r.returncode == 2 and "fetch" in r.stderr, f"profile --rt URL exits 2: {r.returncode} {r.stderr}")
# ic-aken on the embedded feeds, 06:00-22:00 on the Tuesday 2026-06-16, as
# grens compare derives it (tests/integration/test_compare.py): median 189
# min = 11340 s with the scenario, 192 min = 11520 s without.
prof = ["profile", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-06-16",
        "--window", "06:00-22:00", "--format", "json"]
r0, r1 = run(*prof), run(*prof, "--scenario", scen)
m0 = json.loads(r0.stdout)["summary"]["median_s"] if r0.returncode == 0 else None
d1 = json.loads(r1.stdout) if r1.returncode == 0 else {"summary": {}, "query": {}}
check(m0 == 11520 and d1["summary"].get("median_s") == 11340
      and d1["query"].get("scenario_sha256") == sha,
      f"profile --scenario ic-aken: {m0} {d1['summary'].get('median_s')} {r1.stderr}")

finish()
