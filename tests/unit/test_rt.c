/* Tests of rt/: decoding FeedMessages built here with protobuf-c, bad input
 * (empty, HTML, every truncated prefix, seeded random bytes, missing header),
 * applying them to tests/fixtures/rt-small with live times derived by hand,
 * swapping overlays, time zones, and the recorded Caltrain feeds. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "grens/fetch.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/rt.h"
#include "gtfs-realtime.pb-c.h"

static char tmpdir[256];

static const char *tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
	return buf;
}

static void write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	if (len && fwrite(p, 1, len, f) != len)
		exit(1);
	fclose(f);
}

/* A small message: header (2.0, FULL_DATASET, 1700000000), one TripUpdate
 * with two stop time updates, one VehiclePosition, one Alert. */
/* bounds[0..3]: where the top-level fields end (header, e1, e2, e3): a
 * prefix cut there is itself a valid FeedMessage with fewer entities. Each
 * field is tag (1 byte) + length (1 byte, all < 128) + payload. */
static uint8_t *pack_small(size_t *len, size_t bounds[4])
{
	TransitRealtime__FeedMessage msg = TRANSIT_REALTIME__FEED_MESSAGE__INIT;
	TransitRealtime__FeedHeader hdr = TRANSIT_REALTIME__FEED_HEADER__INIT;
	hdr.gtfs_realtime_version = "2.0";
	hdr.has_timestamp = 1;
	hdr.timestamp = 1700000000u;
	msg.header = &hdr;

	TransitRealtime__FeedEntity e1 = TRANSIT_REALTIME__FEED_ENTITY__INIT;
	TransitRealtime__TripUpdate tu = TRANSIT_REALTIME__TRIP_UPDATE__INIT;
	TransitRealtime__TripDescriptor td = TRANSIT_REALTIME__TRIP_DESCRIPTOR__INIT;
	TransitRealtime__TripUpdate__StopTimeUpdate s1 =
	    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__INIT;
	TransitRealtime__TripUpdate__StopTimeUpdate s2 =
	    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__INIT;
	TransitRealtime__TripUpdate__StopTimeEvent ev =
	    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_EVENT__INIT;
	TransitRealtime__TripUpdate__StopTimeUpdate *stus[2] = {&s1, &s2};
	e1.id = "e1";
	td.trip_id = "T1";
	td.start_date = "20231108";
	tu.trip = &td;
	ev.has_delay = 1;
	ev.delay = 120;
	s1.has_stop_sequence = 1;
	s1.stop_sequence = 2;
	s1.arrival = &ev;
	s2.stop_id = "C";
	s2.has_schedule_relationship = 1;
	s2.schedule_relationship =
	    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SKIPPED;
	tu.n_stop_time_update = 2;
	tu.stop_time_update = stus;
	e1.trip_update = &tu;

	TransitRealtime__FeedEntity e2 = TRANSIT_REALTIME__FEED_ENTITY__INIT;
	TransitRealtime__VehiclePosition vp = TRANSIT_REALTIME__VEHICLE_POSITION__INIT;
	TransitRealtime__Position pos = TRANSIT_REALTIME__POSITION__INIT;
	e2.id = "e2";
	pos.latitude = 52.0f;
	pos.longitude = 6.0f;
	vp.position = &pos;
	e2.vehicle = &vp;

	TransitRealtime__FeedEntity e3 = TRANSIT_REALTIME__FEED_ENTITY__INIT;
	TransitRealtime__Alert al = TRANSIT_REALTIME__ALERT__INIT;
	e3.id = "e3";
	e3.alert = &al;

	TransitRealtime__FeedEntity *ents[3] = {&e1, &e2, &e3};
	msg.n_entity = 3;
	msg.entity = ents;
	*len = transit_realtime__feed_message__get_packed_size(&msg);
	bounds[0] = 2 + transit_realtime__feed_header__get_packed_size(&hdr);
	for (int i = 0; i < 3; i++)
		bounds[i + 1] =
		    bounds[i] + 2 + transit_realtime__feed_entity__get_packed_size(ents[i]);
	uint8_t *buf = malloc(*len);
	transit_realtime__feed_message__pack(&msg, buf);
	return buf;
}

static void test_decode_small(void)
{
	size_t len, bounds[4];
	uint8_t *buf = pack_small(&len, bounds);
	CHECK_INT(bounds[3], len);
	grens_rt_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_rt_decode(&feed, buf, len, "small", &err), 0);
	CHECK(feed != NULL);
	if (feed) {
		grens_rt_feed_summary s;
		grens_rt_feed_summarize(feed, &s);
		CHECK_STR(s.version, "2.0");
		CHECK_INT(s.timestamp, 1700000000);
		CHECK_INT(s.incrementality, GRENS_RT_FULL_DATASET);
		CHECK_INT(s.entities, 3);
		CHECK_INT(s.trip_updates, 1);
		CHECK_INT(s.vehicle_positions, 1);
		CHECK_INT(s.alerts, 1);
	}
	grens_rt_feed_free(feed);

	char path[512];
	write_file(tmp_path(path, sizeof(path), "small.pb"), buf, len);
	CHECK_INT(grens_rt_check(path, &err), 0);

	/* Every proper prefix: a clear error, never a crash, except the prefixes
	 * that end on a top-level field boundary after the header, which are
	 * valid messages with the entities before the cut (0, 1, 2). The empty
	 * prefix is the empty file. */
	int prefix_errors = 0, prefix_valid = 0;
	for (size_t n = 0; n < len; n++) {
		grens_error_clear(&err);
		int rc = grens_rt_decode(&feed, buf, n, "prefix", &err);
		int boundary = -1;
		for (int i = 0; i < 3; i++)
			if (n == bounds[i])
				boundary = i;
		if (boundary >= 0) {
			grens_rt_feed_summary s;
			CHECK_INT(rc, 0);
			if (rc == 0) {
				grens_rt_feed_summarize(feed, &s);
				CHECK_INT(s.entities, boundary);
				prefix_valid++;
			}
		} else if (rc == GRENS_EFORMAT && feed == NULL && err.message[0]) {
			prefix_errors++;
		} else {
			fprintf(stderr, "prefix %zu: rc %d\n", n, rc);
		}
		grens_rt_feed_free(feed);
	}
	CHECK_INT(prefix_valid, 3);
	CHECK_INT(prefix_errors, (int)len - 3);
	free(buf);
}

static void test_bad_files(void)
{
	char path[512];
	grens_error err;

	write_file(tmp_path(path, sizeof(path), "empty.pb"), "", 0);
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "empty") != NULL);
	CHECK_STR(err.file, path);

	const char *html = "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n";
	write_file(tmp_path(path, sizeof(path), "page.html"), html, strlen(html));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "HTML") != NULL);

	const char *json = "{\"header\": {}}";
	write_file(tmp_path(path, sizeof(path), "feed.json"), json, strlen(json));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "text") != NULL);

	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(tmp_path(path, sizeof(path), "absent.pb"), &err), GRENS_ENOTFOUND);

	/* An entity but no header: field 2 = { field 1 = "x" } -> 12 03 0a 01 78. */
	const uint8_t no_header[] = {0x12, 0x03, 0x0a, 0x01, 0x78};
	write_file(tmp_path(path, sizeof(path), "noheader.pb"), no_header, sizeof(no_header));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "no header") != NULL);

	/* A header without its required version: 0a 02 18 05 (timestamp 5). */
	const uint8_t no_version[] = {0x0a, 0x02, 0x18, 0x05};
	write_file(tmp_path(path, sizeof(path), "noversion.pb"), no_version, sizeof(no_version));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "gtfs_realtime_version") != NULL);

	/* Header, then a length that runs past the end: 0a 05 0a 03 "2.0" 12 10. */
	const uint8_t trunc[] = {0x0a, 0x05, 0x0a, 0x03, '2', '.', '0', 0x12, 0x10};
	write_file(tmp_path(path, sizeof(path), "trunc.pb"), trunc, sizeof(trunc));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "truncated") != NULL);
	CHECK(strstr(err.message, "byte 7") != NULL);
}

/* Seeded random bytes: decode must fail cleanly or succeed, never crash;
 * with these seeds almost all fail, so require most of them to fail. */
static void test_random_bytes(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int failed = 0;
	uint8_t buf[512];
	for (int round = 0; round < 2000; round++) {
		size_t n = 1 + (size_t)(round % 511);
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		grens_rt_feed *feed = NULL;
		grens_error err;
		grens_error_clear(&err);
		int rc = grens_rt_decode(&feed, buf, n, "random", &err);
		if (rc != 0) {
			CHECK(feed == NULL);
			CHECK(err.message[0] != '\0');
			failed++;
		}
		grens_rt_feed_free(feed);
	}
	CHECK(failed > 1900);
}

/* ---- building FeedMessages ------------------------------------------------
 * Messages are assembled from malloc'd protobuf-c structs kept in a pool and
 * freed together after packing. */

static void *pool[4096];
static size_t pool_n;

static void *palloc(size_t n)
{
	void *p = calloc(1, n);
	if (!p || pool_n == sizeof(pool) / sizeof(pool[0]))
		abort();
	pool[pool_n++] = p;
	return p;
}

static void pool_free(void)
{
	while (pool_n)
		free(pool[--pool_n]);
}

/* Append to a repeated field stored as (count, array) with a fixed cap. */
#define APPEND(count, array, item, cap)                                                            \
	do {                                                                                       \
		if (!(array))                                                                      \
			(array) = palloc((cap) * sizeof(*(array)));                                \
		if ((count) >= (cap))                                                              \
			abort();                                                                   \
		(array)[(count)++] = (item);                                                       \
	} while (0)

static TransitRealtime__FeedMessage *new_message(uint64_t timestamp)
{
	TransitRealtime__FeedMessage *m = palloc(sizeof(*m));
	TransitRealtime__FeedHeader *h = palloc(sizeof(*h));
	transit_realtime__feed_message__init(m);
	transit_realtime__feed_header__init(h);
	h->gtfs_realtime_version = "2.0";
	if (timestamp) {
		h->has_timestamp = 1;
		h->timestamp = timestamp;
	}
	m->header = h;
	return m;
}

static TransitRealtime__FeedEntity *new_entity(TransitRealtime__FeedMessage *m, const char *id)
{
	TransitRealtime__FeedEntity *e = palloc(sizeof(*e));
	transit_realtime__feed_entity__init(e);
	e->id = (char *)id;
	APPEND(m->n_entity, m->entity, e, 64);
	return e;
}

