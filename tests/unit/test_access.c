/* Unit tests of grens access on tests/fixtures/access-basic (see its
 * README.md for the network; every expected value is worked out below). */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "grens/access.h"
#include "grens/gtfs.h"
#include "grens/report.h"
#include "grens/scenario.h"

static char fixture[4096];

static char *slurp(const char *name, size_t *len)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", fixture, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 16);
	*len = buf ? fread(buf, 1, (1 << 16) - 1, f) : 0;
	fclose(f);
	if (buf)
		buf[*len] = '\0';
	return buf;
}

static grens_access_places *load_places(const char *name)
{
	size_t len;
	char *text = slurp(name, &len);
	grens_access_places *pl = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK(text != NULL);
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	if (text && pl)
		CHECK_INT(grens_access_places_parse(pl, name, text, len, NULL, NULL, &err), 0);
	free(text);
	return pl;
}

/* Build a timetable of the named feed directories with the builder's
 * linking of stops across feeds; link_radius adds walks between any stops
 * within (0: none). */
static grens_timetable *build(const char *const *feeds, uint32_t n, double link_radius)
{
	grens_gtfs_feed *loaded[4] = {0};
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	for (uint32_t i = 0; i < n; i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", fixture, feeds[i]);
		grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
		o.name = feeds[i];
		CHECK_INT(grens_gtfs_load(&loaded[i], path, &o, NULL, &err), 0);
	}
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	no.footpath_radius_m = link_radius;
	CHECK_INT(grens_net_build(&tt, (const grens_gtfs_feed *const *)loaded, n, &no, NULL, &err),
		  0);
	for (uint32_t i = 0; i < n; i++)
		grens_gtfs_free(loaded[i]);
	return tt;
}

static grens_access_options window_options(void)
{
	grens_access_options o = GRENS_ACCESS_OPTIONS_INIT;
	o.date = grens_date_from_ymd(2026, 3, 10); /* a Tuesday */
	o.window_start = 7 * 3600;
	o.window_end = 7 * 3600 + 20 * 60;
	o.step = 300; /* departures 07:00, 07:05, 07:10, 07:15, 07:20 */
	o.cutoff_count = 3;
	o.cutoffs[0] = 30 * 60;
	o.cutoffs[1] = 60 * 60;
	o.cutoffs[2] = 120 * 60;
	o.percentile_count = 2;
	o.percentiles[0] = 50;
	o.percentiles[1] = 20;
	return o;
}

static void test_helpers(void)
{
	/* nearest rank: p50 of 5 values is rank ceil(2.5) = 3 */
	int32_t v[5] = {40, 10, 30, GRENS_ACCESS_UNREACHED, 20};
	CHECK_INT(grens_access_percentile(v, 5, 50), 30);
	int32_t w[5] = {40, 10, 30, GRENS_ACCESS_UNREACHED, 20};
	CHECK_INT(grens_access_percentile(w, 5, 100), GRENS_ACCESS_UNREACHED);
	int32_t x[5] = {40, 10, 30, GRENS_ACCESS_UNREACHED, 20};
	CHECK_INT(grens_access_percentile(x, 5, 80), 40); /* rank ceil(4) = 4 */
	int32_t y[4] = {4, 3, 2, 1};
	CHECK_INT(grens_access_percentile(y, 4, 1), 1); /* rank ceil(0.04) = 1 */
	CHECK_INT(grens_access_percentile(y, 0, 50), GRENS_ACCESS_UNREACHED);

	/* step: 1 up to the cutoff inclusive */
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_STEP, 0, 3600, 3600), 1.0, 0);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_STEP, 0, 3600, 3601), 0.0, 0);
	CHECK_NEAR(
	    grens_access_decay_weight(GRENS_ACCESS_DECAY_STEP, 0, 3600, GRENS_ACCESS_UNREACHED),
	    0.0, 0);
	/* linear, W = 1200 s around 3600: 1 to 3000, 0 from 4200, (4200 - t) / 1200 */
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_LINEAR, 1200, 3600, 3000), 1.0, 0);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_LINEAR, 1200, 3600, 3600), 0.5,
		   1e-12);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_LINEAR, 1200, 3600, 3900), 0.25,
		   1e-12);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_LINEAR, 1200, 3600, 4200), 0.0, 0);
	/* exponential, half-life 1800 s: 2^(-t/1800); 0 past the cutoff */
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_EXP, 1800, 7200, 0), 1.0, 0);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_EXP, 1800, 7200, 1800), 0.5, 1e-12);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_EXP, 1800, 7200, 3600), 0.25,
		   1e-12);
	CHECK_NEAR(grens_access_decay_weight(GRENS_ACCESS_DECAY_EXP, 1800, 3000, 3600), 0.0, 0);
}

static void test_places(void)
{
	grens_access_places *pl = load_places("places.csv");
	if (!pl)
		return;
	CHECK_INT(grens_access_places_count(pl), 5);
	CHECK_INT(grens_access_places_kind_count(pl), 2);
	CHECK_STR(grens_access_places_kind(pl, 0), "population");
	CHECK_STR(grens_access_places_kind(pl, 1), "jobs");
	const grens_access_place *p = grens_access_places_get(pl, 3);
	CHECK_STR(p->name, "PD");
	CHECK_STR(p->country, "DE");
	CHECK_STR(p->municipality, "05000001");
	CHECK_STR(p->reference_date, "2026-01-01");
	CHECK_NEAR(p->opportunities[0], 100000, 0);
	CHECK_NEAR(p->opportunities[1], 4, 0);
	CHECK_INT(p->line, 5);
	CHECK_INT(grens_access_places_find(pl, "pb"), 1);
	CHECK_INT(grens_access_places_find(pl, "05000002"), 4);
	CHECK_INT(grens_access_places_find(pl, "nowhere"), GRENS_NONE);
	grens_access_places_free(pl);

	/* bad rows: skipped with a notice naming line and field */
	size_t len;
	char *text = slurp("bad-places.csv", &len);
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	uint32_t skipped = 0;
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	CHECK_INT(grens_access_places_parse(pl, "bad-places.csv", text, len, diag, &skipped, &err),
		  0);
	/* rows: 2 Good, 3 NoLat, 4 BadLon, 5 Negative, 6 Country, 7 "Quoted, name",
	 * 8 Good again (duplicate) -> kept 2 and 7, skipped 5 */
	CHECK_INT(grens_access_places_count(pl), 2);
	CHECK_INT(skipped, 5);
	CHECK_STR(grens_access_places_get(pl, 1)->name, "Quoted, name");
	CHECK_INT(grens_diag_kept_count(diag), 5);
	struct {
		uint32_t line;
		const char *field, *code;
	} want[] = {
	    {3, "lat", "missing_required_field"},
	    {4, "lon", "number_out_of_range"},
	    {5, "population", "number_out_of_range"},
	    {6, "country", "invalid_country"},
	    {8, "name", "duplicate_key"},
	};
	for (size_t i = 0; i < 5 && i < grens_diag_kept_count(diag); i++) {
		const grens_notice *n = grens_diag_kept(diag, i);
		CHECK_INT(n->line, want[i].line);
		CHECK_STR(n->field, want[i].field);
		CHECK_STR(n->code, want[i].code);
		CHECK_STR(n->file, "bad-places.csv");
	}
	/* a later file must have the same opportunity columns */
	const char *other = "name,country,municipality_code,lat,lon,population,jobs\n";
	CHECK_INT(
	    grens_access_places_parse(pl, "other.csv", other, strlen(other), diag, NULL, &err),
	    GRENS_EFORMAT);
	grens_diag_free(diag);
	grens_access_places_free(pl);
	free(text);

	/* a missing required column fails the file, naming the column */
	const char *nopop = "name,country,municipality_code,lat,lon\nX,NL,GM1,50,6\n";
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	CHECK_INT(
	    grens_access_places_parse(pl, "nopop.csv", nopop, strlen(nopop), NULL, NULL, &err),
	    GRENS_EFORMAT);
	CHECK_STR(err.field, "population");
	CHECK_STR(err.file, "nopop.csv");
	/* an unterminated quote names its line */
	const char *quote = "name,country,municipality_code,lat,lon,population\r\n"
			    "A,NL,GM1,50,6,1\r\n\"B,NL,GM2,50,6,1\r\n";
	CHECK_INT(
	    grens_access_places_parse(pl, "quote.csv", quote, strlen(quote), NULL, NULL, &err),
	    GRENS_EFORMAT);
	CHECK_INT(err.line, 3);
	grens_access_places_free(pl);

	/* A NUL byte would cut "Aa\0chen" to "Aa" and "GM\0" to "GM": those rows
	 * are skipped with a notice naming the field; a NUL in the header fails. */
	static const char nul[] = "name,country,municipality_code,lat,lon,population\n"
				  "Aa\0chen,DE,05334002,50.77,6.08,249070\n"
				  "Heerlen,NL,\"GM\0\",50.88,5.98,86832\n"
				  "Maastricht,NL,GM0935,50.85,5.69,121151\n";
	diag = grens_diag_new();
	skipped = 0;
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	CHECK_INT(grens_access_places_parse(pl, "nul.csv", nul, sizeof(nul) - 1, diag, &skipped,
					    &err),
		  0);
	CHECK_INT(grens_access_places_count(pl), 1);
	CHECK_INT(skipped, 2);
	CHECK_INT(grens_diag_count(diag, "invalid_character"), 2);
	if (grens_diag_kept_count(diag) == 2) {
		const grens_notice *n = grens_diag_kept(diag, 0);
		CHECK_INT(n->line, 2);
		CHECK_STR(n->field, "name");
		CHECK_STR(n->file, "nul.csv");
		CHECK_STR(grens_diag_kept(diag, 1)->field, "municipality_code");
	}
	grens_diag_free(diag);
	grens_access_places_free(pl);
	static const char nul_header[] = "name,coun\0try,municipality_code,lat,lon,population\n";
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	CHECK_INT(grens_access_places_parse(pl, "nulh.csv", nul_header, sizeof(nul_header) - 1,
					    NULL, NULL, &err),
		  GRENS_EFORMAT);
	CHECK_INT(err.line, 1);
	CHECK_INT(err.column, 2);
	grens_access_places_free(pl);
}

