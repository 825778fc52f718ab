"""The command dispatcher (usage, --version, unknown commands) and the option
parser every command shares: --help, unknown options, --opt=value, bad
values, and the links file every command reads."""
import json
import os
import tempfile

from harness import FIXTURES, SOURCE, check, finish, run

r = run()
check(r.returncode == 2, "no command exits 2")
check("usage: grens" in r.stderr, "usage printed on stderr")

r = run("--help")
check(r.returncode == 0 and "commands:" in r.stdout, "--help lists commands")

r = run("--version")
check(r.returncode == 0 and r.stdout.startswith("grens "), "--version")

r = run("no-such-command")
check(r.returncode == 2 and "unknown command" in r.stderr, "unknown command exits 2")

# ---- the options each command's parser accepts ----------------------------------
# (the option tables of src/cli/cmd_*.c; FLAGS take no value)
OPTIONS = {
    "info": ["feed", "format", "notices"],
    "fetch": ["config", "only", "cache", "url", "name", "kind", "list", "force", "max-bytes",
              "retries", "timeout", "connect-timeout", "low-speed-time", "low-speed-bytes",
              "backoff-ms", "max-retry-after", "max-redirects", "keep-versions"],
    "route": ["feed", "from", "to", "date", "time", "algo", "max-transfers", "min-transfer",
              "scenario", "rt", "links", "format"],
    "profile": ["feed", "from", "to", "date", "window", "step", "threshold", "max-transfers",
                "min-transfer", "links", "format"],
    "link": ["feed", "format", "report", "links", "overrides", "radius", "walk-speed",
             "timezone", "tolerance", "no-merge"],
    "rt": ["feed", "format", "max-age", "now", "feed-name", "reject-decreasing", "lang",
           "links"],
    "compare": ["feed", "scenario", "from", "to", "one-way", "date", "window", "step",
                "threshold", "max-transfers", "links", "format", "out", "timings"],
    "access": ["feed", "places", "from", "date", "window", "step", "cutoffs", "percentiles",
               "decay", "threads", "shard", "border-effect", "home", "rank", "sensitivity",
               "scenario", "stops",
               "access-distance", "access-stops", "access-time", "walk-speed", "detour",
               "link-radius", "links", "max-transfers", "max-duration", "format", "out"],
    "report": ["out", "feed", "scenario", "pair", "map-origin", "date", "window", "step",
               "threshold", "title", "places", "cutoffs", "base-feeds", "links"],
    "nightly": ["config", "out", "date", "no-fetch"],
    "stops": ["feed", "snapshot", "name", "near", "radius", "limit", "format"],
    "access merge": ["format", "out"],
}
FLAGS = {"list", "force", "report", "no-merge", "reject-decreasing", "one-way", "timings",
         "border-effect", "rank", "sensitivity", "stops", "no-fetch"}


def grens(command, *args, **kw):
    return run(*command.split(), *args, **kw)


for cmd, opts in OPTIONS.items():
    for h in ("--help", "-h"):
        r = grens(cmd, h)
        check(r.returncode == 0 and r.stdout.startswith("usage: grens") and not r.stderr,
              f"{cmd} {h}: usage on stdout, exit 0 ({r.returncode}, {r.stderr.strip()})")
    helptext = grens(cmd, "--help").stdout
    for o in opts:
        check(f"--{o}" in helptext, f"{cmd} --help mentions --{o}")
        # The parser knows the option: a value option without its value, and a
        # flag with one, are refused naming it, before any work is done.
        if o in FLAGS:
            r = grens(cmd, f"--{o}=1")
            want = f"--{o} takes no value"
        else:
            r = grens(cmd, f"--{o}")
            want = f"--{o} needs a value"
        check(r.returncode == 2 and f"grens {cmd}: {want}" in r.stderr,
              f"{cmd} --{o}: parser knows it ({r.returncode}, {r.stderr.strip()})")
    # An unknown option, an abbreviation and a stray argument exit 2 naming them.
    r = grens(cmd, "--no-such-option", "1")
    check(r.returncode == 2 and f"grens {cmd}: unknown option '--no-such-option'" in r.stderr,
          f"{cmd}: unknown option named ({r.returncode}, {r.stderr.strip()})")
    r = grens(cmd, "--no-such-option=1")
    check(r.returncode == 2 and "'--no-such-option'" in r.stderr,
          f"{cmd}: unknown --opt=value named without its value: {r.stderr.strip()}")
    abbrev = opts[0][:2]
    r = grens(cmd, f"--{abbrev}", "x")
    check(r.returncode == 2 and f"unknown option '--{abbrev}'" in r.stderr,
          f"{cmd}: --{abbrev} is not taken for --{opts[0]} ({r.stderr.strip()})")
    r = grens(cmd, "-q")
    check(r.returncode == 2 and "unknown option '-q'" in r.stderr, f"{cmd}: -q refused")

