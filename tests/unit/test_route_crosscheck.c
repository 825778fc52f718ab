/* RAPTOR against Dijkstra on random networks.
 *
 * Each seed makes a small network: tens of stops, random lines with trips
 * from early morning to past 24:00, per-trip run times (so some trips
 * overtake and form their own patterns), dwell times, random pickup and
 * drop-off restrictions, calendars with weekday patterns and added/removed
 * dates, footpaths, per-stop change times and block continuations. Random
 * queries (a share after 22:00 and on exception dates) must give the same
 * earliest arrival from both routers; every journey is also replayed against
 * the timetable (legs connect, times match trips, change times and walks
 * hold). The Pareto set of a one-to-one query must be exactly the arrivals
 * that improve with each transfer allowed, each from a one-to-all query
 * with that many transfers (no target, so no target bound prunes it).
 * Range queries must match one query per departure step, and one-to-all
 * must match the per-destination arrival. A disagreement prints
 * seed, from, to, date and time so that it can be replayed with
 * GRENS_CROSSCHECK_SEED=<seed>. */
#include <unistd.h>

#include "check.h"
#include "grens/gtfs.h"
#include "grens/route.h"
#include "route_tt.h"
#include "snapshot_rt.h"

#define NET_DAYS 14

static uint64_t rng_state;
static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}
static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

#define MAX_TRIPS 400
static tb_trip trips[MAX_TRIPS];
static tb_footpath footpaths[128];
static uint64_t services[8];
static int32_t min_change[64];
static uint32_t trip_map[MAX_TRIPS];
static uint32_t service_weekdays[8];
static uint8_t change_forbidden[64];

static void make_network(tb_net *net, uint64_t seed)
{
	rng_state = seed;
	memset(net, 0, sizeof(*net));
	net->stop_count = 12 + rnd_below(18);
	net->first_date = grens_date_from_ymd(2026, 3, 2); /* a Monday */
	net->day_count = NET_DAYS;
	net->service_count = 2 + rnd_below(4);
	for (uint32_t s = 0; s < net->service_count; s++) {
		uint32_t weekdays = (uint32_t)rnd() & 0x7F;
		service_weekdays[s] = weekdays;
		uint64_t bits = 0;
		for (uint32_t d = 0; d < NET_DAYS; d++)
			if (weekdays & (1u << (d % 7)))
				bits |= 1ull << d;
		/* calendar_dates: a few added and removed dates */
		for (uint32_t e = rnd_below(4); e > 0; e--)
			bits ^= 1ull << rnd_below(NET_DAYS);
		services[s] = bits;
	}
	net->service_bits = services;
	for (uint32_t s = 0; s < net->stop_count; s++) {
		min_change[s] = (int32_t)rnd_below(4) * 60; /* 0, 60, 120 or 180 s */
		change_forbidden[s] = rnd_below(12) == 0;     /* transfers.txt type 3 */
		if (change_forbidden[s])
			min_change[s] = GRENS_NET_CHANGE_FORBIDDEN;
	}
	net->min_change = min_change;
	net->trips = trips;
	net->footpaths = footpaths;
	net->route_count = 6 + rnd_below(8);
	for (uint32_t r = 0; r < net->route_count; r++) {
		uint32_t n = 2 + rnd_below(6);
		uint32_t seq[8];
		for (uint32_t i = 0; i < n; i++) {
			uint32_t s;
			bool dup;
			do {
				s = rnd_below(net->stop_count);
				dup = false;
				for (uint32_t j = 0; j < i; j++)
					dup |= seq[j] == s;
			} while (dup);
			seq[i] = s;
		}
		uint8_t flags[8] = { 0 };
		for (uint32_t i = 0; i < n; i++)
			if (rnd_below(12) == 0)
				flags[i] = (uint8_t)(1 + rnd_below(3));
		uint32_t ntrips = 6 + rnd_below(18);
		for (uint32_t k = 0; k < ntrips && net->trip_count < MAX_TRIPS; k++) {
			tb_trip *t = &trips[net->trip_count];
			memset(t, 0, sizeof(*t));
			t->n = n;
			t->route = r;
			t->service = rnd_below(net->service_count);
			t->block_next = GRENS_NONE;
			/* departures 04:00 .. 27:00, so some run past 24:00 */
			int32_t time = 4 * 3600 + (int32_t)rnd_below(23 * 60) * 60;
			for (uint32_t i = 0; i < n; i++) {
				if (i > 0)
					time += 60 + (int32_t)rnd_below(15) * 60;
				t->stop[i] = seq[i];
				t->flags[i] = flags[i];
				t->arr[i] = time;
				if (i > 0 && i + 1 < n && rnd_below(3) == 0)
					time += 30 * (int32_t)(1 + rnd_below(2));
				t->dep[i] = time;
			}
			snprintf(t->id, sizeof(t->id), "r%ut%u", r, k);
			snprintf(t->headsign, sizeof(t->headsign), "s%u", seq[n - 1]);
			net->trip_count++;
		}
	}
	/* blocks: a trip continues as a later trip starting where it ends */
	uint8_t taken[MAX_TRIPS] = { 0 };
	for (uint32_t a = 0; a < net->trip_count; a++) {
		if (rnd_below(3) != 0)
			continue;
		const tb_trip *ta = &trips[a];
		for (uint32_t tries = 0; tries < 40; tries++) {
			uint32_t b = rnd_below(net->trip_count);
			const tb_trip *tb = &trips[b];
			if (b == a || taken[b] || tb->stop[0] != ta->stop[ta->n - 1] ||
			    tb->dep[0] < ta->arr[ta->n - 1] || tb->dep[0] > ta->arr[ta->n - 1] + 3600)
				continue;
			/* no cycles: b must not lead back to a */
			bool cycle = false;
			for (uint32_t x = b; x != GRENS_NONE; x = trips[x].block_next)
				cycle |= x == a;
			if (cycle)
				continue;
			trips[a].block_next = b;
			taken[b] = 1;
			break;
		}
	}
	uint32_t nf = rnd_below(12);
	for (uint32_t f = 0; f < nf; f++) {
		uint32_t x = rnd_below(net->stop_count), y = rnd_below(net->stop_count);
		if (x == y)
			continue;
		int32_t d = 60 + (int32_t)rnd_below(10) * 60;
		footpaths[net->footpath_count++] = (tb_footpath){ x, y, d };
		footpaths[net->footpath_count++] = (tb_footpath){ y, x, d };
	}
}