/* Index of result slot holding origin index o. */
static uint32_t slot_of(const grens_access_result *r, uint32_t o)
{
	for (uint32_t i = 0; i < grens_access_result_count(r); i++)
		if (grens_access_result_origin(r, i) == o)
			return i;
	return GRENS_NONE;
}

static void test_window(void)
{
	grens_access_places *pl = load_places("places.csv");
	const char *x[] = {"x"};
	grens_timetable *tt = build(x, 1, 0.0);
	if (!pl || !tt)
		goto done;
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	/* walking only: the window arithmetic below (test_modes has the feeder) */
	lo.modes = GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK);
	grens_access_network *net = NULL;
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_access_network_new(&net, tt, pl, &lo, diag, &err), 0);
	if (!net)
		goto done;
	/* PE has no stop in feed x */
	CHECK_INT(grens_diag_count(diag, "place_without_stop"), 1);
	grens_diag_free(diag);
	const grens_access_link *l;
	CHECK_INT(grens_access_network_links(net, 0, &l), 1);
	CHECK_INT(l[0].stop, grens_net_stop_by_id(tt, "x", "A"));
	CHECK_INT(l[0].seconds, 0); /* the place is at the stop */
	CHECK_INT(grens_access_network_links(net, 4, &l), 0);

	grens_access_origin from_pa = {.place = 0};
	grens_access_options o = window_options();
	grens_access_result *r = NULL;
	CHECK_INT(grens_access_run(&r, net, &from_pa, 1, &o, &err), 0);
	if (!r)
		goto free_net;
	CHECK_INT(grens_access_result_count(r), 1);
	CHECK_INT(grens_access_result_steps(r), 5);
	/* From A, R1 leaves 07:00, 07:20 (B +10 min, C +30 min).
	 * PB: 07:00 -> 07:10 = 10; 07:05 -> 07:30 = 25; 07:10 -> 20; 07:15 -> 15;
	 *     07:20 -> 07:30 = 10. Sorted 10 10 15 20 25: p50 (rank 3) 15, p20 (rank 1) 10.
	 * PC: 30 45 40 35 30 -> sorted 30 30 35 40 45: p50 35, p20 30.
	 * PD: the 07:00 run reaches C 07:30, R2 07:40 (change 2 min fits) -> D 08:10
	 *     = 70; later runs reach C 07:50 and wait for R2 08:40 -> D 09:10:
	 *     125 120 115 110. Sorted 70 110 115 120 125: p50 115, p20 70. */
	CHECK_INT(grens_access_result_place_time(r, 0, 0, 0), 0); /* PA itself */
	CHECK_INT(grens_access_result_place_time(r, 0, 0, 1), 15 * 60);
	CHECK_INT(grens_access_result_place_time(r, 0, 1, 1), 10 * 60);
	CHECK_INT(grens_access_result_place_time(r, 0, 0, 2), 35 * 60);
	CHECK_INT(grens_access_result_place_time(r, 0, 1, 2), 30 * 60);
	CHECK_INT(grens_access_result_place_time(r, 0, 0, 3), 115 * 60);
	CHECK_INT(grens_access_result_place_time(r, 0, 1, 3), 70 * 60);
	CHECK_INT(grens_access_result_place_time(r, 0, 0, 4), GRENS_ACCESS_UNREACHED);
	CHECK_INT(grens_access_result_place_reached(r, 0, 3), 5);
	CHECK_INT(grens_access_result_place_reached(r, 0, 4), 0);
	/* p50 population: 30 min: PA 100 + PB 1000 = 1100; 60 min: + PC 10000 =
	 * 11100; 120 min: + PD 100000 = 111100. jobs: 1+2 = 3, 6, 10. */
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 0, 0), 1100, 0);
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 1, 0), 11100, 0);
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 2, 0), 111100, 0);
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 0, 1), 3, 0);
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 2, 1), 10, 0);
	/* p20: PC at 30 is within 30 min: 11100; PD at 70 within 120 only */
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 1, 0, 0), 11100, 0);
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 1, 1, 0), 11100, 0);
	CHECK_NEAR(grens_access_result_opportunities(r, 0, 1, 2, 0), 111100, 0);
	grens_access_result_free(r);
	r = NULL;

	/* linear decay W = 20 min, p50, cutoff 30: weight 1 to 20 min, 0 from 40,
	 * (40 - t) / 20 between: PA 0 -> 1, PB 15 -> 1, PC 35 -> 0.25, PD 0:
	 * 100 + 1000 + 2500 = 3600. Cutoff 60: 1 to 50 min: 100 + 1000 + 10000 =
	 * 11100; PD 115 > 70 -> 0. */
	o.decay = GRENS_ACCESS_DECAY_LINEAR;
	o.decay_param = 20 * 60;
	CHECK_INT(grens_access_run(&r, net, &from_pa, 1, &o, &err), 0);
	if (r) {
		CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 0, 0), 3600, 1e-9);
		CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 1, 0), 11100, 1e-9);
	}
	grens_access_result_free(r);
	r = NULL;
	/* exponential, half-life 30 min, p50, cutoff 120: 100 * 2^0 + 1000 * 2^(-15/30)
	 * + 10000 * 2^(-35/30) + 100000 * 2^(-115/30) */
	o.decay = GRENS_ACCESS_DECAY_EXP;
	o.decay_param = 30 * 60;
	CHECK_INT(grens_access_run(&r, net, &from_pa, 1, &o, &err), 0);
	if (r) {
		double want = 100.0 + 1000.0 * exp2(-0.5) + 10000.0 * exp2(-35.0 / 30.0) +
			      100000.0 * exp2(-115.0 / 30.0);
		CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 2, 0), want, 1e-6);
		/* cutoff 30: only PA and PB (PC at 35 is beyond it) */
		CHECK_NEAR(grens_access_result_opportunities(r, 0, 0, 0, 0),
			   100.0 + 1000.0 * exp2(-0.5), 1e-9);
	}
	grens_access_result_free(r);
	r = NULL;
	grens_access_network_free(net);
	net = NULL;

	/* a fixed access time of 60 s each way: leaving PA at t, at A at t + 1 min.
	 * PB: 07:00 -> A 07:01, R1 07:20, B 07:30, PB 07:31 = 31; 07:05 -> 26;
	 * 07:10 -> 21; 07:15 -> 16; 07:20 -> A 07:21, R1 07:40, PB 07:51 = 31.
	 * Sorted 16 21 26 31 31: p50 26. */
	lo.access_time = 60;
	CHECK_INT(grens_access_network_new(&net, tt, pl, &lo, NULL, &err), 0);
	o.decay = GRENS_ACCESS_DECAY_STEP;
	if (net)
		CHECK_INT(grens_access_run(&r, net, &from_pa, 1, &o, &err), 0);
	if (r)
		CHECK_INT(grens_access_result_place_time(r, 0, 0, 1), 26 * 60);
	grens_access_result_free(r);
	r = NULL;

	/* a stop origin, B: R1 leaves B 07:10, 07:30, 07:50 (C +20 min).
	 * PC: 07:00 -> 30; 07:05 -> 25; 07:10 -> 20; 07:15 -> 07:50 = 35;
	 * 07:20 -> 30. Sorted 20 25 30 30 35: p50 30; + 1 min egress = 31.
	 * PB: B at once + 1 min egress. */
	uint32_t b = grens_net_stop_by_id(tt, "x", "B");
	grens_access_origin from_b = {.place = GRENS_NONE, .stops = &b, .stop_count = 1};
	o.keep_stop_times = true;
	if (net)
		CHECK_INT(grens_access_run(&r, net, &from_b, 1, &o, &err), 0);
	if (r) {
		CHECK_INT(grens_access_result_place_time(r, 0, 0, 2), 31 * 60);
		CHECK_INT(grens_access_result_place_time(r, 0, 0, 1), 60);
		CHECK_INT(
		    grens_access_result_stop_time(r, 0, 0, grens_net_stop_by_id(tt, "x", "C")),
		    30 * 60);
		CHECK_INT(grens_access_result_stop_time(r, 0, 0, b), 0);
		CHECK_INT(
		    grens_access_result_stop_time(r, 0, 0, grens_net_stop_by_id(tt, "x", "A")),
		    GRENS_ACCESS_UNREACHED);
	}
	grens_access_result_free(r);
	r = NULL;

	/* bad options are refused */
	o = window_options();
	o.shard_index = 2;
	o.shard_count = 2;
	CHECK_INT(grens_access_run(&r, net, &from_pa, 1, &o, &err), GRENS_EARG);
	o = window_options();
	o.percentiles[0] = 0;
	CHECK_INT(grens_access_run(&r, net, &from_pa, 1, &o, &err), GRENS_EARG);
	grens_access_origin bad = {.place = 99};
	o = window_options();
	CHECK_INT(grens_access_run(&r, net, &bad, 1, &o, &err), GRENS_EARG);
