"""grens profile --realised / --realised-vs-scheduled end to end: a synthetic
archive written here (pbwriter) on the embedded feeds, and the recorded
Caltrain trip updates as the one snapshot of a real archive."""
import json
import os
import shutil
import tempfile

from harness import run, check, finish, part_is, shared_dir, SOURCE
from pbwriter import message, delay_update, cancelled_trip, write_archive

tmp = tempfile.mkdtemp(prefix="grens-realised-")

# ---- the Heerlen change on the embedded feeds (feeds/nl): IC
# NS:ic-heerlen:wdsa:3033 leaves Amsterdam Centraal 08:20 and reaches Heerlen
# (hrl:3) 10:44; RE18 ARRIVA:re18:wdsa:32041 leaves Heerlen 10:48, Aachen Hbf
# 11:17; the next RE18, 32043, leaves 11:18 and reaches Aachen 11:47. From
# 08:06, 08:11, 08:16 (--window 08:06-08:16 --step 300) the plan is that IC
# and 32041: travel times 11:17 - 08:06 = 11460 s, 11160 s, 10860 s, median
# (nearest rank 2 of 3) 11160 s. The 08:05 train via Maastricht is gone by
# 08:06, so nothing else reaches Aachen before 11:47.
#
# Three recorded days, one snapshot each at 10:30 CEST = 08:30Z (a day
# starts at 00:00 CEST = 22:00Z the evening before; 2026-06-16 08:30Z is
# 1781598600):
#   06-16: the IC 300 s late at Heerlen: 10:49 > 10:48, the change breaks;
#          the realised journey waits for 32043: arrival 11:47, travel
#          times 13260, 12960, 12660, median 12960 = 11160 + 1800.
#   06-17: everything on time (delay 0): the change holds, median 11160.
#   06-18: 32041 cancelled: the change breaks, 11:47 again, median 12960.
# 32043 is in every snapshot on time, so it is observed, not "no data".
IC, RE1, RE2 = "NS:ic-heerlen:wdsa:3033", "ARRIVA:re18:wdsa:32041", "ARRIVA:re18:wdsa:32043"
DAY = 86400
T16 = 1781598600


def day_message(day, ts, ic_delay, cancel_re1):
    ents = [delay_update("ic", IC, "hrl:3", ic_delay, day),
            delay_update("re2", RE2, "hrl:1", 0, day)]
    ents.append(cancelled_trip("re1", RE1, day) if cancel_re1
                else delay_update("re1", RE1, "hrl:1", 0, day))
    return message(ents, timestamp=ts)