/* Replay a journey against the timetable; returns a reason or NULL. */
static const char *validate(const grens_timetable *tt, const grens_route_query *q,
			    const grens_route_result *res, uint32_t j, int32_t min_change_override)
{
	const grens_route_journey *jr = &res->journeys[j];
	const grens_route_leg *legs = res->legs + jr->leg_offset;
	uint32_t where = q->from[0];
	int32_t clock = q->time;
	bool after_vehicle = false;
	uint32_t rides = 0;
	for (uint32_t i = 0; i < jr->leg_count; i++) {
		const grens_route_leg *l = &legs[i];
		if (l->from_stop != where)
			return "legs do not connect";
		if (l->departure < clock)
			return "leg departs before the traveller is there";
		if (l->mode == GRENS_ROUTE_LEG_WALK) {
			if (i > 0 && !after_vehicle)
				return "two walks in a row";
			bool found = false;
			for (uint32_t f = tt->footpath_offset[where]; f < tt->footpath_offset[where + 1]; f++)
				if (tt->footpaths[f].to_stop == l->to_stop &&
				    tt->footpaths[f].duration == l->arrival - l->departure)
					found = true;
			if (!found)
				return "walk is not a footpath";
			after_vehicle = false;
		} else {
			uint32_t p = tt->trip_pattern[l->trip];
			uint32_t so = tt->pattern_stop_offset[p], n = tt->pattern_stop_offset[p + 1] - so;
			const grens_net_stop_time *st = grens_net_pattern_times(tt, p) +
							(uint64_t)(l->trip - tt->pattern_trip_offset[p]) * n;
			int32_t shift = l->service_day * 86400;
			if (!grens_net_trip_runs(tt, l->trip, q->date + l->service_day))
				return "trip does not run that day";
			if (tt->pattern_stops[so + l->board_position] != l->from_stop ||
			    tt->pattern_stops[so + l->alight_position] != l->to_stop ||
			    l->board_position >= l->alight_position)
				return "leg stops do not match the trip";
			if (st[l->board_position].departure + shift != l->departure ||
			    st[l->alight_position].arrival + shift != l->arrival)
				return "leg times do not match the trip";
			if (!l->stay_seated && (tt->pattern_stop_flags[so + l->board_position] &
						GRENS_NET_NO_PICKUP))
				return "boards where there is no pickup";
			bool seated_next = i + 1 < jr->leg_count && legs[i + 1].stay_seated;
			if (!seated_next && (tt->pattern_stop_flags[so + l->alight_position] &
					     GRENS_NET_NO_DROP_OFF))
				return "alights where there is no drop-off";
			if (l->stay_seated) {
				if (i == 0 || legs[i - 1].mode != GRENS_ROUTE_LEG_TRANSIT ||
				    tt->trip_block_next[legs[i - 1].trip] != l->trip ||
				    l->board_position != 0)
					return "stay-seated leg does not continue a block";
			} else {
				rides++;
				if (after_vehicle) {
					int32_t ch = min_change_override >= 0 ? min_change_override
									       : tt->stop_min_change[where];
					if (l->departure < clock + ch)
						return "change time not respected";
				}
			}
			if (seated_next && l->alight_position != n - 1)
				return "stay-seated from before the end of a trip";
			after_vehicle = true;
		}
		clock = l->arrival;
		where = l->to_stop;
	}
	if (where != q->to[0])
		return "journey does not end at the destination";
	if (clock != jr->arrival)
		return "journey arrival differs from its last leg";
	if (jr->transfers != (rides ? rides - 1 : 0))
		return "transfer count differs from the legs";
	return NULL;
}