free_net:
	grens_access_network_free(net);
done:
	grens_net_free(tt);
	grens_access_places_free(pl);
}

static bool same_origin(const grens_access_result *a, uint32_t i, const grens_access_result *b,
			uint32_t j, uint32_t places)
{
	const grens_access_options *o = grens_access_result_options(a);
	for (uint32_t p = 0; p < o->percentile_count; p++) {
		for (uint32_t c = 0; c < o->cutoff_count; c++)
			for (uint32_t k = 0; k < 2; k++)
				if (grens_access_result_opportunities(a, i, p, c, k) !=
				    grens_access_result_opportunities(b, j, p, c, k))
					return false;
		for (uint32_t q = 0; q < places; q++)
			if (grens_access_result_place_time(a, i, p, q) !=
			    grens_access_result_place_time(b, j, p, q))
				return false;
	}
	return true;
}

/* Threads and shards change nothing: every origin's numbers equal the
 * single-thread, unsharded run's. */
static void test_threads_and_shards(void)
{
	grens_access_places *pl = load_places("places.csv");
	const char *xy[] = {"x", "y"};
	grens_timetable *tt = build(xy, 2, 0.0);
	grens_access_network *net = NULL;
	grens_access_result *one = NULL, *many = NULL, *s0 = NULL, *s1 = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	if (!pl || !tt || grens_access_network_new(&net, tt, pl, &lo, NULL, &err) != 0)
		goto done;
	/* every place twice over, plus stop origins, so threads interleave */
	grens_access_origin origins[12];
	uint32_t stops[2] = {grens_net_stop_by_id(tt, "x", "B"),
			     grens_net_stop_by_id(tt, "y", "C2")};
	for (uint32_t i = 0; i < 10; i++)
		origins[i] = (grens_access_origin){.place = i % 5};
	origins[10] =
	    (grens_access_origin){.place = GRENS_NONE, .stops = &stops[0], .stop_count = 1};
	origins[11] = (grens_access_origin){.place = GRENS_NONE, .stops = stops, .stop_count = 2};
	grens_access_options o = window_options();
	o.threads = 1;
	CHECK_INT(grens_access_run(&one, net, origins, 12, &o, &err), 0);
	o.threads = 3;
	CHECK_INT(grens_access_run(&many, net, origins, 12, &o, &err), 0);
	o.threads = 2;
	o.shard_count = 2;
	o.shard_index = 0;
	CHECK_INT(grens_access_run(&s0, net, origins, 12, &o, &err), 0);
	o.shard_index = 1;
	CHECK_INT(grens_access_run(&s1, net, origins, 12, &o, &err), 0);
	if (!one || !many || !s0 || !s1)
		goto done;
	CHECK_INT(grens_access_result_count(one), 12);
	CHECK_INT(grens_access_result_count(many), 12);
	/* shard 0 takes 0, 2, 4, ..., 10; shard 1 takes 1, 3, ..., 11 */
	CHECK_INT(grens_access_result_count(s0), 6);
	CHECK_INT(grens_access_result_count(s1), 6);
	CHECK_INT(grens_access_result_origin(s1, 2), 5);
	for (uint32_t i = 0; i < 12; i++) {
		CHECK(same_origin(one, i, many, i, 5));
		const grens_access_result *s = i % 2 ? s1 : s0;
		uint32_t j = slot_of(s, i);
		CHECK(j != GRENS_NONE);
		if (j != GRENS_NONE)
			CHECK(same_origin(one, i, s, j, 5));
	}
	/* the same place as origins 0 and 5 gives the same numbers */
	CHECK(same_origin(one, 0, one, 5, 5));
	/* the linked network reaches PE from PA: C (feed x) and C2 (feed y) have
	 * one name at one place, so the builder matches them as one station with
	 * a walk of link_min_change (120 s) between them. Only the 07:00 run
	 * (C 07:30, C2 07:32) makes R3 07:50 -> E 08:10 = 70 min; the later runs
	 * reach C at 07:50 and miss it. Reached in 1 of 5 steps: p20 (rank 1)
	 * 70 min, p50 (rank 3) unreached. */
	CHECK_INT(grens_access_result_place_time(one, 0, 1, 4), 70 * 60);
	CHECK_INT(grens_access_result_place_time(one, 0, 0, 4), GRENS_ACCESS_UNREACHED);
done:
	grens_access_result_free(one);
	grens_access_result_free(many);
	grens_access_result_free(s0);
	grens_access_result_free(s1);
	grens_access_network_free(net);
	grens_net_free(tt);
	grens_access_places_free(pl);
}

