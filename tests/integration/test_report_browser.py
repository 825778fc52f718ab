"""grens report in a real browser: every language at a desktop and a phone width.

Needs what `tools/setup --test-deps` installs (Chromium, chromedriver, python3-selenium,
poppler-utils, axe-core in $GRENS_TEST_CACHE, default /var/cache/grens-test). Where the
setup has not run (no cache folder) the test is skipped; where it has, anything missing
is a failure. Screenshots: $GRENS_BUILD_ROOT/report-browser/<lang>-<width>.png.
"""
import json
import os
import re
import shutil
import subprocess
import sys

from harness import BIN, browser_missing, check, finish, headless_chrome, run

CACHE = os.environ.get("GRENS_TEST_CACHE", "/var/cache/grens-test")
AXE = os.path.join(CACHE, "node_modules", "axe-core", "axe.min.js")
if not os.path.isdir(CACHE):
    print(f"SKIP: {CACHE} is absent: tools/setup --test-deps has not run here")
    sys.exit(77)

missing = browser_missing()
for name in missing:
    check(False, f"{name} is installed (tools/setup --test-deps)")
check(os.path.isfile(AXE), f"axe-core is installed in {CACHE}")
check(shutil.which("pdftotext") and shutil.which("pdfinfo"), "poppler-utils is installed")
if missing or not os.path.isfile(AXE):
    finish()

build = os.environ.get("GRENS_BUILD_ROOT", ".")
outdir = os.path.join(build, "report-browser")
REUSE = os.environ.get('R2REUSE')
if not REUSE:
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
LANGS = ["en", "nl", "de"]
# The page is mailed around: README ('Reports') promises at most this size.
PAGE_LIMIT = 1_000_000

# One run per language, two at a time (a 2-core machine), English also to PDF.
procs = {}
for lang in ([] if REUSE else LANGS):
    args = [BIN, "report", "--out", os.path.join(outdir, lang), "--lang", lang]
    if lang == "en":
        args += ["--pdf", os.path.join(outdir, "report.pdf")]
    procs[lang] = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
    if lang == "nl":
        procs["en"].wait(timeout=600)
        procs["nl"].wait(timeout=600)
for lang, p in procs.items():
    _, err = p.communicate(timeout=600)
    check(p.returncode == 0, f"grens report --lang {lang} ({err.strip()[-300:]})")

docs = {}
for lang in LANGS:
    path = os.path.join(outdir, lang, "report.json")
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            docs[lang] = json.load(f)
        size = os.path.getsize(os.path.join(outdir, lang, "report.html"))
        check(size <= PAGE_LIMIT, f"{lang}: report.html is {size} bytes, at most {PAGE_LIMIT}")
        check(docs[lang].get("lang") == lang, f"report.json says lang {lang}")


def lookup(doc, ref):
    """report.json at a data-ref path such as border/0/rows/3/range/today/1."""
    v = doc
    for part in ref.split("/"):
        v = v[int(part)] if isinstance(v, list) else v[part]
    return v


