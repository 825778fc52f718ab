/* Linking several feeds: links files, stop matching, footpaths between
 * matched stations, trip merging, time zones. Fixtures: tests/fixtures/
 * link-nl (feed "nl", Dutch ids), link-de (feed "de", DHIDs), link-rules
 * (links.csv, overrides.csv), link-london and link-newyork. Read them
 * alongside: every expected value below is derived from those files. */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

#include "grens/gtfs.h"
#include "grens/net.h"

static grens_gtfs_feed *load(const char *dir, const char *name)
{
	char path[4096];
	check_source_path(path, sizeof(path), dir);
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = name;
	grens_gtfs_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_load(&feed, path, &opts, NULL, &err) != 0) {
		fprintf(stderr, "loading %s: %s\n", path, err.message);
		return NULL;
	}
	return feed;
}

static grens_net_links *load_links(grens_diag *diag)
{
	grens_net_links *links = grens_net_links_new();
	const char *files[2] = {"tests/fixtures/link-rules/links.csv",
				"tests/fixtures/link-rules/overrides.csv"};
	for (int k = 0; k < 2; k++) {
		char path[4096], text[4096];
		check_source_path(path, sizeof(path), files[k]);
		FILE *f = fopen(path, "rb");
		size_t len = f ? fread(text, 1, sizeof(text), f) : 0;
		if (f)
			fclose(f);
		grens_error err;
		grens_error_clear(&err);
		CHECK_INT(grens_net_links_parse(links, text, len, k, files[k], diag, &err), 0);
	}
	return links;
}

static grens_date D(int y, int m, int d)
{
	return grens_date_from_ymd(y, m, d);
}

static uint32_t stop(const grens_timetable *tt, const char *feed, const char *id)
{
	return grens_net_stop_by_id(tt, feed, id);
}

static int32_t footpath(const grens_timetable *tt, uint32_t a, uint32_t b)
{
	if (a == GRENS_NONE || b == GRENS_NONE)
		return -2;
	for (uint32_t i = tt->footpath_offset[a]; i < tt->footpath_offset[a + 1]; i++)
		if (tt->footpaths[i].to_stop == b)
			return tt->footpaths[i].duration;
	return -1;
}

static const grens_net_stop_time *trip_times(const grens_timetable *tt, uint32_t t, uint32_t *n)
{
	uint32_t p = tt->trip_pattern[t];
	*n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	return grens_net_pattern_times(tt, p) +
	       (uint64_t)(t - tt->pattern_trip_offset[p]) * *n;
}

/* ---- links files ---------------------------------------------------------------- */

static void test_links_parse(void)
{
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	/* link-rules/links.csv has 3 rows, overrides.csv 3 rows of which one
	 * ("maybe") has no valid action: 3 + 2 = 5 rows kept. */
	grens_net_links *links = load_links(diag);
	CHECK_INT(grens_net_links_count(links), 5);
	CHECK_INT(grens_diag_count(diag, "link_invalid_row"), 1);
	grens_net_links_free(links);

	/* A links file without stop_id_b fails with its name and the column. */
	links = grens_net_links_new();
	const char *bad = "feed_a,stop_id_a,feed_b\nnl,x,de\n";
	CHECK_INT(grens_net_links_parse(links, bad, strlen(bad), GRENS_NET_LINKS_FILE, "bad.csv",
					diag, &err),
		  GRENS_EFORMAT);
	CHECK_STR(err.file, "bad.csv");
	CHECK_STR(err.field, "stop_id_b");
	/* Quotes, CRLF, a BOM and a blank line; a row with an empty id is skipped
	 * with its line number (line 4). */
	const char *ok = "\xEF\xBB\xBF"
			 "feed_a,stop_id_a,feed_b,stop_id_b\r\n"
			 "nl,\"a,1\",de,b\r\n"
			 "\r\n"
			 "nl,,de,c\r\n";
	grens_error_clear(&err);
	CHECK_INT(grens_net_links_parse(links, ok, strlen(ok), GRENS_NET_LINKS_FILE, "ok.csv", diag,
					&err),
		  0);
	CHECK_INT(grens_net_links_count(links), 1);
	CHECK_INT(grens_diag_count(diag, "link_invalid_row"), 2);
	const grens_notice *last = grens_diag_kept(diag, grens_diag_kept_count(diag) - 1);
	CHECK_STR(last->file, "ok.csv");
	CHECK_INT(last->line, 4);
	grens_net_links_free(links);

	/* A NUL byte: "S0\0 06" must not become stop "S0"; the row is skipped
	 * with file, line and field; a NUL in the header fails the file. */
	static const char nul[] = "feed_a,stop_id_a,feed_b,stop_id_b\n"
				  "nl,S0\0 06,de,b\n"
				  "nl,S1,de,b\n";
	links = grens_net_links_new();
	CHECK_INT(grens_net_links_parse(links, nul, sizeof(nul) - 1, GRENS_NET_LINKS_FILE,
					"nul.csv", diag, &err),
		  0);
	CHECK_INT(grens_net_links_count(links), 1);
	CHECK_INT(grens_diag_count(diag, "invalid_character"), 1);
	last = grens_diag_kept(diag, grens_diag_kept_count(diag) - 1);
	CHECK_STR(last->code, "invalid_character");
	CHECK_STR(last->file, "nul.csv");
	CHECK_STR(last->field, "stop_id_a");
	CHECK_INT(last->line, 2);
	grens_net_links_free(links);
	static const char nul_header[] = "feed_a,stop_id_a\0,feed_b,stop_id_b\nnl,S1,de,b\n";
	links = grens_net_links_new();
	CHECK_INT(grens_net_links_parse(links, nul_header, sizeof(nul_header) - 1,
					GRENS_NET_LINKS_FILE, "nulh.csv", diag, &err),
		  GRENS_EFORMAT);
	CHECK_STR(err.file, "nulh.csv");
	CHECK_INT(grens_net_links_count(links), 0);
	grens_net_links_free(links);
	grens_diag_free(diag);
}

