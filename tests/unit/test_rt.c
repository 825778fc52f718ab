/* Tests of rt/: decoding FeedMessages built here with protobuf-c, bad input
 * (empty, HTML, every truncated prefix, seeded random bytes, missing header). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
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
	TransitRealtime__TripUpdate__StopTimeEvent ev = TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_EVENT__INIT;
	TransitRealtime__TripUpdate__StopTimeUpdate *stus[2] = { &s1, &s2 };
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
	s2.schedule_relationship = TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SKIPPED;
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

	TransitRealtime__FeedEntity *ents[3] = { &e1, &e2, &e3 };
	msg.n_entity = 3;
	msg.entity = ents;
	*len = transit_realtime__feed_message__get_packed_size(&msg);
	bounds[0] = 2 + transit_realtime__feed_header__get_packed_size(&hdr);
	for (int i = 0; i < 3; i++)
		bounds[i + 1] = bounds[i] + 2 + transit_realtime__feed_entity__get_packed_size(ents[i]);
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
	const uint8_t no_header[] = { 0x12, 0x03, 0x0a, 0x01, 0x78 };
	write_file(tmp_path(path, sizeof(path), "noheader.pb"), no_header, sizeof(no_header));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "no header") != NULL);

	/* A header without its required version: 0a 02 18 05 (timestamp 5). */
	const uint8_t no_version[] = { 0x0a, 0x02, 0x18, 0x05 };
	write_file(tmp_path(path, sizeof(path), "noversion.pb"), no_version, sizeof(no_version));
	grens_error_clear(&err);
	CHECK_INT(grens_rt_check(path, &err), GRENS_EFORMAT);
	CHECK(strstr(err.message, "gtfs_realtime_version") != NULL);

	/* Header, then a length that runs past the end: 0a 05 0a 03 "2.0" 12 10. */
	const uint8_t trunc[] = { 0x0a, 0x05, 0x0a, 0x03, '2', '.', '0', 0x12, 0x10 };
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

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/grens-test-rt-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_decode_small();
	test_bad_files();
	test_random_bytes();
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return check_exit();
}