# -h inside a cluster is still help; --help takes no value; "--" ends the options.
r = run("route", "-hq")
check(r.returncode == 0 and r.stdout.startswith("usage: grens route"), "route -hq: help")
r = run("route", "--help=1")
check(r.returncode == 2 and "--help takes no value" in r.stderr, f"--help=1: {r.stderr}")
r = run("route", "--", "--from")
check(r.returncode == 2 and "unexpected argument '--from'" in r.stderr,
      f"after --, --from is an argument: {r.stderr.strip()}")

# Stray arguments: commands without positional arguments refuse one; rt takes
# one FILE.
for cmd in ("info", "route", "profile", "link", "compare", "access", "report", "nightly",
            "fetch", "stops"):
    r = grens(cmd, "stray")
    check(r.returncode == 2 and "unexpected argument 'stray'" in r.stderr,
          f"{cmd}: a stray argument exits 2: {r.stderr.strip()}")
r = run("rt", "a.pb", "b.pb")
check(r.returncode == 2 and "grens rt: too many arguments at 'b.pb'" in r.stderr,
      f"rt takes one FILE: {r.stderr.strip()}")

# Required options are named together.
r = run("route", "--from", "a")
check(r.returncode == 2 and "missing --to, --date, --time" in r.stderr,
      f"route names the missing options: {r.stderr.strip()}")
r = run("nightly")
check(r.returncode == 2 and "missing --config, --out" in r.stderr,
      f"nightly names the missing options: {r.stderr.strip()}")

# ---- bad values exit 2 naming the option ---------------------------------------------
BAD = [
    ("route", "--date", "2026-02-30"),
    ("route", "--time", "8h"),
    ("route", "--format", "geojson"),
    ("route", "--algo", "astar"),
    ("route", "--max-transfers", "-1"),
    ("profile", "--date", "10-03-2026"),
    ("profile", "--window", "09:00-08:00"),
    ("profile", "--window", "09:00"),
    ("profile", "--step", "0"),
    ("profile", "--format", "xml"),
    ("compare", "--date", "yesterday"),
    ("compare", "--window", "6-22"),
    ("compare", "--format", "geojson"),
    ("compare", "--threshold", "ten"),
    ("access", "--date", "2026-3-1x"),
    ("access", "--window", "07:00-"),
    ("access", "--format", "html"),
    ("access", "--walk-speed", "fast"),
    ("access", "--shard", "3/3"),
    ("report", "--date", "2026-13-01"),
    ("report", "--window", "22:00-06:00"),
    ("report", "--cutoffs", "60,,90"),
    ("nightly", "--date", "tomorrow"),
    ("info", "--format", "csv"),
    ("info", "--notices", "many"),
    ("link", "--format", "geojson"),
    ("stops", "--limit", "0"),
    ("stops", "--limit", "101"),
    ("stops", "--near", "50.9"),
    ("stops", "--near", "91,6"),
    ("stops", "--radius", "0"),
    ("stops", "--radius", "100001"),
    ("stops", "--format", "geojson"),
    ("link", "--radius", "-5"),
    ("rt", "--format", "csv"),
    ("rt", "--now", "noon"),
    ("rt", "--max-age", "0"),
    ("fetch", "--retries", "lots"),
    ("fetch", "--max-bytes", "1T"),
    ("access merge", "--format", "pdf"),
]
for cmd, opt, value in BAD:
    for args in ([opt, value], [f"{opt}={value}"]):
        r = grens(cmd, *args)
        check(r.returncode == 2 and f"grens {cmd}: {opt} " in r.stderr and value in r.stderr,
              f"{cmd} {' '.join(args)}: exit 2 naming {opt} and '{value}' "
              f"({r.returncode}, {r.stderr.strip()})")

