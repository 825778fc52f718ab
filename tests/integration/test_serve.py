"""grens serve end to end, against a server this test starts on a free
loopback port.

Each endpoint's answer must equal the command's JSON for the same query
(route, compare, with and without a scenario, a posted one too), every
answer must fit its schema in /api/v1/openapi.json, and hostile requests get
the errors grens-serve(1) gives: unknown parameters and bad values named,
oversized bodies 413, traversal paths 404, a flood beyond the queue 503 with
Retry-After, slow clients do not block others. SIGTERM lets a running
request finish and the server exit 0."""
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from harness import BIN, SOURCE, check, debian_module, finish, run

jsonschema = debian_module("jsonschema")
check(jsonschema is not None, "python3-jsonschema is installed (tools/setup --test-deps)")

SCENARIOS = os.path.join(SOURCE, "feeds", "scenarios")
DATE = "2026-03-03"  # a Tuesday all three corridor feeds serve


class Server:
    """A grens serve process on 127.0.0.1, port chosen by the kernel."""

    def __init__(self, *args):
        self.p = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", *args],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = ""
        deadline = time.time() + 120
        while time.time() < deadline and "listening on" not in line:
            line = self.p.stdout.readline()
            if not line and self.p.poll() is not None:
                break
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", line)
        self.port = int(m.group(1)) if m else 0
        self.stderr = ""

    def request(self, method, path, body=None, headers=None, timeout=120):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, dict(r.getheaders()), data

    def get(self, path, **params):
        q = urllib.parse.urlencode(params, doseq=True)
        status, headers, data = self.request("GET", path + ("?" + q if q else ""))
        try:
            doc = json.loads(data)
        except ValueError:
            doc = None
        return status, headers, doc

    def stop(self, sig=signal.SIGTERM):
        self.p.send_signal(sig)
        try:
            _, self.stderr = self.p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            _, self.stderr = self.p.communicate()
        return self.p.returncode


def cli_json(*args):
    r = run(*args, "--format", "json", timeout=300)
    check(r.returncode == 0, f"grens {' '.join(args)}: exit 0 ({r.stderr.strip()[-300:]})")
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


srv = Server("--threads", "2", "--queue", "4")
check(srv.port > 0, "the server prints its URL with the port it got")
if not srv.port:
    print(srv.p.stderr.read(), file=sys.stderr)
    finish()

status, _, openapi = srv.get("/api/v1/openapi.json")
check(status == 200 and openapi and openapi.get("openapi", "").startswith("3.1"),
      "/api/v1/openapi.json is an OpenAPI 3.1 document")
schemas = (openapi or {}).get("components", {}).get("schemas", {})
validated = []


def fits(doc, name, what):
    """doc must fit components/schemas/NAME of the server's own description."""
    if jsonschema is None or name not in schemas:
        check(False, f"{what}: schema {name} in openapi.json")
        return
    schema = {"$ref": "#/components/schemas/" + name, "components": openapi["components"]}
    try:
        jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
        validated.append(name)
    except jsonschema.ValidationError as e:
        check(False, f"{what} fits {name}: {e.message} at {list(e.absolute_path)}")


# ---- health, index, errors' shape ------------------------------------------------
status, headers, doc = srv.get("/healthz")
check(status == 200 and doc and doc["status"] == "ok", "/healthz answers ok")
check(doc and doc["stops"] == 407 and doc["scenarios"] == 4,
      f"/healthz: the corridor's 407 stops and the 4 shipped proposals ({doc})")
check(headers.get("Content-Type", "").startswith("application/json"), "JSON content type")
fits(doc, "Health", "/healthz")

