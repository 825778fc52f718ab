/* Unit tests for src/gtfs: the hand-written fixture tests/fixtures/gtfs-basic,
 * malformed feeds written at run time, zip archives built with libzip, and
 * the real feeds in ../shared when present. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "check.h"
#include "grens/gtfs.h"

/* ---- helpers --------------------------------------------------------------- */

typedef struct loaded {
	grens_gtfs_feed *feed;
	grens_diag *diag;
	grens_error err;
	int rc;
} loaded;

static loaded load_opts(const char *path, const grens_gtfs_options *opts)
{
	loaded l;
	memset(&l, 0, sizeof(l));
	l.diag = grens_diag_new();
	l.rc = grens_gtfs_load(&l.feed, path, opts, l.diag, &l.err);
	return l;
}

static loaded load(const char *path)
{
	return load_opts(path, NULL);
}

static void unload(loaded *l)
{
	grens_gtfs_free(l->feed);
	grens_diag_free(l->diag);
	memset(l, 0, sizeof(*l));
}

/* The first kept notice of a code, or NULL. */
static const grens_notice *notice(const loaded *l, const char *code)
{
	for (size_t i = 0; i < grens_diag_kept_count(l->diag); i++) {
		const grens_notice *n = grens_diag_kept(l->diag, i);
		if (strcmp(n->code, code) == 0)
			return n;
	}
	return NULL;
}

static uint32_t notice_line(const loaded *l, const char *code)
{
	const grens_notice *n = notice(l, code);
	return n ? n->line : 0;
}

static const char *notice_field(const loaded *l, const char *code)
{
	const grens_notice *n = notice(l, code);
	return n ? n->field : "(none)";
}

static grens_date ymd(int y, int m, int d)
{
	return grens_date_from_ymd(y, m, d);
}

static int32_t hms(int h, int m, int s)
{
	return h * 3600 + m * 60 + s;
}

static const grens_gtfs_stop_time *trip_st(const grens_gtfs_feed *f, const char *trip, uint32_t k)
{
	uint32_t t = grens_gtfs_find_trip(f, trip);
	if (t == GRENS_NONE || k >= f->trips[t].stop_time_count)
		return NULL;
	return &f->stop_times[f->trips[t].first_stop_time + k];
}

static char tmp_root[256];

static void write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	fwrite(text, 1, len, fp);
	fclose(fp);
}

static void write_text(const char *dir, const char *name, const char *text)
{
	write_file(dir, name, text, strlen(text));
}

/* A minimal valid feed: 2 stops, 1 route, 1 trip with 2 stop_times, one
 * calendar service. Named files in over replace (or, with NULL text,
 * remove) the defaults. */
typedef struct file_override {
	const char *name;
	const char *text;
} file_override;

static const file_override minimal_files[] = {
	{ "agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
			"a,Agency,https://a.example,Europe/Amsterdam\n" },
	{ "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\ns1,One,52.0,5.0\ns2,Two,52.1,5.1\n" },
	{ "routes.txt", "route_id,agency_id,route_short_name,route_type\nr,a,R,3\n" },
	{ "trips.txt", "route_id,service_id,trip_id\nr,svc,t1\n" },
	{ "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
			    "t1,08:00:00,08:00:00,s1,1\nt1,08:10:00,08:10:00,s2,2\n" },
	{ "calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
			  "start_date,end_date\nsvc,1,1,1,1,1,1,1,20260101,20261231\n" },
};

static const char *make_feed(const char *name, const file_override *over, size_t nover)
{
	static char dir[512];
	snprintf(dir, sizeof(dir), "%s/%s", tmp_root, name);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "mkdir %s: %s\n", dir, strerror(errno));
		exit(1);
	}
	for (size_t i = 0; i < sizeof(minimal_files) / sizeof(minimal_files[0]); i++) {
		const char *text = minimal_files[i].text;
		for (size_t k = 0; k < nover; k++)
			if (strcmp(over[k].name, minimal_files[i].name) == 0)
				text = over[k].text;
		if (text)
			write_text(dir, minimal_files[i].name, text);
	}
	for (size_t k = 0; k < nover; k++) {
		bool known = false;
		for (size_t i = 0; i < sizeof(minimal_files) / sizeof(minimal_files[0]); i++)
			known |= strcmp(over[k].name, minimal_files[i].name) == 0;
		if (!known && over[k].text)
			write_text(dir, over[k].name, over[k].text);
	}
	return dir;
}

#define MAKE_FEED(name, ...)                                                                      \
	make_feed(name, (const file_override[]){ __VA_ARGS__ },                                   \
		  sizeof((const file_override[]){ __VA_ARGS__ }) / sizeof(file_override))

/* ---- the fixture feed --------------------------------------------------------- */

