/* Router tests on small hand-made timetables; every expected value is worked
 * out by hand in the comment next to it. Each case is checked with RAPTOR
 * and, for the earliest arrival, with Dijkstra. */
#include "check.h"
#include "grens/gtfs.h"
#include "grens/route.h"
#include "route_tt.h"
#include "snapshot_rt.h"

#define HM(h, m) ((int32_t)((h) * 3600 + (m) * 60))
#define HMS(h, m, s) ((int32_t)((h) * 3600 + (m) * 60 + (s)))

/* The week of Monday 2026-03-09; queries are mostly on Tuesday 2026-03-10. */
#define MONDAY grens_date_from_ymd(2026, 3, 9)
#define TUESDAY (MONDAY + 1)
#define EVERY_DAY 0x7Fu

static tb_trip trips_buf[64];
static tb_footpath foot_buf[16];

static void net_init(tb_net *net, uint32_t stops, uint64_t *services, uint32_t nservices)
{
	memset(net, 0, sizeof(*net));
	net->stop_count = stops;
	net->route_count = 8;
	net->first_date = MONDAY;
	net->day_count = 7;
	net->service_count = nservices;
	net->service_bits = services;
	net->trips = trips_buf;
	net->footpaths = foot_buf;
}

static uint32_t add(tb_net *net, const char *id, uint32_t route, uint32_t service, uint32_t n,
		    const uint32_t *stops, const int32_t *times)
{
	return tb_add_trip(net, id, route, service, n, stops, times);
}

/* Set for the second run of every test: the routers read the timetable
 * written to a snapshot and mapped back, which must answer the same. */
static bool from_snapshot;

struct routers {
	grens_timetable tt;
	grens_timetable *loaded; /* the snapshot copy routed on, or NULL */
	uint32_t map[64];
	grens_route_raptor *raptor;
	grens_route_dijkstra *dijkstra;
};

static void routers_open(struct routers *r, const tb_net *net)
{
	grens_error err;
	tb_build(net, &r->tt, r->map);
	r->loaded = from_snapshot ? snapshot_roundtrip(&r->tt) : NULL;
	CHECK(!from_snapshot || r->loaded != NULL);
	const grens_timetable *use = r->loaded ? r->loaded : &r->tt;
	CHECK_INT(grens_route_raptor_new(&r->raptor, use, 8, &err), 0);
	CHECK_INT(grens_route_dijkstra_new(&r->dijkstra, use, &err), 0);
}

static void routers_close(struct routers *r)
{
	grens_route_raptor_free(r->raptor);
	grens_route_dijkstra_free(r->dijkstra);
	grens_net_free(r->loaded);
	tb_free(&r->tt);
}

/* RAPTOR's journeys for one query; checks Dijkstra's earliest arrival agrees. */
static grens_route_result route(struct routers *r, uint32_t from, uint32_t to, grens_date d,
				int32_t t, int32_t min_change, uint32_t max_transfers)
{
	grens_route_query q = { &from, 1, &to, 1, d, t };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	o.min_change = min_change;
	o.max_transfers = max_transfers;
	grens_route_result res, dres;
	grens_error err;
	CHECK_INT(grens_route_raptor_route(r->raptor, &q, &o, &res, &err), 0);
	CHECK_INT(grens_route_dijkstra_route(r->dijkstra, &q, &o, &dres, &err), 0);
	if (max_transfers >= 8) {
		CHECK_INT(dres.journey_count, res.journey_count ? 1 : 0);
		if (res.journey_count && dres.journey_count)
			CHECK_INT(dres.journeys[0].arrival, res.journeys[0].arrival);
	}
	return res;
}

static const grens_route_leg *leg(const grens_route_result *res, uint32_t j, uint32_t i)
{
	return &res->legs[res->journeys[j].leg_offset + i];
}