# ---- stops: the same document as grens stops --format json ---------------------------
for params, args in [({"name": "aachen"}, ["--name", "aachen"]),
                     ({"name": "koeln hbf", "limit": "3"}, ["--name", "koeln hbf", "--limit", "3"]),
                     ({"near": "50.8907,5.9759"}, ["--near", "50.8907,5.9759"]),
                     ({"near": "50.8907,5.9759", "radius": "20000", "limit": "5"},
                      ["--near", "50.8907,5.9759", "--radius", "20000", "--limit", "5"])]:
    status, _, api = srv.get("/api/v1/stops", **params)
    cli = cli_json("stops", *args)
    check(status == 200 and api == cli, f"stops {params}: the API's document is the CLI's")
    check(api and len(api["stops"]) >= 1, f"stops {params}: stations found")
    fits(api, "Stops", f"stops {params}")
status, _, api = srv.get("/api/v1/stops", name="aachen")
check(api and api["stops"][0]["id"] == "nl:ahbf", "stops name=aachen: Aachen Hbf first")
# a station word still being typed: "Cen" is on its way to "Centraal"
status, _, api = srv.get("/api/v1/stops", name="Amsterdam Cen")
check(status == 200 and api["stops"] and api["stops"][0]["id"] == "nl:asd",
      f"stops name='Amsterdam Cen': Amsterdam Centraal ({api})")
for params, param in [({}, "name"), ({"name": "x", "near": "1,2"}, "near"),
                      ({"near": "95,5"}, "near"), ({"name": "aachen", "limit": "0"}, "limit"),
                      ({"name": "aachen", "radius": "10"}, "radius"),
                      ({"name": "   "}, "name")]:
    status, _, doc = srv.get("/api/v1/stops", **params)
    check(status == 400 and doc.get("parameter") == param,
          f"stops {params}: 400 naming {param} ({doc})")

# ---- route: the same document as grens route --format json ------------------------
route_queries = [
    ("Heerlen", "Aachen Hbf", "08:00", None),
    ("Amsterdam Centraal", "Aachen Hbf", "07:30", None),
    ("Eindhoven Centraal", "Aachen Hbf", "09:10", "ic-eindhoven-aken"),
    ("Maastricht", "Köln Hbf", "10:00", "ic-aken"),
]
for frm, to, t, scen in route_queries:
    params = {"from": frm, "to": to, "date": DATE, "time": t}
    args = ["route", "--from", frm, "--to", to, "--date", DATE, "--time", t]
    if scen:
        params["scenario"] = scen
        args += ["--scenario", os.path.join(SCENARIOS, scen + ".yaml")]
    status, _, api = srv.get("/api/v1/route", **params)
    cli = cli_json(*args)
    check(status == 200, f"route {frm} -> {to} {t} {scen}: 200 (got {status}: {api})")
    check(api == cli, f"route {frm} -> {to} {t} {scen}: the API's document is the CLI's")
    check(api and len(api["journeys"]) >= 1, f"route {frm} -> {to}: journeys found")
    fits(api, "Route", f"route {frm} -> {to}")
# Dijkstra too
status, _, api = srv.get("/api/v1/route", **{"from": "Heerlen", "to": "Aachen Hbf", "date": DATE,
                                             "time": "08:00", "algo": "dijkstra"})
cli = cli_json("route", "--from", "Heerlen", "--to", "Aachen Hbf", "--date", DATE, "--time",
               "08:00", "--algo", "dijkstra")
check(status == 200 and api == cli, "route with algo=dijkstra equals grens route --algo dijkstra")

# ---- profile: the same document as grens profile --format json ----------------------
for frm, to, window, scen in [("Heerlen", "Aachen Hbf", "07:00-09:00", None),
                              ("Eindhoven Centraal", "Aachen Hbf", "06:00-10:00",
                               "ic-eindhoven-aken")]:
    params = {"from": frm, "to": to, "date": DATE, "window": window}
    args = ["profile", "--from", frm, "--to", to, "--date", DATE, "--window", window]
    if scen:
        params["scenario"] = scen
        args += ["--scenario", os.path.join(SCENARIOS, scen + ".yaml")]
    status, _, api = srv.get("/api/v1/profile", **params)
    cli = cli_json(*args)
    check(status == 200 and api == cli, f"profile {frm} -> {to} {scen}: the CLI's document")
    check(api and api["summary"]["steps"] == len(api["steps"]) and len(api["steps"]) > 100,
          f"profile {frm} -> {to}: one step per minute of the window")
    fits(api, "Profile", f"profile {frm} -> {to}")