def local_checks():
    arch = os.path.join(tmp, "archive")
    snaps = [(T16, "nl-rt", day_message("20260616", T16, 300, False)),
             (T16 + DAY, "nl-rt", day_message("20260617", T16 + DAY, 0, False)),
             # a snapshot that no longer reads, on the 17th: skipped, counted
             (T16 + DAY + 30, "nl-rt", ("corrupt", b"\x1f\x8b not gzip at all")),
             (T16 + 2 * DAY, "nl-rt", day_message("20260618", T16 + 2 * DAY, 0, True)),
             # a second snapshot on the 18th four hours later: one gap (> 300 s)
             (T16 + 2 * DAY + 4 * 3600, "nl-rt",
              day_message("20260618", T16 + 2 * DAY + 4 * 3600, 0, True))]
    write_archive(arch, snaps)

    q = ["profile", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--window",
         "08:06-08:16", "--step", "300", "--format", "json"]

    # scheduled profile: the baseline the arithmetic above starts from
    r = run(*q, "--date", "2026-06-16")
    check(r.returncode == 0, f"scheduled profile: {r.stderr}")
    check(json.loads(r.stdout)["summary"]["median_s"] == 11160, f"scheduled median: {r.stdout}")

    # realised profile of the 16th: median 12960
    r = run(*q, "--date", "2026-06-16", "--realised", arch)
    check(r.returncode == 0, f"--realised: {r.stderr}")
    d = json.loads(r.stdout)
    check(d["summary"]["median_s"] == 12960, f"realised median 11160 + 1800: {d['summary']}")
    rz = d["realised"]
    check(rz["snapshots_read"] == 1 and rz["snapshots_corrupt"] == 0 and rz["trips_observed"] == 3,
          f"16th: one snapshot, three trips observed: {rz}")
    check(rz["trips_no_data"] > 0 and rz["trips_no_data"] == rz["trips_scheduled"] - 3
          and rz["no_data_as"] == "excluded", f"every other nl trip is no data: {rz}")
    check("realised" in r.stderr and "no data" in r.stderr, f"summary on stderr: {r.stderr}")

    # side by side over the three days
    r = run(*q, "--date", "2026-06-16", "--until", "2026-06-18", "--realised", arch,
            "--realised-vs-scheduled")
    check(r.returncode == 0, f"--realised-vs-scheduled: {r.stderr}")
    d = json.loads(r.stdout)
    days = {x["date"]: x for x in d["days"]}
    d16, d17, d18 = days["2026-06-16"], days["2026-06-17"], days["2026-06-18"]
    check(d16["held"] == 0 and d16["broken"] == 3 and d16["share_held"] == 0.0,
          f"16th: every planned change broke: {d16}")
    check(d16["scheduled"]["median_s"] == 11160 and d16["realised"]["median_s"] == 12960
          and d16["delta_median_s"] == 1800 and d16["extra_p50_s"] == 1800
          and d16["extra_p90_s"] == 1800, f"16th: +1800 s: {d16}")
    b = d16["breaks"]
    check(len(b) == 1 and b[0]["station"]["name"] == "Heerlen" and b[0]["from_route"] == "IC"
          and b[0]["to_route"] == "RE18" and b[0]["reason"] == "late" and b[0]["count"] == 3,
          f"16th: IC -> RE18 at Heerlen, late, 3 times: {b}")
    check(d17["held"] == 3 and d17["share_held"] == 1.0 and d17["delta_median_s"] == 0
          and d17["extra_p90_s"] == 0 and d17["breaks"] == [], f"17th: all held: {d17}")
    check(d18["broken"] == 3 and d18["delta_median_s"] == 1800
          and d18["breaks"][0]["reason"] == "cancelled" and d18["breaks"][0]["to_route"] == "RE18",
          f"18th: RE18 cancelled, +1800 s: {d18}")
    # period: 9 steps, 3 held. Extra times 0 x3, 1800 x6: p50 rank 5 and p90
    # rank 9 are 1800. Scheduled 10860/11160/11460 x3: rank 5 is 11160.
    # Realised 10860, 11160, 11460, 12660 x2, 12960 x2, 13260 x2: rank 5 is
    # 12660, delta 1500.
    p = d["period"]
    check(p["steps"] == 9 and p["held"] == 3 and p["broken"] == 6
          and abs(p["share_held"] - 1 / 3) < 1e-9, f"period counts: {p}")
    check(p["extra_p50_s"] == 1800 and p["extra_p90_s"] == 1800 and p["delta_median_s"] == 1500,
          f"period deltas: {p}")
    check(len(p["breaks"]) == 2 and {x["reason"] for x in p["breaks"]} == {"late", "cancelled"},
          f"period breaks: {p['breaks']}")
    rz = d["realised"]
    check(rz["snapshots_read"] == 4 and rz["snapshots_corrupt"] == 1,
          f"the unreadable snapshot is skipped and counted: {rz}")
    # read: 16th 08:30Z, 17th 08:30Z, 18th 08:30Z and 12:30Z: gaps of 86400,
    # 86400 and 14400 s, all over 300 s
    check(rz["gaps"] == 3 and rz["longest_gap_s"] == DAY, f"gaps between the snapshots: {rz}")
    check(rz["trips_cancelled"] == 1, f"one cancelled run: {rz}")

    r = run(*q[:-2], "--date", "2026-06-16", "--until", "2026-06-18", "--realised", arch,
            "--realised-vs-scheduled")
    check(r.returncode == 0 and "broke 3 times at Heerlen: IC -> RE18 (late)" in r.stdout
          and "period:" in r.stdout, f"text: {r.stdout}")
    r = run(*q[:-2], "--date", "2026-06-16", "--until", "2026-06-18", "--realised", arch,
            "--realised-vs-scheduled", "--format", "csv")
    lines = r.stdout.splitlines()
    check(r.returncode == 0 and len(lines) == 5 and lines[0].startswith("date,steps,planned,held")
          and lines[1].startswith("2026-06-16,3,3,0,3,0,") and lines[4].startswith("period,9,9,3,6,0,"),
          f"csv: {lines}")

    # ---- a day the recording missed (2026-06-19): no snapshot, so nothing is
    # known; the planned journeys are "no data", not "on time".
    r = run(*q, "--date", "2026-06-19", "--realised", arch, "--realised-vs-scheduled")
    check(r.returncode == 0, f"gap day: {r.stderr}")
    d = json.loads(r.stdout)
    g = d["days"][0]
    check(g["planned"] == 3 and g["no_data"] == 3 and g["held"] == 0 and g["broken"] == 0
          and g["share_held"] is None and g["extra_p50_s"] is None, f"gap day is no data: {g}")
    rz = d["realised"]
    check(rz["snapshots_read"] == 0 and rz["trips_observed"] == 0
          and rz["trips_no_data"] == rz["trips_scheduled"] > 0, f"gap day counts: {rz}")
    check("no readable snapshot" in r.stderr, f"gap day warning: {r.stderr}")
    # ... and with --no-data-as-scheduled they run as planned: the same median
    r = run(*q, "--date", "2026-06-19", "--realised", arch, "--no-data-as-scheduled")
    d = json.loads(r.stdout)
    check(r.returncode == 0 and d["summary"]["median_s"] == 11160
          and d["realised"]["no_data_as"] == "scheduled", f"no data as scheduled: {d}")

    # ---- bad arguments
    r = run(*q, "--date", "2026-06-16", "--realised-vs-scheduled")
    check(r.returncode == 2 and "--realised" in r.stderr, f"vs-scheduled needs --realised: {r.stderr}")
    r = run(*q, "--date", "2026-06-16", "--realised", os.path.join(tmp, "absent"))
    check(r.returncode == 1 and "absent" in r.stderr, f"missing archive: {r.stderr}")
    r = run("profile", "--help")
    check(r.returncode == 0 and "--realised ARCHIVE" in r.stdout
          and "--realised-vs-scheduled" in r.stdout, "--help lists the options")

    # ---- compare --realised: the same realised times on every network
    r = run("compare", "--scenario", "none", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf",
            "--one-way", "--date", "2026-06-16", "--window", "08:06-08:16", "--step", "300",
            "--realised", arch, "--format", "json")
    check(r.returncode == 0, f"compare --realised: {r.stderr}")
    if r.returncode == 0:
        d = json.loads(r.stdout)
        row = d["rows"][0]
        check(row["median_s"] == 12960 and d["realised"]["snapshots_read"] == 1,
              f"compare on realised times: {row} {d.get('realised')}")

    # ---- compare --realised-vs-scheduled: the base network's schedule as the
    # base row, its realised times as the alternative. The profile above:
    # scheduled median 11160 on both days, realised 12960 on the 16th (the IC
    # late, +1800) and on the 18th (the RE18 cancelled, +1800).
    cmp = ["compare", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--one-way",
           "--date", "2026-06-16", "--date", "2026-06-18", "--window", "08:06-08:16",
           "--step", "300", "--realised", arch, "--realised-vs-scheduled"]
    r = run(*cmp, "--format", "json")
    check(r.returncode == 0, f"compare --realised-vs-scheduled: {r.stderr}")
    if r.returncode == 0:
        d = json.loads(r.stdout)
        check(d["scenarios"] == ["scheduled", "realised"]
              and d.get("comparison") == "realised-vs-scheduled",
              f"two networks, the schedule first: {d['scenarios']} {d.get('comparison')}")
        rows = {(x["date"], x["scenario"]): x for x in d["rows"]}
        for day in ("2026-06-16", "2026-06-18"):
            sched, real = rows.get((day, "scheduled")), rows.get((day, "realised"))
            check(sched and real and sched["median_s"] == 11160 and real["median_s"] == 12960
                  and real["delta_median_s"] == 1800,
                  f"{day}: scheduled 11160, realised 11160 + 1800: {sched} {real}")
        # the period 16th..18th reads every snapshot of the archive (the
        # 17th's too), as the profile over the three days did: 4, 1 unreadable
        check(d["realised"]["snapshots_read"] == 4 and d["realised"]["snapshots_corrupt"] == 1
              and list(d["realised"]["trips_no_data_by_network"]) == ["realised"],
              f"counts of the realised network: {d['realised']}")
    r = run(*cmp)
    check(r.returncode == 0 and "the schedule against the realised times" in r.stdout,
          f"compare text names the comparison: {r.stdout[:400]}")
    r = run(*cmp, "--scenario", os.path.join(SOURCE, "feeds", "scenarios", "ic-aken.yaml"))
    check(r.returncode == 2 and "no --scenario" in r.stderr,
          f"a scenario is refused with --realised-vs-scheduled: {r.stderr}")

    # ---- access --realised-vs-scheduled: the schedule as the base, the
    # realised times as the alternative. On the 17th everything recorded ran
    # on time and the rest runs as scheduled (--no-data-as-scheduled), so
    # every origin's accessibility is unchanged.
    acc = ["access", "--from", "Amsterdam Centraal", "--window", "08:06-08:16", "--step", "300",
           "--cutoffs", "180,200", "--realised", arch, "--realised-vs-scheduled",
           "--no-data-as-scheduled", "--format", "json"]
    r = run(*acc, "--date", "2026-06-17")
    check(r.returncode == 0, f"access --realised-vs-scheduled: {r.stderr}")
    if r.returncode == 0:
        d = json.loads(r.stdout)
        check(d["meta"]["comparison"]["kind"] == "realised-vs-scheduled"
              and d["meta"]["realised"]["trips_observed"] == 3
              and d["meta"]["realised"]["snapshots_read"] == 1, f"access meta: {d['meta']}")
        deltas = [x["delta"] for o in d["origins"] for x in o["accessibility"]]
        check(deltas and all(x == 0 for x in deltas), f"on time: no change: {deltas}")
    r = run(*acc[:-4], "--date", "2026-06-16", "--format", "json")
    check(r.returncode == 0 and json.loads(r.stdout)["meta"]["realised"]["no_data_as"]
          == "excluded", f"access --realised alone: {r.stderr}")
    r = run("access", "--realised", arch, "--border-effect")
    check(r.returncode == 2, f"--realised with --border-effect refused: {r.stderr}")