/* First and last mile: walk, bicycle, feeder. */
static void test_modes(void)
{
	grens_access_places *pl = load_places("places.csv");
	const char *x[] = {"x"};
	grens_timetable *tt = build(x, 1, 0.0);
	grens_access_network *net = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	if (!pl || !tt || grens_access_network_new(&net, tt, pl, &lo, NULL, &err) != 0)
		goto done;
	const grens_access_link *l;
	/* PE, 7.1 km east of D, has no stop within walking (1500 m) and is German
	 * (bicycle: NL only): a feeder to the stations within 15 km, nearest
	 * first. D: 7147 m x 1.3 / (20 / 3.6 m/s) = 1672.4 -> 1673 + 600 s waiting;
	 * C: 14295 m x 1.3 / 5.556 = 3345.0 -> 3346 + 600. */
	CHECK_INT(grens_access_network_links(net, 4, &l), 2);
	CHECK_INT(l[0].stop, grens_net_stop_by_id(tt, "x", "D"));
	CHECK_INT(l[0].mode, GRENS_ACCESS_MODE_FEEDER);
	CHECK_INT(l[0].seconds, 2273);
	CHECK_INT(l[1].stop, grens_net_stop_by_id(tt, "x", "C"));
	CHECK_INT(l[1].seconds, 3946);
	CHECK_INT(grens_access_network_place_mode(net, 4), GRENS_ACCESS_MODE_FEEDER);
	CHECK_INT(grens_access_network_place_mode(net, 0), GRENS_ACCESS_MODE_WALK);
	grens_access_network_free(net);
	net = NULL;
	/* Without the feeder PE has no tie; with the bicycle for every country
	 * and a 8 km reach, PE cycles to D: 7147 x 1.3 / 4.5 = 2064.7 -> 2065 +
	 * 120 s parking (C at 14.3 km is beyond it). */
	lo.modes = GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK);
	CHECK_INT(grens_access_network_new(&net, tt, pl, &lo, NULL, &err), 0);
	if (net)
		CHECK_INT(grens_access_network_links(net, 4, &l), 0);
	grens_access_network_free(net);
	net = NULL;
	lo.modes |= GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_BIKE);
	lo.bike_countries = "*";
	lo.bike_max_distance_m = 8000.0;
	CHECK_INT(grens_access_network_new(&net, tt, pl, &lo, NULL, &err), 0);
	if (net && grens_access_network_links(net, 4, &l) == 1) {
		CHECK_INT(l[0].mode, GRENS_ACCESS_MODE_BIKE);
		CHECK_INT(l[0].seconds, 2185);
	} else {
		CHECK_INT(1, 0);
	}
	/* PA stands at A: walking (0 s) beats cycling (120 s parking) */
	if (net && grens_access_network_links(net, 0, &l) == 1)
		CHECK_INT(l[0].mode, GRENS_ACCESS_MODE_WALK);
	/* an unknown mode bit is refused */
	grens_access_network_free(net);
	net = NULL;
	lo.modes = 1u << 7;
	CHECK_INT(grens_access_network_new(&net, tt, pl, &lo, NULL, &err), GRENS_EARG);
done:
	grens_access_network_free(net);
	grens_net_free(tt);
	grens_access_places_free(pl);
}

/* Border effect: feed x alone vs x and y linked. */
static void test_border_effect(void)
{
	grens_access_places *pl = load_places("places.csv");
	const char *x[] = {"x"}, *xy[] = {"x", "y"};
	grens_timetable *base_tt = build(x, 1, 0.0), *alt_tt = build(xy, 2, 0.0);
	grens_access_network *bn = NULL, *an = NULL;
	grens_access_result *br = NULL, *ar = NULL;
	grens_access_delta *d = NULL;
	uint32_t nd = 0;
	grens_error err;
	grens_error_clear(&err);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	/* tied once, on x + y; the base reuses those ties */
	if (!pl || !base_tt || !alt_tt ||
	    grens_access_network_new(&an, alt_tt, pl, &lo, NULL, &err) != 0 ||
	    grens_access_network_new_like(&bn, base_tt, an, &err) != 0)
		goto done;
	{
		/* PE walks to E (0 m) on x + y; E is not in x, so on the base PE has
		 * no tie (tied on x alone it would take a feeder to C, test_modes) */
		const grens_access_link *l;
		CHECK_INT(grens_access_network_links(an, 4, &l), 1);
		CHECK_INT(grens_access_network_links(bn, 4, &l), 0);
		CHECK_INT(grens_access_network_links(bn, 0, &l), 1);
		CHECK_INT(l[0].stop, grens_net_stop_by_id(base_tt, "x", "A"));
		grens_access_tie_summary ts;
		grens_access_network_summary(bn, &ts);
		CHECK_INT(ts.places[GRENS_ACCESS_MODE_WALK], 4);
		CHECK_INT(ts.places[GRENS_ACCESS_MODE_NONE], 1);
		CHECK_NEAR(ts.population[GRENS_ACCESS_MODE_NONE], 1000000, 0);
	}
	grens_access_origin origins[2] = {{.place = 0}, {.place = 4}};
	grens_access_options o = window_options();
	CHECK_INT(grens_access_run(&br, bn, origins, 2, &o, &err), 0);
	CHECK_INT(grens_access_run(&ar, an, origins, 2, &o, &err), 0);
	if (!br || !ar)
		goto done;
	CHECK_INT(grens_access_compare(&d, &nd, br, ar, &err), 0);
	/* 2 origins x 2 percentiles x 3 cutoffs x 2 kinds */
	CHECK_INT(nd, 24);
	if (nd != 24)
		goto done;
	/* PA, p20 (index 1), 120 min (index 2), population: base PA+PB+PC+PD =
	 * 111100; linked adds PE (70 min at p20, see above) 1000000. Order: origin,
	 * percentile, cutoff, kind -> entry ((0*2 + 1)*3 + 2)*2 + 0 = 10. */
	CHECK_INT(d[10].origin, 0);
	CHECK_INT(d[10].percentile, 1);
	CHECK_INT(d[10].cutoff, 2);
	CHECK_INT(d[10].kind, 0);
	CHECK_NEAR(d[10].base, 111100, 0);
	CHECK_NEAR(d[10].alternative, 1111100, 0);
	CHECK_NEAR(d[10].delta, 1000000, 0);
	/* PA, p50, 60 and 120 min: PE is unreached at p50 in both: no change */
	CHECK_NEAR(d[2].base, 11100, 0);
	CHECK_NEAR(d[2].delta, 0, 0);
	CHECK_NEAR(d[4].delta, 0, 0);
	/* PE as origin (index 1): without y it has no stop, only itself (1000000);
	 * linked, E has no departures, so still only itself: delta 0 */
	CHECK_INT(d[12].origin, 1);
	CHECK_NEAR(d[12].base, 1000000, 0);
	CHECK_NEAR(d[12].delta, 0, 0);
	{
		/* The old way, each side tied on its own network, makes the border
		 * negative: on x alone PE takes the feeder from C (p50 6046 s, within
		 * 120 min, test_modes), linked it walks to E, where nothing arrives
		 * by p50: PA p50 120 min 1111100 -> 111100, delta -1000000. */
		grens_access_network *own = NULL;
		grens_access_result *orr = NULL;
		grens_access_delta *od = NULL;
		uint32_t on = 0;
		CHECK_INT(grens_access_network_new(&own, base_tt, pl, &lo, NULL, &err), 0);
		if (own && grens_access_run(&orr, own, origins, 2, &o, &err) == 0 &&
		    grens_access_compare(&od, &on, orr, ar, &err) == 0 && on == 24)
			CHECK_NEAR(od[4].delta, -1000000, 0);
		else
			CHECK_INT(1, 0);
		free(od);
		grens_access_result_free(orr);
		grens_access_network_free(own);
	}
	/* runs over different origins are not comparable */
	grens_access_result *other = NULL;
	CHECK_INT(grens_access_run(&other, an, origins, 1, &o, &err), 0);
	grens_access_delta *d2 = NULL;
	uint32_t n2;
	if (other)
		CHECK_INT(grens_access_compare(&d2, &n2, br, other, &err), GRENS_EARG);
	free(d2);
	grens_access_result_free(other);
done:
	free(d);
	grens_access_result_free(br);
	grens_access_result_free(ar);
	grens_access_network_free(bn);
	grens_access_network_free(an);
	grens_net_free(base_tt);
	grens_net_free(alt_tt);
	grens_access_places_free(pl);
}

/* The deadline-skipping run against one-to-all at every step, on a real
 * feed: every place and stop time at every percentile must agree. Places sit
 * about 110 m north of every 7th stop so that access walks differ and an
 * origin has several groups of stops. */
