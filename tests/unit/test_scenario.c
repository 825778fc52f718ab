/* Scenarios: parsing (shape errors with line and column), the file hash, and
 * every edit applied to tests/fixtures/scenario-basic, checked by routing on
 * the modified timetable. Read the fixture alongside: one daily service;
 * R1 Aston(sa:1) 06:00/06:30/07:00 -> Bergen +20 (dwell 1) -> Cijk +40;
 * R1 backward r1x Cijk 07:10 -> Bergen 07:30/07:31 -> Aston(sa:2) 07:51;
 * R2 Cijk 06:50 -> Dorp 07:20 and 07:50 -> 08:20. Minimum change 120 s.
 * All coordinates on latitude 52, 0.1 degree of longitude apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/route.h"
#include "grens/scenario.h"

#define H(h, m) ((h)*3600 + (m)*60)

static grens_date test_date(void)
{
	return grens_date_from_ymd(2026, 3, 10);
}

static grens_gtfs_feed *load_feed(void)
{
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/scenario-basic");
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = "t";
	grens_gtfs_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_load(&feed, path, &opts, NULL, &err) != 0) {
		fprintf(stderr, "loading %s: %s\n", path, err.message);
		return NULL;
	}
	return feed;
}

static grens_timetable *build(const grens_gtfs_feed *const *feeds, uint32_t n)
{
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_net_build(&tt, feeds, n, &opts, NULL, &err) != 0) {
		fprintf(stderr, "build: %s\n", err.message);
		return NULL;
	}
	return tt;
}

/* Earliest arrival from station `from` leaving at `time` at station `to`
 * (GRENS_ROUTE_UNREACHED when none); *transfers of that journey. */
static int32_t earliest(const grens_timetable *tt, const char *from, const char *to, int32_t time,
			int32_t *transfers)
{
	uint32_t fs[8], ts[8], fn = 0, tn = 0;
	grens_error err;
	grens_error_clear(&err);
	if (grens_net_find_stops(tt, from, fs, 8, &fn, &err) ||
	    grens_net_find_stops(tt, to, ts, 8, &tn, &err))
		return -1;
	grens_route_raptor *ws = NULL;
	if (grens_route_raptor_new(&ws, tt, 8, &err))
		return -1;
	grens_route_query q = {fs, fn, ts, tn, test_date(), time};
	grens_route_options opts = GRENS_ROUTE_OPTIONS_INIT;
	grens_route_result res;
	int32_t arrival = -1;
	if (grens_route_raptor_route(ws, &q, &opts, &res, &err) == 0) {
		arrival = res.journey_count ? res.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
		if (transfers)
			*transfers = res.journey_count ? (int32_t)res.journeys[0].transfers : -1;
	}
	grens_route_raptor_free(ws);
	return arrival;
}

/* Scenarios derive_differences derived a second time, on their derived
 * timetable. */
static unsigned derived_twice;

/* The scenario applied to the built base (grens_scenario_derive) must route
 * as the rebuild from the edited feeds, and so must the derived timetable
 * read back from its snapshot: the earliest arrival and its transfers
 * between every pair of stations of the base, leaving every 10 minutes from
 * 05:30 to 09:30. Returns the number of differences (-1 when deriving
 * failed). */
