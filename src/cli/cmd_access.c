/* grens access: reachable opportunities (population within N minutes) over a
 * departure window; a scenario's or realised times' change, the border
 * effect; joining shards with `grens access merge`.
 *
 * This file parses, loads the places, the feeds or snapshot, a scenario and
 * realised times, and writes: the run and its document (the stable shape of
 * --format json, grens-json(7), GRENS ACCESS) are grens_report_access_run's,
 * and a merged set of shards renders exactly like a run done in one piece. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "grens/access.h"
#include "grens/gtfs.h"
#include "grens/report.h"
#include "grens/scenario.h"
#include "places_cli.h"
#include "realised_cli.h"

#define CMD "access"
#define MAX_FROM GRENS_REPORT_ACCESS_MAX_FROM
#define MAX_PLACES_FILES PLACES_CLI_MAX_FILES
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

static int parse(int argc, char **argv, struct args *a)
{
	grens_access_options o = GRENS_ACCESS_OPTIONS_INIT;
	grens_access_link_options l = GRENS_ACCESS_LINK_OPTIONS_INIT;
	memset(a, 0, sizeof(*a));
	cli_link_args_init(&a->link_args);
	a->opts = o;
	a->opts.threads = cli_online_cpus();
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

/* ---- the command ----------------------------------------------------------------------------- */

/* The job's notices as every command prints them: a feed without trips on
 * the date as a warning, the linking warnings by file and line (the first
 * 20), and the scenario's notices. */
static void print_notices(const grens_diag *diag)
{
	grens_diag *other = grens_diag_new();
	size_t links = 0;
	for (size_t i = 0; diag && i < grens_diag_kept_count(diag); i++) {
		const grens_notice *no = grens_diag_kept(diag, i);
		if (strcmp(no->code, "no_service_on_date") == 0)
			fprintf(stderr, "grens %s: warning: %s\n", CMD, no->message);
		else if (strncmp(no->code, "link", 4) == 0 && links++ < 20)
			fprintf(stderr, "%s:%u: %s%s%s: %s\n", no->file, no->line, no->field,
				no->field[0] ? ": " : "", no->code, no->message);
		else if (strncmp(no->code, "link", 4) != 0)
			grens_diag_add(other, no->code, no->severity, no->file, no->line, no->field,
				       "%s", no->message);
	}
	if (other && grens_diag_kept_count(other))
		cli_print_notices(other, 20);
	grens_diag_free(other);
}

/* --realised: the timetable the job runs on and its realised times (the
 * archive is read here), and meta's "realised" block. An exit code. */
static int load_realised(const struct args *a, const cli_source *src,
			 const grens_net_links *links, grens_timetable **tt,
			 grens_rt_overlay **overlay, char **block)
{
	grens_rt_realised_counts counts;
	if (cli_source_build(CMD, src, &a->link_args, links, tt))
		return CLI_EXIT_FAIL;
	int code = realised_cli_build(CMD, a->rz.archive, &a->rz, *tt,
				      (const grens_gtfs_feed *const *)src->feeds, src->count,
				      a->opts.date, a->opts.date, overlay, &counts);
	if (code)
		return code;
	json_t *j = realised_cli_counts_json(&a->rz, a->opts.date, a->opts.date, &counts);
	*block = j ? json_dumps(j, JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	if (!*block) {
		cli_errorf(CMD, "out of memory");
		return CLI_EXIT_FAIL;
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
	/* the largest cutoff (+ W/2 for linear decay): the job's default */
	a.opts.max_duration = a.max_duration_min >= 0 ? (int32_t)a.max_duration_min * 60 : -1;

	char *owned_places[MAX_PLACES_FILES] = {0};
	grens_access_places *places = NULL;
	cli_source src = {0};
	grens_scenario *scenario = NULL;
	grens_net_links *links = NULL;
	grens_timetable *rz_tt = NULL;
	grens_rt_overlay *overlay = NULL;
	char *rz_block = NULL;
	grens_report_access *doc = NULL;
	grens_diag *diag = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;

	if (a.place_files == 0) {
		if (places_cli_default(CMD, owned_places, MAX_PLACES_FILES, &a.place_files))
			goto done;
		for (uint32_t i = 0; i < a.place_files; i++)
			a.places[i] = owned_places[i];
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
	if (a.scenario && grens_scenario_load(&scenario, a.scenario, &err)) {
		cli_report_error(CMD, &err);
		code = err.code == GRENS_EIO ? CLI_EXIT_FAIL : CLI_EXIT_USAGE;
		goto done;
	}
	if (a.rz.archive &&
	    (code = load_realised(&a, &src, links, &rz_tt, &overlay, &rz_block)))
		goto done;

	grens_report_access_job job = GRENS_REPORT_ACCESS_JOB_INIT;
	cli_source_net(&src, &a.link_args, links, &job.source);
	job.places = places;
	job.places_files = a.places;
	job.places_file_count = a.place_files;
	job.from = a.from;
	job.from_count = a.from_count;
	cli_progress_init(&a.opts.progress);
	job.options = a.opts;
	job.link = a.link;
	job.stops = a.stops;
	job.scenario = scenario;
	job.border = a.border;
	job.rank = a.rank;
	job.sensitivity = a.sensitivity;
	job.home = a.home;
	places_cli_assumption set[PLACES_CLI_SETS];
	places_cli_assumption_sets(&a.link, &a.link_args, set);
	for (uint32_t s = 0; s < PLACES_CLI_SETS && s < GRENS_REPORT_BORDER_SETS; s++)
		job.sets[s] = (grens_report_access_assumption){
		    .access_distance_m = set[s].access_distance_m,
		    .walk_speed_mps = set[s].walk_speed_mps,
		    .footpath_walk_speed_mps = set[s].footpath_walk_speed_mps,
		    .min_change = set[s].min_change,
		    .link_min_change = set[s].link_min_change};
	job.realised_tt = rz_tt;
	job.realised = overlay;
	job.realised_json = rz_block;
	job.realised_vs_scheduled = a.rz.vs_scheduled;
	if (!(diag = grens_diag_new())) {
		cli_errorf(CMD, "out of memory");
		goto done;
	}
	rc = grens_report_access_run(&doc, &job, diag, &err);
	print_notices(diag);
	if (rc) {
		cli_report_error(CMD, &err);
		code = rc == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto done;
	}
	code = emit(doc, a.format, a.out) ? CLI_EXIT_FAIL : CLI_EXIT_OK;
done:
	grens_diag_free(diag);
	grens_report_access_free(doc);
	free(rz_block);
	grens_rt_overlay_release(overlay);
	grens_net_free(rz_tt);
	grens_scenario_free(scenario);
	grens_net_links_free(links);
	cli_source_free(&src);
	grens_access_places_free(places);
	for (uint32_t i = 0; i < MAX_PLACES_FILES; i++)
		free(owned_places[i]);
	return code;
}