/* A(0) -a1-> B(1) -b-> C(2), and a direct slow trip A -d1-> C.
 *   a1: A 08:00 -> B 08:10
 *   b_early: B 08:11:59 -> C 08:25;  b_ok: B 08:12:00 -> C 08:30
 *   d1: A 08:05 -> C 09:00 (route R2) */
static void test_change_time_and_pareto(void)
{
	uint64_t svc[] = { EVERY_DAY };
	tb_net net;
	net_init(&net, 3, svc, 1);
	add(&net, "a1", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(8, 0), HM(8, 10) });
	add(&net, "b_early", 1, 0, 2, (uint32_t[]){ 1, 2 },
	    (int32_t[]){ HMS(8, 11, 59), HM(8, 25) });
	add(&net, "b_ok", 1, 0, 2, (uint32_t[]){ 1, 2 }, (int32_t[]){ HM(8, 12), HM(8, 30) });
	add(&net, "d1", 2, 0, 2, (uint32_t[]){ 0, 2 }, (int32_t[]){ HM(8, 5), HM(9, 0) });
	struct routers r;
	routers_open(&r, &net);

	/* change time 120 s at B: a1 arrives 08:10:00, ready 08:12:00, so b_early
	 * (08:11:59) is missed by one second and b_ok arrives 08:30. Pareto set:
	 * (08:30, 1 transfer) then (09:00, 0 transfers) by d1. */
	grens_route_result res = route(&r, 0, 2, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 2);
	CHECK_INT(res.journeys[0].arrival, HM(8, 30));
	CHECK_INT(res.journeys[0].transfers, 1);
	CHECK_INT(res.journeys[0].departure, HM(8, 0));
	CHECK_INT(res.journeys[0].leg_count, 2);
	CHECK_INT(leg(&res, 0, 0)->from_stop, 0);
	CHECK_INT(leg(&res, 0, 0)->to_stop, 1);
	CHECK_INT(leg(&res, 0, 1)->departure, HM(8, 12));
	CHECK_STR(grens_net_str(&r.tt, r.tt.trip_id[leg(&res, 0, 1)->trip]), "b_ok");
	CHECK_INT(res.journeys[1].arrival, HM(9, 0));
	CHECK_INT(res.journeys[1].transfers, 0);
	CHECK_INT(res.journeys[1].departure, HM(8, 5));

	/* a 119 s change time makes 08:10:00 + 119 = 08:11:59: b_early is caught */
	res = route(&r, 0, 2, TUESDAY, HM(8, 0), 119, 8);
	CHECK_INT(res.journey_count, 2);
	CHECK_INT(res.journeys[0].arrival, HM(8, 25));

	/* no transfers allowed: only d1 (09:00) */
	res = route(&r, 0, 2, TUESDAY, HM(8, 0), -1, 0);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(9, 0));

	/* leaving A at 08:06 there is no trip left: no journey, not an error */
	res = route(&r, 0, 2, TUESDAY, HM(8, 6), -1, 8);
	CHECK_INT(res.journey_count, 0);

	/* one-to-all from A at 08:00: A 08:00 (origin), B 08:10 (a1), C 08:30 */
	int32_t arr[3];
	uint32_t from = 0;
	grens_route_query q = { &from, 1, NULL, 0, TUESDAY, HM(8, 0) };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	grens_error err;
	CHECK_INT(grens_route_raptor_one_to_all(r.raptor, &q, &o, arr, &err), 0);
	CHECK_INT(arr[0], HM(8, 0));
	CHECK_INT(arr[1], HM(8, 10));
	CHECK_INT(arr[2], HM(8, 30));

	/* bounded to 20 min: B (10 min) stays, C (30 min) is cut */
	o.max_duration = 20 * 60;
	CHECK_INT(grens_route_raptor_one_to_all(r.raptor, &q, &o, arr, &err), 0);
	CHECK_INT(arr[1], HM(8, 10));
	CHECK_INT(arr[2], GRENS_ROUTE_UNREACHED);
	/* the range one-to-all with that bound: leaving at 08:00, then at 07:58
	 * (a1 still, waiting 2 min at A: B 08:10, C cut at 07:58 + 20 min) */
	CHECK_INT(grens_route_raptor_range_start(r.raptor, &q, NULL, &o, &err), 0);
	CHECK_INT(grens_route_raptor_range_next(r.raptor, HM(8, 0), arr, &err), 0);
	CHECK_INT(arr[0], HM(8, 0));
	CHECK_INT(arr[1], HM(8, 10));
	CHECK_INT(arr[2], GRENS_ROUTE_UNREACHED);
	CHECK_INT(grens_route_raptor_range_next(r.raptor, HM(7, 58), arr, &err), 0);
	CHECK_INT(arr[0], HM(7, 58));
	CHECK_INT(arr[1], HM(8, 10));
	CHECK_INT(arr[2], GRENS_ROUTE_UNREACHED);
	/* departures must come latest first */
	CHECK_INT(grens_route_raptor_range_next(r.raptor, HM(8, 5), arr, &err), GRENS_EARG);
	/* unbounded, with A left 2 min after the departure (an access walk):
	 * leaving at 07:58 is being at A at 08:00, just in time for a1 */
	o.max_duration = 0;
	int32_t two_min = 120, bad_offset = -1;
	CHECK_INT(grens_route_raptor_range_start(r.raptor, &q, &bad_offset, &o, &err), GRENS_EARG);
	CHECK_INT(grens_route_raptor_range_next(r.raptor, HM(7, 58), arr, &err), GRENS_EARG);
	CHECK_INT(grens_route_raptor_range_start(r.raptor, &q, &two_min, &o, &err), 0);
	CHECK_INT(grens_route_raptor_range_next(r.raptor, HM(7, 58), arr, &err), 0);
	CHECK_INT(arr[0], HM(8, 0));
	CHECK_INT(arr[1], HM(8, 10));
	CHECK_INT(arr[2], HM(8, 30));

	/* range 07:58..08:06 by 60 s to C: departures 07:58, 07:59, 08:00 catch a1
	 * (arrive 08:30: 32, 31, 30 min, 1 transfer); 08:01..08:05 take d1
	 * (09:00: 59, 58, 57, 56, 55 min, 0 transfers); 08:06 has nothing. */
	uint32_t to = 2;
	q.to = &to;
	q.to_count = 1;
	grens_route_profile_step steps[9];
	CHECK_INT(grens_route_raptor_profile(r.raptor, &q, HM(7, 58), HM(8, 6), 60, &o, steps, &err), 0);
	int32_t want_min[9] = { 32, 31, 30, 59, 58, 57, 56, 55, -1 };
	int32_t want_tf[9] = { 1, 1, 1, 0, 0, 0, 0, 0, -1 };
	for (int i = 0; i < 9; i++) {
		CHECK_INT(steps[i].departure, HM(7, 58) + 60 * i);
		if (want_min[i] < 0)
			CHECK_INT(steps[i].arrival, GRENS_ROUTE_UNREACHED);
		else
			CHECK_INT(steps[i].arrival - steps[i].departure, want_min[i] * 60);
		CHECK_INT(steps[i].transfers, want_tf[i]);
	}
	/* sorted travel times 30,31,32,55,56,57,58,59,inf (n = 9), nearest rank:
	 * p10 = rank ceil(0.9) = 1 -> 30 min; median = rank ceil(4.5) = 5 -> 56 min;
	 * p90 = rank ceil(8.1) = 9 -> unreached. mean of the 8 reached = 378/8 =
	 * 47.25 min = 2835 s; under 45 min: 3 of 9; mean transfers 3/8. */
	grens_route_profile_summary sum;
	grens_route_profile_summarize(steps, 9, 45 * 60, &sum);
	CHECK_INT(sum.steps, 9);
	CHECK_INT(sum.reached, 8);
	CHECK_INT(sum.min, 30 * 60);
	CHECK_INT(sum.p10, 30 * 60);
	CHECK_INT(sum.median, 56 * 60);
	CHECK_INT(sum.p90, GRENS_ROUTE_UNREACHED);
	CHECK_INT(sum.max, GRENS_ROUTE_UNREACHED);
	CHECK_NEAR(sum.mean, 2835.0, 1e-9);
	CHECK_NEAR(sum.share_under, 3.0 / 9.0, 1e-9);
	CHECK_NEAR(sum.mean_transfers, 3.0 / 8.0, 1e-9);
	routers_close(&r);

	/* transfers.txt type 3 at B (from B to B): no change there at all, not
	 * even with a change-time override; only d1 (09:00) is left */
	int32_t change[3] = { 120, GRENS_NET_CHANGE_FORBIDDEN, 120 };
	net.min_change = change;
	routers_open(&r, &net);
	res = route(&r, 0, 2, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(9, 0));
	res = route(&r, 0, 2, TUESDAY, HM(8, 0), 0, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(9, 0));
	routers_close(&r);
}