static int derived_differences(const grens_gtfs_feed *const *feeds, uint32_t n,
			       const grens_scenario *sc, const grens_timetable *rebuilt)
{
	grens_timetable *base = build(feeds, n), *der = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (!base)
		return -1;
	if (grens_scenario_derive(&der, NULL, sc, base, NULL, &err) != 0) {
		fprintf(stderr, "derive: %s\n", err.message);
		grens_net_free(base);
		return -1;
	}
	/* The base's stop events are shared, not copied; the added ones are
	 * the derived timetable's own. */
	CHECK(der->stop_times == base->stop_times);
	CHECK_INT(der->stop_time_split, base->stop_time_count);
	CHECK((der->stop_times_tail != NULL) == (der->stop_time_count > base->stop_time_count));
	/* Deriving on the derived one keeps that sharing and every block of
	 * the first derivation where it was. */
	grens_timetable *der2 = NULL;
	if (grens_scenario_derive(&der2, NULL, sc, der, NULL, &err) == 0) {
		derived_twice++;
		CHECK(der2->stop_times == base->stop_times);
		CHECK_INT(der2->stop_time_split, base->stop_time_count);
		for (uint32_t p = 0; p < der->pattern_count; p++) {
			uint64_t ev = (uint64_t)(der->pattern_trip_offset[p + 1] -
						 der->pattern_trip_offset[p]) *
				      (der->pattern_stop_offset[p + 1] - der->pattern_stop_offset[p]);
			CHECK(memcmp(grens_net_pattern_times(der2, p), grens_net_pattern_times(der, p),
				     (size_t)ev * sizeof(grens_net_stop_time)) == 0);
		}
	}
	grens_net_free(der2);
	/* Its snapshot holds the events in one section and routes the same. */
	char *snap = NULL;
	size_t snap_size = 0;
	uint64_t *aligned = NULL;
	grens_timetable *back = NULL;
	FILE *m = open_memstream(&snap, &snap_size);
	CHECK(m != NULL);
	if (m) {
		CHECK_INT(grens_net_snapshot_write(der, m, "{}", NULL, &err), 0);
		fclose(m);
		aligned = malloc(snap_size + 1);
		if (aligned) {
			memcpy(aligned, snap, snap_size);
			CHECK_INT(grens_net_snapshot_open(&back, aligned, snap_size, "d.grens", &err),
				  0);
			if (!back)
				fprintf(stderr, "%s\n", err.message);
		}
	}
	CHECK(back != NULL);
	if (back)
		CHECK(back->stop_times_tail == NULL && back->stop_time_count == der->stop_time_count);
	int diff = 0;
	char q[2][300];
	for (uint32_t a = 0; a < base->stop_count; a++) {
		if (base->stop_parent[a] != GRENS_NONE)
			continue;
		for (uint32_t b = 0; b < base->stop_count; b++) {
			if (b == a || base->stop_parent[b] != GRENS_NONE)
				continue;
			const uint32_t ab[2] = {a, b};
			for (int k = 0; k < 2; k++)
				snprintf(q[k], sizeof(q[k]), "%s:%s",
					 grens_net_str(base, base->feed_name[base->stop_feed[ab[k]]]),
					 grens_net_str(base, base->stop_id[ab[k]]));
			for (int32_t t = H(5, 30); t <= H(9, 30); t += 600) {
				int32_t x1 = -2, x2 = -2;
				int32_t e1 = earliest(rebuilt, q[0], q[1], t, &x1);
				int32_t e2 = earliest(der, q[0], q[1], t, &x2);
				int32_t x3 = -2, e3 = back ? earliest(back, q[0], q[1], t, &x3) : -3;
				if (e1 != e2 || x1 != x2 || e3 != e2 || x3 != x2) {
					if (diff < 5)
						fprintf(stderr,
							"derived %s -> %s at %d: %d (%d transfers), "
							"rebuilt %d (%d), from the derived "
							"snapshot %d (%d)\n",
							q[0], q[1], t, e2, x2, e1, x1, e3, x3);
					diff++;
				}
			}
		}
	}
	grens_net_free(back);
	free(aligned);
	free(snap);
	grens_net_free(der);
	grens_net_free(base);
	return diff;
}

struct applied {
	grens_scenario *sc;
	grens_scenario_result *res;
	grens_timetable *tt;
	grens_diag *diag;
};

static int apply_text(const grens_gtfs_feed *feed, const char *yaml, struct applied *out,
		      grens_error *err)
{
	memset(out, 0, sizeof(*out));
	int rc = grens_scenario_parse(&out->sc, yaml, strlen(yaml), "test.yaml", err);
	if (rc)
		return rc;
	out->diag = grens_diag_new();
	rc = grens_scenario_apply(&out->res, out->sc, &feed, 1, out->diag, err);
	if (rc) {
		/* the built timetable refuses it as the feeds do, at the same place */
		grens_timetable *base = build(&feed, 1), *der = NULL;
		grens_error e2;
		grens_error_clear(&e2);
		CHECK_INT(base ? grens_scenario_derive(&der, NULL, out->sc, base, NULL, &e2) : -1,
			  rc);
		CHECK_INT(e2.line, err->line);
		CHECK_INT(e2.column, err->column);
		grens_net_free(der);
		grens_net_free(base);
		return rc;
	}
	uint32_t n;
	const grens_gtfs_feed *const *feeds = grens_scenario_result_feeds(out->res, &n);
	out->tt = build(feeds, n);
	if (!out->tt)
		return -1;
	/* every applied scenario of these tests, both ways */
	CHECK_INT(derived_differences(&feed, 1, out->sc, out->tt), 0);
	return 0;
}

static void applied_free(struct applied *a)
{
	grens_net_free(a->tt);
	grens_scenario_result_free(a->res);
	grens_scenario_free(a->sc);
	grens_diag_free(a->diag);
}

