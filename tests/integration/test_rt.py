"""grens rt end to end: FeedMessages encoded here (a minimal protobuf writer,
no protobuf package needed) applied to tests/fixtures/rt-small, bad input,
and the recorded Caltrain feeds checked against an independent walk of the
protobuf wire format."""
import csv
import datetime
import io
import json
import math
import os
import tempfile
import zipfile
import zoneinfo

from harness import run, check, finish, shared_dir, FIXTURES
from pbwriter import varint, vi, ld

# ---- protobuf wire format -------------------------------------------------


def read_varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << s
        s += 7
        if not c & 0x80:
            return v, i


def fields(b):
    """{field: [values]} of one message; bytes for length-delimited fields."""
    d = {}
    i = 0
    while i < len(b):
        k, i = read_varint(b, i)
        f, wt = k >> 3, k & 7
        if wt == 0:
            v, i = read_varint(b, i)
        elif wt == 1:
            v, i = b[i:i + 8], i + 8
        elif wt == 5:
            v, i = b[i:i + 4], i + 4
        elif wt == 2:
            n, i = read_varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError(f"wire type {wt}")
        d.setdefault(f, []).append(v)
    return d


def s64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


# FeedMessage pieces (field numbers of gtfs-realtime.proto).
def header(ts):
    return ld(1, ld(1, "2.0") + vi(2, 0) + vi(3, ts))


def trip_update(eid, trip_id, start_date=None, rel=None, stus=(), route_id=None):
    td = ld(1, trip_id)
    if start_date:
        td += ld(3, start_date)
    if rel is not None:
        td += vi(4, rel)
    if route_id:
        td += ld(5, route_id)
    tu = ld(1, td) + b"".join(ld(2, s) for s in stus)
    return ld(2, ld(1, eid) + ld(3, tu))


def stu(stop_id=None, seq=None, rel=None, arr_delay=None, dep_delay=None, arr_time=None,
        dep_time=None):
    b = b""
    if seq is not None:
        b += vi(1, seq)
    if arr_delay is not None or arr_time is not None:
        b += ld(2, vi(1, arr_delay) if arr_delay is not None else vi(2, arr_time))
    if dep_delay is not None or dep_time is not None:
        b += ld(3, vi(1, dep_delay) if dep_delay is not None else vi(2, dep_time))
    if stop_id:
        b += ld(4, stop_id)
    if rel is not None:
        b += vi(5, rel)
    return b


def alert(eid, header_text, cause, effect, route_id):
    tr = ld(1, ld(1, header_text) + ld(2, "en"))
    a = ld(5, ld(2, route_id)) + vi(6, cause) + vi(7, effect) + ld(10, tr)
    return ld(2, ld(1, eid) + ld(5, a))


# ---- rt-small ----------------------------------------------------------------
# tests/fixtures/rt-small: S1..S5, trips T1 08:00 ... T6 13:00 on weekdays
# (T4 weekends), S2 at +10/+11 min, S4 at +30/+31, S5 +40; Europe/Amsterdam.
# On 2023-11-08 (CET) the service day starts at 1699398000.
DAY0 = 1699398000
HDR = DAY0 + 9 * 3600
small = os.path.join(FIXTURES, "rt-small")
tmp = tempfile.mkdtemp(prefix="grens-rt-")


def write(name, data):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


msg = (header(HDR)
       + trip_update("t1", "T1", "20231108", stus=[stu("S2", arr_delay=120)])
       + trip_update("t2", "T2", "20231108", rel=3)
       + trip_update("t3", "T3", "20231108", stus=[stu("S3", rel=1), stu("S4", arr_delay=60)])
       + trip_update("t4", "T4", "20231108", stus=[stu("S1", dep_delay=30)])
       + trip_update("nope", "NOPE", "20231108", stus=[stu("S1", arr_delay=0)])
       + trip_update("x1", "X1", "20231108", rel=1, route_id="R1",
                     stus=[stu("S1", dep_time=DAY0 + 12 * 3600),
                           stu("S5", arr_time=DAY0 + 12 * 3600 + 1800)])
       + alert("al", "Works on K1", 9, 3, "R1"))
good = write("small.pb", msg)