/* Service 0 every day; service 1 only Monday (the day before Tuesday);
 * service 2 every day but Tuesday (a calendar_dates removal).
 *   n1 (svc 1): A 24:30 -> C 25:10      o1 (svc 0): A 23:50 -> C 24:20
 *   x1 (svc 2): A 10:00 -> C 10:30      x2 (svc 0): A 10:10 -> C 11:00 */
static void test_days(void)
{
	uint64_t svc[] = { EVERY_DAY, 0x1u, EVERY_DAY & ~0x2u };
	tb_net net;
	net_init(&net, 3, svc, 3);
	add(&net, "n1", 0, 1, 2, (uint32_t[]){ 0, 2 }, (int32_t[]){ HM(24, 30), HM(25, 10) });
	add(&net, "o1", 1, 0, 2, (uint32_t[]){ 0, 2 }, (int32_t[]){ HM(23, 50), HM(24, 20) });
	add(&net, "x1", 2, 2, 2, (uint32_t[]){ 0, 2 }, (int32_t[]){ HM(10, 0), HM(10, 30) });
	add(&net, "x2", 3, 0, 2, (uint32_t[]){ 0, 2 }, (int32_t[]){ HM(10, 10), HM(11, 0) });
	struct routers r;
	routers_open(&r, &net);
	char buf[40];

	/* Tuesday 00:20: Monday's n1 runs 24:30 - 86400 = 00:30 to 01:10 (4200 s);
	 * Monday's o1 left A at 23:50 (-600 s), before the query. */
	grens_route_result res = route(&r, 0, 2, TUESDAY, HM(0, 20), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(1, 10));
	CHECK_INT(leg(&res, 0, 0)->service_day, -1);
	grens_route_format_time(TUESDAY, res.journeys[0].arrival, buf, sizeof(buf));
	CHECK_STR(buf, "2026-03-10T01:10:00");

	/* Tuesday 23:40: n1 does not run on Tuesday; Tuesday's o1 leaves 23:50 and
	 * arrives 24:20 = 87600 s, shown as Wednesday 00:20. */
	res = route(&r, 0, 2, TUESDAY, HM(23, 40), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(24, 20));
	CHECK_INT(leg(&res, 0, 0)->service_day, 0);
	grens_route_format_time(TUESDAY, res.journeys[0].arrival, buf, sizeof(buf));
	CHECK_STR(buf, "2026-03-11T00:20:00");

	/* Monday 23:55: o1 is gone (23:50), n1 of Monday leaves 24:30 -> 25:10 */
	res = route(&r, 0, 2, MONDAY, HM(23, 55), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(25, 10));

	/* Tuesday 09:50: x1 is removed on Tuesday, x2 arrives 11:00 */
	res = route(&r, 0, 2, TUESDAY, HM(9, 50), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(11, 0));
	/* Wednesday 09:50: x1 runs and arrives 10:30 */
	res = route(&r, 0, 2, TUESDAY + 1, HM(9, 50), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(10, 30));
	/* outside the calendar (the Monday after): nothing runs */
	res = route(&r, 0, 2, MONDAY + 7, HM(9, 50), -1, 8);
	CHECK_INT(res.journey_count, 0);
	routers_close(&r);
}