static const char *mode_name;

static void report(const grens_timetable *tt, const char *what, uint64_t seed,
		   const grens_route_query *q, long long a, long long b)
{
	char date[16], time[16];
	grens_date_format_iso(q->date, date, sizeof(date));
	grens_time_format(q->time, time, sizeof(time));
	fprintf(stderr, "%s (%s): seed %llu from %s to %s date %s time %s: %lld vs %lld\n", what,
		mode_name, (unsigned long long)seed, grens_net_str(tt, tt->stop_id[q->from[0]]),
		q->to_count ? grens_net_str(tt, tt->stop_id[q->to[0]]) : "-", date, time, a, b);
}

static const char *gtfs_files[] = { "agency.txt", "stops.txt", "routes.txt", "trips.txt",
				     "stop_times.txt", "calendar.txt", "calendar_dates.txt",
				     "transfers.txt" };

static void remove_gtfs(const char *dir)
{
	char path[512];
	for (size_t i = 0; i < sizeof(gtfs_files) / sizeof(gtfs_files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, gtfs_files[i]);
		unlink(path);
	}
}

static FILE *open_in(const char *dir, const char *name, const char *header)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f)
		fprintf(f, "%s\n", header);
	return f;
}

static void put_gtfs_time(FILE *f, int32_t t)
{
	fprintf(f, "%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
}

/* Write the network as a GTFS feed (calendar.txt weekly patterns plus the
 * differing dates in calendar_dates.txt, block_id chains, transfers.txt for
 * change times, forbidden changes and footpaths), then load and build it. */
static grens_timetable *load_gtfs(const tb_net *net, const char *dir)
{
	FILE *f[8];
	f[0] = open_in(dir, "agency.txt", "agency_id,agency_name,agency_url,agency_timezone");
	f[1] = open_in(dir, "stops.txt", "stop_id,stop_name,stop_lat,stop_lon");
	f[2] = open_in(dir, "routes.txt", "route_id,agency_id,route_short_name,route_type");
	f[3] = open_in(dir, "trips.txt", "route_id,service_id,trip_id,block_id");
	f[4] = open_in(dir, "stop_times.txt",
		       "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,"
		       "drop_off_type");
	f[5] = open_in(dir, "calendar.txt",
		       "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
		       "start_date,end_date");
	f[6] = open_in(dir, "calendar_dates.txt", "service_id,date,exception_type");
	f[7] = open_in(dir, "transfers.txt", "from_stop_id,to_stop_id,transfer_type,min_transfer_time");
	for (int i = 0; i < 8; i++)
		if (!f[i])
			return NULL;
	fprintf(f[0], "A,Agency,https://example.org,Europe/Amsterdam\n");
	for (uint32_t s = 0; s < net->stop_count; s++) {
		fprintf(f[1], "s%u,Stop %u,%.4f,%.4f\n", s, s, 50.0 + 0.1 * (s / 8), 6.0 + 0.1 * (s % 8));
		if (change_forbidden[s])
			fprintf(f[7], "s%u,s%u,3,\n", s, s);
		else
			fprintf(f[7], "s%u,s%u,2,%d\n", s, s, min_change[s]);
	}
	for (uint32_t i = 0; i < net->footpath_count; i++)
		fprintf(f[7], "s%u,s%u,2,%d\n", net->footpaths[i].from, net->footpaths[i].to,
			net->footpaths[i].duration);
	for (uint32_t r = 0; r < net->route_count; r++)
		fprintf(f[2], "R%u,A,R%u,3\n", r, r);
	char start[16], end[16];
	int y, m, d;
	grens_date_to_ymd(net->first_date, &y, &m, &d);
	snprintf(start, sizeof(start), "%04d%02d%02d", y, m, d);
	grens_date_to_ymd(net->first_date + NET_DAYS - 1, &y, &m, &d);
	snprintf(end, sizeof(end), "%04d%02d%02d", y, m, d);
	for (uint32_t sv = 0; sv < net->service_count; sv++) {
		uint32_t w = service_weekdays[sv];
		fprintf(f[5], "svc%u,%u,%u,%u,%u,%u,%u,%u,%s,%s\n", sv, w & 1, (w >> 1) & 1,
			(w >> 2) & 1, (w >> 3) & 1, (w >> 4) & 1, (w >> 5) & 1, (w >> 6) & 1, start, end);
		for (uint32_t day = 0; day < NET_DAYS; day++) {
			unsigned weekly = (w >> (day % 7)) & 1, actual = (services[sv] >> day) & 1;
			if (weekly == actual)
				continue;
			grens_date_to_ymd(net->first_date + (grens_date)day, &y, &m, &d);
			fprintf(f[6], "svc%u,%04d%02d%02d,%d\n", sv, y, m, d, actual ? 1 : 2);
		}
	}
	/* block ids: one per chain, named after its first trip */
	uint32_t block[MAX_TRIPS];
	uint8_t targeted[MAX_TRIPS] = { 0 };
	for (uint32_t t = 0; t < net->trip_count; t++) {
		block[t] = GRENS_NONE;
		if (net->trips[t].block_next != GRENS_NONE)
			targeted[net->trips[t].block_next] = 1;
	}
	for (uint32_t t = 0; t < net->trip_count; t++)
		if (!targeted[t] && net->trips[t].block_next != GRENS_NONE)
			for (uint32_t x = t; x != GRENS_NONE; x = net->trips[x].block_next)
				block[x] = t;
	for (uint32_t t = 0; t < net->trip_count; t++) {
		const tb_trip *tr = &net->trips[t];
		fprintf(f[3], "R%u,svc%u,%s,", tr->route, tr->service, tr->id);
		if (block[t] != GRENS_NONE)
			fprintf(f[3], "b%u", block[t]);
		fprintf(f[3], "\n");
		for (uint32_t i = 0; i < tr->n; i++) {
			fprintf(f[4], "%s,", tr->id);
			put_gtfs_time(f[4], tr->arr[i]);
			fprintf(f[4], ",");
			put_gtfs_time(f[4], tr->dep[i]);
			fprintf(f[4], ",s%u,%u,%d,%d\n", tr->stop[i], i + 1,
				(tr->flags[i] & GRENS_NET_NO_PICKUP) ? 1 : 0,
				(tr->flags[i] & GRENS_NET_NO_DROP_OFF) ? 1 : 0);
		}
	}
	bool ok = true;
	for (int i = 0; i < 8; i++)
		ok &= fclose(f[i]) == 0;
	if (!ok)
		return NULL;
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "x";
	grens_gtfs_feed *feed = NULL;
	grens_timetable *tt = NULL;
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_load(&feed, dir, &go, diag, &err) != 0) {
		fprintf(stderr, "loading the generated feed: %s\n", err.message);
	} else {
		grens_net_options no = GRENS_NET_OPTIONS_INIT;
		if (grens_net_build(&tt, (const grens_gtfs_feed *const *)&feed, 1, &no, diag, &err))
			fprintf(stderr, "building the generated feed: %s\n", err.message);
	}
	grens_gtfs_free(feed);
	grens_diag_free(diag);
	return tt;
}