/* rel: a TripDescriptor schedule_relationship, or -1 for none. */
static TransitRealtime__TripUpdate *add_trip_update(TransitRealtime__FeedMessage *m, const char *id,
						    const char *trip_id, const char *start_date,
						    int rel)
{
	TransitRealtime__FeedEntity *e = new_entity(m, id);
	TransitRealtime__TripUpdate *tu = palloc(sizeof(*tu));
	TransitRealtime__TripDescriptor *td = palloc(sizeof(*td));
	transit_realtime__trip_update__init(tu);
	transit_realtime__trip_descriptor__init(td);
	td->trip_id = (char *)trip_id;
	td->start_date = (char *)start_date;
	if (rel >= 0) {
		td->has_schedule_relationship = 1;
		td->schedule_relationship =
		    (TransitRealtime__TripDescriptor__ScheduleRelationship)rel;
	}
	tu->trip = td;
	e->trip_update = tu;
	return tu;
}

enum { EV_NONE, EV_DELAY, EV_TIME };

static TransitRealtime__TripUpdate__StopTimeEvent *event(int kind, int64_t v)
{
	if (kind == EV_NONE)
		return NULL;
	TransitRealtime__TripUpdate__StopTimeEvent *ev = palloc(sizeof(*ev));
	transit_realtime__trip_update__stop_time_event__init(ev);
	if (kind == EV_DELAY) {
		ev->has_delay = 1;
		ev->delay = (int32_t)v;
	} else {
		ev->has_time = 1;
		ev->time = v;
	}
	return ev;
}

/* seq 0: no stop_sequence; stop NULL: no stop_id; rel -1: none. */
static void add_stu(TransitRealtime__TripUpdate *tu, uint32_t seq, const char *stop, int rel,
		    int arr_kind, int64_t arr, int dep_kind, int64_t dep)
{
	TransitRealtime__TripUpdate__StopTimeUpdate *u = palloc(sizeof(*u));
	transit_realtime__trip_update__stop_time_update__init(u);
	if (seq) {
		u->has_stop_sequence = 1;
		u->stop_sequence = seq;
	}
	u->stop_id = (char *)stop;
	if (rel >= 0) {
		u->has_schedule_relationship = 1;
		u->schedule_relationship =
		    (TransitRealtime__TripUpdate__StopTimeUpdate__ScheduleRelationship)rel;
	}
	u->arrival = event(arr_kind, arr);
	u->departure = event(dep_kind, dep);
	APPEND(tu->n_stop_time_update, tu->stop_time_update, u, 64);
}

static uint8_t *pack(const TransitRealtime__FeedMessage *m, size_t *len)
{
	*len = transit_realtime__feed_message__get_packed_size(m);
	uint8_t *buf = malloc(*len ? *len : 1);
	transit_realtime__feed_message__pack(m, buf);
	return buf;
}

static grens_rt_feed *decode_or_die(const TransitRealtime__FeedMessage *m)
{
	size_t len;
	uint8_t *buf = pack(m, &len);
	grens_rt_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_rt_decode(&feed, buf, len, "built", &err) != 0) {
		fprintf(stderr, "decode: %s\n", err.message);
		exit(1);
	}
	free(buf);
	return feed;
}

/* ---- the rt-small fixture --------------------------------------------------
 * tests/fixtures/rt-small: one route S1..S5 (stop_sequence 10..50), Europe/
 * Amsterdam, service WK Monday-Friday and WE Saturday-Sunday, November 2023.
 * Trips T1 08:00, T2 09:00, T3 10:00, T4 11:00 (WE), T5 12:00, T6 13:00 and
 * frequency trip F1 06:00-07:00 every 1800 s (runs 06:00 and 06:30). Each
 * trip: S1 +0, S2 +10/+11 min, S3 +20/+21, S4 +30/+31, S5 +40.
 * The realtime is for Wednesday 2023-11-08; CET = UTC+1 then, so the service
 * day starts (noon minus 12 h) at 2023-11-07T23:00:00Z = 1699398000. */
#define DAY0 1699398000LL
#define HDR_TS (DAY0 + 9 * 3600) /* 09:00 local */
#define HM(h, m) ((h)*3600 + (m)*60)

enum {
	TD_SCHEDULED = TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__SCHEDULED,
	TD_ADDED = TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__ADDED,
	TD_CANCELED = TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__CANCELED,
	STU_SKIPPED =
	    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SKIPPED,
	STU_NO_DATA =
	    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__NO_DATA,
};

static grens_gtfs_feed *fixture_feed;
static grens_timetable *fixture_tt;

static int load_fixture(void)
{
	char path[4096];
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "small";
	check_source_path(path, sizeof(path), "tests/fixtures/rt-small");
	int rc = grens_gtfs_load(&fixture_feed, path, &go, diag, &err);
	if (rc == 0) {
		grens_net_options no = GRENS_NET_OPTIONS_INIT;
		const grens_gtfs_feed *feeds[1] = {fixture_feed};
		rc = grens_net_build(&fixture_tt, feeds, 1, &no, diag, &err);
	}
	if (rc != 0)
		fprintf(stderr, "rt-small: %s\n", err.message);
	grens_diag_free(diag);
	return rc;
}

static uint32_t trip_of(const char *id)
{
	return grens_net_trip_by_id(fixture_tt, "small", id);
}

/* The message most tests apply; counts derived in test_apply_small. */
static TransitRealtime__FeedMessage *small_message(void)
{
	TransitRealtime__FeedMessage *m = new_message((uint64_t)HDR_TS);
	TransitRealtime__TripUpdate *tu;

	/* T1: +120 s arrival at stop_sequence 20 (S2), departure at S4 at
	 * 08:35 local (absolute time). */
	tu = add_trip_update(m, "t1", "T1", "20231108", -1);
	add_stu(tu, 20, NULL, -1, EV_DELAY, 120, EV_NONE, 0);
	add_stu(tu, 0, "S4", -1, EV_NONE, 0, EV_TIME, DAY0 + HM(8, 35));
	/* T2 cancelled. */
	add_trip_update(m, "t2", "T2", "20231108", TD_CANCELED);
	/* T3: S3 skipped, +60 s arrival at S4. */
	tu = add_trip_update(m, "t3", "T3", "20231108", TD_SCHEDULED);
	add_stu(tu, 0, "S3", STU_SKIPPED, EV_NONE, 0, EV_NONE, 0);
	add_stu(tu, 0, "S4", -1, EV_DELAY, 60, EV_NONE, 0);
	/* T4 runs on weekends only: no service on Wednesday. */
	tu = add_trip_update(m, "t4", "T4", "20231108", -1);
	add_stu(tu, 0, "S1", -1, EV_NONE, 0, EV_DELAY, 60);
	/* T5 without start_date (the header's day): +300 s at S2, then a stop
	 * that is not on the trip. */
	tu = add_trip_update(m, "t5", "T5", NULL, -1);
	add_stu(tu, 0, "S2", -1, EV_DELAY, 300, EV_NONE, 0);
	add_stu(tu, 0, "S9", -1, EV_DELAY, 0, EV_NONE, 0);
	/* T6: on time at S2, then 900 s early at S3: decreasing times. */
	tu = add_trip_update(m, "t6", "T6", "20231108", -1);
	add_stu(tu, 20, NULL, -1, EV_DELAY, 0, EV_NONE, 0);
	add_stu(tu, 30, NULL, -1, EV_DELAY, -900, EV_NONE, 0);
	/* F1's 06:30 run departs S1 300 s late. */
	tu = add_trip_update(m, "f1", "F1", "20231108", -1);
	tu->trip->start_time = "06:30:00";
	add_stu(tu, 0, "S1", -1, EV_NONE, 0, EV_DELAY, 300);
	/* A trip the timetable does not know. */
	tu = add_trip_update(m, "nope", "NOPE", "20231108", -1);
	add_stu(tu, 0, "S1", -1, EV_DELAY, 60, EV_NONE, 0);
	/* An added trip S1 12:00 -> (unknown ZZ) -> S5 12:30. */
	tu = add_trip_update(m, "x1", "X1", "20231108", TD_ADDED);
	tu->trip->route_id = "R1";
	add_stu(tu, 0, "S1", -1, EV_NONE, 0, EV_TIME, DAY0 + HM(12, 0));
	add_stu(tu, 0, "ZZ", -1, EV_TIME, DAY0 + HM(12, 10), EV_NONE, 0);
	add_stu(tu, 0, "S5", -1, EV_TIME, DAY0 + HM(12, 30), EV_NONE, 0);
	/* A vehicle on T1. */
	TransitRealtime__FeedEntity *e = new_entity(m, "vp");
	TransitRealtime__VehiclePosition *vp = palloc(sizeof(*vp));
	TransitRealtime__TripDescriptor *vtd = palloc(sizeof(*vtd));
	TransitRealtime__Position *pos = palloc(sizeof(*pos));
	transit_realtime__vehicle_position__init(vp);
	transit_realtime__trip_descriptor__init(vtd);
	transit_realtime__position__init(pos);
	vtd->trip_id = "T1";
	pos->latitude = 52.01f;
	pos->longitude = 6.01f;
	vp->trip = vtd;
	vp->position = pos;
	e->vehicle = vp;
	/* An alert with two header translations. */
	e = new_entity(m, "al");
	TransitRealtime__Alert *al = palloc(sizeof(*al));
	transit_realtime__alert__init(al);
	al->has_cause = 1;
	al->cause = TRANSIT_REALTIME__ALERT__CAUSE__MAINTENANCE;
	al->has_effect = 1;
	al->effect = TRANSIT_REALTIME__ALERT__EFFECT__SIGNIFICANT_DELAYS;
	TransitRealtime__TimeRange *tr = palloc(sizeof(*tr));
	transit_realtime__time_range__init(tr);
	tr->has_start = 1;
	tr->start = (uint64_t)HDR_TS;
	tr->has_end = 1;
	tr->end = (uint64_t)HDR_TS + 4 * 3600;
	APPEND(al->n_active_period, al->active_period, tr, 4);
	TransitRealtime__EntitySelector *sel = palloc(sizeof(*sel));
	transit_realtime__entity_selector__init(sel);
	sel->route_id = "R1";
	sel->stop_id = "S3";
	APPEND(al->n_informed_entity, al->informed_entity, sel, 4);
	TransitRealtime__TranslatedString *hdr = palloc(sizeof(*hdr));
	TransitRealtime__TranslatedString *desc = palloc(sizeof(*desc));
	transit_realtime__translated_string__init(hdr);
	transit_realtime__translated_string__init(desc);
	TransitRealtime__TranslatedString__Translation *en = palloc(sizeof(*en)),
						       *nl = palloc(sizeof(*nl)),
						       *plain = palloc(sizeof(*plain));
	transit_realtime__translated_string__translation__init(en);
	transit_realtime__translated_string__translation__init(nl);
	transit_realtime__translated_string__translation__init(plain);
	en->text = "Works between Tweede and Vierde";
	en->language = "en";
	nl->text = "Werkzaamheden tussen Tweede en Vierde";
	nl->language = "nl";
	plain->text = "Delays of up to 15 minutes";
	APPEND(hdr->n_translation, hdr->translation, en, 4);
	APPEND(hdr->n_translation, hdr->translation, nl, 4);
	APPEND(desc->n_translation, desc->translation, plain, 4);
	al->header_text = hdr;
	al->description_text = desc;
	e->alert = al;
	/* A deleted entity: counted, never applied. */
	e = new_entity(m, "del");
	e->has_is_deleted = 1;
	e->is_deleted = 1;
	tu = add_trip_update(m, "del-tu", "NOPE2", "20231108", -1);
	m->n_entity--; /* add_trip_update made its own entity; move its update */
	e->trip_update = tu;
	return m;
}

