/* grens profile: travel times for every departure step of a time window
 * (range RAPTOR), with a summary. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "route_cli.h"

#define CMD "profile"

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens profile [--feed PATH]... --from STOP --to STOP --date YYYY-MM-DD\n"
		"                     --window HH:MM-HH:MM [--step S] [--threshold MIN]\n"
		"                     [--max-transfers N] [--min-transfer S]\n"
		"                     [--format text|json|csv]\n\n"
		"For every departure from the window start to its end, every S seconds\n"
		"(default 60), the earliest arrival leaving then or later; travel time is\n"
		"arrival minus that departure (waiting at the origin included). Summary:\n"
		"min, p10, median, p90, max, mean, and the share of departures with a travel\n"
		"time of at most --threshold minutes (default 60). Departures with no journey\n"
		"count as infinitely long. STOP as in grens route.\n\n"
		"  --feed [NAME=]PATH   GTFS .zip or directory (repeat; default: the embedded feeds)\n"
		"  --max-transfers N    at most N transfers (default 8)\n"
		"  --min-transfer S     change time at stops transfers.txt gives none (default 120)\n"
		"  --format F           text (default), json or csv\n"
		"Exit status: 0, 1 unusable feed, 2 bad arguments.\n");
}

struct args {
	cli_feed_list feeds;
	const char *from, *to, *date_s, *window;
	int32_t step, threshold_min, min_transfer;
	uint32_t max_transfers;
	cli_format format;
};

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->step = 60;
	a->threshold_min = 60;
	a->min_transfer = -1;
	a->max_transfers = 8;
	a->format = CLI_FORMAT_TEXT;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			usage(stdout);
			return 1;
		}
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v || strncmp(opt, "--", 2) != 0) {
			cli_errorf(CMD, v ? "unexpected argument '%s'" : "%s needs a value", opt);
			return -1;
		}
		i++;
		int64_t n;
		if (strcmp(opt, "--feed") == 0) {
			if (cli_feed_list_add(CMD, &a->feeds, v))
				return -1;
		} else if (strcmp(opt, "--from") == 0) {
			a->from = v;
		} else if (strcmp(opt, "--to") == 0) {
			a->to = v;
		} else if (strcmp(opt, "--date") == 0) {
			a->date_s = v;
		} else if (strcmp(opt, "--window") == 0) {
			a->window = v;
		} else if (strcmp(opt, "--step") == 0) {
			if (route_cli_int(CMD, opt, v, 1, 86400, &n))
				return -1;
			a->step = (int32_t)n;
		} else if (strcmp(opt, "--threshold") == 0) {
			if (route_cli_int(CMD, opt, v, 0, 10000, &n))
				return -1;
			a->threshold_min = (int32_t)n;
		} else if (strcmp(opt, "--max-transfers") == 0) {
			if (route_cli_int(CMD, opt, v, 0, GRENS_ROUTE_MAX_TRANSFERS, &n))
				return -1;
			a->max_transfers = (uint32_t)n;
		} else if (strcmp(opt, "--min-transfer") == 0) {
			if (route_cli_int(CMD, opt, v, 0, 86400, &n))
				return -1;
			a->min_transfer = (int32_t)n;
		} else if (strcmp(opt, "--format") == 0) {
			if (cli_parse_format(CMD, v, 1u << CLI_FORMAT_TEXT | 1u << CLI_FORMAT_JSON |
							     1u << CLI_FORMAT_CSV,
					     &a->format))
				return -1;
		} else {
			cli_errorf(CMD, "unknown option '%s' (see grens profile --help)", opt);
			return -1;
		}
	}
	if (!a->from || !a->to || !a->date_s || !a->window) {
		cli_errorf(CMD, "--from, --to, --date and --window are required (see --help)");
		return -1;
	}
	return 0;
}

/* "HH:MM-HH:MM" (seconds allowed) */
static int parse_window(const char *w, int32_t *t0, int32_t *t1)
{
	const char *dash = strchr(w, '-');
	if (!dash || grens_time_parse(w, (size_t)(dash - w), 1, t0) != 0 ||
	    grens_time_parse(dash + 1, strlen(dash + 1), 1, t1) != 0 || *t1 < *t0) {
		cli_errorf(CMD, "--window needs HH:MM-HH:MM with the end not before the start, not '%s'",
			   w);
		return -1;
	}
	return 0;
}

static json_t *seconds_or_null(int32_t v)
{
	return v == GRENS_ROUTE_UNREACHED ? json_null() : json_integer(v);
}

static json_t *real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static void print_secs(int32_t v)
{
	if (v == GRENS_ROUTE_UNREACHED)
		printf("-");
	else
		printf("%d:%02d:%02d", v / 3600, v / 60 % 60, v % 60);
}