/* A(0) -t1-> B(1) ~walk 300 s~ D(3) -t2-> E(4); change time at B is 120 s
 * but the walk replaces it. t1: A 08:00 -> B 08:10; t2: D 08:15 -> E 08:30. */
static void test_footpaths(void)
{
	uint64_t svc[] = { EVERY_DAY };
	tb_net net;
	net_init(&net, 5, svc, 1);
	add(&net, "t1", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(8, 0), HM(8, 10) });
	add(&net, "t2", 1, 0, 2, (uint32_t[]){ 3, 4 }, (int32_t[]){ HM(8, 15), HM(8, 30) });
	net.footpaths[0] = (tb_footpath){ 1, 3, 300 };
	net.footpaths[1] = (tb_footpath){ 3, 1, 300 };
	net.footpath_count = 2;
	struct routers r;
	routers_open(&r, &net);

	/* 08:10 + 300 s = 08:15 at D, boards t2 at 08:15 exactly, arrives 08:30 */
	grens_route_result res = route(&r, 0, 4, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(8, 30));
	CHECK_INT(res.journeys[0].transfers, 1);
	CHECK_INT(res.journeys[0].leg_count, 3);
	CHECK_INT(leg(&res, 0, 1)->mode, GRENS_ROUTE_LEG_WALK);
	CHECK_INT(leg(&res, 0, 1)->from_stop, 1);
	CHECK_INT(leg(&res, 0, 1)->to_stop, 3);
	CHECK_INT(leg(&res, 0, 1)->arrival - leg(&res, 0, 1)->departure, 300);

	/* A to D ends with the walk: 08:15 */
	res = route(&r, 0, 3, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(8, 15));
	CHECK_INT(leg(&res, 0, 1)->mode, GRENS_ROUTE_LEG_WALK);

	/* from B at 08:00: walk to D (300 s), board t2 08:15; the walk is shown
	 * just in time, 08:10 to 08:15, so the journey departs 08:10 */
	res = route(&r, 1, 4, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].departure, HM(8, 10));
	CHECK_INT(res.journeys[0].arrival, HM(8, 30));
	CHECK_INT(res.journeys[0].transfers, 0);
	CHECK_INT(leg(&res, 0, 0)->mode, GRENS_ROUTE_LEG_WALK);

	/* B to D on foot only: 08:00 + 300 s */
	res = route(&r, 1, 3, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HMS(8, 5, 0));
	CHECK_INT(res.journeys[0].leg_count, 1);
	routers_close(&r);
}

