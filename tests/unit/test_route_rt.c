/* Tests of routing on a realtime overlay: FeedMessages built with protobuf-c
 * are applied to tests/fixtures/route-rt and both routers must follow the
 * live times (a delay that breaks a connection, a delay that makes a trip
 * overtake an earlier one, a cancellation, a skipped stop), with the
 * expected times derived by hand below; then the recorded Caltrain feeds are
 * routed with RAPTOR and Dijkstra and must agree.
 *
 * Fixture (Europe/Amsterdam, service WK Monday-Friday, November 2023):
 *   line A  P -> Q -> X   A1 08:00, 08:10/08:11, 08:20
 *                         A2 08:30, 08:40/08:41, 08:50
 *                         A3 09:00, 09:10/09:11, 09:20
 *   line B  X -> Y        B1 08:25 -> 08:45, B2 08:55 -> 09:15, B3 09:25 -> 09:45
 * Every query uses a change time of 120 s and the date Wednesday 2023-11-08. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/route.h"
#include "grens/rt.h"
#include "gtfs-realtime.pb-c.h"

#define HM(h, m) ((h)*3600 + (m)*60)

static grens_gtfs_feed *feed;
static grens_timetable *tt;
static grens_raptor *raptor;
static grens_dijkstra *dijkstra;
static grens_date day;

static int load(void)
{
	char path[4096];
	grens_error err;
	grens_error_clear(&err);
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "f";
	check_source_path(path, sizeof(path), "tests/fixtures/route-rt");
	int rc = grens_gtfs_load(&feed, path, &go, NULL, &err);
	if (rc == 0) {
		grens_net_options no = GRENS_NET_OPTIONS_INIT;
		const grens_gtfs_feed *feeds[1] = { feed };
		rc = grens_net_build(&tt, feeds, 1, &no, NULL, &err);
	}
	if (rc == 0)
		rc = grens_raptor_new(&raptor, tt, 8, &err);
	if (rc == 0)
		rc = grens_dijkstra_new(&dijkstra, tt, &err);
	if (rc != 0)
		fprintf(stderr, "route-rt: %s\n", err.message);
	day = grens_date_from_ymd(2023, 11, 8);
	return rc;
}

/* ---- building messages ---------------------------------------------------- */

/* One TripUpdate of at most one stop time update. */
struct update {
	const char *trip;
	bool cancel;
	const char *stop;  /* stop_id of the stop time update, NULL: none */
	int32_t arr_delay; /* delays in seconds (both events get one) */
	bool skip;
};

/* Encode updates into a FeedMessage, decode it and apply it to tt. */
static grens_rt_overlay *overlay(const struct update *u, uint32_t n)
{
	TransitRealtime__FeedMessage msg = TRANSIT_REALTIME__FEED_MESSAGE__INIT;
	TransitRealtime__FeedHeader hdr = TRANSIT_REALTIME__FEED_HEADER__INIT;
	TransitRealtime__FeedEntity ent[4], *ents[4];
	TransitRealtime__TripUpdate tu[4];
	TransitRealtime__TripDescriptor td[4];
	TransitRealtime__TripUpdate__StopTimeUpdate stu[4], *stus[4];
	TransitRealtime__TripUpdate__StopTimeEvent ev[4];
	char ids[4][8];
	hdr.gtfs_realtime_version = "2.0";
	msg.header = &hdr;
	for (uint32_t i = 0; i < n && i < 4; i++) {
		transit_realtime__feed_entity__init(&ent[i]);
		transit_realtime__trip_update__init(&tu[i]);
		transit_realtime__trip_descriptor__init(&td[i]);
		transit_realtime__trip_update__stop_time_update__init(&stu[i]);
		transit_realtime__trip_update__stop_time_event__init(&ev[i]);
		snprintf(ids[i], sizeof(ids[i]), "e%u", i);
		ent[i].id = ids[i];
		td[i].trip_id = (char *)u[i].trip;
		td[i].start_date = "20231108";
		if (u[i].cancel) {
			td[i].has_schedule_relationship = 1;
			td[i].schedule_relationship =
			    TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__CANCELED;
		}
		tu[i].trip = &td[i];
		if (u[i].stop) {
			stu[i].stop_id = (char *)u[i].stop;
			if (u[i].skip) {
				stu[i].has_schedule_relationship = 1;
				stu[i].schedule_relationship =
				    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SKIPPED;
			} else {
				ev[i].has_delay = 1;
				ev[i].delay = u[i].arr_delay;
				stu[i].arrival = &ev[i];
				stu[i].departure = &ev[i];
			}
			stus[i] = &stu[i];
			tu[i].n_stop_time_update = 1;
			tu[i].stop_time_update = &stus[i];
		}
		ent[i].trip_update = &tu[i];
		ents[i] = &ent[i];
	}
	msg.n_entity = n;
	msg.entity = ents;
	size_t len = transit_realtime__feed_message__get_packed_size(&msg);
	uint8_t *buf = malloc(len);
	transit_realtime__feed_message__pack(&msg, buf);
	grens_error err;
	grens_error_clear(&err);
	grens_rt_feed *rf = NULL;
	grens_rt_overlay *ov = NULL;
	const grens_gtfs_feed *feeds[1] = { feed };
	grens_rt_options ro = GRENS_RT_OPTIONS_INIT;
	if (grens_rt_decode(&rf, buf, len, "built", &err) != 0 ||
	    grens_rt_apply(&ov, tt, feeds, 1, rf, &ro, NULL, &err) != 0) {
		fprintf(stderr, "overlay: %s\n", err.message);
		exit(1);
	}
	grens_rt_feed_free(rf);
	free(buf);
	return ov;
}