# ---- --opt=value works as --opt value ----------------------------------------------
GTFS = "g=" + os.path.join(FIXTURES, "gtfs-basic")
RB = "rb=" + os.path.join(FIXTURES, "route-basic")
NL = "nl=" + os.path.join(FIXTURES, "link-nl")
DE = "de=" + os.path.join(FIXTURES, "link-de")
LINKS = os.path.join(FIXTURES, "link-rules", "links.csv")
RTS = os.path.join(FIXTURES, "rt-small")
SCEN = "t=" + os.path.join(FIXTURES, "scenario-basic")
ADD = os.path.join(FIXTURES, "scenario-edits", "add-line.yaml")
AX = "x=" + os.path.join(FIXTURES, "access-basic", "x")
PLACES = os.path.join(FIXTURES, "access-basic", "places.csv")

tmp = tempfile.mkdtemp(prefix="grens-cli-")
# An empty FeedMessage: field 1 (header) holding field 1 (version) "2.0".
empty_pb = os.path.join(tmp, "empty.pb")
with open(empty_pb, "wb") as f:
    f.write(b"\x0a\x05\x0a\x032.0")

SAME = [
    ("info", [("--feed", GTFS), ("--format", "json"), ("--notices", "3")], []),
    ("fetch", [("--config", os.path.join(SOURCE, "feeds", "feeds.yaml"))], ["--list"]),
    ("route", [("--feed", RB), ("--from", "AACH"), ("--to", "BONN"), ("--date", "2026-03-10"),
               ("--time", "08:00"), ("--algo", "dijkstra"), ("--format", "json"),
               ("--links", "none")], []),
    ("profile", [("--feed", RB), ("--from", "AACH"), ("--to", "BONN"), ("--date", "2026-03-10"),
                 ("--window", "07:30-08:30"), ("--step", "600"), ("--format", "csv")], []),
    ("link", [("--feed", NL), ("--feed", DE), ("--links", LINKS), ("--format", "csv"),
              ("--radius", "300")], ["--no-merge"]),
    ("rt", [("--feed", RTS), ("--format", "json"), ("--now", "2023-11-08T09:00:00Z"),
            ("--max-age", "600")], [empty_pb]),
    ("compare", [("--feed", SCEN), ("--from", "t:sa"), ("--to", "t:d"), ("--date", "2026-03-10"),
                 ("--window", "06:00-06:05"), ("--scenario", ADD), ("--format", "json")],
     ["--one-way"]),
    ("access", [("--feed", AX), ("--places", PLACES), ("--from", "PA"), ("--date", "2026-03-10"),
                ("--window", "07:00-07:20"), ("--step", "300"), ("--cutoffs", "30,60"),
                ("--format", "csv")], []),
    ("nightly", [("--config", os.path.join(tmp, "absent.conf")), ("--out", tmp)], ["--no-fetch"]),
]
for cmd, pairs, rest in SAME:
    spaced = [x for p in pairs for x in p] + rest
    joined = [f"{k}={v}" for k, v in pairs] + rest
    a = grens(cmd, *spaced)
    b = grens(cmd, *joined)
    check(a.returncode == b.returncode and a.stdout == b.stdout and a.stderr == b.stderr,
          f"{cmd}: --opt=value as --opt value ({a.returncode}/{b.returncode}, "
          f"{a.stderr.strip()} / {b.stderr.strip()})")
    # the runs above do their work (nightly: its config is absent, exit 2)
    want = 2 if cmd == "nightly" else 0
    check(a.returncode == want and (cmd == "nightly" or a.stdout),
          f"{cmd}: the run works: {a.returncode} {a.stderr.strip()}")

