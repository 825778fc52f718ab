/* grens compare: the base network and one or more scenarios on the same
 * queries (origins x destinations, both directions, a few dates, every
 * departure step of a window), with travel-time statistics and the deltas
 * against the base. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "commands.h"
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

static const char *const default_from[] = {"Amsterdam Centraal", "Rotterdam Centraal",
					   "Den Haag Centraal", "Utrecht Centraal",
					   "Eindhoven Centraal", "Schiphol Airport"};
static const char *const default_to[] = {"Aachen Hbf"};
/* The proposals that were on the table, newest first, and the variant NS
 * rejected in 2020 (feeds/scenarios/, grens-scenario(5)). */
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
		"                     [--realised ARCHIVE [--no-data-as-scheduled]]\n\n"
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
	grens_raptor *ws;
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

/* The timetable (linked as every command links it), a RAPTOR workspace and,
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
	grens_error err;
	grens_error_clear(&err);
	if (grens_raptor_new(&net->ws, net->tt, GRENS_ROUTE_MAX_TRANSFERS, &err) != 0) {
		cli_report_error(CMD, &err);
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
	grens_raptor_free(net->ws);
	grens_timetable_free(net->tt);
	grens_scenario_result_free(net->res);
	grens_scenario_free(net->sc);
}

/* ---- rows ------------------------------------------------------------------ */

struct place {
	const char *query;
	char id[256];
	char name[256];
};

struct row {
	unsigned from, to; /* indices into places */
	unsigned date, net;
	grens_route_profile_summary sum;
	int32_t first_dep, last_dep; /* GRENS_ROUTE_UNREACHED when none */
	bool has_delta;
	int32_t delta_median;
	/* The other statistics against the base row (GRENS_ROUTE_UNREACHED or
	 * NAN when either side has none). */
	int32_t delta_min, delta_p90;
	double delta_transfers, delta_share;
	/* Per train (grens_route_profile_train_saving): the travel time of the best journey that
	 * rides a changed train minus that of the base journey from the same
	 * departure; GRENS_ROUTE_UNREACHED when no departure gains. */
	int32_t delta_train, train_dep;
	/* best journey */
	json_t *best; /* object or NULL */
	char best_text[1024];
};

/* The display stop of a resolved stop set: a station if one is in it. */
static uint32_t display_stop(const grens_timetable *tt, const uint32_t *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (tt->stop_location_type[s[i]] == 1)
			return s[i];
	return s[0];
}

static int32_t delta_or_none(int32_t v, int32_t base)
{
	return v == GRENS_ROUTE_UNREACHED || base == GRENS_ROUTE_UNREACHED
		   ? GRENS_ROUTE_UNREACHED
		   : v - base;
}

/* The deltas of r against base (r itself for the base rows: all 0). */
static void set_deltas(struct row *r, const struct row *base)
{
	r->has_delta = r->sum.median != GRENS_ROUTE_UNREACHED &&
		       base->sum.median != GRENS_ROUTE_UNREACHED;
	if (r->has_delta)
		r->delta_median = r->sum.median - base->sum.median;
	r->delta_min = delta_or_none(r->sum.min, base->sum.min);
	r->delta_p90 = delta_or_none(r->sum.p90, base->sum.p90);
	r->delta_transfers = r->sum.mean_transfers - base->sum.mean_transfers; /* NAN stays */
	r->delta_share = r->sum.share_under - base->sum.share_under;
}

static void hhmm(int32_t t, char *buf, size_t n)
{
	if (t == GRENS_ROUTE_UNREACHED || t == GRENS_TIME_NONE) {
		snprintf(buf, n, "-");
		return;
	}
	snprintf(buf, n, "%02d:%02d", t / 3600, (t / 60) % 60);
}

static void duration(int32_t s, char *buf, size_t n)
{
	if (s == GRENS_ROUTE_UNREACHED)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d:%02d", s / 3600, (s / 60) % 60);
}