static void test_fixture(void)
{
	char path[1024];
	loaded l = load(check_source_path(path, sizeof(path), "tests/fixtures/gtfs-basic"));
	CHECK_INT(l.rc, 0);
	if (l.rc) {
		fprintf(stderr, "load failed: %s\n", l.err.message);
		unload(&l);
		return;
	}
	const grens_gtfs_feed *f = l.feed;
	CHECK_STR(f->name, "gtfs-basic");
	/* Counts: one per data line of each file (see the fixture). */
	CHECK_INT(f->counts.agency, 2);
	CHECK_INT(f->counts.stops, 13);
	CHECK_INT(f->counts.routes, 3);
	CHECK_INT(f->counts.trips, 6);
	/* bus1 runs every 1200 s from 12:00 to before 13:00: 3 runs, 2 more rows. */
	CHECK_INT(f->trip_count, 8);
	/* ic1 3 + ice1 3 + ic2 4 + bus1 2 + geo1 3 + even1 4 = 19 */
	CHECK_INT(f->counts.stop_times, 19);
	CHECK_INT(f->stop_time_count, 19);
	CHECK_INT(f->counts.calendar, 2);
	CHECK_INT(f->counts.calendar_dates, 3);
	CHECK_INT(f->counts.transfers, 4);
	CHECK_INT(f->counts.frequencies, 1);
	CHECK_INT(f->counts.shapes, 3);
	CHECK_INT(f->counts.rows_skipped, 0);

	/* agency.txt has a BOM, CRLF, a quoted comma and doubled quotes. */
	CHECK_STR(f->agencies[0].id, "ns");
	CHECK_STR(f->agencies[0].name, "Nederlandse Spoorwegen, NS");
	CHECK_STR(f->agencies[1].name, "Deutsche \"Bahn\"");
	CHECK_STR(f->agencies[1].lang, "de");

	/* stops.txt: columns in another order, a quoted newline, parents. */
	uint32_t asd = grens_gtfs_find_stop(f, "asd"), asd5 = grens_gtfs_find_stop(f, "asd_5");
	uint32_t ah = grens_gtfs_find_stop(f, "ah"), ob = grens_gtfs_find_stop(f, "ob");
	CHECK_INT(asd, 0);
	CHECK_INT(asd5, 1);
	CHECK(ah != GRENS_NONE && ob != GRENS_NONE);
	CHECK_INT(grens_gtfs_find_stop(f, "nope"), GRENS_NONE);
	if (asd5 != GRENS_NONE && ah != GRENS_NONE && ob != GRENS_NONE) {
		CHECK_INT(f->stops[asd5].parent, asd);
		CHECK_STR(f->stops[asd5].platform_code, "5b");
		CHECK_INT(f->stops[asd].location_type, 1);
		CHECK_INT(f->stops[asd].parent, GRENS_NONE);
		CHECK_STR(f->stops[ah].name, "Arnhem\nCentraal");
		CHECK_NEAR(f->stops[ah].lat, 51.9850, 1e-9);
		CHECK_STR(f->stops[ob].name, "Oberhausen Hbf");
	}
	/* The quoted name spans lines 5-6 of stops.txt, so "ob" starts on line 7:
	 * a notice about it would say 7. The unknown column is on the header line. */
	CHECK_INT(notice_line(&l, "unknown_column"), 1);
	CHECK_STR(notice_field(&l, "unknown_column"), "stop_color");
	CHECK_INT(grens_diag_count(l.diag, "unknown_file"), 1); /* notes.txt */

	/* routes.txt: extended type, trimmed value with a notice on line 2. */
	uint32_t ice = grens_gtfs_find_route(f, "ice"), ic = grens_gtfs_find_route(f, "ic");
	CHECK(ice != GRENS_NONE && ic != GRENS_NONE);
	if (ice != GRENS_NONE && ic != GRENS_NONE) {
		CHECK_INT(f->routes[ice].type, 101);
		CHECK_INT(f->routes[ice].agency, 1);
		CHECK_STR(f->routes[ic].long_name, "Intercity");
	}
	CHECK_INT(grens_diag_count(l.diag, "leading_or_trailing_whitespaces"), 1);
	CHECK_INT(notice_line(&l, "leading_or_trailing_whitespaces"), 2);
	CHECK_STR(notice_field(&l, "leading_or_trailing_whitespaces"), "route_long_name");

	/* trips.txt fields kept. */
	uint32_t ic1 = grens_gtfs_find_trip(f, "ic1");
	CHECK(ic1 != GRENS_NONE);
	if (ic1 != GRENS_NONE) {
		CHECK_STR(f->trips[ic1].short_name, "1001");
		CHECK_STR(f->trips[ic1].block_id, "b1");
		CHECK_STR(f->trips[ic1].shape_id, "sh1");
		CHECK_INT(f->trips[ic1].direction_id, 0);
		CHECK_INT(f->trips[ic1].frequency, GRENS_NONE);
		CHECK_INT(f->trips[ic1].stop_time_count, 3);
	}
	uint32_t bus1 = grens_gtfs_find_trip(f, "bus1");
	CHECK(bus1 != GRENS_NONE && f->trips[bus1].direction_id == -1);

	/* stop_times: ic1's rows are given as seq 2, 1, 3 and come out sorted. */
	const grens_gtfs_stop_time *st = trip_st(f, "ic1", 0);
	CHECK(st != NULL);
	if (st) {
		CHECK_INT(st[0].sequence, 1);
		CHECK_INT(st[0].stop, asd5);
		CHECK_INT(st[0].arrival, hms(8, 0, 0));
		CHECK_INT(st[0].drop_off_type, 1);
		CHECK_INT(st[1].sequence, 2);
		CHECK_INT(st[1].arrival, hms(8, 30, 0));
		CHECK_INT(st[1].departure, hms(8, 31, 0));
		CHECK_INT(st[2].pickup_type, 1);
		CHECK_INT(st[2].stop, ah);
		CHECK_INT(st[2].timepoint, 1);
	}
	/* ice1 runs past midnight: 25:30:00 = 91800 s; rows interleaved with others. */
	st = trip_st(f, "ice1", 0);
	CHECK(st != NULL);
	if (st) {
		CHECK_INT(st[0].departure, hms(23, 55, 0));
		CHECK_INT(st[1].arrival, hms(24, 40, 0));
		CHECK_INT(st[2].arrival, 91800);
		CHECK_INT(st[2].sequence, 30);
	}
	/* ic2: 09:00 at distance 0, 10:30 at 90; empty times at 30 and 60 are
	 * 09:00 + 5400 s * 30/90 = 09:30:00 and 09:00 + 5400 * 60/90 = 10:00:00. */
	st = trip_st(f, "ic2", 0);
	CHECK(st != NULL);
	if (st) {
		CHECK_INT(st[1].arrival, hms(9, 30, 0));
		CHECK_INT(st[1].departure, hms(9, 30, 0));
		CHECK_INT(st[1].interpolated, 1);
		CHECK_INT(st[1].timepoint, 0);
		CHECK_INT(st[2].arrival, hms(10, 0, 0));
		CHECK_INT(st[0].interpolated, 0);
		CHECK_NEAR(st[3].shape_dist_traveled, 90.0, 1e-6);
	}
	/* geo1 has no distances: x1, x2, x3 lie on one meridian at latitudes 52.0,
	 * 52.1, 52.4, so great-circle distances are 0.1 : 0.3 of a degree and x2
	 * gets 10:00 + 2400 s * 0.1/0.4 = 10:10:00. */
	st = trip_st(f, "geo1", 0);
	CHECK(st != NULL);
	if (st)
		CHECK_INT(st[1].arrival, hms(10, 10, 0));
	/* even1's four stops share one position: evenly, 10:00 + 1800 s * 1/3 and 2/3. */
	st = trip_st(f, "even1", 0);
	CHECK(st != NULL);
	if (st) {
		CHECK_INT(st[1].arrival, hms(10, 10, 0));
		CHECK_INT(st[2].arrival, hms(10, 20, 0));
	}

	/* frequencies: bus1's own row is the first run (12:00), runs 12:20 and
	 * 12:40 appended after the 6 trips of trips.txt. bus1's first departure
	 * is 12:00, so offsets are 0, 1200, 2400. */
	if (bus1 != GRENS_NONE && f->trip_count == 8) {
		CHECK_INT(f->trips[bus1].frequency, 0);
		CHECK_INT(f->trips[bus1].frequency_start, hms(12, 0, 0));
		CHECK_INT(f->trips[bus1].time_offset, 0);
		CHECK_STR(f->trips[6].id, "bus1");
		CHECK_INT(f->trips[6].frequency_start, hms(12, 20, 0));
		CHECK_INT(f->trips[6].time_offset, 1200);
		CHECK_INT(f->trips[7].time_offset, 2400);
		CHECK_INT(f->trips[7].first_stop_time, f->trips[bus1].first_stop_time);
		CHECK_INT(f->trips[7].stop_time_count, 2);
		CHECK_INT(f->frequencies[0].headway_secs, 1200);
		CHECK_INT(f->frequencies[0].exact_times, 1);
		CHECK_INT(f->frequencies[0].trip, bus1);
	}

	/* Services: wk Mon-Fri 2026-03-02..03-27 without Fri 03-06, with Sat 03-07;
	 * sat Saturdays to 03-28; extra only on 04-01 (calendar_dates only). */
	uint32_t wk = GRENS_NONE, sat = GRENS_NONE, extra = GRENS_NONE;
	for (uint32_t i = 0; i < f->service_count; i++) {
		if (strcmp(f->services[i].id, "wk") == 0)
			wk = i;
		if (strcmp(f->services[i].id, "sat") == 0)
			sat = i;
		if (strcmp(f->services[i].id, "extra") == 0)
			extra = i;
	}
	CHECK_INT(f->service_count, 3);
	CHECK_INT(grens_gtfs_find_service(f, "wk"), wk);
	CHECK(grens_gtfs_service_active(f, wk, ymd(2026, 3, 2)));   /* Monday */
	CHECK(!grens_gtfs_service_active(f, wk, ymd(2026, 3, 6)));  /* removed Friday */
	CHECK(grens_gtfs_service_active(f, wk, ymd(2026, 3, 7)));   /* added Saturday */
	CHECK(!grens_gtfs_service_active(f, wk, ymd(2026, 3, 8)));  /* Sunday */
	CHECK(grens_gtfs_service_active(f, wk, ymd(2026, 3, 27)));  /* last day, Friday */
	CHECK(!grens_gtfs_service_active(f, wk, ymd(2026, 3, 30))); /* after end_date */
	CHECK(!grens_gtfs_service_active(f, wk, ymd(2026, 3, 1)));  /* before start */
	CHECK(grens_gtfs_service_active(f, sat, ymd(2026, 3, 28)));
	CHECK(!grens_gtfs_service_active(f, sat, ymd(2026, 3, 27)));
	CHECK(grens_gtfs_service_active(f, extra, ymd(2026, 4, 1)));
	CHECK(!grens_gtfs_service_active(f, extra, ymd(2026, 3, 31)));
	CHECK(!grens_gtfs_service_active(f, 99, ymd(2026, 4, 1)));
	CHECK_INT(f->first_service_date, ymd(2026, 3, 2));
	CHECK_INT(f->last_service_date, ymd(2026, 4, 1));

	/* transfers */
	CHECK_INT(f->transfers[0].from_stop, grens_gtfs_find_stop(f, "ut"));
	CHECK_INT(f->transfers[0].type, 2);
	CHECK_INT(f->transfers[0].min_transfer_time, 300);
	CHECK_INT(f->transfers[1].min_transfer_time, -1);
	CHECK_INT(f->transfers[3].type, 3);
	CHECK_INT(f->transfers[3].from_route, GRENS_NONE);

	/* feed_info */
	CHECK(f->feed_info.present);
	CHECK_STR(f->feed_info.version, "v1");
	CHECK_STR(f->feed_info.publisher_name, "grens tests");
	CHECK_INT(f->feed_info.end_date, ymd(2026, 4, 1));
	unload(&l);

	/* Without interpolation or expansion. */
	grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
	o.interpolate = false;
	o.expand_frequencies = false;
	o.name = "nl";
	l = load_opts(path, &o);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_STR(l.feed->name, "nl");
		CHECK_INT(l.feed->trip_count, 6);
		st = trip_st(l.feed, "ic2", 1);
		CHECK(st && st->arrival == GRENS_TIME_NONE && st->interpolated == 0);
	}
	unload(&l);
}

/* ---- malformed input ----------------------------------------------------------- */