# Options after rt's FILE are options, also with POSIXLY_CORRECT set.
a = run("rt", "--feed", RTS, "--format", "json", empty_pb)
b = run("rt", empty_pb, "--feed", RTS, "--format", "json", env={"POSIXLY_CORRECT": "1"})
check(a.returncode == 0 and a.stdout == b.stdout and b.returncode == 0,
      f"rt FILE --options: {b.returncode} {b.stderr.strip()}")

# A value that starts with '-' is still the option's value.
r = run("route", "--feed", RB, "--from", "AACH", "--to", "BONN", "--date", "2026-03-10",
        "--time", "-08:00")
check(r.returncode == 2 and "--time needs HH:MM" in r.stderr and "'-08:00'" in r.stderr,
      f"--time -08:00 is a (bad) value of --time: {r.stderr.strip()}")

# ---- every command that builds a timetable reads the same links file -------------------
# GRENS_FEEDS points at a folder whose links.csv has one bad row (line 2):
# each command reports it (so it read the file), and none with --links none.
feeds_dir = os.path.join(tmp, "feeds")
os.mkdir(feeds_dir)
with open(os.path.join(feeds_dir, "links.csv"), "w") as f:
    f.write("feed_a,stop_id_a,feed_b,stop_id_b\nnl,hzr,de\n")
bad_row = os.path.join(feeds_dir, "links.csv") + ":2: link_invalid_row"
env = {"GRENS_FEEDS": feeds_dir}
pb = os.path.join(tmp, "empty.pb")
BUILDERS = [
    ("link", []),
    ("route", ["--from", "nl:hrl", "--to", "de:de:05334:1008", "--date", "2026-03-10",
               "--time", "07:00"]),
    ("profile", ["--from", "nl:hrl", "--to", "de:de:05334:1008", "--date", "2026-03-10",
                 "--window", "07:00-07:10"]),
    ("rt", [pb]),
    ("compare", ["--from", "nl:hrl", "--to", "de:de:05334:1008", "--date", "2026-03-10",
                 "--window", "07:00-07:10", "--one-way", "--scenario",
                 os.path.join(FIXTURES, "scenario-edits", "overlay.yaml")]),
]
for cmd, args in BUILDERS:
    r = run(cmd, "--feed", NL, "--feed", DE, *args, env=env)
    check(bad_row in r.stderr, f"{cmd} reads the default links file: {r.stderr.strip()}")
    r = run(cmd, "--feed", NL, "--feed", DE, "--links", "none", *args, env=env)
    check(bad_row not in r.stderr, f"{cmd} --links none reads none: {r.stderr.strip()}")
    r = run(cmd, "--feed", NL, "--feed", DE, "--links=" + os.path.join(tmp, "nope.csv"), *args,
            env=env)
    check(r.returncode == 1 and "links file" in r.stderr and "nope.csv" in r.stderr,
          f"{cmd}: a missing --links file exits 1 naming it: {r.stderr.strip()}")

# The links file changes what route and profile find. Two one-trip feeds:
# a: Alpha 08:00 -> Xstad 08:30; b: Ystadt Bf 09:00 -> Omega 09:30. Xstad
# (52.0 N, 6.1 E) and Ystadt Bf (52.0 N, 6.1088 E) are 0.0088 deg of
# longitude apart: 0.0088 * 111.32 km * cos 52 deg = 603 m, beyond the
# 400 m footpath radius and the 50 m distance rule, and the names differ:
# only a links row joins them (a walk of 602 m * 1.3 / 1.2 m/s = 653 s).
def write(path, text):
    with open(path, "w") as f:
        f.write(text)