static void check_times(const grens_rt_trip *t, uint32_t pos, int32_t arr, int32_t dep,
			unsigned flags, int line)
{
	if (!t || pos >= t->stop_count || !t->times) {
		CHECK(!"trip state present");
		fprintf(stderr, "  (from line %d)\n", line);
		return;
	}
	int before = check_failures;
	CHECK_INT(t->times[pos].arrival, arr);
	CHECK_INT(t->times[pos].departure, dep);
	CHECK_INT(t->stop_flags[pos], flags);
	if (check_failures != before)
		fprintf(stderr, "  (position %u, from line %d)\n", pos, line);
}
#define TIMES(t, pos, arr, dep, flags) check_times(t, pos, arr, dep, flags, __LINE__)
#define LIVE GRENS_RT_STOP_LIVE
#define SKIP GRENS_RT_STOP_SKIPPED

static void test_apply_small(void)
{
	const grens_timetable *tt = fixture_tt;
	const grens_gtfs_feed *gf[1] = {fixture_feed};
	grens_date wed = grens_date_from_ymd(2023, 11, 8);
	grens_error err;
	grens_error_clear(&err);

	/* Pattern positions are the stop_times order: S1..S5 at 0..4. */
	uint32_t t1 = trip_of("T1");
	CHECK(t1 != GRENS_NONE);
	if (t1 == GRENS_NONE)
		return;
	uint32_t p = tt->trip_pattern[t1];
	CHECK_INT(tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p], 5);
	CHECK_STR(grens_net_str(tt, tt->stop_id[tt->pattern_stops[tt->pattern_stop_offset[p] + 3]]),
		  "S4");

	TransitRealtime__FeedMessage *m = small_message();
	grens_rt_feed *feed = decode_or_die(m);
	pool_free();
	grens_diag *diag = grens_diag_new();
	grens_rt_overlay *ov = NULL;
	grens_rt_options opts = GRENS_RT_OPTIONS_INIT;
	opts.lang = "en";
	CHECK_INT(grens_rt_apply(&ov, tt, gf, 1, feed, &opts, diag, &err), 0);
	if (!ov) {
		fprintf(stderr, "apply: %s\n", err.message);
		grens_rt_feed_free(feed);
		grens_diag_free(diag);
		return;
	}
	const grens_rt_counts *c = grens_rt_overlay_counts(ov);
	/* 12 entities: t1 t2 t3 t4 t5 t6 f1 nope x1 vp al del; 10 carry a
	 * TripUpdate (t1..t6, f1, nope, x1, del). */
	CHECK_INT(c->entities, 12);
	CHECK_INT(c->trip_updates, 10);
	CHECK_INT(c->deleted, 1);
	CHECK_INT(c->vehicle_positions, 1);
	CHECK_INT(c->vehicle_positions_matched, 1);
	CHECK_INT(c->alerts, 1);
	/* matched: T1 T2 T3 T5 T6 F1(06:30); NOPE unknown; T4 no service on a
	 * Wednesday; X1 added; the deleted entity not applied. */
	CHECK_INT(c->matched, 6);
	CHECK_INT(c->unknown_trip, 1);
	CHECK_INT(c->no_service_on_date, 1);
	CHECK_INT(c->added, 1);
	CHECK_INT(c->cancelled, 1);
	CHECK_INT(c->stale, 0);
	CHECK_INT(c->invalid, 0);
	CHECK_INT(c->duplicates, 0);
	/* S9 on T5 and ZZ on X1. */
	CHECK_INT(c->unknown_stop, 2);
	CHECK_INT(c->skipped_stops, 1);
	CHECK_INT(c->decreasing_fixed, 1);
	CHECK_INT(c->decreasing_rejected, 0);
	/* Resolved stop time updates of scheduled trips: T1 2, T3 2, T5 1, T6 2, F1 1. */
	CHECK_INT(c->stop_updates, 8);
	/* Delay samples (departure delay when given, else arrival): T1 120
	 * (S2 arr) and 240 (S4 dep 08:35 - 08:31), T3 60, T5 300, T6 0 and
	 * -900, F1 300. Sorted: -900 0 60 120 240 300 300; p50 = rank
	 * ceil(3.5) = 4 -> 120; p90 = rank ceil(6.3) = 7 -> 300; max 300. */
	CHECK_INT(c->delay_samples, 7);
	CHECK_INT(c->delay_p50, 120);
	CHECK_INT(c->delay_p90, 300);
	CHECK_INT(c->delay_max, 300);
	CHECK_INT(grens_rt_overlay_header(ov)->timestamp, HDR_TS);

	/* T1: S1 unchanged; S2 +120 both (departure follows arrival); S3 +120
	 * propagated; S4 departure 08:35 (+240), arrival keeps the propagated
	 * +120 = 08:32; S5 +240 = 08:44. */
	const grens_rt_trip *t = grens_rt_trip_find(ov, t1, wed);
	CHECK(t != NULL && !t->cancelled);
	TIMES(t, 0, HM(8, 0), HM(8, 0), 0);
	TIMES(t, 1, HM(8, 12), HM(8, 13), LIVE);
	TIMES(t, 2, HM(8, 22), HM(8, 23), LIVE);
	TIMES(t, 3, HM(8, 32), HM(8, 35), LIVE);
	TIMES(t, 4, HM(8, 44), HM(8, 44), LIVE);
	grens_net_stop_time st;
	CHECK_INT(grens_rt_stop_time(ov, t1, wed, 0, &st), 0); /* no change */
	CHECK_INT(grens_rt_stop_time(ov, t1, wed, 3, &st), 1);
	CHECK_INT(st.departure, HM(8, 35));
	CHECK(grens_rt_trip_find(ov, t1, wed + 1) == NULL); /* Thursday untouched */

	/* What a router reads: T1's live row on Wednesday, the schedule on
	 * Thursday and without an overlay, nothing for cancelled T2. */
	const grens_net_stop_time *row = grens_rt_times(ov, tt, t1, wed);
	CHECK(row != NULL && row[3].departure == HM(8, 35));
	row = grens_rt_times(ov, tt, t1, wed + 1);
	CHECK(row != NULL && row[3].departure == HM(8, 31));
	row = grens_rt_times(NULL, tt, t1, wed);
	CHECK(row != NULL && row[3].departure == HM(8, 31));
	CHECK(grens_rt_times(ov, tt, trip_of("T2"), wed) == NULL);

	/* All rt-small trips share one pattern, which is touched; with no
	 * overlay nothing is. */
	CHECK(grens_rt_pattern_touched(ov, tt->trip_pattern[t1]));
	CHECK(!grens_rt_pattern_touched(NULL, tt->trip_pattern[t1]));
	CHECK(!grens_rt_pattern_touched(ov, tt->pattern_count));

	/* T2 cancelled, on Wednesday only. */
	CHECK(grens_rt_trip_cancelled(ov, trip_of("T2"), wed));
	CHECK(!grens_rt_trip_cancelled(ov, trip_of("T2"), wed + 1));
	CHECK(!grens_rt_trip_cancelled(ov, t1, wed));
	CHECK_INT(grens_rt_stop_time(ov, trip_of("T2"), wed, 1, &st), 0);

	/* T3: S3 skipped with no delay before it (scheduled times kept); S4
	 * +60 = 10:31/10:32; S5 +60 = 10:41. */
	t = grens_rt_trip_find(ov, trip_of("T3"), wed);
	TIMES(t, 1, HM(10, 10), HM(10, 11), 0);
	TIMES(t, 2, HM(10, 20), HM(10, 21), SKIP);
	TIMES(t, 3, HM(10, 31), HM(10, 32), LIVE);
	TIMES(t, 4, HM(10, 41), HM(10, 41), LIVE);
	CHECK(grens_rt_stop_skipped(ov, trip_of("T3"), wed, 2));
	CHECK(!grens_rt_stop_skipped(ov, trip_of("T3"), wed, 3));

	/* T4 has no state. T5 (date from the header): S2 +300 = 12:15/12:16,
	 * then +300 on: S5 12:45. */
	CHECK(grens_rt_trip_find(ov, trip_of("T4"), wed) == NULL);
	t = grens_rt_trip_find(ov, trip_of("T5"), wed);
	TIMES(t, 0, HM(12, 0), HM(12, 0), 0);
	TIMES(t, 1, HM(12, 15), HM(12, 16), LIVE);
	TIMES(t, 4, HM(12, 45), HM(12, 45), LIVE);

	/* T6: S2 on time 13:10/13:11; S3 -900 would be 13:05/13:06, before the
	 * 13:11 departure from S2, so both are raised to 13:11; S4 keeps the
	 * propagated -900: 13:15/13:16; S5 13:25. */
	t = grens_rt_trip_find(ov, trip_of("T6"), wed);
	TIMES(t, 1, HM(13, 10), HM(13, 11), LIVE);
	TIMES(t, 2, HM(13, 11), HM(13, 11), LIVE);
	TIMES(t, 3, HM(13, 15), HM(13, 16), LIVE);
	TIMES(t, 4, HM(13, 25), HM(13, 25), LIVE);

	/* F1: the 06:30 run departs S1 at 06:35 (arrival follows), S2
	 * 06:45/06:46; the 06:00 run is untouched. */
	uint32_t f_0630 = GRENS_NONE, f_0600 = GRENS_NONE;
	for (uint32_t i = 0; i < tt->trip_count; i++) {
		if (strcmp(grens_net_str(tt, tt->trip_id[i]), "F1") != 0)
			continue;
		if (tt->trip_frequency_start[i] == HM(6, 30))
			f_0630 = i;
		if (tt->trip_frequency_start[i] == HM(6, 0))
			f_0600 = i;
	}
	CHECK(f_0630 != GRENS_NONE && f_0600 != GRENS_NONE);
	t = grens_rt_trip_find(ov, f_0630, wed);
	TIMES(t, 0, HM(6, 35), HM(6, 35), LIVE);
	TIMES(t, 1, HM(6, 45), HM(6, 46), LIVE);
	CHECK(grens_rt_trip_find(ov, f_0600, wed) == NULL);

	/* Six trips have state (T1 T2 T3 T5 T6 F1 06:30), sorted by trip. */
	CHECK_INT(grens_rt_trip_count(ov), 6);
	for (uint32_t i = 1; i < grens_rt_trip_count(ov); i++)
		CHECK(grens_rt_trip_at(ov, i - 1)->trip < grens_rt_trip_at(ov, i)->trip);

	/* X1: S1 12:00 -> S5 12:30 (ZZ dropped), route R1. */
	CHECK_INT(grens_rt_added_count(ov), 1);
	const grens_rt_added_trip *a = grens_rt_added_at(ov, 0);
	if (a) {
		CHECK_STR(a->trip_id, "X1");
		CHECK_STR(a->route_id, "R1");
		CHECK(a->route != GRENS_NONE);
		CHECK_INT(a->date, wed);
		CHECK_INT(a->stop_count, 2);
		CHECK_INT(a->stops[0], grens_net_stop_by_id(tt, "small", "S1"));
		CHECK_INT(a->stops[1], grens_net_stop_by_id(tt, "small", "S5"));
		CHECK_INT(a->times[0].departure, HM(12, 0));
		CHECK_INT(a->times[1].arrival, HM(12, 30));
	}

	/* The alert, with the English header. */
	CHECK_INT(grens_rt_alert_count(ov), 1);
	const grens_rt_alert *al = grens_rt_alert_at(ov, 0);
	if (al) {
		CHECK_STR(al->entity_id, "al");
		CHECK_STR(al->cause, "MAINTENANCE");
		CHECK_STR(al->effect, "SIGNIFICANT_DELAYS");
		CHECK_STR(al->severity, "UNKNOWN_SEVERITY");
		CHECK_STR(al->header, "Works between Tweede and Vierde");
		CHECK_STR(al->description, "Delays of up to 15 minutes");
		CHECK_INT(al->period_count, 1);
		CHECK_INT(al->periods[0].end - al->periods[0].start, 4 * 3600);
		CHECK_INT(al->entity_count, 1);
		CHECK_STR(al->entities[0].route_id, "R1");
		CHECK_STR(al->entities[0].stop_id, "S3");
		CHECK_INT(al->entities[0].route_type, -1);
	}
	CHECK(grens_diag_count(diag, "rt_unknown_trip") == 1);
	CHECK(grens_diag_count(diag, "rt_unknown_stop") == 2);
	grens_rt_overlay_release(ov);

	/* Rejecting decreasing times drops T6's update entirely. */
	opts.reject_decreasing = true;
	opts.lang = "nl";
	CHECK_INT(grens_rt_apply(&ov, tt, gf, 1, feed, &opts, NULL, &err), 0);
	if (ov) {
		c = grens_rt_overlay_counts(ov);
		CHECK_INT(c->matched, 6);
		CHECK_INT(c->decreasing_rejected, 1);
		CHECK_INT(c->decreasing_fixed, 0);
		/* T6's samples (0, -900) are dropped with it: 120 240 60 300 300
		 * remain, sorted 60 120 240 300 300; p50 rank 3 -> 240. */
		CHECK_INT(c->delay_samples, 5);
		CHECK_INT(c->delay_p50, 240);
		CHECK(grens_rt_trip_find(ov, trip_of("T6"), wed) == NULL);
		CHECK_STR(grens_rt_alert_at(ov, 0)->header,
			  "Werkzaamheden tussen Tweede en Vierde");
		grens_rt_overlay_release(ov);
	}

	/* Stale: now is an hour after the header, max age 10 minutes: none of
	 * the 9 live TripUpdates (10 minus the deleted one) is applied. */
	opts = (grens_rt_options)GRENS_RT_OPTIONS_INIT;
	opts.now = HDR_TS + 3600;
	opts.max_age_s = 600;
	CHECK_INT(grens_rt_apply(&ov, tt, gf, 1, feed, &opts, NULL, &err), 0);
	if (ov) {
		c = grens_rt_overlay_counts(ov);
		CHECK_INT(c->stale, 9);
		CHECK_INT(c->matched, 0);
		CHECK_INT(grens_rt_trip_count(ov), 0);
		grens_rt_overlay_release(ov);
	}
	/* ... while a max age of 2 hours keeps them all. */
	opts.max_age_s = 7200;
	CHECK_INT(grens_rt_apply(&ov, tt, gf, 1, feed, &opts, NULL, &err), 0);
	if (ov) {
		CHECK_INT(grens_rt_overlay_counts(ov)->stale, 0);
		CHECK_INT(grens_rt_overlay_counts(ov)->matched, 6);
		grens_rt_overlay_release(ov);
	}

	/* Without the GTFS feed, stop_sequence-only updates cannot be mapped:
	 * T1's first and both of T6's are unknown stops (2 + 3 + the 2 above). */
	opts = (grens_rt_options)GRENS_RT_OPTIONS_INIT;
	CHECK_INT(grens_rt_apply(&ov, tt, NULL, 0, feed, &opts, NULL, &err), 0);
	if (ov) {
		CHECK_INT(grens_rt_overlay_counts(ov)->unknown_stop, 5);
		grens_rt_overlay_release(ov);
	}
	/* An unknown feed name is a bad argument. */
	opts.feed_name = "elsewhere";
	CHECK_INT(grens_rt_apply(&ov, tt, gf, 1, feed, &opts, NULL, &err), GRENS_EARG);
	CHECK(ov == NULL);
	grens_rt_feed_free(feed);
	grens_diag_free(diag);
}