/* ---- stop matching, footpaths, places ---------------------------------------------- */

static const grens_net_stop_match *find_match(const grens_net_link_report *r,
					      const grens_timetable *tt, const char *id_a)
{
	for (uint32_t i = 0; i < r->match_count; i++)
		if (strcmp(grens_net_str(tt, tt->stop_id[r->matches[i].stop_a]), id_a) == 0)
			return &r->matches[i];
	return NULL;
}

static void check_match(const grens_net_link_report *r, const grens_timetable *tt, const char *id_a,
			const char *id_b, grens_net_rule rule)
{
	const grens_net_stop_match *m = find_match(r, tt, id_a);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(grens_net_str(tt, tt->stop_id[m->stop_b]), id_b);
	CHECK_STR(grens_net_rule_name(m->rule), grens_net_rule_name(rule));
	CHECK_INT(tt->stop_place[m->stop_a], tt->stop_place[m->stop_b]);
}

static void test_matching(void)
{
	grens_diag *diag = grens_diag_new();
	grens_gtfs_feed *nl = load("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load("tests/fixtures/link-de", "de");
	grens_net_links *links = load_links(NULL);
	grens_timetable *tt = NULL;
	grens_net_link_report *r = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de);
	if (!nl || !de)
		goto out;
	const grens_gtfs_feed *feeds[] = {nl, de};
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	opts.links = links;
	CHECK_INT(grens_net_build_linked(&tt, &r, feeds, 2, &opts, diag, &err), 0);
	if (!tt || !r)
		goto out;
	/* Ids keep their feed: nl's 16 stops, then de's 13. */
	CHECK_INT(tt->stop_count, 29);
	CHECK_STR(grens_net_str(tt, tt->stop_name[stop(tt, "de", "de:05334:1008")]),
		  "Aachen Hauptbahnhof");

	/* Five matches, one per rule:
	 * - grs/5002 forced by overrides.csv (597.6 m, names differ);
	 * - hzr/3690 named in links.csv (also the same name, but links come first);
	 * - vl/8400644: nl's stop_code 8400644 is de's stop_id (UIC);
	 * - ahbf/1008: "Aachen Hbf" and "Aachen Hauptbahnhof" both normalise to
	 *   "aachen hbf", 0.0003 deg of longitude = 21 m apart;
	 * - bush/5003: "Bocholtz Grens"/"Bocholtz Bahnhof", 27.8 m north and
	 *   14.0 m east = 31 m, within 50 m. */
	CHECK_INT(r->match_count, 5);
	check_match(r, tt, "grs", "de:05334:5002", GRENS_NET_RULE_OVERRIDE);
	check_match(r, tt, "hzr", "de:05334:3690", GRENS_NET_RULE_LINKS);
	check_match(r, tt, "vl", "8400644", GRENS_NET_RULE_CODE);
	check_match(r, tt, "ahbf", "de:05334:1008", GRENS_NET_RULE_NAME);
	check_match(r, tt, "bush", "de:05334:5003", GRENS_NET_RULE_DISTANCE);
	const grens_net_stop_match *m = find_match(r, tt, "bush");
	if (m)
		CHECK_NEAR(m->distance_m, 31.1, 0.5);
	/* links.csv row 3 names nl:nosuch (unresolved); row 4 a feed "other"
	 * that is not loaded (ignored). */
	CHECK_INT(r->links_unresolved, 1);
	CHECK_INT(grens_diag_count(diag, "link_unknown_stop"), 1);

	/* Near misses:
	 * - Kerkrade (6.6 m, same normalised name "kerkrade c"): forbidden;
	 * - Venlo Busstation, 26 m from nl's Venlo (distance rule), but Venlo
	 *   already took de's station by code;
	 * - Aachen West: 0.0096 deg north and 0.0157 deg west = 1067 m and
	 *   1104 m, about 1535 m apart, beyond the 1000 m name radius;
	 * - Aachen Schanz / Aachen Schanz Bf: 0.0042 deg of longitude = 295 m,
	 *   the names share their first word but differ. */
	CHECK_INT(r->near_miss_count, 4);
	for (uint32_t i = 0; i < r->near_miss_count; i++) {
		const grens_net_near_miss *nm = &r->near_misses[i];
		const char *a = grens_net_str(tt, tt->stop_id[nm->stop_a]);
		const char *b = grens_net_str(tt, tt->stop_id[nm->stop_b]);
		if (strcmp(a, "kkd") == 0) {
			CHECK(strstr(nm->reason, "forbidden") != NULL);
		} else if (strcmp(a, "vl") == 0) {
			CHECK_STR(b, "de:05334:5004");
			CHECK(strstr(nm->reason, "already matched to de:8400644") != NULL);
		} else if (strcmp(a, "schz") == 0) {
			CHECK(strstr(nm->reason, "similar names") != NULL);
			CHECK_NEAR(nm->distance_m, 295, 2);
		} else {
			CHECK_STR(a, "aw");
			CHECK(strstr(nm->reason, "same name") != NULL);
			CHECK_NEAR(nm->distance_m, 1535, 5);
		}
	}
	uint32_t kkd = stop(tt, "nl", "kkd"), k5001 = stop(tt, "de", "de:05334:5001");
	CHECK(tt->stop_place[kkd] != tt->stop_place[k5001]);

	/* Footpaths between matched platforms. Aachen: walk 21.1 m * 1.3 / 1.2
	 * = 23 s, but de's transfers.txt gives Aachen Hbf 300 s to change: 300.
	 * Vaals (forced, 597.6 m): 597.6 * 1.3 / 1.2 = 647.4 -> 648 s. */
	uint32_t ahbf6 = stop(tt, "nl", "ahbf:6"), a1008 = stop(tt, "de", "de:05334:1008:1:6");
	CHECK_INT(footpath(tt, ahbf6, a1008), 300);
	CHECK_INT(footpath(tt, a1008, ahbf6), 300);
	CHECK_INT(footpath(tt, stop(tt, "nl", "grs"), stop(tt, "de", "de:05334:5002")), 648);
	/* At 0.6 m/s the Vaals walk takes 597.6 * 1.3 / 0.6 = 1294.8 -> 1295 s
	 * (a direct footpath may exceed the 1200 s closure bound). */
	{
		grens_timetable *slow = NULL;
		grens_net_options so = opts;
		so.walk_speed_mps = 0.6;
		CHECK_INT(grens_net_build(&slow, feeds, 2, &so, NULL, &err), 0);
		if (slow)
			CHECK_INT(footpath(slow, stop(slow, "nl", "grs"),
					   stop(slow, "de", "de:05334:5002")),
				  1295);
		grens_net_free(slow);
	}
	/* Herzogenrath platforms at the same point: the change time at matched
	 * stations, 120 s. */
	CHECK_INT(footpath(tt, stop(tt, "nl", "hzr:1"), stop(tt, "de", "de:05334:3690:1:1")), 120);
	/* 2 footpaths per matched pair of platforms (each pair has one
	 * platform a side): 5 pairs * 2 = 10. */
	CHECK_INT(r->link_footpaths, 10);
	/* Kerkrade was forbidden as a match, but the 400 m radius of a
	 * multi-feed build still lets people walk the 6.6 m. */
	double dk = grens_geo_distance_m(50.8650, 6.0640, 50.86505, 6.06405);
	CHECK(dk > 6.0 && dk < 7.0);
	CHECK_INT(footpath(tt, kkd, k5001), (int32_t)ceil(dk * 1.3 / 1.2));

	/* Matched stations are one place for stop lookup: "Aachen Hbf" finds
	 * both stations and both platforms; "Aachen West" names two places. */
	uint32_t found[16], nf = 0;
	CHECK_INT(grens_net_find_stops(tt, "Aachen Hbf", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 4);
	CHECK_INT(grens_net_find_stops(tt, "de:de:05334:1008", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 4);
	CHECK_INT(grens_net_find_stops(tt, "Aachen West", found, 16, &nf, &err), GRENS_EARG);
out:
	grens_net_link_report_free(r);
	grens_net_free(tt);
	grens_net_links_free(links);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
	grens_diag_free(diag);
}

/* ---- trip merging ------------------------------------------------------------------- */

static const grens_net_trip_merge *find_merge(const grens_net_link_report *r,
					      const grens_timetable *tt, const char *trip_b)
{
	for (uint32_t i = 0; i < r->merge_count; i++)
		if (strcmp(grens_net_str(tt, r->merges[i].trip_id_b), trip_b) == 0)
			return &r->merges[i];
	return NULL;
}

static uint32_t count_running(const grens_timetable *tt, grens_date d)
{
	uint32_t n = 0;
	for (uint32_t t = 0; t < tt->trip_count; t++)
		n += grens_net_trip_runs(tt, t, d);
	return n;
}

static void test_merging(void)
{
	grens_gtfs_feed *nl = load("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load("tests/fixtures/link-de", "de");
	grens_net_links *links = load_links(NULL);
	grens_timetable *tt = NULL, *apart = NULL;
	grens_net_link_report *r = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de);
	if (!nl || !de)
		goto out;
	const grens_gtfs_feed *feeds[] = {nl, de};
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	opts.links = links;
	CHECK_INT(grens_net_build_linked(&tt, &r, feeds, 2, &opts, NULL, &err), 0);
	opts.merge_trips = false;
	CHECK_INT(grens_net_build(&apart, feeds, 2, &opts, NULL, &err), 0);
	if (!tt || !r || !apart)
		goto out;
	/* nl runs d1 = Mon 2026-03-09 .. Fri 03-13; de runs wk = Mon-Fri
	 * 03-02 .. 03-20 (15 days). Common: the 5 days of d1. Four merges:
	 * - 32027: nl mt-hrl-hzr ends where de hzr-ahbf starts (07:34 both):
	 *   joined, 1 shared stop;
	 * - 20001: de hzr-ahbf lies within nl hrl-hzr-ahbf; Aachen 08:25 vs
	 *   08:26: contained, 2 shared stops, 60 s apart;
	 * - 20002: de ahbf-hzr is the head of nl ahbf-hzr-hrl: contained;
	 * - bus 350 without train numbers: 2 shared stops (Bocholtz matched by
	 *   distance, Vaals forced), same route name: same.
	 * 32099 of de meets no train with its number: not merged. */
	CHECK_INT(r->merge_count, 4);
	const grens_net_trip_merge *mj = find_merge(r, tt, "de-re18-1");
	const grens_net_trip_merge *mc = find_merge(r, tt, "de-ic-1");
	const grens_net_trip_merge *mh = find_merge(r, tt, "de-ic-2");
	const grens_net_trip_merge *ms = find_merge(r, tt, "de-bus-1");
	CHECK(mj && mc && mh && ms);
	CHECK(find_merge(r, tt, "de-re18-x") == NULL);
	if (!mj || !mc || !mh || !ms)
		goto out;
	CHECK_INT(mj->kind, GRENS_NET_MERGE_JOINED);
	CHECK_STR(grens_net_str(tt, mj->trip_id_a), "nl-re18-1");
	CHECK_STR(grens_net_str(tt, mj->short_name), "32027");
	CHECK_INT(mj->shared_stops, 1);
	CHECK_INT(mj->days, 5);
	CHECK_INT(mc->kind, GRENS_NET_MERGE_CONTAINED);
	CHECK_INT(mc->shared_stops, 2);
	CHECK_INT(mc->max_difference, 60);
	CHECK_INT(mh->kind, GRENS_NET_MERGE_CONTAINED);
	CHECK_STR(grens_net_str(tt, mh->trip_id_a), "nl-ic-2");
	CHECK_INT(ms->kind, GRENS_NET_MERGE_SAME);
	CHECK_INT(ms->feed_a, 0);

	/* The joined run: nl's stops, then de's Aachen; at Herzogenrath nl's
	 * arrival 07:34 and de's departure 07:35. Both ids kept. */
	uint32_t j = grens_net_trip_by_id(tt, "nl", "nl-re18-1");
	CHECK(j != GRENS_NONE);
	if (j != GRENS_NONE) {
		uint32_t n;
		const grens_net_stop_time *st = trip_times(tt, j, &n);
		CHECK_INT(n, 4);
		const uint32_t *ps =
		    tt->pattern_stops + tt->pattern_stop_offset[tt->trip_pattern[j]];
		CHECK_INT(ps[2], stop(tt, "nl", "hzr:1"));
		CHECK_INT(ps[3], stop(tt, "de", "de:05334:1008:1:6"));
		CHECK_INT(st[2].arrival, 7 * 3600 + 34 * 60);
		CHECK_INT(st[2].departure, 7 * 3600 + 35 * 60);
		CHECK_INT(st[3].arrival, 7 * 3600 + 50 * 60);
		CHECK_INT(tt->trip_alt_feed[j], 1);
		CHECK_STR(grens_net_str(tt, tt->trip_alt_id[j]), "de-re18-1");
		CHECK(grens_net_trip_runs(tt, j, D(2026, 3, 10)));
		CHECK(!grens_net_trip_runs(tt, j, D(2026, 3, 3)));
	}
	/* de's own run keeps the days nl does not run: 03-03, not 03-10. */
	uint32_t d18 = grens_net_trip_by_id(tt, "de", "de-re18-1");
	CHECK(d18 != GRENS_NONE && d18 != j);
	if (d18 != GRENS_NONE) {
		CHECK(grens_net_trip_runs(tt, d18, D(2026, 3, 3)));
		CHECK(!grens_net_trip_runs(tt, d18, D(2026, 3, 10)));
		CHECK(grens_net_trip_runs(tt, d18, D(2026, 3, 20)));
	}
	uint32_t ic1 = grens_net_trip_by_id(tt, "nl", "nl-ic-1");
	CHECK(ic1 != GRENS_NONE);
	if (ic1 != GRENS_NONE)
		CHECK_STR(grens_net_str(tt, tt->trip_alt_id[ic1]), "de-ic-1");
	/* Runs on Tue 03-10: without merging nl's 4 and de's 5 = 9; merged,
	 * nl-ic-1, nl-ic-2, nl-bus-1, the joined 32027 and de's 32099 = 5.
	 * On Tue 03-03 only de runs: 5 either way. */
	CHECK_INT(count_running(apart, D(2026, 3, 10)), 9);
	CHECK_INT(count_running(tt, D(2026, 3, 10)), 5);
	CHECK_INT(count_running(apart, D(2026, 3, 3)), 5);
	CHECK_INT(count_running(tt, D(2026, 3, 3)), 5);
	/* nothing merged: no alternate ids at all */
	CHECK(apart->trip_alt_feed == NULL && apart->trip_alt_id == NULL);
out:
	grens_net_link_report_free(r);
	grens_net_free(tt);
	grens_net_free(apart);
	grens_net_links_free(links);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
}

/* ---- no journey lost or doubled ----------------------------------------------------------
 * A tiny earliest-arrival connection scan: all trips running on day d,
 * boarding at a stop from the time one can board there (arrival by a
 * vehicle plus the stop's change time, or arrival on foot), footpaths after
 * every arrival (they are transitively closed). */

struct conn {
	uint32_t from, to, trip;
	int32_t dep, arr;
};

static int cmp_conn(const void *a, const void *b)
{
	const struct conn *x = a, *y = b;
	if (x->dep != y->dep)
		return x->dep < y->dep ? -1 : 1;
	return (x->arr > y->arr) - (x->arr < y->arr);
}

static uint32_t connections(const grens_timetable *tt, grens_date d, struct conn *out)
{
	uint32_t n = 0;
	for (uint32_t t = 0; t < tt->trip_count; t++) {
		if (!grens_net_trip_runs(tt, t, d))
			continue;
		uint32_t k, p = tt->trip_pattern[t];
		const grens_net_stop_time *st = trip_times(tt, t, &k);
		const uint32_t *ps = tt->pattern_stops + tt->pattern_stop_offset[p];
		for (uint32_t i = 0; i + 1 < k; i++)
			out[n++] =
			    (struct conn){ps[i], ps[i + 1], t, st[i].departure, st[i + 1].arrival};
	}
	qsort(out, n, sizeof(*out), cmp_conn);
	return n;
}

/* Earliest arrival at every place from place `from` leaving at t0. */
static void earliest(const grens_timetable *tt, const struct conn *c, uint32_t nc, uint32_t from,
		     int32_t t0, int32_t *place_arr)
{
	int32_t *board = malloc(tt->stop_count * sizeof(int32_t));
	uint8_t *on = calloc(tt->trip_count, 1);
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		board[s] = INT32_MAX;
		place_arr[s] = INT32_MAX;
	}
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		if (tt->stop_place[s] != from)
			continue;
		board[s] = t0;
		place_arr[tt->stop_place[s]] = t0;
		for (uint32_t f = tt->footpath_offset[s]; f < tt->footpath_offset[s + 1]; f++)
			if (t0 + tt->footpaths[f].duration < board[tt->footpaths[f].to_stop])
				board[tt->footpaths[f].to_stop] = t0 + tt->footpaths[f].duration;
	}
	for (uint32_t i = 0; i < nc; i++) {
		if (!on[c[i].trip] && board[c[i].from] > c[i].dep)
			continue;
		on[c[i].trip] = 1;
		uint32_t s = c[i].to;
		if (c[i].arr < place_arr[tt->stop_place[s]])
			place_arr[tt->stop_place[s]] = c[i].arr;
		if (c[i].arr + tt->stop_min_change[s] < board[s])
			board[s] = c[i].arr + tt->stop_min_change[s];
		for (uint32_t f = tt->footpath_offset[s]; f < tt->footpath_offset[s + 1]; f++) {
			uint32_t to = tt->footpaths[f].to_stop;
			int32_t at = c[i].arr + tt->footpaths[f].duration;
			if (at < board[to])
				board[to] = at;
			if (at < place_arr[tt->stop_place[to]])
				place_arr[tt->stop_place[to]] = at;
		}
	}
	free(board);
	free(on);
}

