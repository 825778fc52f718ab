/* grens_access_od_run (OD pairs over a departure window on several
 * networks) and the compare document written from it, on two small
 * hand-made timetables; every expected value is worked out in the comment
 * next to it. */
#include "check.h"
#include "grens/access.h"
#include "grens/report.h"
#include "route_tt.h"

#define HM(h, m) ((int32_t)((h) * 3600 + (m) * 60))
#define MONDAY grens_date_from_ymd(2026, 3, 9)
#define TUESDAY (MONDAY + 1)
#define EVERY_DAY 0x7Fu

/* Stops A (0), C (1) and D (2, served by nothing). The base runs A -> C at
 * 08:00 (arr 09:00), 08:30 (09:30) and 09:00 (10:00); the alternative adds
 * a fast train A 08:10 -> C 08:40. */
static tb_trip trips_buf[8];

static void build(grens_timetable *tt, uint32_t *map, bool fast)
{
	static uint64_t svc[] = {EVERY_DAY};
	tb_net net;
	memset(&net, 0, sizeof(net));
	net.stop_count = 3;
	net.route_count = 2;
	net.first_date = MONDAY;
	net.day_count = 7;
	net.service_count = 1;
	net.service_bits = svc;
	net.trips = trips_buf;
	const uint32_t ac[] = {0, 1};
	tb_add_trip(&net, "t1", 0, 0, 2, ac, (int32_t[]){HM(8, 0), HM(9, 0)});
	tb_add_trip(&net, "t2", 0, 0, 2, ac, (int32_t[]){HM(8, 30), HM(9, 30)});
	tb_add_trip(&net, "t3", 0, 0, 2, ac, (int32_t[]){HM(9, 0), HM(10, 0)});
	if (fast)
		tb_add_trip(&net, "fast", 1, 0, 2, ac, (int32_t[]){HM(8, 10), HM(8, 40)});
	tb_build(&net, tt, map);
}

struct fixture {
	grens_timetable base, alt;
	uint32_t map_base[8], map_alt[8];
	uint32_t a, c, d;
	grens_access_od_stops places[3];
	grens_access_od_network nets[2];
	grens_access_od_pair pairs[2];
	grens_date date;
	grens_access_od_options opts;
};

static void fixture_open(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	build(&f->base, f->map_base, false);
	build(&f->alt, f->map_alt, true);
	f->a = 0;
	f->c = 1;
	f->d = 2;
	/* the builder keeps stop indices: the same places on both */
	f->places[0] = (grens_access_od_stops){&f->a, 1};
	f->places[1] = (grens_access_od_stops){&f->c, 1};
	f->places[2] = (grens_access_od_stops){&f->d, 1};
	f->nets[0] = (grens_access_od_network){&f->base, NULL, f->places};
	f->nets[1] = (grens_access_od_network){&f->alt, NULL, f->places};
	f->pairs[0] = (grens_access_od_pair){0, 1}; /* A -> C */
	f->pairs[1] = (grens_access_od_pair){0, 2}; /* A -> D: unreachable */
	f->date = TUESDAY;
	grens_access_od_options o = GRENS_ACCESS_OD_OPTIONS_INIT;
	o.dates = &f->date;
	o.date_count = 1;
	/* steps 07:50, 08:00, 08:10, 08:20, 08:30, 08:40 */
	o.window_start = HM(7, 50);
	o.window_end = HM(8, 40);
	o.step = 600;
	o.threshold = HM(1, 5);
	f->opts = o;
}

static void fixture_close(struct fixture *f)
{
	tb_free(&f->base);
	tb_free(&f->alt);
}