/* Two updates for one trip and date: the later one wins. NO_DATA stops the
 * propagation. */
static void test_duplicates_and_no_data(void)
{
	const grens_gtfs_feed *gf[1] = {fixture_feed};
	grens_date wed = grens_date_from_ymd(2023, 11, 8);
	grens_error err;
	TransitRealtime__FeedMessage *m = new_message((uint64_t)HDR_TS);
	TransitRealtime__TripUpdate *tu = add_trip_update(m, "a", "T1", "20231108", -1);
	add_stu(tu, 0, "S1", -1, EV_NONE, 0, EV_DELAY, 60);
	tu = add_trip_update(m, "b", "T1", "20231108", -1);
	add_stu(tu, 0, "S1", -1, EV_NONE, 0, EV_DELAY, 120);
	add_stu(tu, 0, "S3", STU_NO_DATA, EV_NONE, 0, EV_NONE, 0);
	/* Absurd absolute times are ignored (with a notice), never computed
	 * with: T3's update then says "on time from S2". */
	tu = add_trip_update(m, "c", "T3", "20231108", -1);
	add_stu(tu, 0, "S2", -1, EV_TIME, INT64_MIN, EV_TIME, INT64_MAX);
	grens_rt_feed *feed = decode_or_die(m);
	pool_free();
	grens_rt_overlay *ov = NULL;
	grens_diag *diag = grens_diag_new();
	CHECK_INT(grens_rt_apply(&ov, fixture_tt, gf, 1, feed, NULL, diag, &err), 0);
	CHECK_INT(grens_diag_count(diag, "rt_implausible_delay"), 2);
	grens_diag_free(diag);
	if (ov) {
		CHECK_INT(grens_rt_overlay_counts(ov)->duplicates, 1);
		CHECK_INT(grens_rt_overlay_counts(ov)->matched, 3);
		CHECK_INT(grens_rt_overlay_counts(ov)->delay_samples, 2); /* 60 and 120 */
		const grens_rt_trip *t3 = grens_rt_trip_find(ov, trip_of("T3"), wed);
		TIMES(t3, 1, HM(10, 10), HM(10, 11), LIVE);
		TIMES(t3, 4, HM(10, 40), HM(10, 40), LIVE);
		/* "b": S1 08:02 (arrival follows departure), S2 +120 08:12/08:13,
		 * S3 NO_DATA and after it scheduled: 08:20/08:21, 08:30/08:31. */
		const grens_rt_trip *t = grens_rt_trip_find(ov, trip_of("T1"), wed);
		TIMES(t, 0, HM(8, 2), HM(8, 2), LIVE);
		TIMES(t, 1, HM(8, 12), HM(8, 13), LIVE);
		TIMES(t, 2, HM(8, 20), HM(8, 21), 0);
		TIMES(t, 3, HM(8, 30), HM(8, 31), 0);
		grens_rt_overlay_release(ov);
	}
	grens_rt_feed_free(feed);
}

/* TripUpdate.delay without stop time updates shifts the whole trip; a
 * descriptor without trip_id finds its trip by route and start time; a
 * TripUpdate without start_date shortly after midnight on a day its trip
 * does not run belongs to the previous service day when the trip runs past
 * 24:00 then. */
static void test_trip_delay_and_midnight(void)
{
	const grens_gtfs_feed *gf[1] = {fixture_feed};
	grens_error err;
	grens_rt_overlay *ov = NULL;
	/* Saturday 2023-11-11 00:10 local (CET) = 2023-11-10T23:10:00Z =
	 * DAY0 (Wednesday's start) + 3 days + 10 min. T7 (WK, so Friday but
	 * not Saturday) runs 23:50 - 24:30. */
	int64_t sat_0010 = DAY0 + 3 * 86400 + 600;
	TransitRealtime__FeedMessage *m = new_message((uint64_t)sat_0010);
	TransitRealtime__TripUpdate *tu = add_trip_update(m, "late", "T7", NULL, -1);
	add_stu(tu, 0, "S3", -1, EV_DELAY, 90, EV_NONE, 0);
	/* No trip_id: route R1 starting 10:00:00 on the 8th is T3 (+30 s at
	 * S5: 10:40:30); route R1 at 10:05 names no trip (unknown). */
	tu = add_trip_update(m, "by-route", NULL, "20231108", -1);
	tu->trip->route_id = "R1";
	tu->trip->start_time = "10:00:00";
	add_stu(tu, 0, "S5", -1, EV_DELAY, 30, EV_NONE, 0);
	tu = add_trip_update(m, "by-route-none", NULL, "20231108", -1);
	tu->trip->route_id = "R1";
	tu->trip->start_time = "10:05:00";
	tu = add_trip_update(m, "whole", "T5", "20231108", -1);
	tu->has_delay = 1;
	tu->delay = 180;
	grens_rt_feed *feed = decode_or_die(m);
	pool_free();
	CHECK_INT(grens_rt_apply(&ov, fixture_tt, gf, 1, feed, NULL, NULL, &err), 0);
	if (ov) {
		CHECK_INT(grens_rt_overlay_counts(ov)->matched, 3);
		CHECK_INT(grens_rt_overlay_counts(ov)->unknown_trip, 1);
		CHECK_INT(grens_rt_overlay_counts(ov)->no_service_on_date, 0);
		const grens_rt_trip *t3 =
		    grens_rt_trip_find(ov, trip_of("T3"), grens_date_from_ymd(2023, 11, 8));
		TIMES(t3, 4, HM(10, 40) + 30, HM(10, 40) + 30, LIVE);
		/* Friday 2023-11-10: S3 24:10 + 90 s = 24:11:30 (87090 s). */
		const grens_rt_trip *t =
		    grens_rt_trip_find(ov, trip_of("T7"), grens_date_from_ymd(2023, 11, 10));
		TIMES(t, 2, 86400 + 690, 86400 + 750, LIVE);
		TIMES(t, 1, 86400, 86460, 0);
		/* T5 12:00 + 180 s everywhere: S1 12:03, S4 12:33/12:34. */
		t = grens_rt_trip_find(ov, trip_of("T5"), grens_date_from_ymd(2023, 11, 8));
		TIMES(t, 0, HM(12, 3), HM(12, 3), LIVE);
		TIMES(t, 3, HM(12, 33), HM(12, 34), LIVE);
		CHECK_INT(grens_rt_overlay_counts(ov)->delay_samples, 3); /* 90, 30, 180 */
		grens_rt_overlay_release(ov);
	}
	grens_rt_feed_free(feed);
}