static void test_sha256(void)
{
	char hex[65];
	/* FIPS 180-4 examples. */
	grens_sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	grens_sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* 56 bytes: the padding needs a second block. */
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	grens_sha256_hex(two, strlen(two), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_parse(void)
{
	grens_scenario *sc = NULL;
	grens_error err;
	const char *ok = "name: demo\ndescription: a test\nedits:\n  - remove: { routes: R2 }\n";
	CHECK_INT(grens_scenario_parse(&sc, ok, strlen(ok), "dir/x.yaml", &err), 0);
	if (sc) {
		CHECK_STR(grens_scenario_name(sc), "demo");
		CHECK_STR(grens_scenario_description(sc), "a test");
		CHECK_INT(grens_scenario_edit_count(sc), 1);
		char hex[65];
		grens_sha256_hex(ok, strlen(ok), hex);
		CHECK_STR(grens_scenario_hash(sc), hex);
		grens_scenario_free(sc);
	}
	/* Without a name: the file's base name without extension. */
	const char *noname = "edits: []\n";
	CHECK_INT(grens_scenario_parse(&sc, noname, strlen(noname), "a/b/ic-test.yaml", &err), 0);
	if (sc) {
		CHECK_STR(grens_scenario_name(sc), "ic-test");
		grens_scenario_free(sc);
	}

	struct {
		const char *text;
		uint32_t line, column;
		const char *field;
	} bad[] = {
	    /* an unknown key, at the key */
	    {"name: x\nedits:\n  - extend:\n      route: R1\n      att: Cijk\n", 5, 7, "att"},
	    /* YAML syntax: an unclosed flow sequence (reported where the parser stopped) */
	    {"name: x\nedits:\n  - remove: { routes: [R1, R2\n", 4, 1, ""},
	    /* a time that is not one */
	    {"edits:\n  - add-line:\n      name: X\n      mode: rail\n      stops: [a, {stop: b, "
	     "run: 3}]\n"
	     "      services:\n        - { days: daily, first: \"6:61\", last: \"07:00\", headway: "
	     "10 }\n",
	     7, 33, "first"},
	    /* last before first */
	    {"edits:\n  - add-line:\n      name: X\n      mode: rail\n      stops: [a, {stop: b, "
	     "run: 3}]\n"
	     "      services:\n        - { days: daily, first: \"08:00\", last: \"07:00\", "
	     "headway: 10 }\n",
	     7, 48, "last"}, /* 8 spaces, "- { days: daily, first: \"08:00\", last: " */
	    /* a negative run time */
	    {"edits:\n  - extend: { route: R1, at: c, stops: [ { stop: d, run: -3 } ] }\n", 2, 58,
	     "run"},
	    /* an unknown edit */
	    {"edits:\n  - reroute: { route: R1 }\n", 2, 5, "reroute"},
	    /* unknown days */
	    {"edits:\n  - add-line:\n      name: X\n      mode: rail\n      stops: [a, {stop: b, "
	     "run: 3}]\n"
	     "      services: [ { days: weekdays, departures: [\"07:00\"] } ]\n",
	     6, 27, "days"}, /* "      services: [ { days: " is 26 characters */
	    /* the first stop has no run time */
	    {"edits:\n  - add-line:\n      name: X\n      mode: rail\n      stops: [{stop: a, run: "
	     "3}, b]\n"
	     "      services: [ { days: daily, departures: [\"07:00\"] } ]\n",
	     5, 15, "run"},
	    /* no edits */
	    {"name: x\n", 1, 1, "edits"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sc = NULL;
		int rc =
		    grens_scenario_parse(&sc, bad[i].text, strlen(bad[i].text), "s.yaml", &err);
		CHECK_INT(rc, GRENS_EFORMAT);
		CHECK(sc == NULL);
		CHECK_STR(err.file, "s.yaml");
		CHECK_INT(err.line, bad[i].line);
		CHECK_INT(err.column, bad[i].column);
		CHECK_STR(err.field, bad[i].field);
		if (err.line != bad[i].line || err.column != bad[i].column)
			fprintf(stderr, "  case %zu: %s\n", i, err.message);
	}

	/* Deep nesting is refused where it passes the limit, before libyaml's
	 * quadratic scan of 100k brackets (minutes) could run: the check
	 * counts steps, not time. */
	size_t deep_n = 100000;
	char *deep = malloc(2 * deep_n + 16);
	if (deep) {
		size_t n = (size_t)snprintf(deep, 16, "name: x\nedits: ");
		memset(deep + n, '[', deep_n);
		memset(deep + n + deep_n, ']', deep_n);
		n += 2 * deep_n;
		sc = NULL;
		CHECK_INT(grens_scenario_parse(&sc, deep, n, "deep.yaml", &err), GRENS_ELIMIT);
		CHECK(sc == NULL);
		CHECK_STR(err.file, "deep.yaml");
		CHECK_INT(err.line, 2);
		/* "edits: " is 7 columns; the mapping is level 1, the first '[' level 2 */
		CHECK_INT(err.column, 8 + GRENS_LIMIT_SCENARIO_DEPTH - 1);
		CHECK(strstr(err.message, "nested deeper than") != NULL);
		free(deep);
	}
	/* Nesting up to the limit is fine (the walk rejects the shape, not the depth). */
	char ok_deep[128];
	size_t k = (size_t)snprintf(ok_deep, sizeof(ok_deep), "edits: ");
	for (uint32_t d = 1; d < GRENS_LIMIT_SCENARIO_DEPTH; d++)
		ok_deep[k++] = '[';
	for (uint32_t d = 1; d < GRENS_LIMIT_SCENARIO_DEPTH; d++)
		ok_deep[k++] = ']';
	sc = NULL;
	CHECK(grens_scenario_parse(&sc, ok_deep, k, "ok.yaml", &err) != GRENS_ELIMIT);
	grens_scenario_free(sc);
}

static void test_base(const grens_gtfs_feed *feed)
{
	grens_timetable *tt = build(&feed, 1);
	CHECK(tt != NULL);
	if (!tt)
		return;
	int32_t tr = -9;
	/* R1 06:00 -> Cijk 06:40, change (120 s), R2 06:50 -> Dorp 07:20. */
	CHECK_INT(earliest(tt, "t:sa", "t:d", H(6, 0), &tr), H(7, 20));
	CHECK_INT(tr, 1);
	/* Nothing reaches Eind; nothing runs Dorp -> Aston. */
	CHECK_INT(earliest(tt, "t:sa", "t:e", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
	CHECK_INT(earliest(tt, "t:d", "t:sa", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
	grens_net_free(tt);
}

static void test_add_line(const grens_gtfs_feed *feed)
{
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/scenario-edits/add-line.yaml");
	grens_scenario *sc = NULL;
	grens_error err;
	CHECK_INT(grens_scenario_load(&sc, path, &err), 0);
	if (!sc)
		return;
	grens_scenario_result *res = NULL;
	CHECK_INT(grens_scenario_apply(&res, sc, &feed, 1, NULL, &err), 0);
	if (res) {
		const grens_scenario_stats *st = grens_scenario_result_stats(res);
		CHECK_INT(st->trips_added, 1);
		CHECK_INT(st->routes_added, 1);
		uint32_t n;
		const grens_gtfs_feed *const *feeds = grens_scenario_result_feeds(res, &n);
		CHECK_INT(n, 1);
		/* The base feed is untouched: 6 trips, 16 stop_times. */
		CHECK_INT(feed->trip_count, 6);
		CHECK_INT(feed->stop_time_count, 16);
		CHECK_INT(feeds[0]->trip_count, 7);
		CHECK_INT(feeds[0]->stop_time_count, 19);
		/* The copy answers id lookups (links files and realtime use
		 * them): base ids at their rows, the new route and its trip. */
		uint32_t sa = grens_gtfs_find_stop(feeds[0], "sa");
		CHECK(sa != GRENS_NONE && strcmp(feeds[0]->stops[sa].id, "sa") == 0);
		uint32_t r2b = grens_gtfs_find_trip(feeds[0], "r2b");
		CHECK(r2b != GRENS_NONE && strcmp(feeds[0]->trips[r2b].id, "r2b") == 0);
		uint32_t x = grens_gtfs_find_route(feeds[0], "x");
		CHECK(x != GRENS_NONE && strcmp(feeds[0]->routes[x].short_name, "X") == 0);
		uint32_t added = GRENS_NONE;
		for (uint32_t t = 0; t < feeds[0]->trip_count; t++)
			if (feeds[0]->trips[t].route == x)
				added = t;
		CHECK(added != GRENS_NONE &&
		      grens_gtfs_find_trip(feeds[0], feeds[0]->trips[added].id) == added);
		CHECK(grens_gtfs_find_service(feeds[0], "all") != GRENS_NONE);
		CHECK_INT(grens_gtfs_find_stop(feeds[0], "nowhere"), GRENS_NONE);
		grens_timetable *tt = build(feeds, n);
		if (tt) {
			int32_t tr = -9;
			/* X leaves Aston 06:05 and reaches Dorp 45 min later, 06:50
			 * (was 07:20 with a change). */
			CHECK_INT(earliest(tt, "t:sa", "t:d", H(6, 0), &tr), H(6, 50));
			CHECK_INT(tr, 0);
			/* Dorp -> Eind at 60 km/h: 0.1 degree of longitude at
			 * latitude 52 is 6371 km * cos(52°) * 0.1 * pi / 180 =
			 * 6.846 km, 6.85 min, rounded to 7; after 1 min dwell at
			 * Dorp: 06:51 + 7 = 06:58. */
			CHECK_INT(earliest(tt, "t:sa", "t:e", H(6, 0), NULL), H(6, 58));
			/* Forward only: nothing new from Dorp to Aston. */
			CHECK_INT(earliest(tt, "t:d", "t:sa", H(6, 0), NULL),
				  GRENS_ROUTE_UNREACHED);
			/* Leaving after 06:05 the old way again: R1 06:30 -> Cijk
			 * 07:10, R2 07:50 -> Dorp 08:20. */
			CHECK_INT(earliest(tt, "t:sa", "t:d", H(6, 6), NULL), H(8, 20));
			grens_net_free(tt);
		}
	}
	grens_scenario_result_free(res);
	grens_scenario_free(sc);
}

static void test_remove(const grens_gtfs_feed *feed)
{
	struct applied a;
	grens_error err;
	/* Without R2 nothing reaches Dorp. */
	CHECK_INT(apply_text(feed, "edits:\n  - remove: { routes: R2 }\n", &a, &err), 0);
	if (a.tt) {
		CHECK_INT(earliest(a.tt, "t:sa", "t:d", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 0), NULL), H(6, 40));
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_removed, 2);
	}
	applied_free(&a);
	/* All trips calling at Bergen: the four R1 trips; Cijk is then out of
	 * reach from Aston, Dorp still reachable from Cijk. */
	CHECK_INT(apply_text(feed, "edits:\n  - remove: { stops: [Bergen] }\n", &a, &err), 0);
	if (a.tt) {
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_removed, 4);
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
		CHECK_INT(earliest(a.tt, "t:c", "t:d", H(6, 0), NULL), H(7, 20));
	}
	applied_free(&a);
	/* One trip by id: without r1a the first arrival at Cijk is r1b's 07:10. */
	CHECK_INT(apply_text(feed, "edits:\n  - remove: { trips: [r1a] }\n", &a, &err), 0);
	if (a.tt)
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 0), NULL), H(7, 10));
	if (a.res) {
		/* A removed trip is no longer found by id; the others are. */
		uint32_t n;
		const grens_gtfs_feed *const *copy = grens_scenario_result_feeds(a.res, &n);
		CHECK_INT(grens_gtfs_find_trip(copy[0], "r1a"), GRENS_NONE);
		CHECK(grens_gtfs_find_trip(copy[0], "r1b") != GRENS_NONE);
	}
	applied_free(&a);
	/* By route id, in a named feed. */
	CHECK_INT(apply_text(feed, "edits:\n  - remove: { feed: t, route-ids: [r1] }\n", &a, &err),
		  0);
	if (a.tt)
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
	applied_free(&a);
	/* Unknown names are errors at their line and column. */
	CHECK_INT(apply_text(feed, "edits:\n  - remove: { routes: [R9] }\n", &a, &err),
		  GRENS_ENOTFOUND);
	CHECK_INT(err.line, 2);
	CHECK_INT(err.column, 24); /* "  - remove: { routes: [" is 23 characters */
	applied_free(&a);
	CHECK_INT(apply_text(feed, "edits:\n  - remove: { feed: zz, routes: [R1] }\n", &a, &err),
		  GRENS_ENOTFOUND);
	CHECK_STR(err.field, "feed");
	applied_free(&a);
}

static void test_extend(const grens_gtfs_feed *feed)
{
	struct applied a;
	grens_error err;
	const char *y = "edits:\n"
			"  - extend:\n"
			"      route: R1\n"
			"      at: Cijk\n"
			"      dwell: 1\n"
			"      stops:\n"
			"        - { stop: Dorp, run: 15 }\n";
	CHECK_INT(apply_text(feed, y, &a, &err), 0);
	if (a.tt) {
		/* r1a: Cijk a 06:40, d 06:41 (dwell 1), Dorp 06:41 + 15 = 06:56,
		 * no change (base: 07:20 with one). */
		int32_t tr = -9;
		CHECK_INT(earliest(a.tt, "t:sa", "t:d", H(6, 0), &tr), H(6, 56));
		CHECK_INT(tr, 0);
		/* r1x backward: left Cijk 07:10; now arrives there 07:09 (dwell 1)
		 * and starts at Dorp 07:09 - 15 = 06:54; Aston 07:51. */
		CHECK_INT(earliest(a.tt, "t:d", "t:sa", H(6, 50), &tr), H(7, 51));
		CHECK_INT(tr, 0);
		/* 3 forward + 1 backward trips changed. */
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_changed, 4);
	}
	applied_free(&a);
	/* Only the trips at Cijk at minute 10 (r1b arriving 07:10, r1x leaving
	 * 07:10): r1a stays as it was. */
	const char *m = "edits:\n"
			"  - extend:\n"
			"      route: R1\n"
			"      at: Cijk\n"
			"      minutes: [10]\n"
			"      stops: [ { stop: Dorp, run: 15 } ]\n";
	CHECK_INT(apply_text(feed, m, &a, &err), 0);
	if (a.tt) {
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_changed, 2);
		/* r1a + R2 as in the base (07:20); r1b Cijk 07:10 + 15 = 07:25 is later. */
		CHECK_INT(earliest(a.tt, "t:sa", "t:d", H(6, 0), NULL), H(7, 20));
		/* Leaving after 06:00: r1b direct, 07:25 (base: 08:20). */
		CHECK_INT(earliest(a.tt, "t:sa", "t:d", H(6, 1), NULL), H(7, 25));
	}
	applied_free(&a);
	/* An unknown stop in the extension: the error names its line and column. */
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/scenario-edits/bad-stop.yaml");
	grens_scenario *sc = NULL;
	CHECK_INT(grens_scenario_load(&sc, path, &err), 0);
	if (sc) {
		grens_scenario_result *res = NULL;
		CHECK_INT(grens_scenario_apply(&res, sc, &feed, 1, NULL, &err), GRENS_ENOTFOUND);
		CHECK(res == NULL);
		CHECK_STR(err.file, path);
		CHECK_INT(err.line, 7);
		CHECK_INT(err.column, 19); /* "        - { stop: " is 18 characters */
		CHECK(strstr(err.message, "Nowhere") != NULL);
		grens_scenario_free(sc);
	}
}