static void test_required_files_and_columns(void)
{
	loaded l = load(MAKE_FEED("no-stops", { "stops.txt", NULL }));
	CHECK_INT(l.rc, GRENS_EFORMAT);
	CHECK_STR(l.err.file, "stops.txt");
	CHECK_INT(grens_diag_count(l.diag, "missing_required_file"), 1);
	unload(&l);

	l = load(MAKE_FEED("no-seq-column",
			   { "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id\n"
					       "t1,08:00:00,08:00:00,s1\n" }));
	CHECK_INT(l.rc, GRENS_EFORMAT);
	CHECK_STR(l.err.file, "stop_times.txt");
	CHECK_INT(l.err.line, 1);
	CHECK_STR(l.err.field, "stop_sequence");
	CHECK_STR(notice_field(&l, "missing_required_column"), "stop_sequence");
	unload(&l);

	l = load(MAKE_FEED("no-calendar", { "calendar.txt", NULL }));
	CHECK_INT(l.rc, GRENS_EFORMAT);
	CHECK(strstr(l.err.message, "calendar") != NULL);
	unload(&l);

	/* An empty required file fails; an empty optional one is a notice. */
	l = load(MAKE_FEED("empty-routes", { "routes.txt", "" }));
	CHECK_INT(l.rc, GRENS_EFORMAT);
	CHECK_INT(grens_diag_count(l.diag, "empty_file"), 1);
	CHECK_STR(l.err.file, "routes.txt");
	unload(&l);
	l = load(MAKE_FEED("empty-transfers", { "transfers.txt", "" }));
	CHECK_INT(l.rc, 0);
	CHECK_INT(grens_diag_count(l.diag, "empty_file"), 1);
	unload(&l);

	/* Headers but no usable rows in stops, trips or stop_times: nothing to
	 * route on, so the feed fails as without the file, naming the table. */
	static const struct {
		const char *file, *header, *what;
	} headers_only[] = {
		{ "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n", "no usable stop " },
		{ "trips.txt", "route_id,service_id,trip_id\n", "no usable trip " },
		{ "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n",
		  "no usable stop time " },
		/* rows that are all skipped count as none */
		{ "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n,Nameless,52,5\n",
		  "no usable stop " },
	};
	for (size_t i = 0; i < sizeof(headers_only) / sizeof(headers_only[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "headers-only-%zu", i);
		l = load(make_feed(name, &(file_override){ headers_only[i].file,
							  headers_only[i].header },
				   1));
		CHECK_INT(l.rc, GRENS_EFORMAT);
		CHECK(l.feed == NULL);
		CHECK_STR(l.err.file, headers_only[i].file);
		CHECK(strstr(l.err.message, headers_only[i].what) != NULL);
		const grens_notice *n = notice(&l, "empty_file");
		CHECK(n != NULL && strcmp(n->file, headers_only[i].file) == 0);
		unload(&l);
	}
}

/* Rows rejected as duplicate keys keep no memory: the feed's arena is as
 * large with 40000 repeated stop and service rows (64-byte ids) as
 * without them. Counted in arena bytes, not timed. */
static void test_duplicate_rows_memory(void)
{
	static const char id[] = "s1-0123456789012345678901234567890123456789012345678901234567";
	static const char svc[] = "svc-012345678901234567890123456789012345678901234567890123456";
	const size_t dups = 40000;
	size_t cap = dups * 128 + 512;
	char *stops = malloc(cap), *cal = malloc(cap);
	if (!stops || !cal) {
		free(stops);
		free(cal);
		return;
	}
	size_t bytes[2] = { 0, 0 };
	for (int with = 0; with < 2; with++) {
		size_t n = (size_t)snprintf(stops, cap,
					    "stop_id,stop_name,stop_lat,stop_lon\n"
					    "s1,One,52.0,5.0\ns2,Two,52.1,5.1\n%s,Long,52,5\n", id);
		size_t c = (size_t)snprintf(cal, cap,
					    "service_id,monday,tuesday,wednesday,thursday,friday,"
					    "saturday,sunday,start_date,end_date\n"
					    "svc,1,1,1,1,1,1,1,20260101,20261231\n"
					    "%s,1,1,1,1,1,1,1,20260101,20261231\n", svc);
		for (size_t i = 0; with && i < dups; i++) {
			n += (size_t)snprintf(stops + n, cap - n, "%s,Again,52,5\n", id);
			c += (size_t)snprintf(cal + c, cap - c,
					      "%s,1,1,1,1,1,1,1,20260101,20261231\n", svc);
		}
		const char *dir = make_feed(with ? "dup-rows" : "dup-rows-base", NULL, 0);
		write_file(dir, "stops.txt", stops, n);
		write_file(dir, "calendar.txt", cal, c);
		loaded l = load(dir);
		CHECK_INT(l.rc, 0);
		if (!l.rc) {
			CHECK_INT(l.feed->counts.stops, 3);
			CHECK_INT(l.feed->counts.calendar, 2);
			CHECK_INT(grens_diag_count(l.diag, "duplicate_key"), with ? 2 * dups : 0);
			CHECK_INT(l.feed->counts.rows_skipped, with ? 2 * dups : 0);
			bytes[with] = grens_arena_bytes(l.feed->arena);
		}
		unload(&l);
	}
	CHECK(bytes[0] > 0);
	CHECK_INT(bytes[1], bytes[0]);
	free(stops);
	free(cal);
}

static void test_bad_rows(void)
{
	/* Each bad row below is skipped (counts.rows_skipped) with its notice.
	 * stop_times.txt lines: 1 header, 2 ok, 3 bad time, 4 unknown stop,
	 * 5 bad sequence, 6 ok, 7 goes back in time, 8 ok (last). */
	loaded l = load(MAKE_FEED(
		"bad-rows",
		{ "stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n"
			       "s1,One,52.0,5.0\n"
			       "s2,Two,52.1,5.1\n"
			       "s1,Again,52.0,5.0\n"
			       "s3,Far,95.0,5.0\n"
			       "s4,Four,52.2,5.2\n" },
		{ "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence,"
				    "shape_dist_traveled\n"
				    "t1,08:00:00,08:00:00,s1,1,0\n"
				    "t1,8:0:00,08:05:00,s2,2,1\n"
				    "t1,08:06:00,08:06:00,zz,3,2\n"
				    "t1,08:07:00,08:07:00,s2,x,3\n"
				    "t1,08:10:00,08:11:00,s2,5,4\n"
				    "t1,08:09:00,08:09:00,s4,6,5\n"
				    "t1,08:20:00,08:20:00,s1,7,4\n" },
		{ "calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,"
				  "sunday,start_date,end_date\n"
				  "svc,1,1,1,1,1,1,1,20260101,20261231\n"
				  "bad,1,1,1,1,1,1,1,20261301,20261231\n"
				  "two,1,1,1,1,1,1,2,20260101,20261231\n" },
		{ "trips.txt", "route_id,service_id,trip_id\nr,svc,t1\nr,none,t2\nq,svc,t3\n" }));
	CHECK_INT(l.rc, 0);
	if (l.rc) {
		unload(&l);
		return;
	}
	const grens_gtfs_feed *f = l.feed;
	CHECK_INT(grens_diag_count(l.diag, "duplicate_key"), 1);
	CHECK_INT(notice_line(&l, "duplicate_key"), 4);
	CHECK_INT(grens_diag_count(l.diag, "number_out_of_range"), 2); /* lat 95, sunday 2 */
	CHECK_INT(notice_line(&l, "number_out_of_range"), 5);
	CHECK_STR(notice_field(&l, "number_out_of_range"), "stop_lat");
	CHECK_INT(notice_line(&l, "invalid_time"), 3);
	CHECK_STR(notice_field(&l, "invalid_time"), "arrival_time");
	CHECK_INT(notice_line(&l, "invalid_integer"), 5);
	CHECK_STR(notice_field(&l, "invalid_integer"), "stop_sequence");
	CHECK_INT(notice_line(&l, "invalid_date"), 3);
	CHECK_STR(notice_field(&l, "invalid_date"), "start_date");
	/* trips: t2's service and t3's route are unknown; stop_times: zz. */
	CHECK_INT(grens_diag_count(l.diag, "foreign_key_violation"), 3);
	CHECK_INT(grens_diag_count(l.diag, "stop_time_with_arrival_before_previous_departure_time"),
		  1);
	CHECK_INT(notice_line(&l, "stop_time_with_arrival_before_previous_departure_time"), 7);
	/* Distance 4 after 5 on line 8: noticed, kept without a distance. */
	CHECK_INT(grens_diag_count(l.diag, "decreasing_or_equal_stop_time_distance"), 1);
	CHECK_INT(notice_line(&l, "decreasing_or_equal_stop_time_distance"), 8);
	/* stops: 5 rows - 1 duplicate = 4 (s3 kept without coordinates). */
	CHECK_INT(f->counts.stops, 4);
	CHECK(isnan(f->stops[grens_gtfs_find_stop(f, "s3")].lat));
	/* stop_times: 7 rows - bad time - unknown stop - bad sequence - backwards = 3. */
	CHECK_INT(f->counts.stop_times, 3);
	CHECK_INT(f->counts.trips, 1);
	CHECK_INT(f->counts.calendar, 1);
	/* skipped: 1 stop + 2 calendar + 2 trips + 4 stop_times = 9 */
	CHECK_INT(f->counts.rows_skipped, 9);
	const grens_gtfs_stop_time *st = trip_st(f, "t1", 0);
	if (st) {
		CHECK_INT(st[1].sequence, 5);
		CHECK_INT(st[2].sequence, 7);
		CHECK(isnan(st[2].shape_dist_traveled));
	}
	unload(&l);
}

static void test_csv_edge_cases(void)
{
	/* CRLF everywhere, no final newline, a blank line, a quoted field with
	 * a newline, invalid UTF-8, a NUL byte, a long field (limit 20 bytes),
	 * a wrong number of fields and an unterminated quote at the end. */
	static const char stops[] = "stop_id,stop_name,stop_lat,stop_lon\r\n"
				    "s1,\"One\r\nline\",52.0,5.0\r\n"
				    "\r\n"
				    "s2,Bad\xff\xfe name,52.1,5.1\r\n"
				    "s3,Nul\0byte,52.1,5.1\r\n"
				    "s4,A name that is far too long,52.1,5.1\r\n"
				    "s5,Short,52.1\r\n"
				    "s6,\"Open quote,52.1,5.1";
	const char *dir = MAKE_FEED("csv-edges", { "notes.txt", NULL });
	write_file(dir, "stops.txt", stops, sizeof(stops) - 1);
	grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
	o.max_field_bytes = 20;
	loaded l = load_opts(dir, &o);
	CHECK_INT(l.rc, 0);
	if (l.rc) {
		unload(&l);
		return;
	}
	const grens_gtfs_feed *f = l.feed;
	uint32_t s1 = grens_gtfs_find_stop(f, "s1"), s2 = grens_gtfs_find_stop(f, "s2");
	uint32_t s4 = grens_gtfs_find_stop(f, "s4");
	CHECK(s1 != GRENS_NONE && s2 != GRENS_NONE && s4 != GRENS_NONE);
	if (s1 == GRENS_NONE || s2 == GRENS_NONE || s4 == GRENS_NONE) {
		unload(&l);
		return;
	}
	CHECK_STR(f->stops[s1].name, "One\r\nline");
	CHECK_STR(f->stops[s2].name, "Bad?? name");
	CHECK_INT(notice_line(&l, "invalid_utf8"), 5); /* lines 2-3 s1, 4 blank */
	CHECK_STR(notice_field(&l, "invalid_utf8"), "stop_name");
	/* A NUL byte would cut the value short: the row is skipped. */
	CHECK_INT(grens_gtfs_find_stop(f, "s3"), GRENS_NONE);
	CHECK_INT(notice_line(&l, "invalid_character"), 6);
	CHECK_STR(notice_field(&l, "invalid_character"), "stop_name");
	CHECK_STR(notice(&l, "invalid_character")->file, "stops.txt");
	CHECK_STR(f->stops[s4].name, "A name that is far t"); /* 20 bytes */
	CHECK_INT(notice_line(&l, "field_too_long"), 7);
	CHECK_INT(grens_gtfs_find_stop(f, "s5"), GRENS_NONE);
	CHECK_INT(notice_line(&l, "invalid_row_length"), 8);
	/* s6's quote never closes: the rest of the file is one field, so the row
	 * has 2 fields and is skipped too. */
	CHECK_INT(grens_diag_count(l.diag, "csv_parsing_failed"), 1);
	CHECK_INT(grens_gtfs_find_stop(f, "s6"), GRENS_NONE);
	CHECK_INT(f->counts.stops, 3);
	CHECK_INT(f->counts.rows_skipped, 3);
	unload(&l);

	/* A NUL inside an id (quoted or not) must not turn "s2\0 06" into "s2":
	 * those rows go, the clean ones stay; a NUL in a header refuses the file. */
	static const char nul_stops[] = "stop_id,stop_name,stop_lat,stop_lon\n"
					"s2,Two,52.0,5.0\n"
					"s2\0 06,Shadow,52.0,5.0\n"
					"\"s1\0\",Quoted,52.0,5.0\n"
					"s1,One,52.1,5.1\n";
	dir = MAKE_FEED("csv-nul", { "notes.txt", NULL });
	write_file(dir, "stops.txt", nul_stops, sizeof(nul_stops) - 1);
	l = load(dir);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_INT(l.feed->counts.stops, 2);
		CHECK_INT(grens_diag_count(l.diag, "invalid_character"), 2);
		CHECK_INT(grens_diag_count(l.diag, "duplicate_key"), 0);
		CHECK_INT(notice_line(&l, "invalid_character"), 3);
		CHECK_STR(notice_field(&l, "invalid_character"), "stop_id");
		CHECK_INT(l.feed->counts.rows_skipped, 2);
	}
	unload(&l);
	static const char nul_header[] = "stop_id,stop_na\0me,stop_lat,stop_lon\ns1,One,52,5\n";
	write_file(dir, "stops.txt", nul_header, sizeof(nul_header) - 1);
	l = load(dir);
	CHECK_INT(l.rc, GRENS_EFORMAT);
	CHECK(strstr(l.err.message, "NUL byte in the header") != NULL);
	CHECK_STR(l.err.file, "stops.txt");
	unload(&l);

	/* A field of several megabytes: the record is skipped, nothing grows. */
	size_t big = 6u << 20;
	char *text = malloc(big + 256);
	if (!text)
		return;
	size_t n = (size_t)snprintf(text, 256, "stop_id,stop_name,stop_lat,stop_lon\nbig,");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)snprintf(text + n, 128, ",52.0,5.0\ns2,Two,52.1,5.1\ns1,One,52,5\n");
	dir = MAKE_FEED("huge-field", { "notes.txt", NULL });
	write_file(dir, "stops.txt", text, n);
	free(text);
	l = load(dir);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_INT(grens_gtfs_find_stop(l.feed, "big"), GRENS_NONE);
		CHECK(grens_gtfs_find_stop(l.feed, "s2") != GRENS_NONE);
		CHECK_INT(l.feed->counts.stops, 2);
		CHECK_INT(notice_line(&l, "field_too_long"), 2);
		CHECK_INT(l.feed->counts.rows_skipped, 1);
	}
	unload(&l);
}