status, _, doc = srv.get("/api/v1/profile", **{"from": "Heerlen", "to": "Aachen Hbf",
                                               "date": DATE})
check(status == 400 and doc.get("parameter") == "window", "profile without window: 400")

# ---- network: what the page's map draws ---------------------------------------------
status, _, net = srv.get("/api/v1/network")
check(status == 200 and net and len(net["stations"]) >= 100 and len(net["lines"]) >= 20 and
      len(net["border"]) >= 10, "the network: stations, lines, the border")
fits(net, "Network", "network")
ids = [st["id"] for st in (net or {}).get("stations", [])]
check("nl:hrl" in ids and "nl:ahbf" in ids, "Heerlen and Aachen Hbf are stations of the map")
check(all(0 <= i < len(ids) for ln in (net or {}).get("lines", []) for i in ln["stations"]),
      "every line names stations of the list")
status, _, rail = srv.get("/api/v1/network", rail="true")
check(status == 200 and 0 < len(rail["lines"]) < len(net["lines"]) and
      all(ln["type"] == 2 or 100 <= ln["type"] < 200 for ln in rail["lines"]),
      "rail=true: the rail lines only")
status, _, scen_net = srv.get("/api/v1/network", scenario="ic-eindhoven-aken")
check(status == 200 and len(scen_net["lines"]) > len(net["lines"]),
      "the network of a scenario has its added line")

# ---- the page's files, embedded --------------------------------------------------------
status, headers, data = srv.request("GET", "/")
check(status == 200 and headers.get("Content-Type", "").startswith("text/html") and
      b"/page/app.js" in data, "/ is the page")
check("default-src 'self'" in headers.get("Content-Security-Policy", ""),
      "the page has a content security policy")
for name, ctype in [("app.js", "text/javascript"), ("style.css", "text/css")]:
    status, headers, _ = srv.request("GET", "/page/" + name)
    check(status == 200 and headers.get("Content-Type", "").startswith(ctype), f"/page/{name}")
for p in ["/page/../server.c", "/page/", "/page/index.html/..", "/page/%2e%2e%2fserver.c"]:
    status, _, data = srv.request("GET", p)
    check(status == 404 and b"#include" not in data, f"GET {p}: 404")

# ---- compare: the same document as grens compare --format json ----------------------
status, _, api = srv.get("/api/v1/compare", **{"from": ["Heerlen", "Eindhoven Centraal"],
                                               "to": "Aachen Hbf", "date": DATE,
                                               "window": "07:00-09:00", "one_way": "true",
                                               "scenario": "ic-eindhoven-aken"})
cli = cli_json("compare", "--from", "Heerlen", "--from", "Eindhoven Centraal", "--to",
               "Aachen Hbf", "--date", DATE, "--window", "07:00-09:00", "--one-way",
               "--scenario", os.path.join(SCENARIOS, "ic-eindhoven-aken.yaml"), "--threads", "1")
check(status == 200, f"compare: 200 (got {status}: {str(api)[:300]})")
check(api == cli, "compare: the API's document is the CLI's")
check(api and len(api["rows"]) == 4, "compare: 2 origins x 1 destination x 2 networks")
# threshold is in minutes, as --threshold: 45 min puts the share under it between 0 and 1
status, _, api = srv.get("/api/v1/compare", **{"from": "Heerlen", "to": "Aachen Hbf",
                                               "date": DATE, "window": "07:00-09:00",
                                               "one_way": "true", "threshold": "45"})
cli = cli_json("compare", "--from", "Heerlen", "--to", "Aachen Hbf", "--date", DATE,
               "--window", "07:00-09:00", "--one-way", "--threshold", "45", "--scenario",
               "none", "--threads", "1")