/* A failed update keeps the last good overlay; a reader's reference stays
 * valid across a swap. */
static void test_live_swap(void)
{
	const grens_gtfs_feed *gf[1] = {fixture_feed};
	grens_date wed = grens_date_from_ymd(2023, 11, 8);
	uint32_t t2 = trip_of("T2");
	char good[512], other[512], html[512], trunc[512], empty[512];
	grens_error err;
	size_t len;

	uint8_t *buf = pack(small_message(), &len);
	pool_free();
	write_file(tmp_path(good, sizeof(good), "live-good.pb"), buf, len);
	write_file(tmp_path(trunc, sizeof(trunc), "live-trunc.pb"), buf, len / 2);
	free(buf);
	TransitRealtime__FeedMessage *m = new_message((uint64_t)HDR_TS);
	add_trip_update(m, "c", "T3", "20231108", TD_CANCELED);
	buf = pack(m, &len);
	pool_free();
	write_file(tmp_path(other, sizeof(other), "live-other.pb"), buf, len);
	free(buf);
	const char *page = "<html><head><title>503</title></head></html>";
	write_file(tmp_path(html, sizeof(html), "live.html"), page, strlen(page));
	write_file(tmp_path(empty, sizeof(empty), "live-empty.pb"), "", 0);

	grens_rt_live *live = grens_rt_live_new();
	CHECK(grens_rt_live_acquire(live) == NULL);
	CHECK_INT(grens_rt_live_update(live, fixture_tt, gf, 1, good, NULL, NULL, &err), 0);
	grens_rt_overlay *first = grens_rt_live_acquire(live);
	CHECK(first != NULL && grens_rt_trip_cancelled(first, t2, wed));
	const char *bad[3] = {html, trunc, empty};
	for (int i = 0; i < 3; i++) {
		grens_error_clear(&err);
		CHECK_INT(grens_rt_live_update(live, fixture_tt, gf, 1, bad[i], NULL, NULL, &err),
			  GRENS_EFORMAT);
		CHECK(err.message[0] != '\0');
		grens_rt_overlay *now = grens_rt_live_acquire(live);
		CHECK(now == first); /* the last good overlay stays */
		CHECK(grens_rt_trip_cancelled(now, t2, wed));
		grens_rt_overlay_release(now);
	}
	CHECK_INT(grens_rt_live_update(live, fixture_tt, gf, 1, other, NULL, NULL, &err), 0);
	grens_rt_overlay *second = grens_rt_live_acquire(live);
	CHECK(second != first);
	CHECK(second && !grens_rt_trip_cancelled(second, t2, wed));
	CHECK(second && grens_rt_trip_cancelled(second, trip_of("T3"), wed));
	/* The reader still holding the first overlay sees it unchanged. */
	CHECK(grens_rt_trip_cancelled(first, t2, wed));
	CHECK_INT(grens_rt_overlay_counts(first)->matched, 6);
	grens_rt_overlay_release(first);
	grens_rt_overlay_release(second);
	grens_rt_live_free(live);
}

/* Readers on other threads take the current overlay while the main thread
 * swaps between two files many times: every snapshot a reader holds is one
 * of the two whole overlays (T2 cancelled and T3 not, or the reverse) and
 * stays so until released. The sanitizer build catches a use after free. */
typedef struct reader_state {
	grens_rt_live *live;
	uint32_t t2, t3;
	grens_date date;
	atomic_int stop;
	atomic_int snapshots, torn;
} reader_state;

static void *reader(void *arg)
{
	reader_state *st = arg;
	while (!atomic_load(&st->stop)) {
		grens_rt_overlay *ov = grens_rt_live_acquire(st->live);
		if (!ov)
			continue;
		bool c2 = grens_rt_trip_cancelled(ov, st->t2, st->date);
		bool c3 = grens_rt_trip_cancelled(ov, st->t3, st->date);
		if (c2 == c3)
			atomic_fetch_add(&st->torn, 1);
		/* look again later: still the same answers */
		for (volatile int spin = 0; spin < 1000; spin++)
			;
		if (grens_rt_trip_cancelled(ov, st->t2, st->date) != c2)
			atomic_fetch_add(&st->torn, 1);
		grens_rt_overlay_release(ov);
		atomic_fetch_add(&st->snapshots, 1);
	}
	return NULL;
}

static void test_live_threads(void)
{
	const grens_gtfs_feed *gf[1] = {fixture_feed};
	char a[512], b[512];
	size_t len;
	grens_error err;
	TransitRealtime__FeedMessage *m = new_message((uint64_t)HDR_TS);
	add_trip_update(m, "c2", "T2", "20231108", TD_CANCELED);
	uint8_t *buf = pack(m, &len);
	pool_free();
	write_file(tmp_path(a, sizeof(a), "threads-a.pb"), buf, len);
	free(buf);
	m = new_message((uint64_t)HDR_TS);
	add_trip_update(m, "c3", "T3", "20231108", TD_CANCELED);
	buf = pack(m, &len);
	pool_free();
	write_file(tmp_path(b, sizeof(b), "threads-b.pb"), buf, len);
	free(buf);

	reader_state st;
	memset(&st, 0, sizeof(st));
	st.live = grens_rt_live_new();
	st.t2 = trip_of("T2");
	st.t3 = trip_of("T3");
	st.date = grens_date_from_ymd(2023, 11, 8);
	CHECK_INT(grens_rt_live_update(st.live, fixture_tt, gf, 1, a, NULL, NULL, &err), 0);
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, reader, &st);
	int updates_ok = 0;
	for (int i = 0; i < 200; i++)
		updates_ok += grens_rt_live_update(st.live, fixture_tt, gf, 1, i % 2 ? a : b, NULL,
						   NULL, &err) == 0;
	atomic_store(&st.stop, 1);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK_INT(updates_ok, 200);
	CHECK_INT(atomic_load(&st.torn), 0);
	CHECK(atomic_load(&st.snapshots) > 0);
	grens_rt_live_free(st.live);
}

static void test_time_zones(void)
{
	grens_error err;
	int64_t t;
	grens_date d;
	/* Amsterdam, 2023-11-08 (CET, UTC+1): day starts 2023-11-07T23:00Z. */
	CHECK_INT(
	    grens_rt_day_start("Europe/Amsterdam", grens_date_from_ymd(2023, 11, 8), &t, &err), 0);
	CHECK_INT(t, DAY0);
	/* 2023-07-01 (CEST, UTC+2): 2023-06-30T22:00Z = 19538 * 86400 - 7200. */
	CHECK_INT(grens_rt_day_start("Europe/Amsterdam", grens_date_from_ymd(2023, 7, 1), &t, &err),
		  0);
	CHECK_INT(t, 19539LL * 86400 - 7200);
	/* The day DST ends (2023-10-29) is 25 h long; noon is CET, so the day
	 * starts at noon - 12 h = 11:00Z - 12 h = 2023-10-28T23:00Z, an hour
	 * after local midnight (22:00Z). 2023-10-29 is day 19659. */
	CHECK_INT(
	    grens_rt_day_start("Europe/Amsterdam", grens_date_from_ymd(2023, 10, 29), &t, &err), 0);
	CHECK_INT(t, 19659LL * 86400 - 3600);
	/* Los Angeles, 2023-11-07 (PST, UTC-8): local midnight 08:00Z. */
	CHECK_INT(
	    grens_rt_day_start("America/Los_Angeles", grens_date_from_ymd(2023, 11, 7), &t, &err),
	    0);
	CHECK_INT(t, 19668LL * 86400 + 8 * 3600);
	/* The Caltrain header 1699405534 = 2023-11-08T01:05:34Z is still
	 * 2023-11-07 in California. */
	CHECK_INT(grens_rt_local_date("America/Los_Angeles", 1699405534, &d, &err), 0);
	CHECK_INT(d, grens_date_from_ymd(2023, 11, 7));
	CHECK_INT(grens_rt_local_date("Europe/Amsterdam", 1699405534, &d, &err), 0);
	CHECK_INT(d, grens_date_from_ymd(2023, 11, 8));
	/* Beyond the last transition listed in the TZif file (2037) the
	 * footer's POSIX rule decides; expected values from Python's zoneinfo,
	 * as (day start - date * 86400): minus the noon offset. */
	static const struct {
		const char *zone;
		int y, m, d;
		int64_t shift;
	} rules[] = {
	    {"Europe/Amsterdam", 2040, 7, 1, -7200},	 /* CEST */
	    {"Europe/Amsterdam", 2040, 12, 1, -3600},	 /* CET */
	    {"Europe/Amsterdam", 2041, 3, 31, -7200},	 /* last Sunday of March */
	    {"America/Los_Angeles", 2045, 3, 11, 28800}, /* PST, day before */
	    {"America/Los_Angeles", 2045, 3, 12, 25200}, /* second Sunday: PDT */
	    {"Australia/Sydney", 2040, 1, 15, -39600},	 /* southern summer */
	    {"Australia/Sydney", 2040, 7, 15, -36000},
	    {"Asia/Tokyo", 2040, 7, 1, -32400},
	    {"UTC", 2040, 7, 1, 0},
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		grens_date day = grens_date_from_ymd(rules[i].y, rules[i].m, rules[i].d);
		CHECK_INT(grens_rt_day_start(rules[i].zone, day, &t, &err), 0);
		CHECK_INT(t - (int64_t)day * 86400, rules[i].shift);
	}
	CHECK_INT(grens_rt_day_start("Mars/Olympus_Mons", 0, &t, &err), GRENS_ENOTFOUND);
	CHECK_INT(grens_rt_day_start("../etc/passwd", 0, &t, &err), GRENS_ENOTFOUND);
}

/* The recorded Caltrain feeds of 2023-11-08 on the 2023 Caltrain GTFS.
 * Expected counts come from an independent walk of the protobuf wire format
 * in Python (the same walk tests/integration/test_rt.py does; cross-checked
 * with `protoc-c --decode_raw`): 19 TripUpdates for trips 1xx-5xx with
 * start_date 20231107, all in trips.txt on weekday service 72982, 220 stop
 * time updates by stop_sequence, none skipped or cancelled; delays from the
 * absolute times minus (2023-11-07 local midnight, PST, + scheduled time):
 * p50 28 s, p90 167 s, max 878 s. 14 VehiclePositions, all naming trips of
 * the feed. */
