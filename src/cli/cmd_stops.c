/* grens stops: stations by name (a search box) or near a point (a map click). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "grens/report.h"
#include "route_cli.h"

#define CMD "stops"
#define DEFAULT_LIMIT 10u
#define MAX_LIMIT 100u

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens stops [--feed PATH]... [--snapshot FILE]\n"
		"                   (--name TEXT | --near LAT,LON [--radius M]) [--limit N]\n"
		"                   [--format text|csv|json]\n\n"
		"Stations whose name matches TEXT, best first: every word of TEXT starts a word\n"
		"of the name, compared without case or accents (\"koeln hbf\" finds \"Köln Hbf\");\n"
		"a name equal to TEXT, then names starting with it, then the others, shorter\n"
		"names first. Or the stations within M metres of LAT,LON in a straight line,\n"
		"nearest first. Platforms are never listed: a station stands for them.\n\n"
		"  --feed [NAME=]PATH   GTFS .zip or directory, ids become NAME:id (repeat; default:\n"
		"                       the embedded feeds)\n"
		"  --name TEXT          search station names (at most %u bytes)\n"
		"  --near LAT,LON       stations near a point, decimal degrees (WGS 84)\n"
		"  --radius M           with --near: within M metres (default %.0f, at most %.0f)\n"
		"  --limit N            list at most N stations (default %u, at most %u)\n"
		"  --format F           text (default), csv or json\n"
		"Exit status: 0 (also when no station matches), 1 unusable feed or snapshot,\n"
		"2 bad arguments.\n",
		GRENS_LIMIT_SEARCH_BYTES, GRENS_NET_NEAR_RADIUS_M, GRENS_LIMIT_SEARCH_RADIUS_M,
		DEFAULT_LIMIT, MAX_LIMIT);
}

struct point {
	double lat, lon;
};

struct args {
	cli_feed_list feeds;
	const char *name;
	struct point near;
	bool near_given, radius_given;
	double radius_m;
	uint32_t limit;
	cli_format format;
};

/* --near LAT,LON: two decimal numbers, a point on Earth. */
static int parse_point(const char *cmd, const char *opt, const char *v, void *dst)
{
	struct point *p = dst;
	const char *comma = strchr(v, ',');
	const char *lon = comma ? comma + 1 : NULL;
	while (lon && *lon == ' ')
		lon++;
	if (!comma || grens_parse_double(v, (size_t)(comma - v), &p->lat) != 0 ||
	    grens_parse_double(lon, strlen(lon), &p->lon) != 0 ||
	    !(p->lat >= -90.0 && p->lat <= 90.0) || !(p->lon >= -180.0 && p->lon <= 180.0)) {
		cli_errorf(cmd,
			   "%s needs LAT,LON in decimal degrees (latitude -90 to 90, longitude "
			   "-180 to 180), not '%s'",
			   opt, v);
		return -1;
	}
	return 0;
}

/* --radius M: metres above 0, at most the library's bound. */
static int parse_radius(const char *cmd, const char *opt, const char *v, void *dst)
{
	double *r = dst;
	if (grens_parse_double(v, strlen(v), r) != 0 ||
	    !(*r > 0.0 && *r <= GRENS_LIMIT_SEARCH_RADIUS_M)) {
		cli_errorf(cmd, "%s needs metres above 0 and at most %.0f, not '%s'", opt,
			   GRENS_LIMIT_SEARCH_RADIUS_M, v);
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->radius_m = GRENS_NET_NEAR_RADIUS_M;
	a->limit = DEFAULT_LIMIT;
	a->format = CLI_FORMAT_TEXT;
	const cli_option options[] = {
		CLI_FEED_OPTION(&a->feeds),
		CLI_SNAPSHOT_OPTION(&a->feeds),
		{ .name = "name", .kind = CLI_OPT_STRING, .dst = &a->name },
		{ .name = "near", .kind = CLI_OPT_CALL, .dst = &a->near, .call = parse_point,
		  .seen = &a->near_given },
		{ .name = "radius", .kind = CLI_OPT_CALL, .dst = &a->radius_m,
		  .call = parse_radius, .seen = &a->radius_given },
		{ .name = "limit", .kind = CLI_OPT_UINT32, .dst = &a->limit, .min = 1,
		  .max = MAX_LIMIT },
		CLI_FORMAT_OPTION(&a->format, CLI_FORMAT_TEXT, CLI_FORMAT_CSV, CLI_FORMAT_JSON),
		{ .name = NULL },
	};
	const cli_spec spec = { .cmd = CMD, .usage = usage, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return rc;
	if (!a->name == !a->near_given) {
		cli_errorf(CMD, a->name ? "--name and --near exclude each other"
					: "give --name TEXT or --near LAT,LON");
		return CLI_PARSE_ERROR;
	}
	if (a->radius_given && !a->near_given) {
		cli_errorf(CMD, "--radius goes with --near");
		return CLI_PARSE_ERROR;
	}
	return CLI_PARSE_OK;
}

/* The document of report/ as the indented JSON the commands print, its
 * reals as the document has them (15 significant digits). */
static int write_document(char *text)
{
	json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	int rc = doc ? json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
						       JSON_REAL_PRECISION(15))
		     : -1;
	json_decref(doc);
	if (rc == 0 && putchar('\n') != EOF)
		return 0;
	cli_errorf(CMD, "cannot write JSON");
	return -1;
}

int cmd_stops(int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return cli_parse_exit(rc);

	cli_link_args link;
	cli_link_args_init(&link);
	route_cli_net net;
	int code = route_cli_load_net(CMD, &a.feeds, &link, NULL, NULL, &net);
	if (code)
		return code;
	grens_net_stop_hit hits[MAX_LIMIT];
	uint32_t n = 0;
	grens_error err;
	grens_error_clear(&err);
	grens_report_stops_query q = { .name = a.name, .limit = a.limit };
	if (a.name) {
		rc = grens_net_search_stops(net.tt, a.name, hits, a.limit, &n, &err);
	} else {
		q.lat = a.near.lat, q.lon = a.near.lon, q.radius_m = a.radius_m;
		rc = grens_net_nearest_stops(net.tt, q.lat, q.lon, q.radius_m, hits, a.limit, &n,
					     &err);
	}
	if (rc) {
		cli_errorf(CMD, "%s%s", a.name ? "--name: " : "--near: ", err.message);
		code = rc == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto done;
	}
	if (a.format == CLI_FORMAT_JSON) {
		char *text = NULL;
		rc = grens_report_stops_json(&text, net.tt, &q, hits, n, &err);
		if (!rc && write_document(text) != 0)
			code = CLI_EXIT_FAIL;
	} else if (a.format == CLI_FORMAT_CSV) {
		rc = grens_report_stops_write_csv(stdout, net.tt, hits, n, &err);
	} else {
		rc = grens_report_stops_write_text(stdout, net.tt, &q, hits, n, &err);
	}
	if (rc) {
		cli_report_error(CMD, &err);
		code = CLI_EXIT_FAIL;
	}
done:
	route_cli_net_free(&net);
	return code;
}