static uint32_t queries, reached, late, exception_days, seated, multi, pareto_checked,
	twin_checked;
static uint32_t range_departures, bound_cuts;

/* arrivals cut at a bound: later than limit is unreached */
static int32_t cut(int32_t a, int32_t limit)
{
	return a > limit ? GRENS_ROUTE_UNREACHED : a;
}

/* The range one-to-all and the arrival bound against independent queries:
 * a range over decreasing departures from up to three origins with random
 * offsets must give, at each departure, the least over the origins of a
 * one-to-all leaving each at its offset; with a bound, every router must
 * give the unbounded result cut at it (one-to-all, range, one-to-one RAPTOR
 * and Dijkstra, profile steps). */
static void check_range_all(const grens_timetable *tt, grens_route_raptor *raptor,
			    grens_route_dijkstra *dijkstra, const grens_route_query *q0,
			    const grens_route_options *o0, uint64_t seed)
{
	uint32_t n = tt->stop_count;
	int32_t *want = calloc(n, sizeof(int32_t)), *one = calloc(n, sizeof(int32_t));
	int32_t *got = calloc(n, sizeof(int32_t)), *bounded = calloc(n, sizeof(int32_t));
	grens_route_raptor *second = NULL, *ref = NULL;
	grens_error err;
	CHECK_INT(grens_route_raptor_new(&second, tt, GRENS_ROUTE_MAX_TRANSFERS, &err), 0);
	CHECK_INT(grens_route_raptor_new(&ref, tt, GRENS_ROUTE_MAX_TRANSFERS, &err), 0);
	if (!want || !one || !got || !bounded || !second || !ref)
		goto done;
	uint32_t from[3];
	int32_t offset[3];
	uint32_t nf = 1 + rnd_below(3);
	for (uint32_t i = 0; i < nf; i++) {
		from[i] = rnd_below(n);
		offset[i] = i == 0 ? 0 : (int32_t)rnd_below(20) * 60;
	}
	int32_t bound = (int32_t)(1 + rnd_below(6)) * 1800; /* 30 min .. 3 h */
	grens_route_query q = *q0;
	q.from = from;
	q.from_count = nf;
	q.to = NULL;
	q.to_count = 0;
	grens_route_options o = *o0, ob = *o0;
	ob.max_duration = bound;
	/* the same range twice, unbounded on one workspace, bounded on the other */
	CHECK_INT(grens_route_raptor_range_start(raptor, &q, offset, &o, &err), 0);
	CHECK_INT(grens_route_raptor_range_start(second, &q, offset, &ob, &err), 0);
	int32_t t = q0->time + 2 * 3600;
	for (uint32_t step = 0; step < 8; step++) {
		t -= (int32_t)rnd_below(4) * 300; /* sometimes the same departure again */
		if (t < 0)
			break;
		CHECK_INT(grens_route_raptor_range_next(raptor, t, got, &err), 0);
		CHECK_INT(grens_route_raptor_range_next(second, t, bounded, &err), 0);
		for (uint32_t s = 0; s < n; s++)
			want[s] = GRENS_ROUTE_UNREACHED;
		range_departures++;
		/* the reference on a workspace of its own: another query would end
		 * the range queries */
		grens_route_query single = q;
		for (uint32_t i = 0; i < nf; i++) {
			single.from = &from[i];
			single.from_count = 1;
			single.time = t + offset[i];
			CHECK_INT(grens_route_raptor_one_to_all(ref, &single, &o, one, &err), 0);
			for (uint32_t s = 0; s < n; s++)
				if (one[s] < want[s])
					want[s] = one[s];
		}
		uint32_t diffs = 0, bdiffs = 0;
		for (uint32_t s = 0; s < n; s++) {
			diffs += got[s] != want[s];
			bdiffs += bounded[s] != cut(want[s], t + bound);
			bound_cuts += want[s] != GRENS_ROUTE_UNREACHED && want[s] > t + bound;
		}
		CHECK_INT(diffs, 0);
		CHECK_INT(bdiffs, 0);
		if (diffs || bdiffs) {
			grens_route_query r = q;
			r.time = t;
			report(tt, "range one-to-all vs one-to-all", seed, &r, diffs, bdiffs);
			break;
		}
	}
	/* the bound on single queries: one-to-all, one-to-one and profile */
	CHECK_INT(grens_route_raptor_one_to_all(raptor, q0, &o, want, &err), 0);
	CHECK_INT(grens_route_raptor_one_to_all(raptor, q0, &ob, got, &err), 0);
	uint32_t diffs = 0;
	for (uint32_t s = 0; s < n; s++)
		diffs += got[s] != cut(want[s], q0->time + bound);
	CHECK_INT(diffs, 0);
	if (diffs)
		report(tt, "bounded one-to-all", seed, q0, diffs, bound);
	grens_route_result rr, br, dr;
	CHECK_INT(grens_route_raptor_route(raptor, q0, &o, &rr, &err), 0);
	int32_t ra = rr.journey_count ? rr.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
	CHECK_INT(grens_route_raptor_route(raptor, q0, &ob, &br, &err), 0);
	CHECK_INT(br.journey_count ? br.journeys[0].arrival : GRENS_ROUTE_UNREACHED,
		  cut(ra, q0->time + bound));
	CHECK_INT(grens_route_dijkstra_route(dijkstra, q0, &ob, &dr, &err), 0);
	CHECK_INT(dr.journey_count ? dr.journeys[0].arrival : GRENS_ROUTE_UNREACHED,
		  cut(ra, q0->time + bound));
	grens_route_profile_step a[7], b[7];
	CHECK_INT(grens_route_raptor_profile(raptor, q0, q0->time, q0->time + 6 * 600, 600, &o, a, &err),
		  0);
	CHECK_INT(grens_route_raptor_profile(raptor, q0, q0->time, q0->time + 6 * 600, 600, &ob, b, &err),
		  0);
	for (uint32_t i = 0; i < 7; i++) {
		int32_t w = cut(a[i].arrival, a[i].departure + bound);
		CHECK_INT(b[i].arrival, w);
		CHECK_INT(b[i].transfers, w == GRENS_ROUTE_UNREACHED ? -1 : a[i].transfers);
	}
done:
	grens_route_raptor_free(second);
	grens_route_raptor_free(ref);
	free(want);
	free(one);
	free(got);
	free(bounded);
}