static void crosscheck_feed(const char *shared, const char *zip)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/data/gtfs/%s", shared, zip);
	grens_gtfs_feed *feed = NULL;
	grens_timetable *tt = NULL;
	grens_access_places *pl = NULL;
	grens_access_network *net = NULL;
	grens_access_result *fast = NULL, *slow = NULL;
	char *text = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "f";
	CHECK_INT(grens_gtfs_load(&feed, path, &go, NULL, &err), 0);
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	if (feed)
		CHECK_INT(
		    grens_net_build(&tt, (const grens_gtfs_feed *const *)&feed, 1, &no, NULL, &err),
		    0);
	if (!tt)
		goto done;
	/* the day of the first two weeks with the most trips */
	grens_date date = tt->first_date;
	uint32_t most = 0;
	for (uint32_t d = 0; d < 14 && d < tt->day_count; d++) {
		uint32_t n = 0;
		for (uint32_t t = 0; t < tt->trip_count; t++)
			n += grens_net_trip_runs(tt, t, tt->first_date + (int32_t)d);
		if (n > most) {
			most = n;
			date = tt->first_date + (int32_t)d;
		}
	}
	size_t cap = 1u << 20, len = 0;
	text = malloc(cap);
	if (!text)
		goto done;
	len += (size_t)snprintf(text, cap, "name,country,municipality_code,lat,lon,population\n");
	uint32_t places = 0;
	for (uint32_t s = 0; s < tt->stop_count && len + 200 < cap; s += 7) {
		if (isnan(tt->stop_lat[s]) || tt->stop_location_type[s] != 0)
			continue;
		len += (size_t)snprintf(text + len, cap - len, "P%u,US,C%u,%.6f,%.6f,%u\n", s, s,
					tt->stop_lat[s] + 0.001, tt->stop_lon[s], 100 + s);
		places++;
	}
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	CHECK_INT(grens_access_places_parse(pl, "generated.csv", text, len, NULL, NULL, &err), 0);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	CHECK_INT(grens_access_network_new(&net, tt, pl, &lo, NULL, &err), 0);
	if (!net)
		goto done;
	grens_access_origin origins[16];
	uint32_t n = 0, stops[4];
	for (uint32_t i = 0; i < 10 && i < places; i++)
		origins[n++] = (grens_access_origin){.place = i * (places / 10)};
	for (uint32_t i = 0; i < 4; i++) {
		stops[i] = (uint32_t)(((uint64_t)tt->stop_count * (2 * i + 1)) / 9);
		origins[n++] =
		    (grens_access_origin){.place = GRENS_NONE, .stops = &stops[i], .stop_count = 1};
	}
	grens_access_options o = GRENS_ACCESS_OPTIONS_INIT;
	o.date = date;
	o.window_start = 6 * 3600 + 30 * 60;
	o.window_end = 9 * 3600 + 30 * 60;
	o.percentile_count = 3;
	o.percentiles[0] = 10;
	o.percentiles[1] = 50;
	o.percentiles[2] = 90;
	o.keep_stop_times = true;
	o.threads = 2;
	CHECK_INT(grens_access_run(&fast, net, origins, n, &o, &err), 0);
	o.exhaustive = true;
	CHECK_INT(grens_access_run(&slow, net, origins, n, &o, &err), 0);
	if (!fast || !slow)
		goto done;
	uint32_t diffs = 0, reached = 0;
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t p = 0; p < 3; p++) {
			for (uint32_t q = 0; q < grens_access_places_count(pl); q++) {
				int32_t a = grens_access_result_place_time(fast, i, p, q);
				diffs += a != grens_access_result_place_time(slow, i, p, q);
				reached += a != GRENS_ACCESS_UNREACHED;
			}
			for (uint32_t s = 0; s < tt->stop_count; s++)
				diffs += grens_access_result_stop_time(fast, i, p, s) !=
					 grens_access_result_stop_time(slow, i, p, s);
			for (uint32_t c = 0; c < 3; c++)
				diffs += grens_access_result_opportunities(fast, i, p, c, 0) !=
					 grens_access_result_opportunities(slow, i, p, c, 0);
		}
	fprintf(stderr, "%s: %u origins, %u places, %u place times reached, %u differences\n", zip,
		n, grens_access_places_count(pl), reached, diffs);
	CHECK_INT(diffs, 0);
	CHECK(reached > n); /* the comparison is not vacuous */

	/* bounded to 60 min: the same up to 60 min, unreached beyond; the
	 * opportunities within the 60-min cutoff (index 0) unchanged */
	grens_access_result *bounded = NULL;
	o.exhaustive = false;
	o.max_duration = 3600;
	CHECK_INT(grens_access_run(&bounded, net, origins, n, &o, &err), 0);
	uint32_t bdiffs = 0, cut = 0;
	for (uint32_t i = 0; bounded && i < n; i++)
		for (uint32_t p = 0; p < 3; p++) {
			for (uint32_t q = 0; q < grens_access_places_count(pl); q++) {
				int32_t a = grens_access_result_place_time(slow, i, p, q);
				int32_t b = grens_access_result_place_time(bounded, i, p, q);
				cut += a != GRENS_ACCESS_UNREACHED && a > 3600;
				bdiffs += b != (a > 3600 ? GRENS_ACCESS_UNREACHED : a);
			}
			for (uint32_t s = 0; s < tt->stop_count; s++) {
				int32_t a = grens_access_result_stop_time(slow, i, p, s);
				bdiffs += grens_access_result_stop_time(bounded, i, p, s) !=
					  (a > 3600 ? GRENS_ACCESS_UNREACHED : a);
			}
			bdiffs += grens_access_result_opportunities(bounded, i, p, 0, 0) !=
				  grens_access_result_opportunities(slow, i, p, 0, 0);
		}
	fprintf(stderr, "%s bounded to 60 min: %u place times cut, %u differences\n", zip, cut,
		bdiffs);
	CHECK_INT(bdiffs, 0);
	grens_access_result_free(bounded);
done:
	free(text);
	grens_access_result_free(fast);
	grens_access_result_free(slow);
	grens_access_network_free(net);
	grens_access_places_free(pl);
	grens_net_free(tt);
	grens_gtfs_free(feed);
}

/* ---- the border: tests/fixtures/border-basic (its README.md) ---------------- */

static uint32_t stop_of(const grens_timetable *tt, const char *id)
{
	return grens_net_stop_by_id(tt, "x", id);
}

/* The cut itself: which stops are Dutch, which trips and parts remain, and
 * that the part after the excursion abroad is a trip of its own. */
static void test_border_cut(grens_timetable *tt)
{
	grens_error err;
	grens_error_clear(&err);
	uint8_t in[8] = {0};
	CHECK_INT(tt->stop_count, 6);
	/* S, H, V, M are in NL by coordinates; Aachen Hbf and Düren in DE */
	CHECK_INT(grens_net_stops_in_country(tt, "NL", in), 4);
	CHECK(in[stop_of(tt, "H")] && in[stop_of(tt, "S")] && in[stop_of(tt, "V")] &&
	      in[stop_of(tt, "M")]);
	CHECK(!in[stop_of(tt, "A")] && !in[stop_of(tt, "D")]);
	uint8_t de[8] = {0};
	CHECK_INT(grens_net_stops_in_country(tt, "DE", de), 2);
	grens_timetable *cut = NULL;
	CHECK_INT(grens_net_cut(&cut, tt, in, &err), 0);
	if (!cut)
		return;
	/* R1 (2 trips, M H A D) keeps M H: 1 pattern, 2 trips; R2 (S H A V M)
	 * keeps S H and V M: 2 patterns of 1 trip. 3 patterns, 4 trips,
	 * 2*2 + 2 + 2 = 8 stop times. */
	CHECK_INT(cut->pattern_count, 3);
	CHECK_INT(cut->trip_count, 4);
	CHECK_INT((int)cut->stop_time_count, 8);
	CHECK_INT(cut->stop_pattern_offset[stop_of(tt, "A") + 1] -
		      cut->stop_pattern_offset[stop_of(tt, "A")],
		  0);
	grens_route_raptor *ws = NULL, *ws_today = NULL;
	int32_t arr[8], arr_today[8];
	CHECK_INT(grens_route_raptor_new(&ws, cut, 8, &err), 0);
	CHECK_INT(grens_route_raptor_new(&ws_today, tt, 8, &err), 0);
	uint32_t from = stop_of(tt, "S");
	grens_route_query q = {.from = &from, .from_count = 1,
			       .date = grens_date_from_ymd(2026, 3, 10), .time = 7 * 3600};
	grens_route_options ro = GRENS_ROUTE_OPTIONS_INIT;
	if (ws && ws_today) {
		CHECK_INT(grens_route_raptor_one_to_all(ws, &q, &ro, arr, &err), 0);
		CHECK_INT(grens_route_raptor_one_to_all(ws_today, &q, &ro, arr_today, &err), 0);
		/* t2_0700 from S: H 07:15 on both; V 07:55 and M 08:05 only by
		 * staying on through Aachen, which the cut does not allow */
		CHECK_INT(arr[stop_of(tt, "H")], 7 * 3600 + 15 * 60);
		CHECK_INT(arr[stop_of(tt, "V")], GRENS_ROUTE_UNREACHED);
		CHECK_INT(arr[stop_of(tt, "M")], GRENS_ROUTE_UNREACHED);
		CHECK_INT(arr[stop_of(tt, "A")], GRENS_ROUTE_UNREACHED);
		CHECK_INT(arr_today[stop_of(tt, "V")], 7 * 3600 + 55 * 60);
		CHECK_INT(arr_today[stop_of(tt, "M")], 8 * 3600 + 5 * 60);
		/* the domestic part V -> M still runs: from V at 07:50, M 08:05 */
		from = stop_of(tt, "V");
		q.time = 7 * 3600 + 50 * 60;
		CHECK_INT(grens_route_raptor_one_to_all(ws, &q, &ro, arr, &err), 0);
		CHECK_INT(arr[stop_of(tt, "M")], 8 * 3600 + 5 * 60);
	}
	grens_route_raptor_free(ws);
	grens_route_raptor_free(ws_today);
	grens_net_free(cut);
}

