/* grens compare: the base network and one or more scenarios on the same
 * queries (origins x destinations, both directions, a few dates, every
 * departure step of a window), with travel-time statistics and the deltas
 * against the base. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "grens/access.h"
#include "grens/report.h"
#include "grens/rt.h"
#include "grens/scenario.h"
#include "realised_cli.h"
#include "route_cli.h"

#define CMD "compare"
#define MAX_PLACES 32
#define MAX_DATES 16
#define MAX_SCENARIOS 16

static const char *const default_from[] = {"Amsterdam Centraal", "Rotterdam Centraal",
					   "Den Haag Centraal", "Utrecht Centraal",
					   "Eindhoven Centraal", "Schiphol Airport"};
static const char *const default_to[] = {"Aachen Hbf"};
/* The proposals that were on the table, newest first, and the variant NS
 * rejected in 2020 (feeds/scenarios/, README "The shipped scenarios"). */
static const char *const default_scenarios[] = {"ic-eindhoven-aken", "ic-eindhoven-aken-randen",
						"ic-denhaag-aken", "ic-aken"};
#define DEFAULT_SCENARIOS (sizeof(default_scenarios) / sizeof(*default_scenarios))

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens compare [--feed PATH]... [--scenario FILE]... [--from STOP]...\n"
		"                     [--to STOP]... [--one-way] [--date YYYY-MM-DD]...\n"
		"                     [--window HH:MM-HH:MM] [--step S] [--threshold MIN]\n"
		"                     [--max-transfers N] [--format text|csv|json] [--out DIR]\n"
		"                     [--links FILE|none] [--rt FILE] [--threads N] [--timings]\n"
		"                     [--realised ARCHIVE [--realised-vs-scheduled]\n"
		"                      [--no-data-as-scheduled]]\n\n"
		"Runs the base network and each scenario on the same queries: every origin to\n"
		"every destination (and back, unless --one-way), on each date, leaving at every\n"
		"step of the window. Per origin, destination, date and scenario: min, median\n"
		"and p90 travel time (waiting at the origin included), mean transfers, the\n"
		"share of departures arriving within the threshold, the first and last\n"
		"departure with a journey, the best journey, and the change of the median\n"
		"against the base, and the saving per train: the best journey that rides a\n"
		"train the scenario changed against the best base journey from the same\n"
		"departure, each timed from its own departure.\n\n"
		"Defaults: the embedded corridor feeds; --scenario, one for each proposal in\n"
		"feeds/scenarios/: ic-eindhoven-aken, ic-eindhoven-aken-randen,\n"
		"ic-denhaag-aken, ic-aken (--scenario none: the base only); --from Amsterdam Centraal, Rotterdam Centraal, Den\n"
		"Haag Centraal, Utrecht Centraal, Eindhoven Centraal, Schiphol Airport; --to\n"
		"Aachen Hbf; dates: the weekday (Tuesday) and the Sunday with the most trips\n"
		"in all feeds; --window 06:00-22:00; --step 60;\n"
		"--threshold 180 (3 h, as profile and report); --max-transfers 8.\n"
		"--links FILE|none: stations that are the same across feeds (default:\n"
		"links.csv of the feeds directory when it exists).\n"
		"--rt FILE runs every network on the live times of a GTFS-realtime file (a URL:\n"
		"download it with grens fetch first); the date defaults to the message's.\n"
		"--realised ARCHIVE runs every network on the realised times of the dates from\n"
		"the snapshots recorded in ARCHIVE (grens-compare(1), REALISED TIMES); trips\n"
		"no snapshot names, such as a scenario's new trains, are no data and not\n"
		"ridden unless --no-data-as-scheduled. --realised-vs-scheduled compares the\n"
		"base network's schedule (the base row, 'scheduled') with its realised times\n"
		"('realised', with the deltas), without scenarios; the share of planned\n"
		"connections that held is grens profile --realised-vs-scheduled's.\n"
		"--out DIR writes compare.txt, compare.csv and compare.json into DIR.\n"
		"--threads N runs that many networks (the base, the scenarios) at once\n"
		"(default: all cores); the result does not depend on N.\n"
		"--timings prints the time spent loading, building and querying to stderr.\n"
		"Exit status: 0, 1 unusable feed or realtime file or a scenario that does not\n"
		"fit the feeds, 2 bad arguments or a malformed scenario file.\n");
}

