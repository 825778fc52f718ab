/* Tests of routing on a realtime overlay: FeedMessages built with protobuf-c
 * are applied to tests/fixtures/route-rt and both routers must follow the
 * live times (a delay that breaks a connection, a delay that makes a trip
 * overtake an earlier one, a cancellation, a skipped stop), with the
 * expected times derived by hand below; then on random overlays (delays,
 * cancellations, skipped stops) on the fixture and on the Caltrain feed
 * RAPTOR and Dijkstra must find the same earliest arrivals.
 *
 * Fixture (Europe/Amsterdam, service WK Monday-Friday, November 2023):
 *   line A  P -> Q -> X   A1 08:00, 08:10/08:11, 08:20
 *                         A2 08:30, 08:40/08:41, 08:50
 *                         A3 09:00, 09:10/09:11, 09:20
 *   line B  X -> Y        B1 08:25 -> 08:45, B2 08:55 -> 09:15, B3 09:25 -> 09:45
 *   line C  X -> Z        C1 09:25 -> 09:40, block K after A3 (stay seated)
 * No trip alights at P. Trips a feed adds (ADDED) are routed too.
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
static grens_route_raptor *raptor;
static grens_route_dijkstra *dijkstra;
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
		rc = grens_route_raptor_new(&raptor, tt, 8, &err);
	if (rc == 0)
		rc = grens_route_dijkstra_new(&dijkstra, tt, &err);
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
	/* an ADDED trip (trip is its id) when added_stops > 0: its stops with
	 * one POSIX time each (arrival = departure) and its route_id */
	uint32_t added_stops; /* at most MAX_ADDED_STOPS */
	const char *const *add_stop_ids;
	const int64_t *add_times;
	const char *route_id;
};

#define MAX_ADDED_STOPS 8
/* Local midnight of 2023-11-08 (the time base of the service day) in POSIX
 * seconds: 2023-11-08T00:00Z is 1672531200 (2023-01-01) + 311 * 86400 =
 * 1699401600; Europe/Amsterdam is UTC+1 then (-3600 s), America/Los_Angeles
 * UTC-8 (+28800 s). */
#define MIDNIGHT_AMS 1699398000
#define MIDNIGHT_LA 1699430400

/* Encode updates (at most 256) for service date `date` (YYYYMMDD) into a
 * FeedMessage, decode it and apply it to timetable t built from g. */
