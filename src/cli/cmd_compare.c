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
#define STOP_CAP 256
#define MAX_NOTES 256 /* route_cli_check_date notes kept: one per feed and date */

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
		"                     [--links FILE|none] [--rt FILE] [--timings]\n"
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
	uint32_t max_transfers;
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

/* ---- one network: the base or a scenario -------------------------------- */

struct net {
	const char *name;
	const char *hash;	 /* "" for the base */
	const char *description; /* "" for the base */
	grens_timetable *tt;
	grens_scenario *sc;
	grens_scenario_result *res;
	grens_rt_overlay *ov; /* live times (--rt), realised times (--realised) or NULL */
	grens_rt_realised_counts rcounts;
};

/* What runs on every network: a realtime feed or realised times. */
struct live {
	const grens_rt_feed *rtf;
	const char *rt_path;
	const realised_cli_args *rz;
	grens_date first, last;
};

/* The timetable (linked as every command links it) and,
 * with a realtime feed, its overlay on this network. */
static int build(const cli_source *src, const grens_gtfs_feed *const *feeds, uint32_t n,
		 const cli_link_args *link, const grens_net_links *links, const struct live *lv,
		 struct net *net)
{
	int rc = src ? cli_source_build(CMD, src, link, links, &net->tt)
		     : cli_net_build(CMD, feeds, n, link, links, &net->tt, NULL);
	if (rc != 0) {
		cli_errorf(CMD, "building the %s network failed", net->name);
		return CLI_EXIT_FAIL;
	}
	char label[512];
	if (lv->rz->archive) {
		snprintf(label, sizeof(label), "%s on %s", lv->rz->archive, net->name);
		return realised_cli_build(CMD, label, lv->rz, net->tt, feeds, n, lv->first, lv->last,
					  &net->ov, &net->rcounts);
	}
	if (!lv->rtf)
		return 0;
	snprintf(label, sizeof(label), "%s on %s", lv->rt_path, net->name);
	return route_cli_rt_apply(CMD, label, net->tt, feeds, n, lv->rtf, &net->ov);
}

static int load_scenario(const char *path, const grens_gtfs_feed *const *feeds, uint32_t n,
			 const cli_link_args *link, const grens_net_links *links,
			 const struct live *lv, struct net *net)
{
	int code = route_cli_scenario_load(CMD, path, &net->sc);
	if (code)
		return code;
	net->name = grens_scenario_name(net->sc);
	net->hash = grens_scenario_hash(net->sc);
	net->description = grens_scenario_description(net->sc);
	if ((code = route_cli_scenario_apply(CMD, net->sc, feeds, n, &net->res)))
		return code;
	uint32_t count;
	const grens_gtfs_feed *const *modified = grens_scenario_result_feeds(net->res, &count);
	return build(NULL, modified, count, link, links, lv, net);
}

static void net_free(struct net *net)
{
	grens_rt_overlay_release(net->ov);
	grens_net_free(net->tt);
	grens_scenario_result_free(net->res);
	grens_scenario_free(net->sc);
}

/* ---- places ------------------------------------------------------------------ */

/* The display stop of a resolved stop set: a station if one is in it. */
static uint32_t display_stop(const grens_timetable *tt, const uint32_t *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (tt->stop_location_type[s[i]] == 1)
			return s[i];
	return s[0];
}

/* Every place (origins, then destinations) resolved on each network, into
 * stops[net][place][0..STOP_CAP); ids and names from the base. */
static int resolve(const struct args *a, const struct net *nets, unsigned net_count,
		   uint32_t *stops, grens_access_od_stops *sets, char (*ids)[256],
		   char (*names)[256], grens_report_place *places)
{
	unsigned place_count = a->from_count + a->to_count;
	for (unsigned ni = 0; ni < net_count; ni++) {
		for (unsigned k = 0; k < place_count; k++) {
			size_t at = (size_t)ni * place_count + k;
			uint32_t *s = stops + at * STOP_CAP, n;
			const char *q = k < a->from_count ? a->from[k] : a->to[k - a->from_count];
			int code = route_cli_stops(CMD, nets[ni].tt,
						   k < a->from_count ? "--from" : "--to", q, s,
						   STOP_CAP, &n);
			if (code)
				return code;
			sets[at] = (grens_access_od_stops){ s, n };
			if (ni)
				continue;
			uint32_t d = display_stop(nets[0].tt, s, n);
			route_cli_stop_id(nets[0].tt, d, ids[k], sizeof(ids[k]));
			snprintf(names[k], sizeof(names[k]), "%s",
				 grens_net_str(nets[0].tt, nets[0].tt->stop_name[d]));
			places[k] = (grens_report_place){ ids[k], names[k], NAN, NAN };
		}
	}
	return 0;
}