check(status == 200 and api == cli, "compare threshold=45 equals grens compare --threshold 45")
check(api and api["threshold_s"] == 2700, f"threshold=45 is 2700 s ({api and api['threshold_s']})")
fits(api, "Compare", "compare")

# ---- access: the same document as grens access --format json -------------------------
access_queries = [
    ({"from": "Heerlen"}, []),
    ({"from": ["Heerlen", "Aachen"], "window": "07:00-08:00", "cutoffs": "30,45",
      "percentiles": "50,80"},
     ["--window", "07:00-08:00", "--cutoffs", "30,45", "--percentiles", "50,80"]),
    ({"from": "Heerlen", "border": "true"}, ["--border-effect"]),
]
for params, extra in access_queries:
    params = dict(params, date=DATE)
    froms = params["from"] if isinstance(params["from"], list) else [params["from"]]
    args = ["access", "--date", DATE, "--threads", "1", *extra]
    for f in froms:
        args += ["--from", f]
    status, _, api = srv.get("/api/v1/access", **params)
    cli = cli_json(*args)
    check(status == 200, f"access {params}: 200 (got {status}: {str(api)[:200]})")
    check(api == cli, f"access {params}: the API's document is the CLI's")
    fits(api, "Access", f"access {params}")
status, _, doc = srv.get("/api/v1/access", **{"from": "Heerlen", "date": DATE,
                                              "cutoffs": "60,x"})
check(status == 400 and doc.get("parameter") == "cutoffs", "access cutoffs=60,x: 400")
status, _, doc = srv.get("/api/v1/access", **{"from": "Heerlen", "date": DATE, "home": "BE"})
check(status == 400 and doc.get("parameter") == "home", "access home=BE: 400")

# ---- scenarios: post, hash, use -----------------------------------------------------
status, _, doc = srv.get("/api/v1/scenarios")
check(status == 200 and doc and [s["name"] for s in doc["scenarios"]] ==
      ["ic-eindhoven-aken", "ic-eindhoven-aken-randen", "ic-denhaag-aken", "ic-aken"],
      "the shipped proposals are listed in order")
fits(doc, "ScenarioList", "/api/v1/scenarios")
path = os.path.join(SCENARIOS, "ic-aken-halfhourly.yaml")
with open(path, "rb") as f:
    body = f.read()
sha = hashlib.sha256(body).hexdigest()
status, headers, data = srv.request("POST", "/api/v1/scenarios", body=body,
                                    headers={"Content-Type": "application/yaml"})
doc = json.loads(data)
check(status == 201, f"a new scenario: 201 (got {status}: {doc})")
check(doc.get("sha256") == sha, "it is named by the SHA-256 of the file's bytes")
check(headers.get("Location") == "/api/v1/scenarios/" + sha, "Location names it")
check(doc.get("shipped") is False and doc.get("edits", 0) >= 1, "a posted scenario's summary")
fits(doc, "Scenario", "POST /api/v1/scenarios")
status, _, data = srv.request("POST", "/api/v1/scenarios", body=body)
check(status == 200 and json.loads(data).get("sha256") == sha, "the same file again: 200")
status, _, doc = srv.get("/api/v1/scenarios/" + sha)
check(status == 200 and doc["sha256"] == sha, "GET /api/v1/scenarios/SHA256")
status, _, doc = srv.get("/api/v1/scenarios/" + "0" * 64)
check(status == 404 and "error" in doc, "an unknown hash: 404")
status, _, api = srv.get("/api/v1/route", **{"from": "Amsterdam Centraal", "to": "Aachen Hbf",
                                             "date": DATE, "time": "10:00", "scenario": sha})
cli = cli_json("route", "--from", "Amsterdam Centraal", "--to", "Aachen Hbf", "--date", DATE,
               "--time", "10:00", "--scenario", path)