static void test_caltrain(void)
{
	const char *shared = check_shared_dir();
	if (!shared)
		return;
	char zip[4096], tu_path[4096], vp_path[4096];
	snprintf(zip, sizeof(zip), "%s/data/gtfs/caltrain-2023-ct.zip", shared);
	snprintf(tu_path, sizeof(tu_path), "%s/data/gtfs-rt/caltrain-ct-trip-updates.pb", shared);
	snprintf(vp_path, sizeof(vp_path), "%s/data/gtfs-rt/caltrain-ct-vehicle-positions.pb",
		 shared);
	grens_error err;
	grens_error_clear(&err);
	grens_gtfs_feed *gf = NULL;
	grens_timetable *tt = NULL;
	grens_rt_feed *tu = NULL, *vp = NULL;
	grens_rt_overlay *ov = NULL;
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "ct";
	CHECK_INT(grens_gtfs_load(&gf, zip, &go, NULL, &err), 0);
	if (!gf)
		goto done;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	const grens_gtfs_feed *feeds[1] = {gf};
	CHECK_INT(grens_net_build(&tt, feeds, 1, &no, NULL, &err), 0);
	if (!tt)
		goto done;
	CHECK_INT(grens_rt_decode_file(&tu, tu_path, &err), 0);
	CHECK_INT(grens_rt_decode_file(&vp, vp_path, &err), 0);
	if (!tu || !vp)
		goto done;
	CHECK_INT(grens_rt_apply(&ov, tt, feeds, 1, tu, NULL, NULL, &err), 0);
	if (ov) {
		const grens_rt_counts *c = grens_rt_overlay_counts(ov);
		CHECK_INT(c->entities, 19);
		CHECK_INT(c->trip_updates, 19);
		CHECK_INT(c->matched, 19);
		CHECK_INT(c->unknown_trip, 0);
		CHECK_INT(c->no_service_on_date, 0);
		CHECK_INT(c->cancelled, 0);
		CHECK_INT(c->skipped_stops, 0);
		CHECK_INT(c->unknown_stop, 0);
		CHECK_INT(c->stop_updates, 220);
		CHECK_INT(c->delay_samples, 220);
		CHECK_INT(c->delay_p50, 28);
		CHECK_INT(c->delay_p90, 167);
		CHECK_INT(c->delay_max, 878);
		CHECK_INT(grens_rt_overlay_header(ov)->timestamp, 1699405534);
		/* Trip 124 on 2023-11-07: Lawrence (stop_sequence 20, scheduled
		 * 17:03) departs at 1699405504 = 2023-11-07 17:05:04 PST. */
		const grens_rt_trip *t = grens_rt_trip_find(
		    ov, grens_net_trip_by_id(tt, "ct", "124"), grens_date_from_ymd(2023, 11, 7));
		CHECK(t != NULL);
		if (t && t->stop_count == 23)
			CHECK_INT(t->times[19].departure, HM(17, 5) + 4);
		/* 19 trips touch at most 19 patterns, 124's among them. */
		uint32_t touched = 0;
		for (uint32_t p = 0; p < tt->pattern_count; p++)
			touched += grens_rt_pattern_touched(ov, p);
		CHECK(touched >= 1 && touched <= 19 && touched < tt->pattern_count);
		CHECK(grens_rt_pattern_touched(
		    ov, tt->trip_pattern[grens_net_trip_by_id(tt, "ct", "124")]));
		grens_rt_overlay_release(ov);
	}
	CHECK_INT(grens_rt_apply(&ov, tt, feeds, 1, vp, NULL, NULL, &err), 0);
	if (ov) {
		CHECK_INT(grens_rt_overlay_counts(ov)->vehicle_positions, 14);
		CHECK_INT(grens_rt_overlay_counts(ov)->vehicle_positions_matched, 14);
		CHECK_INT(grens_rt_overlay_counts(ov)->trip_updates, 0);
		grens_rt_overlay_release(ov);
	}
done:
	if (err.code)
		fprintf(stderr, "caltrain: %s\n", err.message);
	grens_rt_feed_free(tu);
	grens_rt_feed_free(vp);
	grens_net_free(tt);
	grens_gtfs_free(gf);
}

/* An archive survives what an interrupted recorder leaves behind: the
 * index rebuilt from the files, temporary files removed, a corrupt snapshot
 * skipped and counted; identical messages are kept once. */
static void test_archive(void)
{
	char dir[600], path[1200];
	snprintf(dir, sizeof(dir), "%s/archive", tmpdir);
	size_t len, bounds[4];
	uint8_t *buf = pack_small(&len, bounds);
	grens_error err;
	grens_error_clear(&err);
	grens_rt_archive *ar = NULL;
	CHECK_INT(grens_rt_archive_open(&ar, dir, false, &err), GRENS_ENOTFOUND);
	CHECK_INT(grens_rt_archive_open(&ar, dir, true, &err), 0);
	if (!ar)
		goto done;
	bool added = false;
	/* 2026-03-10T08:00:30Z = 20522 days * 86400 + 28830 s */
	int64_t t = (int64_t)20522 * 86400 + 28830;
	CHECK_INT(grens_rt_archive_add(ar, "nl-rt", t, buf, len, &added, &err), 0);
	CHECK(added);
	CHECK_INT(grens_rt_archive_add(ar, "nl-rt", t + 30, buf, len, &added, &err), 0);
	CHECK(!added); /* same SHA-256: kept once */
	/* a second distinct message: the first with gtfs_realtime_version
	 * "2.0" changed to "2.1" (same length, still a valid encoding) */
	uint8_t *other = malloc(len);
	memcpy(other, buf, len);
	uint8_t *v = memmem(other, len, "2.0", 3);
	CHECK(v != NULL);
	if (v)
		v[2] = '1';
	CHECK_INT(grens_rt_archive_add(ar, "nl-rt", t + 60, other, len, &added, &err), 0);
	CHECK(added);
	CHECK_INT(grens_rt_archive_count(ar), 2);
	const grens_rt_snapshot *s0 = grens_rt_archive_at(ar, 0);
	/* the two distinct snapshots were received at t and t + 60 */
	uint32_t first = 99;
	CHECK_INT(grens_rt_archive_range(ar, t, t + 60, &first), 1);
	CHECK_INT(first, 0);
	CHECK_INT(grens_rt_archive_range(ar, t + 1, t + 61, &first), 1);
	CHECK_INT(first, 1);
	CHECK_INT(grens_rt_archive_range(ar, t - 3600, t + 3600, &first), 2);
	CHECK_INT(first, 0);
	CHECK_INT(grens_rt_archive_range(ar, t + 61, t + 3600, &first), 0);
	CHECK_INT(first, 2);
	CHECK_INT(grens_rt_archive_range(ar, t + 60, t, &first), 0); /* empty interval */
	CHECK_STR(s0->feed, "nl-rt");
	CHECK_INT(s0->received, t);
	CHECK_INT(s0->header_ts, 1700000000);
	CHECK_INT(s0->bytes, len);
	CHECK(strncmp(s0->file, "2026-03-10/080030Z-nl-rt-", 25) == 0);
	grens_rt_feed *feed = NULL;
	CHECK_INT(grens_rt_archive_read(ar, s0, &feed, &err), 0);
	grens_rt_feed_free(feed);
	grens_rt_archive_free(ar);
	ar = NULL;

	/* what kill -9 can leave: a temporary file and an index that lacks the
	 * last snapshot; and a snapshot that was cut short on the disk */
	snprintf(path, sizeof(path), "%s/2026-03-10/.part-abc123", dir);
	FILE *f = fopen(path, "wb");
	fputs("half", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/2026-03-10/index.csv", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/2026-03-10/090000Z-nl-rt-0123456789ab.pb.gz", dir);
	f = fopen(path, "wb");
	fputs("\x1f\x8b\x08", f);
	fclose(f);
	CHECK_INT(grens_rt_archive_open(&ar, dir, true, &err), 0);
	if (!ar)
		goto done;
	const grens_rt_archive_stats *st = grens_rt_archive_stats_get(ar);
	CHECK_INT(st->snapshots, 2);
	CHECK_INT(st->corrupt, 1);
	CHECK_INT(st->reindexed_days, 1);
	CHECK_INT(st->temp_removed, 1);
	CHECK_INT(grens_rt_archive_at(ar, 1)->received, t + 60);
	grens_rt_archive_free(ar);
	ar = NULL;
	/* the rewritten index is used as it is; the corrupt file stays aside */
	CHECK_INT(grens_rt_archive_open(&ar, dir, false, &err), 0);
	if (!ar)
		goto done;
	st = grens_rt_archive_stats_get(ar);
	CHECK_INT(st->snapshots, 2);
	CHECK_INT(st->reindexed_days, 0);
	CHECK_INT(st->corrupt, 1);
	grens_rt_archive_free(ar);
	ar = NULL;
	/* retention: 2026-03-10 is 3 days before 2026-03-13 */
	CHECK_INT(grens_rt_archive_open(&ar, dir, true, &err), 0);
	if (!ar)
		goto done;
	uint32_t removed = 9;
	CHECK_INT(grens_rt_archive_prune(ar, t + 3 * 86400, 3, &removed, &err), 0);
	CHECK_INT(removed, 0);
	CHECK_INT(grens_rt_archive_prune(ar, t + 4 * 86400, 3, &removed, &err), 0);
	CHECK_INT(removed, 1);
	CHECK_INT(grens_rt_archive_count(ar), 0);
	free(other);
done:
	grens_rt_archive_free(ar);
	free(buf);
}

/* The recorder's status file round-trips; a damaged one names its key; the
 * lock is exclusive, names its holder and goes with its file descriptor. */