def nightly_checks():
    """grens nightly with rt_archive: the "what travellers got" section.
    Feed (smallfeed.feed_zip): A (Heerlen Test) -> B (Aachen Test), trips
    t0.. every 30 min from 06:00, 30 min run. Trip t4 (08:00 -> 08:30) is 600 s
    late on 2026-03-10. Window 07:55-08:05, step 300 (3 departures):
      scheduled: 07:55 t4 -> 08:30 35 min; 08:00 30 min; 08:05 t5 -> 09:00 55 min
      realised:  t4 leaves 08:10, arrives 08:40: 45, 40 and 35 min
    Only t4 is in the recording: the 08:05 plan rides t5, which no snapshot
    named, so it is "no data"; the two t4 plans have no change and held.
    Extra over those two: 600, 600 s (p50 and p90 600). Realised routing
    rides t4 only (t5 is no data, not ridden): 45, 40, 35 min. Medians:
    scheduled 35 min (2100 s), realised 40 min (2400 s)."""
    from fetch_server import Server
    from smallfeed import feed_zip
    srv = Server(lifetime=120)
    srv.state.bodies["/plain/small.zip"] = feed_zip(30, "v1")
    d = os.path.join(tmp, "nightly")
    os.makedirs(d)
    # 07:00 CET on 2026-03-10 = 06:00Z = 1773122400
    narch = os.path.join(d, "archive")
    write_archive(narch, [(1773122400, "small-rt",
                           message([delay_update("e1", "t4", "A", 600, "20260310")],
                                   timestamp=1773122400))])
    with open(os.path.join(d, "feeds.conf"), "w") as f:
        f.write(f"[small]\nkind = gtfs\nurl = {srv.url('/plain/small.zip')}\nretries = 0\n")
    conf = os.path.join(d, "nightly.conf")
    with open(conf, "w") as f:
        f.write("feeds = feeds.conf\ncache = cache\nservice_date = 2026-03-10\n"
                "window = 07:55-08:05\nstep = 300\npair = Heerlen Test -> Aachen Test\n"
                "rt_archive = archive\n")
    reports = os.path.join(d, "reports")
    r = run("nightly", "--config", conf, "--out", reports, "--date", "2026-03-10", timeout=120)
    check(r.returncode == 0, f"nightly with rt_archive: {r.stdout} {r.stderr}")
    if r.returncode != 0:
        return
    with open(os.path.join(reports, "2026-03-10", "report.json")) as f:
        rep = json.load(f)
    rz = rep.get("realised", {})
    check(rz.get("snapshots_read") == 1 and rz.get("trips_observed") == 1
          and rz.get("date") == "2026-03-10", f"realised block: {rz}")
    p = (rz.get("pairs") or [{}])[0]
    check(p.get("steps") == 3 and p.get("held") == 2 and p.get("no_data") == 1
          and p.get("share_held") == 1.0
          and p.get("scheduled_median_s") == 2100 and p.get("realised_median_s") == 2400
          and p.get("extra_p50_s") == 600 and p.get("extra_p90_s") == 600,
          f"realised pair: {p}")
    with open(os.path.join(reports, "2026-03-10", "report.html"), encoding="utf-8") as f:
        html = f.read()
    check('id="realised">What travellers got' in html, "the page has the section")
    # a night the archive has nothing for: a note, no section
    r = run("nightly", "--config", conf, "--out", reports, "--date", "2026-03-11", timeout=120)
    check(r.returncode == 0, f"nightly without snapshots: {r.stderr}")
    if r.returncode == 0:
        with open(os.path.join(reports, "2026-03-11", "report.json")) as f:
            rep = json.load(f)
        # service_date pins 2026-03-10, so the 11th's night reports the 10th again
        check("realised" in rep, f"service_date 2026-03-10 again: {list(rep)}")