static grens_rt_overlay *overlay_on(const grens_gtfs_feed *g, const grens_timetable *t,
				    const struct update *u, uint32_t n, const char *date)
{
	enum { MAX_UPDATES = 256 };
	TransitRealtime__FeedMessage msg = TRANSIT_REALTIME__FEED_MESSAGE__INIT;
	TransitRealtime__FeedHeader hdr = TRANSIT_REALTIME__FEED_HEADER__INIT;
	TransitRealtime__FeedEntity *ent = calloc(MAX_UPDATES, sizeof(*ent));
	TransitRealtime__FeedEntity **ents = calloc(MAX_UPDATES, sizeof(*ents));
	TransitRealtime__TripUpdate *tu = calloc(MAX_UPDATES, sizeof(*tu));
	TransitRealtime__TripDescriptor *td = calloc(MAX_UPDATES, sizeof(*td));
	TransitRealtime__TripUpdate__StopTimeUpdate *stu = calloc(MAX_UPDATES, sizeof(*stu));
	TransitRealtime__TripUpdate__StopTimeUpdate **stus = calloc(MAX_UPDATES, sizeof(*stus));
	TransitRealtime__TripUpdate__StopTimeEvent *ev = calloc(MAX_UPDATES, sizeof(*ev));
	char(*ids)[8] = calloc(MAX_UPDATES, sizeof(*ids));
	size_t na = (size_t)MAX_UPDATES * MAX_ADDED_STOPS;
	TransitRealtime__TripUpdate__StopTimeUpdate *astu = calloc(na, sizeof(*astu));
	TransitRealtime__TripUpdate__StopTimeUpdate **astus = calloc(na, sizeof(*astus));
	TransitRealtime__TripUpdate__StopTimeEvent *aev = calloc(na, sizeof(*aev));
	if (!ent || !ents || !tu || !td || !stu || !stus || !ev || !ids || !astu || !astus ||
	    !aev || n > MAX_UPDATES) {
		fprintf(stderr, "overlay: out of memory\n");
		exit(1);
	}
	hdr.gtfs_realtime_version = "2.0";
	msg.header = &hdr;
	for (uint32_t i = 0; i < n; i++) {
		transit_realtime__feed_entity__init(&ent[i]);
		transit_realtime__trip_update__init(&tu[i]);
		transit_realtime__trip_descriptor__init(&td[i]);
		transit_realtime__trip_update__stop_time_update__init(&stu[i]);
		transit_realtime__trip_update__stop_time_event__init(&ev[i]);
		snprintf(ids[i], sizeof(ids[i]), "e%u", i);
		ent[i].id = ids[i];
		td[i].trip_id = (char *)u[i].trip;
		td[i].start_date = (char *)date;
		if (u[i].cancel) {
			td[i].has_schedule_relationship = 1;
			td[i].schedule_relationship =
			    TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__CANCELED;
		}
		tu[i].trip = &td[i];
		if (u[i].added_stops) {
			td[i].has_schedule_relationship = 1;
			td[i].schedule_relationship =
			    TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__ADDED;
			td[i].route_id = (char *)u[i].route_id;
			for (uint32_t k = 0; k < u[i].added_stops && k < MAX_ADDED_STOPS; k++) {
				size_t c = (size_t)i * MAX_ADDED_STOPS + k;
				transit_realtime__trip_update__stop_time_update__init(&astu[c]);
				transit_realtime__trip_update__stop_time_event__init(&aev[c]);
				aev[c].has_time = 1;
				aev[c].time = u[i].add_times[k];
				astu[c].stop_id = (char *)u[i].add_stop_ids[k];
				astu[c].arrival = &aev[c];
				astu[c].departure = &aev[c];
				astus[c] = &astu[c];
			}
			tu[i].n_stop_time_update = u[i].added_stops;
			tu[i].stop_time_update = &astus[(size_t)i * MAX_ADDED_STOPS];
		} else if (u[i].stop) {
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
	const grens_gtfs_feed *feeds[1] = { g };
	grens_rt_options ro = GRENS_RT_OPTIONS_INIT;
	if (grens_rt_decode(&rf, buf, len, "built", &err) != 0 ||
	    grens_rt_apply(&ov, t, feeds, 1, rf, &ro, NULL, &err) != 0) {
		fprintf(stderr, "overlay: %s\n", err.message);
		exit(1);
	}
	grens_rt_feed_free(rf);
	free(buf);
	free(ent);
	free(ents);
	free(tu);
	free(td);
	free(stu);
	free(stus);
	free(ev);
	free(ids);
	free(astu);
	free(astus);
	free(aev);
	return ov;
}

static grens_rt_overlay *overlay(const struct update *u, uint32_t n)
{
	return overlay_on(feed, tt, u, n, "20231108");
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
	CHECK_INT(grens_route_dijkstra_route(dijkstra, &q, &o, &res, &err), 0);
	*dij = res.journey_count ? res.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
	CHECK_INT(grens_route_raptor_route(raptor, &q, &o, &res, &err), 0);
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
	struct update u[] = { { "A1", false, "X", 240, false, 0, NULL, NULL, NULL } };
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
	struct update u[] = { { "A1", false, "P", 2400, false, 0, NULL, NULL, NULL } };
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
	struct update u[] = { { "B1", true, NULL, 0, false, 0, NULL, NULL, NULL } };
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
	struct update u[] = { { "A2", false, "Q", 0, true, 0, NULL, NULL, NULL } };
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

static void test_stay_seated(void)
{
	grens_route_leg a, b;
	int32_t dij;
	/* A3 P 09:00 -> X 09:20, stays seated into C1 09:25 -> Z 09:40 */
	CHECK_INT(route(NULL, "P", "Z", HM(9, 0), &a, &b, &dij), HM(9, 40));
	CHECK_INT(dij, HM(9, 40));
	CHECK(b.stay_seated);
	/* A3 300 s late from X: arrives 09:25, C1 leaves 09:25: still seated */
	struct update late5[] = { { "A3", false, "X", 300, false, 0, NULL, NULL, NULL } };
	grens_rt_overlay *ov = overlay(late5, 1);
	CHECK_INT(route(ov, "P", "Z", HM(9, 0), &a, &b, &dij), HM(9, 40));
	CHECK_INT(dij, HM(9, 40));
	CHECK(b.stay_seated);
	CHECK_INT(a.arrival, HM(9, 25));
	grens_rt_overlay_release(ov);
	/* 360 s late: arrives 09:26 after C1's 09:25 departure, the block is
	 * broken and C1 is the only trip to Z */
	struct update late6[] = { { "A3", false, "X", 360, false, 0, NULL, NULL, NULL } };
	ov = overlay(late6, 1);
	CHECK_INT(route(ov, "P", "Z", HM(9, 0), &a, &b, &dij), GRENS_ROUTE_UNREACHED);
	CHECK_INT(dij, GRENS_ROUTE_UNREACHED);
	grens_rt_overlay_release(ov);
	/* C1 cancelled: no way to Z either */
	struct update cancel[] = { { "C1", true, NULL, 0, false, 0, NULL, NULL, NULL } };
	ov = overlay(cancel, 1);
	CHECK_INT(route(ov, "P", "Z", HM(9, 0), &a, &b, &dij), GRENS_ROUTE_UNREACHED);
	CHECK_INT(dij, GRENS_ROUTE_UNREACHED);
	grens_rt_overlay_release(ov);
}

static void test_profile(void)
{
	/* range RAPTOR on the cancellation: leaving P at 08:00 arrives 09:15
	 * (B1 cancelled); at 08:30 A2 X 08:50, B2 08:55 -> 09:15 too. */
	struct update u[] = { { "B1", true, NULL, 0, false, 0, NULL, NULL, NULL } };
	grens_rt_overlay *ov = overlay(u, 1);
	uint32_t f = stop("P"), t = stop("Y");
	grens_route_query q = { &f, 1, &t, 1, day, 0 };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.min_change = 120;
	o.rt = ov;
	grens_route_profile_step steps[2];
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_route_raptor_profile(raptor, &q, HM(8, 0), HM(8, 30), 1800, &o, steps, &err), 0);
	CHECK_INT(steps[0].arrival, HM(9, 15));
	CHECK_INT(steps[1].arrival, HM(9, 15));
	grens_rt_overlay_release(ov);
}

static void test_added_trip(void)
{
	/* N1 is added on route RB: X 09:50 -> Y 10:10 -> P 10:30. No trip of the
	 * schedule alights at P, so X -> P is unreachable without it. */
	const char *ids[] = { "X", "Y", "P" };
	const int64_t times[] = { MIDNIGHT_AMS + HM(9, 50), MIDNIGHT_AMS + HM(10, 10),
				  MIDNIGHT_AMS + HM(10, 30) };
	struct update u[] = { { .trip = "N1", .added_stops = 3, .add_stop_ids = ids,
				.add_times = times, .route_id = "RB" } };
	grens_rt_overlay *ov = overlay(u, 1);
	CHECK_INT(grens_rt_added_count(ov), 1);
	grens_route_leg a, b;
	int32_t dij;
	CHECK_INT(route(NULL, "X", "P", HM(9, 0), &a, &b, &dij), GRENS_ROUTE_UNREACHED);
	CHECK_INT(dij, GRENS_ROUTE_UNREACHED);
	/* X 09:00 on foot: N1 leaves X 09:50 (position 0), P 10:30 */
	CHECK_INT(route(ov, "X", "P", HM(9, 0), &a, &b, &dij), HM(10, 30));
	CHECK_INT(dij, HM(10, 30));
	CHECK_INT(a.mode, GRENS_ROUTE_LEG_TRANSIT);
	CHECK_INT(a.trip, GRENS_NONE);
	CHECK_INT(a.added, 0);
	CHECK_INT(a.from_stop, stop("X"));
	CHECK_INT(a.to_stop, stop("P"));
	CHECK_INT(a.board_position, 0);
	CHECK_INT(a.alight_position, 2);
	CHECK_INT(a.departure, HM(9, 50));
	CHECK(a.realtime);
	grens_route_leg_info li;
	grens_route_leg_describe(tt, ov, &a, &li);
	CHECK_STR(li.trip_id, "N1");
	CHECK_STR(li.route, "B"); /* RB's short name */
	CHECK_STR(li.feed, "f");
	CHECK_STR(li.headsign, "");
	/* Q 09:05: A3 Q 09:11 -> X 09:20, ready 09:22 (120 s change), N1 X
	 * 09:50 -> P 10:30: a connection the schedule does not have */
	CHECK_INT(route(ov, "Q", "P", HM(9, 5), &a, &b, &dij), HM(10, 30));
	CHECK_INT(dij, HM(10, 30));
	CHECK_STR(trip_name(a.trip), "A3");
	CHECK_INT(b.trip, GRENS_NONE);
	CHECK_INT(b.from_stop, stop("X"));
	/* Y 10:05: boards N1 at its second stop (position 1) 10:10 -> P 10:30;
	 * at 10:11 it has left */
	CHECK_INT(route(ov, "Y", "P", HM(10, 5), &a, &b, &dij), HM(10, 30));
	CHECK_INT(dij, HM(10, 30));
	CHECK_INT(a.board_position, 1);
	CHECK_INT(a.departure, HM(10, 10));
	CHECK_INT(route(ov, "Y", "P", HM(10, 11), &a, &b, &dij), GRENS_ROUTE_UNREACHED);
	CHECK_INT(dij, GRENS_ROUTE_UNREACHED);
	/* X -> Y at 09:30: B3 (09:25) is gone and N1 X 09:50 -> Y 10:10 is
	 * the only ride */
	CHECK_INT(route(ov, "X", "Y", HM(9, 30), &a, &b, &dij), HM(10, 10));
	CHECK_INT(dij, HM(10, 10));
	grens_rt_overlay_release(ov);
}

/* ---- random overlays: RAPTOR against Dijkstra ---------------------------- */

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd_below(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* A journey against the live times: legs connect in time, transit legs ride
 * a running, not cancelled trip, board and alight where it stops and take
 * its live times. NULL, or what is wrong. */
static const char *validate(const grens_timetable *t, const grens_rt_overlay *ov,
			    const grens_route_query *q, const grens_route_result *res)
{
	const grens_route_journey *jr = &res->journeys[0];
	uint32_t where = q->from[0];
	int32_t clock = q->time;
	for (uint32_t i = 0; i < jr->leg_count; i++) {
		const grens_route_leg *l = &res->legs[jr->leg_offset + i];
		if (l->from_stop != where)
			return "legs do not connect";
		if (l->departure < clock || l->arrival < l->departure)
			return "a leg leaves before the traveller is there";
		if (l->mode == GRENS_ROUTE_LEG_TRANSIT && l->trip == GRENS_NONE) {
			const grens_rt_added_trip *a = grens_rt_added_at(ov, l->added);
			int32_t shift = l->service_day * 86400;
			if (!a || a->date != q->date + l->service_day ||
			    l->board_position >= l->alight_position ||
			    l->alight_position >= a->stop_count)
				return "rides an added trip that does not run";
			if (a->stops[l->board_position] != l->from_stop ||
			    a->stops[l->alight_position] != l->to_stop ||
			    l->departure != a->times[l->board_position].departure + shift ||
			    l->arrival != a->times[l->alight_position].arrival + shift)
				return "leg is not the added trip's stops and times";
		} else if (l->mode == GRENS_ROUTE_LEG_TRANSIT) {
			grens_date d = q->date + l->service_day;
			const grens_net_stop_time *row = grens_rt_times(ov, t, l->trip, d);
			const grens_rt_trip *rt = grens_rt_trip_find(ov, l->trip, d);
			int32_t shift = l->service_day * 86400;
			if (!grens_net_trip_runs(t, l->trip, d) || !row)
				return "rides a trip that does not run";
			/* staying seated neither alights nor boards at the block's seam */
			bool seated_on = i + 1 < jr->leg_count &&
					 res->legs[jr->leg_offset + i + 1].stay_seated;
			uint8_t at = rt ? (uint8_t)((l->stay_seated ? 0 : rt->stop_flags[l->board_position]) |
						    (seated_on ? 0 : rt->stop_flags[l->alight_position]))
					: 0;
			if (at & GRENS_RT_STOP_SKIPPED)
				return "boards or alights at a skipped stop";
			if (l->departure != row[l->board_position].departure + shift ||
			    l->arrival != row[l->alight_position].arrival + shift)
				return "leg times are not the trip's live times";
		}
		where = l->to_stop;
		clock = l->arrival;
	}
	return where == q->to[0] ? NULL : "the journey ends elsewhere";
}

/* `rounds` random overlays on timetable t (from g) for date (YYYYMMDD):
 * delays of -5..+30 min from a random stop on, cancellations and skipped
 * stops on a share of the trips running that day; then `per` random
 * queries each, whose earliest arrivals must agree between RAPTOR and
 * Dijkstra and whose journeys must ride the live times; every tenth query
 * also as a range query whose steps must match Dijkstra. */
static void random_overlays(const grens_gtfs_feed *g, const grens_timetable *t, const char *date,
			    grens_date d, int64_t midnight, uint32_t rounds, uint32_t per)
{
	enum { ADDS = 4 };
	const char *add_stops[ADDS][MAX_ADDED_STOPS];
	int64_t add_times[ADDS][MAX_ADDED_STOPS];
	char add_ids[ADDS][32];
	uint32_t added_legs = 0;
	grens_route_raptor *rw = NULL, *ref = NULL;
	grens_route_dijkstra *dw = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_route_raptor_new(&rw, t, 8, &err), 0);
	CHECK_INT(grens_route_raptor_new(&ref, t, 8, &err), 0);
	CHECK_INT(grens_route_dijkstra_new(&dw, t, &err), 0);
	struct update *u = calloc(256, sizeof(*u));
	int32_t *range = calloc(t->stop_count, sizeof(int32_t)),
		*all = calloc(t->stop_count, sizeof(int32_t));
	uint32_t queries = 0, reached = 0, live_legs = 0, seated = 0, profile_steps = 0;
	uint32_t range_departures = 0;
	for (uint32_t r = 0; rw && ref && dw && u && range && all && r < rounds; r++) {
		uint32_t n = 0;
		for (uint32_t trip = 0; trip < t->trip_count && n < 256; trip++) {
			if (!grens_net_trip_runs(t, trip, d) || rnd_below(3) != 0)
				continue;
			uint32_t p = t->trip_pattern[trip];
			uint32_t so = t->pattern_stop_offset[p];
			uint32_t width = t->pattern_stop_offset[p + 1] - so;
			uint32_t kind = rnd_below(10);
			struct update x = { grens_net_str(t, t->trip_id[trip]), kind == 0, NULL, 0,
					    kind == 1, 0, NULL, NULL, NULL };
			if (kind != 0) {
				uint32_t pos = rnd_below(width);
				x.stop = grens_net_str(t, t->stop_id[t->pattern_stops[so + pos]]);
				x.arr_delay = (int32_t)rnd_below(35 * 60) - 5 * 60;
			}
			u[n++] = x;
		}
		/* up to ADDS added trips over 2..MAX_ADDED_STOPS random stops,
		 * leaving between 05:00 and 23:00, 1..15 min between stops */
		uint32_t adds = rnd_below(ADDS + 1);
		for (uint32_t a = 0; a < adds && n < 256; a++) {
			uint32_t ns = 2 + rnd_below(MAX_ADDED_STOPS - 1);
			int64_t clock = midnight + 5 * 3600 + rnd_below(18 * 3600);
			for (uint32_t k = 0; k < ns; k++) {
				add_stops[a][k] = grens_net_str(t, t->stop_id[rnd_below(t->stop_count)]);
				add_times[a][k] = clock;
				clock += 60 + rnd_below(15 * 60);
			}
			snprintf(add_ids[a], sizeof(add_ids[a]), "add%u-%u", r, a);
			u[n++] = (struct update){ .trip = add_ids[a], .added_stops = ns,
						  .add_stop_ids = add_stops[a],
						  .add_times = add_times[a], .route_id = "" };
		}
		grens_rt_overlay *ov = overlay_on(g, t, u, n, date);
		for (uint32_t i = 0; i < per; i++) {
			uint32_t from = rnd_below(t->stop_count), to = rnd_below(t->stop_count);
			grens_route_query q = { &from, 1, &to, 1, d,
						(int32_t)(5 * 3600 + rnd_below(18 * 3600)) };
			grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
			o.rt = ov;
			grens_route_result rr, dr;
			CHECK_INT(grens_route_raptor_route(rw, &q, &o, &rr, &err), 0);
			int32_t ra = rr.journey_count ? rr.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
			const char *why = rr.journey_count ? validate(t, ov, &q, &rr) : NULL;
			for (uint32_t l = 0; rr.journey_count && l < rr.journeys[0].leg_count; l++)
			{
				live_legs += rr.legs[rr.journeys[0].leg_offset + l].realtime;
				seated += rr.legs[rr.journeys[0].leg_offset + l].stay_seated;
				added_legs += rr.legs[rr.journeys[0].leg_offset + l].mode ==
						      GRENS_ROUTE_LEG_TRANSIT &&
					      rr.legs[rr.journeys[0].leg_offset + l].trip == GRENS_NONE;
			}
			CHECK_INT(grens_route_dijkstra_route(dw, &q, &o, &dr, &err), 0);
			int32_t da = dr.journey_count ? dr.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
			if (!why && dr.journey_count)
				why = validate(t, ov, &q, &dr);
			CHECK_INT(ra, da);
			CHECK(why == NULL);
			if (ra != da || why)
				fprintf(stderr, "round %u: %u -> %u at %d: raptor %d dijkstra %d %s\n", r,
					from, to, q.time, ra, da, why ? why : "");
			queries++;
			reached += ra != GRENS_ROUTE_UNREACHED;
			/* range RAPTOR: each step equals Dijkstra leaving at that time */
			if (i % 10 == 0) {
				grens_route_profile_step steps[13];
				CHECK_INT(grens_route_raptor_profile(rw, &q, q.time, q.time + 12 * 300, 300, &o,
							       steps, &err),
					  0);
				for (uint32_t k = 0; k < 13; k++) {
					grens_route_query one = q;
					one.time = q.time + (int32_t)k * 300;
					CHECK_INT(grens_route_dijkstra_route(dw, &one, &o, &dr, &err), 0);
					int32_t want = dr.journey_count ? dr.journeys[0].arrival
									: GRENS_ROUTE_UNREACHED;
					CHECK_INT(steps[k].arrival, want);
					profile_steps++;
				}
			}
			/* range one-to-all on live times, bounded to 1 h: each departure
			 * equals a one-to-all leaving then, cut at the bound */
			if (i % 10 == 5) {
				grens_route_options ob = o;
				ob.max_duration = 3600;
				CHECK_INT(grens_route_raptor_range_start(rw, &q, NULL, &ob, &err), 0);
				for (uint32_t k = 6; k-- > 0;) {
					int32_t at = q.time + (int32_t)k * 600;
					grens_route_query one = q;
					one.time = at;
					CHECK_INT(grens_route_raptor_range_next(rw, at, range, &err), 0);
					CHECK_INT(grens_route_raptor_one_to_all(ref, &one, &o, all, &err), 0);
					uint32_t diffs = 0;
					for (uint32_t s = 0; s < t->stop_count; s++)
						diffs += range[s] != (all[s] > at + 3600
									  ? GRENS_ROUTE_UNREACHED
									  : all[s]);
					CHECK_INT(diffs, 0);
					range_departures++;
				}
			}
		}
		grens_rt_overlay_release(ov);
	}
	fprintf(stderr,
		"%s: %u queries on random overlays, %u reached, %u live legs, %u seated, %u on "
		"added trips, %u range steps, %u range one-to-all departures\n",
		date, queries, reached, live_legs, seated, added_legs, profile_steps,
		range_departures);
	CHECK(t != tt || seated > 0); /* the fixture's block A3 -> C1 is exercised */
	CHECK(reached > queries / 10);
	CHECK(live_legs > 0);
	CHECK(added_legs > 0);
	CHECK(range_departures > 0);
	free(u);
	free(range);
	free(all);
	grens_route_raptor_free(ref);
	grens_route_raptor_free(rw);
	grens_route_dijkstra_free(dw);
}

/* The Caltrain feed of /work/shared with random overlays on 2023-11-08. */
static void test_caltrain_random(void)
{
	char path[4200];
	const char *dir = check_shared_dir();
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/data/gtfs/caltrain-2023-ct.zip", dir);
	grens_gtfs_feed *g = NULL;
	grens_timetable *t = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "ct";
	CHECK_INT(grens_gtfs_load(&g, path, &go, NULL, &err), 0);
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	const grens_gtfs_feed *feeds[1] = { g };
	if (g)
		CHECK_INT(grens_net_build(&t, feeds, 1, &no, NULL, &err), 0);
	if (t)
		random_overlays(g, t, "20231108", grens_date_from_ymd(2023, 11, 8), MIDNIGHT_LA,
				10, 100);
	grens_net_free(t);
	grens_gtfs_free(g);
}

int main(void)
{
	if (!check_part_is("local"))
		check_shared_dir(); /* exits 77 when there is nothing to run */
	if (load() != 0) {
		CHECK(false);
		return check_exit();
	}
	if (check_part_is("local")) {
		test_schedule();
		test_delay_breaks_connection();
		test_overtaking();
		test_cancellation();
		test_skipped_stop();
		test_stay_seated();
		test_profile();
		test_added_trip();
		random_overlays(feed, tt, "20231108", day, MIDNIGHT_AMS, 200, 40);
	}
	test_caltrain_random();
	grens_route_raptor_free(raptor);
	grens_route_dijkstra_free(dijkstra);
	grens_net_free(tt);
	grens_gtfs_free(feed);
	return check_exit();
}