static void test_record_files(void)
{
	char dir[600], path[1200];
	snprintf(dir, sizeof(dir), "%s/recorder", tmpdir);
	grens_error err;
	grens_error_clear(&err);
	grens_rt_record_status *st = calloc(1, sizeof(*st));
	grens_rt_record_status *back = calloc(1, sizeof(*back));
	if (!st || !back)
		goto done;
	int fd = -1, fd2 = -1;
	int64_t holder = -1;
	/* a stale temporary status file of a killed recorder goes with the lock */
	CHECK_INT(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/.part-q1w2e3", dir);
	FILE *f = fopen(path, "wb");
	fputs("{\"po", f);
	fclose(f);
	CHECK_INT(grens_rt_record_lock(&fd, dir, &holder, &err), 0);
	CHECK(fd >= 0);
	CHECK_INT(holder, 0);
	CHECK(access(path, F_OK) != 0);
	/* a second lock, even from this process through another open file, is
	 * refused and names the holder; so does a probe */
	CHECK_INT(grens_rt_record_lock(&fd2, dir, &holder, &err), 0);
	CHECK_INT(fd2, -1);
	CHECK_INT(holder, (int64_t)getpid());
	holder = 0;
	CHECK_INT(grens_rt_record_probe(dir, &holder, &err), 0);
	CHECK_INT(holder, (int64_t)getpid());
	grens_rt_record_unlock(fd);
	CHECK_INT(grens_rt_record_probe(dir, &holder, &err), 0);
	CHECK_INT(holder, 0);

	CHECK_INT(grens_rt_record_status_read(back, dir, &err), GRENS_ENOTFOUND);
	/* 2026-03-10T08:00:00Z = 20522 * 86400 + 28800 */
	int64_t t = (int64_t)20522 * 86400 + 28800;
	st->pid = 4242;
	st->started = t;
	st->until = t + 86400;
	st->every_ms = 30000;
	st->feed_count = 2;
	snprintf(st->feeds[0].name, sizeof(st->feeds[0].name), "nl-rt");
	snprintf(st->feeds[0].url, sizeof(st->feeds[0].url), "https://example.invalid/nl.pb");
	snprintf(st->feeds[1].name, sizeof(st->feeds[1].name), "be-rt");
	grens_rt_record_counts *c = &st->feeds[0].counts;
	c->polls = 7;
	c->added = 2;
	c->unchanged = 4;
	c->failed = 1;
	c->last_poll = t + 180;
	c->last_added = t + 150;
	snprintf(c->last_result, sizeof(c->last_result), "unchanged");
	snprintf(c->last_error, sizeof(c->last_error), "HTTP 500");
	st->total = *c;
	CHECK_INT(grens_rt_record_status_write(dir, st, &err), 0);
	CHECK_INT(grens_rt_record_status_read(back, dir, &err), 0);
	CHECK_INT(back->pid, 4242);
	CHECK_INT(back->started, t);
	CHECK_INT(back->stopped, 0); /* null: still running */
	CHECK_INT(back->until, t + 86400);
	CHECK_INT(back->every_ms, 30000);
	CHECK_INT(back->feed_count, 2);
	CHECK_STR(back->feeds[0].url, "https://example.invalid/nl.pb");
	CHECK_STR(back->feeds[1].name, "be-rt");
	CHECK_INT(back->feeds[1].counts.polls, 0);
	CHECK_INT(back->total.polls, 7);
	CHECK_INT(back->total.added, 2);
	CHECK_INT(back->total.unchanged, 4);
	CHECK_INT(back->total.failed, 1);
	CHECK_INT(back->total.last_poll, t + 180);
	CHECK_INT(back->total.last_added, t + 150);
	CHECK_STR(back->total.last_error, "HTTP 500");
	/* the file is what the README documents */
	snprintf(path, sizeof(path), "%s/status.json", dir);
	char text[8192] = "";
	f = fopen(path, "rb");
	if (f) {
		text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
		fclose(f);
	}
	CHECK(strstr(text, "\"last_poll\": \"2026-03-10T08:03:00Z\"") != NULL);
	CHECK(strstr(text, "\"stopped\": null") != NULL);
	f = fopen(path, "wb");
	fputs("{\"polls\": -1}\n", f);
	fclose(f);
	CHECK_INT(grens_rt_record_status_read(back, dir, &err), GRENS_EFORMAT);
	CHECK_STR(err.field, "polls");

	grens_rt_archive *ar = NULL;
	bool added = true;
	CHECK_INT(grens_rt_archive_open(&ar, dir, true, &err), 0);
	snprintf(path, sizeof(path), "%s/no-such.pb", dir);
	if (ar)
		CHECK_INT(grens_rt_archive_add_file(ar, "nl-rt", t, path, &added, &err),
			  GRENS_ENOTFOUND);
	CHECK(!added);
	grens_rt_archive_free(ar);
done:
	free(st);
	free(back);
}

/* ---- the recorder -----------------------------------------------------------
 * A tiny HTTP server on 127.0.0.1 answers every request with one
 * FeedMessage (200, no validators), so a recorder's first poll brings a new
 * snapshot and the next ones the same bytes. */
typedef struct feed_server {
	int fd;
	uint16_t port;
	const uint8_t *body;
	size_t len;
	atomic_int requests;
	pthread_t thread;
} feed_server;

static void *serve_feed(void *arg)
{
	feed_server *sv = arg;
	for (;;) {
		int c = accept(sv->fd, NULL, NULL);
		if (c < 0)
			return NULL; /* shut down */
		char req[4096];
		size_t n = 0;
		while (n < sizeof(req) - 1) {
			ssize_t got = recv(c, req + n, sizeof(req) - 1 - n, 0);
			if (got <= 0)
				break;
			n += (size_t)got;
			req[n] = '\0';
			if (strstr(req, "\r\n\r\n"))
				break;
		}
		char head[128];
		int hl = snprintf(head, sizeof(head),
				  "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
				  "Connection: close\r\n\r\n",
				  sv->len);
		if (send(c, head, (size_t)hl, MSG_NOSIGNAL) == hl)
			(void)send(c, sv->body, sv->len, MSG_NOSIGNAL);
		atomic_fetch_add(&sv->requests, 1);
		close(c);
	}
}

static int feed_server_start(feed_server *sv, const uint8_t *body, size_t len)
{
	memset(sv, 0, sizeof(*sv));
	sv->body = body;
	sv->len = len;
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t al = sizeof(a);
	sv->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (sv->fd < 0 || bind(sv->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(sv->fd, 8) != 0 || getsockname(sv->fd, (struct sockaddr *)&a, &al) != 0 ||
	    pthread_create(&sv->thread, NULL, serve_feed, sv) != 0) {
		if (sv->fd >= 0)
			close(sv->fd);
		return -1;
	}
	sv->port = ntohs(a.sin_port);
	return 0;
}

static void feed_server_stop(feed_server *sv)
{
	shutdown(sv->fd, SHUT_RDWR);
	pthread_join(sv->thread, NULL);
	close(sv->fd);
}

/* What the recorder's callbacks saw. */
typedef struct record_seen {
	char log[8192];
	unsigned lines, progress;
	int64_t next_in_ms;
	bool stop;
} record_seen;

static void seen_log(void *ctx, const char *line)
{
	record_seen *s = ctx;
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof(s->log) - n, "%s\n", line);
	s->lines++;
}

static bool seen_stop(void *ctx)
{
	return ((record_seen *)ctx)->stop;
}

static void seen_progress(void *ctx, const grens_rt_record_status *st, int64_t next_in_ms)
{
	record_seen *s = ctx;
	(void)st;
	s->progress++;
	s->next_in_ms = next_in_ms;
}

/* Options are checked before anything is touched; the recorder takes the
 * lock, archives what a killed run left in the cache, prunes old days,
 * counts new, unchanged and failed polls in status.json, and stops when the
 * stop callback says so or its time is up. */
static void test_recorder(void)
{
	char dir[600], path[1200], url[64];
	snprintf(dir, sizeof(dir), "%s/recording", tmpdir);
	size_t len, bounds[4];
	uint8_t *buf = pack_small(&len, bounds);
	grens_error err;
	grens_error_clear(&err);
	grens_fetch_feed feeds[2];
	record_seen seen;
	memset(&seen, 0, sizeof(seen));
	grens_rt_record_status *back = calloc(1, sizeof(*back));
	grens_rt_recorder *rec = NULL, *second = NULL;
	grens_rt_archive *ar = NULL;
	feed_server sv;
	bool serving = false;
	int64_t holder = -1;
	if (!back || grens_fetch_global_init(&err) != 0) {
		CHECK(!"the fetcher starts");
		free(back);
		free(buf);
		return;
	}
	CHECK_INT(grens_fetch_feed_init(&feeds[0], "nl-rt", GRENS_FETCH_GTFS_RT,
					"http://127.0.0.1:1/nl.pb", &err),
		  0);
	feeds[1] = feeds[0];

	/* options */
	grens_rt_recorder_options o = GRENS_RT_RECORDER_OPTIONS_INIT;
	CHECK_INT(o.every_ms, 30000);
	CHECK_INT(o.retries, 1);
	grens_rt_recorder_options bad = o;
	bad.version = 0;
	bad.feeds = feeds;
	bad.feed_count = 1;
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &bad, &holder, &err), GRENS_EINVAL);
	CHECK(strstr(err.message, "GRENS_RT_RECORDER_OPTIONS_INIT") != NULL);
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, NULL, &err), GRENS_EINVAL);
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), GRENS_EARG); /* no feeds */
	o.feeds = feeds;
	o.feed_count = 2;
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), GRENS_EARG);
	CHECK_STR(err.message, "two feeds are named 'nl-rt'; name them with NAME=URL");
	o.feed_count = GRENS_RT_RECORD_MAX_FEEDS + 1;
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), GRENS_EARG);
	o.feed_count = 1;
	o.every_ms = GRENS_RT_RECORDER_MIN_EVERY_MS - 1;
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), GRENS_EARG);
	o.every_ms = 60000;
	feeds[1].kind = GRENS_FETCH_GTFS;
	o.feeds = &feeds[1];
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), GRENS_EARG);
	o.feeds = feeds;
	CHECK(rec == NULL);
	CHECK(access(dir, F_OK) != 0); /* nothing made yet */

	/* what a killed run left: an old day (pruned with retention 2) and a
	 * download in the cache it did not archive */
	CHECK_INT(grens_rt_archive_open(&ar, dir, true, &err), 0);
	bool added = false;
	int64_t now = (int64_t)time(NULL);
	/* another message than the cached one, so that is not a duplicate:
	 * version "2.0" made "2.1" (same length, still valid) */
	uint8_t *old = malloc(len);
	if (old)
		memcpy(old, buf, len);
	uint8_t *v = old ? memmem(old, len, "2.0", 3) : NULL;
	if (v)
		v[2] = '1';
	if (ar && old)
		CHECK_INT(
		    grens_rt_archive_add(ar, "nl-rt", now - 10 * 86400, old, len, &added, &err), 0);
	free(old);
	CHECK(added);
	grens_rt_archive_free(ar);
	ar = NULL;
	snprintf(path, sizeof(path), "%s/.fetch", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/.fetch/nl-rt", dir);
	CHECK_INT(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/.fetch/nl-rt/current.pb", dir);
	write_file(path, buf, len);

	o.retention_days = 2;
	o.log = seen_log;
	o.stop = seen_stop;
	o.progress = seen_progress;
	o.ctx = &seen;
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), 0);
	if (!rec)
		goto done;
	CHECK(strstr(seen.log, "nl-rt: archived the last download of the previous run\n") !=
	      NULL);
	CHECK(strstr(seen.log, "removed 1 day folder(s) older than 2 day(s)\n") != NULL);
	uint32_t days = 9;
	CHECK_INT(grens_rt_recorder_archived(rec, &days), 1);
	CHECK_INT(days, 1);
	CHECK_INT(grens_rt_record_status_read(back, dir, &err), 0);
	CHECK_INT(back->pid, (int64_t)getpid());
	CHECK_INT(back->every_ms, 60000);
	CHECK_INT(back->total.polls, 0);
	CHECK_STR(back->feeds[0].url, "http://127.0.0.1:1/nl.pb");

	/* a second recorder on the same folder is told who holds it */
	CHECK_INT(grens_rt_recorder_new(&second, dir, &o, &holder, &err), 0);
	CHECK(second == NULL);
	CHECK_INT(holder, (int64_t)getpid());

	/* a refused connection is a failed poll, logged and counted */
	CHECK_INT(grens_rt_recorder_next_due(rec), 0);
	CHECK(!grens_rt_recorder_done(rec));
	grens_rt_recorder_poll(rec);
	const grens_rt_record_status *st = grens_rt_recorder_status(rec);
	CHECK_INT(st->total.polls, 1);
	CHECK_INT(st->total.failed, 1);
	CHECK_STR(st->feeds[0].counts.last_result, "failed");
	CHECK(strstr(st->total.last_error, "127.0.0.1") != NULL);
	CHECK(strstr(seen.log, "nl-rt: poll failed: ") != NULL);
	CHECK_INT(seen.progress, 1);
	CHECK(seen.next_in_ms > 50000 && seen.next_in_ms <= 60000);
	CHECK(grens_rt_recorder_next_due(rec) > 50000);
	CHECK_INT(grens_rt_record_status_read(back, dir, &err), 0);
	CHECK_INT(back->total.failed, 1);

	/* the stop flag: run returns at once, without a poll, and says it
	 * stopped */
	seen.stop = true;
	CHECK(grens_rt_recorder_done(rec));
	grens_rt_recorder_run(rec);
	CHECK_INT(st->total.polls, 1);
	CHECK(st->stopped >= now);
	CHECK_INT(grens_rt_record_status_read(back, dir, &err), 0);
	CHECK(back->stopped >= now);
	grens_rt_recorder_free(rec);
	rec = NULL;

	/* a served feed: new, then the same bytes (unchanged); then run goes
	 * on until for_ms is up */
	if (feed_server_start(&sv, buf, len) != 0) {
		CHECK(!"the feed server starts");
		goto done;
	}
	serving = true;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/nl.pb", (unsigned)sv.port);
	CHECK_INT(grens_fetch_feed_init(&feeds[0], "served", GRENS_FETCH_GTFS_RT, url, &err), 0);
	seen.stop = false;
	o.every_ms = 100;
	o.for_ms = 300;
	o.retention_days = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(grens_rt_recorder_new(&rec, dir, &o, &holder, &err), 0);
	if (!rec)
		goto done;
	grens_rt_recorder_poll(rec);
	grens_rt_recorder_poll(rec);
	st = grens_rt_recorder_status(rec);
	CHECK_INT(st->total.polls, 2);
	CHECK_INT(st->total.added, 1);
	CHECK_INT(st->total.unchanged, 1);
	CHECK_STR(st->total.last_result, "unchanged");
	CHECK_INT(atomic_load(&sv.requests), 2);
	CHECK(st->until >= st->started + 1); /* for_ms rounded up to a second */
	/* the served bytes are those the previous run archived, but of
	 * another feed: a snapshot of its own */
	CHECK_INT(grens_rt_recorder_archived(rec, NULL), 2);
	grens_rt_recorder_run(rec);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t ran_ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
			 (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ran_ms >= 300);
	CHECK(grens_rt_recorder_done(rec));
	CHECK(st->total.polls >= 2);
	CHECK_INT(st->total.added, 1);
	CHECK_INT(grens_rt_record_status_read(back, dir, &err), 0);
	CHECK_STR(back->feeds[0].name, "served");
	CHECK_INT(back->feeds[0].counts.added, 1);
	CHECK_INT(back->total.polls, st->total.polls);
	CHECK(back->stopped != 0);
