"""The page of grens serve in a real browser (Chromium, headless).

The test picks Amsterdam Centraal -> Aachen Hbf with the scenario
ic-eindhoven-aken through the form, as a person would, runs the query and
reads the travel times the page shows: they must be the API's for the same
query. A shared URL must restore the same results; at 400 px the page has no
horizontal scroll; the language selector changes the labels; a bad scenario
file shows the server's error with its line. Chromium, chromedriver and
python3-selenium are what tools/setup --test-deps installs: without them the
test fails, as the report's browser test does. Screenshots:
$GRENS_BUILD_ROOT/serve-browser/*.png.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from harness import BIN, browser_missing, check, finish, headless_chrome

missing = browser_missing()
for name in missing:
    check(False, f"{name} is installed (tools/setup --test-deps)")
if missing:
    finish()
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

DATE = "2026-03-03"
WINDOW = "07:00-09:00"
SCEN = "ic-eindhoven-aken"
outdir = os.path.join(os.environ.get("GRENS_BUILD_ROOT", "."), "serve-browser")
shutil.rmtree(outdir, ignore_errors=True)
os.makedirs(outdir)

srv = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--threads", "2"],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = srv.stdout.readline()
m = re.search(r"listening on (http://127\.0\.0\.1:\d+/)", line)
check(m is not None, f"the server prints its URL ({line!r})")
if not m:
    srv.kill()
    finish()
URL = m.group(1)


def api(path, **params):
    try:
        with urllib.request.urlopen(URL + path.lstrip("/") + "?" +
                                    urllib.parse.urlencode(params), timeout=120) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def fmt_min(s):
    """The page's minutes: '1 h 34 min' (or '2 h') from an hour on, '45 min' below."""
    if s is None:
        return None
    m = int(abs(s) / 60 + 0.5)
    h, m = divmod(m, 60)
    return ("−" if s < 0 else "") + ((f"{h} h {m} min" if m else f"{h} h") if h else f"{m} min")


drv = headless_chrome("--lang=en-GB", logs={"browser": "ALL"})
wait = WebDriverWait(drv, 60)
runs = 0


def wait_run():
    global runs
    runs += 1
    wait.until(lambda d: d.execute_script("return Number(document.body.dataset.runs || 0)") >= runs)


def shown():
    """What the page shows: the summary's medians and the journeys' times."""
    return drv.execute_script("""
      const q = (s) => document.querySelector(s);
      const cell = (row, kind) => { const c = q(`#sum-${row} td[data-kind=${kind}]`);
        return c ? [c.dataset.s, c.textContent] : null; };
      const j = (kind) => { const b = q(`.journey[data-kind=${kind}]`);
        if (!b || !b.querySelector('.dep')) return null;
        return [b.querySelector('.dep').dataset.iso, b.querySelector('.arr').dataset.iso,
                b.querySelector('.dep').textContent, b.querySelector('.arr').textContent,
                !!b.querySelector('.crossing')]; };
      return {median: [cell('median', 'base'), cell('median', 'scenario'), cell('median', 'diff')],
              journeys: [j('base'), j('scenario')], hash: location.hash};""")


def pick(field, text, want_id):
    box = drv.find_element(By.ID, field)
    box.clear()
    box.send_keys(text)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#{field}-list li[data-id='{want_id}']"))
    # Keyboard: down to the station, Enter picks it.
    ids = [li.get_attribute("data-id") for li in
           drv.find_elements(By.CSS_SELECTOR, f"#{field}-list li")]
    for _ in range(ids.index(want_id)):
        box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    check(drv.execute_script(f"return document.getElementById('{field}').dataset.id") == want_id,
          f"{field}: picked {want_id} from the suggestions")


def compare(what, got, want):
    pb, ps, rb, rs = want
    if pb is not None:
        for i, (doc, kind) in enumerate(((pb, "base"), (ps, "scenario"))):
            med = doc["summary"]["median_s"]
            c = got["median"][i]
            check(c is not None and c[0] == str(med) and c[1] == fmt_min(med),
                  f"{what}: {kind} median shown {c}, API {med} ({fmt_min(med)})")
        d = ps["summary"]["median_s"] - pb["summary"]["median_s"]
        c = got["median"][2]
        check(c is not None and c[0] == str(d), f"{what}: median difference {c}, API {d}")
    for i, (doc, kind) in enumerate(((rb, "base"), (rs, "scenario"))):
        j = doc["journeys"][0]
        g = got["journeys"][i]
        check(g is not None and g[0] == j["departure"] and g[1] == j["arrival"] and
              g[2] == j["departure"][11:16] and g[3] == j["arrival"][11:16] and
              g[4] == j["crosses_border"],
              f"{what}: {kind} journey shown {g}, API {j['departure']} -> {j['arrival']}")