/* A block continues on the cut only from a trip's own last stop to the next
 * trip's own first stop (tests/fixtures/border-basic/README.md, blocks). */
static void test_border_blocks(void)
{
	const char *blocks[] = {"blocks"};
	grens_timetable *tt = build(blocks, 1, 0.0);
	grens_timetable *cut = NULL;
	grens_error err;
	grens_error_clear(&err);
	uint8_t in[8] = {0};
	if (!tt)
		return;
	uint32_t b1 = grens_net_trip_by_id(tt, "blocks", "b1"),
		 b2 = grens_net_trip_by_id(tt, "blocks", "b2"),
		 b5 = grens_net_trip_by_id(tt, "blocks", "b5");
	CHECK(b1 != GRENS_NONE && b2 != GRENS_NONE && b5 != GRENS_NONE);
	CHECK_INT(tt->trip_block_next[b1], b2);
	CHECK(tt->trip_block_next[b5] != GRENS_NONE); /* b5 runs on as b6 */
	grens_net_stops_in_country(tt, "NL", in);
	CHECK_INT(grens_net_cut(&cut, tt, in, &err), 0);
	if (cut) {
		/* b1 (M H), b2 (H S), b5's part (S H), b6's part (V M) */
		CHECK_INT(cut->trip_count, 4);
		uint32_t c1 = GRENS_NONE, c2 = GRENS_NONE, c5 = GRENS_NONE, c6 = GRENS_NONE;
		for (uint32_t t = 0; t < cut->trip_count; t++) {
			const char *id = grens_net_str(cut, cut->trip_id[t]);
			if (strcmp(id, "b1") == 0)
				c1 = t;
			else if (strcmp(id, "b2") == 0)
				c2 = t;
			else if (strcmp(id, "b5") == 0)
				c5 = t;
			else if (strcmp(id, "b6") == 0)
				c6 = t;
		}
		CHECK(c1 != GRENS_NONE && c2 != GRENS_NONE && c5 != GRENS_NONE &&
		      c6 != GRENS_NONE);
		if (c1 != GRENS_NONE && c5 != GRENS_NONE) {
			CHECK_INT(cut->trip_block_next[c1], c2);
			CHECK_INT(cut->trip_block_next[c5], GRENS_NONE);
		}
	}
	grens_net_free(cut);
	grens_net_free(tt);
}

static void test_border_views(void)
{
	char saved[sizeof(fixture)];
	memcpy(saved, fixture, sizeof(fixture));
	const char *root = getenv("GRENS_SOURCE_ROOT");
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/border-basic", root ? root : ".");
	grens_access_places *pl = load_places("places.csv");
	const char *x[] = {"x"};
	grens_timetable *tt = build(x, 1, 0.0);
	grens_access_network *net = NULL;
	grens_access_border *b = NULL;
	grens_error err;
	grens_error_clear(&err);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	lo.access_time = 0; /* every tie 0 s: the times below are the timetable's */
	if (!pl || !tt || grens_access_network_new(&net, tt, pl, &lo, NULL, &err) != 0)
		goto done;
	test_border_cut(tt);
	test_border_blocks();
	/* origins PH, PM, PS, PV; departures 07:00, 07:05, 07:10 (p50 = the 2nd
	 * of the 3 sorted times, p90 = the 3rd); cutoffs 30, 60 min */
	grens_access_origin origins[4] = {{.place = 0}, {.place = 1}, {.place = 2}, {.place = 3}};
	grens_access_options o = GRENS_ACCESS_OPTIONS_INIT;
	o.date = grens_date_from_ymd(2026, 3, 10);
	o.window_start = 7 * 3600;
	o.window_end = 7 * 3600 + 10 * 60;
	o.step = 300;
	o.cutoff_count = 2;
	o.cutoffs[0] = 30 * 60;
	o.cutoffs[1] = 60 * 60;
	o.percentile_count = 2;
	o.percentiles[0] = 50;
	o.percentiles[1] = 90;
	o.max_duration = 60 * 60;
	CHECK_INT(grens_access_border_run(&b, net, "NL", origins, 4, &o, &err), 0);
	if (!b)
		goto done;
	const grens_access_view N = GRENS_ACCESS_VIEW_NATIONAL, Z = GRENS_ACCESS_VIEW_CLOSED_BORDER,
				T = GRENS_ACCESS_VIEW_TODAY;
	/* PH today, leaving H at 07:00 / 07:05 / 07:10:
	 *   A by t2 07:35: 35 / 30 / 25 min   (p50 30, p90 35)
	 *   V by t2 07:55: 55 / 50 / 45       (p50 50, p90 55)
	 *   M by t2 08:05: 65 / 60 / 55       (p50 60, p90 65)
	 *   D by t1 07:20 -> 08:00: 60 / 55 / 50 (p50 55, p90 60)
	 *   PX at H: 0.  S: no trip from H.
	 * p50 30 min: PH 1 + PX 10000 + PA 100000 = 110001
	 * p50 60 min: + PV 1000 + PM 10 + PD 1000000 = 1111011
	 * p90 30 min: PH + PX = 10001 (A 35 > 30)
	 * p90 60 min: PH + PX + PA + PV + PD = 1111001 (M 65 > 60)
	 * On the cut every kept part ends at H (M -> H, S -> H) or runs V -> M:
	 * nothing leaves H, so PH reaches only itself and PX at H:
	 * national 1 (PH), closed border 10001 (PH + PX) in all four. */
	CHECK_NEAR(grens_access_border_value(b, 0, T, 0, 0, 0), 110001, 1e-9);
	CHECK_NEAR(grens_access_border_value(b, 0, T, 0, 1, 0), 1111011, 1e-9);
	CHECK_NEAR(grens_access_border_value(b, 0, T, 1, 0, 0), 10001, 1e-9);
	CHECK_NEAR(grens_access_border_value(b, 0, T, 1, 1, 0), 1111001, 1e-9);
	for (uint32_t p = 0; p < 2; p++)
		for (uint32_t c = 0; c < 2; c++) {
			CHECK_NEAR(grens_access_border_value(b, 0, N, p, c, 0), 1, 1e-9);
			CHECK_NEAR(grens_access_border_value(b, 0, Z, p, c, 0), 10001, 1e-9);
		}
	/* PM: t1 07:00 / t3 07:10 / t3 07:10 -> H 20 / 25 / 20, A 40 / 45 / 40,
	 * D 60 / 65 / 60 (p50 20, 40, 60); PX with H. p50 60 min today:
	 * PM 10 + PH 1 + PX 10000 + PA 100000 + PD 1000000 = 1110011; on the
	 * cut M -> H remains: national PM + PH = 11, closed border 10011. */
	CHECK_NEAR(grens_access_border_value(b, 1, T, 0, 1, 0), 1110011, 1e-9);
	CHECK_NEAR(grens_access_border_value(b, 1, Z, 0, 1, 0), 10011, 1e-9);
	CHECK_NEAR(grens_access_border_value(b, 1, N, 0, 1, 0), 11, 1e-9);
	/* PS: only t2 07:00 leaves S, so 2 of the 3 departures reach nothing:
	 * p50 unreached everywhere, PS itself only: 100 in every view. */
	for (uint32_t v = 0; v < 3; v++)
		CHECK_NEAR(grens_access_border_value(b, 2, (grens_access_view)v, 0, 1, 0), 100,
			   1e-9);
	/* PV: t2 leaves V 07:55, M 08:05: 65 / 60 / 55 (p50 60) on both networks
	 * (V -> M is a domestic part): 1000 + 10 = 1010 in every view. */
	for (uint32_t v = 0; v < 3; v++)
		CHECK_NEAR(grens_access_border_value(b, 3, (grens_access_view)v, 0, 1, 0), 1010,
			   1e-9);
	/* ranks at p50 within 60 min. national: PV 1010, PS 100, PM 11, PH 1;
	 * today: PH 1111011, PM 1110011, PV 1010, PS 100. */
	uint32_t rank[4];
	CHECK_INT(grens_access_border_rank(rank, b, NULL, N, 0, 1, 0), 0);
	CHECK_INT(rank[0], 4);
	CHECK_INT(rank[1], 3);
	CHECK_INT(rank[2], 2);
	CHECK_INT(rank[3], 1);
	CHECK_INT(grens_access_border_rank(rank, b, NULL, T, 0, 1, 0), 0);
	CHECK_INT(rank[0], 1);
	CHECK_INT(rank[1], 2);
	CHECK_INT(rank[2], 4);
	CHECK_INT(rank[3], 3);
	const uint8_t among[4] = {1, 0, 1, 1}; /* without PM */
	CHECK_INT(grens_access_border_rank(rank, b, among, T, 0, 1, 0), 0);
	CHECK_INT(rank[1], 0);
	CHECK_INT(rank[3], 2);
	/* never negative: for every origin, place and percentile the time today
	 * is at most the time on the cut, so every sum grows view by view */
	const grens_access_result *rc = grens_access_border_result(b, N),
				  *rt = grens_access_border_result(b, T);
	for (uint32_t i = 0; i < 4; i++)
		for (uint32_t p = 0; p < 2; p++) {
			for (uint32_t q = 0; q < grens_access_places_count(pl); q++)
				CHECK(grens_access_result_place_time(rt, i, p, q) <=
				      grens_access_result_place_time(rc, i, p, q));
			for (uint32_t c = 0; c < 2; c++) {
				double n = grens_access_border_value(b, i, N, p, c, 0),
				       z = grens_access_border_value(b, i, Z, p, c, 0),
				       t = grens_access_border_value(b, i, T, p, c, 0);
				CHECK(n <= z && z <= t);
			}
		}
	uint32_t kept, before, after;
	grens_access_border_counts(b, &kept, &before, &after);
	CHECK_INT(kept, 4);
	CHECK_INT(before, 3);
	CHECK_INT(after, 4);
done:
	grens_access_border_free(b);
	grens_access_network_free(net);
	grens_net_free(tt);
	grens_access_places_free(pl);
	memcpy(fixture, saved, sizeof(fixture));
}