def shown_matches(text, value):
    """The link text shows the value: a whole number with any thousands separator,
    or a saving in seconds as rounded minutes."""
    digits = re.sub(r"[.,\u202f\s]", "", text)
    m = re.search(r"\d+", digits)
    if value is None:
        return m is None
    if not m:
        return False
    shown = int(m.group())
    return shown == value or (("min" in text) and shown == (abs(value) + 30) // 60)


drv = headless_chrome(logs={"browser": "ALL", "performance": "ALL"})
drv.set_script_timeout(120)
with open(AXE, encoding="utf-8") as f:
    axe_js = f.read()

LABELS = """
const out = [];
for (const svg of document.querySelectorAll('svg.map, svg.placemap')) {
  const boxes = [...svg.querySelectorAll('text.station-label')]
    .filter(t => getComputedStyle(t).display !== 'none' && getComputedStyle(t).opacity !== '0')
    .map(t => [t.textContent, t.getBoundingClientRect()]);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i][1], b = boxes[j][1];
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
          a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        out.push(boxes[i][0] + ' / ' + boxes[j][0]);
    }
}
return out;"""

try:
    for lang in LANGS:
        if lang not in docs:
            continue
        doc = docs[lang]
        url = "file://" + os.path.abspath(os.path.join(outdir, lang, "report.html"))
        for width in (1280, 400):
            what = f"{lang} {width} px"
            drv.set_window_size(width, 900)
            drv.get_log("performance")
            drv.get(url)
            logs = drv.get_log("browser")
            check(not [x for x in logs if x["level"] == "SEVERE"],
                  f"{what}: no console error ({logs[:3]})")
            external = []
            for entry in drv.get_log("performance"):
                m = json.loads(entry["message"])["message"]
                if m.get("method") == "Network.requestWillBeSent":
                    u = m["params"]["request"]["url"]
                    if not u.startswith(("file:", "data:", "about:")):
                        external.append(u)
            check(not external, f"{what}: no external request ({external[:3]})")
            check(drv.execute_script("return document.documentElement.lang") == lang,
                  f"{what}: <html lang={lang}>")
            if width == 400:
                sw = drv.execute_script("return document.documentElement.scrollWidth")
                cw = drv.execute_script("return document.documentElement.clientWidth")
                check(sw <= cw, f"{what}: no horizontal scroll ({sw} > {cw})")
            overlaps = drv.execute_script(LABELS)
            check(not overlaps, f"{what}: station labels do not overlap ({overlaps[:4]})")
            # The headline is a finding, not the program's name, and its numbers
            # are report.json's like the findings' below.
            h1 = drv.execute_script("return document.querySelector('h1').textContent")
            check("grens report" not in h1 and len(h1) > 60, f"{what}: a headline ({h1!r})")
            check(drv.execute_script("return document.querySelectorAll('h1 a[data-ref]').length")
                  == 3, f"{what}: the headline's three numbers link to their tables")
            # Each travel-time chart has its difference chart beside it, and the
            # reachable population is drawn as differences from today's network.
            pairs = {(p["from"]["id"], p["to"]["id"]) for p in doc["profiles"]}
            n_diff = drv.execute_script("return document.querySelectorAll('svg.difference').length")
            check(n_diff == len(pairs), f"{what}: {n_diff} difference charts for {len(pairs)} pairs")
            n_zero = drv.execute_script(
                "return document.querySelectorAll('svg.difference line.zero').length")
            check(n_zero == len(pairs), f"{what}: each difference chart marks zero ({n_zero})")
            n_maps = drv.execute_script("return document.querySelectorAll('svg.map').length")
            n_scen = len({(s["origin"], s["scenario"]) for s in doc["stations"]})
            check(n_maps == n_scen, f"{what}: a base map and a change map per scenario ({n_maps})")
            # The border map's legend adds up to the border table (p50, 120 min):
            # within in the national view, and the two together today.
            sums = [int(re.sub(r"\D", "", x)) for x in drv.execute_script(
                "return [...document.querySelectorAll('.bm-sum')].map(e => e.textContent)")]
            row = [r for r in doc["border"][0]["rows"]
                   if r["percentile"] == 50 and r["cutoff_min"] == 120][0]
            check(len(sums) == 3 and sums[0] == row["national"] and
                  sums[0] + sums[1] == row["today"],
                  f"{what}: the border map's sums {sums} match national {row['national']}, "
                  f"today {row['today']}")
            # Every number of the findings is report.json's, shown as such.
            links = drv.execute_script(
                "return [...document.querySelectorAll('#findings a[data-ref], h1 a[data-ref]')]"
                ".map(a => [a.dataset.ref, a.dataset.value, a.textContent, "
                "a.getAttribute('href')])")
            check(len(links) >= 40, f"{what}: the findings' numbers ({len(links)})")
            for ref, value, text, href in links:
                want = lookup(doc, ref)
                check(str(want) == value or (want is None and value == "null"),
                      f"{what}: {ref} = {value}, report.json {want}")
                check(shown_matches(text, want), f"{what}: {ref} shows '{text}' for {want}")
                check(drv.execute_script("return !!document.getElementById(arguments[0])",
                                         href[1:]), f"{what}: {href} exists")
            if width == 1280:
                drv.execute_script(axe_js)
                res = drv.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast',"
                    " 'image-alt', 'svg-img-alt', 'role-img-alt', 'heading-order',"
                    " 'page-has-heading-one', 'html-has-lang', 'document-title']}})"
                    ".then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.length + ' ' +"
                    " (v.nodes[0] ? v.nodes[0].target.join(' ') : ''))))"
                    ".catch(e => done(['axe failed: ' + e]));")
                check(res == [], f"{what}: axe-core finds nothing ({res})")
            # The whole page, for a person to look at.
            height = drv.execute_script("return document.documentElement.scrollHeight")
            drv.set_window_size(width, min(height, 16000))
            drv.save_screenshot(os.path.join(outdir, f"{lang}-{width}.png"))
finally:
    drv.quit()

# ---- the PDF ---------------------------------------------------------------------------
pdf = os.path.join(outdir, "report.pdf")
check(os.path.isfile(pdf), "--pdf wrote the PDF")
if os.path.isfile(pdf) and "en" in docs:
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # A4 portrait is 595 x 842 pt.
    check(re.search(r"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)?", info),
          f"A4 pages ({info})")
    # Findings on page 1, each section from a new page: at least as many pages as
    # sections, and a mailed report, not a book.
    check(8 <= pages <= 60, f"PDF pages: {pages}")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"], capture_output=True,
                           text=True).stdout
    check("Findings" in first and "ic-eindhoven-aken" in first,
          f"page 1 opens with the findings: {first[:200]!r}")
    # The headline: people within 120 min of Heerlen (p50), today and nationally.
    heer = [r for r in docs["en"]["border"][0]["rows"]
            if r["percentile"] == 50 and r["cutoff_min"] == 120][0]
    for key in ("today", "national"):
        check(f"{heer[key]:,}" in first, f"page 1 quotes {key} {heer[key]:,}")
r = run("report", "--out", os.path.join(outdir, "x"), "--pdf", pdf,
        env={"PATH": "/nonexistent"})
check(r.returncode == 1 and "Chromium" in r.stderr, f"--pdf without Chromium: exit 1 ({r.stderr})")
finish()