/* The pairs: every origin to every destination, and back unless one_way. */
static uint32_t make_pairs(const struct args *a, grens_access_od_pair *pairs)
{
	uint32_t n = 0;
	for (unsigned fi = 0; fi < a->from_count; fi++)
		for (unsigned ti = 0; ti < a->to_count; ti++)
			for (int back = 0; back < (a->one_way ? 1 : 2); back++)
				pairs[n++] = back ? (grens_access_od_pair){ a->from_count + ti, fi }
						  : (grens_access_od_pair){ fi, a->from_count + ti };
	return n;
}

/* route_cli_check_date's notes as the document's. */
static void take_notes(json_t *notes, grens_report_compare_note *out, uint32_t *n)
{
	size_t i;
	json_t *note;
	*n = 0;
	json_array_foreach(notes, i, note) {
		if (*n == MAX_NOTES)
			break;
		out[(*n)++] = (grens_report_compare_note){
			json_string_value(json_object_get(note, "code")),
			json_string_value(json_object_get(note, "date")),
			json_string_value(json_object_get(note, "feed")),
			json_string_value(json_object_get(note, "message")),
		};
	}
}

/* ---- main --------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The document of the run: names, notes and the realised block. */
static int write_out(const struct args *a, const struct net *nets, unsigned net_count,
		     const grens_access_od_result *od, const grens_access_od_pair *pairs,
		     const grens_report_place *places, json_t *notes)
{
	grens_report_compare_network names[MAX_SCENARIOS + 1];
	grens_report_compare_note note[MAX_NOTES];
	uint32_t note_count;
	for (unsigned i = 0; i < net_count; i++)
		names[i] = (grens_report_compare_network){ nets[i].name, nets[i].hash,
							   nets[i].description,
							   nets[i].rcounts.trips_no_data };
	take_notes(notes, note, &note_count);
	char *realised = NULL;
	if (a->rz.archive) {
		grens_date first = a->dates[0], last = a->dates[0];
		for (unsigned i = 1; i < a->date_count; i++) {
			first = a->dates[i] < first ? a->dates[i] : first;
			last = a->dates[i] > last ? a->dates[i] : last;
		}
		/* with --realised-vs-scheduled the realised network is the second */
		json_t *rz = realised_cli_counts_json(&a->rz, first, last,
						      &nets[a->rz.vs_scheduled ? 1 : 0].rcounts);
		realised = rz ? json_dumps(rz, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
		json_decref(rz);
		if (!realised) {
			cli_errorf(CMD, "out of memory");
			return CLI_EXIT_FAIL;
		}
	}
	grens_report_compare doc = {
		.od = od, .pairs = pairs, .places = places, .networks = names,
		.network_count = net_count, .rt = a->rt, .realised_archive = a->rz.archive,
		.no_data_as_scheduled = a->rz.no_data_as_scheduled, .realised_json = realised,
		.realised_vs_scheduled = a->rz.vs_scheduled,
		.notes = note, .note_count = note_count,
	};
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

int cmd_compare(int argc, char **argv)
{
	struct args a;
	int pr = parse(argc, argv, &a);
	if (pr)
		return cli_parse_exit(pr);
	int code = CLI_EXIT_OK;
	cli_source src = {0};
	struct net nets[MAX_SCENARIOS + 1];
	memset(nets, 0, sizeof(nets));
	unsigned net_count = 0;
	grens_report_place places[2 * MAX_PLACES];
	char ids[2 * MAX_PLACES][256], names[2 * MAX_PLACES][256];
	grens_access_od_pair pairs[2 * MAX_PLACES * MAX_PLACES];
	grens_access_od_stops *sets = NULL;
	uint32_t *stops = NULL;
	grens_access_od_result *od = NULL;
	double t_start = now_s(), t_loaded, t_built, t_queried;
	grens_net_links *links = NULL;
	grens_rt_feed *rtf = NULL;
	json_t *notes = json_array();
	if (a.feeds.snapshot && a.default_scenarios) {
		cli_errorf(CMD, "with --snapshot give --scenario none (the base network only): "
				"the default proposals edit the GTFS feeds, which needs --feed");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	if ((code = cli_source_refuse(CMD, &a.feeds, a.scenario_count > 0, "--scenario")) ||
	    (code = cli_source_refuse(CMD, &a.feeds, a.rt != NULL, "--rt")) ||
	    (code = cli_source_load(CMD, &a.feeds, &a.link, &src)))
		goto done;
	if (!src.snapshot && cli_links_load(CMD, &a.link, &links)) {
		code = CLI_EXIT_FAIL;
		goto done;
	}
	const grens_gtfs_feed *const *cfeeds = (const grens_gtfs_feed *const *)src.feeds;
	grens_gtfs_feed *const *feeds = src.feeds;
	if (a.rt) {
		grens_error err;
		grens_error_clear(&err);
		if (grens_rt_decode_file(&rtf, a.rt, &err) != 0) {
			cli_report_error(CMD, &err);
			code = CLI_EXIT_FAIL;
			goto done;
		}
		/* Without --date: the day of the message, in the first feed's zone. */
		grens_rt_feed_summary h;
		grens_rt_feed_summarize(rtf, &h);
		const char *zone = feeds[0]->agency_count ? feeds[0]->agencies[0].timezone : "";
		if (!a.date_count && h.timestamp && zone && zone[0] &&
		    grens_rt_local_date(zone, h.timestamp, &a.dates[0], &err) == 0)
			a.date_count = 1;
		if (!a.date_count) {
			cli_errorf(CMD, "--rt %s: the message has no usable timestamp; give --date",
				   a.rt);
			code = CLI_EXIT_USAGE;
			goto done;
		}
	}
	if (!a.date_count) {
		grens_date wd = cli_source_busiest_date(&src, 1),
			   su = cli_source_busiest_date(&src, 6);
		if (wd != GRENS_DATE_NONE)
			a.dates[a.date_count++] = wd;
		if (su != GRENS_DATE_NONE)
			a.dates[a.date_count++] = su;
		if (!a.date_count) {
			cli_errorf(CMD, "the feeds have no service dates; give --date");
			code = CLI_EXIT_FAIL;
			goto done;
		}
	}
	t_loaded = now_s();
	nets[0].name = "base";
	nets[0].hash = "";
	nets[0].description = "";
	net_count = 1;
	struct live lv = { rtf, a.rt, &a.rz, a.dates[0], a.dates[0] };
	for (unsigned di = 1; di < a.date_count; di++) {
		if (a.dates[di] < lv.first)
			lv.first = a.dates[di];
		if (a.dates[di] > lv.last)
			lv.last = a.dates[di];
	}
	if (a.rz.vs_scheduled) {
		/* base: the schedule; the one alternative: the same network on the
		 * realised times */
		static const realised_cli_args no_realised;
		struct live sched = { NULL, NULL, &no_realised, lv.first, lv.last };
		nets[0].name = "scheduled";
		code = build(&src, cfeeds, src.count, &a.link, links, &sched, &nets[0]);
		if (code)
			goto done;
		nets[1].name = "realised";
		nets[1].hash = "";
		nets[1].description = "the base network on the realised times of the recording";
		net_count = 2;
		code = build(&src, cfeeds, src.count, &a.link, links, &lv, &nets[1]);
	} else {
		code = build(&src, cfeeds, src.count, &a.link, links, &lv, &nets[0]);
	}
	if (code)
		goto done;
	/* every date, so that one run names all the dates that are refused */
	for (unsigned di = 0; di < a.date_count; di++)
		if (route_cli_check_date(CMD, nets[0].tt, a.dates[di], notes))
			code = CLI_EXIT_FAIL;
	if (code)
		goto done;
	for (unsigned i = 0; i < a.scenario_count; i++) {
		code = load_scenario(a.scenarios[i], cfeeds, src.count, &a.link, links, &lv,
				     &nets[net_count++]);
		if (code)
			goto done;
	}
	t_built = now_s();
	unsigned place_count = a.from_count + a.to_count;
	sets = calloc((size_t)net_count * place_count, sizeof(*sets));
	stops = calloc((size_t)net_count * place_count * STOP_CAP, sizeof(*stops));
	if (!sets || !stops) {
		cli_errorf(CMD, "out of memory");
		code = CLI_EXIT_FAIL;
		goto done;
	}
	if ((code = resolve(&a, nets, net_count, stops, sets, ids, names, places)))
		goto done;
	grens_access_od_network on[MAX_SCENARIOS + 1];
	for (unsigned i = 0; i < net_count; i++)
		on[i] = (grens_access_od_network){ nets[i].tt, nets[i].ov,
						   sets + (size_t)i * place_count };
	uint32_t pair_count = make_pairs(&a, pairs);
	grens_access_od_options oo = GRENS_ACCESS_OD_OPTIONS_INIT;
	oo.dates = a.dates;
	oo.date_count = a.date_count;
	oo.window_start = a.t0;
	oo.window_end = a.t1;
	oo.step = a.step;
	oo.threshold = a.threshold;
	oo.max_transfers = a.max_transfers;
	grens_error err;
	grens_error_clear(&err);
	if (grens_access_od_run(&od, on, net_count, place_count, pairs, pair_count, &oo, &err)) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
		goto done;
	}
	t_queried = now_s();
	if (a.timings)
		fprintf(
		    stderr,
		    "grens compare: load %.3f s, apply scenarios and build %u timetables %.3f s, "
		    "%u profiles of %u departures and best journeys %.3f s\n",
		    t_loaded - t_start, net_count, t_built - t_loaded,
		    grens_access_od_result_count(od), (unsigned)((a.t1 - a.t0) / a.step + 1),
		    t_queried - t_built);
	code = write_out(&a, nets, net_count, od, pairs, places, notes);
done:
	json_decref(notes);
	grens_access_od_result_free(od);
	free(sets);
	free(stops);
	for (unsigned i = 0; i < net_count; i++)
		net_free(&nets[i]);
	cli_source_free(&src);
	grens_net_links_free(links);
	grens_rt_feed_free(rtf);
	return code;
}