static void test_truncate(const grens_gtfs_feed *feed)
{
	struct applied a;
	grens_error err;
	CHECK_INT(apply_text(feed,
			     "edits:\n  - truncate: { route: R1, at: Bergen, toward: Cijk }\n", &a,
			     &err),
		  0);
	if (a.tt) {
		/* Forward trips end at Bergen (06:20); Cijk is out of reach. */
		CHECK_INT(earliest(a.tt, "t:sa", "t:b", H(6, 0), NULL), H(6, 20));
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
		/* r1x now starts at Bergen 07:31 and still reaches Aston 07:51. */
		CHECK_INT(earliest(a.tt, "t:b", "t:sa", H(7, 0), NULL), H(7, 51));
		CHECK_INT(earliest(a.tt, "t:c", "t:sa", H(7, 0), NULL), GRENS_ROUTE_UNREACHED);
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_changed, 4);
	}
	applied_free(&a);
}

static void test_headway(const grens_gtfs_feed *feed)
{
	struct applied a;
	grens_error err;
	CHECK_INT(
	    apply_text(feed,
		       "edits:\n  - headway: { route: R1, band: \"06:00-07:00\", headway: 10 }\n",
		       &a, &err),
	    0);
	if (a.tt) {
		/* r1a 06:00 and r1b 06:30 leave in the band: replaced by 06:00,
		 * 06:10, ..., 06:50 (6 trips) from r1a's times. */
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_removed, 2);
		CHECK_INT(grens_scenario_result_stats(a.res)->trips_added, 6);
		/* Leaving 06:11: the 06:20 trip, Cijk 06:20 + 40 = 07:00 (base: 07:10). */
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 11), NULL), H(7, 0));
		/* After 06:50 the 07:00 trip (outside the band) as before: 07:40. */
		CHECK_INT(earliest(a.tt, "t:sa", "t:c", H(6, 51), NULL), H(7, 40));
	}
	applied_free(&a);
}