int cmd_profile(int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	grens_date date;
	int32_t t0, t1;
	if (route_cli_date(CMD, a.date_s, &date) || parse_window(a.window, &t0, &t1))
		return CLI_EXIT_USAGE;
	uint32_t n = (uint32_t)((t1 - t0) / a.step) + 1;
	if (n > GRENS_ROUTE_MAX_STEPS) {
		cli_errorf(CMD, "the window has %u steps, more than %u", n, GRENS_ROUTE_MAX_STEPS);
		return CLI_EXIT_USAGE;
	}

	grens_timetable *tt = NULL;
	grens_raptor *raptor = NULL;
	uint32_t *from = NULL, *to = NULL, nfrom = 0, nto = 0;
	grens_route_profile_step *steps = NULL;
	int code = route_cli_load(CMD, &a.feeds, a.min_transfer, &tt);
	if (code)
		return code;
	from = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	to = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	steps = calloc(n, sizeof(*steps));
	if (!from || !to || !steps) {
		cli_errorf(CMD, "out of memory");
		code = CLI_EXIT_FAIL;
		goto done;
	}
	code = route_cli_stops(CMD, tt, "--from", a.from, from, GRENS_ROUTE_MAX_ENDPOINTS, &nfrom);
	if (code == CLI_EXIT_OK)
		code = route_cli_stops(CMD, tt, "--to", a.to, to, GRENS_ROUTE_MAX_ENDPOINTS, &nto);
	if (code)
		goto done;
	grens_route_query q = { from, nfrom, to, nto, date, t0 };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.max_transfers = a.max_transfers;
	grens_error err;
	grens_error_clear(&err);
	if (grens_raptor_new(&raptor, tt, a.max_transfers, &err) ||
	    grens_raptor_profile(raptor, &q, t0, t1, a.step, &o, steps, &err)) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
		goto done;
	}
	grens_route_profile_summary sum;
	grens_route_profile_summarize(steps, n, a.threshold_min * 60, &sum);

	char dep[40], arv[40], id[512];
	if (a.format == CLI_FORMAT_JSON) {
		char dbuf[16];
		grens_date_format_iso(date, dbuf, sizeof(dbuf));
		json_t *jf = json_array(), *jt = json_array(), *js = json_array();
		for (uint32_t i = 0; i < nfrom; i++) {
			route_cli_stop_id(tt, from[i], id, sizeof(id));
			json_array_append_new(jf, json_string(id));
		}
		for (uint32_t i = 0; i < nto; i++) {
			route_cli_stop_id(tt, to[i], id, sizeof(id));
			json_array_append_new(jt, json_string(id));
		}
		for (uint32_t i = 0; i < n; i++) {
			bool ok = steps[i].arrival != GRENS_ROUTE_UNREACHED;
			grens_route_format_time(date, steps[i].departure, dep, sizeof(dep));
			grens_route_format_time(date, steps[i].arrival, arv, sizeof(arv));
			json_array_append_new(
				js, json_pack("{s:s, s:o, s:o, s:o}", "departure", dep, "arrival",
					      ok ? json_string(arv) : json_null(), "travel_time_s",
					      ok ? json_integer(steps[i].arrival - steps[i].departure)
						 : json_null(),
					      "transfers",
					      ok ? json_integer(steps[i].transfers) : json_null()));
		}
		json_t *root = json_pack(
			"{s:{s:o, s:o, s:s, s:s, s:i, s:i}, s:{s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, "
			"s:o, s:f}, s:o}",
			"query", "from", jf, "to", jt, "date", dbuf, "window", a.window, "step_s",
			(json_int_t)a.step, "threshold_min", (json_int_t)a.threshold_min, "summary",
			"steps", (json_int_t)sum.steps, "reached", (json_int_t)sum.reached, "min_s",
			seconds_or_null(sum.min), "p10_s", seconds_or_null(sum.p10), "median_s",
			seconds_or_null(sum.median), "p90_s", seconds_or_null(sum.p90), "max_s",
			seconds_or_null(sum.max), "mean_s", real_or_null(sum.mean), "mean_transfers",
			real_or_null(sum.mean_transfers), "share_under_threshold", sum.share_under,
			"steps", js);
		if (!root || json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
			cli_errorf(CMD, "cannot write JSON");
			code = CLI_EXIT_FAIL;
		}
		putchar('\n');
		json_decref(root);
	} else if (a.format == CLI_FORMAT_CSV) {
		printf("departure,arrival,travel_time_s,transfers\n");
		for (uint32_t i = 0; i < n; i++) {
			grens_route_format_time(date, steps[i].departure, dep, sizeof(dep));
			if (steps[i].arrival == GRENS_ROUTE_UNREACHED) {
				printf("%s,,,\n", dep);
				continue;
			}
			grens_route_format_time(date, steps[i].arrival, arv, sizeof(arv));
			printf("%s,%s,%d,%d\n", dep, arv, steps[i].arrival - steps[i].departure,
			       steps[i].transfers);
		}
	} else {
		printf("%u departures, %u with a journey\n", sum.steps, sum.reached);
		printf("travel time: min ");
		print_secs(sum.min);
		printf(", p10 ");
		print_secs(sum.p10);
		printf(", median ");
		print_secs(sum.median);
		printf(", p90 ");
		print_secs(sum.p90);
		printf(", max ");
		print_secs(sum.max);
		printf("\n");
		if (sum.reached)
			printf("mean %.0f s (over departures with a journey), mean transfers %.2f\n",
			       sum.mean, sum.mean_transfers);
		printf("share under %d min: %.1f%%\n", a.threshold_min, 100.0 * sum.share_under);
	}
done:
	free(from);
	free(to);
	free(steps);
	grens_raptor_free(raptor);
	grens_timetable_free(tt);
	return code;
}