done:
	if (serving)
		feed_server_stop(&sv);
	grens_rt_recorder_free(rec);
	grens_rt_recorder_free(second);
	grens_fetch_global_cleanup();
	free(back);
	free(buf);
}

/* ---- realised times ---------------------------------------------------------
 * Four snapshots of T1 (S1 08:00, S2 08:10/08:11, S3 08:20/08:21, S4
 * 08:30/08:31, S5 08:40) on 2023-11-08, each a delay at one stop carried
 * downstream by grens_rt_apply:
 *   07:50  +120 at S1: every stop +120
 *   08:15  +300 at S3 (S1, S2 passed, not named): S3..S5 +300; T2 cancelled
 *   08:35  +60 at S3, a time already past (08:22 <= 08:35): the recorded
 *          one, taken; the held S4 (08:31 + 300 = 08:36) is not passed at
 *          08:35, so the +60 carried to S4 and S5 is taken too
 *   08:45  +900 at S4: the held S4 (08:32) and S5 (08:41) are passed at
 *          08:45, and the new times (08:46, 08:55) lie ahead: predictions
 *          made after the vehicle passed, ignored
 * Realised: S1 08:02, S2 08:12/08:13, S3 08:21/08:22, S4 08:31/08:32,
 * S5 08:41. Running that Wednesday (trips.txt, service WK): T1, T2, T3,
 * T5, T6, T7 and F1's two runs (8); observed T1, T2 (T2 cancelled); no data
 * the other 6. Gaps between
 * snapshots: 25, 20, 10 min, all over 300 s; the longest 1500 s. */
static void test_realised(void)
{
	char dir[600];
	snprintf(dir, sizeof(dir), "%s/realised", tmpdir);
	grens_error err;
	grens_error_clear(&err);
	grens_rt_archive *ar = NULL;
	CHECK_INT(grens_rt_archive_open(&ar, dir, true, &err), 0);
	if (!ar)
		return;
	const int64_t at[4] = { DAY0 + HM(7, 50), DAY0 + HM(8, 15), DAY0 + HM(8, 35),
				DAY0 + HM(8, 45) };
	const uint32_t seq[4] = { 10, 30, 30, 40 };
	const int32_t delay[4] = { 120, 300, 60, 900 };
	for (int k = 0; k < 4; k++) {
		TransitRealtime__FeedMessage *m = new_message((uint64_t)at[k]);
		TransitRealtime__TripUpdate *tu = add_trip_update(m, "e1", "T1", "20231108", -1);
		add_stu(tu, seq[k], NULL, -1, EV_DELAY, delay[k], EV_DELAY, delay[k]);
		if (k == 1)
			add_trip_update(m, "e2", "T2", "20231108", TD_CANCELED);
		size_t len;
		uint8_t *buf = pack(m, &len);
		bool added = false;
		CHECK_INT(grens_rt_archive_add(ar, "small-rt", at[k], buf, len, &added, &err), 0);
		CHECK(added);
		free(buf);
	}
	grens_rt_archive_free(ar);
	ar = NULL;
	CHECK_INT(grens_rt_archive_open(&ar, dir, false, &err), 0);
	if (!ar)
		return;
	grens_date date;
	CHECK_INT(grens_date_parse_iso("2023-11-08", 10, &date), 0);
	const grens_gtfs_feed *feeds[1] = { fixture_feed };
	grens_rt_overlay *ov = NULL;
	grens_rt_realised_counts c;
	grens_diag *diag = grens_diag_new();
	CHECK_INT(grens_rt_realised_build(&ov, &c, fixture_tt, feeds, 1, ar, date, date, NULL, diag,
					  &err),
		  0);
	if (ov) {
		CHECK_INT(c.snapshots_read, 4);
		CHECK_INT(c.snapshots_corrupt, 0);
		CHECK_INT(c.gaps, 3);
		CHECK_INT(c.longest_gap_s, 1500);
		CHECK_INT(c.trips_scheduled, 8);
		CHECK_INT(c.trips_observed, 2);
		CHECK_INT(c.trips_cancelled, 1);
		CHECK_INT(c.trips_no_data, 6);
		const grens_rt_trip *t1 = grens_rt_trip_find(ov, trip_of("T1"), date);
		CHECK(t1 && !t1->cancelled && !t1->no_data);
		if (t1) {
			TIMES(t1, 0, HM(8, 2), HM(8, 2), LIVE);
			TIMES(t1, 1, HM(8, 12), HM(8, 13), LIVE);
			TIMES(t1, 2, HM(8, 21), HM(8, 22), LIVE);
			TIMES(t1, 3, HM(8, 31), HM(8, 32), LIVE);
			TIMES(t1, 4, HM(8, 41), HM(8, 41), LIVE);
		}
		CHECK(grens_rt_trip_cancelled(ov, trip_of("T2"), date));
		const grens_rt_trip *t3 = grens_rt_trip_find(ov, trip_of("T3"), date);
		CHECK(t3 && t3->no_data && t3->cancelled);
		CHECK(grens_rt_times(ov, fixture_tt, trip_of("T3"), date) == NULL);
	}
	grens_rt_overlay_release(ov);
	ov = NULL;
	/* no data run as scheduled: T3 has no entry, the router takes its row */
	grens_rt_realised_options o = GRENS_RT_REALISED_OPTIONS_INIT;
	o.no_data_as_scheduled = true;
	CHECK_INT(grens_rt_realised_build(&ov, &c, fixture_tt, feeds, 1, ar, date, date, &o, diag,
					  &err),
		  0);
	if (ov) {
		CHECK_INT(c.trips_no_data, 6);
		CHECK(grens_rt_trip_find(ov, trip_of("T3"), date) == NULL);
		CHECK(grens_rt_times(ov, fixture_tt, trip_of("T3"), date) != NULL);
	}
	grens_rt_overlay_release(ov);
	/* a period the archive does not cover: every trip is no data */
	CHECK_INT(grens_rt_realised_build(&ov, &c, fixture_tt, feeds, 1, ar, date + 1, date + 1,
					  NULL, diag, &err),
		  0);
	CHECK_INT(c.snapshots_read, 0);
	CHECK_INT(c.trips_observed, 0);
	CHECK(c.trips_no_data == c.trips_scheduled && c.trips_scheduled > 0);
	grens_rt_overlay_release(ov);
	CHECK_INT(grens_rt_realised_build(&ov, &c, fixture_tt, feeds, 1, ar, date + 1, date, NULL,
					  diag, &err),
		  GRENS_EARG);
	grens_diag_free(diag);
	grens_rt_archive_free(ar);
}

int main(void)
{
	if (!check_part_is("local"))
		check_shared_dir(); /* exits 77 when there is nothing to run */
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/grens-test-rt-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (check_part_is("local")) {
		test_decode_small();
		test_bad_files();
		test_random_bytes();
		test_time_zones();
		test_archive();
		test_record_files();
		test_recorder();
		if (load_fixture() == 0) {
			test_apply_small();
			test_duplicates_and_no_data();
			test_trip_delay_and_midnight();
			test_live_swap();
			test_live_threads();
			test_realised();
		} else {
			CHECK(!"rt-small fixture loads");
		}
	}
	test_caltrain();
	grens_net_free(fixture_tt);
	grens_gtfs_free(fixture_feed);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return check_exit();
}