/* The A -> C rows of base and alternative. */
static void check_ac(const grens_access_od_row *b, const grens_access_od_row *s)
{
	/* Base, by step: 07:50 and 08:00 take t1 (arr 09:00): 70, 60 min;
	 * 08:10, 08:20, 08:30 take t2 (09:30): 80, 70, 60; 08:40 takes t3
	 * (10:00): 80. Sorted 60 60 70 70 80 80: min 60, nearest-rank p50 the
	 * ceil(0.5 * 6) = 3rd = 70, p90 the ceil(0.9 * 6) = 6th = 80; 2 of 6
	 * within 65 min. */
	CHECK_INT(b->summary.steps, 6);
	CHECK_INT(b->summary.reached, 6);
	CHECK_INT(b->summary.min, 60 * 60);
	CHECK_INT(b->summary.median, 70 * 60);
	CHECK_INT(b->summary.p90, 80 * 60);
	CHECK(fabs(b->summary.share_under - 2.0 / 6.0) < 1e-9);
	/* from 07:50 the first journey is t1 leaving 08:00; from the last step
	 * (08:40) it is t3 leaving 09:00 */
	CHECK_INT(b->first_departure, HM(8, 0));
	CHECK_INT(b->last_departure, HM(9, 0));
	/* the shortest, 60 min, first at step 08:00 */
	CHECK_INT(b->best_step, HM(8, 0));
	CHECK_INT(b->delta_median, 0);
	CHECK_INT(b->delta_train, 0);
	CHECK_INT(b->train_departure, GRENS_ROUTE_UNREACHED);
	/* Alternative: 07:50, 08:00, 08:10 take fast (arr 08:40): 50, 40, 30
	 * min; 08:20 and 08:30 t2: 70, 60; 08:40 t3: 80. Sorted 30 40 50 60 70
	 * 80: min 30, p50 the 3rd = 50, p90 the 6th = 80; 4 of 6 within 65. */
	CHECK_INT(s->summary.min, 30 * 60);
	CHECK_INT(s->summary.median, 50 * 60);
	CHECK_INT(s->summary.p90, 80 * 60);
	CHECK(fabs(s->summary.share_under - 4.0 / 6.0) < 1e-9);
	CHECK_INT(s->first_departure, HM(8, 10)); /* fast arrives first */
	CHECK_INT(s->best_step, HM(8, 10));
	/* against the base: min 30 - 60, median 50 - 70, p90 80 - 80 min,
	 * share 4/6 - 2/6 */
	CHECK_INT(s->delta_min, -30 * 60);
	CHECK_INT(s->delta_median, -20 * 60);
	CHECK_INT(s->delta_p90, 0);
	CHECK(fabs(s->delta_share - 2.0 / 6.0) < 1e-9);
	CHECK(fabs(s->delta_transfers) < 1e-9); /* no changes on either */
	/* per train: fast (30 min from 08:10) against the base journey from
	 * step 08:10, t2 timed from its own departure 08:30 (60 min): -30 min */
	CHECK_INT(s->delta_train, -30 * 60);
	CHECK_INT(s->train_departure, HM(8, 10));
}

/* A -> D: nothing serves D. */
static void check_unreached(const grens_access_od_row *r)
{
	CHECK_INT(r->summary.reached, 0);
	CHECK_INT(r->summary.median, GRENS_ROUTE_UNREACHED);
	CHECK_INT(r->first_departure, GRENS_ROUTE_UNREACHED);
	CHECK_INT(r->last_departure, GRENS_ROUTE_UNREACHED);
	CHECK_INT(r->best_step, GRENS_ROUTE_UNREACHED);
	CHECK_INT(r->delta_median, GRENS_ROUTE_UNREACHED);
	CHECK(isnan(r->delta_transfers));
}

