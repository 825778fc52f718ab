/* Timetable builder: patterns, overtaking, service days, footpaths, blocks,
 * stop lookup. Fixture: tests/fixtures/net-basic (read its files alongside). */
#include "check.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "grens/gtfs.h"
#include "grens/net.h"
#include "snapshot_layout.h"

static grens_gtfs_feed *load_fixture(const char *name, grens_diag *diag)
{
	char path[4096];
	check_source_path(path, sizeof(path), name);
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = "t";
	grens_gtfs_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_load(&feed, path, &opts, diag, &err) != 0) {
		fprintf(stderr, "loading %s: %s\n", path, err.message);
		return NULL;
	}
	return feed;
}

static uint32_t stop(const grens_timetable *tt, const char *id)
{
	return grens_net_stop_by_id(tt, "t", id);
}

static uint32_t trip(const grens_timetable *tt, const char *id)
{
	return grens_net_trip_by_id(tt, "t", id);
}

/* Footpath duration a -> b, or -1 when there is none. */
static int32_t footpath(const grens_timetable *tt, uint32_t a, uint32_t b)
{
	for (uint32_t i = tt->footpath_offset[a]; i < tt->footpath_offset[a + 1]; i++)
		if (tt->footpaths[i].to_stop == b)
			return tt->footpaths[i].duration;
	return -1;
}

static uint32_t service(const grens_gtfs_feed *feed, const char *id)
{
	for (uint32_t i = 0; i < feed->service_count; i++)
		if (strcmp(feed->services[i].id, id) == 0)
			return i;
	return GRENS_NONE;
}

static int service_runs(const grens_timetable *tt, uint32_t sv, grens_date d)
{
	int64_t day = (int64_t)d - tt->first_date;
	if (day < 0 || day >= (int64_t)tt->day_count)
		return 0;
	return (int)((tt->service_days[(size_t)sv * tt->words_per_service + (size_t)(day / 64)] >>
		      (day % 64)) &
		     1u);
}

static grens_date D(int y, int m, int d)
{
	return grens_date_from_ymd(y, m, d);
}