static void test_crosscheck(void)
{
	const char *shared = getenv("GRENS_SHARED");
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/DESIGN.md", shared ? shared : "");
	FILE *f = shared ? fopen(probe, "r") : NULL;
	if (!f) {
		fprintf(stderr, "shared data absent: cross-check on real feeds skipped\n");
		return;
	}
	fclose(f);
	crosscheck_feed(shared, "caltrain-2023-ct.zip");
	crosscheck_feed(shared, "wmata-rail-2026.zip");
}

/* ---- the access job (grens_report_access_run) --------------------------------------- */

/* The document as parsed JSON (the caller's). */
static json_t *job_json(const grens_report_access *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	CHECK(m != NULL);
	if (!m)
		return NULL;
	CHECK_INT(grens_report_access_write(doc, GRENS_REPORT_ACCESS_JSON, m, NULL), 0);
	fclose(m);
	json_error_t je;
	json_t *j = buf ? json_loads(buf, 0, &je) : NULL;
	free(buf);
	CHECK(json_is_object(j));
	return j;
}

/* origins[o].accessibility[e][key] as an integer (-1 when absent). */
static json_int_t job_value(const json_t *doc, size_t o, size_t e, const char *key)
{
	const json_t *v = json_object_get(
	    json_array_get(json_object_get(json_array_get(json_object_get(doc, "origins"), o),
					   "accessibility"),
			   e),
	    key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* The whole job on feed x of access-basic: the integration test's figures
 * (tests/integration/test_access.py) come out of one library call, as do
 * its refusals. */
static void test_access_job(void)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/x", fixture);
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "x";
	grens_gtfs_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	CHECK_INT(grens_gtfs_load(&feed, path, &go, NULL, &err), 0);
	grens_access_places *pl = load_places("places.csv");
	const grens_gtfs_feed *feeds[1] = {feed};
	const char *files[1] = {"some/dir/places.csv"};
	const char *from[1] = {"PA"};

	grens_report_access_job job = GRENS_REPORT_ACCESS_JOB_INIT;
	job.source.feeds = feeds;
	job.source.feed_count = 1;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	job.source.options = no;
	job.places = pl;
	job.places_files = files;
	job.places_file_count = 1;
	job.from = from;
	job.from_count = 1;
	job.options.date = grens_date_from_ymd(2026, 3, 10);
	job.options.window_start = 7 * 3600;
	job.options.window_end = 7 * 3600 + 20 * 60;
	job.options.step = 300;
	job.options.cutoff_count = 3;
	job.options.cutoffs[0] = 30 * 60;
	job.options.cutoffs[1] = 60 * 60;
	job.options.cutoffs[2] = 120 * 60;
	job.options.max_duration = -1;

	/* one origin, PA: p50 PA 100 + PB 1000 within 30 min, + PC 10000 within
	 * 60, + PD 100000 and PE 1000000 (by a feeder to C) within 120 */
	grens_report_access *doc = NULL;
	grens_diag *diag = grens_diag_new();
	CHECK_INT(grens_report_access_run(&doc, &job, diag, &err), 0);
	json_t *j = doc ? job_json(doc) : NULL;
	if (j) {
		const json_t *meta = json_object_get(j, "meta");
		CHECK_STR(json_string_value(json_array_get(json_object_get(meta, "feeds"), 0)), "x");
		CHECK_STR(json_string_value(
			      json_array_get(json_object_get(meta, "places_files"), 0)),
			  "places.csv");
		CHECK_INT((int)json_integer_value(json_object_get(meta, "origins_total")), 1);
		/* the default bound: the largest cutoff */
		CHECK_INT((int)json_integer_value(json_object_get(meta, "max_duration_min")), 120);
		CHECK_INT((int)json_integer_value(json_object_get(
			      json_object_get(json_object_get(json_object_get(meta, "access"),
							      "ties"),
					      "feeder"),
			      "places")),
			  1);
		CHECK(json_is_array(json_object_get(meta, "notes")));
		CHECK_INT((int)json_array_size(json_object_get(j, "origins")), 1);
		CHECK_INT((int)job_value(j, 0, 0, "population"), 1100);
		CHECK_INT((int)job_value(j, 0, 1, "population"), 11100);
		CHECK_INT((int)job_value(j, 0, 2, "population"), 1111100);
	}
	json_decref(j);
	grens_report_access_free(doc);
	doc = NULL;

	/* a scenario: without R2 and walking only, PD is out of reach within
	 * 120 min: 111100 -> 11100 */
	char sc_path[4200];
	snprintf(sc_path, sizeof(sc_path), "%s/no-r2.yaml", fixture);
	grens_scenario *sc = NULL;
	CHECK_INT(grens_scenario_load(&sc, sc_path, &err), 0);
	grens_report_access_job sj = job;
	sj.scenario = sc;
	sj.options.cutoff_count = 1;
	sj.options.cutoffs[0] = 120 * 60;
	sj.link.modes = GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK);
	CHECK_INT(grens_report_access_run(&doc, &sj, diag, &err), 0);
	j = doc ? job_json(doc) : NULL;
	if (j) {
		const json_t *meta = json_object_get(j, "meta");
		CHECK_STR(json_string_value(json_object_get(json_object_get(meta, "comparison"),
							    "kind")),
			  "scenario");
		CHECK_STR(json_string_value(json_object_get(json_object_get(meta, "comparison"),
							    "alternative")),
			  "x+no-r2");
		CHECK_INT((int)job_value(j, 0, 0, "base"), 111100);
		CHECK_INT((int)job_value(j, 0, 0, "alternative"), 11100);
		CHECK_INT((int)job_value(j, 0, 0, "delta"), -100000);
	}
	json_decref(j);
	grens_report_access_free(doc);
	doc = NULL;

	/* refusals, with the command's words */
	const char *nowhere[1] = {"Nowhere"};
	grens_report_access_job bad = job;
	bad.from = nowhere;
	CHECK_INT(grens_report_access_run(&doc, &bad, diag, &err), GRENS_EARG);
	CHECK(strncmp(err.message, "--from 'Nowhere' matches no stop", 32) == 0);
	CHECK(doc == NULL);
	bad = job;
	bad.options.date = grens_date_from_ymd(2040, 1, 1);
	CHECK_INT(grens_report_access_run(&doc, &bad, diag, &err), GRENS_ENOTFOUND);
	CHECK(strstr(err.message, "outside the service period") != NULL);
	bad = job;
	bad.sensitivity = true;
	CHECK_INT(grens_report_access_run(&doc, &bad, diag, &err), GRENS_EARG);
	bad = job;
	bad.version = 0;
	CHECK_INT(grens_report_access_run(&doc, &bad, diag, &err), GRENS_EINVAL);
	CHECK_INT(grens_report_access_run(NULL, &job, diag, &err), GRENS_EINVAL);
	/* PA is Dutch: the German border views refuse it */
	bad = job;
	bad.border = true;
	bad.home = "DE";
	bad.sets[0] = (grens_report_access_assumption){1500.0, 1.2, 1.2, 120, 300};
	CHECK_INT(grens_report_access_run(&doc, &bad, diag, &err), GRENS_EARG);
	CHECK(strstr(err.message, "'PA' is in NL") != NULL);
	CHECK(doc == NULL);

	grens_diag_free(diag);
	grens_scenario_free(sc);
	grens_access_places_free(pl);
	grens_gtfs_free(feed);
}

