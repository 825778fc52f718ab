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

/* The journeys in the one encoding of report/ (grens-json(7), JOURNEYS). */
static json_t *journeys_json(const grens_timetable *tt, const grens_route_result *res,
			     grens_date date, const grens_rt_overlay *ov, grens_error *err)
{
	json_t *arr = json_array();
	for (uint32_t j = 0; arr && j < res->journey_count; j++) {
		char *text = NULL;
		json_t *jo = NULL;
		if (!grens_report_journey_json(&text, tt, ov, date, res, j, err))
			jo = cli_json_take(text);
		else
			free(text);
		if (!jo || json_array_append_new(arr, jo)) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

int cmd_route(int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return cli_parse_exit(rc);
	bool use_dijkstra = a.algo == 1;
	grens_date date = a.date;
	int32_t time = a.time;

	route_cli_net net;
	grens_timetable *tt = NULL;
	grens_route_raptor *raptor = NULL;
	grens_route_dijkstra *dijkstra = NULL;
	route_cli_ends ends = { 0 };
	json_t *notes = NULL;
	int code = route_cli_load_net(CMD, &a.feeds, &a.link, a.scenario, a.rt, &net);
	if (code)
		return code;
	tt = net.tt;
	notes = json_array();
	code = route_cli_check_date(CMD, tt, date, notes);
	if (!code)
		code = route_cli_ends_resolve(CMD, tt, a.from, a.to, &ends);
	if (code)
		goto done;

	grens_route_query q = { ends.from, ends.nfrom, ends.to, ends.nto, date, time };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.max_transfers = a.max_transfers;
	o.rt = net.ov;
	grens_route_result res;
	grens_error err;
	grens_error_clear(&err);
	if (use_dijkstra)
		rc = grens_route_dijkstra_new(&dijkstra, tt, &err) ||
		     grens_route_dijkstra_route(dijkstra, &q, &o, &res, &err);
	else
		rc = grens_route_raptor_new(&raptor, tt, a.max_transfers, &err) ||
		     grens_route_raptor_route(raptor, &q, &o, &res, &err);
	if (rc) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
		goto done;
	}

	if (a.format == CLI_FORMAT_JSON) {
		char dbuf[16], tbuf[16];
		grens_date_format_iso(date, dbuf, sizeof(dbuf));
		grens_time_format(time, tbuf, sizeof(tbuf));
		json_t *jf = route_cli_ids_json(tt, ends.from, ends.nfrom);
		json_t *jt = route_cli_ids_json(tt, ends.to, ends.nto);
		json_t *root = json_pack("{s:{s:o, s:o, s:s, s:s, s:s}, s:o}", "query", "from", jf,
					 "to", jt, "date", dbuf, "time", tbuf, "algo",
					 use_dijkstra ? "dijkstra" : "raptor", "journeys",
					 journeys_json(tt, &res, date, net.ov, &err));
		route_cli_query_json_net(root ? json_object_get(root, "query") : NULL, &net, a.rt);
		if (root)
			json_object_set(root, "notes", notes);
		if (cli_write_json(CMD, root))
			code = CLI_EXIT_FAIL;
	} else if (a.format == CLI_FORMAT_CSV ? grens_report_journeys_write_csv(stdout, tt, net.ov,
									       date, &res, &err)
					      : grens_report_journeys_write_text(stdout, tt, net.ov,
										 date, &res, &err)) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
	}
done:
	json_decref(notes);
	route_cli_ends_free(&ends);
	grens_route_raptor_free(raptor);
	grens_route_dijkstra_free(dijkstra);
	route_cli_net_free(&net);
	return code;
}