/* ---- querying --------------------------------------------------------------- */

static uint32_t stop(const char *id)
{
	return grens_net_stop_by_id(tt, "f", id);
}

static const char *trip_name(uint32_t trip)
{
	return grens_net_str(tt, tt->trip_id[trip]);
}

/* Route from -> to at time with RAPTOR; the earliest journey's arrival (or
 * GRENS_ROUTE_UNREACHED), its first leg in *first and the Dijkstra arrival
 * in *dij. */
static int32_t route(const grens_rt_overlay *ov, const char *from, const char *to, int32_t time,
		     grens_route_leg *first, grens_route_leg *last, int32_t *dij)
{
	uint32_t f = stop(from), t = stop(to);
	grens_route_query q = { &f, 1, &t, 1, day, time };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.min_change = 120;
	o.rt = ov;
	grens_route_result res;
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_dijkstra_route(dijkstra, &q, &o, &res, &err), 0);
	*dij = res.journey_count ? res.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
	CHECK_INT(grens_raptor_route(raptor, &q, &o, &res, &err), 0);
	if (res.journey_count == 0)
		return GRENS_ROUTE_UNREACHED;
	const grens_route_journey *j = &res.journeys[0];
	*first = res.legs[j->leg_offset];
	*last = res.legs[j->leg_offset + j->leg_count - 1];
	return j->arrival;
}

static void test_schedule(void)
{
	grens_route_leg a, b;
	int32_t dij;
	/* P 08:00: A1 to X 08:20, ready 08:22 (120 s change), B1 08:25 -> Y 08:45 */
	CHECK_INT(route(NULL, "P", "Y", HM(8, 0), &a, &b, &dij), HM(8, 45));
	CHECK_INT(dij, HM(8, 45));
	CHECK_STR(trip_name(a.trip), "A1");
	CHECK(!a.realtime);
	CHECK_INT(a.scheduled_departure, a.departure);
	CHECK_INT(b.scheduled_arrival, HM(8, 45));
}

static void test_delay_breaks_connection(void)
{
	/* A1 is 240 s late at X: arrives 08:24, ready 08:26 > B1's 08:25, so
	 * the next is B2 08:55 -> Y 09:15. A1 keeps its scheduled 08:00 at P
	 * (the delay is given only from X on). */
	struct update u[] = { { "A1", false, "X", 240, false } };
	grens_rt_overlay *ov = overlay(u, 1);
	grens_route_leg a, b;
	int32_t dij;
	CHECK_INT(route(ov, "P", "Y", HM(8, 0), &a, &b, &dij), HM(9, 15));
	CHECK_INT(dij, HM(9, 15));
	CHECK_STR(trip_name(b.trip), "B2");
	CHECK_STR(trip_name(a.trip), "A1");
	CHECK(a.realtime);        /* live at its alighting stop X */
	CHECK_INT(a.arrival, HM(8, 24));
	CHECK_INT(a.scheduled_arrival, HM(8, 20));
	CHECK_INT(a.departure, HM(8, 0));
	CHECK(!b.realtime);       /* B2 runs as scheduled */
	CHECK_INT(b.arrival, b.scheduled_arrival);
	/* the same query without the overlay still makes B1 */
	CHECK_INT(route(NULL, "P", "Y", HM(8, 0), &a, &b, &dij), HM(8, 45));
	grens_rt_overlay_release(ov);
}