static void test_run(void)
{
	struct fixture f;
	fixture_open(&f);
	grens_error err;
	grens_error_clear(&err);
	grens_access_od_result *r = NULL;
	CHECK_INT(grens_access_od_run(&r, f.nets, 2, 3, f.pairs, 2, &f.opts, &err), 0);
	if (!r) {
		fixture_close(&f);
		return;
	}
	/* 2 pairs x 1 date x 2 networks, by pair then network */
	CHECK_INT(grens_access_od_result_count(r), 4);
	const grens_access_od_row *b = grens_access_od_result_row(r, 0),
				  *s = grens_access_od_result_row(r, 1);
	CHECK(grens_access_od_result_row(r, 4) == NULL);
	CHECK_INT(b->pair, 0);
	CHECK_INT(b->network, 0);
	CHECK_INT(s->network, 1);
	check_ac(b, s);
	check_unreached(grens_access_od_result_row(r, 2));
	check_unreached(grens_access_od_result_row(r, 3));

	uint32_t n = 0;
	const grens_route_profile_step *st = grens_access_od_result_steps(r, 1, &n);
	CHECK_INT(n, 6);
	CHECK(st && st[2].departure == HM(8, 10) && st[2].arrival == HM(8, 40));

	/* the best journeys: t1 08:00-09:00 on the base, fast 08:10-08:40 */
	grens_route_result res;
	const grens_timetable *tt = NULL;
	CHECK_INT(grens_access_od_result_journey(r, 0, &res, &tt, NULL), 1);
	CHECK(tt == &f.base);
	CHECK_INT(res.journeys[0].departure, HM(8, 0));
	CHECK_INT(res.journeys[0].arrival, HM(9, 0));
	CHECK_INT(grens_access_od_result_journey(r, 1, &res, &tt, NULL), 1);
	CHECK(tt == &f.alt);
	CHECK_INT(res.journeys[0].leg_count, 1);
	CHECK_STR(grens_net_str(&f.alt, f.alt.trip_id[res.legs[res.journeys[0].leg_offset].trip]),
		  "fast");
	CHECK_INT(grens_access_od_result_journey(r, 2, &res, NULL, NULL), 0);

	/* The alternative alone against the base run: the same deltas. */
	grens_access_od_options o = f.opts;
	o.base = r;
	grens_access_od_result *alone = NULL;
	CHECK_INT(grens_access_od_run(&alone, &f.nets[1], 1, 3, f.pairs, 2, &o, &err), 0);
	if (alone) {
		CHECK_INT(grens_access_od_result_count(alone), 2);
		const grens_access_od_row *a = grens_access_od_result_row(alone, 0);
		CHECK_INT(a->delta_median, -20 * 60);
		CHECK_INT(a->delta_train, -30 * 60);
		check_unreached(grens_access_od_result_row(alone, 1));
	}
	grens_access_od_result_free(alone);

	/* a base over another window is refused */
	o.window_end = HM(8, 30);
	alone = NULL;
	CHECK_INT(grens_access_od_run(&alone, &f.nets[1], 1, 3, f.pairs, 2, &o, &err), GRENS_EARG);
	CHECK(alone == NULL);
	grens_access_od_result_free(r);
	fixture_close(&f);
}

static void test_bad_input(void)
{
	struct fixture f;
	fixture_open(&f);
	grens_error err;
	grens_error_clear(&err);
	grens_access_od_result *r = NULL;
	grens_access_od_pair bad = {0, 3}; /* 3 places: index 3 is past them */
	CHECK_INT(grens_access_od_run(&r, f.nets, 2, 3, &bad, 1, &f.opts, &err), GRENS_EARG);
	grens_access_od_options o = f.opts;
	o.date_count = 0;
	CHECK_INT(grens_access_od_run(&r, f.nets, 2, 3, f.pairs, 2, &o, &err), GRENS_EARG);
	o = f.opts;
	o.version = 0;
	CHECK_INT(grens_access_od_run(&r, f.nets, 2, 3, f.pairs, 2, &o, &err), GRENS_EINVAL);
	CHECK(r == NULL);
	fixture_close(&f);
}

/* The compare document of the run names the deltas and the unreached pair. */
static void test_compare_json(void)
{
	struct fixture f;
	fixture_open(&f);
	grens_error err;
	grens_error_clear(&err);
	grens_access_od_result *r = NULL;
	CHECK_INT(grens_access_od_run(&r, f.nets, 2, 3, f.pairs, 2, &f.opts, &err), 0);
	grens_report_place places[3] = {{"t:a", "A", NAN, NAN}, {"t:c", "C", NAN, NAN},
					{"t:d", "D", NAN, NAN}};
	grens_report_compare_network names[2] = {{"base", "", "", 0}, {"fast", "ab12", "", 0}};
	grens_report_compare doc = {.od = r, .pairs = f.pairs, .places = places,
				    .networks = names, .network_count = 2};
	FILE *o = tmpfile();
	CHECK(o != NULL);
	if (o && r) {
		CHECK_INT(grens_report_compare_write(&doc, GRENS_REPORT_COMPARE_JSON, o, &err), 0);
		char buf[16384];
		rewind(o);
		size_t len = fread(buf, 1, sizeof(buf) - 1, o);
		buf[len] = '\0';
		/* 50 - 70 min; t1's first departure 08:00 on the base */
		CHECK(strstr(buf, "\"delta_median_s\": -1200") != NULL);
		CHECK(strstr(buf, "\"first_departure\": \"2026-03-10T08:00:00\"") != NULL);
		CHECK(strstr(buf, "\"route\"") != NULL);
		/* A -> D has no journey on either network */
		CHECK(strstr(buf, "\"best_journey\": null") != NULL);
		CHECK(strstr(buf, "\"window\": \"07:50-08:40\"") != NULL);
	}
	if (o)
		fclose(o);
	grens_access_od_result_free(r);
	fixture_close(&f);
}