static void test_no_journey_lost(void)
{
	grens_gtfs_feed *nl = load("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *de = load("tests/fixtures/link-de", "de");
	grens_net_links *links = load_links(NULL);
	grens_timetable *merged = NULL, *apart = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && de);
	if (!nl || !de)
		goto out;
	const grens_gtfs_feed *feeds[] = {nl, de};
	/* With no change time, staying seated through the border and changing
	 * there are the same: the merged timetable must give exactly the
	 * earliest arrivals of the separate runs. (de's 300 s at Aachen Hbf
	 * stays; nothing continues from Aachen.) */
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	opts.links = links;
	opts.default_min_change = 0;
	opts.link_min_change = 0;
	CHECK_INT(grens_net_build(&merged, feeds, 2, &opts, NULL, &err), 0);
	opts.merge_trips = false;
	CHECK_INT(grens_net_build(&apart, feeds, 2, &opts, NULL, &err), 0);
	if (!merged || !apart)
		goto out;
	CHECK_INT(merged->stop_count, apart->stop_count);
	uint32_t n = merged->stop_count;
	struct conn *cm = malloc(64 * sizeof(*cm)), *ca = malloc(64 * sizeof(*ca));
	int32_t *em = malloc(n * sizeof(int32_t)), *ea = malloc(n * sizeof(int32_t));
	grens_date days[2] = {D(2026, 3, 10), D(2026, 3, 3)};
	uint32_t compared = 0, differ = 0, reached = 0;
	for (int di = 0; di < 2; di++) {
		uint32_t nm = connections(merged, days[di], cm);
		uint32_t na = connections(apart, days[di], ca);
		for (uint32_t from = 0; from < n; from++) {
			if (merged->stop_place[from] != from)
				continue; /* one query per place */
			earliest(merged, cm, nm, from, 6 * 3600, em);
			earliest(apart, ca, na, from, 6 * 3600, ea);
			for (uint32_t to = 0; to < n; to++) {
				if (merged->stop_place[to] != to || to == from)
					continue;
				compared++;
				differ += em[to] != ea[to];
				reached += em[to] != INT32_MAX;
			}
		}
	}
	CHECK_INT(differ, 0);
	/* The check must see journeys: on 03-10 e.g. Maastricht reaches
	 * Heerlen, Herzogenrath and Aachen Hbf through the joined 32027. */
	CHECK(reached >= 10);
	CHECK(compared > 100);
	/* Maastricht -> Aachen Hbf on 03-10: the joined run arrives 07:50. */
	uint32_t mt = merged->stop_place[stop(merged, "nl", "mt")];
	uint32_t ah = merged->stop_place[stop(merged, "nl", "ahbf")];
	uint32_t nm = connections(merged, days[0], cm);
	earliest(merged, cm, nm, mt, 6 * 3600, em);
	CHECK_INT(em[ah], 7 * 3600 + 50 * 60);
	free(cm);
	free(ca);
	free(em);
	free(ea);
out:
	grens_net_free(merged);
	grens_net_free(apart);
	grens_net_links_free(links);
	grens_gtfs_free(nl);
	grens_gtfs_free(de);
}

