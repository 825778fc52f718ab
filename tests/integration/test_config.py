"""Configuration files: the older syntax (feeds.conf, nightly.conf) and the
YAML that grens config convert makes of it give the same runs; the older
syntax is read with a deprecation notice."""
import json
import os
import shutil
import tempfile

from fetch_server import Server
from harness import run, check, finish, fixture_zip

tmp = tempfile.mkdtemp(prefix="grens-config-")
srv = Server(lifetime=120)
srv.state.bodies["/plain/short.zip"] = fixture_zip("dates-short")

d = os.path.join(tmp, "night")
os.makedirs(d)
feeds_conf = os.path.join(d, "feeds.conf")
with open(feeds_conf, "w") as f:
    f.write("# the older syntax\n[defaults]\nretries = 0\nkeep_versions = 2\n\n"
            f"[short]\nkind = gtfs\nurl = {srv.url('/plain/short.zip')}\n"
            f"mirror = {srv.url('/plain/mirror.zip')}\n"
            "licence = CC0 1.0 (test: fixture)\nmax_bytes = 16M\ntimeout = 60\n\n"
            "[keyed]\nkind = gtfs-rt\nurl = https://example.invalid/rt.pb\n"
            "header_env = X-Api-Key: GRENS_TEST_KEY\nheader = Accept: */*\nenabled = no\n")
nightly_conf = os.path.join(d, "nightly.conf")
with open(nightly_conf, "w") as f:
    f.write("feeds = feeds.conf\ncache = cache\nservice_date = 2026-03-10\n"
            "window = 07:50-08:00\nstep = 300\nthreshold = 45\nmax_age = 1d\n"
            "pair = Alpha -> Beta\ncutoffs = 30, 60\ndiff_travel_time = 30\n")

# ---- grens config convert --------------------------------------------------------------------
r = run("config", "convert", "--help")
check(r.returncode == 0 and "usage: grens config convert FILE" in r.stdout, "convert --help")
r = run("config", "--help")
check(r.returncode == 0 and "convert" in r.stdout, "config --help")
r = run("config")
check(r.returncode == 2, f"config without a subcommand exits 2 ({r.returncode})")

r = run("config", "convert", feeds_conf)
check(r.returncode == 0 and r.stderr == "", f"convert feeds.conf: {r.returncode} {r.stderr}")
feeds_yaml_text = r.stdout
check("defaults:\n" in feeds_yaml_text and "  - name: short\n" in feeds_yaml_text
      and "    header_env:\n      - \"X-Api-Key: GRENS_TEST_KEY\"\n" in feeds_yaml_text,
      f"the feed list as YAML: {feeds_yaml_text}")
feeds_yaml = os.path.join(d, "feeds.yaml")
with open(feeds_yaml, "w") as f:
    f.write(feeds_yaml_text)

r = run("config", "convert", nightly_conf)
check(r.returncode == 0 and "pairs:\n  - from: Alpha\n    to: Beta\n" in r.stdout,
      f"convert nightly.conf: {r.stdout}")
check("feeds: feeds.conf\n" in r.stdout and "feeds.conf is in the older syntax too" in r.stderr,
      f"the feed list it names is pointed out: {r.stderr}")
nightly_yaml = os.path.join(d, "nightly.yaml")
with open(nightly_yaml, "w") as f:
    f.write(r.stdout.replace("feeds: feeds.conf\n", "feeds: feeds.yaml\n"))

r = run("config", "convert", feeds_yaml)
check(r.returncode == 2 and "not in the older syntax" in r.stderr,
      f"a YAML file is not converted: {r.returncode} {r.stderr}")
r = run("config", "convert", os.path.join(d, "absent.conf"))
check(r.returncode == 1 and "absent.conf" in r.stderr, f"a missing file: {r.stderr}")
bad = os.path.join(d, "bad.conf")
with open(bad, "w") as f:
    f.write("[a]\nkind = gtfs\nurl = http://127.0.0.1/x\nretries = lots\n")
r = run("config", "convert", bad)
check(r.returncode == 1 and f"{bad}:4: retries: 'lots' is not a number" in r.stderr,
      f"an error in the file names its line and key: {r.stderr}")

# ---- the same feed list either way -----------------------------------------------------------
NOTICE = ("feeds.conf: INI syntax is deprecated; see grens-feeds.yaml(5); convert with "
          "grens config convert")
old = run("fetch", "--list", "--config", feeds_conf)
new = run("fetch", "--list", "--config", feeds_yaml)
check(old.returncode == 0 and new.returncode == 0, f"--list: {old.stderr} {new.stderr}")
check(old.stdout == new.stdout and "keyed" in new.stdout and "(disabled)" in new.stdout,
      f"the same list: {old.stdout!r} vs {new.stdout!r}")
check(old.stderr == f"grens fetch: {feeds_conf}: INI syntax is deprecated; see "
      "grens-feeds.yaml(5); convert with grens config convert\n",
      f"the .conf path prints the deprecation notice: {old.stderr!r}")
check(new.stderr == "", f"the YAML file prints nothing: {new.stderr!r}")
# the first line decides too: INI text under another name is still read so
shutil.copy(feeds_conf, os.path.join(d, "list.txt"))
r = run("fetch", "--list", "--config", os.path.join(d, "list.txt"))
check(r.returncode == 0 and r.stdout == new.stdout and "INI syntax is deprecated" in r.stderr,
      f"INI text without the .conf name: {r.stderr}")

# ---- the same night either way ---------------------------------------------------------------
r = run("fetch", "--config", feeds_yaml, "--cache", os.path.join(d, "cache"))
check(r.returncode == 0 and "short: updated" in r.stdout, f"fetch: {r.stdout} {r.stderr}")
outs = {}
for tag, conf in (("old", nightly_conf), ("new", nightly_yaml)):
    out = os.path.join(tmp, "out-" + tag)
    r = run("nightly", "--config", conf, "--out", out, "--date", "2026-03-10", "--no-fetch")
    check(r.returncode == 0, f"nightly with {conf}: {r.returncode} {r.stderr}")
    outs[tag] = (r, out)
r_old, r_new = outs["old"][0], outs["new"][0]
check("nightly.conf: key = value syntax is deprecated; see grens-nightly.yaml(5)" in r_old.stderr
      and NOTICE in r_old.stderr, f"both older files are named: {r_old.stderr!r}")
check("deprecated" not in r_new.stderr, f"the YAML night has no notice: {r_new.stderr!r}")


def report(out):
    with open(os.path.join(out, "2026-03-10", "report.json"), encoding="utf-8") as f:
        doc = json.load(f)
    doc.pop("generated", None)  # the run's own time
    return doc


a, b = report(outs["old"][1]), report(outs["new"][1])
check(a == b, "the two nights' report.json are the same")
check(json.dumps(a).count("Alpha") > 0, "the report holds the configured pair")

srv.close()
shutil.rmtree(tmp, ignore_errors=True)
finish()
