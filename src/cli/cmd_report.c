/* grens report: travel-time profiles, best journeys and a station map for
 * the base network and scenarios, written as JSON, CSV, GeoJSON and a
 * self-contained HTML page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "report_cli.h"
#include "route_cli.h"

#define CMD "report"

/* The embedded default: Randstad origins to Aachen on a Tuesday of the
 * reconstruction's timetable year (feeds/README.md). */
static const char *const default_from[] = { "Amsterdam Centraal", "Rotterdam Centraal",
					    "Den Haag Centraal", "Utrecht Centraal" };
#define DEFAULT_TO "Aachen Hbf"
#define DEFAULT_DATE "2026-03-10"

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens report --out DIR [--feed [NAME=]PATH]... [--scenario FILE]...\n"
		"                    [--pair 'FROM -> TO']... [--map-origin STOP]\n"
		"                    [--date YYYY-MM-DD] [--window HH:MM-HH:MM] [--step S]\n"
		"                    [--threshold MIN] [--title TEXT] [--places FILE]...\n"
		"                    [--cutoffs MIN,...] [--base-feeds NAME,...]\n"
		"                    [--links FILE|none]\n\n"
		"Writes DIR/report.html (one self-contained page with charts), report.json,\n"
		"profiles.csv, profile_steps.csv, opportunities.csv, stations.csv,\n"
		"stations.geojson and journeys.csv (README: 'Reports').\n\n"
		"With no --feed: the embedded default feeds (%s), the pairs\n"
		"Amsterdam/Rotterdam/Den Haag/Utrecht Centraal -> Aachen Hbf on %s,\n"
		"the scenario scenarios/ic-aken.yaml and the places in places/*.csv.\n"
		"  --pair 'FROM -> TO'  a travel-time profile and the fastest journey\n"
		"                       (repeatable; stops by id or name)\n"
		"  --map-origin STOP    origin of the station map (default: the first FROM)\n"
		"  --window             departure window (default 06:00-22:00)\n"
		"  --step S             seconds between departures (default 300)\n"
		"  --threshold MIN      'share under' threshold in minutes (default 180)\n"
		"  --scenario FILE      a what-if compared with the base (repeatable)\n"
		"  --places FILE        places with population (repeatable): reachable\n"
		"                       population for nl-only, linked and each scenario\n"
		"  --cutoffs MIN,...    cutoffs of reachable population (default 60,90,120,180)\n"
		"  --base-feeds NAMES   the feeds of the nl-only side (default nl)\n"
		"  --links FILE|none    stations that are the same across feeds (default:\n"
		"                       links.csv of the feeds directory when it exists)\n"
		"Exit status: 0, 1 unusable feed or unwritable output, 2 bad arguments.\n",
		cli_feeds_dir(), DEFAULT_DATE);
}

static int parse_window(const char *w, int32_t *t0, int32_t *t1)
{
	const char *dash = strchr(w, '-');
	if (!dash || grens_time_parse(w, (size_t)(dash - w), 1, t0) ||
	    grens_time_parse(dash + 1, strlen(dash + 1), 1, t1) || *t1 < *t0) {
		cli_errorf(CMD, "--window needs HH:MM-HH:MM, not '%s'", w);
		return -1;
	}
	return 0;
}