/* ---- time zones ---------------------------------------------------------------------- */

/* Trips of feed f whose first departure is dep. */
static uint32_t trip_at(const grens_timetable *tt, uint32_t f, int32_t dep)
{
	for (uint32_t t = 0; t < tt->trip_count; t++) {
		uint32_t n;
		if (tt->trip_feed[t] == f && trip_times(tt, t, &n)[0].departure == dep)
			return t;
	}
	return GRENS_NONE;
}

static void test_timezones(void)
{
	grens_gtfs_feed *nl = load("tests/fixtures/link-nl", "nl");
	grens_gtfs_feed *lon = load("tests/fixtures/link-london", "lon");
	grens_gtfs_feed *ny = load("tests/fixtures/link-newyork", "ny");
	grens_timetable *tt = NULL;
	grens_net_link_report *r = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(nl && lon && ny);
	if (!nl || !lon || !ny)
		goto out;

	/* Amsterdam and London change clocks on the same days (EU rules,
	 * 2026-03-29): London is always one hour behind, so London's 08:00 is
	 * 09:00 in the query base (nl's zone, the first feed), every day. */
	const grens_gtfs_feed *f1[] = {nl, lon};
	CHECK_INT(grens_net_build_linked(&tt, &r, f1, 2, NULL, NULL, &err), 0);
	if (tt && r) {
		CHECK_STR(grens_net_str(tt, tt->timezone), "Europe/Amsterdam");
		CHECK_INT(r->zones[1].shift_min, 3600);
		CHECK_INT(r->zones[1].shift_max, 3600);
		CHECK_INT(r->zones[1].services_split, 0);
		uint32_t l1 = trip_at(tt, 1, 9 * 3600);
		CHECK(l1 != GRENS_NONE);
		if (l1 != GRENS_NONE) {
			CHECK(grens_net_trip_runs(tt, l1, D(2026, 3, 28)));
			CHECK(grens_net_trip_runs(tt, l1, D(2026, 3, 29)));
		}
		/* One day before the first service day is kept for runs moved back. */
		CHECK_INT(tt->first_date, D(2026, 2, 28));
	}
	grens_net_link_report_free(r);
	grens_net_free(tt);
	tt = NULL;
	r = NULL;

	/* London as base, New York: 5 h apart, but New York starts summer time
	 * on Sun 2026-03-08 and London on Sun 2026-03-29, so from 03-08 to
	 * 03-28 (21 days, offsets at noon) only 4 h. N1 08:00 New York is 13:00
	 * London, 12:00 in those three weeks: its service is split in two. */
	const grens_gtfs_feed *f2[] = {lon, ny};
	CHECK_INT(grens_net_build_linked(&tt, &r, f2, 2, NULL, NULL, &err), 0);
	if (tt && r) {
		CHECK_INT(r->zones[1].shift_min, 4 * 3600);
		CHECK_INT(r->zones[1].shift_max, 5 * 3600);
		CHECK_INT(r->zones[1].services_split, 1);
		CHECK_INT(r->zones[1].trips_moved, 0);
		uint32_t n13 = trip_at(tt, 1, 13 * 3600), n12 = trip_at(tt, 1, 12 * 3600);
		CHECK(n13 != GRENS_NONE && n12 != GRENS_NONE);
		if (n13 != GRENS_NONE && n12 != GRENS_NONE) {
			CHECK(grens_net_trip_runs(tt, n13, D(2026, 3, 7)));
			CHECK(!grens_net_trip_runs(tt, n13, D(2026, 3, 8)));
			CHECK(grens_net_trip_runs(tt, n13, D(2026, 3, 29)));
			CHECK(!grens_net_trip_runs(tt, n12, D(2026, 3, 7)));
			CHECK(grens_net_trip_runs(tt, n12, D(2026, 3, 8)));
			CHECK(grens_net_trip_runs(tt, n12, D(2026, 3, 28)));
			CHECK(!grens_net_trip_runs(tt, n12, D(2026, 3, 29)));
			uint32_t n;
			CHECK_INT(trip_times(tt, n12, &n)[1].arrival, 13 * 3600);
		}
	}
	grens_net_link_report_free(r);
	grens_net_free(tt);
	tt = NULL;
	r = NULL;

	/* New York as base: London's 03:00 (L2) is 22:00 the evening before in
	 * New York (23:00 while the offset is 4 h), so it moves to the previous
	 * service day; London's first day 03-01 becomes New York's 02-28. L1's
	 * 08:00 stays on its day (03:00 / 04:00). */
	const grens_gtfs_feed *f3[] = {ny, lon};
	CHECK_INT(grens_net_build_linked(&tt, &r, f3, 2, NULL, NULL, &err), 0);
	if (tt && r) {
		CHECK_STR(grens_net_str(tt, tt->timezone), "America/New_York");
		CHECK_INT(r->zones[1].shift_min, -5 * 3600);
		CHECK_INT(r->zones[1].shift_max, -4 * 3600);
		CHECK_INT(r->zones[1].trips_moved, 2);
		uint32_t l22 = trip_at(tt, 1, 22 * 3600), l23 = trip_at(tt, 1, 23 * 3600);
		CHECK(l22 != GRENS_NONE && l23 != GRENS_NONE);
		if (l22 != GRENS_NONE && l23 != GRENS_NONE) {
			CHECK(grens_net_trip_runs(tt, l22, D(2026, 2, 28)));
			CHECK(grens_net_trip_runs(tt, l22, D(2026, 3, 6)));
			CHECK(!grens_net_trip_runs(tt, l22, D(2026, 3, 7)));
			CHECK(grens_net_trip_runs(tt, l22, D(2026, 3, 28)));
			CHECK(grens_net_trip_runs(tt, l23, D(2026, 3, 7)));
			CHECK(grens_net_trip_runs(tt, l23, D(2026, 3, 27)));
			CHECK(!grens_net_trip_runs(tt, l23, D(2026, 3, 28)));
			/* London's last day 04-10 is New York's 04-09 evening. */
			CHECK(grens_net_trip_runs(tt, l22, D(2026, 4, 9)));
			CHECK(!grens_net_trip_runs(tt, l22, D(2026, 4, 10)));
		}
		CHECK(trip_at(tt, 1, 3 * 3600) != GRENS_NONE);
	}
	grens_net_link_report_free(r);
	grens_net_free(tt);
	tt = NULL;
	r = NULL;

	/* The query zone can be chosen; unknown or malformed zones fail. */
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	opts.timezone = "Europe/London";
	CHECK_INT(grens_net_build(&tt, f1, 2, &opts, NULL, &err), 0);
	if (tt) {
		/* nl's nl-ic-1 leaves Heerlen 08:00 Amsterdam = 07:00 London. */
		uint32_t ic = grens_net_trip_by_id(tt, "nl", "nl-ic-1");
		uint32_t n;
		CHECK(ic != GRENS_NONE);
		if (ic != GRENS_NONE)
			CHECK_INT(trip_times(tt, ic, &n)[0].departure, 7 * 3600);
	}
	grens_net_free(tt);
	tt = NULL;
	opts.timezone = "Mars/Olympus_Mons";
	CHECK_INT(grens_net_build(&tt, f1, 2, &opts, NULL, &err), GRENS_ENOTFOUND);
	CHECK(strstr(err.message, "Mars/Olympus_Mons") != NULL);
	/* A name that could leave the zoneinfo directory is no zone at all. */
	opts.timezone = "../../etc/passwd";
	CHECK_INT(grens_net_build(&tt, f1, 2, &opts, NULL, &err), GRENS_ENOTFOUND);
	CHECK(strstr(err.message, "not a time zone name") != NULL);
	CHECK(tt == NULL);
out:
	grens_net_link_report_free(r);
	grens_net_free(tt);
	grens_gtfs_free(nl);
	grens_gtfs_free(lon);
	grens_gtfs_free(ny);
}