static void test_overlay(const grens_gtfs_feed *feed)
{
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/scenario-edits/overlay.yaml");
	grens_scenario *sc = NULL;
	grens_error err;
	CHECK_INT(grens_scenario_load(&sc, path, &err), 0);
	if (!sc)
		return;
	grens_scenario_result *res = NULL;
	CHECK_INT(grens_scenario_apply(&res, sc, &feed, 1, NULL, &err), 0);
	if (res) {
		/* Stop d is the feed's own; f is new. */
		CHECK_INT(grens_scenario_result_stats(res)->stops_added, 1);
		CHECK_INT(grens_scenario_result_stats(res)->trips_added, 1);
		uint32_t n;
		const grens_gtfs_feed *const *feeds = grens_scenario_result_feeds(res, &n);
		/* The overlay's stop_headsign comes along: its index is one of the
		 * result feed's table (the base has none: "" and the new text). */
		const grens_gtfs_feed *rf = n ? feeds[0] : NULL;
		const grens_gtfs_trip *r3a = NULL;
		for (uint32_t t = 0; rf && t < rf->trip_count; t++)
			if (strcmp(rf->trips[t].id, "r3a") == 0)
				r3a = &rf->trips[t];
		CHECK(r3a && r3a->stop_time_count == 2);
		if (r3a && r3a->stop_time_count == 2) {
			const grens_gtfs_stop_time *st = rf->stop_times + r3a->first_stop_time;
			CHECK_STR(grens_gtfs_stop_headsign(rf, &st[0]), "Fort via Dorp");
			CHECK_STR(grens_gtfs_stop_headsign(rf, &st[1]), "");
			CHECK_INT(rf->stop_headsign_count, feed->stop_headsign_count + 1);
		}
		grens_timetable *tt = build(feeds, n);
		if (tt) {
			/* Dorp 07:20 (as in the base), change, R3 07:30 -> Fort 07:40. */
			int32_t tr = -9;
			CHECK_INT(earliest(tt, "t:sa", "t:f", H(6, 0), &tr), H(7, 40));
			CHECK_INT(tr, 2);
			grens_net_free(tt);
		}
	}
	/* a built timetable has no GTFS to merge into: refused, naming the edit */
	grens_timetable *base = build(&feed, 1), *der = NULL;
	grens_error_clear(&err);
	CHECK_INT(base ? grens_scenario_derive(&der, NULL, sc, base, NULL, &err) : -1, GRENS_EARG);
	CHECK(der == NULL);
	CHECK(err.line > 0);
	CHECK(strstr(err.message, "--feed") != NULL);
	grens_net_free(base);
	grens_scenario_result_free(res);
	grens_scenario_free(sc);
}

