#!/usr/bin/env python3
"""The manual (docs/*.scd and the man pages built from them) against the
program, so that the two cannot drift apart:
- every option a command's --help names is documented in the OPTIONS of its
  page, and every option documented there is one --help names (the parser
  refuses a table entry the help does not describe, so --help is the table);
- every generated page renders without a warning (groff -wall, man -l);
- every field the JSON outputs write is listed in grens-json(7);
- the examples of the format pages (marked "; example: KIND" in the source)
  are run through the real commands and succeed.
Skipped (77) when scdoc is not installed: then the build makes no pages."""
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from harness import run, check, finish, SOURCE
from fetch_server import Server

DOCS = os.path.join(SOURCE, "docs")
FEEDS = os.path.join(SOURCE, "feeds")
MAN = os.path.join(os.environ.get("GRENS_BUILD_ROOT", "build"), "docs")

if not shutil.which("scdoc"):
    print("SKIP: scdoc is not installed (Debian package scdoc), so no man pages "
          "are built; install it and reconfigure to check the manual")
    sys.exit(77)
if not os.path.isdir(MAN):
    print(f"SKIP: {MAN} holds no man pages: the build was configured without scdoc; "
          "run meson setup --reconfigure")
    sys.exit(77)

# command -> its page
COMMANDS = {
    "info": "grens-info.1", "fetch": "grens-fetch.1", "route": "grens-route.1",
    "profile": "grens-profile.1", "rt": "grens-rt.1", "rt record": "grens-rt-record.1",
    "compare": "grens-compare.1", "build": "grens-build.1", "link": "grens-link.1",
    "access": "grens-access.1", "report": "grens-report.1", "nightly": "grens-nightly.1",
    "config": "grens-config.1", "serve": "grens-serve.1", "stops": "grens-stops.1",
}


def source(page):
    with open(os.path.join(DOCS, page + ".scd"), encoding="utf-8") as f:
        return f.read()


def unescape(s):
    return re.sub(r"\\(.)", r"\1", s)


def sections(text):
    """{'OPTIONS': body, ...} of a scdoc source (top-level '# ' headings)."""
    out, name = {}, None
    for line in text.split("\n"):
        m = re.match(r"^# (.+)$", line)
        if m:
            name = m.group(1).strip()
            out[name] = []
        elif name:
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


# ---- every command listed in grens --help has a page -------------------------------
r = run("--help")
listed = re.findall(r"^  ([a-z]+)\s{2,}", r.stdout, re.M)
check(len(listed) >= 10, f"grens --help lists the commands: {listed}")
for cmd in listed:
    check(cmd in COMMANDS, f"command {cmd} has a page")
    check(os.path.isfile(os.path.join(DOCS, f"grens-{cmd}.1.scd")), f"docs/grens-{cmd}.1.scd")
overview = source("grens.1")
for cmd in listed:
    check(f"*grens-{cmd}*(1)" in overview, f"grens(1) names grens-{cmd}(1)")

# ---- options: --help against the OPTIONS section -------------------------------------
def table_options(cmd, names):
    """The names of the command's option table: the parser knows --NAME when
    --NAME=1 followed by an unknown option is not refused as unknown itself
    (nothing runs: either the flag takes no value or the next option is
    unknown)."""
    known = set()
    for name in sorted(names):
        r = run(*cmd.split(), f"--{name}=1", "--zz-not-an-option")
        check(r.returncode == 2, f"{cmd} --{name}=1 --zz-not-an-option exits 2")
        if f"unknown option '--{name}'" not in r.stderr:
            known.add(name)
    return known


def documented_options(page):
    opts = sections(source(page)).get("OPTIONS", "")
    documented = set()
    for line in opts.split("\n"):
        if line.startswith("*--"):
            documented |= set(re.findall(r"\*--([a-z][a-z0-9-]*)\*", unescape(line)))
    return documented


# access merge prints the help of access; its own table is a part of it
r = run("access", "merge", "--help")
merge = table_options("access merge", set(re.findall(r"--([a-z][a-z0-9-]*)", r.stdout)) - {"help"})
check(merge == {"format", "out"}, f"access merge takes --format and --out: {merge}")
for o in sorted(merge - documented_options("grens-access.1")):
    check(False, f"grens-access.1 does not document --{o} of grens access merge")

