/* grens profile: travel times for every departure step of a time window
 * (range RAPTOR), with a summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "grens/report.h"
#include "realised_cli.h"
#include "route_cli.h"

#define CMD "profile"

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens profile [--feed PATH]... --from STOP --to STOP --date YYYY-MM-DD\n"
		"                     --window HH:MM-HH:MM [--step S] [--threshold MIN]\n"
		"                     [--max-transfers N] [--min-transfer S]\n"
		"                     [--scenario FILE] [--rt FILE]\n"
		"                     [--realised ARCHIVE [--realised-vs-scheduled [--until D]]\n"
		"                      [--no-data-as-scheduled]]\n"
		"                     [--links FILE|none] [--format text|json|csv]\n\n"
		"For every departure from the window start to its end, every S seconds\n"
		"(default 60), the earliest arrival leaving then or later; travel time is\n"
		"arrival minus that departure (waiting at the origin included). Summary:\n"
		"min, p10, median, p90, max, mean, and the share of departures with a travel\n"
		"time of at most --threshold minutes (default 180, as compare and report).\n"
		"Departures with no journey count as infinitely long. STOP as in grens route.\n\n"
		"  --feed [NAME=]PATH   GTFS .zip or directory (repeat; default: the embedded feeds)\n"
		"  --from, --to STOP    where the journeys start and end\n"
		"  --date, --window     the day and the departure window HH:MM-HH:MM\n"
		"  --step S             seconds between departures (default 60)\n"
		"  --threshold MIN      'share under' threshold in minutes (default 180)\n"
		"  --max-transfers N    at most N transfers (default 8)\n"
		"  --min-transfer S     change time at stops transfers.txt gives none (default 120)\n"
		"  --scenario FILE      apply a scenario (grens-scenario(5)) to the feeds first\n"
		"  --rt FILE            use the live times of a GTFS-realtime file (a URL:\n"
		"                       download it with grens fetch first)\n"
		REALISED_CLI_HELP
		"  --until YYYY-MM-DD   with --realised-vs-scheduled: every day from --date to this\n"
		"                       one, each day and the whole period (at most 62 days)\n"
		"  --links FILE|none    stations that are the same across feeds (default:\n"
		"                       links.csv of the feeds directory when it exists)\n"
		"  --format F           text (default), json or csv\n"
		"Exit status: 0, 1 unusable feed or realtime file or a scenario that does not\n"
		"fit the feeds, 2 bad arguments, a malformed scenario file or a URL for --rt.\n");
}

struct args {
	cli_feed_list feeds;
	cli_link_args link;
	const char *from, *to;
	grens_date date;
	cli_window window;
	int32_t step, threshold_min;
	uint32_t max_transfers;
	const char *scenario, *rt;
	realised_cli_args rz;
	grens_date until; /* 0: --date only */
	cli_format format;
};

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	cli_link_args_init(&a->link);
	a->step = GRENS_ROUTE_DEFAULT_STEP;
	a->threshold_min = GRENS_ROUTE_DEFAULT_THRESHOLD / 60;
	a->max_transfers = 8;
	a->format = CLI_FORMAT_TEXT;
	const cli_option options[] = {
		CLI_FEED_OPTION(&a->feeds),
		CLI_SNAPSHOT_OPTION(&a->feeds),
		ROUTE_CLI_QUERY_OPTIONS(&a->from, &a->to, &a->date),
		{ .name = "window", .kind = CLI_OPT_WINDOW, .dst = &a->window, .required = true },
		{ .name = "step", .kind = CLI_OPT_INT32, .dst = &a->step, .min = 1, .max = 86400 },
		{ .name = "threshold", .kind = CLI_OPT_INT32, .dst = &a->threshold_min, .min = 0,
		  .max = 10000 },
		ROUTE_CLI_TRANSFER_OPTIONS(&a->max_transfers, &a->link),
		ROUTE_CLI_NET_OPTIONS(&a->scenario, &a->rt),
		REALISED_CLI_OPTIONS(&a->rz),
		{ .name = "until", .kind = CLI_OPT_DATE, .dst = &a->until },
		CLI_LINKS_OPTION(&a->link),
		CLI_FORMAT_OPTION(&a->format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV),
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = CMD, .usage = usage, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return rc;
	if (realised_cli_check(CMD, &a->rz, a->rt))
		return CLI_PARSE_ERROR;
	if (a->until && !a->rz.vs_scheduled) {
		cli_errorf(CMD, "--until needs --realised-vs-scheduled");
		return CLI_PARSE_ERROR;
	}
	if (a->until && (a->until < a->date || a->until - a->date >= GRENS_RT_REALISED_MAX_DAYS)) {
		cli_errorf(CMD, "--until must be from --date to %d days later",
			   GRENS_RT_REALISED_MAX_DAYS - 1);
		return CLI_PARSE_ERROR;
	}
	if (!a->until)
		a->until = a->date;
	return 0;
}

