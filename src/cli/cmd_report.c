/* grens report: travel-time profiles, best journeys and a station map for
 * the base network and scenarios, written as JSON, CSV, GeoJSON and a
 * self-contained HTML page. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "places_cli.h"
#include "report_cli.h"

#define CMD "report"

/* The embedded default: the Randstad origins and Eindhoven to Aachen on a
 * Tuesday of the reconstruction's timetable year (feeds/README.md), under
 * each proposal that was on the table and the variant NS rejected (grens-scenario(5),
 * THE SHIPPED SCENARIOS), and the border views of Heerlen. */
static const char *const default_from[] = { "Amsterdam Centraal", "Rotterdam Centraal",
					    "Den Haag Centraal", "Utrecht Centraal",
					    "Eindhoven Centraal" };
#define DEFAULT_TO "Aachen Hbf"
static const char *const default_scenarios[] = { "ic-eindhoven-aken", "ic-eindhoven-aken-randen",
						 "ic-denhaag-aken", "ic-aken" };
#define DEFAULT_SCENARIOS (sizeof(default_scenarios) / sizeof(*default_scenarios))
#define DEFAULT_BORDER_ORIGIN "Heerlen"

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens report --out DIR [--feed [NAME=]PATH]... [--scenario FILE]...\n"
		"                    [--pair 'FROM -> TO']... [--map-origin STOP]\n"
		"                    [--date YYYY-MM-DD] [--window HH:MM-HH:MM] [--step S]\n"
		"                    [--threshold MIN] [--title TEXT] [--places FILE]...\n"
		"                    [--cutoffs MIN,...] [--base-feeds NAME,...]\n"
		"                    [--links FILE|none] [--border-origin PLACE|none]\n"
		"                    [--lang en|nl|de] [--pdf FILE]\n\n"
		"Writes DIR/report.html (one self-contained page with charts), report.json,\n"
		"profiles.csv, profile_steps.csv, opportunities.csv, stations.csv,\n"
		"stations.geojson and journeys.csv (grens-report(1)).\n\n"
		"With no --feed: the embedded default feeds (%s), the pairs\n"
		"Amsterdam/Rotterdam/Den Haag/Utrecht/Eindhoven Centraal -> Aachen Hbf,\n"
		"the proposals scenarios/ic-eindhoven-aken, ic-eindhoven-aken-randen,\n"
		"ic-denhaag-aken and ic-aken (.yaml), the places in places/*.csv and the\n"
		"border views of Heerlen.\n"
		"  --out DIR            where the files go (required)\n"
		"  --feed [NAME=]PATH   a feed (repeatable; with --feed also give --pair)\n"
		"  --date YYYY-MM-DD    the service day (default: the Tuesday on which the\n"
		"                       most trips run in all feeds, as grens compare)\n"
		"  --title TEXT         the page title (default 'grens report')\n"
		"  --pair 'FROM -> TO'  a travel-time profile and the fastest journey\n"
		"                       (repeatable; stops by id or name)\n"
		"  --map-origin STOP    origin of the station map (default: the first FROM)\n"
		"  --window             departure window (default 06:00-22:00)\n"
		"  --step S             seconds between departures (default 60)\n"
		"  --threshold MIN      'share under' threshold in minutes (default 180)\n"
		"  --scenario FILE      a what-if compared with the base (repeatable)\n"
		"  --places FILE        places with population (repeatable): reachable\n"
		"                       population for nl-only, linked and each scenario\n"
		"  --cutoffs MIN,...    cutoffs of reachable population (default 60,90,120,180)\n"
		"  --base-feeds NAMES   the feeds of the nl-only side (default nl)\n"
		"  --links FILE|none    stations that are the same across feeds (default:\n"
		"                       links.csv of the feeds directory when it exists)\n"
		"  --border-origin PLACE  a place of NL whose border views (national, closed\n"
		"                       border, today; rank; low-high assumptions) head the\n"
		"                       page (default with the embedded data: Heerlen)\n"
		"  --lang en|nl|de      the language of the page's words (default en)\n"
		"  --pdf FILE           also print the page to FILE (A4) with headless\n"
		"                       Chromium; exit 1 when Chromium is not installed\n"
		"Exit status: 0, 1 unusable feed or unwritable output, 2 bad arguments.\n",
		cli_feeds_dir());
}