if part_is("local"):
    nightly_checks()
    local_checks()

# ---- the recorded Caltrain trip updates (2023-11-08T01:05:34Z, 17:05 PST
# on 2023-11-07) as the one snapshot of an archive: the trips it names are
# observed, and the realised profile runs.
shared = shared_dir()
if shared:
    zip_path = os.path.join(shared, "data", "gtfs", "caltrain-2023-ct.zip")
    with open(os.path.join(shared, "data", "gtfs-rt", "caltrain-ct-trip-updates.pb"), "rb") as f:
        pb = f.read()
    carch = os.path.join(tmp, "caltrain")
    write_archive(carch, [(1699405534, "caltrain-tu", pb)])
    r = run("profile", "--feed", zip_path, "--from", "San Francisco", "--to",
            "San Jose Diridon", "--date", "2023-11-07", "--window", "17:00-18:00",
            "--realised", carch, "--realised-vs-scheduled", "--format", "json", timeout=300)
    check(r.returncode == 0, f"caltrain: {r.stderr}")
    if r.returncode == 0:
        d = json.loads(r.stdout)
        rz = d["realised"]
        # grens rt on the same file matches 19 trip updates
        check(rz["snapshots_read"] == 1 and rz["trips_observed"] == 19, f"caltrain: {rz}")
        day = d["days"][0]
        check(day["planned"] == day["held"] + day["broken"] + day["no_data"],
              f"caltrain: every planned departure classified: {day}")

shutil.rmtree(tmp, ignore_errors=True)
finish()