/* Rows as equal as a run on one thread: profile steps, summaries, deltas
 * and best journeys with their legs. */
static void check_same_rows(const grens_access_od_result *a, const grens_access_od_result *b)
{
	CHECK_INT(grens_access_od_result_count(b), grens_access_od_result_count(a));
	for (uint32_t i = 0; i < grens_access_od_result_count(a) &&
			     i < grens_access_od_result_count(b); i++) {
		const grens_access_od_row *x = grens_access_od_result_row(a, i),
					  *y = grens_access_od_result_row(b, i);
		CHECK(x->pair == y->pair && x->date == y->date && x->network == y->network);
		CHECK_INT(y->summary.median, x->summary.median);
		CHECK_INT(y->summary.reached, x->summary.reached);
		CHECK_INT(y->delta_median, x->delta_median);
		CHECK_INT(y->delta_train, x->delta_train);
		CHECK_INT(y->first_departure, x->first_departure);
		CHECK_INT(y->last_departure, x->last_departure);
		uint32_t nx = 0, ny = 0;
		const grens_route_profile_step *sx = grens_access_od_result_steps(a, i, &nx),
					       *sy = grens_access_od_result_steps(b, i, &ny);
		CHECK_INT(ny, nx);
		CHECK(nx == ny && memcmp(sx, sy, nx * sizeof(*sx)) == 0);
		grens_route_result rx, ry;
		uint32_t jx = grens_access_od_result_journey(a, i, &rx, NULL, NULL),
			 jy = grens_access_od_result_journey(b, i, &ry, NULL, NULL);
		CHECK_INT(jy, jx);
		if (jx && jy) {
			CHECK_INT(ry.journeys[0].leg_count, rx.journeys[0].leg_count);
			CHECK(ry.journeys[0].leg_count == rx.journeys[0].leg_count &&
			      memcmp(rx.legs + rx.journeys[0].leg_offset,
				     ry.legs + ry.journeys[0].leg_offset,
				     rx.journeys[0].leg_count * sizeof(*rx.legs)) == 0);
		}
	}
}

/* Threads and slices of the window change no result: the fixture over
 * 06:00-10:00 by 60 s (241 steps; 4 rows on 4 threads make 4 slices of
 * 61 steps) on 1, 2, 4 and 9 threads; above GRENS_ACCESS_MAX_THREADS is
 * refused. */
static void test_threads(void)
{
	struct fixture f;
	fixture_open(&f);
	grens_error err;
	grens_error_clear(&err);
	grens_access_od_options o = f.opts;
	o.window_start = HM(6, 0);
	o.window_end = HM(10, 0);
	o.step = 60;
	grens_access_od_result *one = NULL;
	CHECK_INT(grens_access_od_run(&one, f.nets, 2, 3, f.pairs, 2, &o, &err), 0);
	/* the base's A -> C at 08:00 rides t1 to 09:00 (test_run) */
	const grens_route_profile_step *st = one ? grens_access_od_result_steps(one, 0, NULL) : NULL;
	CHECK(st && st[120].departure == HM(8, 0) && st[120].arrival == HM(9, 0));
	const uint32_t counts[] = { 2, 4, 9 };
	for (uint32_t k = 0; one && k < 3; k++) {
		o.threads = counts[k];
		grens_access_od_result *many = NULL;
		CHECK_INT(grens_access_od_run(&many, f.nets, 2, 3, f.pairs, 2, &o, &err), 0);
		if (many)
			check_same_rows(one, many);
		grens_access_od_result_free(many);
	}
	o.threads = GRENS_ACCESS_MAX_THREADS + 1;
	grens_access_od_result *bad = NULL;
	CHECK_INT(grens_access_od_run(&bad, f.nets, 2, 3, f.pairs, 2, &o, &err), GRENS_EARG);
	CHECK(bad == NULL);
	grens_access_od_result_free(one);
	fixture_close(&f);
}

int main(void)
{
	test_run();
	test_bad_input();
	test_threads();
	test_compare_json();
	return check_exit();
}