/* The job on a snapshot of a generated timetable: two stations 3 km apart,
 * A (place PA, 10 people) and B (place PB, 1000), one train an hour A 07:05
 * -> B 07:20. From PA at 07:00 and 07:05 (two steps) the train arrives at
 * 07:20: 20 and 15 min, p50 (nearest rank 1 of 2) 15 min, so PB counts
 * within 30 min but not within 10. A scenario is applied to the snapshot. */
static void test_access_job_snapshot(void)
{
	const grens_net_plain_stop stops[2] = {
	    {.id = "a", .name = "Aa", .lat = 52.0, .lon = 5.0, .parent = GRENS_NONE},
	    {.id = "b", .name = "Bb", .lat = 52.027, .lon = 5.0, .parent = GRENS_NONE}};
	const grens_net_plain_route route = {.id = "r", .short_name = "R", .type = 2};
	const uint32_t at[2] = {0, 1};
	const int32_t times[2] = {7 * 3600 + 300, 7 * 3600 + 1200};
	grens_net_plain_trip trip = {.id = "t", .stop_count = 2, .stops = at, .arrivals = times,
				     .block_next = GRENS_NONE};
	const uint64_t days = 0x7f;
	grens_net_plain plain = GRENS_NET_PLAIN_INIT;
	plain.feed = "gen";
	plain.timezone = "Europe/Amsterdam";
	plain.first_date = grens_date_from_ymd(2026, 3, 9);
	plain.day_count = 7;
	plain.service_days = &days;
	plain.service_count = 1;
	plain.stops = stops;
	plain.stop_count = 2;
	plain.routes = &route;
	plain.route_count = 1;
	plain.trips = &trip;
	plain.trip_count = 1;
	grens_error err;
	grens_error_clear(&err);
	grens_timetable *built = NULL, *snap = NULL;
	CHECK_INT(grens_net_build_plain(&built, NULL, &plain, &err), 0);
	char path[] = "/tmp/grens-test-access-job-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	CHECK(f != NULL);
	if (!built || !f)
		return;
	CHECK_INT(grens_net_snapshot_write(built, f, "{}", NULL, &err), 0);
	fclose(f);
	CHECK_INT(grens_net_snapshot_load(&snap, path, &err), 0);
	unlink(path);

	static const char csv[] = "name,country,municipality_code,lat,lon,population\n"
				  "PA,NL,GM0001,52.0,5.0,10\n"
				  "PB,NL,GM0002,52.027,5.0,1000\n";
	grens_access_places *pl = NULL;
	CHECK_INT(grens_access_places_new(&pl, &err), 0);
	CHECK_INT(grens_access_places_parse(pl, "gen.csv", csv, strlen(csv), NULL, NULL, &err), 0);
	const char *from[1] = {"PA"};
	grens_report_access_job job = GRENS_REPORT_ACCESS_JOB_INIT;
	job.source.snapshot = snap;
	job.places = pl;
	job.from = from;
	job.from_count = 1;
	job.options.date = grens_date_from_ymd(2026, 3, 10);
	job.options.window_start = 7 * 3600;
	job.options.window_end = 7 * 3600 + 300;
	job.options.step = 300;
	job.options.cutoff_count = 2;
	job.options.cutoffs[0] = 10 * 60;
	job.options.cutoffs[1] = 30 * 60;
	job.link.access_time = 0; /* the station is the place: no walk */
	job.link.modes = GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK);
	grens_report_access *doc = NULL;
	CHECK_INT(grens_report_access_run(&doc, &job, NULL, &err), 0);
	json_t *j = doc ? job_json(doc) : NULL;
	if (j) {
		CHECK_STR(json_string_value(json_array_get(
			      json_object_get(json_object_get(j, "meta"), "feeds"), 0)),
			  "gen");
		CHECK_INT((int)job_value(j, 0, 0, "population"), 10);
		CHECK_INT((int)job_value(j, 0, 1, "population"), 1010);
	}
	json_decref(j);
	grens_report_access_free(doc);
	doc = NULL;

	/* every place as an origin: PB reaches no other place (no train back) */
	job.from_count = 0;
	CHECK_INT(grens_report_access_run(&doc, &job, NULL, &err), 0);
	j = doc ? job_json(doc) : NULL;
	if (j) {
		CHECK_INT((int)json_array_size(json_object_get(j, "origins")), 2);
		CHECK_INT((int)job_value(j, 1, 1, "population"), 1000);
	}
	json_decref(j);
	grens_report_access_free(doc);
	doc = NULL;

	grens_scenario *sc = NULL;
	static const char yaml[] = "name: none\nedits: []\n";
	if (grens_scenario_parse(&sc, yaml, strlen(yaml), NULL, &err) == 0) {
		job.scenario = sc;
		/* applied to the snapshot itself (nothing to build): a comparison
		 * of the base with an unchanged copy */
		CHECK_INT(grens_report_access_run(&doc, &job, NULL, &err), 0);
		j = doc ? job_json(doc) : NULL;
		CHECK(j != NULL);
		json_decref(j);
		grens_report_access_free(doc);
		doc = NULL;
	}
	grens_scenario_free(sc);
	grens_access_places_free(pl);
	grens_net_free(snap);
	grens_net_free(built);
}

int main(void)
{
	const char *root = getenv("GRENS_SOURCE_ROOT");
	snprintf(fixture, sizeof(fixture), "%s/tests/fixtures/access-basic", root ? root : ".");
	test_helpers();
	test_places();
	test_window();
	test_threads_and_shards();
	test_modes();
	test_border_effect();
	test_border_views();
	test_crosscheck();
	test_access_job();
	test_access_job_snapshot();
	return check_exit();
}