r = run("rt", "--feed", small, good, "--format", "json")
check(r.returncode == 0, f"rt on rt-small exits 0 ({r.stderr})")
if r.returncode == 0:
    j = json.loads(r.stdout)
    for key in ("header", "entities", "trip_updates", "matched", "unknown_trip", "unknown_stop",
                "no_service_on_date", "cancelled", "added", "skipped_stops", "stale", "delay_s",
                "alerts", "vehicle_positions"):
        check(key in j, f"json has {key}")
    check(j["header"]["timestamp"] == HDR, "header timestamp")
    check(j["header"]["incrementality"] == "FULL_DATASET", "incrementality")
    # 7 entities; 6 TripUpdates: T1 T2 T3 matched, T4 weekend-only, NOPE
    # unknown, X1 added.
    check(j["entities"] == 7, f"entities {j.get('entities')}")
    check(j["trip_updates"] == 6, "trip_updates")
    check(j["matched"] == 3, f"matched {j.get('matched')}")
    check(j["unknown_trip"] == 1, "unknown_trip")
    check(j["no_service_on_date"] == 1, "no_service_on_date")
    check(j["cancelled"] == 1, "cancelled")
    check(j["added"] == 1, "added")
    check(j["skipped_stops"] == 1, "skipped_stops")
    check(j["unknown_stop"] == 0, "unknown_stop")
    check(j["stale"] == 0, "stale")
    # Delay samples 120 (T1) and 60 (T3): p50 = rank 1 -> 60, p90 = rank 2 -> 120.
    check(j["delay_s"] == {"p50": 60, "p90": 120, "max": 120}, f"delay_s {j.get('delay_s')}")
    check(len(j["alerts"]) == 1 and j["alerts"][0]["header"] == "Works on K1", "alert header")
    check(j["alerts"][0]["cause"] == "MAINTENANCE", "alert cause")
    check(j["alerts"][0]["informed_entities"] == [{"route_id": "R1"}], "alert entity")
    check([t["trip_id"] for t in j["cancelled_trips"]] == ["T2"], "cancelled trip listed")
    check(j["cancelled_trips"][0]["date"] == "2023-11-08", "cancelled trip date")
    added = j["added_trips"]
    check(len(added) == 1 and added[0]["trip_id"] == "X1", "added trip listed")
    check(added[0]["stops"][0]["departure"] == "12:00:00", "added trip departs 12:00")
    check(added[0]["stops"][1]["arrival"] == "12:30:00", "added trip arrives 12:30")

r = run("rt", "--feed", small, good)
check(r.returncode == 0, "text format exits 0")
check("matched 3" in r.stdout, "text shows matched")
check("T2 2023-11-08" in r.stdout, "text lists the cancelled trip")
check("MAINTENANCE" in r.stdout and "Works on K1" in r.stdout, "text shows the alert")
check("rt_unknown_trip" in r.stderr and "NOPE" in r.stderr, "unknown trip noticed on stderr")

# Stale: an hour after the header with a 10-minute limit, all 6 are stale.
r = run("rt", "--feed", small, good, "--format", "json", "--now", "2023-11-08T09:00:00Z",
        "--max-age", "600")
check(r.returncode == 0, "stale run exits 0")
if r.returncode == 0:
    j = json.loads(r.stdout)
    check(j["stale"] == 6 and j["matched"] == 0, f"all stale ({j.get('stale')})")
# 10:00 local = 09:00Z, written with an offset: the same instant.
r = run("rt", "--feed", small, good, "--format", "json", "--now", "2023-11-08T10:00:00+01:00",
        "--max-age", "7200")
check(r.returncode == 0 and json.loads(r.stdout)["stale"] == 0, "2 h limit: none stale")

# Without --now the clock is "now": a 2023 message is long stale.
r = run("rt", "--feed", small, good, "--format", "json", "--max-age", "600")
check(r.returncode == 0 and json.loads(r.stdout)["stale"] == 6, "clock as now: all stale")

