/* grens route: journeys between two stops for one departure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/report.h"
#include "commands.h"
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

/* Add the realtime fields of a transit leg to o. */
static void leg_rt_json(json_t *o, const grens_route_leg *l, grens_date date)
{
	char dep[40], arv[40];
	grens_route_format_time(date, l->scheduled_departure, dep, sizeof(dep));
	grens_route_format_time(date, l->scheduled_arrival, arv, sizeof(arv));
	json_object_set_new(o, "realtime", json_boolean(l->realtime));
	json_object_set_new(o, "scheduled_departure", json_string(dep));
	json_object_set_new(o, "scheduled_arrival", json_string(arv));
	json_object_set_new(o, "delay_s", json_integer(l->arrival - l->scheduled_arrival));
}

static json_t *journeys_json(const grens_timetable *tt, const grens_route_result *res,
			     grens_date date, const grens_rt_overlay *ov)
{
	bool rt = ov != NULL;
	json_t *arr = json_array();
	char dep[40], arv[40], id[512];
	for (uint32_t j = 0; j < res->journey_count; j++) {
		const grens_route_journey *jr = &res->journeys[j];
		json_t *legs = json_array();
		for (uint32_t i = 0; i < jr->leg_count; i++) {
			const grens_route_leg *l = &res->legs[jr->leg_offset + i];
			json_t *o;
			if (l->mode == GRENS_ROUTE_LEG_WALK) {
				o = json_pack("{s:s, s:o, s:o, s:i}", "mode", "walk", "from",
					      route_cli_stop_json(tt, l->from_stop), "to",
					      route_cli_stop_json(tt, l->to_stop), "duration_s",
					      (json_int_t)(l->arrival - l->departure));
			} else {
				grens_route_leg_info li;
				grens_route_leg_describe(tt, ov, l, &li);
				snprintf(id, sizeof(id), "%s:%s", li.feed, li.trip_id);
				grens_route_format_time(date, l->departure, dep, sizeof(dep));
				grens_route_format_time(date, l->arrival, arv, sizeof(arv));
				o = json_pack("{s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "mode",
					      "transit", "from", route_cli_stop_json(tt, l->from_stop),
					      "to", route_cli_stop_json(tt, l->to_stop), "departure", dep,
					      "arrival", arv, "route", li.route, "trip_id", id,
					      "headsign", li.headsign, "feed", li.feed);
				/* a block continuation: the same vehicle, no change */
				if (o && l->stay_seated)
					json_object_set_new(o, "stay_seated", json_true());
				if (o && rt)
					leg_rt_json(o, l, date);
			}
			json_array_append_new(legs, o);
		}
		grens_route_format_time(date, jr->departure, dep, sizeof(dep));
		grens_route_format_time(date, jr->arrival, arv, sizeof(arv));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:i, s:i, s:o}", "departure", dep,
						     "arrival", arv, "duration_s",
						     (json_int_t)(jr->arrival - jr->departure),
						     "transfers", (json_int_t)jr->transfers, "legs",
						     legs));
	}
	return arr;
}

static void print_duration(FILE *o, int32_t secs)
{
	fprintf(o, "%d:%02d", secs / 3600, secs / 60 % 60);
	if (secs % 60)
		fprintf(o, ":%02d", secs % 60);
}

/* " (+3)" after a live time: its delay in minutes (m:ss when not whole). */
static void delay_text(int32_t delay, char *buf, size_t bufsz)
{
	int32_t a = delay < 0 ? -delay : delay;
	if (a % 60)
		snprintf(buf, bufsz, " (%c%d:%02d)", delay < 0 ? '-' : '+', a / 60, a % 60);
	else
		snprintf(buf, bufsz, " (%c%d)", delay < 0 ? '-' : '+', a / 60);
}

static void print_text(const grens_timetable *tt, const grens_route_result *res, grens_date date,
		       const grens_rt_overlay *ov)
{
	bool rt = ov != NULL;
	char dep[40], arv[40], from[512], to[512];
	if (res->journey_count == 0) {
		printf("no journey found\n");
		return;
	}
	for (uint32_t j = 0; j < res->journey_count; j++) {
		const grens_route_journey *jr = &res->journeys[j];
		grens_route_format_time(date, jr->departure, dep, sizeof(dep));
		grens_route_format_time(date, jr->arrival, arv, sizeof(arv));
		printf("journey %u: %s -> %s, ", j + 1, dep, arv);
		print_duration(stdout, jr->arrival - jr->departure);
		printf(", %u transfer%s\n", jr->transfers, jr->transfers == 1 ? "" : "s");
		for (uint32_t i = 0; i < jr->leg_count; i++) {
			const grens_route_leg *l = &res->legs[jr->leg_offset + i];
			route_cli_stop_id(tt, l->from_stop, from, sizeof(from));
			route_cli_stop_id(tt, l->to_stop, to, sizeof(to));
			grens_route_format_time(date, l->departure, dep, sizeof(dep));
			grens_route_format_time(date, l->arrival, arv, sizeof(arv));
			if (l->mode == GRENS_ROUTE_LEG_WALK) {
				printf("  walk %d s: %s (%s) -> %s (%s)\n", l->arrival - l->departure,
				       grens_net_str(tt, tt->stop_name[l->from_stop]), from,
				       grens_net_str(tt, tt->stop_name[l->to_stop]), to);
				continue;
			}
			char dd[32] = "", ad[32] = "";
			grens_route_leg_info li;
			grens_route_leg_describe(tt, ov, l, &li);
			if (rt && l->realtime) {
				delay_text(l->departure - l->scheduled_departure, dd, sizeof(dd));
				delay_text(l->arrival - l->scheduled_arrival, ad, sizeof(ad));
			}
			printf("  %s%s %s (%s) -> %s%s %s (%s)  %s to %s, trip %s [%s]%s%s\n", dep + 11,
			       dd, grens_net_str(tt, tt->stop_name[l->from_stop]), from, arv + 11, ad,
			       grens_net_str(tt, tt->stop_name[l->to_stop]), to,
			       li.route, li.headsign, li.trip_id, li.feed,
			       l->stay_seated ? " (stay seated)" : "",
			       rt && l->realtime ? " live" : "");
		}
	}
}