/* --realised-vs-scheduled: every day of [date, until] and the period. */
static int vs_scheduled(const struct args *a, const route_cli_net *net, const route_cli_ends *ends,
			const grens_rt_realised_counts *rcounts, json_t *notes)
{
	const grens_timetable *tt = net->tt;
	grens_route_raptor *ws = NULL;
	grens_access_realised *cmp = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	int32_t threshold = a->threshold_min * 60;
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.max_transfers = a->max_transfers;
	if (grens_route_raptor_new(&ws, tt, a->max_transfers, &err) ||
	    grens_access_realised_new(&cmp, &err))
		goto fail;
	for (grens_date d = a->date; d <= a->until; d++) {
		if (d != a->date && route_cli_check_date(CMD, tt, d, notes))
			goto done;
		grens_route_query q = { ends->from, ends->nfrom, ends->to, ends->nto, d, 0 };
		if (grens_access_realised_add_day(cmp, ws, tt, net->ov, &q, a->window.start,
						  a->window.end, a->step, &o, &err))
			goto fail;
	}
	char iso[16];
	if (a->format == CLI_FORMAT_JSON) {
		json_t *days = json_array();
		for (grens_date d = a->date; d <= a->until; d++) {
			json_t *s = realised_cli_summary_json(tt, cmp, false, d, threshold);
			grens_date_format_iso(d, iso, sizeof(iso));
			if (s)
				json_object_set_new(s, "date", json_string(iso));
			json_array_append_new(days, s ? s : json_null());
		}
		char first[16];
		grens_date_format_iso(a->date, first, sizeof(first));
		json_t *root = json_pack(
		    "{s:{s:o, s:o, s:s, s:s, s:i, s:i}, s:o, s:o, s:o}", "query", "from",
		    route_cli_ids_json(tt, ends->from, ends->nfrom), "to",
		    route_cli_ids_json(tt, ends->to, ends->nto), "date", first, "window",
		    a->window.text, "step_s", (json_int_t)a->step, "threshold_min",
		    (json_int_t)a->threshold_min, "realised",
		    realised_cli_counts_json(&a->rz, a->date, a->until, rcounts), "days", days,
		    "period", realised_cli_summary_json(tt, cmp, true, 0, threshold));
		if (root)
			json_object_set(root, "notes", notes);
		code = cli_write_json(CMD, root) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
		goto done;
	}
	if (a->format == CLI_FORMAT_CSV) {
		(void)grens_report_realised_csv_header(stdout, &err);
		for (grens_date d = a->date; d <= a->until; d++) {
			grens_date_format_iso(d, iso, sizeof(iso));
			(void)grens_report_realised_summary_write_csv(stdout, tt, cmp, false, d,
								      threshold, iso, &err);
		}
		(void)grens_report_realised_summary_write_csv(stdout, tt, cmp, true, 0, threshold,
							      "period", &err);
		code = CLI_EXIT_OK;
		goto done;
	}
	for (grens_date d = a->date; d <= a->until; d++) {
		grens_date_format_iso(d, iso, sizeof(iso));
		printf("%s:\n", iso);
		(void)grens_report_realised_summary_write_text(stdout, tt, cmp, false, d, threshold,
							       "  ", &err);
	}
	if (a->until > a->date) {
		printf("period:\n");
		(void)grens_report_realised_summary_write_text(stdout, tt, cmp, true, 0, threshold,
							       "  ", &err);
	}
	code = CLI_EXIT_OK;
	goto done;
fail:
	cli_report_error(CMD, &err);
done:
	grens_access_realised_free(cmp);
	grens_route_raptor_free(ws);
	return code;
}

/* A job's progress line on stderr, as every command prints them. */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "grens %s: %s\n", CMD, line);
}

int cmd_profile(int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return cli_parse_exit(rc);
	grens_date date = a.date;
	uint32_t n = (uint32_t)((a.window.end - a.window.start) / a.step) + 1;
	if (n > GRENS_ROUTE_MAX_STEPS) {
		cli_errorf(CMD, "the window has %u steps, more than %u", n, GRENS_ROUTE_MAX_STEPS);
		return CLI_EXIT_USAGE;
	}
	route_cli_net net;
	grens_report_profile *doc = NULL;
	char *realised = NULL;
	grens_rt_realised_counts rcounts;
	memset(&rcounts, 0, sizeof(rcounts));
	int code = route_cli_load_net_realised(CMD, &a.feeds, &a.link, a.scenario, a.rt, &a.rz,
					       date, a.until, &net, &rcounts);
	if (code)
		return code;
	grens_error err;
	grens_error_clear(&err);
	if (a.rz.vs_scheduled) {
		json_t *notes = json_array();
		route_cli_ends ends = {0};
		code = route_cli_check_date(CMD, net.tt, date, notes);
		if (!code)
			code = route_cli_ends_resolve(CMD, net.tt, a.from, a.to, &ends);
		if (!code)
			code = vs_scheduled(&a, &net, &ends, &rcounts, notes);
		route_cli_ends_free(&ends);
		json_decref(notes);
		route_cli_net_free(&net);
		return code;
	}
	if (a.rz.archive && a.format == CLI_FORMAT_JSON) {
		json_t *rz = realised_cli_counts_json(&a.rz, date, date, &rcounts);
		realised = rz ? json_dumps(rz, JSON_PRESERVE_ORDER) : NULL;
		json_decref(rz);
	}
	grens_report_profile_job job = GRENS_REPORT_PROFILE_JOB_INIT;
	job.tt = net.tt;
	job.rt = net.ov;
	job.rt_name = a.rt;
	job.scenario = net.sc;
	job.from = a.from;
	job.to = a.to;
	job.date = date;
	job.window_start = a.window.start;
	job.window_end = a.window.end;
	job.window_text = a.window.text;
	job.step = a.step;
	job.threshold_min = a.threshold_min;
	job.max_transfers = a.max_transfers;
	job.realised_json = realised;
	job.log = (grens_report_log){log_line, NULL};
	rc = grens_report_profile_new(&doc, &job, &err);
	if (!rc)
		rc = grens_report_profile_write(doc, stdout, route_cli_format(a.format), &err);
	if (rc)
		code = route_cli_job_failed(CMD, rc, &err);
	free(realised);
	grens_report_profile_free(doc);
	route_cli_net_free(&net);
	return code;
}
