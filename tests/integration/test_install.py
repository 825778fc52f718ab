"""meson install end to end: the installed program runs the main job from
any folder on the installed default data, GRENS_DATA overrides where the
data is read from, a copy of the program with no data says what it tried,
and a program built against the installed library with pkg-config loads
the default feeds and routes a journey."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import BIN, SOURCE, check, finish, run

BUILD = os.environ.get("GRENS_BUILD_ROOT", "")
MESON = shutil.which("meson")
if not BUILD or not MESON:
    print("SKIP: needs GRENS_BUILD_ROOT and meson on PATH")
    sys.exit(77)


def meson(*args):
    return subprocess.run([MESON, *args], capture_output=True, text=True, timeout=600)


def clean_env(**extra):
    """The environment without the data overrides, plus extra."""
    e = {k: v for k, v in os.environ.items() if k not in ("GRENS_DATA", "GRENS_FEEDS")}
    e.update(extra)
    return e


def grens(binary, *args, cwd, **env):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=600,
                          cwd=cwd, env=clean_env(**env))


tmp = tempfile.mkdtemp(prefix="grens-install-")
dest = os.path.join(tmp, "dest")
elsewhere = os.path.join(tmp, "elsewhere")
os.makedirs(elsewhere)

r = meson("install", "-C", BUILD, "--destdir", dest, "--no-rebuild", "--quiet")
check(r.returncode == 0, f"meson install --destdir: {r.returncode} {r.stderr[-2000:]}")

# Where each built file went (absolute paths without the destdir).
r = meson("introspect", "--installed", BUILD)
installed = json.loads(r.stdout) if r.returncode == 0 else {}


def under_dest(path):
    return os.path.join(dest, path.lstrip("/"))


def installed_as(suffix):
    for built, target in installed.items():
        if target.endswith(suffix):
            return under_dest(target)
    return None


prog = installed_as("/bin/grens")
pc = installed_as("/pkgconfig/grens.pc")
check(prog and os.access(prog, os.X_OK), f"bin/grens installed: {prog}")
check(pc and os.path.isfile(pc), f"grens.pc installed: {pc}")
prefix = os.path.dirname(os.path.dirname(prog)) if prog else dest
share = os.path.join(prefix, "share", "grens", "feeds")
for f in ("feeds.yaml", "links.csv", "nl/stop_times.txt", "nrw/trips.txt", "be/stops.txt",
          "scenarios/ic-aken.yaml", "places/nl.csv"):
    check(os.path.isfile(os.path.join(share, f)), f"share/grens/feeds/{f} installed")
for h in ("core.h", "export.h", "net.h", "route.h", "gtfs.h", "limits.h"):
    check(os.path.isfile(os.path.join(prefix, "include", "grens", h)), f"include/grens/{h}")

# ---------------------------------------------------------------------------
# The main job (README's first command) from another folder: the installed
# program reads share/grens/feeds beside its bin/, and its output is the
# build tree's, which reads the source tree's feeds/.
if prog:
    built = grens(BIN, "compare", cwd=elsewhere)
    inst = grens(prog, "compare", cwd=elsewhere)
    check(built.returncode == 0, f"build-tree compare: {built.returncode} {built.stderr[-1000:]}")
    check(inst.returncode == 0, f"installed compare: {inst.returncode} {inst.stderr[-1000:]}")
    check(inst.stdout == built.stdout and "ic-aken" in inst.stdout,
          "installed compare prints what the build tree's prints")
    built = grens(BIN, "compare", "--format", "json", cwd=elsewhere)
    inst = grens(prog, "compare", "--format", "json", cwd=elsewhere)
    check(inst.returncode == 0 and json.loads(inst.stdout) == json.loads(built.stdout),
          "installed compare --format json is the build tree's")

    # GRENS_DATA wins over the installed data: a copy without be/ fails on be/
    mine = os.path.join(tmp, "mydata")
    shutil.copytree(share, mine)
    shutil.rmtree(os.path.join(mine, "be"))
    r = grens(prog, "info", cwd=elsewhere, GRENS_DATA=mine)
    check(r.returncode != 0 and os.path.join(mine, "be") in r.stderr,
          f"GRENS_DATA without be/ names {mine}/be: {r.returncode} {r.stderr[-500:]}")
    r = grens(prog, "info", "--format", "json", cwd=elsewhere,
              GRENS_DATA=os.path.join(SOURCE, "feeds"))
    check(r.returncode == 0 and [f["name"] for f in json.loads(r.stdout)["feeds"]] ==
          ["nl", "nrw", "be"], f"GRENS_DATA to the source feeds/: {r.returncode} {r.stderr[-500:]}")

    # A copy of the program beside no data: the error lists what was tried.
    lonely = os.path.join(tmp, "lonely", "bin")
    os.makedirs(lonely)
    shutil.copy(prog, lonely)
    r = grens(os.path.join(lonely, "grens"), "compare", cwd=elsewhere)
    check(r.returncode == 1 and "GRENS_DATA is not set" in r.stderr and
          os.path.join(lonely, "..", "share", "grens", "feeds") in r.stderr and
          "grens-data-path" in r.stderr,
          f"no data found: {r.returncode} {r.stderr[-500:]}")

# ---------------------------------------------------------------------------
# A program against the installed library: pkg-config gives the flags
# (prefix moved into the destdir), it loads the default feeds, builds the
# timetable without links.csv and routes Eindhoven Centraal -> Aachen Hbf on
# 2026-03-10 at 08:00; its journey is the one grens route --links none gives.
EMBED = r'''
#include <stdio.h>
#include <grens/gtfs.h>
#include <grens/net.h>
#include <grens/route.h>

static int stop(const grens_timetable *tt, const char *name, uint32_t *out, uint32_t *n)
{
	grens_error err;
	int rc = grens_net_find_stops(tt, name, out, 64, n, &err);
	if (rc)
		fprintf(stderr, "%s: %s\n", name, err.message);
	return rc;
}

int main(int argc, char **argv)
{
	static const char *names[] = { "nl", "nrw", "be" };
	grens_gtfs_feed *feeds[3] = { 0 };
	grens_timetable *tt = NULL;
	grens_route_raptor *ws = NULL;
	grens_error err;
	int rc = 1;
	grens_diag *diag = grens_diag_new();
	/* the contract: NULL where it is not allowed is GRENS_EINVAL, no crash */
	if (grens_net_build(NULL, NULL, 0, NULL, NULL, &err) != GRENS_EINVAL)
		goto out;
	for (int i = 0; i < 3; i++) {
		char path[4096];
		grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
		snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
		if (grens_gtfs_load(&feeds[i], path, &o, diag, &err)) {
			fprintf(stderr, "%s: %s\n", path, err.message);
			goto out;
		}
	}
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	if (grens_net_build(&tt, (const grens_gtfs_feed *const *)feeds, 3, &no, diag, &err) ||
	    grens_route_raptor_new(&ws, tt, 8, &err)) {
		fprintf(stderr, "%s\n", err.message);
		goto out;
	}
	uint32_t from[64], to[64], nf, nt;
	if (stop(tt, "Eindhoven Centraal", from, &nf) || stop(tt, "Aachen Hbf", to, &nt))
		goto out;
	grens_route_query q = { .from = from, .from_count = nf, .to = to, .to_count = nt,
				.date = grens_date_from_ymd(2026, 3, 10), .time = 8 * 3600 };
	grens_route_options ro = GRENS_ROUTE_OPTIONS_INIT;
	grens_route_result res;
	if (grens_route_raptor_route(ws, &q, &ro, &res, &err) || !res.journey_count) {
		fprintf(stderr, "route: %s\n", err.message);
		goto out;
	}
	char dep[16], arr[16];
	grens_time_format(res.journeys[0].departure, dep, sizeof(dep));
	grens_time_format(res.journeys[0].arrival, arr, sizeof(arr));
	printf("%s %s %u\n", dep, arr, res.journeys[0].transfers);
	rc = 0;
out:
	grens_route_raptor_free(ws);
	grens_net_free(tt);
	for (int i = 0; i < 3; i++)
		grens_gtfs_free(feeds[i]);
	grens_diag_free(diag);
	return rc;
}
'''

pkgconfig = shutil.which("pkg-config")
cc = os.environ.get("CC") or shutil.which("cc")
if prog and pc and pkgconfig and cc:
    env = clean_env(PKG_CONFIG_PATH=os.path.dirname(pc))
    r = subprocess.run([pkgconfig, "--define-variable=prefix=" + prefix, "--cflags", "--libs",
                        "grens"], capture_output=True, text=True, env=env)
    check(r.returncode == 0 and "-lgrens" in r.stdout, f"pkg-config grens: {r.stdout} {r.stderr}")
    flags = r.stdout.split()
    # a sanitized build's library needs the sanitizer runtime in the program
    opts = meson("introspect", "--buildoptions", BUILD)
    sanitize = next((o["value"] for o in json.loads(opts.stdout) if o["name"] == "b_sanitize"),
                    "none") if opts.returncode == 0 else "none"
    san = [] if sanitize == "none" else ["-fsanitize=" + sanitize]
    src = os.path.join(tmp, "embed.c")
    exe = os.path.join(tmp, "embed")
    with open(src, "w") as f:
        f.write(EMBED)
    r = subprocess.run([cc, "-std=c11", "-Wall", "-Werror", *san, src, "-o", exe, *flags],
                       capture_output=True, text=True, env=env)
    check(r.returncode == 0, f"cc embed.c $(pkg-config --cflags --libs grens): {r.stderr[-2000:]}")
    libdir = next((f[2:] for f in flags if f.startswith("-L")), "")
    r = subprocess.run([exe, share], capture_output=True, text=True, timeout=600, cwd=elsewhere,
                       env=clean_env(LD_LIBRARY_PATH=libdir))
    check(r.returncode == 0, f"embed runs: {r.returncode} {r.stderr[-1000:]}")
    got = r.stdout.split()
    cli = grens(prog, "route", "--from", "Eindhoven Centraal", "--to", "Aachen Hbf", "--date",
                "2026-03-10", "--time", "08:00", "--links", "none", "--format", "json",
                cwd=elsewhere)
    check(cli.returncode == 0, f"grens route: {cli.stderr[-500:]}")
    j = json.loads(cli.stdout)["journeys"][0] if cli.returncode == 0 else {}
    want = [j.get("departure", "")[11:], j.get("arrival", "")[11:], str(j.get("transfers"))]
    check(got == want, f"the library's journey {got} is grens route's {want}")
    # and the program's library is the installed one, not the build tree's
    r = subprocess.run(["ldd", exe], capture_output=True, text=True,
                       env=clean_env(LD_LIBRARY_PATH=libdir))
    check(os.path.join(libdir, "libgrens.so.0") in r.stdout, f"links {libdir}/libgrens.so.0")
else:
    check(False, f"pkg-config ({pkgconfig}) and a C compiler ({cc}) are needed")

# ---------------------------------------------------------------------------
# The contract covers the whole API: every exported function has its row in
# docs/api.md, and the exported symbols are exactly the ones the headers mark.
import re
declared = set()
for h in sorted(os.listdir(os.path.join(SOURCE, "include", "grens"))):
    with open(os.path.join(SOURCE, "include", "grens", h)) as f:
        for m in re.finditer(r"GRENS_EXTERN[^;(]*?\(?\*?\s*(grens_\w+)\s*\(", f.read()):
            declared.add(m.group(1))
with open(os.path.join(SOURCE, "docs", "api.md")) as f:
    nulls = f.read().split("## NULL, function by function")[-1]
    documented = set(re.findall(r"^\| `(grens_\w+)` \|", nulls, re.M))
check(len(declared) > 200, f"GRENS_EXTERN functions found: {len(declared)}")
check(declared - documented == set(), f"not in docs/api.md: {sorted(declared - documented)}")
check(documented - declared == set(), f"in docs/api.md, not declared: {sorted(documented - declared)}")
lib = installed_as("/libgrens.so")
if lib:
    r = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True)
    exported = {l.split()[-1] for l in r.stdout.splitlines() if " T " in l}
    check(exported == declared, f"exported but not declared: {sorted(exported - declared)[:10]}; "
          f"declared but not exported: {sorted(declared - exported)[:10]}")

shutil.rmtree(tmp, ignore_errors=True)
finish()