# Bad input: a clear error and exit 1, never a crash.
for name, data, words in [("empty.pb", b"", "empty"),
                          ("page.pb", b"<!DOCTYPE html><html><body>Not found</body></html>",
                           "HTML"),
                          ("trunc.pb", msg[: len(msg) // 2], "truncated"),
                          ("noheader.pb", trip_update("t", "T1"), "no header")]:
    r = run("rt", "--feed", small, write(name, data))
    check(r.returncode == 1, f"{name}: exit 1 (got {r.returncode})")
    check(words in r.stderr and name in r.stderr, f"{name}: error names it: {r.stderr.strip()}")
    check("AddressSanitizer" not in r.stderr, f"{name}: no sanitizer report")
r = run("rt", "--feed", small, os.path.join(tmp, "absent.pb"))
check(r.returncode == 1 and "absent.pb" in r.stderr, "absent file")
r = run("rt", "--feed", small)
check(r.returncode == 2, "no FILE: usage error")
r = run("rt", "--feed", small, good, "--now", "yesterday")
check(r.returncode == 2 and "--now" in r.stderr, "bad --now")
r = run("rt", "--feed", small, good, "--format", "csv")
check(r.returncode == 2, "csv not offered")
r = run("rt", "--feed", small, "https://example.org/tu.pb")
check(r.returncode == 2 and "grens fetch" in r.stderr, "URL points to fetch")
# A named feed, chosen by name: the same 3 matches.
r = run("rt", "--feed", "kl=" + small, good, "--feed-name", "kl", "--format", "json")
check(r.returncode == 0 and json.loads(r.stdout)["matched"] == 3, "--feed NAME=PATH, --feed-name")
if r.returncode == 0:
    check(json.loads(r.stdout)["cancelled_trips"][0]["feed"] == "kl", "feed name in output")
r = run("rt", "--feed", small, good, "--feed-name", "elsewhere")
check(r.returncode == 2 and "elsewhere" in r.stderr, "unknown --feed-name")
r = run("rt", "--help")
check(r.returncode == 0 and "usage: grens rt" in r.stdout, "--help")

# ---- Caltrain, 2023-11-08 -------------------------------------------------------
# The expected counts are derived here from the GTFS tables and a walk of the
# protobuf wire format, independently of grens.


def caltrain_expectation(zip_path, pb_path):
    zf = zipfile.ZipFile(zip_path)

    def table(n):
        return list(csv.DictReader(io.TextIOWrapper(zf.open(n), "utf-8-sig")))
    trips = {r["trip_id"]: r for r in table("trips.txt")}
    cal = {r["service_id"]: r for r in table("calendar.txt")}
    exc = {(r["service_id"], r["date"]): r["exception_type"] for r in table("calendar_dates.txt")}
    st = {}
    for r in table("stop_times.txt"):
        st.setdefault(r["trip_id"], {})[int(r["stop_sequence"])] = r
    tz = zoneinfo.ZoneInfo(table("agency.txt")[0]["agency_timezone"])
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    def day(date):
        return datetime.date(int(date[:4]), int(date[4:6]), int(date[6:]))

    def runs(sid, date):
        if (sid, date) in exc:
            return exc[(sid, date)] == "1"
        c = cal.get(sid)
        return bool(c) and c["start_date"] <= date <= c["end_date"] and \
            c[days[day(date).weekday()]] == "1"

    def secs(t):
        h, m, s = map(int, t.split(":"))
        return h * 3600 + m * 60 + s

    fm = fields(open(pb_path, "rb").read())
    e = dict(entities=0, trip_updates=0, vehicle_positions=0, vehicle_positions_matched=0,
             matched=0, unknown_trip=0, no_service_on_date=0, cancelled=0, skipped_stops=0,
             unknown_stop=0, stop_updates=0)
    delays = []
    e["header_ts"] = fields(fm[1][0])[3][0]
    for ent in fm.get(2, []):
        ent = fields(ent)
        e["entities"] += 1
        if 4 in ent:
            e["vehicle_positions"] += 1
            vp = fields(ent[4][0])
            if 1 in vp and fields(vp[1][0])[1][0].decode() in trips:
                e["vehicle_positions_matched"] += 1
        if 3 not in ent:
            continue
        e["trip_updates"] += 1
        tu = fields(ent[3][0])
        td = fields(tu[1][0])
        tid, date = td[1][0].decode(), td[3][0].decode()
        if tid not in trips:
            e["unknown_trip"] += 1
            continue
        if not runs(trips[tid]["service_id"], date):
            e["no_service_on_date"] += 1
            continue
        e["matched"] += 1
        if td.get(4, [0])[0] == 3:
            e["cancelled"] += 1
            continue
        d = day(date)
        base = int(datetime.datetime(d.year, d.month, d.day, 12, tzinfo=tz).timestamp()) - 43200
        for u in map(fields, tu.get(2, [])):
            seq = u.get(1, [None])[0]
            if seq not in st[tid]:
                e["unknown_stop"] += 1
                continue
            e["stop_updates"] += 1
            if u.get(5, [0])[0] == 1:
                e["skipped_stops"] += 1
                continue
            # the departure's delay when given, else the arrival's
            ev, col = (u[3][0], "departure_time") if 3 in u else \
                (u[2][0], "arrival_time") if 2 in u else (None, None)
            if ev is None:
                continue
            ev = fields(ev)
            if 2 in ev:
                delays.append(s64(ev[2][0]) - base - secs(st[tid][seq][col]))
            elif 1 in ev:
                delays.append(s64(ev[1][0]) if ev[1][0] < 1 << 63 else ev[1][0])
    delays.sort()
    rank = lambda p: delays[max(1, math.ceil(len(delays) * p / 100)) - 1]
    e["delay_s"] = {"p50": rank(50), "p90": rank(90), "max": delays[-1]} if delays else \
        {"p50": None, "p90": None, "max": None}
    return e


shared = shared_dir()
if shared:
    zip_path = os.path.join(shared, "data", "gtfs", "caltrain-2023-ct.zip")
    for pb in ("caltrain-ct-trip-updates.pb", "caltrain-ct-vehicle-positions.pb"):
        pb_path = os.path.join(shared, "data", "gtfs-rt", pb)
        want = caltrain_expectation(zip_path, pb_path)
        r = run("rt", "--feed", zip_path, pb_path, "--format", "json", timeout=300)
        check(r.returncode == 0, f"{pb}: exit 0 ({r.stderr[-500:]})")
        if r.returncode != 0:
            continue
        got = json.loads(r.stdout)
        check(got["header"]["timestamp"] == want.pop("header_ts"), f"{pb}: header timestamp")
        for k, v in want.items():
            check(got.get(k) == v, f"{pb}: {k} = {got.get(k)}, expected {v}")
    # What the walk finds in the recording, stated so a change in it shows:
    # 19 TripUpdates, all matched, 220 stop time updates; 14 vehicles.
    want = caltrain_expectation(zip_path, os.path.join(shared, "data", "gtfs-rt",
                                                       "caltrain-ct-trip-updates.pb"))
    check(want["trip_updates"] == 19 and want["matched"] == 19, "recording: 19 TripUpdates")
    check(want["stop_updates"] == 220, "recording: 220 stop time updates")

finish()