/* Blocks. k1: A(0) 08:00 -> B(1) 08:10, continued by k2: B 08:10:30 -> C(2)
 * 08:20. k3: A 08:05 -> B 08:15 (same route as k1), continued by k4:
 * B 08:16 -> D(3) 08:30. Change time at B 120 s. */
static void test_stay_seated(void)
{
	uint64_t svc[] = { EVERY_DAY };
	tb_net net;
	net_init(&net, 4, svc, 1);
	uint32_t k1 = add(&net, "k1", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(8, 0), HM(8, 10) });
	uint32_t k2 = add(&net, "k2", 1, 0, 2, (uint32_t[]){ 1, 2 },
			  (int32_t[]){ HMS(8, 10, 30), HM(8, 20) });
	uint32_t k3 = add(&net, "k3", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(8, 5), HM(8, 15) });
	uint32_t k4 = add(&net, "k4", 2, 0, 2, (uint32_t[]){ 1, 3 }, (int32_t[]){ HM(8, 16), HM(8, 30) });
	net.trips[k1].block_next = k2;
	net.trips[k3].block_next = k4;
	struct routers r;
	routers_open(&r, &net);

	/* A -> C: 08:10 + 120 s > 08:10:30, so only by staying on k1 into k2:
	 * 08:20 with no transfer, two legs, the second stay-seated */
	grens_route_result res = route(&r, 0, 2, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(8, 20));
	CHECK_INT(res.journeys[0].transfers, 0);
	CHECK_INT(res.journeys[0].leg_count, 2);
	CHECK(!leg(&res, 0, 0)->stay_seated);
	CHECK(leg(&res, 0, 1)->stay_seated);
	CHECK_STR(grens_net_str(&r.tt, r.tt.trip_id[leg(&res, 0, 1)->trip]), "k2");

	/* A -> D at 08:00: k1 then change at B (08:12 <= 08:16) onto k4 arrives
	 * 08:30 with 1 transfer; k3 (later than k1) stayed on into k4 arrives
	 * 08:30 with none. Pareto keeps the latter only. */
	res = route(&r, 0, 3, TUESDAY, HM(8, 0), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(8, 30));
	CHECK_INT(res.journeys[0].transfers, 0);
	CHECK_INT(res.journeys[0].departure, HM(8, 5));
	routers_close(&r);
}