check(status == 200 and api == cli, "route on the posted scenario equals grens route --scenario")
check(api and api["query"].get("scenario_sha256") == sha, "the document names the scenario")

# a scenario that is not YAML, and one that does not fit the network: line and column
status, _, data = srv.request("POST", "/api/v1/scenarios", body=b"name: [x\n")
doc = json.loads(data)
check(status == 400 and doc.get("line") == 2 and "column" in doc,
      f"malformed YAML: 400 with line and column ({doc})")
fits(doc, "Error", "malformed YAML")
bad = b"name: x\nedits:\n  - remove: {routes: [NOPE]}\n"
status, _, data = srv.request("POST", "/api/v1/scenarios", body=bad)
doc = json.loads(data)
# line 3, column 23: where NOPE stands in the flow mapping
check(status == 400 and doc.get("line") == 3 and doc.get("column") == 23 and
      "NOPE" in doc.get("error", ""), f"a route the network lacks: 400 at 3:23 ({doc})")
status, _, data = srv.request("POST", "/api/v1/scenarios", body=b"x" * (300 * 1024))
check(status == 413, f"a 300 KiB body: 413 (got {status})")

# ---- bad requests: each names its parameter -------------------------------------------
bad_requests = [
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": DATE, "tme": "08:00"}, "tme"),
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": DATE}, "time"),
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": "2026-02-30", "time": "08:00"}, "date"),
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": DATE, "time": "8h"}, "time"),
    ({"from": "Nowhere Town", "to": "Aachen Hbf", "date": DATE, "time": "08:00"}, "from"),
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": DATE, "time": "08:00",
      "max_transfers": "-1"}, "max_transfers"),
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": DATE, "time": "08:00",
      "scenario": "nope"}, "scenario"),
    ({"from": "Heerlen", "to": "Aachen Hbf", "date": DATE, "time": "08:00",
      "algo": "astar"}, "algo"),
    ({"from": "x" * 2000, "to": "Aachen Hbf", "date": DATE, "time": "08:00"}, "from"),
]
for params, param in bad_requests:
    status, _, doc = srv.get("/api/v1/route", **params)
    check(status == 400 and doc and doc.get("parameter") == param,
          f"route {list(params)}: 400 naming {param} (got {status}: {doc})")
    fits(doc, "Error", f"route error {param}")
status, _, doc = srv.get("/api/v1/route", **{f"p{i}": "1" for i in range(40)})
check(status == 400 and "parameters" in doc.get("error", ""), "40 parameters: 400")
# a compare that asks for too much work is refused before it runs
status, _, doc = srv.get("/api/v1/compare", **{"from": "Heerlen", "to": "Aachen Hbf",
                                               "date": DATE, "window": "00:00-23:59",
                                               "step": "1"})
check(status == 400 and doc.get("parameter") == "window", f"a huge compare: 400 ({doc})")
status, _, doc = srv.get("/api/v1/compare", **{"to": "Aachen Hbf", "date": DATE})
check(status == 400 and doc.get("parameter") == "from", "compare without from: 400")

# ---- paths and methods --------------------------------------------------------------
for p in ["/nope", "/api/v2/route", "/../../../etc/passwd", "/api/v1/%2e%2e/%2e%2e/etc/passwd",
          "/api/v1/scenarios/../../etc/passwd", "/api/v1/route/..", "//etc/passwd"]:
    status, _, data = srv.request("GET", p)
    check(status in (400, 404) and b"root:" not in data, f"GET {p}: 404 and no file ({status})")
status, headers, _ = srv.request("DELETE", "/api/v1/route")
check(status == 405 and headers.get("Allow") == "GET, HEAD", "DELETE: 405 with Allow")
status, headers, data = srv.request("HEAD", "/healthz")
check(status == 200 and data == b"", "HEAD: headers only")

# ---- slow clients do not hold up the others ---------------------------------------------
slow = []
for _ in range(6):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finished
    slow.append(s)