for cmd, page in COMMANDS.items():
    r = run(*cmd.split(), "--help")
    check(r.returncode == 0, f"{cmd} --help exits 0")
    # every option of the table is named in --help (the parser refuses to
    # print a help text that misses one); other names in it are mentions
    named = set(re.findall(r"--([a-z][a-z0-9-]*)", r.stdout)) - {"help"}
    helped = table_options(cmd, named)
    documented = documented_options(page)
    check(helped or cmd == "config", f"{cmd} --help names options")  # config: --help only
    for o in sorted(helped - documented):
        check(False, f"{page}: OPTIONS does not document --{o} of grens {cmd} --help")
    for o in sorted(documented - helped):
        check(False, f"{page}: OPTIONS documents --{o}, which grens {cmd} --help does not name")

# ---- every page renders without warnings --------------------------------------------
pages = sorted(p[:-4] for p in os.listdir(DOCS) if p.endswith(".scd"))
built = sorted(os.listdir(MAN))
for p in pages:
    check(p in built, f"{p} is built into {MAN}")
groff = shutil.which("groff")
man = shutil.which("man")
check(groff or man, "groff or man is installed to render the pages")
env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8")
for p in pages:
    path = os.path.join(MAN, p)
    if not os.path.isfile(path):
        continue
    if groff:
        g = subprocess.run([groff, "-k", "-man", "-Tutf8", "-wall", path],
                           capture_output=True, text=True, env=env)
        check(g.returncode == 0 and not g.stderr.strip() and g.stdout.strip(),
              f"groff -wall renders {p} without warnings: {g.stderr.strip()[:300]}")
    if man:
        m = subprocess.run([man, "--warnings", "-l", path], capture_output=True, text=True,
                           env=env)
        check(m.returncode == 0 and not m.stderr.strip(),
              f"man -l {p} without warnings: {m.stderr.strip()[:300]}")
        name = re.match(r"(.*)\.(\d)$", p)
        check(name and f"{name.group(1)}({name.group(2)})" in m.stdout,
              f"man -l {p} shows its title")

# ---- the see-also references name pages that exist -------------------------------------
for p in pages:
    for ref, sec in re.findall(r"\*(grens[a-z.-]*)\*\((\d)\)", source(p)):
        check(f"{ref}.{sec}" in pages, f"{p} refers to {ref}({sec}), which exists")

# ---- every JSON field written is listed in grens-json(7) ------------------------------
json_doc = sections(source("grens-json.7"))


def documented_paths(section):
    paths = set()
    for line in json_doc.get(section, "").split("\n"):
        # "- *a.b*, *a.c*: type; meaning" (continued over several lines)
        paths |= set(re.findall(r"\*([a-z_0-9.\[\]-]+)\*", unescape(line)))
    return paths


def key_paths(v, prefix="", out=None):
    out = set() if out is None else out
    if isinstance(v, dict):
        for k, x in v.items():
            p = f"{prefix}.{k}" if prefix else k
            out.add(p)
            key_paths(x, p, out)
    elif isinstance(v, list):
        for x in v:
            key_paths(x, prefix + "[]", out)
    return out


tmp = tempfile.mkdtemp(prefix="grens-manual-")
ic_aken = os.path.join(FEEDS, "scenarios", "ic-aken.yaml")
outputs = {
    "GRENS ROUTE": [
        ["route", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-06-16",
         "--time", "08:00", "--format", "json"],
        ["route", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", "2026-06-16",
         "--time", "08:00", "--scenario", ic_aken, "--format", "json"],
    ],
    "GRENS PROFILE": [
        ["profile", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date",
         "2026-06-16", "--window", "07:00-08:00", "--format", "json"],
    ],
    "GRENS COMPARE": [
        ["compare", "--from", "Eindhoven Centraal", "--scenario", ic_aken, "--window",
         "07:00-09:00", "--format", "json"],
    ],
    "GRENS STOPS": [
        ["stops", "--name", "aachen", "--format", "json"],
        ["stops", "--near", "50.8881,5.9790", "--format", "json"],
    ],
    "GRENS ACCESS": [
        ["access", "--from", "Heerlen", "--date", "2026-06-16", "--stops", "--format", "json"],
        ["access", "--from", "nl:hrl", "--date", "2026-06-16", "--format", "json"],
        ["access", "--from", "Heerlen", "--date", "2026-06-16", "--scenario", ic_aken,
         "--format", "json"],
        ["access", "--from", "Heerlen", "--date", "2026-06-16", "--border-effect", "--rank",
         "--sensitivity", "--cutoffs", "90", "--format", "json"],
    ],
}
for section, runs in outputs.items():
    listed_paths = documented_paths(section)
    check(listed_paths, f"grens-json(7) has a section {section}")
    for args in runs:
        r = run(*args, timeout=600)
        check(r.returncode == 0, f"grens {' '.join(args)} exits 0: {r.stderr.strip()[-300:]}")
        try:
            doc = json.loads(r.stdout)
        except ValueError:
            check(False, f"grens {' '.join(args)} prints JSON")
            continue
        for p in sorted(key_paths(doc)):
            # sensitivity.low/high repeat the entry's own keys (documented so)
            if re.search(r"\.sensitivity\.(low|high)\.", p):
                continue
            # scenario_sha256 is keyed by scenario name
            if p.startswith("scenario_sha256."):
                continue
            check(p in listed_paths, f"grens-json(7) {section} lists {p} ({args[0]})")