/* "60,90,120" into spec->cutoffs_min. */
static int parse_cutoffs(const char *cmd, const char *opt, const char *v, void *dst)
{
	report_cli_spec *spec = dst;
	spec->cutoff_count = 0;
	for (const char *p = v;;) {
		size_t len = strcspn(p, ",");
		int64_t n;
		if (spec->cutoff_count == REPORT_CLI_MAX_CUTOFFS ||
		    grens_parse_i64(p, len, 1, 1440, &n)) {
			cli_errorf(cmd, "%s needs up to %u minutes 1..1440, comma-separated, not '%s'",
				   opt, REPORT_CLI_MAX_CUTOFFS, v);
			return -1;
		}
		spec->cutoffs_min[spec->cutoff_count++] = (int32_t)n;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* --pair 'FROM -> TO': one more pair (the value, an argv string, is split
 * in place). */
static int add_pair(const char *cmd, const char *opt, const char *v, void *dst)
{
	report_cli_spec *spec = dst;
	char *s = (char *)v;
	char *arrow = strstr(s, "->");
	if (spec->pair_count < REPORT_CLI_MAX_PAIRS && arrow) {
		char *e = arrow;
		while (e > s && e[-1] == ' ')
			e--;
		char *t = arrow + 2;
		while (*t == ' ')
			t++;
		if (e > s && *t) {
			*e = '\0';
			spec->from[spec->pair_count] = s;
			spec->to[spec->pair_count++] = t;
			return 0;
		}
	}
	cli_errorf(cmd, "%s needs 'FROM -> TO' (at most %u), not '%s'", opt, REPORT_CLI_MAX_PAIRS,
		   v);
	return -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Chromium's throwaway profile: files first, then the folders. */
static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The first of chromium, chromium-browser on PATH, into buf. */
static bool find_chromium(char *buf, size_t n)
{
	static const char *const names[] = { "chromium", "chromium-browser" };
	const char *path = getenv("PATH");
	for (unsigned k = 0; path && k < 2; k++)
		for (const char *d = path; *d;) {
			size_t len = strcspn(d, ":");
			int w = snprintf(buf, n, "%.*s/%s", (int)len, d, names[k]);
			if (w > 0 && (size_t)w < n && access(buf, X_OK) == 0)
				return true;
			d += len + (d[len] == ':');
		}
	return false;
}

/* Print dir/report.html to pdf with headless Chromium (the print stylesheet
 * sets A4). Chromium gets a throwaway profile so a user's open browser does
 * not take the job. */
static int print_pdf(const char *chromium, const char *dir, const char *pdf)
{
	char page[4200], target[4200], arg[4300], profile[] = "/tmp/grens-pdf-XXXXXX";
	char abs_dir[PATH_MAX];
	if (!realpath(dir, abs_dir) || !mkdtemp(profile)) {
		cli_errorf(CMD, "--pdf: %s: %s", dir, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	snprintf(page, sizeof(page), "file://%s/report.html", abs_dir);
	snprintf(target, sizeof(target), "--print-to-pdf=%s", pdf);
	snprintf(arg, sizeof(arg), "--user-data-dir=%s", profile);
	char *const argv[] = { (char *)chromium, "--headless", "--no-sandbox", "--disable-gpu",
			       "--no-first-run", "--disable-background-networking",
			       "--no-pdf-header-footer", arg, target, page, NULL };
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(chromium, argv);
		_exit(127);
	}
	int status = 0;
	bool ok = pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		  WEXITSTATUS(status) == 0;
	remove_tree(profile);
	struct stat st;
	if (!ok || stat(pdf, &st) != 0 || st.st_size == 0) {
		cli_errorf(CMD, "--pdf: %s could not print %s to %s", chromium, page, pdf);
		return CLI_EXIT_FAIL;
	}
	fprintf(stderr, "grens report: wrote %s\n", pdf);
	return CLI_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	report_cli_spec spec;
	memset(&spec, 0, sizeof(spec));
	const char *out = NULL, *title = NULL, *lang = "en", *pdf = NULL;
	bool date_given = false;
	cli_window window = { 6 * 3600, 22 * 3600, NULL };
	spec.step = GRENS_ROUTE_DEFAULT_STEP;
	spec.threshold = GRENS_ROUTE_DEFAULT_THRESHOLD;
	const cli_option options[] = {
		{ .name = "out", .kind = CLI_OPT_STRING, .dst = &out, .required = true },
		CLI_FEED_OPTION(&spec.feeds),
		CLI_SNAPSHOT_OPTION(&spec.feeds),
		{ .name = "scenario", .kind = CLI_OPT_LIST, .dst = spec.scenarios,
		  .cap = REPORT_CLI_MAX_SCENARIOS, .count = &spec.scenario_count },
		{ .name = "pair", .kind = CLI_OPT_CALL, .dst = &spec, .call = add_pair },
		{ .name = "map-origin", .kind = CLI_OPT_STRING, .dst = &spec.map_origin },
		{ .name = "date", .kind = CLI_OPT_DATE, .dst = &spec.date, .seen = &date_given },
		{ .name = "window", .kind = CLI_OPT_WINDOW, .dst = &window },
		{ .name = "step", .kind = CLI_OPT_INT32, .dst = &spec.step, .min = 1, .max = 86400 },
		{ .name = "threshold", .kind = CLI_OPT_INT32, .dst = &spec.threshold, .min = 0,
		  .max = 10000, .scale = 60 },
		{ .name = "title", .kind = CLI_OPT_STRING, .dst = &title },
		{ .name = "places", .kind = CLI_OPT_LIST, .dst = spec.places,
		  .cap = REPORT_CLI_MAX_PLACES_FILES, .count = &spec.places_count },
		{ .name = "cutoffs", .kind = CLI_OPT_CALL, .dst = &spec, .call = parse_cutoffs },
		{ .name = "base-feeds", .kind = CLI_OPT_STRING, .dst = &spec.base_feeds },
		{ .name = "links", .kind = CLI_OPT_STRING, .dst = &spec.links },
		{ .name = "border-origin", .kind = CLI_OPT_STRING, .dst = &spec.border_origin },
		{ .name = "lang", .kind = CLI_OPT_STRING, .dst = &lang },
		{ .name = "pdf", .kind = CLI_OPT_STRING, .dst = &pdf },
		{ .name = NULL },
	};
	const cli_spec cs = { .cmd = CMD, .usage = usage, .options = options };
	int code = CLI_EXIT_FAIL;
	int rc = cli_parse(&cs, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	if (strcmp(lang, "en") != 0 && strcmp(lang, "nl") != 0 && strcmp(lang, "de") != 0) {
		cli_errorf(CMD, "--lang must be en, nl or de, not '%s'", lang);
		return CLI_EXIT_USAGE;
	}
	char chromium[4096] = "";
	if (pdf && !find_chromium(chromium, sizeof(chromium))) {
		/* before the long run: the page would be written but not printed */
		cli_errorf(CMD, "--pdf needs Chromium (chromium or chromium-browser on PATH; "
				"Debian: apt-get install chromium); write the page without --pdf");
		return CLI_EXIT_FAIL;
	}
	spec.t0 = window.start;
	spec.t1 = window.end;
	bool embedded = spec.feeds.count == 0;
	code = CLI_EXIT_FAIL;
	if (!date_given)
		spec.date = GRENS_DATE_NONE; /* report_cli_fill picks it from the feeds */
	if (spec.pair_count == 0) {
		if (!embedded) {
			cli_errorf(CMD, "--pair 'FROM -> TO' is required with --feed");
			return CLI_EXIT_USAGE;
		}
		for (unsigned i = 0; i < sizeof(default_from) / sizeof(default_from[0]); i++) {
			spec.from[i] = default_from[i];
			spec.to[i] = DEFAULT_TO;
			spec.pair_count++;
		}
	}
	char scenario_path[DEFAULT_SCENARIOS][4096];
	char *places_paths[REPORT_CLI_MAX_PLACES_FILES] = { 0 };
	uint32_t default_places = 0;
	/* a snapshot may hold other feeds than the embedded ones: no default
	 * scenarios on it (give --scenario) */
	if (embedded && !spec.feeds.snapshot && spec.scenario_count == 0) {
		for (unsigned i = 0; i < DEFAULT_SCENARIOS; i++) {
			snprintf(scenario_path[i], sizeof(scenario_path[i]), "%s/scenarios/%s.yaml",
				 cli_feeds_dir(), default_scenarios[i]);
			spec.scenarios[spec.scenario_count++] = scenario_path[i];
		}
	}
	if (embedded && spec.places_count == 0) {
		/* every places file, as grens access reads them */
		if (places_cli_default(CMD, places_paths, REPORT_CLI_MAX_PLACES_FILES,
				       &default_places))
			goto free_places;
		for (uint32_t i = 0; i < default_places; i++)
			spec.places[spec.places_count++] = places_paths[i];
	}
	if (embedded && !spec.border_origin)
		spec.border_origin = DEFAULT_BORDER_ORIGIN;
	if (spec.border_origin && strcmp(spec.border_origin, "none") == 0)
		spec.border_origin = NULL;
	if (spec.cutoff_count == 0) {
		static const int32_t cutoffs[] = { 60, 90, 120, 180 };
		for (unsigned i = 0; i < 4; i++)
			spec.cutoffs_min[spec.cutoff_count++] = cutoffs[i];
	}
	uint32_t steps = (uint32_t)((spec.t1 - spec.t0) / spec.step) + 1;
	if (steps > GRENS_REPORT_MAX_STEPS) {
		cli_errorf(CMD, "the window has %u steps, more than %u", steps,
			   GRENS_REPORT_MAX_STEPS);
		code = CLI_EXIT_USAGE;
		goto free_places;
	}

	grens_report *report = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_report_new(&report, title ? title : "grens report", time(NULL), &err)) {
		cli_report_error(CMD, &err);
		goto free_places;
	}
	if (grens_report_set_lang(report, lang, &err)) {
		cli_report_error(CMD, &err);
		grens_report_free(report);
		code = CLI_EXIT_USAGE;
		goto free_places;
	}
	code = report_cli_fill(CMD, &spec, report);
	if (code == CLI_EXIT_OK && grens_report_write_dir(report, out, &err)) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
	}
	if (code == CLI_EXIT_OK)
		fprintf(stderr, "grens report: wrote %s/report.html\n", out);
	if (code == CLI_EXIT_OK && pdf)
		code = print_pdf(chromium, out, pdf);
	grens_report_free(report);
free_places:
	for (uint32_t i = 0; i < default_places; i++)
		free(places_paths[i]);
	return code;
}