/* p1: A(0) 09:00 -> B(1) 09:10 -> C(2) 09:20 with no pickup and no drop-off
 * at B; q1: B 09:30 -> C 09:40 with no pickup at B... except it is the only
 * way from B, so B -> C has no journey. */
static void test_pickup_drop_off(void)
{
	uint64_t svc[] = { EVERY_DAY };
	tb_net net;
	net_init(&net, 3, svc, 1);
	uint32_t p1 = add(&net, "p1", 0, 0, 3, (uint32_t[]){ 0, 1, 2 },
			  (int32_t[]){ HM(9, 0), HM(9, 10), HM(9, 20) });
	net.trips[p1].flags[1] = GRENS_NET_NO_PICKUP | GRENS_NET_NO_DROP_OFF;
	uint32_t q1 = add(&net, "q1", 1, 0, 2, (uint32_t[]){ 1, 2 }, (int32_t[]){ HM(9, 30), HM(9, 40) });
	net.trips[q1].flags[0] = GRENS_NET_NO_PICKUP;
	struct routers r;
	routers_open(&r, &net);
	/* A -> C: p1 arrives 09:20 */
	grens_route_result res = route(&r, 0, 2, TUESDAY, HM(8, 50), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].arrival, HM(9, 20));
	/* A -> B: p1 may not set down at B */
	res = route(&r, 0, 1, TUESDAY, HM(8, 50), -1, 8);
	CHECK_INT(res.journey_count, 0);
	/* B -> C: neither p1 nor q1 picks up at B */
	res = route(&r, 1, 2, TUESDAY, HM(8, 50), -1, 8);
	CHECK_INT(res.journey_count, 0);
	routers_close(&r);
}

/* The first vehicle leaves as late as the rest of the journey allows.
 * x1: A(0) 07:00 -> B(1) 07:10, x2: A 07:30 -> B 07:40 (same route),
 * y: B 08:00 -> C(2) 08:20; walk O(3) -> A 300 s. */