/* Records whose special bytes sit at the 16-byte boundaries the CSV
 * reader scans by: each must read as the general rules say. */
static void test_csv_chunk_edges(void)
{
	char text[4400];
	size_t n = (size_t)snprintf(
		text, sizeof(text), "%s",
		"stop_id,stop_name,stop_lat,stop_lon\n"
		"s1,ABCDEFGHIJKLM ,52.0,5.0\n"	/* line 2: the space is byte 16 */
		"s2,ABCDEFGHIJK\tL,52.1,5.1\n"	/* a tab inside: kept */
		"s3,ABCDEFGHIJKL\x01,52.2,5.2\n"	/* line 4: control at byte 15 */
		"s4,ABCDEFGHIJKLMN,52.3,5.3\r\n" /* CRLF */
		"s5,A,52.4,5.456\r\n"		/* CR is byte 15, LF byte 16 */
		"s6,ABCDEFGHI\"J,52.5,5.5\n"	/* a quote inside an unquoted field */
		"s7,");
	memset(text + n, 'y', 4100); /* longer than one vector pass takes */
	n += 4100;
	n += (size_t)snprintf(text + n, sizeof(text) - n, ",52.6,5.6\n");
	const char *dir = MAKE_FEED("csv-chunks", { "notes.txt", NULL });
	write_file(dir, "stops.txt", text, n);
	loaded l = load(dir);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *f = l.feed;
		CHECK_INT(f->counts.stops, 7);
		const char *want[] = { "ABCDEFGHIJKLM", "ABCDEFGHIJK\tL", "ABCDEFGHIJKL?",
				       "ABCDEFGHIJKLMN", "A", "ABCDEFGHI\"J" };
		for (uint32_t i = 0; i < 6 && i < f->stop_count; i++)
			CHECK_STR(f->stops[i].name, want[i]);
		CHECK_INT(grens_diag_count(l.diag, "leading_or_trailing_whitespaces"), 1);
		CHECK_INT(notice_line(&l, "leading_or_trailing_whitespaces"), 2);
		CHECK_INT(grens_diag_count(l.diag, "invalid_character"), 1);
		CHECK_INT(notice_line(&l, "invalid_character"), 4);
		if (f->stop_count == 7) {
			CHECK_NEAR(f->stops[4].lon, 5.456, 1e-9);
			CHECK_INT(strlen(f->stops[6].name), 4100);
			CHECK_NEAR(f->stops[6].lat, 52.6, 1e-9);
		}
	}
	unload(&l);
}

static void test_calendar_dates_only(void)
{
	/* Like the Dutch national feed: no calendar.txt. 2026-05-04 is a Monday. */
	loaded l = load(MAKE_FEED("dates-only", { "calendar.txt", NULL },
				  { "calendar_dates.txt", "service_id,date,exception_type\n"
							  "svc,20260504,1\nsvc,20260506,1\n"
							  "svc,20260506,2\n" }));
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *f = l.feed;
		CHECK_INT(f->counts.calendar, 0);
		CHECK_INT(f->counts.calendar_dates, 2); /* the second 05-06 row is a duplicate */
		CHECK_INT(grens_diag_count(l.diag, "duplicate_key"), 1);
		CHECK_INT(notice_line(&l, "duplicate_key"), 4);
		CHECK(grens_gtfs_service_active(f, 0, ymd(2026, 5, 4)));
		CHECK(!grens_gtfs_service_active(f, 0, ymd(2026, 5, 5)));
		CHECK(grens_gtfs_service_active(f, 0, ymd(2026, 5, 6)));
		CHECK_INT(f->first_service_date, ymd(2026, 5, 4));
		CHECK_INT(f->last_service_date, ymd(2026, 5, 6));
		CHECK_INT(f->feed_info.present, 0);
	}
	unload(&l);
}

static void test_busiest_date(void)
{
	/* calendar_dates only, 2026-05-04 (Mon) .. 05-26 (Tue):
	 *   a (t1, t2) on the Tuesdays 05-05, 05-12, 05-19, 05-26
	 *   b (t3)     on 05-12 and 05-19
	 *   c (t4)     on Monday 05-04; d (t5) on 05-26
	 * Tuesdays: 05-05 2 trips, 05-12 3, 05-19 3, 05-26 3. The middle of the
	 * period is 05-15: 05-12 is 3 days from it, 05-19 4, 05-26 11, so 05-12.
	 * Mondays: only 05-04 has a trip. Sundays: none. */
	char st[1024];
	int n = snprintf(st, sizeof(st),
			 "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
	for (int t = 1; t <= 5; t++)
		n += snprintf(st + n, sizeof(st) - (size_t)n,
			      "t%d,08:00:00,08:00:00,s1,1\nt%d,08:10:00,08:10:00,s2,2\n", t, t);
	loaded l = load(MAKE_FEED("busiest", { "calendar.txt", NULL },
				  { "trips.txt", "route_id,service_id,trip_id\n"
						 "r,a,t1\nr,a,t2\nr,b,t3\nr,c,t4\nr,d,t5\n" },
				  { "stop_times.txt", st },
				  { "calendar_dates.txt",
				    "service_id,date,exception_type\n"
				    "a,20260505,1\na,20260512,1\na,20260519,1\na,20260526,1\n"
				    "b,20260512,1\nb,20260519,1\nc,20260504,1\nd,20260526,1\n" }));
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *feeds[] = { l.feed, NULL };
		grens_date d = 0;
		grens_error err;
		grens_error_clear(&err);
		CHECK_INT(grens_gtfs_busiest_date(&d, feeds, 2, 1, &err), 0);
		CHECK_INT(d, ymd(2026, 5, 12));
		CHECK_INT(grens_gtfs_busiest_date(&d, feeds, 1, 0, &err), 0);
		CHECK_INT(d, ymd(2026, 5, 4));
		CHECK_INT(grens_gtfs_busiest_date(&d, feeds, 1, 6, &err), GRENS_ENOTFOUND);
		CHECK_INT(d, GRENS_DATE_NONE);
		CHECK_INT(grens_gtfs_busiest_date(&d, feeds, 1, 7, &err), GRENS_EARG);
		CHECK_INT(grens_gtfs_busiest_date(NULL, feeds, 1, 1, &err), GRENS_EINVAL);
		CHECK_INT(grens_gtfs_busiest_date(&d, NULL, 1, 1, &err), GRENS_EINVAL);
		CHECK_INT(grens_gtfs_busiest_date(&d, NULL, 0, 1, &err), GRENS_ENOTFOUND);
	}
	unload(&l);
}

/* The minimal feed with trips t1 and t2 and the given stop_times.txt. */
static loaded load_two_trips(const char *name, const char *stop_times)
{
	return load(MAKE_FEED(name,
			      { "trips.txt", "route_id,service_id,trip_id\nr,svc,t1\nr,svc,t2\n" },
			      { "stop_times.txt", stop_times }));
}