/* Beyond the transition tables of the zone files (they end in 2037) the
 * offsets come from each file's POSIX rule. A feed pair in 2040, written
 * to a temporary directory: New York starts summer time on Sun 2040-03-11
 * (second Sunday of March) and ends it on Sun 11-04 (first of November);
 * London on Sun 03-25 and 10-28 (last Sundays). 4 h instead of 5 h from
 * 03-11 to 03-24 and from 10-28 to 11-03. */
static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int write_feed(const char *dir, const char *zone)
{
	char agency[256];
	snprintf(agency, sizeof(agency),
		 "agency_id,agency_name,agency_url,agency_timezone\nA,A,https://example.org,%s\n",
		 zone);
	return write_file(dir, "agency.txt", agency) ||
	       write_file(dir, "stops.txt",
			  "stop_id,stop_name,stop_lat,stop_lon\n"
			  "s1,One,10.0,10.0\ns2,Two,10.1,10.0\n") ||
	       write_file(dir, "routes.txt",
			  "route_id,agency_id,route_short_name,route_type\n"
			  "r,A,R,2\n") ||
	       write_file(dir, "trips.txt", "route_id,service_id,trip_id\nr,all,T\n") ||
	       write_file(dir, "stop_times.txt",
			  "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
			  "T,08:00:00,08:00:00,s1,1\nT,09:00:00,09:00:00,s2,2\n") ||
	       write_file(dir, "calendar.txt",
			  "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
			  "start_date,end_date\nall,1,1,1,1,1,1,1,20400301,20401130\n");
}