/* Random queries on one timetable of the network made from seed. */
static void check_timetable(const grens_timetable *tt, const tb_net *net, uint64_t seed)
{
	rng_state = seed * 1000003u + 17;
	grens_route_raptor *raptor = NULL;
	grens_route_dijkstra *dijkstra = NULL;
	grens_error err;
	CHECK_INT(grens_route_raptor_new(&raptor, tt, GRENS_ROUTE_MAX_TRANSFERS, &err), 0);
	CHECK_INT(grens_route_dijkstra_new(&dijkstra, tt, &err), 0);
	if (!raptor || !dijkstra)
		return;
	/* a workspace sharing raptor's per-timetable arrays answers the same */
	grens_route_raptor *twin = NULL;
	CHECK_INT(grens_route_raptor_new_like(&twin, raptor, GRENS_ROUTE_MAX_TRANSFERS, &err), 0);
	int32_t *all = calloc(tt->stop_count, sizeof(int32_t));
	for (uint32_t qi = 0; qi < 120; qi++) {
		uint32_t from = rnd_below(tt->stop_count), to = rnd_below(tt->stop_count);
		grens_route_query q = { &from, 1, &to, 1, 0, 0 };
		/* dates from the day before the calendar to the day after it */
		q.date = net->first_date - 1 + (grens_date)rnd_below(NET_DAYS + 2);
		q.time = rnd_below(3) == 0 ? 22 * 3600 + (int32_t)rnd_below(4 * 3600)
					   : (int32_t)rnd_below(27 * 3600);
		grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
		o.max_transfers = GRENS_ROUTE_MAX_TRANSFERS;
		o.min_change = rnd_below(4) == 0 ? (int32_t)rnd_below(200) : -1;
		grens_route_result rr, dr;
		CHECK_INT(grens_route_raptor_route(raptor, &q, &o, &rr, &err), 0);
		CHECK_INT(grens_route_dijkstra_route(dijkstra, &q, &o, &dr, &err), 0);
		queries++;
		late += q.time >= 22 * 3600;
		int64_t day = (int64_t)q.date - net->first_date;
		if (day >= 0 && day < NET_DAYS) {
			for (uint32_t s = 0; s < net->service_count; s++) {
				bool weekly = day >= 7 ? ((services[s] >> (day - 7)) & 1)
						       : ((services[s] >> (day + 7)) & 1);
				if ((((services[s] >> day) & 1) != 0) != weekly) {
					exception_days++;
					break;
				}
			}
		}
		int32_t ra = rr.journey_count ? rr.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
		int32_t da = dr.journey_count ? dr.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
		CHECK_INT(ra, da);
		if (ra != da)
			report(tt, "raptor vs dijkstra arrival", seed, &q, ra, da);
		reached += ra != GRENS_ROUTE_UNREACHED;
		multi += rr.journey_count > 1;
		if (twin && qi % 4 == 0) {
			grens_route_result tr;
			CHECK_INT(grens_route_raptor_route(twin, &q, &o, &tr, &err), 0);
			bool same = tr.journey_count == rr.journey_count;
			for (uint32_t j = 0; same && j < rr.journey_count; j++) {
				const grens_route_journey *x = &rr.journeys[j], *y = &tr.journeys[j];
				same = x->arrival == y->arrival && x->transfers == y->transfers &&
				       x->leg_count == y->leg_count &&
				       memcmp(rr.legs + x->leg_offset, tr.legs + y->leg_offset,
					      x->leg_count * sizeof(*rr.legs)) == 0;
			}
			CHECK(same);
			if (!same)
				report(tt, "a workspace made like another differs", seed, &q,
				       (int32_t)tr.journey_count, (int32_t)rr.journey_count);
			twin_checked++;
		}
		for (uint32_t j = 0; j < rr.journey_count; j++) {
			const char *why = validate(tt, &q, &rr, j, o.min_change);
			CHECK(why == NULL);
			if (why)
				report(tt, why, seed, &q, j, 0);
			for (uint32_t i = 0; i < rr.journeys[j].leg_count; i++)
				seated += rr.legs[rr.journeys[j].leg_offset + i].stay_seated;
			/* Pareto order: arrival up, transfers strictly down */
			if (j > 0) {
				CHECK(rr.journeys[j].arrival > rr.journeys[j - 1].arrival);
				CHECK(rr.journeys[j].transfers < rr.journeys[j - 1].transfers);
			}
		}
		if (dr.journey_count) {
			const char *why = validate(tt, &q, &dr, 0, o.min_change);
			CHECK(why == NULL);
			if (why)
				report(tt, why, seed, &q, 0, 1);
		}
		/* the Pareto set is exactly the arrivals that improve with each
		 * transfer allowed, each from a one-to-all query (which has no
		 * target, so neither the rides nor the goal bound prunes it); with
		 * few transfers allowed (0 to 3 here, or all), the rides bound
		 * prunes hardest */
		if (qi % 3 == 0) {
			uint32_t most = (qi / 3) % 5 < 4 ? (qi / 3) % 5 : GRENS_ROUTE_MAX_TRANSFERS;
			grens_route_options ot = o;
			ot.max_transfers = most;
			grens_route_result pr;
			CHECK_INT(grens_route_raptor_route(raptor, &q, &ot, &pr, &err), 0);
			uint32_t want_n = 0, bad = 0;
			int32_t prev = GRENS_ROUTE_UNREACHED;
			for (uint32_t t = 0; t <= most && prev != da; t++) {
				ot.max_transfers = t;
				CHECK_INT(grens_route_raptor_one_to_all(raptor, &q, &ot, all, &err), 0);
				if (all[to] >= prev)
					continue;
				prev = all[to];
				/* journeys are listed by arrival, so this one comes last so far */
				uint32_t at = pr.journey_count - 1 - want_n++;
				if (at >= pr.journey_count || pr.journeys[at].arrival != all[to] ||
				    pr.journeys[at].transfers != t)
					bad++;
			}
			CHECK_INT(want_n, pr.journey_count);
			CHECK_INT(bad, 0);
			if (bad || want_n != pr.journey_count)
				report(tt, "Pareto set vs one-to-all by transfers", seed, &q,
				       (int32_t)pr.journey_count, (int32_t)want_n);
			pareto_checked++;
		}
		/* one-to-all agrees with the one-to-one arrival */
		if (qi % 8 == 0) {
			CHECK_INT(grens_route_raptor_one_to_all(raptor, &q, &o, all, &err), 0);
			CHECK_INT(all[to], ra);
			if (all[to] != ra)
				report(tt, "one-to-all vs one-to-one", seed, &q, all[to], ra);
		}
		if (qi % 8 == 4)
			check_range_all(tt, raptor, dijkstra, &q, &o, seed);
		/* range query: each step equals a one-off query at that time (the
		 * goal bound prunes profiles, so check them often) */
		if (qi % 6 == 0) {
			grens_route_profile_step steps[13];
			int32_t t0 = q.time;
			CHECK_INT(grens_route_raptor_profile(raptor, &q, t0, t0 + 12 * 300, 300, &o, steps,
						       &err),
				  0);
			for (uint32_t i = 0; i < 13; i++) {
				grens_route_query one = q;
				one.time = t0 + (int32_t)i * 300;
				CHECK_INT(grens_route_dijkstra_route(dijkstra, &one, &o, &dr, &err), 0);
				int32_t want = dr.journey_count ? dr.journeys[0].arrival
								: GRENS_ROUTE_UNREACHED;
				CHECK_INT(steps[i].arrival, want);
				/* and its transfers are the fewest for that arrival: those of
				 * the single query's earliest journey */
				grens_route_result one_r;
				CHECK_INT(grens_route_raptor_route(raptor, &one, &o, &one_r, &err), 0);
				int32_t want_tf = one_r.journey_count ? (int32_t)one_r.journeys[0].transfers
								      : -1;
				CHECK_INT(steps[i].transfers, want_tf);
				if (steps[i].transfers != want_tf)
					report(tt, "range step transfers vs raptor", seed, &one,
					       steps[i].transfers, want_tf);
				if (steps[i].arrival != want)
					report(tt, "range step vs dijkstra", seed, &one, steps[i].arrival,
					       want);
			}
		}
	}
	free(all);
	grens_route_raptor_free(twin);
	grens_route_raptor_free(raptor);
	grens_route_dijkstra_free(dijkstra);
}