/* "60,90,120" into spec->cutoffs_min. */
static int parse_cutoffs(const char *v, report_cli_spec *spec)
{
	spec->cutoff_count = 0;
	for (const char *p = v;;) {
		size_t len = strcspn(p, ",");
		int64_t n;
		if (spec->cutoff_count == REPORT_CLI_MAX_CUTOFFS ||
		    grens_parse_i64(p, len, 1, 1440, &n)) {
			cli_errorf(CMD, "--cutoffs needs up to %u minutes 1..1440, comma-separated, "
					"not '%s'",
				   REPORT_CLI_MAX_CUTOFFS, v);
			return -1;
		}
		spec->cutoffs_min[spec->cutoff_count++] = (int32_t)n;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* Split "FROM -> TO" in place. */
static int split_pair(char *s, const char **from, const char **to)
{
	char *arrow = strstr(s, "->");
	if (!arrow)
		return -1;
	char *e = arrow;
	while (e > s && e[-1] == ' ')
		e--;
	*e = '\0';
	char *t = arrow + 2;
	while (*t == ' ')
		t++;
	*from = s;
	*to = t;
	return **from && **to ? 0 : -1;
}

int cmd_report(int argc, char **argv)
{
	report_cli_spec spec;
	memset(&spec, 0, sizeof(spec));
	const char *out = NULL, *date_s = NULL, *title = NULL;
	spec.t0 = 6 * 3600;
	spec.t1 = 22 * 3600;
	spec.step = 300;
	spec.threshold = 180 * 60;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			usage(stdout);
			return CLI_EXIT_OK;
		}
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v || strncmp(opt, "--", 2) != 0) {
			cli_errorf(CMD, v ? "unexpected argument '%s'" : "%s needs a value", opt);
			return CLI_EXIT_USAGE;
		}
		i++;
		int64_t n;
		if (strcmp(opt, "--out") == 0) {
			out = v;
		} else if (strcmp(opt, "--feed") == 0) {
			if (cli_feed_list_add(CMD, &spec.feeds, v))
				return CLI_EXIT_USAGE;
		} else if (strcmp(opt, "--scenario") == 0) {
			if (spec.scenario_count == REPORT_CLI_MAX_SCENARIOS) {
				cli_errorf(CMD, "at most %u --scenario", REPORT_CLI_MAX_SCENARIOS);
				return CLI_EXIT_USAGE;
			}
			spec.scenarios[spec.scenario_count++] = v;
		} else if (strcmp(opt, "--pair") == 0) {
			if (spec.pair_count == REPORT_CLI_MAX_PAIRS ||
			    split_pair(argv[i], &spec.from[spec.pair_count],
				       &spec.to[spec.pair_count])) {
				cli_errorf(CMD, "--pair needs 'FROM -> TO' (at most %u), not '%s'",
					   REPORT_CLI_MAX_PAIRS, v);
				return CLI_EXIT_USAGE;
			}
			spec.pair_count++;
		} else if (strcmp(opt, "--places") == 0) {
			if (spec.places_count == REPORT_CLI_MAX_PLACES_FILES) {
				cli_errorf(CMD, "at most %u --places", REPORT_CLI_MAX_PLACES_FILES);
				return CLI_EXIT_USAGE;
			}
			spec.places[spec.places_count++] = v;
		} else if (strcmp(opt, "--cutoffs") == 0) {
			if (parse_cutoffs(v, &spec))
				return CLI_EXIT_USAGE;
		} else if (strcmp(opt, "--base-feeds") == 0) {
			spec.base_feeds = v;
		} else if (strcmp(opt, "--links") == 0) {
			spec.links = v;
		} else if (strcmp(opt, "--map-origin") == 0) {
			spec.map_origin = v;
		} else if (strcmp(opt, "--date") == 0) {
			date_s = v;
		} else if (strcmp(opt, "--title") == 0) {
			title = v;
		} else if (strcmp(opt, "--window") == 0) {
			if (parse_window(v, &spec.t0, &spec.t1))
				return CLI_EXIT_USAGE;
		} else if (strcmp(opt, "--step") == 0) {
			if (route_cli_int(CMD, opt, v, 1, 86400, &n))
				return CLI_EXIT_USAGE;
			spec.step = (int32_t)n;
		} else if (strcmp(opt, "--threshold") == 0) {
			if (route_cli_int(CMD, opt, v, 0, 10000, &n))
				return CLI_EXIT_USAGE;
			spec.threshold = (int32_t)n * 60;
		} else {
			cli_errorf(CMD, "unknown option '%s' (see grens report --help)", opt);
			return CLI_EXIT_USAGE;
		}
	}
	if (!out) {
		cli_errorf(CMD, "--out DIR is required");
		return CLI_EXIT_USAGE;
	}
	bool embedded = spec.feeds.count == 0;
	if (!date_s && !embedded) {
		cli_errorf(CMD, "--date is required with --feed");
		return CLI_EXIT_USAGE;
	}
	if (route_cli_date(CMD, date_s ? date_s : DEFAULT_DATE, &spec.date))
		return CLI_EXIT_USAGE;
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
	char scenario_path[4096], places_path[2][4096];
	if (embedded && spec.scenario_count == 0) {
		snprintf(scenario_path, sizeof(scenario_path), "%s/scenarios/ic-aken.yaml",
			 cli_feeds_dir());
		spec.scenarios[spec.scenario_count++] = scenario_path;
	}
	if (embedded && spec.places_count == 0) {
		static const char *const names[] = { "nl", "nrw" };
		for (unsigned i = 0; i < 2; i++) {
			snprintf(places_path[i], sizeof(places_path[i]), "%s/places/%s.csv",
				 cli_feeds_dir(), names[i]);
			spec.places[spec.places_count++] = places_path[i];
		}
	}
	if (spec.cutoff_count == 0) {
		static const int32_t cutoffs[] = { 60, 90, 120, 180 };
		for (unsigned i = 0; i < 4; i++)
			spec.cutoffs_min[spec.cutoff_count++] = cutoffs[i];
	}
	uint32_t steps = (uint32_t)((spec.t1 - spec.t0) / spec.step) + 1;
	if (steps > GRENS_REPORT_MAX_STEPS) {
		cli_errorf(CMD, "the window has %u steps, more than %u", steps,
			   GRENS_REPORT_MAX_STEPS);
		return CLI_EXIT_USAGE;
	}

	grens_report *report = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_report_new(&report, title ? title : "grens report", time(NULL), &err)) {
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	int code = report_cli_fill(CMD, &spec, report);
	if (code == CLI_EXIT_OK && grens_report_write_dir(report, out, &err)) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
	}
	if (code == CLI_EXIT_OK)
		fprintf(stderr, "grens report: wrote %s/report.html\n", out);
	grens_report_free(report);
	return code;
}