/* service-id: the new trips run on the days of an existing service. */
static void test_service_id(const grens_gtfs_feed *feed)
{
	struct applied a;
	grens_error err;
	const char *y = "edits:\n"
			"  - add-line:\n"
			"      name: Z\n"
			"      mode: bus\n"
			"      stops: [ t:b, { stop: t:d, run: 12 } ]\n"
			"      services: [ { service-id: all, direction: forward, departures: [\"06:30\"] } ]\n";
	CHECK_INT(apply_text(feed, y, &a, &err), 0);
	if (a.tt) {
		/* Bergen 06:30 + 12 = Dorp 06:42; the fixture's service "all" runs
		 * on the test date. No new service was added. */
		CHECK_INT(earliest(a.tt, "t:b", "t:d", H(6, 22), NULL), H(6, 42));
		CHECK_INT(a.tt->service_count, 1);
	}
	applied_free(&a);
	const char *bad = "edits:\n"
			  "  - add-line:\n"
			  "      name: Z\n"
			  "      mode: bus\n"
			  "      stops: [ t:b, { stop: t:d, run: 12 } ]\n"
			  "      services:\n"
			  "        - { service-id: wd, departures: [\"06:30\"] }\n";
	CHECK_INT(apply_text(feed, bad, &a, &err), GRENS_ENOTFOUND);
	CHECK_INT(err.line, 7);
	CHECK_INT(err.column, 25); /* "        - { service-id: " is 24 characters */
	applied_free(&a);
	/* A timetable without service ids (a snapshot of grens 0.2.0) refuses a
	 * service-id at its place, saying to build it again. */
	grens_scenario *sc = NULL;
	grens_timetable *tt = build(&feed, 1), *der = NULL;
	CHECK_INT(grens_scenario_parse(&sc, y, strlen(y), "old.yaml", &err), 0);
	if (sc && tt) {
		grens_timetable old = *tt; /* a view: never freed itself */
		old.service_id = NULL;
		CHECK_INT(grens_scenario_derive(&der, NULL, sc, &old, NULL, &err), GRENS_EARG);
		CHECK(der == NULL);
		CHECK_INT(err.line, 6);
		CHECK(strstr(err.message, "build it again") != NULL);
		CHECK_STR(err.file, "old.yaml");
	}
	grens_net_free(der);
	grens_net_free(tt);
	grens_scenario_free(sc);
}