static void print_csv(const grens_timetable *tt, const grens_route_result *res, grens_date date,
		      const grens_rt_overlay *ov)
{
	bool rt = ov != NULL;
	char dep[40], arv[40], id[512];
	printf("journey,leg,mode,from_id,from_name,to_id,to_name,departure,arrival,duration_s,"
	       "route,trip_id,headsign,feed,stay_seated,transfers%s\n",
	       rt ? ",realtime,scheduled_departure,scheduled_arrival,delay_s" : "");
	for (uint32_t j = 0; j < res->journey_count; j++) {
		const grens_route_journey *jr = &res->journeys[j];
		for (uint32_t i = 0; i < jr->leg_count; i++) {
			const grens_route_leg *l = &res->legs[jr->leg_offset + i];
			bool walk = l->mode == GRENS_ROUTE_LEG_WALK;
			printf("%u,%u,%s,", j + 1, i + 1, walk ? "walk" : "transit");
			route_cli_stop_id(tt, l->from_stop, id, sizeof(id));
			(void)grens_report_csv_field(stdout, id);
			putchar(',');
			(void)grens_report_csv_field(stdout, grens_net_str(tt, tt->stop_name[l->from_stop]));
			putchar(',');
			route_cli_stop_id(tt, l->to_stop, id, sizeof(id));
			(void)grens_report_csv_field(stdout, id);
			putchar(',');
			(void)grens_report_csv_field(stdout, grens_net_str(tt, tt->stop_name[l->to_stop]));
			grens_route_format_time(date, l->departure, dep, sizeof(dep));
			grens_route_format_time(date, l->arrival, arv, sizeof(arv));
			printf(",%s,%s,%d,", dep, arv, l->arrival - l->departure);
			if (!walk) {
				grens_route_leg_info li;
				grens_route_leg_describe(tt, ov, l, &li);
				(void)grens_report_csv_field(stdout, li.route);
				putchar(',');
				/* feed:trip_id, as in the JSON */
				snprintf(id, sizeof(id), "%s:%s", li.feed, li.trip_id);
				(void)grens_report_csv_field(stdout, id);
				putchar(',');
				(void)grens_report_csv_field(stdout, li.headsign);
				putchar(',');
				(void)grens_report_csv_field(stdout, li.feed);
			} else {
				printf(",,,");
			}
			printf(",%d,%u", l->stay_seated ? 1 : 0, jr->transfers);
			if (rt && !walk) {
				grens_route_format_time(date, l->scheduled_departure, dep, sizeof(dep));
				grens_route_format_time(date, l->scheduled_arrival, arv, sizeof(arv));
				printf(",%d,%s,%s,%d", l->realtime ? 1 : 0, dep, arv,
				       l->arrival - l->scheduled_arrival);
			} else if (rt) {
				printf(",,,,");
			}
			putchar('\n');
		}
	}
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
	grens_raptor *raptor = NULL;
	grens_dijkstra *dijkstra = NULL;
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
		rc = grens_dijkstra_new(&dijkstra, tt, &err) ||
		     grens_dijkstra_route(dijkstra, &q, &o, &res, &err);
	else
		rc = grens_raptor_new(&raptor, tt, a.max_transfers, &err) ||
		     grens_raptor_route(raptor, &q, &o, &res, &err);
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
					 journeys_json(tt, &res, date, net.ov));
		route_cli_query_json_net(root ? json_object_get(root, "query") : NULL, &net, a.rt);
		if (root)
			json_object_set(root, "notes", notes);
		if (cli_write_json(CMD, root))
			code = CLI_EXIT_FAIL;
	} else if (a.format == CLI_FORMAT_CSV) {
		print_csv(tt, &res, date, net.ov);
	} else {
		print_text(tt, &res, date, net.ov);
	}
done:
	json_decref(notes);
	route_cli_ends_free(&ends);
	grens_raptor_free(raptor);
	grens_dijkstra_free(dijkstra);
	route_cli_net_free(&net);
	return code;
}
