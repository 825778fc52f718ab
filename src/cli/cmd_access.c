/* grens access: reachable opportunities (population within N minutes) over a
 * departure window; the border effect (base feeds alone vs all feeds
 * linked); joining shards with `grens access merge`.
 *
 * The library computes; this file builds one JSON document per run (the
 * stable shape of --format json, grens-json(7), GRENS ACCESS) and renders text, CSV and
 * GeoJSON from that document, so a merged set of shards renders exactly like
 * a run done in one piece. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "commands.h"
#include "grens/access.h"
#include "grens/gtfs.h"
#include "grens/report.h"
#include "grens/scenario.h"
#include "places_cli.h"
#include "route_cli.h"

#define CMD "access"
#define MAX_FROM 1024
#define MAX_PLACES_FILES PLACES_CLI_MAX_FILES
#define MAX_FEEDS 64
#define MAX_SHARD_FILES 4096
/* Largest shard file merge reads. */
#define MAX_SHARD_BYTES (1024u * 1024u * 1024u)

static void usage(FILE *o)
{
	fprintf(
	    o,
	    "usage: grens access [--feed [NAME=]PATH]... [--places FILE]... [--from "
	    "PLACE|STOP]...\n"
	    "                    [--date YYYY-MM-DD] [--window HH:MM-HH:MM] [--step S]\n"
	    "                    [--cutoffs MIN,...] [--percentiles P,...]\n"
	    "                    [--decay step|linear:W|exp:HALF] [--threads N] [--shard I/N]\n"
	    "                    [--border-effect [--home CC] [--rank] [--sensitivity]]\n"
	    "                    [--scenario FILE]\n"
	    "                    [--realised ARCHIVE [--realised-vs-scheduled]\n"
	    "                     [--no-data-as-scheduled]]\n"
	    "                    [--stops]\n"
	    "                    [--access-mode walk,bike,feeder] [--access-distance M]\n"
	    "                    [--access-stops N] [--access-time S] [--walk-speed MPS]\n"
	    "                    [--bike-speed MPS] [--bike-max-km KM] [--bike-park S]\n"
	    "                    [--bike-countries CC,...|all|none] [--feeder-kmh KMH]\n"
	    "                    [--feeder-max-km KM] [--feeder-wait S] [--detour F]\n"
	    "                    [--link-radius M]\n"
	    "                    [--links FILE|none] [--max-transfers N] [--max-duration MIN]\n"
	    "                    [--format text|csv|json|geojson] [--out FILE]\n"
	    "       grens access merge SHARD... [--format text|csv|json|geojson] [--out FILE]\n\n"
	    "For each origin (a place of the places files, or a stop; default: every\n"
	    "place) and each departure from the window start to its end every S seconds\n"
	    "(default 60), the travel time to every stop and place; per destination the\n"
	    "travel times are reduced to percentiles of the window (default 50), and the\n"
	    "opportunities (population, ...) of the places reached within each cutoff\n"
	    "(default 60,90,120 minutes) are summed, weighted by the decay function\n"
	    "(W and HALF in minutes). Places default to feeds/places/*.csv; --date to the\n"
	    "Tuesday on which the most trips run in all feeds (as grens compare).\n"
	    "--border-effect reports three views per origin of the home country (--home,\n"
	    "default NL): national (its opportunities only, on the linked network cut at\n"
	    "its border), closed border (the same cut network, every opportunity still in\n"
	    "reach) and today (the linked network), and the border effect today - national\n"
	    "in its two parts. --rank adds each municipality's rank among all of the home\n"
	    "country's places with a stop, nationally and today (it implies\n"
	    "--border-effect); --sensitivity runs a low and a high assumption set too.\n"
	    "With --border-effect --percentiles defaults to 50,90.\n"
	    "(--base-feeds, the old comparison of feed sets, is refused with a reason.)\n"
	    "First and last mile (grens-access(1)): each place is tied to the stops of\n"
	    "its --access-stops (4) nearest stations; a stop takes the quicker of walking\n"
	    "(--access-distance 1500 m at --walk-speed 1.2 m/s) and, for places in\n"
	    "--bike-countries (NL), cycling (--bike-max-km 5 at --bike-speed 4.5 m/s plus\n"
	    "--bike-park 120 s); a place with neither is tied by a feeder (an ASSUMPTION:\n"
	    "--feeder-wait 600 s, then --feeder-kmh 20 to stations within --feeder-max-km\n"
	    "15). Distances are straight lines times --detour (1.3). --access-mode lists\n"
	    "the modes used (default walk,bike,feeder). Every run reports how many places\n"
	    "and people were tied by each mode or not at all, and the population that\n"
	    "could not be placed.\n"
	    "--scenario FILE runs on the feeds as they are and with the scenario applied\n"
	    "(grens-scenario(5)), and reports the change per origin.\n"
	    "--realised ARCHIVE runs on the realised times of --date from the snapshots\n"
	    "recorded in ARCHIVE (grens-access(1), REALISED TIMES); --realised-vs-scheduled runs\n"
	    "the schedule as the base and the realised times as the alternative and\n"
	    "reports the change per origin, as --scenario does. Trips no snapshot names\n"
	    "are no data and not ridden unless --no-data-as-scheduled.\n"
	    "--shard I/N computes origins I, I+N, I+2N, ... (0 <= I < N); write each\n"
	    "shard as json or csv and join them with grens access merge.\n"
	    "--links FILE|none: stations that are the same across feeds (default:\n"
	    "links.csv of the feeds directory when it exists). --max-duration MIN: the\n"
	    "longest journey searched (default: the largest cutoff).\n"
	    "Exit status: 0, 1 unusable feed or places file, 2 bad arguments.\n");
}

struct args {
	cli_feed_list feeds;
	cli_link_args link_args; /* --links; --link-radius is its radius */
	const char *places[MAX_PLACES_FILES];
	uint32_t place_files;
	const char *from[MAX_FROM];
	uint32_t from_count;
	const char *out, *base_feeds, *scenario, *home_arg;
	char home[3]; /* --home upper-cased; "NL" by default */
	cli_window window;
	grens_access_options opts;
	grens_access_link_options link;
	const char *bike_countries; /* --bike-countries as given */
	double bike_max_km, feeder_kmh, feeder_max_km;
	int64_t max_duration_min; /* -1: the largest cutoff (+ W/2 for linear decay) */
	bool border, stops, rank, sensitivity;
	realised_cli_args rz;
	bool date_given; /* else: the Tuesday with the most trips (cli_busiest_date) */
	bool percentiles_given; /* else 50, or 50,90 for the border views */
	cli_format format;
	json_t *notes; /* feeds without trips on the date (route_cli_check_date) */
};