report_dir = os.path.join(tmp, "report")
r = run("report", "--out", report_dir, timeout=900)
check(r.returncode == 0, f"grens report exits 0: {r.stderr.strip()[-300:]}")
if r.returncode == 0:
    with open(os.path.join(report_dir, "report.json"), encoding="utf-8") as f:
        doc = json.load(f)
    listed_paths = documented_paths("REPORT.JSON")
    for p in sorted(key_paths(doc)):
        check(p in listed_paths, f"grens-json(7) REPORT.JSON lists {p}")


# ---- the examples of the format pages ------------------------------------------------
def examples(page):
    """(kind, text) of every fenced block preceded by '; example: KIND'."""
    out = []
    lines = source(page).split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^; example: (\S+)", line)
        if not m:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        k = j + 1
        while k < len(lines) and not lines[k].startswith("```"):
            k += 1
        # scdoc escapes backslashes in literal blocks as well
        out.append((m.group(1), unescape("\n".join(lines[j + 1:k])) + "\n"))
    return out


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


# Scenario edits: each is the edits list of a scenario file, run by compare on
# the embedded feeds for one pair it touches.
sc = examples("grens-scenario.5")
check(len(sc) >= 7, f"grens-scenario(5) has its examples marked ({len(sc)})")
# The overlay example merges a small feed from overlays/new-bus beside the
# scenario file: a bus Heerlen - Kerkrade Centrum on the stops of feeds/nl.
OVERLAY = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                  "ARRIVA,Arriva,https://www.arriva.nl,Europe/Amsterdam\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                 "hrl,Heerlen,50.890693,5.975844\nkrd,Kerkrade Centrum,50.861340,6.057119\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_type\nnew-bus,ARRIVA,99,3\n",
    "trips.txt": "route_id,service_id,trip_id\nnew-bus,daily-new,new-bus-1\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "new-bus-1,08:00:00,08:00:00,hrl,1\nnew-bus-1,08:20:00,08:20:00,krd,2\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                    "start_date,end_date\ndaily-new,1,1,1,1,1,1,1,20260101,20261231\n",
}
for name, text in OVERLAY.items():
    write(os.path.join(tmp, "overlays", "new-bus", name), text)
for n, (kind, text) in enumerate(sc):
    if kind == "scenario":
        path = write(os.path.join(tmp, f"example-{n}.yaml"), text)
    elif kind == "scenario-edit":
        path = write(os.path.join(tmp, f"example-{n}.yaml"),
                     f"name: example-{n}\nedits:\n" + text)
    else:
        check(False, f"grens-scenario(5): unknown example kind {kind}")
        continue
    r = run("compare", "--scenario", path, "--from", "Eindhoven Centraal", "--to",
            "Aachen Hbf", "--one-way", "--date", "2026-06-16", "--window", "07:00-08:00",
            timeout=600)
    name = re.search(r"^name:\s*(\S+)", open(path, encoding="utf-8").read(), re.M)
    check(r.returncode == 0 and name and name.group(1) in r.stdout,
          f"grens-scenario(5) example {n} runs in grens compare: {r.stderr.strip()[-400:]}")

# feeds.yaml: grens fetch reads it and lists its feeds.
fc = examples("grens-feeds.yaml.5")
check(len(fc) == 1, f"grens-feeds.yaml(5) has one marked example ({len(fc)})")
for kind, text in fc:
    path = write(os.path.join(tmp, "feeds-example", "feeds.yaml"), text)
    r = run("fetch", "--list", "--config", path)
    names = re.findall(r"^\s*- name:\s*(\S+)", text, re.M)
    check(r.returncode == 0 and "deprecated" not in r.stderr,
          f"grens fetch --list reads the feeds.yaml example: {r.stderr}")
    check(len(names) == 3, f"feeds.yaml example names 3 feeds: {names}")
    for name in names:
        check(name in r.stdout, f"feeds.yaml example: fetch --list shows {name}")