static void signed_minutes(int32_t delta, char *buf, size_t n)
{
	if (delta == GRENS_ROUTE_UNREACHED)
		snprintf(buf, n, "-");
	else if (delta == 0)
		snprintf(buf, n, "0");
	else
		snprintf(buf, n, "%+d min", (delta + (delta > 0 ? 30 : -30)) / 60);
}

static json_t *iso_or_null(grens_date d, int32_t t)
{
	if (t == GRENS_ROUTE_UNREACHED)
		return json_null();
	char buf[32];
	grens_route_format_time(d, t, buf, sizeof(buf));
	return json_string(buf);
}

/* The journey leaving at `time` with the earliest arrival, as JSON and as a
 * one-line text. */
static int best_journey(struct net *net, const grens_route_query *q0, int32_t time,
			const struct args *a, struct row *r)
{
	grens_route_query q = *q0;
	q.time = time;
	grens_route_options opts = GRENS_ROUTE_OPTIONS_INIT;
	opts.max_transfers = a->max_transfers;
	opts.rt = net->ov;
	grens_route_result res;
	grens_error err;
	grens_error_clear(&err);
	if (grens_raptor_route(net->ws, &q, &opts, &res, &err)) {
		cli_report_error(CMD, &err);
		return -1;
	}
	if (!res.journey_count)
		return 0;
	const grens_timetable *tt = net->tt;
	const grens_route_journey *j = &res.journeys[0];
	/* the JSON in the one journey encoding (grens-json(7), JOURNEYS) */
	char *text = NULL;
	if (grens_report_journey_json(&text, tt, net->ov, q.date, &res, 0, &err)) {
		cli_report_error(CMD, &err);
		return -1;
	}
	r->best = json_loads(text, 0, NULL);
	free(text);
	if (!r->best)
		return -1;
	/* and the one line of the text table */
	size_t used = 0;
	r->best_text[0] = '\0';
	for (uint32_t i = 0; i < j->leg_count; i++) {
		const grens_route_leg *l = &res.legs[j->leg_offset + i];
		char dep[16], arr[16];
		hhmm(l->departure, dep, sizeof(dep));
		hhmm(l->arrival, arr, sizeof(arr));
		int m;
		if (l->mode == GRENS_ROUTE_LEG_TRANSIT) {
			grens_route_leg_info info;
			grens_route_leg_describe(tt, net->ov, l, &info);
			m = snprintf(r->best_text + used, sizeof(r->best_text) - used,
				     "%s%s %s %s - %s %s", used ? ", " : "", dep, info.route,
				     grens_net_str(tt, tt->stop_name[l->from_stop]), arr,
				     grens_net_str(tt, tt->stop_name[l->to_stop]));
		} else {
			m = snprintf(r->best_text + used, sizeof(r->best_text) - used,
				     "%swalk %d min to %s", used ? ", " : "",
				     (l->arrival - l->departure + 59) / 60,
				     grens_net_str(tt, tt->stop_name[l->to_stop]));
		}
		if (m > 0 && (size_t)m < sizeof(r->best_text) - used)
			used += (size_t)m;
	}
	return 0;
}

