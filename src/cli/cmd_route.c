/* grens route: journeys between two stops for one departure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "grens/report.h"
#include "route_cli.h"

#define CMD "route"

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens route [--feed PATH]... --from STOP --to STOP --date YYYY-MM-DD\n"
		"                   --time HH:MM[:SS] [--algo raptor|dijkstra] [--max-transfers N]\n"
		"                   [--min-transfer S] [--scenario FILE] [--rt FILE]\n"
		"                   [--links FILE|none] [--format text|json|csv]\n\n"
		"Journeys leaving STOP at the time or later: with raptor the Pareto set over\n"
		"arrival and transfers, with dijkstra the earliest arrival. STOP is a stop_id,\n"
		"feed:stop_id, or a name matched without case or accents; a station means\n"
		"all its platforms. Trips of the day before that run past midnight count.\n\n"
		"  --feed [NAME=]PATH   GTFS .zip or directory, ids become NAME:id (repeat; default:\n"
		"                       the embedded feeds)\n"
		"  --from, --to STOP    where the journeys start and end\n"
		"  --date, --time       the departure: YYYY-MM-DD and HH:MM[:SS]\n"
		"  --algo A             raptor (default) or dijkstra\n"
		"  --max-transfers N    at most N transfers (default 8, at most %u)\n"
		"  --min-transfer S     change time at stops transfers.txt gives none (default 120)\n"
		"  --scenario FILE      apply a scenario (grens-scenario(5)) to the feeds first\n"
		"  --rt FILE            route on the live times of a GTFS-realtime file (a URL:\n"
		"                       download it with grens fetch first); legs show the\n"
		"                       scheduled times and the delay\n"
		"  --links FILE|none    stations that are the same across feeds (default:\n"
		"                       links.csv of the feeds directory when it exists)\n"
		"  --format F           text (default), json or csv\n"
		"Exit status: 0 (also when no journey exists), 1 unusable feed or realtime file\n"
		"or a scenario that does not fit the feeds, 2 bad arguments, a malformed scenario\n"
		"file or a URL for --rt.\n",
		GRENS_ROUTE_MAX_TRANSFERS);
}

struct args {
	cli_feed_list feeds;
	cli_link_args link;
	const char *from, *to;
	const char *scenario, *rt;
	grens_date date;
	int32_t time;
	int algo; /* index of algo_names */
	uint32_t max_transfers;
	cli_format format;
};

static const char *const algo_names[] = { "raptor", "dijkstra", NULL };

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	cli_link_args_init(&a->link);
	a->max_transfers = 8;
	a->format = CLI_FORMAT_TEXT;
	const cli_option options[] = {
		CLI_FEED_OPTION(&a->feeds),
		CLI_SNAPSHOT_OPTION(&a->feeds),
		ROUTE_CLI_QUERY_OPTIONS(&a->from, &a->to, &a->date),
		{ .name = "time", .kind = CLI_OPT_TIME, .dst = &a->time, .required = true },
		{ .name = "algo", .kind = CLI_OPT_CHOICE, .dst = &a->algo, .choices = algo_names },
		ROUTE_CLI_TRANSFER_OPTIONS(&a->max_transfers, &a->link),
		ROUTE_CLI_NET_OPTIONS(&a->scenario, &a->rt),
		CLI_LINKS_OPTION(&a->link),
		CLI_FORMAT_OPTION(&a->format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV),
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = CMD, .usage = usage, .options = options };
	return cli_parse(&spec, argc, argv);
}

/* A job's progress line on stderr, as every command prints them. */
static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "grens %s: %s\n", CMD, line);
}

int cmd_route(int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return cli_parse_exit(rc);
	route_cli_net net;
	grens_report_route *doc = NULL;
	int code = route_cli_load_net(CMD, &a.feeds, &a.link, a.scenario, a.rt, &net);
	if (code)
		return code;
	grens_report_route_job job = GRENS_REPORT_ROUTE_JOB_INIT;
	job.tt = net.tt;
	job.rt = net.ov;
	job.rt_name = a.rt;
	job.scenario = net.sc;
	job.from = a.from;
	job.to = a.to;
	job.date = a.date;
	job.time = a.time;
	job.dijkstra = a.algo == 1;
	job.max_transfers = a.max_transfers;
	job.log = (grens_report_log){log_line, NULL};
	grens_error err;
	grens_error_clear(&err);
	rc = grens_report_route_new(&doc, &job, &err);
	if (!rc)
		rc = grens_report_route_write(doc, stdout, route_cli_format(a.format), &err);
	if (rc)
		code = route_cli_job_failed(CMD, rc, &err);
	grens_report_route_free(doc);
	route_cli_net_free(&net);
	return code;
}