two = {}
for name, stops, times in (
        ("a", "A1,Alpha,52.0,6.0\nA2,Xstad,52.0,6.1\n",
         "t,08:00:00,08:00:00,A1,1\nt,08:30:00,08:30:00,A2,2\n"),
        ("b", "B1,Ystadt Bf,52.0,6.1088\nB2,Omega,52.0,6.3\n",
         "t,09:00:00,09:00:00,B1,1\nt,09:30:00,09:30:00,B2,2\n")):
    d = os.path.join(tmp, "feed-" + name)
    os.mkdir(d)
    write(os.path.join(d, "agency.txt"), "agency_id,agency_name,agency_url,agency_timezone\n"
          "ag,Ag,http://example.org,Europe/Amsterdam\n")
    write(os.path.join(d, "calendar.txt"), "service_id,monday,tuesday,wednesday,thursday,"
          "friday,saturday,sunday,start_date,end_date\nwk,1,1,1,1,1,0,0,20260302,20260320\n")
    write(os.path.join(d, "routes.txt"),
          "route_id,agency_id,route_short_name,route_long_name,route_type\nr,ag,R,,2\n")
    write(os.path.join(d, "trips.txt"), "route_id,service_id,trip_id\nr,wk,t\n")
    write(os.path.join(d, "stops.txt"), "stop_id,stop_name,stop_lat,stop_lon\n" + stops)
    write(os.path.join(d, "stop_times.txt"),
          "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + times)
    two[name] = f"{name}={d}"
ab_dir = os.path.join(tmp, "ab")
os.mkdir(ab_dir)
write(os.path.join(ab_dir, "links.csv"), "feed_a,stop_id_a,feed_b,stop_id_b\na,A2,b,B1\n")
ab_env = {"GRENS_FEEDS": ab_dir}
FEEDS_AB = ["--feed", two["a"], "--feed", two["b"]]
QUERY = ["--from", "Alpha", "--to", "Omega", "--date", "2026-03-10"]

r = run("link", *FEEDS_AB, "--format", "json", env=ab_env)
doc = json.loads(r.stdout) if r.returncode == 0 else {}
check([(m["rule"], m["a"]["id"], m["b"]["id"]) for m in doc.get("matches", [])]
      == [("links", "A2", "B1")], f"link joins Xstad and Ystadt Bf by the links file: {doc}")
# default links file (GRENS_FEEDS/links.csv), as grens link reads it
r = run("route", *FEEDS_AB, *QUERY, "--time", "07:00", "--format", "csv", env=ab_env)
legs = [l.split(",") for l in r.stdout.splitlines()[1:]]
check(r.returncode == 0 and [l[2] for l in legs] == ["transit", "walk", "transit"]
      and legs[1][9] == "653" and legs[0][7].endswith("08:00:00")
      and legs[2][8].endswith("09:30:00") and legs[2][-1] == "1",
      f"route walks the linked stations: {r.stdout} {r.stderr}")
r = run("route", *FEEDS_AB, *QUERY, "--time", "07:00", "--links", "none", env=ab_env)
check(r.returncode == 0 and r.stdout == "no journey found\n",
      f"route without the links: no journey: {r.stdout} {r.stderr}")
r = run("route", *FEEDS_AB, *QUERY, "--time", "07:00",
        "--links=" + os.path.join(ab_dir, "links.csv"))
check(r.returncode == 0 and "walk 653 s: Xstad (a:A2) -> Ystadt Bf (b:B1)" in r.stdout,
      f"route --links=FILE: {r.stdout} {r.stderr}")
# profile: departures 07:00 and 08:00 both reach Omega 09:30 (9000 s, 5400 s)
r = run("profile", *FEEDS_AB, *QUERY, "--window", "07:00-08:00", "--step", "3600",
        "--format", "csv", env=ab_env)
check(r.returncode == 0 and r.stdout.splitlines()[1:] == [
    "2026-03-10T07:00:00,2026-03-10T09:30:00,9000,1",
    "2026-03-10T08:00:00,2026-03-10T09:30:00,5400,1"],
      f"profile on the linked network: {r.stdout} {r.stderr}")
r = run("profile", *FEEDS_AB, *QUERY, "--window", "07:00-08:00", "--step", "3600",
        "--format", "csv", "--links", "none", env=ab_env)
check(r.returncode == 0 and r.stdout.splitlines()[1:] == [
    "2026-03-10T07:00:00,,,", "2026-03-10T08:00:00,,,"],
      f"profile without the links reaches nothing: {r.stdout} {r.stderr}")

finish()