/* One origin-destination pair on one date in one network. */
static int run_row(struct net *net, const struct place *from, const struct place *to,
		   grens_date date, const struct args *a, grens_route_profile_step *steps,
		   struct row *r)
{
	uint32_t fs[STOP_CAP], ts[STOP_CAP], fn, tn;
	int code = route_cli_stops(CMD, net->tt, "--from", from->query, fs, STOP_CAP, &fn);
	if (code)
		return code;
	code = route_cli_stops(CMD, net->tt, "--to", to->query, ts, STOP_CAP, &tn);
	if (code)
		return code;
	grens_route_query q = {fs, fn, ts, tn, date, a->t0};
	grens_route_options opts = GRENS_ROUTE_OPTIONS_INIT;
	opts.max_transfers = a->max_transfers;
	opts.rt = net->ov;
	grens_error err;
	grens_error_clear(&err);
	uint32_t n = (uint32_t)((a->t1 - a->t0) / a->step + 1);
	if (grens_raptor_profile(net->ws, &q, a->t0, a->t1, a->step, &opts, steps, &err)) {
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	grens_route_profile_summarize(steps, n, a->threshold, &r->sum);
	r->first_dep = r->last_dep = GRENS_ROUTE_UNREACHED;
	int32_t best_step = GRENS_ROUTE_UNREACHED, best_time = INT32_MAX,
		last_step = GRENS_ROUTE_UNREACHED;
	for (uint32_t i = 0; i < n; i++) {
		if (steps[i].arrival == GRENS_ROUTE_UNREACHED)
			continue;
		int32_t tt = steps[i].arrival - steps[i].departure;
		if (tt < best_time) {
			best_time = tt;
			best_step = steps[i].departure;
		}
		last_step = steps[i].departure;
	}
	if (best_step == GRENS_ROUTE_UNREACHED)
		return 0;
	/* First and last departure: the journeys found from the window's
	 * first and last reached step. */
	grens_route_result res;
	q.time = a->t0;
	if (grens_raptor_route(net->ws, &q, &opts, &res, &err)) {
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	if (res.journey_count)
		r->first_dep = res.journeys[0].departure;
	q.time = last_step;
	if (grens_raptor_route(net->ws, &q, &opts, &res, &err)) {
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	if (res.journey_count)
		r->last_dep = res.journeys[0].departure;
	q.time = a->t0;
	return best_journey(net, &q, best_step, a, r) ? CLI_EXIT_FAIL : 0;
}

/* ---- dates ------------------------------------------------------------------ */


/* ---- output ------------------------------------------------------------------- */

/* The network whose realised counts the outputs quote: the base, or with
 * --realised-vs-scheduled the realised one after the schedule. */
static unsigned realised_net(const struct args *a)
{
	return a->rz.vs_scheduled ? 1 : 0;
}

struct report {
	const struct args *a;
	struct net *nets;
	unsigned net_count;
	struct place *places;
	struct row *rows;
	size_t row_count;
	json_t *notes; /* route_cli_check_date notes of every date */
};

static void print_text(FILE *o, const struct report *rp)
{
	const struct args *a = rp->a;
	char w0[16], w1[16];
	hhmm(a->t0, w0, sizeof(w0));
	hhmm(a->t1, w1, sizeof(w1));
	fprintf(o,
		"grens compare: departures every %d s %s-%s; travel time includes waiting at the "
		"origin\n",
		a->step, w0, w1);
	if (a->rt)
		fprintf(o, "grens compare: live times of %s on every network\n", a->rt);
	if (a->rz.archive && a->rz.vs_scheduled)
		fprintf(o, "grens compare: the schedule against the realised times of %s (%u trips "
			   "no data, %s)\n",
			a->rz.archive, rp->nets[1].rcounts.trips_no_data,
			a->rz.no_data_as_scheduled ? "run as scheduled" : "not ridden");
	else if (a->rz.archive)
		fprintf(o, "grens compare: realised times of %s on every network (%u trips no data "
			   "on the base, %s)\n",
			a->rz.archive, rp->nets[0].rcounts.trips_no_data,
			a->rz.no_data_as_scheduled ? "run as scheduled" : "not ridden");
	for (unsigned i = 0; i < rp->net_count; i++) {
		fputs("  ", o);
		cli_table_cell(o, rp->nets[i].name, 24, false, false);
		fprintf(o, " %s%s%s%s\n",
			rp->nets[i].hash[0] ? "sha256 " : "the network as loaded", rp->nets[i].hash,
			rp->nets[i].description[0] ? "\n                           " : "",
			rp->nets[i].description);
	}
	char under[16];
	/* the per-minute median against the per-train saving: grens-compare(1),
	 * READING THE DEFAULT RESULT */
	fputs("  Δmedian: the change of the median over the departure minutes (waiting at the\n"
	      "  origin counts); Δtrain: the best journey riding a changed train against the\n"
	      "  best base journey from the same departure, each timed from its own departure\n",
	      o);
	snprintf(under, sizeof(under), "<=%dh%02d", a->threshold / 3600, (a->threshold / 60) % 60);
	/* "Δ" is two bytes and one column: pad the last heading by width. */
	fprintf(o, "\n%-20s %-20s %-10s %-24s %6s %6s %6s %5s %6s %5s %5s ", "from", "to", "date",
		"scenario", "min", "median", "p90", "chg", under, "first", "last");
	cli_table_cell(o, "Δmedian", 8, false, true);
	fputc(' ', o);
	cli_table_cell(o, "Δtrain", 8, false, true);
	fputc('\n', o);
	for (size_t i = 0; i < rp->row_count; i++) {
		const struct row *r = &rp->rows[i];
		char date[16], mn[16], md[16], p9[16], first[16], last[16], delta[32], chg[16],
		    share[16];
		grens_date_format_iso(a->dates[r->date], date, sizeof(date));
		duration(r->sum.min, mn, sizeof(mn));
		duration(r->sum.median, md, sizeof(md));
		duration(r->sum.p90, p9, sizeof(p9));
		hhmm(r->first_dep, first, sizeof(first));
		hhmm(r->last_dep, last, sizeof(last));
		char train[32];
		signed_minutes(r->has_delta ? r->delta_median : GRENS_ROUTE_UNREACHED, delta,
			       sizeof(delta));
		signed_minutes(r->delta_train, train, sizeof(train));
		if (isnan(r->sum.mean_transfers))
			snprintf(chg, sizeof(chg), "-");
		else
			snprintf(chg, sizeof(chg), "%.2f", r->sum.mean_transfers);
		snprintf(share, sizeof(share), "%.0f%%", 100.0 * r->sum.share_under);
		/* names by display width, cut at a character (not inside "ö") */
		cli_table_cell(o, rp->places[r->from].name, 20, true, false);
		fputc(' ', o);
		cli_table_cell(o, rp->places[r->to].name, 20, true, false);
		fprintf(o, " %-10s ", date);
		cli_table_cell(o, rp->nets[r->net].name, 24, true, false);
		fprintf(o, " %6s %6s %6s %5s %6s %5s %5s %8s %8s\n", mn, md, p9, chg, share, first,
			last, delta, train);
	}
	fprintf(o, "\nbest journeys (the shortest travel time in the window):\n");
	for (size_t i = 0; i < rp->row_count; i++) {
		const struct row *r = &rp->rows[i];
		char date[16];
		grens_date_format_iso(a->dates[r->date], date, sizeof(date));
		fprintf(o, "  %s -> %s %s %s: %s\n", rp->places[r->from].name,
			rp->places[r->to].name, date, rp->nets[r->net].name,
			r->best ? r->best_text : "no journey");
	}
}

static void csv_int(FILE *o, int32_t v)
{
	if (v != GRENS_ROUTE_UNREACHED)
		fprintf(o, "%d", v);
}

static void print_csv(FILE *o, const struct report *rp)
{
	const struct args *a = rp->a;
	fprintf(o, "from_id,from_name,to_id,to_name,date,scenario,scenario_sha256,min_s,median_s,"
		   "p90_s,mean_transfers,share_under_threshold,first_departure,last_departure,"
		   "delta_median_s,best_journey,delta_min_s,delta_p90_s,delta_mean_transfers,"
		   "delta_share_under_threshold,delta_train_s,train_departure\n");
	for (size_t i = 0; i < rp->row_count; i++) {
		const struct row *r = &rp->rows[i];
		const struct place *f = &rp->places[r->from], *t = &rp->places[r->to];
		char date[16], first[32] = "", last[32] = "";
		grens_date_format_iso(a->dates[r->date], date, sizeof(date));
		if (r->first_dep != GRENS_ROUTE_UNREACHED)
			grens_route_format_time(a->dates[r->date], r->first_dep, first,
						sizeof(first));
		if (r->last_dep != GRENS_ROUTE_UNREACHED)
			grens_route_format_time(a->dates[r->date], r->last_dep, last, sizeof(last));
		cli_csv_field(o, f->id);
		fputc(',', o);
		cli_csv_field(o, f->name);
		fputc(',', o);
		cli_csv_field(o, t->id);
		fputc(',', o);
		cli_csv_field(o, t->name);
		fprintf(o, ",%s,", date);
		cli_csv_field(o, rp->nets[r->net].name);
		fprintf(o, ",%s,", rp->nets[r->net].hash);
		csv_int(o, r->sum.min);
		fputc(',', o);
		csv_int(o, r->sum.median);
		fputc(',', o);
		csv_int(o, r->sum.p90);
		fputc(',', o);
		if (!isnan(r->sum.mean_transfers))
			fprintf(o, "%.3f", r->sum.mean_transfers);
		fprintf(o, ",%.4f,%s,%s,", r->sum.share_under, first, last);
		if (r->has_delta)
			fprintf(o, "%d", r->delta_median);
		fputc(',', o);
		cli_csv_field(o, r->best ? r->best_text : "");
		fputc(',', o);
		csv_int(o, r->delta_min);
		fputc(',', o);
		csv_int(o, r->delta_p90);
		fputc(',', o);
		if (!isnan(r->delta_transfers))
			fprintf(o, "%.3f", r->delta_transfers);
		fprintf(o, ",%.4f,", r->delta_share);
		csv_int(o, r->delta_train);
		fputc(',', o);
		if (r->train_dep != GRENS_ROUTE_UNREACHED) {
			char dep[32];
			grens_route_format_time(a->dates[r->date], r->train_dep, dep, sizeof(dep));
			fputs(dep, o);
		}
		fputc('\n', o);
	}
}

static json_t *int_or_null(int32_t v)
{
	return v == GRENS_ROUTE_UNREACHED ? json_null() : json_integer(v);
}

static json_t *report_json(const struct report *rp)
{
	const struct args *a = rp->a;
	json_t *root = json_object(), *dates = json_array(), *names = json_array(),
	       *hashes = json_object(), *rows = json_array();
	for (unsigned i = 0; i < a->date_count; i++) {
		char d[16];
		grens_date_format_iso(a->dates[i], d, sizeof(d));
		json_array_append_new(dates, json_string(d));
	}
	for (unsigned i = 0; i < rp->net_count; i++) {
		json_array_append_new(names, json_string(rp->nets[i].name));
		json_object_set_new(hashes, rp->nets[i].name,
				    rp->nets[i].hash[0] ? json_string(rp->nets[i].hash) : json_null());
	}
	char w0[16], w1[16], window[40];
	hhmm(a->t0, w0, sizeof(w0));
	hhmm(a->t1, w1, sizeof(w1));
	snprintf(window, sizeof(window), "%s-%s", w0, w1);
	json_object_set_new(root, "dates", dates);
	json_object_set_new(root, "window", json_string(window));
	json_object_set_new(root, "step_s", json_integer(a->step));
	json_object_set_new(root, "threshold_s", json_integer(a->threshold));
	json_object_set_new(root, "scenarios", names);
	json_object_set_new(root, "scenario_sha256", hashes);
	json_object_set_new(root, "rt", a->rt ? json_string(a->rt) : json_null());
	if (a->rz.archive) {
		/* the base network's counts; each scenario's differ by its new trips */
		grens_date first = a->dates[0], last = a->dates[0];
		for (unsigned i = 1; i < a->date_count; i++) {
			first = a->dates[i] < first ? a->dates[i] : first;
			last = a->dates[i] > last ? a->dates[i] : last;
		}
		json_t *rz = realised_cli_counts_json(&a->rz, first, last,
						      &rp->nets[realised_net(a)].rcounts);
		json_t *per = json_object();
		for (unsigned i = realised_net(a); i < rp->net_count; i++)
			json_object_set_new(per, rp->nets[i].name,
					    json_integer(rp->nets[i].rcounts.trips_no_data));
		json_object_set_new(rz, "trips_no_data_by_network", per);
		json_object_set_new(root, "realised", rz);
		if (a->rz.vs_scheduled)
			json_object_set_new(root, "comparison", json_string("realised-vs-scheduled"));
	}
	for (size_t i = 0; i < rp->row_count; i++) {
		const struct row *r = &rp->rows[i];
		const struct place *f = &rp->places[r->from], *t = &rp->places[r->to];
		char date[16];
		grens_date_format_iso(a->dates[r->date], date, sizeof(date));
		json_t *o = json_object();
		json_object_set_new(o, "from",
				    json_pack("{s:s, s:s}", "id", f->id, "name", f->name));
		json_object_set_new(o, "to", json_pack("{s:s, s:s}", "id", t->id, "name", t->name));
		json_object_set_new(o, "date", json_string(date));
		json_object_set_new(o, "scenario", json_string(rp->nets[r->net].name));
		json_object_set_new(o, "scenario_sha256",
				    rp->nets[r->net].hash[0] ? json_string(rp->nets[r->net].hash) : json_null());
		json_object_set_new(o, "steps", json_integer(r->sum.steps));
		json_object_set_new(o, "reached", json_integer(r->sum.reached));
		json_object_set_new(o, "min_s", int_or_null(r->sum.min));
		json_object_set_new(o, "median_s", int_or_null(r->sum.median));
		json_object_set_new(o, "p90_s", int_or_null(r->sum.p90));
		json_object_set_new(o, "mean_transfers",
				    isnan(r->sum.mean_transfers)
					? json_null()
					: json_real(round(r->sum.mean_transfers * 1e4) / 1e4));
		json_object_set_new(o, "share_under_threshold",
				    json_real(round(r->sum.share_under * 1e4) / 1e4));
		json_object_set_new(o, "first_departure",
				    iso_or_null(a->dates[r->date], r->first_dep));
		json_object_set_new(o, "last_departure",
				    iso_or_null(a->dates[r->date], r->last_dep));
		json_object_set_new(o, "delta_median_s",
				    r->has_delta ? json_integer(r->delta_median) : json_null());
		json_object_set_new(o, "delta_min_s", int_or_null(r->delta_min));
		json_object_set_new(o, "delta_p90_s", int_or_null(r->delta_p90));
		json_object_set_new(o, "delta_mean_transfers",
				    isnan(r->delta_transfers)
					? json_null()
					: json_real(round(r->delta_transfers * 1e4) / 1e4));
		json_object_set_new(o, "delta_share_under_threshold",
				    json_real(round(r->delta_share * 1e4) / 1e4));
		json_object_set_new(o, "delta_train_s", int_or_null(r->delta_train));
		json_object_set_new(o, "train_departure",
				    iso_or_null(a->dates[r->date], r->train_dep));
		json_object_set_new(o, "best_journey",
				    r->best ? json_incref(r->best) : json_null());
		json_array_append_new(rows, o);
	}
	json_object_set_new(root, "rows", rows);
	json_object_set(root, "notes", rp->notes);
	return root;
}

static int write_json(FILE *o, const struct report *rp)
{
	json_t *root = report_json(rp);
	if (!root)
		return -1;
	int rc = json_dumpf(root, o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fputc('\n', o);
	json_decref(root);
	return rc;
}

static int write_all(const struct report *rp, const char *dir)
{
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		cli_errorf(CMD, "cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	static const char *const names[] = {"compare.txt", "compare.csv", "compare.json"};
	for (int i = 0; i < 3; i++) {
		char path[4096], tmp[4200];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		snprintf(tmp, sizeof(tmp), "%s.tmp", path);
		FILE *o = fopen(tmp, "w");
		if (!o) {
			cli_errorf(CMD, "cannot write %s: %s", tmp, strerror(errno));
			return -1;
		}
		int rc = 0;
		if (i == 0)
			print_text(o, rp);
		else if (i == 1)
			print_csv(o, rp);
		else
			rc = write_json(o, rp);
		if (fclose(o) != 0 || rc != 0 || rename(tmp, path) != 0) {
			cli_errorf(CMD, "cannot write %s", path);
			remove(tmp);
			return -1;
		}
	}
	return 0;
}

/* ---- main --------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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
	struct place places[2 * MAX_PLACES];
	unsigned place_count = 0;
	struct row *rows = NULL;
	size_t row_count = 0;
	grens_route_profile_step *steps = NULL;
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
	static const realised_cli_args no_realised;
	for (unsigned di = 1; di < a.date_count; di++) {
		if (a.dates[di] < lv.first)
			lv.first = a.dates[di];
		if (a.dates[di] > lv.last)
			lv.last = a.dates[di];
	}
	if (a.rz.vs_scheduled) {
		/* base: the schedule; the one alternative: the same network on the
		 * realised times */
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
	/* Places: origins then destinations; ids and names from the base. */
	for (unsigned k = 0; k < a.from_count + a.to_count; k++) {
		struct place *p = &places[place_count++];
		p->query = k < a.from_count ? a.from[k] : a.to[k - a.from_count];
		uint32_t s[STOP_CAP], n;
		code = route_cli_stops(CMD, nets[0].tt, k < a.from_count ? "--from" : "--to",
				       p->query, s, STOP_CAP, &n);
		if (code)
			goto done;
		uint32_t d = display_stop(nets[0].tt, s, n);
		route_cli_stop_id(nets[0].tt, d, p->id, sizeof(p->id));
		snprintf(p->name, sizeof(p->name), "%s",
			 grens_net_str(nets[0].tt, nets[0].tt->stop_name[d]));
	}
	size_t pairs = (size_t)a.from_count * a.to_count * (a.one_way ? 1 : 2);
	rows = calloc(pairs * a.date_count * net_count, sizeof(struct row));
	size_t nsteps = (size_t)((a.t1 - a.t0) / a.step + 1);
	steps = calloc(2 * nsteps, sizeof(*steps)); /* the base's, then a scenario's */
	if (!rows || !steps) {
		cli_errorf(CMD, "out of memory");
		code = CLI_EXIT_FAIL;
		goto done;
	}
	for (unsigned fi = 0; fi < a.from_count; fi++) {
		for (unsigned ti = 0; ti < a.to_count; ti++) {
			for (int back = 0; back < (a.one_way ? 1 : 2); back++) {
				unsigned from = back ? a.from_count + ti : fi;
				unsigned to = back ? fi : a.from_count + ti;
				for (unsigned di = 0; di < a.date_count; di++) {
					struct row *base_row = &rows[row_count];
					for (unsigned ni = 0; ni < net_count; ni++) {
						struct row *r = &rows[row_count++];
						r->from = from;
						r->to = to;
						r->date = di;
						r->net = ni;
						grens_route_profile_step *st =
						    ni ? steps + nsteps : steps;
						code =
						    run_row(&nets[ni], &places[from], &places[to],
							    a.dates[di], &a, st, r);
						if (code)
							goto done;
						set_deltas(r, base_row);
						if (ni) {
							grens_route_profile_train_saving(steps, st, (uint32_t)nsteps,
											 &r->delta_train, &r->train_dep);
						} else {
							r->delta_train = 0;
							r->train_dep = GRENS_ROUTE_UNREACHED;
						}
					}
				}
			}
		}
	}
	t_queried = now_s();
	if (a.timings)
		fprintf(
		    stderr,
		    "grens compare: load %.3f s, apply scenarios and build %u timetables %.3f s, "
		    "%zu profiles of %u departures and best journeys %.3f s\n",
		    t_loaded - t_start, net_count, t_built - t_loaded, row_count,
		    (unsigned)((a.t1 - a.t0) / a.step + 1), t_queried - t_built);
	struct report rp = {&a, nets, net_count, places, rows, row_count, notes};
	if (a.out_dir && write_all(&rp, a.out_dir)) {
		code = CLI_EXIT_FAIL;
		goto done;
	}
	if (a.format == CLI_FORMAT_JSON) {
		if (write_json(stdout, &rp))
			code = CLI_EXIT_FAIL;
	} else if (a.format == CLI_FORMAT_CSV) {
		print_csv(stdout, &rp);
	} else {
		print_text(stdout, &rp);
	}
done:
	json_decref(notes);
	for (size_t i = 0; i < row_count; i++)
		json_decref(rows[i].best);
	free(rows);
	free(steps);
	for (unsigned i = 0; i < net_count; i++)
		net_free(&nets[i]);
	cli_source_free(&src);
	grens_net_links_free(links);
	grens_rt_feed_free(rtf);
	return code;
}