static void test_overtaking(void)
{
	/* A1 is 2400 s late from P on (propagated): P 08:40, Q 08:50/08:51,
	 * X 09:00, now behind A2 (P 08:30). Leaving P at 08:35 the first trip
	 * by schedule is A3 (09:00, Q 09:10), but live A1 leaves at 08:40 and
	 * reaches Q at 08:50: a binary search on scheduled departures would
	 * miss it. */
	struct update u[] = { { "A1", false, "P", 2400, false } };
	grens_rt_overlay *ov = overlay(u, 1);
	grens_route_leg a, b;
	int32_t dij;
	CHECK_INT(route(ov, "P", "Q", HM(8, 35), &a, &b, &dij), HM(8, 50));
	CHECK_INT(dij, HM(8, 50));
	CHECK_STR(trip_name(a.trip), "A1");
	CHECK_INT(a.departure, HM(8, 40));
	CHECK_INT(a.scheduled_departure, HM(8, 0));
	CHECK_INT(a.arrival - a.scheduled_arrival, 2400);
	/* to Y: A1 at X 09:00, ready 09:02, B2 (08:55) gone, B3 09:25 -> 09:45 */
	CHECK_INT(route(ov, "P", "Y", HM(8, 35), &a, &b, &dij), HM(9, 45));
	CHECK_INT(dij, HM(9, 45));
	CHECK_STR(trip_name(b.trip), "B3");
	grens_rt_overlay_release(ov);
}

static void test_cancellation(void)
{
	/* B1 cancelled: A1 reaches X 08:20 but the next B is B2 08:55 -> 09:15 */
	struct update u[] = { { "B1", true, NULL, 0, false } };
	grens_rt_overlay *ov = overlay(u, 1);
	grens_route_leg a, b;
	int32_t dij;
	CHECK_INT(route(ov, "P", "Y", HM(8, 0), &a, &b, &dij), HM(9, 15));
	CHECK_INT(dij, HM(9, 15));
	CHECK_STR(trip_name(b.trip), "B2");
	/* X 08:20 direct: B1 cancelled, B2 08:55 -> 09:15 */
	CHECK_INT(route(ov, "X", "Y", HM(8, 20), &a, &b, &dij), HM(9, 15));
	CHECK_INT(dij, HM(9, 15));
	grens_rt_overlay_release(ov);
}

static void test_skipped_stop(void)
{
	/* A2 skips Q. Boarding at Q at 08:35: A2 (08:41) cannot be boarded, so
	 * A3 09:11 -> X 09:20. Alighting at Q leaving P at 08:25: A2 (Q 08:40)
	 * does not stop, so A3 (P 09:00) arrives Q 09:10. */
	struct update u[] = { { "A2", false, "Q", 0, true } };
	grens_rt_overlay *ov = overlay(u, 1);
	grens_route_leg a, b;
	int32_t dij;
	CHECK_INT(route(ov, "Q", "X", HM(8, 35), &a, &b, &dij), HM(9, 20));
	CHECK_INT(dij, HM(9, 20));
	CHECK_STR(trip_name(a.trip), "A3");
	CHECK_INT(route(ov, "P", "Q", HM(8, 25), &a, &b, &dij), HM(9, 10));
	CHECK_INT(dij, HM(9, 10));
	/* P -> X is unaffected: A2 08:30 -> 08:50 still rides through Q */
	CHECK_INT(route(ov, "P", "X", HM(8, 25), &a, &b, &dij), HM(8, 50));
	CHECK_INT(dij, HM(8, 50));
	/* without the overlay A2 serves Q: Q 08:41 -> X 08:50 */
	CHECK_INT(route(NULL, "Q", "X", HM(8, 35), &a, &b, &dij), HM(8, 50));
	grens_rt_overlay_release(ov);
}

static void test_profile(void)
{
	/* range RAPTOR on the cancellation: leaving P at 08:00 arrives 09:15
	 * (B1 cancelled); at 08:30 A2 X 08:50, B2 08:55 -> 09:15 too. */
	struct update u[] = { { "B1", true, NULL, 0, false } };
	grens_rt_overlay *ov = overlay(u, 1);
	uint32_t f = stop("P"), t = stop("Y");
	grens_route_query q = { &f, 1, &t, 1, day, 0 };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.min_change = 120;
	o.rt = ov;
	grens_route_profile_step steps[2];
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_raptor_profile(raptor, &q, HM(8, 0), HM(8, 30), 1800, &o, steps, &err), 0);
	CHECK_INT(steps[0].arrival, HM(9, 15));
	CHECK_INT(steps[1].arrival, HM(9, 15));
	grens_rt_overlay_release(ov);
}

int main(void)
{
	if (load() != 0) {
		CHECK(false);
		return check_exit();
	}
	test_schedule();
	test_delay_breaks_connection();
	test_overtaking();
	test_cancellation();
	test_skipped_stop();
	test_profile();
	grens_raptor_free(raptor);
	grens_dijkstra_free(dijkstra);
	grens_timetable_free(tt);
	grens_gtfs_free(feed);
	return check_exit();
}