static void test_interpolation_edges(void)
{
	/* t1 has no time at its last stop: missing_trip_edge, trip dropped.
	 * t2 has duplicate sequence 2. */
	loaded l = load_two_trips("edges", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
					   "t1,08:00:00,08:00:00,s1,1\n"
					   "t1,,,s2,2\n"
					   "t2,09:00:00,09:00:00,s1,1\n"
					   "t2,09:10:00,09:10:00,s2,2\n"
					   "t2,09:20:00,09:20:00,s1,2\n");
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_INT(grens_diag_count(l.diag, "missing_trip_edge"), 1);
		CHECK_INT(notice_line(&l, "missing_trip_edge"), 3);
		CHECK_INT(grens_diag_count(l.diag, "duplicate_key"), 1);
		CHECK_INT(notice_line(&l, "duplicate_key"), 6);
		CHECK_INT(l.feed->trips[0].stop_time_count, 0);
		CHECK_INT(l.feed->trips[1].stop_time_count, 2);
		CHECK_INT(l.feed->counts.stop_times, 2);
		CHECK_INT(l.feed->counts.rows_skipped, 3);
		CHECK_INT(grens_diag_count(l.diag, "unusable_trip"), 1);
	}
	unload(&l);
}

static void test_parents(void)
{
	/* Lines: 2 s1 (parent station st), 3 s2 (parent is a platform: wrong),
	 * 4 st, 5 entrance of st, 6 boarding area of platform s1 (right),
	 * 7 unknown parent. */
	loaded l = load(MAKE_FEED(
		"parents", { "stops.txt", "stop_id,stop_name,stop_lat,stop_lon,location_type,"
					  "parent_station\n"
					  "s1,One,52.0,5.0,0,st\n"
					  "s2,Two,52.1,5.1,0,s1\n"
					  "st,Station,52.0,5.0,1,\n"
					  "e1,Entrance,52.0,5.0,2,st\n"
					  "ba,Board,52.0,5.0,4,s1\n"
					  "bad,Bad,52,5,0,nowhere\n" },
		{ "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
				    "t1,08:00:00,08:00:00,s1,1\nt1,08:10:00,08:10:00,st,2\n" }));
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *f = l.feed;
		uint32_t st = grens_gtfs_find_stop(f, "st"), s1 = grens_gtfs_find_stop(f, "s1");
		CHECK_INT(f->stops[s1].parent, st);
		CHECK_INT(f->stops[grens_gtfs_find_stop(f, "e1")].parent, st);
		CHECK_INT(f->stops[grens_gtfs_find_stop(f, "ba")].parent, s1);
		CHECK_INT(f->stops[grens_gtfs_find_stop(f, "bad")].parent, GRENS_NONE);
		CHECK_INT(grens_diag_count(l.diag, "wrong_parent_location_type"), 1);
		CHECK_INT(notice_line(&l, "wrong_parent_location_type"), 3);
		CHECK_INT(notice_line(&l, "foreign_key_violation"), 7);
		CHECK_INT(f->counts.stops, 6);
		/* stop_times line 2 serves s1 (a platform): no notice about it. */
		CHECK_INT(grens_diag_count(l.diag, "location_with_unexpected_stop_time"), 1);
		CHECK_INT(notice_line(&l, "location_with_unexpected_stop_time"), 3);
	}
	unload(&l);
}

static void test_agency_references(void)
{
	/* One agency: a route naming an unknown agency_id (line 2) is kept and
	 * given that agency; with two agencies (second feed) it is skipped. */
	loaded l = load(MAKE_FEED("one-agency",
				  { "routes.txt", "route_id,agency_id,route_short_name,route_type\n"
						  "r,zz,R,3\n" }));
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_INT(l.feed->counts.routes, 1);
		CHECK_INT(l.feed->routes[0].agency, 0);
		CHECK_INT(notice_line(&l, "foreign_key_violation"), 2);
	}
	unload(&l);
	l = load(MAKE_FEED("two-agencies",
			   { "agency.txt", "agency_id,agency_name,agency_url,agency_timezone\n"
					   "a,A,https://a.example,Europe/Amsterdam\n"
					   "b,B,https://b.example,Europe/Amsterdam\n" },
			   { "routes.txt", "route_id,agency_id,route_short_name,route_type\n"
					   "r,a,R,3\nq,zz,Q,3\n" }));
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_INT(l.feed->counts.routes, 1);
		CHECK_INT(l.feed->counts.rows_skipped, 1);
		CHECK_INT(notice_line(&l, "foreign_key_violation"), 3);
	}
	unload(&l);
}

static void test_frequency_caps(void)
{
	/* 101 trips, each every second from 00:00 to 240:00 (exact_times 0):
	 * each row stops at GRENS_LIMIT_FREQUENCY_TRIPS = 10000 runs (the first
	 * is the trip's own row, 9999 are appended), and all rows together stop
	 * at 100 * 10000 appended runs: after 100 rows 999900 are appended, the
	 * 101st row adds 100 more and hits the total cap. */
	static char trips[101 * 16 + 64], times[101 * 64 + 128], freq[101 * 48 + 64];
	size_t a = (size_t)snprintf(trips, sizeof(trips), "route_id,service_id,trip_id\n");
	size_t b = (size_t)snprintf(times, sizeof(times),
				    "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n");
	size_t c = (size_t)snprintf(freq, sizeof(freq),
				    "trip_id,start_time,end_time,headway_secs,exact_times\n");
	for (int i = 0; i < 101; i++) {
		a += (size_t)snprintf(trips + a, sizeof(trips) - a, "r,svc,f%d\n", i);
		b += (size_t)snprintf(times + b, sizeof(times) - b,
				      "f%d,00:00:00,00:00:00,s1,1\nf%d,00:05:00,00:05:00,s2,2\n", i,
				      i);
		c += (size_t)snprintf(freq + c, sizeof(freq) - c, "f%d,00:00:00,240:00:00,1,0\n", i);
	}
	loaded l = load(MAKE_FEED("freq-caps", { "trips.txt", trips }, { "stop_times.txt", times },
				  { "frequencies.txt", freq }));
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		CHECK_INT(l.feed->counts.frequencies, 101);
		CHECK_INT(l.feed->trip_count, 101 + 1000000);
		CHECK_INT(grens_diag_count(l.diag, "number_out_of_range"), 101);
		const grens_gtfs_trip *last = &l.feed->trips[l.feed->trip_count - 1];
		/* The last run appended is the 101st run of f100: 100 s after 00:00. */
		CHECK_STR(last->id, "f100");
		CHECK_INT(last->time_offset, 100);
	}
	unload(&l);
}

static void test_not_a_feed(void)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/files", tmp_root);
	mkdir(dir, 0700);
	write_text(dir, "text.zip", "this is not a zip archive\n");
	write_text(dir, "empty.zip", "");
	char path[600];
	grens_error err;
	grens_gtfs_feed *feed = NULL;

	snprintf(path, sizeof(path), "%s/text.zip", dir);
	CHECK_INT(grens_gtfs_load(&feed, path, NULL, NULL, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "not a readable zip") != NULL);
	CHECK(feed == NULL);
	CHECK_INT(grens_gtfs_check(path, &err), GRENS_EFORMAT);

	snprintf(path, sizeof(path), "%s/empty.zip", dir);
	CHECK_INT(grens_gtfs_load(&feed, path, NULL, NULL, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "empty file") != NULL);

	snprintf(path, sizeof(path), "%s/absent.zip", dir);
	CHECK_INT(grens_gtfs_load(&feed, path, NULL, NULL, &err), GRENS_ENOTFOUND);
	CHECK_INT(grens_gtfs_check(path, &err), GRENS_ENOTFOUND);
	CHECK_INT(grens_gtfs_check(NULL, &err), GRENS_EARG);
	grens_gtfs_free(NULL);
}

/* ---- zip archives ------------------------------------------------------------- */

static const char *const fixture_files[] = {
	"agency.txt",	  "stops.txt",	    "routes.txt",	  "trips.txt",
	"stop_times.txt", "calendar.txt",   "calendar_dates.txt", "transfers.txt",
	"frequencies.txt", "feed_info.txt", "shapes.txt",	  "notes.txt",
};

/* Zip the fixture, plus extra members given as (name, bytes, size). */
typedef struct extra_member {
	const char *name;
	const char *bytes;
	size_t size;
} extra_member;