t0 = time.time()
status, _, _ = srv.get("/healthz")
check(status == 200 and time.time() - t0 < 5, "6 half-sent requests do not block another")
for s in slow:
    s.close()

srv.stop()
check(srv.p.returncode == 0, f"SIGTERM: exit 0 (got {srv.p.returncode})")
log = [l for l in srv.stderr.splitlines() if '"GET ' in l or '"POST ' in l]
check(len(log) >= 30, f"one log line per request ({len(log)})")
clf = re.compile(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] '
                 r'"(GET|POST|HEAD|DELETE) \S+ HTTP/1\.[01]" \d{3} \d+ \d+\.\d{3}$')
check(all(clf.match(l) for l in log), "the log lines are in the common log format")
check(not any("?" in l for l in log), "query strings are not logged")
check(sorted(set(validated)) == ["Access", "Compare", "Error", "Health", "Network", "Profile",
                                 "Route", "Scenario", "ScenarioList", "Stops"],
      f"every schema was checked against an answer ({sorted(set(validated))})")

# ---- a flood beyond the queue: 503 with Retry-After, nothing else --------------------
srv = Server("--threads", "1", "--queue", "1", "--scenario", "none", "--max-departures",
             "1000000")
results = []
lock = threading.Lock()


def one():
    try:
        st, hd, _ = srv.request("GET", "/api/v1/compare?from=Heerlen&to=Aachen+Hbf&date=" + DATE +
                                "&window=06:00-12:00&step=10")
    except OSError as e:
        st, hd = str(e), {}
    with lock:
        results.append((st, hd.get("Retry-After")))


threads = [threading.Thread(target=one) for _ in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
codes = sorted(str(st) for st, _ in results)
check(set(codes) <= {"200", "503"}, f"a flood: only 200 and 503 ({codes})")
check("503" in codes and "200" in codes, f"a flood of 16 on 1 thread and 1 queue: some 503 ({codes})")
check(all(ra == "1" for st, ra in results if st == 503), "every 503 has Retry-After: 1")
status, _, doc = srv.get("/healthz")
check(status == 200 and doc["running"] == 0 and doc["waiting"] == 0,
      "after the flood nothing runs or waits")

# ---- SIGTERM while a request runs: it finishes ---------------------------------------
slow_result = []


def long_one():
    # 2 x 86,341 departures: long enough to be running when the signal comes
    st, _, d = srv.request("GET", "/api/v1/compare?from=Heerlen&from=Maastricht&to=Aachen+Hbf"
                           "&date=" + DATE + "&window=00:00-23:59&step=1&one_way=1")
    slow_result.append((st, len(d)))


t = threading.Thread(target=long_one)
t.start()
running = False
deadline = time.time() + 60
while time.time() < deadline and not running and t.is_alive():
    status, _, doc = srv.get("/healthz")
    running = status == 200 and doc["running"] == 1
    time.sleep(0.005)
rc = srv.stop() if running else None
t.join()
check(running, "the long request was running when SIGTERM came")
check(rc == 0, f"SIGTERM during a request: exit 0 (got {rc}; {srv.stderr[-300:]})")
check(slow_result and slow_result[0][0] == 200 and slow_result[0][1] > 1000,
      f"the running request was answered in full ({slow_result})")

# ---- bad arguments -----------------------------------------------------------------
for args in (["--listen", "localhost"], ["--listen", "127.0.0.1:70000"], ["--threads", "0"],
             ["--snapshot", "/nonexistent.grens", "--feed", "x"]):
    r = run("serve", *args)
    check(r.returncode == 2, f"grens serve {' '.join(args)}: exit 2 (got {r.returncode})")
r = run("serve", "--snapshot", "/nonexistent.grens")
check(r.returncode == 1 and "nonexistent" in r.stderr, "an unusable snapshot: exit 1")
r = run("serve", "--listen", "192.0.2.1:0", "--scenario", "none")
check(r.returncode == 1 and "cannot listen" in r.stderr, "an address not ours: exit 1")

finish()