/* A stop of another feed is copied into the line's feed as "feed:stop_id".
 * The fixture is loaded twice, as feeds t and u. */
static void test_two_feeds(const grens_gtfs_feed *feed)
{
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/scenario-basic");
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = "u";
	grens_gtfs_feed *other = NULL;
	grens_error err;
	if (grens_gtfs_load(&other, path, &opts, NULL, &err) != 0) {
		CHECK(0);
		return;
	}
	const char *y = "edits:\n"
			"  - add-line:\n"
			"      feed: t\n"
			"      name: Y\n"
			"      mode: bus\n"
			"      stops: [ t:d, { stop: \"u:e\", run: 10 } ]\n"
			"      services: [ { days: daily, direction: forward, departures: [\"07:30\"] } ]\n";
	grens_scenario *sc = NULL;
	CHECK_INT(grens_scenario_parse(&sc, y, strlen(y), "two.yaml", &err), 0);
	const grens_gtfs_feed *feeds[2] = { feed, other };
	grens_scenario_result *res = NULL;
	if (sc)
		CHECK_INT(grens_scenario_apply(&res, sc, feeds, 2, NULL, &err), 0);
	if (res) {
		CHECK_INT(grens_scenario_result_stats(res)->stops_added, 1);
		uint32_t n;
		const grens_gtfs_feed *const *mod = grens_scenario_result_feeds(res, &n);
		CHECK_INT(n, 2);
		/* Feed u is unchanged; t has the copy "u:e". */
		CHECK_INT(mod[1]->stop_count, other->stop_count);
		CHECK_INT(mod[0]->stop_count, feed->stop_count + 1);
		CHECK_STR(mod[0]->stops[feed->stop_count].id, "u:e");
		grens_timetable *tt = build(mod, n);
		if (tt) {
			/* R1 06:00 -> Cijk 06:40, R2 06:50 -> Dorp 07:20, Y 07:30 ->
			 * the copy of Eind 07:40. */
			CHECK_INT(earliest(tt, "t:sa", "t:u:e", H(6, 0), NULL), H(7, 40));
			grens_net_free(tt);
		}
		/* On the built base the line calls at u's Eind itself: the same
		 * 07:40 (nothing to change there, so no link walk is missed). */
		grens_timetable *base = build(feeds, 2), *der = NULL;
		grens_scenario_stats st;
		CHECK_INT(base ? grens_scenario_derive(&der, &st, sc, base, NULL, &err) : -1, 0);
		if (der) {
			CHECK_INT(st.trips_added, 1);
			CHECK_INT(der->stop_count, base->stop_count);
			CHECK_INT(earliest(der, "t:sa", "u:e", H(6, 0), NULL), H(7, 40));
			/* the base is unchanged: R2 then nothing to Eind */
			CHECK_INT(earliest(base, "t:sa", "u:e", H(6, 0), NULL), GRENS_ROUTE_UNREACHED);
		}
		grens_net_free(der);
		grens_net_free(base);
	}
	grens_scenario_result_free(res);
	grens_scenario_free(sc);
	grens_gtfs_free(other);
}