struct args {
	cli_feed_list feeds;
	cli_link_args link;
	const char *scenarios[MAX_SCENARIOS];
	unsigned scenario_count;
	const char *from[MAX_PLACES], *to[MAX_PLACES];
	unsigned from_count, to_count;
	grens_date dates[MAX_DATES];
	unsigned date_count;
	bool one_way, timings;
	cli_window window;
	int32_t t0, t1, step, threshold;
	uint32_t max_transfers, threads;
	cli_format format;
	const char *out_dir;
	const char *rt; /* --rt FILE: live times on every network */
	realised_cli_args rz; /* --realised ARCHIVE: realised times on every network */
	char default_scenario[DEFAULT_SCENARIOS][4096];
	bool default_scenarios; /* no --scenario given: the proposals */
};

/* --date, repeatable: one more date of the comparison. */
static int add_date(const char *cmd, const char *opt, const char *v, void *dst)
{
	struct args *a = dst;
	if (a->date_count >= MAX_DATES) {
		cli_errorf(cmd, "%s given more than %d times", opt, MAX_DATES);
		return -1;
	}
	if (grens_date_parse_iso(v, strlen(v), &a->dates[a->date_count]) != 0) {
		cli_errorf(cmd, "%s needs YYYY-MM-DD, not '%s'", opt, v);
		return -1;
	}
	a->date_count++;
	return 0;
}

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	cli_link_args_init(&a->link);
	a->window.start = 6 * 3600;
	a->window.end = 22 * 3600;
	a->step = GRENS_ROUTE_DEFAULT_STEP;
	a->threshold = GRENS_ROUTE_DEFAULT_THRESHOLD;
	a->max_transfers = 8;
	a->threads = cli_online_cpus();
	a->format = CLI_FORMAT_TEXT;
	const cli_option options[] = {
		CLI_FEED_OPTION(&a->feeds),
		CLI_SNAPSHOT_OPTION(&a->feeds),
		{ .name = "scenario", .kind = CLI_OPT_LIST, .dst = a->scenarios,
		  .cap = MAX_SCENARIOS, .count = &a->scenario_count },
		{ .name = "from", .kind = CLI_OPT_LIST, .dst = a->from, .cap = MAX_PLACES,
		  .count = &a->from_count },
		{ .name = "to", .kind = CLI_OPT_LIST, .dst = a->to, .cap = MAX_PLACES,
		  .count = &a->to_count },
		{ .name = "one-way", .kind = CLI_OPT_FLAG, .dst = &a->one_way },
		{ .name = "date", .kind = CLI_OPT_CALL, .dst = a, .call = add_date },
		{ .name = "window", .kind = CLI_OPT_WINDOW, .dst = &a->window },
		{ .name = "step", .kind = CLI_OPT_INT32, .dst = &a->step, .min = 1, .max = 86400 },
		{ .name = "threshold", .kind = CLI_OPT_INT32, .dst = &a->threshold, .min = 0,
		  .max = 10000, .scale = 60 },
		{ .name = "max-transfers", .kind = CLI_OPT_UINT32, .dst = &a->max_transfers,
		  .min = 0, .max = GRENS_ROUTE_MAX_TRANSFERS },
		CLI_LINKS_OPTION(&a->link),
		CLI_FORMAT_OPTION(&a->format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV),
		{ .name = "out", .kind = CLI_OPT_STRING, .dst = &a->out_dir },
		{ .name = "timings", .kind = CLI_OPT_FLAG, .dst = &a->timings },
		{ .name = "threads", .kind = CLI_OPT_UINT32, .dst = &a->threads, .min = 1,
		  .max = GRENS_ACCESS_MAX_THREADS },
		{ .name = "rt", .kind = CLI_OPT_STRING, .dst = &a->rt },
		REALISED_CLI_OPTIONS(&a->rz),
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = CMD, .usage = usage, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return rc;
	a->t0 = a->window.start;
	a->t1 = a->window.end;
	if ((a->t1 - a->t0) / a->step + 1 > (int32_t)GRENS_ROUTE_MAX_STEPS) {
		cli_errorf(CMD, "the window has more than %u steps", GRENS_ROUTE_MAX_STEPS);
		return CLI_PARSE_ERROR;
	}
	if (a->rt && a->date_count > 1) {
		cli_errorf(CMD, "--rt describes one day: give at most one --date");
		return CLI_PARSE_ERROR;
	}
	if (route_cli_rt_check_path(CMD, a->rt) || realised_cli_check(CMD, &a->rz, a->rt))
		return CLI_PARSE_ERROR;
	if (a->rz.vs_scheduled) {
		/* the two rows are the base network's: a scenario's new trains are
		 * never in a recording */
		if (a->scenario_count &&
		    !(a->scenario_count == 1 && strcmp(a->scenarios[0], "none") == 0)) {
			cli_errorf(CMD, "--realised-vs-scheduled compares the base network's schedule "
					"with its realised times: it takes no --scenario");
			return CLI_PARSE_ERROR;
		}
		a->scenario_count = 0;
	} else if (a->scenario_count == 1 && strcmp(a->scenarios[0], "none") == 0) {
		/* --scenario none: the base network only */
		a->scenario_count = 0;
	} else if (!a->scenario_count) {
		a->default_scenarios = true;
		for (unsigned i = 0; i < DEFAULT_SCENARIOS; i++) {
			snprintf(a->default_scenario[i], sizeof(a->default_scenario[i]),
				 "%s/scenarios/%s.yaml", cli_feeds_dir(), default_scenarios[i]);
			a->scenarios[a->scenario_count++] = a->default_scenario[i];
		}
	}
	if (!a->from_count) {
		for (unsigned i = 0; i < sizeof(default_from) / sizeof(*default_from); i++)
			a->from[i] = default_from[i];
		a->from_count = sizeof(default_from) / sizeof(*default_from);
	}
	if (!a->to_count) {
		a->to[0] = default_to[0];
		a->to_count = 1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A job's progress line on stderr, as every command prints them. */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "grens %s: %s\n", CMD, line);
}

/* The document of the run, with the realised block, written. */
static int write_out(const struct args *a, const grens_report_compare_run *run)
{
	grens_report_compare doc = grens_report_compare_run_document(run);
	char *realised = NULL;
	const grens_rt_realised_counts *rc = grens_report_compare_run_realised(run);
	if (rc) {
		grens_date first = a->dates[0], last = a->dates[0];
		for (unsigned i = 1; i < a->date_count; i++) {
			first = a->dates[i] < first ? a->dates[i] : first;
			last = a->dates[i] > last ? a->dates[i] : last;
		}
		json_t *rz = realised_cli_counts_json(&a->rz, first, last, rc);
		realised = rz ? json_dumps(rz, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(rz);
		if (!realised) {
			cli_errorf(CMD, "out of memory");
			return CLI_EXIT_FAIL;
		}
		doc.realised_json = realised;
	}
	grens_report_compare_format format = a->format == CLI_FORMAT_JSON  ? GRENS_REPORT_COMPARE_JSON
					     : a->format == CLI_FORMAT_CSV ? GRENS_REPORT_COMPARE_CSV
									   : GRENS_REPORT_COMPARE_TEXT;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_OK;
	if ((a->out_dir && grens_report_compare_write_dir(&doc, a->out_dir, &err)) ||
	    grens_report_compare_write(&doc, format, stdout, &err)) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
	}
	free(realised);
	return code;
}

/* --rt without --date: the day of the message, in the first feed's zone. */
static int rt_date(struct args *a, const cli_source *src, const grens_rt_feed *rtf)
{
	grens_error err;
	grens_error_clear(&err);
	grens_rt_feed_summary h;
	grens_rt_feed_summarize(rtf, &h);
	const grens_gtfs_feed *f = src->feeds[0];
	const char *zone = f && f->agency_count ? f->agencies[0].timezone : "";
	if (!a->date_count && h.timestamp && zone && zone[0] &&
	    grens_rt_local_date(zone, h.timestamp, &a->dates[0], &err) == 0)
		a->date_count = 1;
	if (a->date_count)
		return CLI_EXIT_OK;
	cli_errorf(CMD, "--rt %s: the message has no usable timestamp; give --date", a->rt);
	return CLI_EXIT_USAGE;
}

/* Without --date: the busiest Tuesday and Sunday. */
static int default_dates(struct args *a, const cli_source *src)
{
	grens_date wd = cli_source_busiest_date(src, 1), su = cli_source_busiest_date(src, 6);
	if (wd != GRENS_DATE_NONE)
		a->dates[a->date_count++] = wd;
	if (su != GRENS_DATE_NONE)
		a->dates[a->date_count++] = su;
	if (a->date_count)
		return CLI_EXIT_OK;
	cli_errorf(CMD, "the feeds have no service dates; give --date");
	return CLI_EXIT_FAIL;
}

int cmd_compare(int argc, char **argv)
{
	struct args a;
	int pr = parse(argc, argv, &a);
	if (pr)
		return cli_parse_exit(pr);
	int code = CLI_EXIT_OK;
	cli_source src = {0};
	grens_scenario *scenarios[MAX_SCENARIOS] = {0};
	grens_report_compare_run *run = NULL;
	grens_net_links *links = NULL;
	grens_rt_feed *rtf = NULL;
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	double t_start = now_s();
	if ((code = cli_source_refuse(CMD, &a.feeds, a.rt != NULL, "--rt")) ||
	    (code = cli_source_load(CMD, &a.feeds, &a.link, &src)))
		goto done;
	code = CLI_EXIT_FAIL;
	if (!diag || (!src.snapshot && cli_links_load(CMD, &a.link, &links)))
		goto done;
	if (a.rt && grens_rt_decode_file(&rtf, a.rt, &err) != 0) {
		cli_report_error(CMD, &err);
		goto done;
	}
	if ((rtf && (code = rt_date(&a, &src, rtf))) ||
	    (!a.date_count && (code = default_dates(&a, &src))))
		goto done;
	for (unsigned i = 0; i < a.scenario_count; i++)
		if ((code = route_cli_scenario_load(CMD, a.scenarios[i], &scenarios[i])))
			goto done;
	grens_report_compare_job job = GRENS_REPORT_COMPARE_JOB_INIT;
	cli_source_net(&src, &a.link, links, &job.source);
	job.scenarios = (const grens_scenario *const *)scenarios;
	job.scenario_count = a.scenario_count;
	job.rt = rtf;
	job.rt_name = a.rt;
	job.realised_archive = a.rz.archive;
	job.realised_vs_scheduled = a.rz.vs_scheduled;
	job.no_data_as_scheduled = a.rz.no_data_as_scheduled;
	job.from = a.from;
	job.from_count = a.from_count;
	job.to = a.to;
	job.to_count = a.to_count;
	job.one_way = a.one_way;
	job.dates = a.dates;
	job.date_count = a.date_count;
	job.window_start = a.t0;
	job.window_end = a.t1;
	job.step = a.step;
	job.threshold = a.threshold;
	job.max_transfers = a.max_transfers;
	job.threads = a.threads;
	job.log = (grens_report_log){log_line, NULL};
	double t_loaded = now_s();
	int rc = grens_report_compare_run_new(&run, &job, diag, &err);
	cli_print_notices(diag, 10);
	if (rc) {
		cli_report_error(CMD, &err);
		code = rc == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto done;
	}
	if (a.timings) {
		double build_s, query_s;
		grens_report_compare_run_timings(run, &build_s, &query_s);
		fprintf(stderr,
			"grens compare: load %.3f s, apply scenarios and build %u timetables %.3f "
			"s, %u profiles of %u departures and best journeys %.3f s\n",
			t_loaded - t_start, grens_report_compare_run_document(run).network_count,
			build_s, grens_access_od_result_count(grens_report_compare_run_document(run).od),
			(unsigned)((a.t1 - a.t0) / a.step + 1), query_s);
	}
	code = write_out(&a, run);
done:
	grens_report_compare_run_free(run);
	for (unsigned i = 0; i < MAX_SCENARIOS; i++)
		grens_scenario_free(scenarios[i]);
	grens_diag_free(diag);
	cli_source_free(&src);
	grens_net_links_free(links);
	grens_rt_feed_free(rtf);
	return code;
}