static void test_basic(void)
{
	grens_diag *diag = grens_diag_new();
	grens_gtfs_feed *feed = load_fixture("tests/fixtures/net-basic", diag);
	CHECK(feed != NULL);
	if (!feed) {
		grens_diag_free(diag);
		return;
	}
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	const grens_gtfs_feed *feeds[] = { feed };
	CHECK_INT(grens_net_build(&tt, feeds, 1, &opts, diag, &err), 0);
	if (!tt)
		goto out;

	CHECK_INT(tt->stop_count, 7);
	/* t8 has a single stop time: not routable, reported. */
	CHECK_INT(grens_diag_count(diag, "trip_with_fewer_than_two_stops"), 1);
	CHECK_INT(tt->trip_count, 6);
	CHECK(trip(tt, "t8") == GRENS_NONE);
	/* RE1 a1-b-c: sorted by first departure t1 08:00, t4 08:10, t3 08:30,
	 * t2 09:00. t4 reaches c at 08:35, before t1 (08:50): it overtakes t1 and
	 * gets a pattern of its own; t3 (c 09:05) and t2 (c 09:50) follow t1.
	 * RB20: c-d-e (t6) and c-d (t7) are different stop sequences.
	 * 2 + 2 = 4 patterns. */
	CHECK_INT(tt->pattern_count, 4);
	uint32_t t1 = trip(tt, "t1"), t2 = trip(tt, "t2"), t3 = trip(tt, "t3"), t4 = trip(tt, "t4");
	CHECK(t1 != GRENS_NONE && t2 != GRENS_NONE && t3 != GRENS_NONE && t4 != GRENS_NONE);
	uint32_t p = tt->trip_pattern[t1];
	CHECK_INT(tt->trip_pattern[t3], p);
	CHECK_INT(tt->trip_pattern[t2], p);
	CHECK(tt->trip_pattern[t4] != p);
	CHECK_INT(tt->pattern_trip_offset[p + 1] - tt->pattern_trip_offset[p], 3);
	/* Trips numbered in pattern order: t1, t3, t2. */
	CHECK_INT(t3, t1 + 1);
	CHECK_INT(t2, t1 + 2);
	/* Stop times of t3 in its [trip][stop] block: a1 08:30, b 08:40/08:41, c 09:05. */
	uint32_t n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	CHECK_INT(n, 3);
	const grens_net_stop_time *st =
		grens_net_pattern_times(tt, p) + (uint64_t)(t3 - t1) * n;
	CHECK_INT(st[0].departure, 8 * 3600 + 30 * 60);
	CHECK_INT(st[1].arrival, 8 * 3600 + 40 * 60);
	CHECK_INT(st[1].departure, 8 * 3600 + 41 * 60);
	CHECK_INT(st[2].arrival, 9 * 3600 + 5 * 60);
	CHECK_STR(grens_net_str(tt, tt->route_short_name[tt->pattern_route[p]]), "RE1");
	CHECK_STR(grens_net_str(tt, tt->trip_headsign[t3]), "Aachen Hbf");
	/* t7 runs after midnight: 25:15:00 = 90900 s is the latest event. */
	CHECK_INT(tt->max_time, 90900);

	/* Service days: wk runs Mon-Fri 2026-03-02..15 except Tue 2026-03-10
	 * (removed); sun runs Sundays plus Wed 2026-03-11 (added). */
	uint32_t wk = service(feed, "wk"), sun = service(feed, "sun");
	CHECK_INT(tt->first_date, D(2026, 3, 2));
	CHECK(service_runs(tt, wk, D(2026, 3, 9)));
	CHECK(!service_runs(tt, wk, D(2026, 3, 10)));
	CHECK(service_runs(tt, wk, D(2026, 3, 11)));
	CHECK(!service_runs(tt, wk, D(2026, 3, 14)));
	CHECK(!service_runs(tt, sun, D(2026, 3, 10)));
	CHECK(service_runs(tt, sun, D(2026, 3, 11)));
	CHECK(service_runs(tt, sun, D(2026, 3, 15)));
	CHECK(!service_runs(tt, sun, D(2026, 3, 22)));
	CHECK(grens_net_trip_runs(tt, t1, D(2026, 3, 9)));
	CHECK(!grens_net_trip_runs(tt, t1, D(2026, 3, 10)));
	CHECK(!grens_net_trip_runs(tt, t1, D(2026, 3, 1)));

	/* Change times: b has 300 s (transfers.txt b,b,2,300); the station row
	 * st_a,st_a,2,180 applies to its platforms a1, a2; c keeps the default. */
	uint32_t a1 = stop(tt, "a1"), a2 = stop(tt, "a2"), b = stop(tt, "b"), c = stop(tt, "c"),
		 d = stop(tt, "d"), e = stop(tt, "e");
	CHECK_INT(tt->stop_min_change[b], 300);
	CHECK_INT(tt->stop_min_change[a1], 180);
	CHECK_INT(tt->stop_min_change[a2], 180);
	CHECK_INT(tt->stop_min_change[c], 120);

	/* Footpaths: c->d 300 and d->e 200 from transfers.txt; c->e 300 + 200 =
	 * 500 by closure; e->d forbidden (type 3); platforms a1<->a2 of one
	 * station: the walk (about 13 m) is shorter than their 180 s change
	 * time, so 180. */
	CHECK_INT(footpath(tt, c, d), 300);
	CHECK_INT(footpath(tt, d, e), 200);
	CHECK_INT(footpath(tt, c, e), 500);
	CHECK_INT(footpath(tt, e, d), -1);
	CHECK_INT(footpath(tt, d, c), -1);
	CHECK_INT(footpath(tt, a1, a2), 180);
	CHECK_INT(footpath(tt, a2, a1), 180);
	CHECK_INT(footpath(tt, a1, a1), -1);

	/* Block blk1: t1 ends at c 08:50, t6 leaves c 08:55 on the same service. */
	CHECK_INT(tt->trip_block_next[t1], trip(tt, "t6"));
	CHECK_INT(tt->trip_block_next[t2], GRENS_NONE);

	/* Stop patterns: c is served by both RE1 patterns and both RB20 ones. */
	CHECK_INT(tt->stop_pattern_offset[c + 1] - tt->stop_pattern_offset[c], 4);

	/* Lookup by name without case and diacritics: the station and both platforms. */
	uint32_t found[16], nf = 0;
	CHECK_INT(grens_net_find_stops(tt, "koln hbf", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 3);
	CHECK_INT(grens_net_find_stops(tt, "t:b", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 1);
	CHECK_INT(found[0], b);
	CHECK_INT(grens_net_find_stops(tt, "DUREN", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 1);
	CHECK_INT(grens_net_find_stops(tt, "a2", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 3); /* a platform id stands for its station */
	/* "Aachen" starts three different stations' names: ambiguous. */
	CHECK_INT(grens_net_find_stops(tt, "Aachen", found, 16, &nf, &err), GRENS_EARG);
	CHECK(strstr(err.message, "Aachen West") != NULL);
	CHECK_INT(grens_net_find_stops(tt, "Nowhere", found, 16, &nf, &err), GRENS_ENOTFOUND);
	CHECK_INT(grens_net_find_stops(tt, "t:zz", found, 16, &nf, &err), GRENS_ENOTFOUND);

	/* Names are compared as the linker compares them: umlaut digraphs and
	 * station words in one spelling. st_a is "Köln Hbf" (3 stops with a1, a2). */
	CHECK_INT(grens_net_find_stops(tt, "koeln hbf", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 3);
	CHECK_INT(grens_net_find_stops(tt, "Köln Hauptbahnhof", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 3);
	CHECK_INT(grens_net_find_stops(tt, "Dueren", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 1);
	CHECK_INT(found[0], b);
	/* Nothing matches: the nearest names by edit distance on the keys.
	 * "aachen hbx" is 1 edit from "aachen hbf" (x->f); "aachen west" needs 4
	 * (h->w, b->e, x->s, +t), "aachen schanz" 5 (+s, +c, h, b->a, x->n, +z);
	 * "koln hbf" and "duren" differ in more than 5 of their letters. */
	CHECK_INT(grens_net_find_stops(tt, "Aachen Hbx", found, 16, &nf, &err), GRENS_ENOTFOUND);
	CHECK_STR(err.message, "'Aachen Hbx' matches no stop; nearest names: \"Aachen Hbf\", "
			       "\"Aachen West\", \"Aachen Schanz\"");
	/* Coordinates: the stations within 1500 m, nearest first. From c
	 * (50.7678, 6.0915): e (50.7699, 6.0738) is 0.0021 deg * 111195 m = 234 m
	 * north and 0.0177 deg * 111195 m * cos(50.77 deg) = 1245 m west, about
	 * 1267 m; d (50.7804, 6.0707) is 1401 m north, 1463 m west, about 2026 m. */
	CHECK_INT(grens_net_find_stops(tt, "50.7678,6.0915", found, 16, &nf, &err), 0);
	CHECK_INT(nf, 2);
	CHECK_INT(found[0], c);
	CHECK_INT(found[1], e);
	/* 50.0,6.0 is about 85 km south of Aachen: nothing in reach, the nearest named. */
	CHECK_INT(grens_net_find_stops(tt, "50.0, 6.0", found, 16, &nf, &err), GRENS_ENOTFOUND);
	CHECK(strstr(err.message, "none within 1500 m; the nearest is \"Aachen Hbf\" (t:c)") !=
	      NULL);
	CHECK_INT(grens_net_find_stops(tt, "91,6", found, 16, &nf, &err), GRENS_ENOTFOUND);
out:
	grens_net_free(tt);
	grens_gtfs_free(feed);
	grens_diag_free(diag);
}

static void test_name_key(void)
{
	/* after a vowel or q the e of oe/ue/ae is its own letter */
	static const char *const cases[][2] = {
		{ "Koeln Hauptbahnhof", "koln hbf" },	  { "Köln Hbf", "koln hbf" },
		{ "Duesseldorf Hbf", "dusseldorf hbf" },  { "Den Haag C.", "den haag c" },
		{ "Den Haag Centraal", "den haag c" },	  { "Bad Neuenahr Aue", "bad neuenahr aue" },
		{ "Quedlinburg", "quedlinburg" },	  { "Aerzen", "arzen" },
	};
	char key[64];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		grens_net_name_key(cases[i][0], key, sizeof(key));
		CHECK_STR(key, cases[i][1]);
	}
	/* like snprintf: the length needed, cut to the buffer */
	CHECK_INT(grens_net_name_key("Koeln Hauptbahnhof", key, 5), 8);
	CHECK_STR(key, "koln");
}

static void test_two_feeds(void)
{
	grens_diag *diag = grens_diag_new();
	grens_gtfs_feed *f1 = load_fixture("tests/fixtures/net-basic", diag);
	grens_gtfs_feed *f2 = load_fixture("tests/fixtures/net-basic", diag);
	CHECK(f1 && f2);
	if (!f1 || !f2)
		goto out;
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	const grens_gtfs_feed *feeds[] = { f1, f2 };
	/* Both feeds are named "t": the builder refuses, since names scope ids. */
	CHECK_INT(grens_net_build(&tt, feeds, 2, NULL, diag, &err), GRENS_EARG);
	CHECK(tt == NULL);
	grens_gtfs_free(f2);
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = "u";
	char path[4096];
	f2 = NULL;
	CHECK_INT(grens_gtfs_load(&f2, check_source_path(path, sizeof(path),
							 "tests/fixtures/net-basic"),
				  &opts, diag, &err),
		  0);
	feeds[1] = f2;
	/* Without merging, every trip twice; merging (the default for several
	 * feeds) finds each trip of u in t: 6 runs, each carrying u's id. */
	grens_net_options nopts = GRENS_NET_OPTIONS_INIT;
	nopts.merge_trips = false;
	CHECK_INT(grens_net_build(&tt, feeds, 2, &nopts, diag, &err), 0);
	if (tt)
		CHECK_INT(tt->trip_count, 12);
	grens_net_free(tt);
	tt = NULL;
	CHECK_INT(grens_net_build(&tt, feeds, 2, NULL, diag, &err), 0);
	if (tt) {
		/* Every stop twice, ids scoped by feed. */
		CHECK_INT(tt->stop_count, 14);
		CHECK_INT(tt->trip_count, 6);
		uint32_t t1 = grens_net_trip_by_id(tt, "t", "t1");
		CHECK(t1 != GRENS_NONE && tt->trip_alt_feed[t1] == 1);
		if (t1 != GRENS_NONE)
			CHECK_STR(grens_net_str(tt, tt->trip_alt_id[t1]), "t1");
		uint32_t tb = grens_net_stop_by_id(tt, "t", "b"), ub = grens_net_stop_by_id(tt, "u", "b");
		CHECK(tb != GRENS_NONE && ub != GRENS_NONE && tb != ub);
		CHECK_INT(tt->stop_feed[ub], 1);
		/* A bare id present in both feeds is ambiguous. */
		uint32_t found[16], nf;
		CHECK_INT(grens_net_find_stops(tt, "b", found, 16, &nf, &err), GRENS_EARG);
		/* The same name at the same place in two feeds is one place. */
		CHECK_INT(grens_net_find_stops(tt, "Düren", found, 16, &nf, &err), 0);
		CHECK_INT(nf, 2);
	}
	grens_net_free(tt);
out:
	grens_gtfs_free(f1);
	grens_gtfs_free(f2);
	grens_diag_free(diag);
}

/* Service periods and query dates, on tests/fixtures/dates-short (weekdays
 * 2026-03-02..13) and dates-long (daily 2026-03-01..2045-12-31, cut when
 * read to 2026-03-01 + 3659 days = 2036-03-07). */
static void test_service_period(void)
{
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	grens_gtfs_feed *f[2] = { NULL, NULL };
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	char path[4096];
	opts.name = "short";
	CHECK_INT(grens_gtfs_load(&f[0], check_source_path(path, sizeof(path),
							   "tests/fixtures/dates-short"),
				  &opts, NULL, &err),
		  0);
	opts.name = "long";
	CHECK_INT(grens_gtfs_load(&f[1], check_source_path(path, sizeof(path),
							   "tests/fixtures/dates-long"),
				  &opts, NULL, &err),
		  0);
	if (!f[0] || !f[1])
		goto out;
	CHECK_INT(f[1]->last_service_date, D(2036, 3, 7));
	CHECK_INT(f[1]->declared_last_date, D(2045, 12, 31));
	CHECK_INT(f[0]->declared_last_date, D(2026, 3, 13));
	CHECK_INT(grens_net_build(&tt, (const grens_gtfs_feed *const *)f, 2, NULL, NULL, &err), 0);
	if (!tt)
		goto out;
	grens_net_service_period p;
	grens_net_feed_period(tt, 1, &p);
	CHECK_INT(p.first, D(2026, 3, 1));
	CHECK_INT(p.last, D(2045, 12, 31));
	CHECK_INT(p.routable_first, D(2026, 3, 1));
	CHECK_INT(p.routable_last, D(2036, 3, 7));
	grens_net_feed_period(tt, 0, &p);
	CHECK_INT(p.first, D(2026, 3, 2));
	CHECK_INT(p.last, D(2026, 3, 13));
	CHECK(grens_net_feed_runs(tt, 0, D(2026, 3, 13)));
	CHECK(!grens_net_feed_runs(tt, 0, D(2026, 3, 14)));
	CHECK(grens_net_feed_runs(tt, 1, D(2026, 3, 14)));

	grens_net_date_note notes[2];
	uint32_t n = 99;
	CHECK_INT(grens_net_check_date(tt, D(2026, 3, 10), notes, 2, &n, &err), 0);
	CHECK_INT(n, 0);
	CHECK_INT(grens_net_check_date(tt, D(2026, 3, 14), notes, 2, &n, &err), 0);
	CHECK_INT(n, 1);
	if (n == 1) {
		CHECK_INT(notes[0].feed, 0);
		CHECK_STR(notes[0].message, "feed short runs no trips on 2026-03-14 (its service "
					    "period: 2026-03-02 to 2026-03-13)");
	}
	CHECK_INT(grens_net_check_date(tt, D(2026, 2, 28), notes, 2, &n, &err), GRENS_EARG);
	CHECK_STR(err.message, "2026-02-28 is outside the service period of every feed (short "
			       "2026-03-02 to 2026-03-13, long 2026-03-01 to 2045-12-31)");
	CHECK_INT(grens_net_check_date(tt, D(2046, 1, 1), notes, 2, &n, &err), GRENS_EARG);
	CHECK_INT(grens_net_check_date(tt, D(2036, 3, 8), notes, 2, &n, &err), GRENS_EARG);
	CHECK_STR(err.message, "2036-03-08 is in the service period of feed long (2026-03-01 to "
			       "2045-12-31), but only 2026-03-01 to 2036-03-07 of it is routable "
			       "(service ranges are cut to 3660 days)");
	CHECK_INT(grens_net_check_date(tt, D(2036, 3, 7), notes, 2, &n, &err), 0);
out:
	grens_net_free(tt);
	grens_gtfs_free(f[0]);
	grens_gtfs_free(f[1]);
}

/* ---- snapshot refusals ------------------------------------------------------------ */

/* Open bytes[0..size) (copied to 8-byte aligned memory) and expect a refusal
 * whose message names the file and contains reason. */
static void expect_refused(const unsigned char *bytes, size_t size, const char *reason,
			   const char *what)
{
	uint64_t *copy = malloc(size + 8);
	if (!copy) {
		CHECK(copy != NULL);
		return;
	}
	if (size)
		memcpy(copy, bytes, size);
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_net_snapshot_open(&tt, copy, size, "t.grens", &err);
	CHECK_INT(rc, GRENS_EFORMAT);
	CHECK(tt == NULL);
	CHECK(strncmp(err.message, "t.grens: ", 9) == 0);
	if (!strstr(err.message, reason)) {
		CHECK(strstr(err.message, reason) != NULL);
		fprintf(stderr, "  %s: got \"%s\", expected \"%s\"\n", what, err.message, reason);
	}
	grens_net_free(tt);
	free(copy);
}

/* tt written as a snapshot into memory: *buf (the caller's, free) of *size
 * bytes. 0, or the writer's code (-1 without a memory stream). */
static int snapshot_bytes(const grens_timetable *tt, unsigned char **buf, size_t *size,
			  grens_error *err)
{
	FILE *m = open_memstream((char **)buf, size);
	if (!m)
		return -1;
	int rc = grens_net_snapshot_write(tt, m, "{}", NULL, err);
	fclose(m);
	return rc;
}

/* The snapshot bytes opened from a copy at an 8-byte boundary, as a mapped
 * file is: *mem is that copy (free it after grens_net_free(*back)). */
static int snapshot_reopen(const unsigned char *buf, size_t size, grens_timetable **back,
			   uint64_t **mem, grens_error *err)
{
	*back = NULL;
	*mem = size ? malloc(size) : NULL;
	if (!*mem)
		return -1;
	memcpy(*mem, buf, size);
	return grens_net_snapshot_open(back, *mem, size, "t.grens", err);
}

/* Arrays no trip needs are left out of the timetable and of its snapshot:
 * net-basic has no frequencies.txt and one feed (nothing merged), so no
 * frequency starts and no alternate ids; rt-small has frequencies, whose
 * starts come back from the snapshot as built. */
static void test_snapshot_optional_arrays(void)
{
	const char *fixtures[] = { "tests/fixtures/net-basic", "tests/fixtures/rt-small" };
	for (int i = 0; i < 2; i++) {
		grens_diag *diag = grens_diag_new();
		grens_gtfs_feed *feed = load_fixture(fixtures[i], diag);
		grens_timetable *tt = NULL, *back = NULL;
		unsigned char *buf = NULL;
		uint64_t *aligned = NULL;
		size_t size = 0;
		grens_error err;
		grens_error_clear(&err);
		grens_net_options opts = GRENS_NET_OPTIONS_INIT;
		const grens_gtfs_feed *feeds[] = { feed };
		CHECK(feed != NULL);
		if (feed && grens_net_build(&tt, feeds, 1, &opts, diag, &err) == 0) {
			CHECK(tt->trip_alt_feed == NULL && tt->trip_alt_id == NULL);
			CHECK((tt->trip_frequency_start != NULL) == (i == 1));
			CHECK_INT(snapshot_bytes(tt, &buf, &size, &err), 0);
			CHECK_INT(snapshot_reopen(buf, size, &back, &aligned, &err), 0);
			if (back) {
				CHECK(back->trip_alt_feed == NULL && back->trip_alt_id == NULL);
				CHECK((back->trip_frequency_start != NULL) == (i == 1));
				for (uint32_t t = 0; i == 1 && t < tt->trip_count; t++)
					CHECK_INT(back->trip_frequency_start[t], tt->trip_frequency_start[t]);
			}
			grens_net_free(back);
			free(aligned);
		}
		free(buf);
		grens_net_free(tt);
		grens_gtfs_free(feed);
		grens_diag_free(diag);
	}
}

static void test_snapshot_refusals(void)
{
	grens_diag *diag = grens_diag_new();
	grens_gtfs_feed *feed = load_fixture("tests/fixtures/net-basic", diag);
	grens_timetable *tt = NULL, *back = NULL;
	unsigned char *buf = NULL, *bad = NULL;
	size_t size = 0;
	grens_error err;
	grens_error_clear(&err);
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	const grens_gtfs_feed *feeds[] = { feed };
	CHECK(feed != NULL);
	if (!feed || grens_net_build(&tt, feeds, 1, &opts, diag, &err) != 0)
		goto out;
	CHECK_INT(snapshot_bytes(tt, &buf, &size, &err), 0);
	bad = malloc(size);
	if (!bad || size < 64)
		goto out;

	/* the file as written opens, and holds the same timetable */
	uint64_t *aligned = NULL;
	CHECK_INT(snapshot_reopen(buf, size, &back, &aligned, &err), 0);
	if (back) {
		CHECK_INT(back->stop_count, tt->stop_count);
		CHECK_INT(back->stop_time_count, tt->stop_time_count);
		CHECK_STR(grens_net_snapshot_provenance(back), "{}");
	}
	grens_net_free(back);
	free(aligned);

	/* not a snapshot at all, and empty */
	expect_refused((const unsigned char *)"stop_id,stop_name\n", 18,
		       "not a grens timetable snapshot (wrong magic bytes)", "csv");
	expect_refused(buf, 0, "not a grens timetable snapshot (too short)", "empty");

	/* truncated: in the header, in the section table, in the last section,
	 * one byte short */
	expect_refused(buf, 40, "truncated: the header is incomplete", "header cut");
	expect_refused(buf, size / 2, "truncated", "half");
	expect_refused(buf, size - 1, "truncated", "one byte short");

	/* foreign byte order: the mark as the other byte order writes it */
	memcpy(bad, buf, size);
	uint32_t mark = snap_get32(buf + SNAP_OFF_BYTE_ORDER), swapped = __builtin_bswap32(mark);
	memcpy(bad + SNAP_OFF_BYTE_ORDER, &swapped, 4);
	expect_refused(bad, size, "written on a machine of the other byte order", "endian");

	/* an older and a newer format version */
	uint32_t version = GRENS_NET_SNAPSHOT_VERSION - 1;
	memcpy(bad, buf, size);
	memcpy(bad + SNAP_OFF_VERSION, &version, 4);
	expect_refused(bad, size, "an older grens wrote it", "older");
	version = GRENS_NET_SNAPSHOT_VERSION + 1;
	memcpy(bad + SNAP_OFF_VERSION, &version, 4);
	expect_refused(bad, size, "a newer grens wrote it", "newer");

	/* one byte flipped in the header (after the fields checked first) */
	memcpy(bad, buf, size);
	bad[60] ^= 0x01;
	expect_refused(bad, size, "the header checksum does not match", "header byte");

	/* one byte flipped in each section that has bytes */
	uint32_t header = snap_get32(buf + SNAP_OFF_HEADER_SIZE);
	uint32_t sections = snap_get32(buf + SNAP_OFF_SECTION_COUNT);
	CHECK(sections >= 40 && header + (uint64_t)sections * SNAP_SECTION_BYTES < size);
	uint32_t flipped = 0;
	for (uint32_t i = 0; i < sections && header + (uint64_t)(i + 1) * SNAP_SECTION_BYTES < size;
	     i++) {
		const unsigned char *e = buf + header + (size_t)i * SNAP_SECTION_BYTES;
		uint64_t off = snap_get64(e + 8), len = snap_get64(e + 16);
		if (len == 0 || off + len > size)
			continue;
		char reason[64], what[32];
		snprintf(reason, sizeof(reason), "section %u checksum does not match", i);
		snprintf(what, sizeof(what), "section %u", i);
		memcpy(bad, buf, size);
		bad[off + len / 2] ^= 0x40;
		expect_refused(bad, size, reason, what);
		/* and a byte of the padding after it, which no section hash covers */
		if ((off + len) % 64) {
			memcpy(bad, buf, size);
			bad[off + len] = 0xff;
			snprintf(reason, sizeof(reason), "section %u padding is not zero", i);
			expect_refused(bad, size, reason, what);
		}
		flipped++;
	}
	CHECK(flipped >= 30);

	/* the path reader: an empty file and a cut one, each named */
	char path[] = "/tmp/grens-snapshot-refusal-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0) {
		grens_error_clear(&err);
		CHECK_INT(grens_net_snapshot_load(&back, path, &err), GRENS_EFORMAT);
		CHECK(strstr(err.message, path) && strstr(err.message, "the file is empty"));
		CHECK(write(fd, buf, size - 100) == (ssize_t)(size - 100));
		grens_error_clear(&err);
		CHECK_INT(grens_net_snapshot_load(&back, path, &err), GRENS_EFORMAT);
		CHECK(strstr(err.message, path) && strstr(err.message, "truncated"));
		CHECK(back == NULL);
		close(fd);
		unlink(path);
	}
out:
	free(bad);
	free(buf);
	grens_net_free(tt);
	grens_gtfs_free(feed);
	grens_diag_free(diag);
}

/* grens_net_build_plain lays a description out as grens_net_build does, and
 * grens_net_keep_trips keeps some of its trips. Stops A 0, B 1, C 2; one
 * route; one service on all 7 days from Monday 2026-03-09.
 *   t0: A 08:10  B 08:20  C 08:30, then stays seated into t3
 *   t1: A 08:00  B 08:10  C 08:20
 *   t2: A 08:05  B 08:30  C 08:35
 *   t3: C 08:40  A 09:00
 * Sorted by departure the A-B-C trips are t1, t2, t0; t0 reaches B at 08:20,
 * before t2 (08:30), so it overtakes t2 and starts a second pattern. The
 * build numbers patterns by first trip in input order (A-B-C before C-A),
 * so the patterns are [t1, t2], [t0], [t3] and the trips t1 0, t2 1, t0 2,
 * t3 3. */
static void test_plain_and_keep(void)
{
	const grens_date monday = grens_date_from_ymd(2026, 3, 9);
	const uint64_t days = 0x7F;
	grens_net_plain_stop stops[3] = {
		{ .id = "A", .lat = NAN, .lon = NAN, .parent = GRENS_NONE, .min_change = 120 },
		{ .id = "B", .lat = NAN, .lon = NAN, .parent = GRENS_NONE, .min_change = 90 },
		{ .id = "C", .lat = NAN, .lon = NAN, .parent = GRENS_NONE, .min_change = 120 },
	};
	grens_net_plain_route route = { .id = "R", .type = 3 };
	const uint32_t abc[] = { 0, 1, 2 }, ca[] = { 2, 0 };
	const int32_t h8 = 8 * 3600;
	const int32_t t0[] = { h8 + 600, h8 + 1200, h8 + 1800 }, t1[] = { h8, h8 + 600, h8 + 1200 },
		      t2[] = { h8 + 300, h8 + 1800, h8 + 2100 }, t3[] = { h8 + 2400, h8 + 3600 };
	grens_net_plain_trip trips[4] = {
		{ .id = "t0", .stop_count = 3, .stops = abc, .arrivals = t0, .block_next = 3 },
		{ .id = "t1", .stop_count = 3, .stops = abc, .arrivals = t1, .block_next = GRENS_NONE },
		{ .id = "t2", .stop_count = 3, .stops = abc, .arrivals = t2, .block_next = GRENS_NONE },
		{ .id = "t3", .stop_count = 2, .stops = ca, .arrivals = t3, .block_next = GRENS_NONE },
	};
	grens_net_plain_footpath foot[2] = { { 0, 1, 60 }, { 1, 2, 300 } };
	grens_net_plain plain = GRENS_NET_PLAIN_INIT;
	plain.feed = "p";
	plain.timezone = "Europe/Amsterdam";
	plain.first_date = monday;
	plain.day_count = 7;
	plain.service_days = &days;
	plain.service_count = 1;
	plain.stops = stops;
	plain.stop_count = 3;
	plain.routes = &route;
	plain.route_count = 1;
	plain.trips = trips;
	plain.trip_count = 4;
	plain.footpaths = foot;
	plain.footpath_count = 2;
	grens_timetable *tt = NULL;
	uint32_t map[4];
	grens_error err;
	CHECK_INT(grens_net_build_plain(&tt, map, &plain, &err), 0);
	if (!tt)
		return;
	CHECK_INT(tt->pattern_count, 3);
	CHECK_INT(tt->trip_count, 4);
	CHECK_INT(map[0], 2);
	CHECK_INT(map[1], 0);
	CHECK_INT(map[2], 1);
	CHECK_INT(map[3], 3);
	CHECK_INT(tt->pattern_trip_offset[1], 2);
	CHECK_INT(tt->trip_block_next[2], 3);
	CHECK_INT(tt->trip_block_next[0], GRENS_NONE);
	CHECK_INT(tt->stop_min_change[1], 90);
	CHECK_INT(grens_net_trip_by_id(tt, "p", "t3"), 3);
	CHECK_INT(grens_net_stop_by_id(tt, "p", "C"), 2);
	CHECK(grens_net_trip_runs(tt, 2, monday + 6));
	CHECK(!grens_net_trip_runs(tt, 2, monday + 7));
	/* footpaths as given: A-B 60 and B-C 300, no A-C added */
	CHECK_INT(footpath(tt, 0, 1), 60);
	CHECK_INT(footpath(tt, 1, 2), 300);
	CHECK_INT(footpath(tt, 0, 2), -1);

	/* keep t1 (0) and t0 (2): t0's continuation t3 is left out */
	uint8_t keep[4] = { 1, 0, 1, 0 };
	grens_timetable *k = NULL;
	CHECK_INT(grens_net_keep_trips(&k, tt, keep, &err), 0);
	if (k) {
		CHECK_INT(k->trip_count, 2);
		CHECK_INT(k->pattern_count, 3);
		CHECK_INT(k->pattern_trip_offset[1], 1);
		CHECK_INT(k->pattern_trip_offset[2], 2);
		CHECK_INT(k->pattern_trip_offset[3], 2); /* C-A stays, empty */
		CHECK_STR(grens_net_str(k, k->trip_id[1]), "t0");
		CHECK_INT(k->trip_pattern[1], 1);
		CHECK_INT(k->trip_block_next[1], GRENS_NONE);
		/* t0's times: pattern 1's block starts at A 08:10 */
		CHECK_INT(grens_net_pattern_times(k, 1)[0].departure, h8 + 600);
		CHECK_INT(k->stop_time_count, 6);
		grens_net_free(k);
	}
	/* all kept: the continuation stays */
	memset(keep, 1, sizeof(keep));
	CHECK_INT(grens_net_keep_trips(&k, tt, keep, &err), 0);
	if (k) {
		CHECK_INT(k->trip_block_next[2], 3);
		grens_net_free(k);
	}
	CHECK_INT(grens_net_keep_trips(NULL, tt, keep, &err), GRENS_EINVAL);
	CHECK_INT(grens_net_keep_trips(&k, NULL, keep, &err), GRENS_EINVAL);
	CHECK_INT(grens_net_keep_trips(&k, tt, NULL, &err), GRENS_EINVAL);
	grens_net_free(tt);

	/* bad descriptions */
	grens_timetable *bad = NULL;
	CHECK_INT(grens_net_build_plain(NULL, NULL, &plain, &err), GRENS_EINVAL);
	CHECK_INT(grens_net_build_plain(&bad, NULL, NULL, &err), GRENS_EINVAL);
	plain.version = 0;
	CHECK_INT(grens_net_build_plain(&bad, NULL, &plain, &err), GRENS_EINVAL);
	plain.version = GRENS_NET_PLAIN_VERSION;
	const int32_t back[] = { h8 + 600, h8 };
	trips[3].arrivals = back; /* C 08:10, A 08:00 */
	CHECK_INT(grens_net_build_plain(&bad, NULL, &plain, &err), GRENS_EARG);
	CHECK(strstr(err.message, "'t3'") != NULL);
	trips[3].arrivals = t3;
	trips[3].stop_count = 1;
	CHECK_INT(grens_net_build_plain(&bad, NULL, &plain, &err), GRENS_EARG);
	trips[3].stop_count = 2;
	trips[3].route = 1;
	CHECK_INT(grens_net_build_plain(&bad, NULL, &plain, &err), GRENS_EARG);
	CHECK(bad == NULL);
}

int main(void)
{
	test_basic();
	test_name_key();
	test_two_feeds();
	test_service_period();
	test_snapshot_refusals();
	test_snapshot_optional_arrays();
	test_plain_and_keep();
	return check_exit();
}