static void test_depart_late(void)
{
	uint64_t svc[] = { EVERY_DAY };
	tb_net net;
	net_init(&net, 4, svc, 1);
	add(&net, "x1", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(7, 0), HM(7, 10) });
	add(&net, "x2", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(7, 30), HM(7, 40) });
	add(&net, "y", 1, 0, 2, (uint32_t[]){ 1, 2 }, (int32_t[]){ HM(8, 0), HM(8, 20) });
	net.footpaths[0] = (tb_footpath){ 3, 0, 300 };
	net.footpath_count = 1;
	struct routers r;
	routers_open(&r, &net);
	/* leaving A at 06:50, x1 is the first trip, but x2 reaches B 07:40 and
	 * 07:40 + 120 s <= 08:00, so the journey leaves 07:30 (50 min, not 80) */
	grens_route_result res = route(&r, 0, 2, TUESDAY, HM(6, 50), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].departure, HM(7, 30));
	CHECK_INT(res.journeys[0].arrival, HM(8, 20));
	CHECK_STR(grens_net_str(&r.tt, r.tt.trip_id[leg(&res, 0, 0)->trip]), "x2");
	/* from O the walk of 300 s ends when x2 leaves: 07:25 -> 07:30 */
	res = route(&r, 3, 2, TUESDAY, HM(6, 50), -1, 8);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].departure, HMS(7, 25, 0));
	CHECK_INT(leg(&res, 0, 0)->mode, GRENS_ROUTE_LEG_WALK);
	CHECK_INT(leg(&res, 0, 0)->arrival, HM(7, 30));
	/* Dijkstra's journey leaves late too */
	uint32_t from = 0, to = 2;
	grens_route_query q = { &from, 1, &to, 1, TUESDAY, HM(6, 50) };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	grens_error err;
	CHECK_INT(grens_route_dijkstra_route(r.dijkstra, &q, &o, &res, &err), 0);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].departure, HM(7, 30));
	/* a 1201 s change time at B: 07:40 + 1201 s > 08:00, so x1 (07:00) it is */
	res = route(&r, 0, 2, TUESDAY, HM(6, 50), 1201, 8);
	CHECK_INT(res.journeys[0].departure, HM(7, 0));
	routers_close(&r);
}

static void test_bad_queries(void)
{
	uint64_t svc[] = { EVERY_DAY };
	tb_net net;
	net_init(&net, 2, svc, 1);
	add(&net, "a", 0, 0, 2, (uint32_t[]){ 0, 1 }, (int32_t[]){ HM(8, 0), HM(8, 10) });
	struct routers r;
	routers_open(&r, &net);
	uint32_t from = 0, to = 7;
	grens_route_query q = { &from, 1, &to, 1, TUESDAY, HM(8, 0) };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	grens_route_result res;
	grens_error err;
	CHECK_INT(grens_route_raptor_route(r.raptor, &q, &o, &res, &err), GRENS_EARG);
	CHECK_INT(grens_route_dijkstra_route(r.dijkstra, &q, &o, &res, &err), GRENS_EARG);
	to = 1;
	o.max_transfers = 9; /* the workspace was made for 8 */
	CHECK_INT(grens_route_raptor_route(r.raptor, &q, &o, &res, &err), GRENS_EARG);
	o.max_transfers = 8;
	grens_route_profile_step steps[2];
	CHECK_INT(grens_route_raptor_profile(r.raptor, &q, HM(9, 0), HM(8, 0), 60, &o, steps, &err),
		  GRENS_EARG);
	/* origin = destination: one journey without legs */
	to = 0;
	CHECK_INT(grens_route_raptor_route(r.raptor, &q, &o, &res, &err), 0);
	CHECK_INT(res.journey_count, 1);
	CHECK_INT(res.journeys[0].leg_count, 0);
	grens_route_raptor *big = NULL;
	CHECK_INT(grens_route_raptor_new(&big, &r.tt, GRENS_ROUTE_MAX_TRANSFERS + 1, &err), GRENS_EARG);
	routers_close(&r);
}

/* tests/fixtures/route-basic through the loader and builder: every query of
 * its expected.txt (journeys worked out there by hand) with RAPTOR, and the
 * earliest arrival with Dijkstra too. */
static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	size_t i = 0;
	while (s[i] == ' ')
		i++;
	memmove(s, s + i, n - i + 1);
}