static int zip_fixture(const char *out, const extra_member *extra, size_t nextra,
		       bool skip_stop_times)
{
	char src[1024], path[1200];
	check_source_path(src, sizeof(src), "tests/fixtures/gtfs-basic");
	int zerr = 0;
	zip_t *z = zip_open(out, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		return -1;
	for (size_t i = 0; i < sizeof(fixture_files) / sizeof(fixture_files[0]); i++) {
		if (skip_stop_times && strcmp(fixture_files[i], "stop_times.txt") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", src, fixture_files[i]);
		zip_source_t *s = zip_source_file(z, path, 0, -1);
		if (!s || zip_file_add(z, fixture_files[i], s, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
	}
	for (size_t i = 0; i < nextra; i++) {
		zip_source_t *s = zip_source_buffer(z, extra[i].bytes, extra[i].size, 0);
		if (!s || zip_file_add(z, extra[i].name, s, ZIP_FL_ENC_UTF_8) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
	}
	return zip_close(z) == 0 ? 0 : -1;
}

/* The minimal feed zipped, with bytes[0..n) as its stops.txt (first). */
static int zip_bomb(const char *path, const char *bytes, size_t n)
{
	int zerr = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (!z)
		return -1;
	zip_source_t *s = zip_source_buffer(z, bytes, n, 0);
	if (!s || zip_file_add(z, "stops.txt", s, 0) < 0) {
		zip_source_free(s);
		zip_discard(z);
		return -1;
	}
	for (size_t i = 0; i < sizeof(minimal_files) / sizeof(minimal_files[0]); i++) {
		if (strcmp(minimal_files[i].name, "stops.txt") == 0)
			continue;
		s = zip_source_buffer(z, minimal_files[i].text, strlen(minimal_files[i].text), 0);
		if (!s || zip_file_add(z, minimal_files[i].name, s, 0) < 0) {
			zip_source_free(s);
			zip_discard(z);
			return -1;
		}
	}
	return zip_close(z) == 0 ? 0 : -1;
}

/* Rewrite a size of member `name` in both the local header and the central
 * directory, so the archive lies about it: the uncompressed size (local
 * offset 22, central 24) or the compressed one (18, 20). */
static int zip_patch(const char *path, const char *name, uint32_t size, bool compressed)
{
	FILE *fp = fopen(path, "r+b");
	if (!fp)
		return -1;
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	unsigned char *b = malloc((size_t)len);
	fseek(fp, 0, SEEK_SET);
	if (!b || fread(b, 1, (size_t)len, fp) != (size_t)len) {
		free(b);
		fclose(fp);
		return -1;
	}
	size_t nl = strlen(name);
	int patched = 0;
	for (long i = 0; i + 46 + (long)nl <= len; i++) {
		if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 3 && b[i + 3] == 4 &&
		    memcmp(b + i + 30, name, nl) == 0) {
			memcpy(b + i + (compressed ? 18 : 22), &size, 4); /* little-endian host */
			patched++;
		}
		if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2 &&
		    memcmp(b + i + 46, name, nl) == 0) {
			memcpy(b + i + (compressed ? 20 : 24), &size, 4);
			patched++;
		}
	}
	fseek(fp, 0, SEEK_SET);
	fwrite(b, 1, (size_t)len, fp);
	fclose(fp);
	free(b);
	return patched == 2 ? 0 : -1;
}

static int zip_patch_size(const char *path, const char *name, uint32_t size)
{
	return zip_patch(path, name, size, false);
}

static int zip_patch_comp_size(const char *path, const char *name, uint32_t size)
{
	return zip_patch(path, name, size, true);
}

static void test_zip(void)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/basic.zip", tmp_root);
	static const char evil[] = "stop_id\nx\n";
	const extra_member bad_names[] = {
		{ "../evil.txt", evil, sizeof(evil) - 1 },
		{ "/abs.txt", evil, sizeof(evil) - 1 },
		{ "sub/../../up.txt", evil, sizeof(evil) - 1 },
	};
	CHECK_INT(zip_fixture(path, bad_names, 3, false), 0);
	grens_error err;
	CHECK_INT(grens_gtfs_check(path, &err), 0);
	loaded l = load(path);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		/* Same as the directory fixture (see test_fixture). */
		CHECK_STR(l.feed->name, "basic");
		CHECK_INT(l.feed->counts.stop_times, 19);
		CHECK_INT(l.feed->trip_count, 8);
		CHECK_STR(l.feed->agencies[0].name, "Nederlandse Spoorwegen, NS");
		CHECK_INT(grens_diag_count(l.diag, "unsafe_zip_entry_name"), 3);
	}
	unload(&l);
	/* Nothing was written next to the archive. */
	char probe[600];
	struct stat sb;
	snprintf(probe, sizeof(probe), "%s/../evil.txt", tmp_root);
	CHECK(stat(probe, &sb) != 0);

	/* A damaged archive: bytes inside the compressed data of a member are
	 * overwritten, so inflating or the CRC check fails: a clear error naming
	 * the member, never a crash. */
	snprintf(path, sizeof(path), "%s/damaged.zip", tmp_root);
	CHECK_INT(zip_fixture(path, NULL, 0, false), 0);
	FILE *fp = fopen(path, "r+b");
	CHECK(fp != NULL);
	if (fp) {
		/* The first member (agency.txt) starts at 0: its data follows the
		 * 30-byte local header and the 10-byte name; flip 8 bytes in it. */
		fseek(fp, 30 + 10 + 4, SEEK_SET);
		fwrite("\xff\x00\xff\x00\xff\x00\xff\x00", 1, 8, fp);
		fclose(fp);
	}
	l = load(path);
	CHECK(l.rc == GRENS_EIO || l.rc == GRENS_EFORMAT);
	CHECK(l.feed == NULL);
	CHECK_STR(l.err.file, "agency.txt");
	unload(&l);

	/* Missing stop_times.txt: check and load both fail. */
	snprintf(path, sizeof(path), "%s/no-stop-times.zip", tmp_root);
	CHECK_INT(zip_fixture(path, NULL, 0, true), 0);
	CHECK_INT(grens_gtfs_check(path, &err), GRENS_EFORMAT);
	CHECK_STR(err.file, "stop_times.txt");
	l = load(path);
	CHECK_INT(l.rc, GRENS_EFORMAT);
	unload(&l);

	/* A bomb-like member: 8 MiB of zeros compresses about 1000:1. */
	size_t zn = 8u << 20;
	char *zeros = calloc(1, zn);
	if (!zeros)
		return;
	memcpy(zeros, "stop_id,stop_name,stop_lat,stop_lon\n", 36);
	const extra_member bomb[] = { { "translations.txt", zeros, zn } };
	snprintf(path, sizeof(path), "%s/bomb.zip", tmp_root);
	CHECK_INT(zip_fixture(path, bomb, 1, false), 0);
	/* translations.txt is not read, so the feed loads. */
	l = load(path);
	CHECK_INT(l.rc, 0);
	unload(&l);

	/* The same bytes as stops.txt (a header, then one endless record of NULs),
	 * read with a ratio cap of 100. */
	CHECK_INT(zip_bomb(path, zeros, zn), 0);
	/* Refused by the default cap (100), while streaming: far fewer bytes
	 * than the member holds were inflated. */
	grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
	CHECK_INT(o.max_ratio, 100);
	l = load_opts(path, &o);
	CHECK_INT(l.rc, GRENS_ELIMIT);
	CHECK(strstr(l.err.message, "compression ratio over 100") != NULL);
	CHECK_STR(l.err.file, "stops.txt");
	unsigned long long inflated = 0;
	const char *at = strstr(l.err.message, "ratio over 100: ");
	if (at)
		inflated = strtoull(at + 16, NULL, 10);
	CHECK(inflated > (1u << 20) && inflated < zn);
	unload(&l);
	/* A higher cap (the load option) lets it through to the CSV rules. */
	o.max_ratio = 100000;
	l = load_opts(path, &o);
	CHECK(l.rc != GRENS_ELIMIT);
	unload(&l);
	/* A central directory that claims a huge compressed size does not buy
	 * a higher ratio: no member is larger than the archive. */
	CHECK_INT(zip_patch_comp_size(path, "stops.txt", 0xFFFFFFF0u), 0);
	l = load(path);
	CHECK_INT(l.rc, GRENS_ELIMIT);
	CHECK_STR(l.err.file, "stops.txt");
	CHECK(strstr(l.err.message, "compression ratio over 100") != NULL);
	unload(&l);
	CHECK_INT(zip_bomb(path, zeros, zn), 0);

	/* A header that lies: stops.txt claims 100 bytes; the member cap (1 MiB)
	 * is enforced on the bytes inflated. */
	CHECK_INT(zip_patch_size(path, "stops.txt", 100), 0);
	o = (grens_gtfs_options)GRENS_GTFS_OPTIONS_INIT;
	o.max_member_bytes = 1u << 20;
	l = load_opts(path, &o);
	CHECK_INT(l.rc, GRENS_ELIMIT);
	CHECK(strstr(l.err.message, "member limit") != NULL);
	CHECK(l.feed == NULL);
	unload(&l);
	free(zeros);
}

static void test_check(void)
{
	char path[1024];
	grens_error err;
	CHECK_INT(grens_gtfs_check(check_source_path(path, sizeof(path), "tests/fixtures/gtfs-basic"),
				   &err),
		  0);
	const char *dir = MAKE_FEED("check-no-id", { "stops.txt", "stop_name,stop_lat\nA,52\n" });
	grens_error_clear(&err);
	CHECK_INT(grens_gtfs_check(dir, &err), GRENS_EFORMAT);
	CHECK_STR(err.file, "stops.txt");
	CHECK_STR(err.field, "stop_id");
	dir = MAKE_FEED("check-dates-only", { "calendar.txt", NULL },
			{ "calendar_dates.txt", "service_id,date,exception_type\n" });
	CHECK_INT(grens_gtfs_check(dir, &err), 0);
	/* An empty calendar.txt next to calendar_dates.txt loads, so it checks. */
	dir = MAKE_FEED("check-empty-cal", { "calendar.txt", "" },
			{ "calendar_dates.txt", "service_id,date,exception_type\nsvc,20260504,1\n" });
	CHECK_INT(grens_gtfs_check(dir, &err), 0);
	loaded l = load(dir);
	CHECK_INT(l.rc, 0);
	unload(&l);
	dir = MAKE_FEED("check-no-cal", { "calendar.txt", NULL });
	CHECK_INT(grens_gtfs_check(dir, &err), GRENS_EFORMAT);
}

/* ---- real feeds ------------------------------------------------------------------ */

/* Copy every member of a zip into dir; stop_times.txt's data rows are
 * shuffled (fixed seed). Returns 0 on success. */
static int unzip_shuffled(const char *zip_path, const char *dir)
{
	int zerr = 0;
	zip_t *z = zip_open(zip_path, ZIP_RDONLY, &zerr);
	if (!z)
		return -1;
	int rc = 0;
	zip_int64_t n = zip_get_num_entries(z, 0);
	for (zip_int64_t i = 0; i < n && !rc; i++) {
		zip_stat_t st;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
			rc = -1;
			break;
		}
		char *buf = malloc(st.size + 1);
		zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
		if (!buf || !zf || zip_fread(zf, buf, st.size) != (zip_int64_t)st.size) {
			rc = -1;
		} else if (strcmp(st.name, "stop_times.txt") != 0) {
			write_file(dir, st.name, buf, st.size);
		} else {
			/* Split into lines, keep the header, shuffle the rest. */
			size_t lines = 0;
			for (size_t k = 0; k < st.size; k++)
				lines += buf[k] == '\n';
			char **line = malloc((lines + 1) * sizeof(*line));
			size_t *len = malloc((lines + 1) * sizeof(*len));
			char *out = malloc(st.size + 2);
			size_t m = 0, start = 0;
			for (size_t k = 0; k <= st.size && line && len; k++) {
				if (k == st.size || buf[k] == '\n') {
					if (k > start) {
						line[m] = buf + start;
						len[m++] = k - start;
					}
					start = k + 1;
				}
			}
			uint64_t seed = 12345;
			for (size_t k = m > 2 ? m - 1 : 0; k > 1 && line && len; k--) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				size_t j = 1 + (size_t)((seed >> 33) % k);
				char *tl = line[k];
				size_t tn = len[k];
				line[k] = line[j], len[k] = len[j];
				line[j] = tl, len[j] = tn;
			}
			size_t o = 0;
			for (size_t k = 0; k < m && out; k++) {
				memcpy(out + o, line[k], len[k]);
				o += len[k];
				out[o++] = '\n';
			}
			if (out)
				write_file(dir, st.name, out, o);
			else
				rc = -1;
			free(line);
			free(len);
			free(out);
		}
		if (zf)
			zip_fclose(zf);
		free(buf);
	}
	zip_discard(z);
	return rc;
}