/* Damaged files never crash: every byte of a valid scenario replaced by a
 * few troublesome characters, and every prefix, parse to a scenario or an
 * error with a location; the ones that parse apply or fail cleanly. */
static void test_damaged(const grens_gtfs_feed *feed)
{
	char path[4096];
	check_source_path(path, sizeof(path), "tests/fixtures/scenario-edits/add-line.yaml");
	FILE *f = fopen(path, "rb");
	char text[4096];
	size_t len = f ? fread(text, 1, sizeof(text), f) : 0;
	if (f)
		fclose(f);
	CHECK(len > 100);
	static const char subst[] = { ':', '-', '[', '{', '"', '\n', ' ', '9', '\0', '\xff' };
	uint32_t parsed = 0, failed = 0, bad_codes = 0, both_ways = 0;
	grens_timetable *base = build(&feed, 1);
	CHECK(base != NULL);
	for (size_t i = 0; i < len; i++) {
		for (size_t k = 0; k <= sizeof(subst); k++) {
			char copy[4096];
			memcpy(copy, text, len);
			size_t n = len;
			if (k < sizeof(subst))
				copy[i] = subst[k];
			else
				n = i; /* a prefix */
			grens_scenario *sc = NULL;
			grens_error err;
			int rc = grens_scenario_parse(&sc, copy, n, "damaged.yaml", &err);
			if (rc == 0) {
				parsed++;
				grens_scenario_result *res = NULL;
				rc = grens_scenario_apply(&res, sc, &feed, 1, NULL, &err);
				bad_codes += rc > 0 || rc < GRENS_EARG;
				/* the same verdict on the built timetable */
				grens_timetable *der = NULL;
				int rd = base ? grens_scenario_derive(&der, NULL, sc, base, NULL, &err)
					      : -1;
				bad_codes += rd != rc;
				/* and, every 97th that applies, the same journeys */
				if (rc == 0 && rd == 0 && parsed % 97 == 0) {
					uint32_t nf;
					const grens_gtfs_feed *const *mf =
					    grens_scenario_result_feeds(res, &nf);
					grens_timetable *rb = build(mf, nf);
					CHECK_INT(rb ? derived_differences(&feed, 1, sc, rb) : -1, 0);
					grens_net_free(rb);
					both_ways++;
				}
				grens_net_free(der);
				grens_scenario_result_free(res);
				grens_scenario_free(sc);
			} else {
				failed++;
				bad_codes += rc > 0 || rc < GRENS_EARG || err.line == 0;
			}
		}
	}
	CHECK(parsed > 0);
	CHECK(failed > 0);
	CHECK(both_ways > 0);
	CHECK_INT(bad_codes, 0);
	grens_net_free(base);
}

int main(void)
{
	test_sha256();
	test_parse();
	grens_gtfs_feed *feed = load_feed();
	CHECK(feed != NULL);
	if (feed) {
		test_base(feed);
		test_add_line(feed);
		test_remove(feed);
		test_extend(feed);
		test_truncate(feed);
		test_headway(feed);
		test_overlay(feed);
		test_service_id(feed);
		test_two_feeds(feed);
		test_damaged(feed);
		/* most scenarios apply again on top of themselves */
		CHECK(derived_twice >= 5);
		printf("derived twice: %u scenarios\n", derived_twice);
	}
	grens_gtfs_free(feed);
	return check_exit();
}