static void test_fixture(void)
{
	char dir[4096], path[4200], line[512];
	check_source_path(dir, sizeof(dir), "tests/fixtures/route-basic");
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "rb";
	grens_gtfs_feed *feed = NULL;
	grens_timetable *tt = NULL;
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_gtfs_load(&feed, dir, &go, diag, &err), 0);
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	if (feed)
		CHECK_INT(grens_net_build(&tt, (const grens_gtfs_feed *const *)&feed, 1, &no, diag, &err),
			  0);
	grens_gtfs_free(feed);
	grens_diag_free(diag);
	if (tt && from_snapshot) {
		grens_timetable *loaded = snapshot_roundtrip(tt);
		CHECK(loaded != NULL);
		grens_net_free(tt);
		tt = loaded;
	}
	if (!tt)
		return;
	grens_route_raptor *raptor = NULL;
	grens_route_dijkstra *dij = NULL;
	CHECK_INT(grens_route_raptor_new(&raptor, tt, 8, &err), 0);
	CHECK_INT(grens_route_dijkstra_new(&dij, tt, &err), 0);
	snprintf(path, sizeof(path), "%s/expected.txt", dir);
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	uint32_t from[16], to[16], nfrom = 0, nto = 0, seen = 0, queries = 0;
	grens_route_result res = { 0 };
	bool dijkstra = false;
	grens_date qdate = 0;
	while (f && fgets(line, sizeof(line), f)) {
		trim(line);
		if (strncmp(line, "query ", 6) == 0) {
			char *field[5];
			char *p = line + 6;
			for (int i = 0; i < 5; i++) {
				field[i] = p;
				char *bar = strchr(p, '|');
				if (bar) {
					*bar = 0;
					p = bar + 1;
				}
				trim(field[i]);
			}
			grens_date d;
			int32_t t;
			CHECK_INT(grens_date_parse_iso(field[0], strlen(field[0]), &d), 0);
			CHECK_INT(grens_time_parse(field[1], strlen(field[1]), 1, &t), 0);
			CHECK_INT(grens_net_find_stops(tt, field[2], from, 16, &nfrom, &err), 0);
			CHECK_INT(grens_net_find_stops(tt, field[3], to, 16, &nto, &err), 0);
			dijkstra = strcmp(field[4], "dijkstra") == 0;
			grens_route_query q = { from, nfrom, to, nto, d, t };
			grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
			grens_route_result other;
			CHECK_INT(grens_route_raptor_route(raptor, &q, &o, &res, &err), 0);
			CHECK_INT(grens_route_dijkstra_route(dij, &q, &o, &other, &err), 0);
			/* Dijkstra's journey is RAPTOR's earliest arrival */
			CHECK_INT(other.journey_count, res.journey_count ? 1 : 0);
			if (other.journey_count && res.journey_count)
				CHECK_INT(other.journeys[0].arrival, res.journeys[0].arrival);
			if (dijkstra)
				res = other;
			seen = 0;
			queries++;
			qdate = d;
		} else if (strncmp(line, "journey ", 8) == 0) {
			char dep[32], arr[32], got[40];
			unsigned tf;
			CHECK_INT(sscanf(line + 8, "%31s %31s %u", dep, arr, &tf), 3);
			CHECK(seen < res.journey_count);
			if (seen < res.journey_count) {
				const grens_route_journey *j = &res.journeys[seen];
				grens_route_format_time(qdate, j->departure, got, sizeof(got));
				CHECK_STR(got, dep);
				grens_route_format_time(qdate, j->arrival, got, sizeof(got));
				CHECK_STR(got, arr);
				CHECK_INT(j->transfers, tf);
			}
			seen++;
		} else if (strcmp(line, "none") == 0) {
			CHECK_INT(res.journey_count, 0);
		} else if (line[0] == 0 && queries > 0 && seen > 0) {
			/* a blank line ends a query's journeys: no journey left over */
			CHECK_INT(res.journey_count, seen);
			seen = 0;
		}
	}
	CHECK(queries >= 10);
	if (f)
		fclose(f);
	grens_route_raptor_free(raptor);
	grens_route_dijkstra_free(dij);
	grens_net_free(tt);
}

int main(void)
{
	for (int run = 0; run < 2; run++) {
		from_snapshot = run == 1;
		test_change_time_and_pareto();
		test_days();
		test_footpaths();
		test_stay_seated();
		test_pickup_drop_off();
		test_bad_queries();
		test_depart_late();
		test_fixture();
	}
	return check_exit();
}