static void test_timezone_rules(void)
{
	char lon_dir[] = "/tmp/grens-link-lon-XXXXXX", ny_dir[] = "/tmp/grens-link-ny-XXXXXX";
	CHECK(mkdtemp(lon_dir) != NULL && mkdtemp(ny_dir) != NULL);
	CHECK_INT(write_feed(lon_dir, "Europe/London"), 0);
	CHECK_INT(write_feed(ny_dir, "America/New_York"), 0);
	grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
	grens_gtfs_feed *lon = NULL, *ny = NULL;
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	o.name = "lon";
	CHECK_INT(grens_gtfs_load(&lon, lon_dir, &o, NULL, &err), 0);
	o.name = "ny";
	CHECK_INT(grens_gtfs_load(&ny, ny_dir, &o, NULL, &err), 0);
	if (lon && ny) {
		const grens_gtfs_feed *feeds[] = {lon, ny};
		CHECK_INT(grens_net_build(&tt, feeds, 2, NULL, NULL, &err), 0);
	}
	if (tt) {
		/* N1 08:00 New York = 13:00 London, 12:00 in the two windows. */
		uint32_t n13 = trip_at(tt, 1, 13 * 3600), n12 = trip_at(tt, 1, 12 * 3600);
		CHECK(n13 != GRENS_NONE && n12 != GRENS_NONE);
		if (n13 != GRENS_NONE && n12 != GRENS_NONE) {
			CHECK(grens_net_trip_runs(tt, n13, D(2040, 3, 10)));
			CHECK(grens_net_trip_runs(tt, n12, D(2040, 3, 11)));
			CHECK(grens_net_trip_runs(tt, n12, D(2040, 3, 24)));
			CHECK(grens_net_trip_runs(tt, n13, D(2040, 3, 25)));
			CHECK(grens_net_trip_runs(tt, n13, D(2040, 10, 27)));
			CHECK(grens_net_trip_runs(tt, n12, D(2040, 10, 28)));
			CHECK(grens_net_trip_runs(tt, n12, D(2040, 11, 3)));
			CHECK(grens_net_trip_runs(tt, n13, D(2040, 11, 4)));
			CHECK(!grens_net_trip_runs(tt, n12, D(2040, 11, 4)));
		}
	}
	grens_net_free(tt);
	grens_gtfs_free(lon);
	grens_gtfs_free(ny);
	const char *names[] = {"agency.txt", "stops.txt",      "routes.txt",
			       "trips.txt",  "stop_times.txt", "calendar.txt"};
	for (int d = 0; d < 2; d++) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/%s", d ? ny_dir : lon_dir, names[i]);
			remove(path);
		}
		rmdir(d ? ny_dir : lon_dir);
	}
}