/* The same feed with stop_times.txt shuffled must give the same trips. */
static void test_shuffled_copy(const char *zip_path, const grens_gtfs_feed *sorted)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/shuffled", tmp_root);
	mkdir(dir, 0700);
	CHECK_INT(unzip_shuffled(zip_path, dir), 0);
	loaded l = load(dir);
	CHECK_INT(l.rc, 0);
	if (l.rc) {
		unload(&l);
		return;
	}
	const grens_gtfs_feed *f = l.feed;
	CHECK_INT(f->counts.stop_times, sorted->counts.stop_times);
	CHECK_INT(f->trip_count, sorted->trip_count);
	uint32_t differ = 0;
	for (uint32_t t = 0; t < sorted->trip_count; t++) {
		const grens_gtfs_trip *a = &sorted->trips[t];
		uint32_t u = grens_gtfs_find_trip(f, a->id);
		if (u == GRENS_NONE || f->trips[u].stop_time_count != a->stop_time_count) {
			differ++;
			continue;
		}
		const grens_gtfs_stop_time *x = &sorted->stop_times[a->first_stop_time];
		const grens_gtfs_stop_time *y = &f->stop_times[f->trips[u].first_stop_time];
		for (uint32_t k = 0; k < a->stop_time_count; k++)
			if (x[k].sequence != y[k].sequence || x[k].arrival != y[k].arrival ||
			    x[k].departure != y[k].departure ||
			    strcmp(sorted->stops[x[k].stop].id, f->stops[y[k].stop].id) != 0) {
				differ++;
				break;
			}
	}
	CHECK_INT(differ, 0);
	unload(&l);
}

static void test_real_feeds(void)
{
	const char *shared = check_shared_dir();
	if (!shared)
		return;
	char path[1024];
	/* Expected counts: data lines per table, from
	 *   unzip -p FEED T.txt | tr -d '\r' | awk 'NR>1 && NF>0' | wc -l */
	snprintf(path, sizeof(path), "%s/data/gtfs/caltrain-2023-ct.zip", shared);
	grens_error err;
	CHECK_INT(grens_gtfs_check(path, &err), 0);
	loaded l = load(path);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_counts *c = &l.feed->counts;
		CHECK_INT(c->agency, 1);
		CHECK_INT(c->stops, 109);
		CHECK_INT(c->routes, 9);
		CHECK_INT(c->trips, 176);
		CHECK_INT(c->stop_times, 3498);
		CHECK_INT(c->calendar, 2);
		CHECK_INT(c->calendar_dates, 20);
		CHECK_INT(c->transfers, 10);
		CHECK_INT(c->shapes, 12027);
		CHECK_INT(c->rows_skipped, 0);
		/* calendar.txt: 72981 Sat+Sun 20230923..20240601 (both Saturdays, not
		 * removed in calendar_dates), so the service span is exactly that. */
		CHECK_INT(l.feed->first_service_date, ymd(2023, 9, 23));
		CHECK_INT(l.feed->last_service_date, ymd(2024, 6, 1));
		CHECK(l.feed->feed_info.present);
		CHECK_STR(l.feed->feed_info.version, "20230922");
	}
	unload(&l);

	snprintf(path, sizeof(path), "%s/data/gtfs/wmata-rail-2026.zip", shared);
	CHECK_INT(grens_gtfs_check(path, &err), 0);
	l = load(path);
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_counts *c = &l.feed->counts;
		CHECK_INT(c->agency, 1);
		CHECK_INT(c->stops, 2175);
		CHECK_INT(c->routes, 7);
		CHECK_INT(c->trips, 16514);
		CHECK_INT(c->stop_times, 352668);
		CHECK_INT(c->calendar, 0);
		CHECK_INT(c->calendar_dates, 82);
		CHECK_INT(c->shapes, 173485);
		CHECK_INT(c->rows_skipped, 0);
		/* calendar_dates only; type-1 dates range 20260429..20260906
		 * (awk -F, '$3==1 {print $2}' | sort). */
		CHECK_INT(l.feed->first_service_date, ymd(2026, 4, 29));
		CHECK_INT(l.feed->last_service_date, ymd(2026, 9, 6));
		/* Every trip's stop_times are sorted and contiguous. */
		uint64_t total = 0;
		int unsorted = 0;
		for (uint32_t t = 0; t < l.feed->trip_count; t++) {
			const grens_gtfs_trip *tr = &l.feed->trips[t];
			total += tr->stop_time_count;
			for (uint32_t k = 1; k < tr->stop_time_count; k++) {
				const grens_gtfs_stop_time *st = &l.feed->stop_times[tr->first_stop_time];
				unsorted += st[k].sequence <= st[k - 1].sequence ||
					    st[k].arrival < st[k - 1].departure;
			}
		}
		CHECK_INT(total, 352668);
		CHECK_INT(unsorted, 0);
		test_shuffled_copy(path, l.feed);
	}
	unload(&l);
}

/* stop_headsign texts are kept once each; rows hold their index. */
static void test_stop_headsigns(void)
{
	loaded l = load_two_trips("headsigns",
				  "trip_id,arrival_time,departure_time,stop_id,stop_sequence,"
				  "stop_headsign\n"
				  "t1,08:00:00,08:00:00,s1,1,Centrum\n"
				  "t1,08:10:00,08:10:00,s2,2,\n"
				  "t2,09:00:00,09:00:00,s1,1,\"Noord, via Centrum\"\n"
				  "t2,09:10:00,09:10:00,s2,2,Centrum\n");
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *f = l.feed;
		/* "", "Centrum", "Noord, via Centrum": three texts for four rows. */
		CHECK_INT(f->stop_headsign_count, 3);
		CHECK_STR(grens_gtfs_stop_headsign(f, trip_st(f, "t1", 0)), "Centrum");
		CHECK_STR(grens_gtfs_stop_headsign(f, trip_st(f, "t1", 1)), "");
		CHECK_INT(trip_st(f, "t1", 1)->headsign, 0);
		CHECK_STR(grens_gtfs_stop_headsign(f, trip_st(f, "t2", 0)), "Noord, via Centrum");
		CHECK_STR(grens_gtfs_stop_headsign(f, trip_st(f, "t2", 1)), "Centrum");
		CHECK_INT(trip_st(f, "t2", 1)->headsign, trip_st(f, "t1", 0)->headsign);
		CHECK_STR(grens_gtfs_stop_headsign(NULL, NULL), "");
	}
	unload(&l);
}

/* Rows of a trip that come back later in the file, and a trip with a
 * problem between clean ones: the problem row's notice keeps its line and
 * the other trips stay whole. Times at the 240 h limit parse. */