static int parse_list(const char *cmd, const char *opt, const char *v, int64_t min, int64_t max,
		      int64_t *out, uint32_t cap, uint32_t *n)
{
	*n = 0;
	const char *p = v;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (*n >= cap || grens_parse_i64(p, len, min, max, &out[*n]) != 0) {
			cli_errorf(cmd,
				   "%s needs up to %u numbers from %lld to %lld separated by "
				   "commas, not '%s'",
				   opt, cap, (long long)min, (long long)max, v);
			return -1;
		}
		(*n)++;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* --cutoffs MIN,... (into seconds) and --percentiles P,... */
static int parse_numbers(const char *cmd, const char *opt, const char *v, void *dst)
{
	grens_access_options *o = dst;
	bool cutoffs = strcmp(opt, "--cutoffs") == 0;
	int64_t list[GRENS_ACCESS_MAX_CUTOFFS > GRENS_ACCESS_MAX_PERCENTILES
			     ? GRENS_ACCESS_MAX_CUTOFFS
			     : GRENS_ACCESS_MAX_PERCENTILES];
	uint32_t cnt;
	if (parse_list(cmd, opt, v, cutoffs ? 0 : 1, cutoffs ? 10080 : 100, list,
		       cutoffs ? GRENS_ACCESS_MAX_CUTOFFS : GRENS_ACCESS_MAX_PERCENTILES, &cnt))
		return -1;
	for (uint32_t k = 0; k < cnt; k++) {
		if (cutoffs)
			o->cutoffs[k] = (int32_t)list[k] * 60;
		else
			o->percentiles[k] = (uint8_t)list[k];
	}
	if (cutoffs)
		o->cutoff_count = cnt;
	else
		o->percentile_count = cnt;
	return 0;
}

static int parse_decay(const char *cmd, const char *opt, const char *v, void *dst)
{
	grens_access_options *o = dst;
	int64_t n;
	if (strcmp(v, "step") == 0) {
		o->decay = GRENS_ACCESS_DECAY_STEP;
		o->decay_param = 0;
		return 0;
	}
	const char *colon = strchr(v, ':');
	if (colon && grens_parse_i64(colon + 1, strlen(colon + 1), 1, 1440, &n) == 0) {
		if ((size_t)(colon - v) == 6 && strncmp(v, "linear", 6) == 0) {
			o->decay = GRENS_ACCESS_DECAY_LINEAR;
			o->decay_param = (int32_t)n * 60;
			return 0;
		}
		if ((size_t)(colon - v) == 3 && strncmp(v, "exp", 3) == 0) {
			o->decay = GRENS_ACCESS_DECAY_EXP;
			o->decay_param = (int32_t)n * 60;
			return 0;
		}
	}
	cli_errorf(cmd, "%s needs step, linear:W or exp:HALF (minutes 1..1440), not '%s'", opt, v);
	return -1;
}

static int parse_shard(const char *cmd, const char *opt, const char *v, void *dst)
{
	grens_access_options *o = dst;
	const char *slash = strchr(v, '/');
	int64_t i, n;
	if (!slash || grens_parse_i64(v, (size_t)(slash - v), 0, 1000000, &i) != 0 ||
	    grens_parse_i64(slash + 1, strlen(slash + 1), 1, 1000000, &n) != 0 || i >= n) {
		cli_errorf(cmd, "%s needs I/N with 0 <= I < N, not '%s'", opt, v);
		return -1;
	}
	o->shard_index = (uint32_t)i;
	o->shard_count = (uint32_t)n;
	return 0;
}

/* --access-mode walk,bike,feeder: the modes a place may be tied by. */
static int parse_modes(const char *cmd, const char *opt, const char *v, void *dst)
{
	uint32_t *modes = dst;
	*modes = 0;
	for (const char *p = v;;) {
		size_t len = strcspn(p, ",");
		unsigned m = GRENS_ACCESS_MODE_WALK;
		while (m < GRENS_ACCESS_MODE_COUNT &&
		       !(strlen(grens_access_mode_name((grens_access_mode)m)) == len &&
			 strncmp(p, grens_access_mode_name((grens_access_mode)m), len) == 0))
			m++;
		if (m == GRENS_ACCESS_MODE_COUNT) {
			cli_errorf(cmd, "%s needs modes walk, bike, feeder separated by commas, not "
				   "'%s'", opt, v);
			return -1;
		}
		*modes |= GRENS_ACCESS_MODE_BIT(m);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static uint32_t online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > (long)GRENS_ACCESS_MAX_THREADS ? GRENS_ACCESS_MAX_THREADS : (uint32_t)n;
}

static int parse(int argc, char **argv, struct args *a)
{
	grens_access_options o = GRENS_ACCESS_OPTIONS_INIT;
	grens_access_link_options l = GRENS_ACCESS_LINK_OPTIONS_INIT;
	memset(a, 0, sizeof(*a));
	cli_link_args_init(&a->link_args);
	a->opts = o;
	a->opts.threads = online_cpus();
	a->link = l;
	a->bike_max_km = l.bike_max_distance_m / 1000.0;
	a->feeder_kmh = l.feeder_speed_mps * 3.6;
	a->feeder_max_km = l.feeder_max_distance_m / 1000.0;
	a->link_args.net.radius_m = GRENS_NET_RADIUS_AUTO;
	a->window.start = 7 * 3600;
	a->window.end = 9 * 3600;
	a->max_duration_min = -1;
	a->format = CLI_FORMAT_TEXT;
	const cli_option options[] = {
		CLI_FEED_OPTION(&a->feeds),
		CLI_SNAPSHOT_OPTION(&a->feeds),
		{ .name = "places", .kind = CLI_OPT_LIST, .dst = a->places, .cap = MAX_PLACES_FILES,
		  .count = &a->place_files },
		{ .name = "from", .kind = CLI_OPT_LIST, .dst = a->from, .cap = MAX_FROM,
		  .count = &a->from_count },
		{ .name = "date", .kind = CLI_OPT_DATE, .dst = &a->opts.date, .seen = &a->date_given },
		{ .name = "window", .kind = CLI_OPT_WINDOW, .dst = &a->window },
		{ .name = "step", .kind = CLI_OPT_INT32, .dst = &a->opts.step, .min = 1,
		  .max = 86400 },
		{ .name = "cutoffs", .kind = CLI_OPT_CALL, .dst = &a->opts, .call = parse_numbers },
		{ .name = "percentiles", .kind = CLI_OPT_CALL, .dst = &a->opts,
		  .call = parse_numbers, .seen = &a->percentiles_given },
		{ .name = "decay", .kind = CLI_OPT_CALL, .dst = &a->opts, .call = parse_decay },
		{ .name = "threads", .kind = CLI_OPT_UINT32, .dst = &a->opts.threads, .min = 1,
		  .max = GRENS_ACCESS_MAX_THREADS },
		{ .name = "shard", .kind = CLI_OPT_CALL, .dst = &a->opts, .call = parse_shard },
		{ .name = "border-effect", .kind = CLI_OPT_FLAG, .dst = &a->border },
		{ .name = "base-feeds", .kind = CLI_OPT_STRING, .dst = &a->base_feeds },
		{ .name = "home", .kind = CLI_OPT_STRING, .dst = &a->home_arg },
		{ .name = "rank", .kind = CLI_OPT_FLAG, .dst = &a->rank },
		{ .name = "sensitivity", .kind = CLI_OPT_FLAG, .dst = &a->sensitivity },
		{ .name = "scenario", .kind = CLI_OPT_STRING, .dst = &a->scenario },
		REALISED_CLI_OPTIONS(&a->rz),
		{ .name = "stops", .kind = CLI_OPT_FLAG, .dst = &a->stops },
		{ .name = "access-distance", .kind = CLI_OPT_REAL, .dst = &a->link.max_distance_m,
		  .min = 0.0, .max = 100000.0 },
		{ .name = "access-stops", .kind = CLI_OPT_UINT32, .dst = &a->link.max_stops,
		  .min = 1, .max = GRENS_ACCESS_MAX_LINKS },
		{ .name = "access-time", .kind = CLI_OPT_INT32, .dst = &a->link.access_time,
		  .min = 0, .max = 86400 },
		{ .name = "walk-speed", .kind = CLI_OPT_REAL, .dst = &a->link.walk_speed_mps,
		  .min = 0.1, .max = 10.0 },
		{ .name = "detour", .kind = CLI_OPT_REAL, .dst = &a->link.detour_factor, .min = 1.0,
		  .max = 10.0 },
		{ .name = "access-mode", .kind = CLI_OPT_CALL, .dst = &a->link.modes,
		  .call = parse_modes },
		{ .name = "bike-speed", .kind = CLI_OPT_REAL, .dst = &a->link.bike_speed_mps,
		  .min = 0.5, .max = 15.0 },
		{ .name = "bike-max-km", .kind = CLI_OPT_REAL, .dst = &a->bike_max_km, .min = 0.0,
		  .max = 100.0 },
		{ .name = "bike-park", .kind = CLI_OPT_INT32, .dst = &a->link.bike_park_s, .min = 0,
		  .max = 3600 },
		{ .name = "bike-countries", .kind = CLI_OPT_STRING, .dst = &a->bike_countries },
		{ .name = "feeder-kmh", .kind = CLI_OPT_REAL, .dst = &a->feeder_kmh, .min = 1.0,
		  .max = 200.0 },
		{ .name = "feeder-max-km", .kind = CLI_OPT_REAL, .dst = &a->feeder_max_km,
		  .min = 0.0, .max = 200.0 },
		{ .name = "feeder-wait", .kind = CLI_OPT_INT32, .dst = &a->link.feeder_wait_s,
		  .min = 0, .max = 86400 },
		{ .name = "link-radius", .kind = CLI_OPT_REAL, .dst = &a->link_args.net.radius_m,
		  .min = 0.0, .max = 2000.0 },
		CLI_LINKS_OPTION(&a->link_args),
		{ .name = "max-transfers", .kind = CLI_OPT_UINT32,
		  .dst = &a->opts.route.max_transfers, .min = 0,
		  .max = GRENS_ROUTE_MAX_TRANSFERS - 1 },
		{ .name = "max-duration", .kind = CLI_OPT_INT, .dst = &a->max_duration_min, .min = 0,
		  .max = 10080 },
		CLI_FORMAT_OPTION(&a->format, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV,
				  CLI_FORMAT_GEOJSON),
		{ .name = "out", .kind = CLI_OPT_STRING, .dst = &a->out },
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = CMD, .usage = usage, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return rc;
	if (realised_cli_check(CMD, &a->rz, NULL))
		return CLI_PARSE_ERROR;
	if (a->rz.archive && (a->border || a->scenario)) {
		cli_errorf(CMD, "--realised runs alone: not with --border-effect or --scenario");
		return CLI_PARSE_ERROR;
	}
	a->opts.window_start = a->window.start;
	a->opts.window_end = a->window.end;
	a->link.bike_max_distance_m = a->bike_max_km * 1000.0;
	a->link.feeder_speed_mps = a->feeder_kmh / 3.6;
	a->link.feeder_max_distance_m = a->feeder_max_km * 1000.0;
	if (a->bike_countries) {
		/* "all" and "none" read better than "*" and "" on a command line */
		if (strcmp(a->bike_countries, "all") == 0)
			a->link.bike_countries = "*";
		else if (strcmp(a->bike_countries, "none") == 0)
			a->link.bike_countries = "";
		else
			a->link.bike_countries = a->bike_countries;
	}
	if (a->link.modes == 0) {
		cli_errorf(CMD, "--access-mode needs at least one mode");
		return CLI_PARSE_ERROR;
	}
	if (a->base_feeds) {
		cli_errorf(CMD, "--base-feeds is no longer accepted: --border-effect does not compare "
				"feed sets any more (feeds/nl itself runs to Aachen and Köln) but cuts "
				"the linked network at the border of --home (grens-access(1), BORDER EFFECT)");
		return CLI_PARSE_ERROR;
	}
	a->border = a->border || a->rank;
	if (a->border && !a->percentiles_given) {
		/* a border figure is quoted with its spread over the window */
		a->opts.percentiles[0] = 50;
		a->opts.percentiles[1] = 90;
		a->opts.percentile_count = 2;
	}
	if ((a->home_arg || a->sensitivity) && !a->border) {
		cli_errorf(CMD, "--home and --sensitivity go with --border-effect or --rank");
		return CLI_PARSE_ERROR;
	}
	const char *home = a->home_arg ? a->home_arg : "NL";
	if (strlen(home) != 2) {
		cli_errorf(CMD, "--home needs a country code, NL or DE, not '%s'", home);
		return CLI_PARSE_ERROR;
	}
	for (int i = 0; i < 2; i++)
		a->home[i] = (char)(home[i] >= 'a' && home[i] <= 'z' ? home[i] - 'a' + 'A' : home[i]);
	a->home[2] = '\0';
	if (strcmp(a->home, "NL") != 0 && strcmp(a->home, "DE") != 0) {
		cli_errorf(CMD,
			   "--home %s: the border outline knows NL and DE only (grens-access(1), BORDER "
			   "EFFECT)",
			   home);
		return CLI_PARSE_ERROR;
	}
	if (a->rank && a->opts.shard_count > 1) {
		cli_errorf(CMD, "--rank needs every municipality in one run: no --shard");
		return CLI_PARSE_ERROR;
	}
	if (a->border && a->scenario) {
		cli_errorf(CMD, "--border-effect and --scenario are separate comparisons: use one");
		return CLI_PARSE_ERROR;
	}
	return 0;
}

/* ---- reading files ----------------------------------------------------------------- */

static int load_places(struct args *a, grens_access_places **out)
{
	grens_error err;
	grens_error_clear(&err);
	if (grens_access_places_new(out, &err)) {
		cli_report_error(CMD, &err);
		return -1;
	}
	if (places_cli_read(CMD, a->places, a->place_files, *out))
		return -1;
	if (grens_access_places_count(*out) == 0) {
		cli_errorf(CMD, "the places files hold no usable place");
		return -1;
	}
	return 0;
}

/* ---- feeds and timetables ------------------------------------------------------------ */

/* ---- origins ------------------------------------------------------------------------- */

struct origin_set {
	grens_access_origin *o;
	uint32_t count;
	uint32_t *stops; /* [MAX_FROM * MAX_ENDPOINTS] storage for stop origins */
};

static void origin_set_free(struct origin_set *s)
{
	free(s->o);
	free(s->stops);
	memset(s, 0, sizeof(*s));
}

static int make_origins(const struct args *a, const grens_timetable *tt,
			const grens_access_places *places, struct origin_set *s)
{
	uint32_t np = grens_access_places_count(places);
	uint32_t n = a->from_count ? a->from_count : np;
	s->o = calloc((size_t)n + 1, sizeof(*s->o));
	s->count = n;
	if (!s->o)
		goto nomem;
	if (!a->from_count) {
		for (uint32_t i = 0; i < np; i++)
			s->o[i].place = i;
		return 0;
	}
	s->stops = calloc((size_t)a->from_count * GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	if (!s->stops)
		goto nomem;
	for (uint32_t i = 0; i < a->from_count; i++) {
		uint32_t p = grens_access_places_find(places, a->from[i]);
		if (p != GRENS_NONE) {
			s->o[i].place = p;
			continue;
		}
		uint32_t *st = s->stops + (size_t)i * GRENS_ROUTE_MAX_ENDPOINTS, k = 0;
		int code = route_cli_stops(CMD, tt, "--from", a->from[i], st,
					   GRENS_ROUTE_MAX_ENDPOINTS, &k);
		if (code)
			return code;
		s->o[i].place = GRENS_NONE;
		s->o[i].stops = st;
		s->o[i].stop_count = k;
	}
	return 0;
nomem:
	cli_errorf(CMD, "out of memory");
	return CLI_EXIT_FAIL;
}

/* ---- the JSON document ------------------------------------------------------------------ */

static const char *decay_name(const grens_access_options *o, char *buf, size_t n)
{
	switch (o->decay) {
	case GRENS_ACCESS_DECAY_LINEAR:
		snprintf(buf, n, "linear:%d", o->decay_param / 60);
		return buf;
	case GRENS_ACCESS_DECAY_EXP:
		snprintf(buf, n, "exp:%d", o->decay_param / 60);
		return buf;
	default:
		return "step";
	}
}

/* Everything that must be equal for shards to belong to one run. */
static json_t *make_meta(const struct args *a, const char *const *feed_names, uint32_t nfeeds,
			 const grens_access_places *places, uint32_t origins_total,
			 const char *comparison, const char *base_list, const char *alt_list,
			 const grens_scenario *sc, const grens_access_network *ties,
			 const grens_access_network *base_ties)
{
	const grens_access_options *o = &a->opts;
	char wbuf[64], t0[16], t1[16], dbuf[32];
	grens_time_format(o->window_start, t0, sizeof(t0));
	grens_time_format(o->window_end, t1, sizeof(t1));
	snprintf(wbuf, sizeof(wbuf), "%.5s-%.5s", t0, t1);
	json_t *feeds = json_array(), *cut = json_array(), *pct = json_array(),
	       *kinds = json_array(), *pfiles = json_array(), *from = json_array();
	for (uint32_t i = 0; i < nfeeds; i++)
		json_array_append_new(feeds, json_string(feed_names[i]));
	for (uint32_t i = 0; i < o->cutoff_count; i++)
		json_array_append_new(cut, json_integer(o->cutoffs[i] / 60));
	for (uint32_t i = 0; i < o->percentile_count; i++)
		json_array_append_new(pct, json_integer(o->percentiles[i]));
	for (uint32_t i = 0; i < grens_access_places_kind_count(places); i++)
		json_array_append_new(kinds, json_string(grens_access_places_kind(places, i)));
	for (uint32_t i = 0; i < a->place_files; i++) {
		const char *slash = strrchr(a->places[i], '/');
		json_array_append_new(pfiles, json_string(slash ? slash + 1 : a->places[i]));
	}
	for (uint32_t i = 0; i < a->from_count; i++)
		json_array_append_new(from, json_string(a->from[i]));
	char decay[32];
	json_t *meta = json_pack(
	    "{s:s, s:s, s:o, s:s, s:s, s:i, s:o, s:o, s:s, s:o, s:o, s:i, s:o, s:o, s:i, s:i, s:o}",
	    "command", "grens access", "version", grens_version(), "feeds", feeds, "date",
	    (grens_date_format_iso(o->date, dbuf, sizeof(dbuf)), dbuf), "window", wbuf, "step_s",
	    (json_int_t)o->step, "cutoffs_min", cut, "percentiles", pct, "decay",
	    decay_name(o, decay, sizeof(decay)), "kinds", kinds, "places_files", pfiles, "places",
	    (json_int_t)grens_access_places_count(places), "unplaced",
	    places_cli_unplaced_json(places), "from", from, "origins_total",
	    (json_int_t)origins_total, "max_transfers", (json_int_t)o->route.max_transfers,
	    "access", places_cli_access_json(&a->link));
	/* how the places were tied (on all feeds: the ties every variant reuses) */
	if (meta)
		json_object_set_new(json_object_get(meta, "access"), "ties",
				    places_cli_ties_json(ties));
	if (meta)
		json_object_set_new(meta, "max_duration_min",
				    json_integer((o->max_duration + 59) / 60));
	if (meta && comparison)
		json_object_set_new(meta, "comparison",
				    json_pack("{s:s, s:s, s:s, s:o}", "kind", comparison, "base",
					      base_list, "alternative", alt_list, "base_ties",
					      places_cli_ties_json(base_ties)));
	if (meta && sc)
		json_object_set_new(meta, "scenario",
				    json_pack("{s:s, s:s}", "name", grens_scenario_name(sc),
					      "sha256", grens_scenario_hash(sc)));
	if (meta)
		json_object_set(meta, "notes", a->notes);
	/* last, so that merge (which drops and sets it again) keeps the order */
	if (meta)
		json_object_set_new(meta, "shard",
				    json_pack("{s:i, s:i}", "index", (json_int_t)o->shard_index,
					      "count", (json_int_t)o->shard_count));
	return meta;
}

/* Hand meta to the library as a document without origins: exact reals, so
 * the document renders the numbers meta holds. NULL after a message. */
static grens_report_access *new_doc(json_t *meta)
{
	grens_report_access *doc = NULL;
	grens_error err;
	grens_error_clear(&err);
	char *text = meta ? json_dumps(meta, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) : NULL;
	json_decref(meta);
	if (!text) {
		cli_errorf(CMD, "cannot build the output");
		return NULL;
	}
	if (grens_report_access_new(&doc, text, strlen(text), &err))
		cli_report_error(CMD, &err);
	free(text);
	return doc;
}

/* Render doc to --out (atomically; a CSV with its metadata file beside it)
 * or stdout. */
static int emit(const grens_report_access *doc, cli_format format, const char *out)
{
	static const grens_report_access_format formats[] = {
		[CLI_FORMAT_TEXT] = GRENS_REPORT_ACCESS_TEXT,
		[CLI_FORMAT_JSON] = GRENS_REPORT_ACCESS_JSON,
		[CLI_FORMAT_CSV] = GRENS_REPORT_ACCESS_CSV,
		[CLI_FORMAT_GEOJSON] = GRENS_REPORT_ACCESS_GEOJSON,
	};
	grens_error err;
	grens_error_clear(&err);
	int rc = out ? grens_report_access_save(doc, formats[format], out, &err)
		     : grens_report_access_write(doc, formats[format], stdout, &err);
	if (!out)
		fflush(stdout);
	if (rc)
		cli_report_error(CMD, &err);
	return rc ? -1 : 0;
}

/* ---- merge ----------------------------------------------------------------------------------- */

static int usage_merge_error(const char *what)
{
	cli_errorf(CMD, "merge: %s", what);
	return CLI_EXIT_USAGE;
}

static int cmd_merge(int argc, char **argv)
{
	const char *paths[MAX_SHARD_FILES], *out = NULL;
	uint32_t n = 0;
	cli_format format = CLI_FORMAT_JSON;
	bool format_given = false;
	const cli_option options[] = {
		{ .name = "format", .kind = CLI_OPT_FORMAT, .dst = &format,
		  .mask = CLI_FORMATS(CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV,
				      CLI_FORMAT_GEOJSON),
		  .seen = &format_given },
		{ .name = "out", .kind = CLI_OPT_STRING, .dst = &out },
		{ .name = NULL },
	};
	/* argv[1] is "merge" */
	const cli_spec spec = { .cmd = "access merge", .usage = usage, .options = options,
				.args = paths, .max_args = MAX_SHARD_FILES, .arg_count = &n };
	int rc = cli_parse(&spec, argc - 1, argv + 1);
	if (rc)
		return cli_parse_exit(rc);
	if (n == 0)
		return usage_merge_error("no shard files given");

	int code = CLI_EXIT_FAIL;
	grens_report_access_shard *shards = calloc(n, sizeof(*shards));
	char (*mpaths)[GRENS_REPORT_PATH_BYTES] = calloc(n, sizeof(*mpaths));
	grens_report_access *merged = NULL;
	grens_error err;
	grens_error_clear(&err);
	bool csv = false;
	if (!shards || !mpaths) {
		cli_errorf(CMD, "out of memory");
		goto done;
	}
	for (uint32_t i = 0; i < n; i++) {
		grens_report_access_shard *s = &shards[i];
		s->path = paths[i];
		char *text = cli_read_file(CMD, "shard", paths[i], MAX_SHARD_BYTES, &s->len);
		if (!(s->text = text))
			goto done;
		/* The rows are read as C strings: a NUL would drop the rest unseen. */
		const char *nul = memchr(text, '\0', s->len);
		if (nul) {
			unsigned line = 1;
			for (const char *c = text; c < nul; c++)
				line += *c == '\n';
			cli_errorf(CMD, "merge: '%s' line %u: NUL byte", paths[i], line);
			goto done;
		}
		/* JSON shards are one object; CSV shards carry their metadata
		 * in PATH.meta.json (the file --out X.csv writes beside X.csv). */
		bool is_csv = text[strspn(text, " \t\r\n")] != '{';
		if (i > 0 && is_csv != csv) {
			cli_errorf(CMD, "merge: '%s' mixes CSV and JSON shards", paths[i]);
			goto done;
		}
		csv = is_csv;
		if (!csv)
			continue;
		if (grens_report_access_meta_path(mpaths[i], sizeof(mpaths[i]), paths[i], &err)) {
			cli_errorf(CMD, "merge: '%s': path too long", paths[i]);
			goto done;
		}
		s->meta_path = mpaths[i];
		if (!(s->meta_text = cli_read_file(CMD, "shard metadata", mpaths[i],
						   MAX_SHARD_BYTES, &s->meta_len)))
			goto done;
	}
	if (csv && format_given && format != CLI_FORMAT_CSV) {
		cli_errorf(CMD, "merge: CSV shards merge into CSV only");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	if (grens_report_access_merge(&merged, shards, n, &err)) {
		cli_report_error(CMD, &err);
		goto done;
	}
	code = emit(merged, csv ? CLI_FORMAT_CSV : format, out) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	for (uint32_t i = 0; shards && i < n; i++) {
		free((char *)shards[i].text);
		free((char *)shards[i].meta_text);
	}
	free(shards);
	free(mpaths);
	grens_report_access_free(merged);
	return code;
}


/* ---- the border ------------------------------------------------------------------------------ */

#define BORDER_SETS PLACES_CLI_SETS

static const char *const set_names[BORDER_SETS] = {"central", "low", "high"};
static const char *const view_keys[3] = {"national", "closed_border", "today"};

static json_t *assumption_json(const places_cli_assumption *s, const grens_access_link_options *l)
{
	return json_pack("{s:f, s:i, s:f, s:f, s:i, s:f, s:i, s:i}", "access_distance_m",
			 s->access_distance_m, "access_stops", (json_int_t)l->max_stops,
			 "walk_speed_mps", s->walk_speed_mps, "detour_factor", l->detour_factor,
			 "access_time_s", (json_int_t)l->access_time, "footpath_walk_speed_mps",
			 s->footpath_walk_speed_mps, "min_change_s", (json_int_t)s->min_change,
			 "link_min_change_s", (json_int_t)s->link_min_change);
}

struct border_side {
	grens_timetable *tt;
	grens_access_network *net;
	grens_access_border *b;
};

static void border_side_free(struct border_side *s)
{
	grens_access_border_free(s->b);
	grens_access_network_free(s->net);
	grens_net_free(s->tt);
	memset(s, 0, sizeof(*s));
}

static bool place_at_home(const struct args *a, const grens_access_places *places, uint32_t q)
{
	return strcmp(grens_access_places_get(places, q)->country, a->home) == 0;
}

/* The origins of a border run: first those shown (--from, else every place
 * of the home country, or with --rank those with a stop), then for --rank
 * the other places of the home country with a stop. among[i] marks the
 * ranked ones (each place once). 0 or an exit code after a message. */
static int border_origins(const struct args *a, const grens_timetable *tt,
			  const grens_access_network *net, const grens_access_places *places,
			  struct origin_set *s, uint32_t *shown, uint8_t **among, uint32_t *ranked)
{
	uint32_t np = grens_access_places_count(places);
	int code = 0;
	uint8_t *seen = calloc((size_t)np + 1, 1);
	grens_access_origin *all = NULL;
	if (!seen)
		goto nomem;
	if (a->from_count) {
		if ((code = make_origins(a, tt, places, s)))
			goto done;
		for (uint32_t i = 0; i < s->count; i++) {
			const grens_access_origin *o = &s->o[i];
			const char *c = o->place != GRENS_NONE
					    ? grens_access_places_get(places, o->place)->country
					    : grens_geo_country(tt->stop_lat[o->stops[0]],
								tt->stop_lon[o->stops[0]]);
			if (strcmp(c, a->home) != 0) {
				cli_errorf(CMD,
					   "--border-effect measures origins in %s (--home); '%s' "
					   "is in %s",
					   a->home, a->from[i], *c ? c : "another country");
				code = CLI_EXIT_USAGE;
				goto done;
			}
		}
	} else {
		s->o = calloc((size_t)np + 1, sizeof(*s->o));
		if (!s->o)
			goto nomem;
		s->count = 0;
		for (uint32_t q = 0; q < np; q++) {
			const grens_access_link *l;
			if (place_at_home(a, places, q) &&
			    (!a->rank || grens_access_network_links(net, q, &l) > 0))
				s->o[s->count++].place = q;
		}
		if (s->count == 0) {
			cli_errorf(CMD, "no place of the places files is in %s (--home)", a->home);
			code = CLI_EXIT_USAGE;
			goto done;
		}
	}
	*shown = s->count;
	all = calloc((size_t)s->count + np + 1, sizeof(*all));
	*among = calloc((size_t)s->count + np + 1, 1);
	if (!all || !*among)
		goto nomem;
	memcpy(all, s->o, (size_t)s->count * sizeof(*all));
	uint32_t n = s->count;
	*ranked = 0;
	for (uint32_t pass = 0; a->rank && pass < 2; pass++) {
		/* the shown origins first, then the others of the home country */
		for (uint32_t i = 0; i < (pass == 0 ? s->count : np); i++) {
			uint32_t q = pass == 0 ? all[i].place : i;
			const grens_access_link *l;
			if (q == GRENS_NONE || seen[q] || !place_at_home(a, places, q) ||
			    grens_access_network_links(net, q, &l) == 0)
				continue;
			seen[q] = 1;
			if (pass == 1)
				all[n++] = (grens_access_origin){.place = q};
			(*among)[pass == 0 ? i : n - 1] = 1;
			(*ranked)++;
		}
	}
	free(s->o);
	s->o = all;
	s->count = n;
	all = NULL;
	goto done;
nomem:
	cli_errorf(CMD, "out of memory");
	code = CLI_EXIT_FAIL;
done:
	free(all);
	free(seen);
	return code;
}

/* Build, tie and run one assumption set. */
static int border_side_run(struct args *a, struct border_side *side, const places_cli_assumption *set,
			   const cli_source *src, const grens_access_places *places, const grens_net_links *links,
			   struct origin_set *origins, uint32_t *shown, uint8_t **among,
			   uint32_t *ranked)
{
	grens_error err;
	grens_error_clear(&err);
	cli_link_args la = a->link_args;
	la.net.min_change = set->min_change;
	la.net.link_min_change = set->link_min_change;
	la.net.walk_speed_mps = set->footpath_walk_speed_mps;
	if (cli_source_build(CMD, src, &la, links, &side->tt))
		return CLI_EXIT_FAIL;
	if (!a->notes) {
		a->notes = json_array();
		if (route_cli_check_date(CMD, side->tt, a->opts.date, a->notes))
			return CLI_EXIT_FAIL;
	}
	grens_access_link_options lo = a->link;
	lo.max_distance_m = set->access_distance_m;
	lo.walk_speed_mps = set->walk_speed_mps;
	grens_diag *diag = grens_diag_new();
	if (!diag || grens_access_network_new(&side->net, side->tt, places, &lo, diag, &err)) {
		grens_diag_free(diag);
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	grens_diag_free(diag);
	if (!origins->o) {
		int code = border_origins(a, side->tt, side->net, places, origins, shown, among,
					  ranked);
		if (code)
			return code;
	}
	cli_progress_init(&a->opts.progress);
	if (grens_access_border_run(&side->b, side->net, a->home, origins->o, origins->count,
				    &a->opts, &err)) {
		cli_report_error(CMD, &err);
		return err.code == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}


/* The border run: every assumption set, then one document. */
static int border_command(struct args *a, const cli_source *src, const char *const *names, const grens_access_places *places,
			  const grens_net_links *links, grens_report_access **doc)
{
	places_cli_assumption set[BORDER_SETS];
	struct border_side sides[BORDER_SETS] = {0};
	struct origin_set origins = {0};
	uint8_t *among = NULL;
	uint32_t shown = 0, ranked = 0, nsets = a->sensitivity ? BORDER_SETS : 1;
	int code = CLI_EXIT_FAIL;
	places_cli_assumption_sets(&a->link, &a->link_args, set);
	for (uint32_t s = 0; s < nsets; s++) {
		if ((code = border_side_run(a, &sides[s], &set[s], src, places, links, &origins,
					    &shown, &among, &ranked)))
			goto done;
		if (sides[s].tt->stop_count != sides[0].tt->stop_count) {
			/* the sets change times, not stops: origins given as stops
			 * must mean the same stops in every set */
			cli_errorf(CMD, "the assumption sets built different stops");
			code = CLI_EXIT_FAIL;
			goto done;
		}
	}
	json_t *meta = make_meta(a, names, src->name_count, places, shown, NULL, NULL, NULL, NULL,
				 sides[0].net, NULL);
	uint32_t kept, trips, trips_cut;
	grens_access_border_counts(sides[0].b, &kept, &trips, &trips_cut);
	json_t *assume = json_object();
	for (uint32_t s = 0; s < nsets; s++)
		json_object_set_new(assume, set_names[s], assumption_json(&set[s], &a->link));
	json_t *cmp = json_pack(
	    "{s:s, s:s, s:[s, s, s], s:i, s:i, s:i, s:i, s:o}", "kind", "border", "home", a->home,
	    "views", view_keys[0], view_keys[1], view_keys[2], "stops", (json_int_t)sides[0].tt->stop_count,
	    "stops_at_home", (json_int_t)kept, "trips", (json_int_t)trips, "trips_cut",
	    (json_int_t)trips_cut, "assumptions", assume);
	if (cmp && a->rank)
		json_object_set_new(cmp, "rank",
				    json_pack("{s:s, s:i}", "among",
					      "places of the home country tied to a stop",
					      "count", (json_int_t)ranked));
	if (!meta || !cmp) {
		json_decref(meta);
		json_decref(cmp);
		cli_errorf(CMD, "cannot build the output");
		code = CLI_EXIT_FAIL;
		goto done;
	}
	/* before "notes" and "shard", as the other comparisons */
	json_t *notes = json_incref(json_object_get(meta, "notes"));
	json_t *shard = json_incref(json_object_get(meta, "shard"));
	json_object_del(meta, "notes");
	json_object_del(meta, "shard");
	json_object_set_new(meta, "comparison", cmp);
	json_object_set_new(meta, "notes", notes);
	json_object_set_new(meta, "shard", shard);
	code = CLI_EXIT_FAIL;
	if (!(*doc = new_doc(meta)))
		goto done;
	const grens_access_border *b[BORDER_SETS];
	for (uint32_t s = 0; s < nsets; s++)
		b[s] = sides[s].b;
	grens_error err;
	grens_error_clear(&err);
	if (grens_report_access_add_border(*doc, sides[0].tt, places, b, nsets, origins.o, shown,
					   a->rank ? among : NULL, ranked, &err)) {
		cli_report_error(CMD, &err);
		goto done;
	}
	code = CLI_EXIT_OK;
done:
	for (uint32_t s = 0; s < BORDER_SETS; s++)
		border_side_free(&sides[s]);
	origin_set_free(&origins);
	free(among);
	return code;
}

/* ---- the command ------------------------------------------------------------------------------
 */

struct side {
	grens_timetable *tt;
	grens_access_network *net;
	struct origin_set origins;
	grens_access_result *result;
	grens_rt_overlay *realised; /* --realised on this side, or NULL */
	grens_rt_realised_counts rcounts;
};

static void side_free(struct side *s)
{
	grens_access_result_free(s->result);
	grens_rt_overlay_release(s->realised);
	origin_set_free(&s->origins);
	grens_access_network_free(s->net);
	grens_net_free(s->tt);
}

/* One side of a run: build the timetable, tie the places (or, with a
 * reference, reuse its ties: every side of a comparison is tied the same
 * way) and compute. */
static int run_side(struct args *a, struct side *s, const cli_source *src,
		    const grens_gtfs_feed *const *feeds, uint32_t nfeeds,
		    const grens_access_places *places, const grens_net_links *links,
		    const grens_access_network *reference, bool realised)
{
	grens_error err;
	grens_error_clear(&err);
	int rc = src ? cli_source_build(CMD, src, &a->link_args, links, &s->tt)
		     : cli_net_build(CMD, feeds, nfeeds, &a->link_args, links, &s->tt, NULL);
	if (rc)
		return CLI_EXIT_FAIL;
	/* the date once, on the first side built (all feeds) */
	if (!a->notes) {
		a->notes = json_array();
		if (route_cli_check_date(CMD, s->tt, a->opts.date, a->notes))
			return CLI_EXIT_FAIL;
	}
	if (reference) {
		if (grens_access_network_new_like(&s->net, s->tt, reference, &err)) {
			cli_report_error(CMD, &err);
			return CLI_EXIT_FAIL;
		}
	} else {
		/* places without a stop are normal (a place outside the feeds'
		 * area) and reported in the output's tie counts */
		grens_diag *diag = grens_diag_new();
		if (!diag ||
		    grens_access_network_new(&s->net, s->tt, places, &a->link, diag, &err)) {
			grens_diag_free(diag);
			cli_report_error(CMD, &err);
			return err.code == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		}
		grens_diag_free(diag);
	}
	int code = make_origins(a, s->tt, places, &s->origins);
	if (code)
		return code;
	if (realised) {
		const grens_gtfs_feed *const *use =
		    src ? (const grens_gtfs_feed *const *)src->feeds : feeds;
		if ((code = realised_cli_build(CMD, a->rz.archive, &a->rz, s->tt, use,
					       src ? src->count : nfeeds, a->opts.date,
					       a->opts.date, &s->realised, &s->rcounts)))
			return code;
	}
	cli_progress_init(&a->opts.progress);
	grens_access_options o = a->opts;
	o.route.rt = s->realised;
	if (grens_access_run(&s->result, s->net, s->origins.o, s->origins.count, &o, &err)) {
		cli_report_error(CMD, &err);
		return err.code == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cmd_access(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "merge") == 0)
		return cmd_merge(argc, argv);
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return cli_parse_exit(rc);
	a.opts.keep_stop_times = a.stops;
	if (a.max_duration_min >= 0) {
		a.opts.max_duration = (int32_t)a.max_duration_min * 60;
	} else {
		int32_t most = 0;
		for (uint32_t c = 0; c < a.opts.cutoff_count; c++)
			if (a.opts.cutoffs[c] > most)
				most = a.opts.cutoffs[c];
		if (a.opts.decay == GRENS_ACCESS_DECAY_LINEAR)
			most += (a.opts.decay_param + 1) / 2;
		a.opts.max_duration = most > 0 ? most : 60;
	}

	char *owned_places[MAX_PLACES_FILES] = {0};
	grens_access_places *places = NULL;
	cli_source src = {0};
	const char *const *names = src.names;
	struct side alt = {0}, base = {0};
	grens_scenario *scenario = NULL;
	grens_scenario_result *applied = NULL;
	grens_net_links *links = NULL;
	grens_report_access *doc = NULL;
	grens_access_delta *deltas = NULL;
	int code = CLI_EXIT_FAIL;
	char alt_list[1024] = "";

	if (a.place_files == 0) {
		if (places_cli_default(CMD, owned_places, MAX_PLACES_FILES, &a.place_files))
			goto done;
		for (uint32_t i = 0; i < a.place_files; i++)
			a.places[i] = owned_places[i];
	}
	if ((code = cli_source_refuse(CMD, &a.feeds, a.scenario != NULL, "--scenario")))
		goto done;
	if (a.feeds.snapshot && a.sensitivity) {
		/* the other assumption sets are other timetables */
		cli_errorf(CMD, "--sensitivity builds the timetable again with other change times "
				"and walking speeds, which needs --feed, not --snapshot");
		code = CLI_EXIT_USAGE;
		goto done;
	}
	code = CLI_EXIT_FAIL;
	if (load_places(&a, &places) ||
	    (!a.feeds.snapshot && cli_links_load(CMD, &a.link_args, &links)))
		goto done;
	if ((code = cli_source_load(CMD, &a.feeds, &a.link_args, &src)))
		goto done;
	code = CLI_EXIT_FAIL;
	if (!a.date_given) {
		a.opts.date = cli_source_busiest_date(&src, 1);
		if (a.opts.date == GRENS_DATE_NONE) {
			cli_errorf(CMD, "the feeds have no service dates; give --date");
			goto done;
		}
		char d[16];
		grens_date_format_iso(a.opts.date, d, sizeof(d));
		fprintf(stderr, "grens access: --date %s (the Tuesday with the most trips)\n", d);
	}
	for (uint32_t i = 0; i < src.name_count; i++) {
		size_t l = strlen(alt_list);
		snprintf(alt_list + l, sizeof(alt_list) - l, "%s%s", i ? "," : "", names[i]);
	}

	if (a.border) {
		code = border_command(&a, &src, names, places, links, &doc);
		if (code == CLI_EXIT_OK)
			code = emit(doc, a.format, a.out) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
		goto done;
	}
	const grens_gtfs_feed *const *alt_feeds = (const grens_gtfs_feed *const *)src.feeds;
	uint32_t alt_count = src.count;
	if (a.scenario) {
		grens_error err;
		grens_error_clear(&err);
		grens_diag *diag = grens_diag_new();
		if (grens_scenario_load(&scenario, a.scenario, &err) ||
		    grens_scenario_apply(&applied, scenario, alt_feeds, alt_count, diag, &err)) {
			cli_report_error(CMD, &err);
			grens_diag_free(diag);
			code = err.code == GRENS_EIO ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
			goto done;
		}
		if (diag && grens_diag_kept_count(diag))
			cli_print_notices(diag, 20);
		grens_diag_free(diag);
		alt_feeds = grens_scenario_result_feeds(applied, &alt_count);
	}
	/* Places are tied once, on the network with the most in it, and every
	 * other side reuses those ties: all feeds for the border effect, the
	 * feeds as they are for a scenario (an edit of them, which may remove
	 * service) and, in a plain run, the only side. */
	bool vs = a.rz.vs_scheduled;
	if (!a.scenario && !vs &&
	    (code = run_side(&a, &alt, &src, NULL, 0, places, links, NULL, a.rz.archive != NULL)))
		goto done;
	json_t *meta = NULL;
	uint32_t nd = 0;
	grens_error err;
	grens_error_clear(&err);
	if (a.scenario || vs) {
		if ((code = run_side(&a, &base, &src, NULL, 0, places, links, NULL, false)) ||
		    (vs && (code = run_side(&a, &alt, &src, NULL, 0, places, links, base.net,
					    true))) ||
		    (!vs && (code = run_side(&a, &alt, NULL, alt_feeds, alt_count, places, links,
					     base.net, false))))
			goto done;
		if (grens_access_compare(&deltas, &nd, base.result, alt.result, &err)) {
			cli_report_error(CMD, &err);
			code = CLI_EXIT_FAIL;
			goto done;
		}
		char scen[1200];
		int n = snprintf(scen, sizeof(scen), "%s+%s", alt_list,
				 vs ? "realised" : grens_scenario_name(scenario));
		if (n < 0 || (size_t)n >= sizeof(scen))
			scen[sizeof(scen) - 1] = '\0'; /* a long list only loses its end */
		meta = make_meta(&a, names, src.name_count, places, alt.origins.count,
				 vs ? "realised-vs-scheduled" : "scenario", alt_list, scen, scenario,
				 alt.net, base.net);
	} else {
		meta = make_meta(&a, names, src.name_count, places, alt.origins.count, NULL, NULL,
				 NULL, NULL, alt.net, NULL);
	}
	if (meta && a.rz.archive)
		json_object_set_new(meta, "realised",
				    realised_cli_counts_json(&a.rz, a.opts.date, a.opts.date,
							     &alt.rcounts));
	code = CLI_EXIT_FAIL;
	if (!(doc = new_doc(meta)))
		goto done;
	if (a.scenario || vs ? grens_report_access_add_comparison(doc, alt.tt, places, alt.result,
								  alt.origins.o, deltas, nd, &err)
			     : grens_report_access_add_origins(doc, alt.net, places, alt.result,
							       alt.origins.o, a.stops, &err)) {
		cli_report_error(CMD, &err);
		goto done;
	}
	code = emit(doc, a.format, a.out) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	json_decref(a.notes);
	grens_report_access_free(doc);
	free(deltas);
	side_free(&alt);
	side_free(&base);
	grens_scenario_result_free(applied);
	grens_scenario_free(scenario);
	grens_net_links_free(links);
	cli_source_free(&src);
	grens_access_places_free(places);
	for (uint32_t i = 0; i < MAX_PLACES_FILES; i++)
		free(owned_places[i]);
	return code;
}