# links.csv and overrides: grens link reads them without a notice.
for kind, text in examples("grens-links.5"):
    path = write(os.path.join(tmp, f"{kind}.csv"), text)
    opt = "--links" if kind == "links" else "--overrides"
    r = run("link", opt, path, "--format", "json")
    check(r.returncode == 0 and "link_" not in r.stderr,
          f"grens link {opt} reads the grens-links(5) example: {r.stderr.strip()}")
    if r.returncode == 0:
        doc = json.loads(r.stdout)
        rows = [l.split(",") for l in text.strip().split("\n")[1:]]
        for row in rows:
            pair = {(row[0], row[1]), (row[2], row[3])}
            found = [m for m in doc["matches"]
                     if {(m["a"]["feed"], m["a"]["id"]), (m["b"]["feed"], m["b"]["id"])} == pair]
            if kind == "links":
                check(found and found[0]["rule"] == "links",
                      f"links example: {pair} matched by rule links ({found})")
            else:
                check(not found, f"overrides example: {pair} forbidden, not matched")
check({k for k, _ in examples("grens-links.5")} == {"links", "overrides"},
      "grens-links(5) marks a links and an overrides example")

# places CSV: grens access reads it and reaches the places it lists.
pl = examples("grens-places.5")
check(len(pl) == 1, f"grens-places(5) has one marked example ({len(pl)})")
for kind, text in pl:
    path = write(os.path.join(tmp, "places-example.csv"), text)
    r = run("access", "--places", path, "--from", "Heerlen", "--date", "2026-06-16",
            "--format", "json", timeout=600)
    check(r.returncode == 0, f"grens access reads the places example: {r.stderr.strip()[-300:]}")
    if r.returncode == 0:
        doc = json.loads(r.stdout)
        n = len(text.strip().split("\n")) - 1
        check(doc["meta"]["places"] == n, f"places example: {n} places read")

# nightly.yaml: a night runs with it. Its feed list is one local feed serving
# feeds/nl; the cache goes into the test folder and the realtime recorder keys
# (which would start a background recorder polling the example URL) are left out.
nc = examples("grens-nightly.yaml.5")
check(len(nc) == 1, f"grens-nightly.yaml(5) has one marked example ({len(nc)})")
srv = Server(lifetime=600)
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(os.listdir(os.path.join(FEEDS, "nl"))):
        with open(os.path.join(FEEDS, "nl", name), "rb") as f:
            z.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), f.read())
srv.state.bodies["/plain/nl.zip"] = buf.getvalue()
for kind, text in nc:
    d = os.path.join(tmp, "nightly")
    write(os.path.join(d, "feeds.yaml"),
          f"feeds:\n  - name: nl\n    kind: gtfs\n    url: {srv.url('/plain/nl.zip')}\n"
          "    retries: 0\n")
    for name in ("scenarios", "places", "links.csv"):
        os.symlink(os.path.join(FEEDS, name), os.path.join(d, name))
    kept, in_rt, in_pairs, pairs = [], False, False, 0
    for line in text.split("\n"):
        top = re.match(r"^(\w+):", line)
        if top:
            in_rt = top.group(1).startswith("rt_")
            in_pairs = top.group(1) == "pairs"
        elif in_pairs and re.match(r"^  - ", line):
            pairs += 1
        if top and top.group(1) == "cache":
            line = "cache: cache"
        if in_rt:
            continue
        kept.append(line)
    conf = write(os.path.join(d, "nightly.yaml"), "\n".join(kept))
    r = run("nightly", "--config", conf, "--out", os.path.join(d, "out"), timeout=900)
    check(r.returncode == 0 and "deprecated" not in r.stderr,
          f"grens nightly runs the nightly.yaml example: {r.stderr.strip()[-400:]}")
    date = re.search(r"^service_date:\s*(\S+)", text, re.M)
    check(date is not None, "the nightly example names a service_date")
    check(pairs == 2, f"the nightly example lists 2 pairs: {pairs}")
    if r.returncode == 0 and date:
        out = os.path.join(d, "out")
        nights = [n for n in os.listdir(out) if re.match(r"\d{4}-\d\d-\d\d$", n)]
        check(len(nights) == 1, f"one night written: {nights}")
        if nights:
            with open(os.path.join(out, nights[0], "report.json"), encoding="utf-8") as f:
                rep = json.load(f)
            check(rep["query"]["date"] == date.group(1),
                  f"the night analyses service_date {date.group(1)}: {rep['query']['date']}")
            check(len(rep["profiles"]) == 2 * pairs,
                  f"{pairs} pairs x (base, scenario) profiles: {len(rep['profiles'])}")
srv.close()

shutil.rmtree(tmp, ignore_errors=True)
finish()