static void test_trip_runs(void)
{
	loaded l = load(MAKE_FEED(
		"runs",
		{ "trips.txt", "route_id,service_id,trip_id\nr,svc,t1\nr,svc,t2\nr,svc,t3\n" },
		{ "stop_times.txt", "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
				    "t1,08:00:00,08:00:00,s1,1\n"	  /* line 2 */
				    "t2,09:00:00,09:00:00,s1,1\n"	  /* line 3 */
				    "t2,08:59:00,08:59:00,s2,2\n"	  /* line 4: back in time */
				    "t2,09:20:00,09:20:00,s1,3\n"	  /* line 5 */
				    "t3,239:59:00,239:59:00,s1,1\n" /* line 6 */
				    "t3,240:59:59,240:59:59,s2,2\n" /* line 7: the last second */
				    "t3,241:00:00,241:00:00,s1,3\n" /* line 8: past the limit */
				    "t1,08:10:00,08:10:00,s2,2\n" }));	  /* line 9: t1 again */
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *f = l.feed;
		/* t1: lines 2 and 9 grouped, in sequence order. */
		CHECK_INT(f->trips[0].stop_time_count, 2);
		CHECK(trip_st(f, "t1", 1) && trip_st(f, "t1", 1)->arrival == hms(8, 10, 0));
		CHECK(trip_st(f, "t1", 1) && trip_st(f, "t1", 1)->stop == 1);
		/* t2: the row of line 4 arrives before 09:00:00 and is skipped. */
		CHECK_INT(grens_diag_count(l.diag,
					   "stop_time_with_arrival_before_previous_departure_time"),
			  1);
		CHECK_INT(notice_line(&l, "stop_time_with_arrival_before_previous_departure_time"), 4);
		CHECK_INT(f->trips[1].stop_time_count, 2);
		CHECK(trip_st(f, "t2", 1) && trip_st(f, "t2", 1)->sequence == 3);
		/* t3: 240:59:59 = 240 * 3600 + 59 * 60 + 59 = 867599 s; 241:00:00 is
		 * an invalid time and its row is skipped. */
		CHECK_INT(grens_diag_count(l.diag, "invalid_time"), 1);
		CHECK_INT(notice_line(&l, "invalid_time"), 8);
		CHECK_INT(f->trips[2].stop_time_count, 2);
		CHECK(trip_st(f, "t3", 1) && trip_st(f, "t3", 1)->arrival == 867599);
		/* 8 rows: 1 skipped while read (line 8), 1 by the trip check (line 4). */
		CHECK_INT(f->counts.stop_times, 6);
		CHECK_INT(f->counts.rows_skipped, 2);
	}
	unload(&l);
	/* The same rows with t1 whole at the front: read trip by trip, so clean
	 * trips are not checked again, with the same outcome for t2. */
	l = load_two_trips("runs-grouped",
			   "trip_id,arrival_time,departure_time,stop_id,stop_sequence,"
			   "shape_dist_traveled\n"
			   "t1,08:00:00,08:00:00,s1,1,0\n"
			   "t1,08:10:00,08:10:00,s2,2,\n"
			   "t1,08:20:00,08:20:00,s1,3,5\n"
			   "t2,09:00:00,09:00:00,s1,1,0\n"
			   "t2,09:10:00,09:10:00,s2,2,5\n"
			   "t2,09:20:00,09:20:00,s1,3,5\n"); /* line 7: distance not increasing */
	CHECK_INT(l.rc, 0);
	if (!l.rc) {
		const grens_gtfs_feed *f = l.feed;
		CHECK_INT(grens_diag_count(l.diag, "decreasing_or_equal_stop_time_distance"), 1);
		CHECK_INT(notice_line(&l, "decreasing_or_equal_stop_time_distance"), 7);
		CHECK(trip_st(f, "t2", 2) && isnan(trip_st(f, "t2", 2)->shape_dist_traveled));
		CHECK(trip_st(f, "t1", 2) && trip_st(f, "t1", 2)->shape_dist_traveled == 5.0f);
		CHECK_INT(f->counts.stop_times, 6);
		CHECK_INT(f->counts.rows_skipped, 0);
	}
	unload(&l);
}

/* ---- clipping (tests/fixtures/clip-basic, see its README) ------------------------ */

/* The stops of trip id, as "a b c". */
static void trip_stops(const grens_gtfs_feed *f, const char *id, char *buf, size_t n)
{
	buf[0] = '\0';
	uint32_t t = grens_gtfs_find_trip(f, id);
	if (t == GRENS_NONE)
		return;
	size_t used = 0;
	for (uint32_t k = 0; k < f->trips[t].stop_time_count && used < n; k++) {
		uint32_t s = f->stop_times[f->trips[t].first_stop_time + k].stop;
		used += (size_t)snprintf(buf + used, n - used, "%s%s", k ? " " : "",
					 s < f->stop_count ? f->stops[s].id : "?");
	}
}

static void test_clip(void)
{
	char path[1024], geo[1100], buf[128];
	check_source_path(path, sizeof(path), "tests/fixtures/clip-basic");
	grens_error err;
	grens_error_clear(&err);

	/* the box around Alpha (5.0) and Bravo (5.1): 3 of 6 stops (sta, a, b);
	 * t1 a b; t2 none (a and b are not consecutive); t3 a b and b a; t4 none.
	 * Trips 4 -> 3, one cut in two; rows 5+3+5+3 = 16 -> 2+2+2 = 6; routes
	 * 2 -> 1 (L2 had t4 only); transfers 2 -> 1 (the one at Charlie goes). */
	loaded l = load(path);
	grens_gtfs_clip *box = NULL;
	CHECK_INT(grens_gtfs_clip_bbox(&box, 4.9, 49.9, 5.15, 50.1, &err), 0);
	grens_gtfs_clip_counts c;
	memset(&c, 0, sizeof(c));
	if (l.rc == 0 && box) {
		CHECK_INT(grens_gtfs_clip_apply(l.feed, box, &c, l.diag, &err), 0);
		CHECK_INT(c.stops_before, 6);
		CHECK_INT(c.stops, 3);
		CHECK_INT(c.trips_before, 4);
		CHECK_INT(c.trips, 3);
		CHECK_INT(c.trips_split, 1);
		CHECK_INT(c.stop_times_before, 16);
		CHECK_INT(c.stop_times, 6);
		CHECK_INT(c.routes, 1);
		CHECK_INT(l.feed->transfer_count, 1);
		CHECK_INT(l.feed->stop_count, 3);
		trip_stops(l.feed, "t1", buf, sizeof(buf));
		CHECK_STR(buf, "a b");
		trip_stops(l.feed, "t3#1", buf, sizeof(buf));
		CHECK_STR(buf, "a b");
		trip_stops(l.feed, "t3#2", buf, sizeof(buf));
		CHECK_STR(buf, "b a");
		CHECK(grens_gtfs_find_trip(l.feed, "t2") == GRENS_NONE);
		CHECK(grens_gtfs_find_trip(l.feed, "t3") == GRENS_NONE);
		CHECK(grens_gtfs_find_stop(l.feed, "c") == GRENS_NONE);
		/* t3#2 leaves Bravo at 10:30, as t3's fourth row did */
		uint32_t t = grens_gtfs_find_trip(l.feed, "t3#2");
		if (t != GRENS_NONE)
			CHECK_INT(l.feed->stop_times[l.feed->trips[t].first_stop_time].departure,
				  hms(10, 30, 0));
		/* the station stays with its stop, and the parent index is remapped */
		uint32_t a = grens_gtfs_find_stop(l.feed, "a");
		CHECK(a != GRENS_NONE && l.feed->stops[a].parent == grens_gtfs_find_stop(l.feed, "sta"));
		const grens_notice *n = notice(&l, "clip_trip_split");
		CHECK(n && strstr(n->message, "t3") && strstr(n->message, "t3#2"));
	}
	unload(&l);

	/* the polygon with a hole around Charlie: 5 stops; t1 a b and d e (cut),
	 * t2 none, t3 a b and b a (cut), t4 d e: 5 trips, 2 cut, 4+4+2 = 10
	 * rows, both routes. */
	l = load(path);
	snprintf(geo, sizeof(geo), "%s/hole.geojson", path);
	FILE *fg = fopen(geo, "rb");
	char text[2048];
	size_t len = fg ? fread(text, 1, sizeof(text), fg) : 0;
	if (fg)
		fclose(fg);
	grens_gtfs_clip *hole = NULL;
	CHECK_INT(grens_gtfs_clip_geojson(&hole, text, len, "hole.geojson", &err), 0);
	if (hole) {
		CHECK(!grens_gtfs_clip_contains(hole, 50.0, 5.2));
		CHECK(grens_gtfs_clip_contains(hole, 50.0, 5.3));
		CHECK(!grens_gtfs_clip_contains(hole, 51.0, 5.3));
	}
	if (l.rc == 0 && hole) {
		CHECK_INT(grens_gtfs_clip_apply(l.feed, hole, &c, l.diag, &err), 0);
		CHECK_INT(c.stops, 5);
		CHECK_INT(c.trips, 5);
		CHECK_INT(c.trips_split, 2);
		CHECK_INT(c.stop_times, 10);
		CHECK_INT(c.routes, 2);
		trip_stops(l.feed, "t1#2", buf, sizeof(buf));
		CHECK_STR(buf, "d e");
		trip_stops(l.feed, "t4", buf, sizeof(buf));
		CHECK_STR(buf, "d e");
	}
	unload(&l);

	/* what is not a region */
	grens_gtfs_clip *bad = NULL;
	CHECK_INT(grens_gtfs_clip_bbox(&bad, 6.0, 50.0, 5.0, 51.0, &err), GRENS_EARG);
	static const char *const not_regions[] = {
		"{", "{\"type\": \"Point\", \"coordinates\": [5, 50]}",
		"{\"type\": \"Polygon\", \"coordinates\": [[[5, 50], [6, 50], [5, 50]]]}",
		"{\"type\": \"Polygon\", \"coordinates\": [[[5, 50], [6, 50], [6, 95], [5, 50]]]}",
		"{\"type\": \"FeatureCollection\", \"features\": []}",
	};
	for (size_t i = 0; i < sizeof(not_regions) / sizeof(*not_regions); i++) {
		grens_error_clear(&err);
		CHECK_INT(grens_gtfs_clip_geojson(&bad, not_regions[i], strlen(not_regions[i]),
						  "r.geojson", &err),
			  GRENS_EFORMAT);
		CHECK(bad == NULL && strncmp(err.message, "r.geojson", 9) == 0);
	}
	grens_gtfs_clip_free(box);
	grens_gtfs_clip_free(hole);
}

int main(void)
{
	if (!check_part_is("local"))
		check_shared_dir(); /* exits 77 when there is nothing to run */
	const char *tmp = getenv("TMPDIR");
	snprintf(tmp_root, sizeof(tmp_root), "%s/grens-test-gtfs-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		return 1;
	}
	if (check_part_is("local")) {
		test_fixture();
		test_required_files_and_columns();
		test_bad_rows();
		test_duplicate_rows_memory();
		test_csv_edge_cases();
		test_csv_chunk_edges();
		test_calendar_dates_only();
	test_busiest_date();
		test_interpolation_edges();
		test_stop_headsigns();
		test_trip_runs();
		test_parents();
		test_agency_references();
		test_frequency_caps();
		test_not_a_feed();
		test_zip();
		test_check();
		test_clip();
	}
	test_real_feeds();
	if (getenv("KEEP_TMP")) return check_exit();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp_root);
	return check_exit();
}