try:
    t0 = time.time()
    drv.set_window_size(1280, 1000)
    drv.get(URL)
    wait.until(lambda d: d.execute_script("return document.body.dataset.ready") == "true")
    check(drv.execute_script("return document.querySelectorAll('#map circle.st').length") > 100,
          "the map draws the stations")
    check(drv.execute_script("return document.querySelectorAll('#map polyline.border').length")
          == 1, "the map draws the border")
    pick("from", "Amsterdam", "nl:asd")
    pick("to", "Aachen Hbf", "nl:ahbf")
    drv.execute_script("const d = document.getElementById('date'); d.value = arguments[0];", DATE)
    Select(drv.find_element(By.ID, "scenario")).select_by_value(SCEN)
    drv.find_element(By.ID, "to").send_keys(Keys.ENTER)  # Enter runs the query
    wait_run()

    base = dict(({"from": "nl:asd", "to": "nl:ahbf", "date": DATE}).items())
    st_pb, pb = api("/api/v1/profile", **base, window=WINDOW)
    st_ps, ps = api("/api/v1/profile", **base, window=WINDOW, scenario=SCEN)
    _, rb = api("/api/v1/route", **base, time=WINDOW[:5])
    _, rs = api("/api/v1/route", **base, time=WINDOW[:5], scenario=SCEN)
    have_profile = st_pb == 200 and st_ps == 200
    if not have_profile:
        print(f"note: /api/v1/profile answers {st_pb}: the medians are not compared")
    want = (pb if have_profile else None, ps if have_profile else None, rb, rs)
    got = shown()
    compare("typed query", got, want)
    if have_profile:
        check(drv.execute_script("return document.querySelectorAll('#chart path').length") == 2,
              "the chart draws base and scenario")
    hsh = got["hash"]
    for part in ("from=nl%3Aasd", "to=nl%3Aahbf", f"date={DATE}", f"scenario={SCEN}", "lang=en"):
        check(part in hsh, f"the URL holds {part} ({hsh})")
    # The access table: the API's numbers for the origin, p50, each view.
    _, acc = api("/api/v1/access", **{"from": "nl:asd", "date": DATE, "window": WINDOW,
                                      "border": "true"})
    cells = drv.execute_script(
        "return [...document.querySelectorAll('#access-table td')].map(c => "
        "[c.parentNode.dataset.cutoff, c.dataset.view, c.dataset.value])")
    rows = {(str(r["cutoff_min"]), v): str(r[v]) for r in acc["origins"][0]["border"]
            if r["percentile"] == 50 for v in ("national", "closed_border", "today",
                                                  "border_effect")}
    check(len(cells) == len(rows) and all(rows.get((c, v)) == x for c, v, x in cells),
          f"the access table is the API's ({cells[:3]})")
    src = drv.execute_script("return (document.getElementById('access-sources') || {}).textContent")
    check(src and all(f in src for f in acc["meta"]["places_files"]) and "SOURCES.md" in src,
          f"the population names its places files and their sources ({src})")
    drv.save_screenshot(os.path.join(outdir, "query-1280.png"))

    # A shared URL, opened fresh, restores and runs the same query.
    drv.get("about:blank")
    drv.get(URL + hsh)
    runs = 0
    wait_run()
    again = shown()
    compare("shared URL", again, want)
    check(drv.execute_script("return document.getElementById('from').value")
          == "Amsterdam Centraal", "the shared URL names the origin")

    # Phone width: no horizontal scroll.
    drv.set_window_size(400, 900)
    time.sleep(0.3)
    sw = drv.execute_script("return document.documentElement.scrollWidth")
    check(sw <= 400, f"400 px: no horizontal scroll (scrollWidth {sw})")
    height = drv.execute_script("return document.documentElement.scrollHeight")
    drv.set_window_size(400, min(height, 8000))
    drv.save_screenshot(os.path.join(outdir, "query-400.png"))
    drv.set_window_size(1280, 1000)

    # German.
    Select(drv.find_element(By.ID, "lang")).select_by_value("de")
    lab = drv.execute_script("return document.querySelector('label[for=from]').textContent")
    check(lab == "Start", f"Deutsch: the origin's label reads 'Start' ({lab!r})")
    check(drv.execute_script("return document.documentElement.lang") == "de", "<html lang=de>")
    check("lang=de" in drv.execute_script("return location.hash"), "the URL holds lang=de")

    # A bad scenario file: the server's error with its line.
    bad = "name: broken\nedits:\n  - add_route: {id: x\n"
    req = urllib.request.Request(URL + "api/v1/scenarios", data=bad.encode(), method="POST")
    try:
        urllib.request.urlopen(req, timeout=60)
        err = {}
    except urllib.error.HTTPError as e:
        err = json.load(e)
    check("line" in err, f"the API gives the line of the error ({err})")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(bad)
    drv.find_element(By.ID, "upload").send_keys(f.name)
    wait.until(lambda d: d.execute_script("return !document.getElementById('upload-error').hidden"))
    msg = drv.execute_script("return document.getElementById('upload-error').textContent")
    check(f"Zeile {err.get('line')}" in msg, f"the page shows the error's line ({msg!r})")
    os.unlink(f.name)
    drv.save_screenshot(os.path.join(outdir, "upload-error-de.png"))
    # The bad file's 400 is expected, and so is 404 where the server has no profile.
    logs = [x for x in drv.get_log("browser") if x["level"] == "SEVERE" and not (
        x.get("source") == "network" and ("/api/v1/scenarios" in x["message"] or (
            not have_profile and "/api/v1/profile" in x["message"])))]
    check(not logs, f"no console error ({logs[:3]})")
    print(f"browser part: {time.time() - t0:.1f} s")
finally:
    drv.quit()
    srv.terminate()
    srv.wait(timeout=30)
finish()