/* Two one-trip feeds meeting at "Grens": a runs West - Grens arriving at
 * a_arr, b runs Grens - Oost leaving at b_dep (arriving b_dep - 60), both
 * train 777. Returns the number of merges. */
static uint32_t border_merges(const char *a_arr, const char *b_dep)
{
	char da[] = "/tmp/grens-link-a-XXXXXX", db[] = "/tmp/grens-link-b-XXXXXX";
	uint32_t merges = GRENS_NONE;
	if (!mkdtemp(da) || !mkdtemp(db))
		return merges;
	const char *common[][2] = {
	    {"agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
			   "A,A,https://example.org,Europe/Amsterdam\n"},
	    {"stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n"
			  "w,West,50.0,5.9\ng,Grens,50.0,6.0\no,Oost,50.0,6.1\n"},
	    {"routes.txt", "route_id,agency_id,route_short_name,route_type\nr,A,RE,2\n"},
	    {"trips.txt", "route_id,service_id,trip_id,trip_short_name\nr,s,T,777\n"},
	    {"calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
			     "sunday,start_date,end_date\ns,1,1,1,1,1,1,1,20260301,20260307\n"},
	};
	char st_a[256], st_b[256];
	int32_t dep = 0;
	grens_time_parse(b_dep, strlen(b_dep), 0, &dep);
	char b_arr[16];
	grens_time_format(dep - 60, b_arr, sizeof(b_arr));
	snprintf(st_a, sizeof(st_a),
		 "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
		 "T,10:00:00,10:00:00,w,1\nT,%s,%s,g,2\n",
		 a_arr, a_arr);
	snprintf(st_b, sizeof(st_b),
		 "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
		 "T,%s,%s,g,1\nT,10:30:00,10:30:00,o,2\n",
		 b_arr, b_dep);
	int bad = 0;
	for (size_t i = 0; i < 5; i++)
		bad |= write_file(da, common[i][0], common[i][1]) |
		       write_file(db, common[i][0], common[i][1]);
	bad |= write_file(da, "stop_times.txt", st_a) | write_file(db, "stop_times.txt", st_b);
	grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
	grens_gtfs_feed *fa = NULL, *fb = NULL;
	grens_timetable *tt = NULL;
	grens_net_link_report *r = NULL;
	grens_error err;
	grens_error_clear(&err);
	o.name = "a";
	if (!bad && grens_gtfs_load(&fa, da, &o, NULL, &err) == 0) {
		o.name = "b";
		if (grens_gtfs_load(&fb, db, &o, NULL, &err) == 0) {
			const grens_gtfs_feed *feeds[] = {fa, fb};
			if (grens_net_build_linked(&tt, &r, feeds, 2, NULL, NULL, &err) == 0)
				merges = r->merge_count;
		}
	}
	grens_net_link_report_free(r);
	grens_net_free(tt);
	grens_gtfs_free(fa);
	grens_gtfs_free(fb);
	const char *names[] = {"agency.txt", "stops.txt",    "routes.txt",
			       "trips.txt",  "calendar.txt", "stop_times.txt"};
	for (int d = 0; d < 2; d++) {
		for (size_t i = 0; i < 6; i++) {
			char path[4200];
			snprintf(path, sizeof(path), "%s/%s", d ? db : da, names[i]);
			remove(path);
		}
		rmdir(d ? db : da);
	}
	return merges;
}

static void test_border_joint(void)
{
	/* a arrives 10:10, b leaves 10:11: one run through. */
	CHECK_INT(border_merges("10:10:00", "10:11:00"), 1);
	/* b leaves 10:09, before a arrives 10:10 (within the 120 s tolerance):
	 * a run cannot leave before it arrived, so the two stay apart. */
	CHECK_INT(border_merges("10:10:00", "10:09:00"), 0);
	/* b leaves 10:20: 10 minutes later, another train. */
	CHECK_INT(border_merges("10:10:00", "10:20:00"), 0);
}

int main(void)
{
	test_links_parse();
	test_matching();
	test_merging();
	test_no_journey_lost();
	test_timezones();
	test_timezone_rules();
	test_border_joint();
	return check_exit();
}