int main(void)
{
	uint64_t first_seed = 1, seeds = 100;
	const char *env = getenv("GRENS_CROSSCHECK_SEED");
	if (env) {
		int64_t v;
		if (grens_parse_i64(env, strlen(env), 0, INT64_MAX, &v) == 0) {
			first_seed = (uint64_t)v;
			seeds = 1;
		}
	}
	char dir[] = "/tmp/grens-crosscheck-XXXXXX";
	if (!mkdtemp(dir)) {
		fprintf(stderr, "cannot make a temporary directory\n");
		return 1;
	}
	uint32_t gtfs_runs = 0, snapshot_runs = 0;
	for (uint64_t seed = first_seed; seed < first_seed + seeds; seed++) {
		tb_net net;
		make_network(&net, seed);
		/* 1: the network laid out directly */
		grens_timetable tt;
		tb_build(&net, &tt, trip_map);
		mode_name = "direct";
		check_timetable(&tt, &net, seed);
		tb_free(&tt);
		/* 2: the same network written as GTFS, loaded and built */
		mode_name = "gtfs";
		grens_timetable *built = load_gtfs(&net, dir);
		CHECK(built != NULL);
		if (built) {
			check_timetable(built, &net, seed);
			/* 3: that timetable written as a snapshot and mapped back */
			mode_name = "snapshot";
			grens_timetable *mapped = snapshot_roundtrip(built);
			CHECK(mapped != NULL);
			if (mapped) {
				check_timetable(mapped, &net, seed);
				grens_net_free(mapped);
				snapshot_runs++;
			}
			grens_net_free(built);
			gtfs_runs++;
		}
	}
	remove_gtfs(dir);
	rmdir(dir);
	fprintf(stderr,
		"%u queries (%u reached, %u after 22:00, %u on calendar exception dates, "
		"%u with several Pareto journeys, %u stay-seated legs, %u Pareto sets checked "
		"transfer by transfer, %u on a workspace made like another), %u networks through GTFS, "
		"%u through a snapshot; "
		"%u range one-to-all departures, %u arrivals cut by a bound\n",
		queries, reached, late, exception_days, multi, seated, pareto_checked, twin_checked,
		gtfs_runs,
		snapshot_runs,
		range_departures,
		bound_cuts);
	if (seeds > 1) {
		CHECK(queries >= 10000);
		CHECK(late > 1000);
		CHECK(exception_days > 100);
		CHECK(seated > 0);
		CHECK(pareto_checked > 1000);
		CHECK(twin_checked > 1000);
		CHECK(gtfs_runs == seeds);
		CHECK(snapshot_runs == seeds);
		CHECK(range_departures > 1000);
		CHECK(bound_cuts > 1000);
	}
	return check_exit();
}
