/* Building the routable timetable from loaded GTFS feeds.
 *
 * Trips are grouped into patterns (same route, same stop sequence, same
 * pick-up/drop-off flags), each pattern's trips sorted by departure and split
 * where one trip would overtake another, so that within a pattern the trips
 * are ordered at every stop and a router can binary-search the first
 * boardable trip. All final arrays live in one arena. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

/* ---- small growable vectors (temporary, malloc'd) ------------------------- */

static int vec_reserve(void **v, size_t *cap, size_t elem, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return GRENS_ENOMEM;
		ncap *= 2;
	}
	size_t bytes;
	if (grens_size_mul(ncap, elem, &bytes))
		return GRENS_ENOMEM;
	void *p = realloc(*v, bytes);
	if (!p)
		return GRENS_ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

#define VEC(T)                                                                                   \
	struct {                                                                                  \
		T *v;                                                                             \
		size_t n, cap;                                                                    \
	}
#define VEC_PUSH(vec, x)                                                                         \
	(vec_reserve((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v), (vec).n + 1)              \
		 ? GRENS_ENOMEM                                                                   \
		 : ((vec).v[(vec).n++] = (x), 0))

/* ---- string pool with de-duplication ---------------------------------------- */

struct pool_entry {
	UT_hash_handle hh;
	uint32_t offset;
	uint32_t len;
};

struct strpool {
	char *buf;
	size_t len, cap;
	struct pool_entry *hash;
	struct pool_entry *entries; /* blocks of entries, freed at the end */
	VEC(struct pool_entry *) blocks;
	size_t block_used;
};

#define POOL_BLOCK 4096

static int pool_add(struct strpool *p, const char *s, uint32_t *out)
{
	int hash_oom = 0;
	if (!s)
		s = "";
	size_t len = strlen(s);
	struct pool_entry *e = NULL;
	/* The key of an entry lives in the pool buffer, which may move: look up
	 * by content, then compare through the current buffer. */
	unsigned hv;
	HASH_VALUE(s, len, hv);
	HASH_FIND_BYHASHVALUE(hh, p->hash, s, len, hv, e);
	if (e) {
		*out = e->offset;
		return 0;
	}
	if (p->len + len + 1 > UINT32_MAX)
		return GRENS_ELIMIT;
	if (vec_reserve((void **)&p->buf, &p->cap, 1, p->len + len + 1))
		return GRENS_ENOMEM;
	if (!p->blocks.n || p->block_used == POOL_BLOCK) {
		struct pool_entry *block = calloc(POOL_BLOCK, sizeof(*block));
		if (!block || VEC_PUSH(p->blocks, block)) {
			free(block);
			return GRENS_ENOMEM;
		}
		p->block_used = 0;
	}
	e = &p->blocks.v[p->blocks.n - 1][p->block_used++];
	e->offset = (uint32_t)p->len;
	e->len = (uint32_t)len;
	memcpy(p->buf + p->len, s, len);
	p->buf[p->len + len] = '\0';
	p->len += len + 1;
	HASH_ADD_KEYPTR_BYHASHVALUE(hh, p->hash, p->buf + e->offset, len, hv, e);
	if (hash_oom)
		return GRENS_ENOMEM;
	*out = e->offset;
	return 0;
}

/* uthash keeps key pointers; after the buffer moves they dangle. Re-point
 * them after every growth. Cheaper: rebuild pointers lazily. We do it here. */
static void pool_fix_keys(struct strpool *p)
{
	struct pool_entry *e, *tmp;
	HASH_ITER(hh, p->hash, e, tmp)
	{
		e->hh.key = p->buf + e->offset;
	}
}

static int pool_add_fixed(struct strpool *p, const char *s, uint32_t *out)
{
	char *old = p->buf;
	/* A lookup with a stale key pointer would read freed memory: make sure
	 * the buffer can hold the string before searching. */
	size_t len = s ? strlen(s) : 0;
	if (vec_reserve((void **)&p->buf, &p->cap, 1, p->len + len + 1))
		return GRENS_ENOMEM;
	if (p->buf != old)
		pool_fix_keys(p);
	return pool_add(p, s, out);
}

static void pool_free(struct strpool *p)
{
	HASH_CLEAR(hh, p->hash);
	for (size_t i = 0; i < p->blocks.n; i++)
		free(p->blocks.v[i]);
	free(p->blocks.v);
	free(p->buf);
}

/* ---- pattern grouping ---------------------------------------------------------- */

struct group {
	UT_hash_handle hh;
	uint32_t first_trip; /* source trip list through group_next */
	uint32_t last_trip;
	uint32_t trip_count;
	uint32_t key_len; /* in uint32 words */
	uint32_t key[];   /* route, stop count, then (stop, flags) pairs */
};

/* A source trip: feed and index in that feed. */
struct source_trip {
	uint32_t feed;
	uint32_t trip;
};

struct builder {
	const grens_gtfs_feed *const *feeds;
	uint32_t feed_count;
	const grens_net_options *opts;
	grens_diag *diag;
	grens_error *err;
	grens_timetable *tt;
	struct strpool pool;

	uint32_t *stop_base, *route_base, *service_base, *trip_base; /* [feed] */
	uint32_t source_trip_count;
	struct source_trip *source; /* [source trip] */
	uint32_t *group_next;       /* [source trip] */
	uint32_t *new_index;        /* [source trip] final trip index or GRENS_NONE */
	struct group *groups;       /* hash */
	VEC(struct group *) group_list;
	uint64_t event_count;
};

static const grens_gtfs_stop_time *trip_stop_times(const grens_gtfs_feed *f, uint32_t t)
{
	return f->stop_times + f->trips[t].first_stop_time;
}

static uint8_t stop_flags(const grens_gtfs_stop_time *st)
{
	uint8_t fl = 0;
	if (st->pickup_type == 1)
		fl |= GRENS_NET_NO_PICKUP;
	if (st->drop_off_type == 1)
		fl |= GRENS_NET_NO_DROP_OFF;
	return fl;
}

/* Check a trip's times: all present, never decreasing. */
static int trip_times_ok(const grens_gtfs_feed *f, uint32_t t)
{
	const grens_gtfs_trip *trip = &f->trips[t];
	const grens_gtfs_stop_time *st = trip_stop_times(f, t);
	int32_t prev = INT32_MIN;
	for (uint32_t i = 0; i < trip->stop_time_count; i++) {
		if (st[i].arrival == GRENS_TIME_NONE || st[i].departure == GRENS_TIME_NONE)
			return 0;
		if (st[i].arrival < prev || st[i].departure < st[i].arrival)
			return 0;
		prev = st[i].departure;
	}
	return 1;
}

static int group_trips(struct builder *b)
{
	int hash_oom = 0;
	int rc = 0;
	uint32_t *key = NULL;
	size_t key_cap = 0;
	for (uint32_t s = 0; s < b->source_trip_count; s++) {
		const grens_gtfs_feed *f = b->feeds[b->source[s].feed];
		uint32_t t = b->source[s].trip;
		const grens_gtfs_trip *trip = &f->trips[t];
		b->group_next[s] = GRENS_NONE;
		b->new_index[s] = GRENS_NONE;
		if (trip->stop_time_count < 2) {
			grens_diag_add(b->diag, "trip_with_fewer_than_two_stops",
				       GRENS_SEVERITY_WARNING, "trips.txt", 0, "trip_id",
				       "%s: trip '%s' has %u stop time(s); not routable", f->name,
				       trip->id, trip->stop_time_count);
			continue;
		}
		if (!trip_times_ok(f, t)) {
			grens_diag_add(b->diag, "trip_with_unusable_times", GRENS_SEVERITY_ERROR,
				       "stop_times.txt", 0, "arrival_time",
				       "%s: trip '%s' has missing or decreasing times; not routable",
				       f->name, trip->id);
			continue;
		}
		size_t words = 2 + 2 * (size_t)trip->stop_time_count;
		if (vec_reserve((void **)&key, &key_cap, sizeof(uint32_t), words)) {
			rc = GRENS_ENOMEM;
			goto out;
		}
		const grens_gtfs_stop_time *st = trip_stop_times(f, t);
		key[0] = b->route_base[b->source[s].feed] + trip->route;
		key[1] = trip->stop_time_count;
		for (uint32_t i = 0; i < trip->stop_time_count; i++) {
			key[2 + 2 * i] = b->stop_base[b->source[s].feed] + st[i].stop;
			key[3 + 2 * i] = stop_flags(&st[i]);
		}
		struct group *g = NULL;
		size_t key_bytes = words * sizeof(uint32_t);
		HASH_FIND(hh, b->groups, key, key_bytes, g);
		if (!g) {
			g = malloc(sizeof(*g) + key_bytes);
			if (!g || VEC_PUSH(b->group_list, g)) {
				free(g);
				rc = GRENS_ENOMEM;
				goto out;
			}
			g->first_trip = g->last_trip = s;
			g->trip_count = 1;
			g->key_len = (uint32_t)words;
			memcpy(g->key, key, key_bytes);
			HASH_ADD(hh, b->groups, key, key_bytes, g);
			if (hash_oom) {
				rc = GRENS_ENOMEM;
				goto out;
			}
		} else {
			b->group_next[g->last_trip] = s;
			g->last_trip = s;
			g->trip_count++;
		}
		b->event_count += trip->stop_time_count;
	}
out:
	free(key);
	return rc;
}

/* Sorting a group's trips: by departure at the first stop, then arrival at
 * each later stop, then source order (stable and deterministic). */
static int32_t src_dep(const struct builder *b, uint32_t s, uint32_t i)
{
	const grens_gtfs_feed *f = b->feeds[b->source[s].feed];
	const grens_gtfs_trip *trip = &f->trips[b->source[s].trip];
	return f->stop_times[trip->first_stop_time + i].departure + trip->time_offset;
}

static int32_t src_arr(const struct builder *b, uint32_t s, uint32_t i)
{
	const grens_gtfs_feed *f = b->feeds[b->source[s].feed];
	const grens_gtfs_trip *trip = &f->trips[b->source[s].trip];
	return f->stop_times[trip->first_stop_time + i].arrival + trip->time_offset;
}

static int cmp_trips(const void *a, const void *c, void *ctx)
{
	const struct builder *b = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)c;
	const grens_gtfs_feed *f = b->feeds[b->source[x].feed];
	uint32_t n = f->trips[b->source[x].trip].stop_time_count;
	for (uint32_t i = 0; i < n; i++) {
		int32_t dx = src_dep(b, x, i), dy = src_dep(b, y, i);
		if (dx != dy)
			return dx < dy ? -1 : 1;
		int32_t ax = src_arr(b, x, i), ay = src_arr(b, y, i);
		if (ax != ay)
			return ax < ay ? -1 : 1;
	}
	return x < y ? -1 : (x > y);
}

/* Does trip s stay at or behind trip prev at every stop? */
static int no_overtake(const struct builder *b, uint32_t prev, uint32_t s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (src_arr(b, s, i) < src_arr(b, prev, i) || src_dep(b, s, i) < src_dep(b, prev, i))
			return 0;
	return 1;
}

struct pattern_plan {
	uint32_t group;
	VEC(uint32_t) trips; /* source trips in final order */
};

struct plan_vec {
	struct pattern_plan *v;
	size_t n, cap;
};

static int plan_patterns(struct builder *b, struct plan_vec *plans)
{
	int rc = 0;
	uint32_t *sorted = NULL;
	size_t sorted_cap = 0;
	for (size_t gi = 0; gi < b->group_list.n; gi++) {
		struct group *g = b->group_list.v[gi];
		if (vec_reserve((void **)&sorted, &sorted_cap, sizeof(uint32_t), g->trip_count))
			return GRENS_ENOMEM;
		uint32_t k = 0;
		for (uint32_t s = g->first_trip; s != GRENS_NONE; s = b->group_next[s])
			sorted[k++] = s;
		qsort_r(sorted, k, sizeof(uint32_t), cmp_trips, b);
		uint32_t n = g->key[1];
		size_t first_plan = plans->n;
		for (uint32_t i = 0; i < k; i++) {
			size_t p;
			for (p = first_plan; p < plans->n; p++) {
				struct pattern_plan *pl = &plans->v[p];
				if (no_overtake(b, pl->trips.v[pl->trips.n - 1], sorted[i], n))
					break;
			}
			if (p == plans->n) {
				struct pattern_plan pl = { .group = (uint32_t)gi };
				if (VEC_PUSH(*plans, pl)) {
					rc = GRENS_ENOMEM;
					goto out;
				}
			}
			if (VEC_PUSH(plans->v[p].trips, sorted[i])) {
				rc = GRENS_ENOMEM;
				goto out;
			}
		}
		if (plans->n - first_plan > 1) {
			const struct source_trip *src = &b->source[g->first_trip];
			const grens_gtfs_feed *f = b->feeds[src->feed];
			grens_diag_add(b->diag, "pattern_split_for_overtaking", GRENS_SEVERITY_INFO,
				       "trips.txt", 0, "route_id",
				       "%s: a stop sequence of route '%s' was split into %zu patterns "
				       "because trips overtake each other",
				       f->name, f->routes[f->trips[src->trip].route].id,
				       plans->n - first_plan);
		}
	}
out:
	free(sorted);
	return rc;
}

/* ---- allocation helpers ---------------------------------------------------------- */

#define ARENA_ARRAY(b, ptr, n)                                                                   \
	((ptr) = grens_arena_calloc((b)->tt->arena, (n) ? (n) : 1, sizeof(*(ptr)), 8),           \
	 (ptr) ? 0 : GRENS_ENOMEM)

/* ---- service days ------------------------------------------------------------------ */

static int build_services(struct builder *b)
{
	grens_timetable *tt = b->tt;
	grens_date first = GRENS_DATE_NONE, last = GRENS_DATE_NONE;
	for (uint32_t f = 0; f < b->feed_count; f++) {
		const grens_gtfs_feed *feed = b->feeds[f];
		if (feed->first_service_date == GRENS_DATE_NONE)
			continue;
		if (first == GRENS_DATE_NONE || feed->first_service_date < first)
			first = feed->first_service_date;
		if (last == GRENS_DATE_NONE || feed->last_service_date > last)
			last = feed->last_service_date;
	}
	if (first == GRENS_DATE_NONE) {
		tt->first_date = 0;
		tt->day_count = 0;
	} else {
		int64_t days = (int64_t)last - first + 1;
		if (days > GRENS_LIMIT_SERVICE_DAYS) {
			grens_diag_add(b->diag, "service_range_truncated", GRENS_SEVERITY_WARNING,
				       "calendar.txt", 0, NULL,
				       "service dates span %lld days; only the first %d are routable",
				       (long long)days, GRENS_LIMIT_SERVICE_DAYS);
			days = GRENS_LIMIT_SERVICE_DAYS;
		}
		tt->first_date = first;
		tt->day_count = (uint32_t)days;
	}
	tt->words_per_service = (tt->day_count + 63) / 64;
	size_t words;
	if (grens_size_mul(tt->service_count, tt->words_per_service ? tt->words_per_service : 1,
			   &words))
		return GRENS_ELIMIT;
	if (ARENA_ARRAY(b, tt->service_days, words))
		return GRENS_ENOMEM;
	for (uint32_t f = 0; f < b->feed_count; f++) {
		const grens_gtfs_feed *feed = b->feeds[f];
		for (uint32_t s = 0; s < feed->service_count; s++) {
			uint64_t *w = tt->service_days +
				      (size_t)(b->service_base[f] + s) * tt->words_per_service;
			const grens_gtfs_service *sv = &feed->services[s];
			if (sv->has_calendar) {
				grens_date lo = sv->start_date > tt->first_date ? sv->start_date
										: tt->first_date;
				grens_date hi = sv->end_date;
				for (grens_date d = lo; d <= hi; d++) {
					int64_t day = (int64_t)d - tt->first_date;
					if (day >= (int64_t)tt->day_count)
						break;
					if (sv->weekdays & (1u << grens_date_weekday(d)))
						w[day >> 6] |= (uint64_t)1 << (day & 63);
				}
			}
			for (uint32_t e = 0; e < sv->exception_count; e++) {
				const grens_gtfs_service_exception *ex =
					&feed->exceptions[sv->first_exception + e];
				int64_t day = (int64_t)ex->date - tt->first_date;
				if (day < 0 || day >= (int64_t)tt->day_count)
					continue;
				if (ex->type == 1)
					w[day >> 6] |= (uint64_t)1 << (day & 63);
				else if (ex->type == 2)
					w[day >> 6] &= ~((uint64_t)1 << (day & 63));
			}
		}
	}
	return 0;
}

/* ---- stops, routes, feeds ---------------------------------------------------------- */

static int build_stops_routes(struct builder *b)
{
	grens_timetable *tt = b->tt;
	int rc;
	if (ARENA_ARRAY(b, tt->feed_name, b->feed_count) ||
	    ARENA_ARRAY(b, tt->feed_timezone, b->feed_count) ||
	    ARENA_ARRAY(b, tt->stop_feed, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_id, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_name, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_parent, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_location_type, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_lat, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_lon, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->stop_min_change, tt->stop_count) ||
	    ARENA_ARRAY(b, tt->route_feed, tt->route_count) ||
	    ARENA_ARRAY(b, tt->route_id, tt->route_count) ||
	    ARENA_ARRAY(b, tt->route_short_name, tt->route_count) ||
	    ARENA_ARRAY(b, tt->route_long_name, tt->route_count) ||
	    ARENA_ARRAY(b, tt->route_agency_name, tt->route_count) ||
	    ARENA_ARRAY(b, tt->route_type, tt->route_count))
		return GRENS_ENOMEM;
	for (uint32_t f = 0; f < b->feed_count; f++) {
		const grens_gtfs_feed *feed = b->feeds[f];
		if ((rc = pool_add_fixed(&b->pool, feed->name, &tt->feed_name[f])) ||
		    (rc = pool_add_fixed(&b->pool,
					 feed->agency_count ? feed->agencies[0].timezone : "",
					 &tt->feed_timezone[f])))
			return rc;
		for (uint32_t s = 0; s < feed->stop_count; s++) {
			const grens_gtfs_stop *st = &feed->stops[s];
			uint32_t g = b->stop_base[f] + s;
			tt->stop_feed[g] = f;
			if ((rc = pool_add_fixed(&b->pool, st->id, &tt->stop_id[g])) ||
			    (rc = pool_add_fixed(&b->pool, st->name, &tt->stop_name[g])))
				return rc;
			tt->stop_parent[g] =
				st->parent == GRENS_NONE ? GRENS_NONE : b->stop_base[f] + st->parent;
			tt->stop_location_type[g] = st->location_type;
			tt->stop_lat[g] = st->lat;
			tt->stop_lon[g] = st->lon;
			tt->stop_min_change[g] = b->opts->default_min_change;
		}
		for (uint32_t r = 0; r < feed->route_count; r++) {
			const grens_gtfs_route *rt = &feed->routes[r];
			uint32_t g = b->route_base[f] + r;
			tt->route_feed[g] = f;
			const char *agency = rt->agency < feed->agency_count
						     ? feed->agencies[rt->agency].name
						     : "";
			if ((rc = pool_add_fixed(&b->pool, rt->id, &tt->route_id[g])) ||
			    (rc = pool_add_fixed(&b->pool, rt->short_name,
						 &tt->route_short_name[g])) ||
			    (rc = pool_add_fixed(&b->pool, rt->long_name,
						 &tt->route_long_name[g])) ||
			    (rc = pool_add_fixed(&b->pool, agency, &tt->route_agency_name[g])))
				return rc;
			tt->route_type[g] = rt->type;
		}
	}
	return 0;
}

/* ---- patterns and trips --------------------------------------------------------------- */

static int build_patterns(struct builder *b)
{
	grens_timetable *tt = b->tt;
	int rc = 0;
	struct plan_vec plans = { 0 };
	if ((rc = group_trips(b)) || (rc = plan_patterns(b, &plans)))
		goto out;
	if (plans.n >= GRENS_NONE) {
		rc = GRENS_ELIMIT;
		goto out;
	}
	tt->pattern_count = (uint32_t)plans.n;
	uint64_t pattern_stops = 0, trips = 0;
	for (size_t p = 0; p < plans.n; p++) {
		pattern_stops += b->group_list.v[plans.v[p].group]->key[1];
		trips += plans.v[p].trips.n;
	}
	if (pattern_stops >= GRENS_NONE || trips >= GRENS_NONE) {
		rc = GRENS_ELIMIT;
		goto out;
	}
	tt->trip_count = (uint32_t)trips;
	tt->stop_time_count = b->event_count;
	if (ARENA_ARRAY(b, tt->pattern_route, plans.n) ||
	    ARENA_ARRAY(b, tt->pattern_stop_offset, plans.n + 1) ||
	    ARENA_ARRAY(b, tt->pattern_stops, pattern_stops) ||
	    ARENA_ARRAY(b, tt->pattern_stop_flags, pattern_stops) ||
	    ARENA_ARRAY(b, tt->pattern_trip_offset, plans.n + 1) ||
	    ARENA_ARRAY(b, tt->pattern_time_offset, plans.n) ||
	    ARENA_ARRAY(b, tt->stop_times, b->event_count) ||
	    ARENA_ARRAY(b, tt->trip_pattern, trips) || ARENA_ARRAY(b, tt->trip_service, trips) ||
	    ARENA_ARRAY(b, tt->trip_feed, trips) || ARENA_ARRAY(b, tt->trip_id, trips) ||
	    ARENA_ARRAY(b, tt->trip_short_name, trips) ||
	    ARENA_ARRAY(b, tt->trip_headsign, trips) ||
	    ARENA_ARRAY(b, tt->trip_block_next, trips) ||
	    ARENA_ARRAY(b, tt->trip_frequency_start, trips)) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	uint32_t ps = 0, tr = 0;
	uint64_t ev = 0;
	int32_t max_time = 0;
	for (size_t p = 0; p < plans.n; p++) {
		const struct group *g = b->group_list.v[plans.v[p].group];
		uint32_t n = g->key[1];
		tt->pattern_route[p] = g->key[0];
		tt->pattern_stop_offset[p] = ps;
		for (uint32_t i = 0; i < n; i++) {
			tt->pattern_stops[ps + i] = g->key[2 + 2 * i];
			tt->pattern_stop_flags[ps + i] = (uint8_t)g->key[3 + 2 * i];
		}
		ps += n;
		tt->pattern_trip_offset[p] = tr;
		tt->pattern_time_offset[p] = ev;
		for (size_t k = 0; k < plans.v[p].trips.n; k++) {
			uint32_t s = plans.v[p].trips.v[k];
			uint32_t fi = b->source[s].feed;
			const grens_gtfs_feed *f = b->feeds[fi];
			const grens_gtfs_trip *trip = &f->trips[b->source[s].trip];
			for (uint32_t i = 0; i < n; i++) {
				grens_net_stop_time *e = &tt->stop_times[ev + i];
				e->arrival = src_arr(b, s, i);
				e->departure = src_dep(b, s, i);
				if (e->departure > max_time)
					max_time = e->departure;
			}
			ev += n;
			tt->trip_pattern[tr] = (uint32_t)p;
			tt->trip_service[tr] = b->service_base[fi] + trip->service;
			tt->trip_feed[tr] = fi;
			tt->trip_frequency_start[tr] = trip->frequency_start;
			tt->trip_block_next[tr] = GRENS_NONE;
			if ((rc = pool_add_fixed(&b->pool, trip->id, &tt->trip_id[tr])) ||
			    (rc = pool_add_fixed(&b->pool, trip->short_name,
						 &tt->trip_short_name[tr])) ||
			    (rc = pool_add_fixed(&b->pool, trip->headsign, &tt->trip_headsign[tr])))
				goto out;
			b->new_index[s] = tr;
			tr++;
		}
	}
	tt->pattern_stop_offset[plans.n] = ps;
	tt->pattern_trip_offset[plans.n] = tr;
	tt->max_time = max_time;
out:
	for (size_t p = 0; p < plans.n; p++)
		free(plans.v[p].trips.v);
	free(plans.v);
	return rc;
}

/* Stay-seated continuations: within one feed, trips of the same block_id
 * and service ordered by departure; a trip continues the previous one when
 * it starts where the previous ended, no earlier than it arrived. */
struct block_item {
	const char *block;
	uint32_t service;
	int32_t first_dep;
	uint32_t trip; /* final index */
};

static int cmp_block(const void *a, const void *c)
{
	const struct block_item *x = a, *y = c;
	int r = strcmp(x->block, y->block);
	if (r)
		return r;
	if (x->service != y->service)
		return x->service < y->service ? -1 : 1;
	if (x->first_dep != y->first_dep)
		return x->first_dep < y->first_dep ? -1 : 1;
	return x->trip < y->trip ? -1 : (x->trip > y->trip);
}

static int build_blocks(struct builder *b)
{
	grens_timetable *tt = b->tt;
	VEC(struct block_item) items = { 0 };
	int rc = 0;
	uint32_t s = 0;
	for (uint32_t f = 0; f < b->feed_count; f++) {
		items.n = 0;
		const grens_gtfs_feed *feed = b->feeds[f];
		for (uint32_t t = 0; t < feed->trip_count; t++, s++) {
			if (b->new_index[s] == GRENS_NONE || !feed->trips[t].block_id[0])
				continue;
			uint32_t nt = b->new_index[s];
			uint32_t p = tt->trip_pattern[nt];
			uint64_t off = tt->pattern_time_offset[p] +
				       (uint64_t)(nt - tt->pattern_trip_offset[p]) *
					       (tt->pattern_stop_offset[p + 1] -
						tt->pattern_stop_offset[p]);
			struct block_item it = { feed->trips[t].block_id, tt->trip_service[nt],
						 tt->stop_times[off].departure, nt };
			if (VEC_PUSH(items, it)) {
				rc = GRENS_ENOMEM;
				goto out;
			}
		}
		if (items.n)
			qsort(items.v, items.n, sizeof(*items.v), cmp_block);
		for (size_t i = 0; i + 1 < items.n; i++) {
			const struct block_item *x = &items.v[i], *y = &items.v[i + 1];
			if (strcmp(x->block, y->block) || x->service != y->service)
				continue;
			uint32_t px = tt->trip_pattern[x->trip], py = tt->trip_pattern[y->trip];
			uint32_t nx = tt->pattern_stop_offset[px + 1] - tt->pattern_stop_offset[px];
			uint32_t last_stop = tt->pattern_stops[tt->pattern_stop_offset[px + 1] - 1];
			uint32_t first_stop = tt->pattern_stops[tt->pattern_stop_offset[py]];
			uint64_t xoff = tt->pattern_time_offset[px] +
					(uint64_t)(x->trip - tt->pattern_trip_offset[px]) * nx;
			int32_t last_arr = tt->stop_times[xoff + nx - 1].arrival;
			if (last_stop == first_stop && y->first_dep >= last_arr)
				tt->trip_block_next[x->trip] = y->trip;
		}
	}
out:
	free(items.v);
	return rc;
}

/* ---- stop -> patterns ---------------------------------------------------------------- */

static int build_stop_patterns(struct builder *b)
{
	grens_timetable *tt = b->tt;
	uint32_t total = tt->pattern_stop_offset[tt->pattern_count];
	if (ARENA_ARRAY(b, tt->stop_pattern_offset, (size_t)tt->stop_count + 1) ||
	    ARENA_ARRAY(b, tt->stop_patterns, total))
		return GRENS_ENOMEM;
	for (uint32_t i = 0; i < total; i++)
		tt->stop_pattern_offset[tt->pattern_stops[i] + 1]++;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		tt->stop_pattern_offset[s + 1] += tt->stop_pattern_offset[s];
	uint32_t *fill = calloc((size_t)tt->stop_count + 1, sizeof(uint32_t));
	if (!fill)
		return GRENS_ENOMEM;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		for (uint32_t i = tt->pattern_stop_offset[p]; i < tt->pattern_stop_offset[p + 1];
		     i++) {
			uint32_t s = tt->pattern_stops[i];
			grens_net_pattern_stop *ps =
				&tt->stop_patterns[tt->stop_pattern_offset[s] + fill[s]++];
			ps->pattern = p;
			ps->position = i - tt->pattern_stop_offset[p];
		}
	}
	free(fill);
	return 0;
}

int net_build_footpaths(grens_timetable *tt, const grens_gtfs_feed *const *feeds,
			uint32_t feed_count, const uint32_t *stop_base,
			const grens_net_options *opts, grens_diag *diag);

/* ---- entry point ------------------------------------------------------------------- */

int grens_net_build(grens_timetable **out, const grens_gtfs_feed *const *feeds, uint32_t feed_count,
		    const grens_net_options *opts, grens_diag *diag, grens_error *err)
{
	grens_net_options defaults = GRENS_NET_OPTIONS_INIT;
	struct builder b;
	int rc = 0;
	memset(&b, 0, sizeof(b));
	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (feed_count == 0)
		return grens_error_set(err, GRENS_EARG, "no feeds to build a timetable from");
	for (uint32_t i = 0; i < feed_count; i++)
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(feeds[i]->name, feeds[j]->name) == 0)
				return grens_error_set(err, GRENS_EARG,
						       "two feeds are named '%s'; feed names scope "
						       "ids and must differ",
						       feeds[i]->name);
	b.feeds = feeds;
	b.feed_count = feed_count;
	b.opts = opts;
	b.diag = diag;
	b.err = err;
	b.tt = calloc(1, sizeof(grens_timetable));
	if (!b.tt)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	b.tt->arena = grens_arena_new((size_t)8 << 20);
	b.stop_base = calloc(feed_count, sizeof(uint32_t));
	b.route_base = calloc(feed_count, sizeof(uint32_t));
	b.service_base = calloc(feed_count, sizeof(uint32_t));
	b.trip_base = calloc(feed_count, sizeof(uint32_t));
	if (!b.tt->arena || !b.stop_base || !b.route_base || !b.service_base || !b.trip_base) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	uint64_t stops = 0, routes = 0, services = 0, trips = 0;
	for (uint32_t f = 0; f < feed_count; f++) {
		b.stop_base[f] = (uint32_t)stops;
		b.route_base[f] = (uint32_t)routes;
		b.service_base[f] = (uint32_t)services;
		b.trip_base[f] = (uint32_t)trips;
		stops += feeds[f]->stop_count;
		routes += feeds[f]->route_count;
		services += feeds[f]->service_count;
		trips += feeds[f]->trip_count;
		if (stops >= GRENS_NONE || routes >= GRENS_NONE || services >= GRENS_NONE ||
		    trips >= GRENS_NONE) {
			rc = grens_error_set(err, GRENS_ELIMIT, "too many stops, routes or trips");
			goto fail;
		}
	}
	b.tt->feed_count = feed_count;
	b.tt->stop_count = (uint32_t)stops;
	b.tt->route_count = (uint32_t)routes;
	b.tt->service_count = (uint32_t)services;
	b.source_trip_count = (uint32_t)trips;
	b.source = calloc(trips ? trips : 1, sizeof(*b.source));
	b.group_next = calloc(trips ? trips : 1, sizeof(uint32_t));
	b.new_index = calloc(trips ? trips : 1, sizeof(uint32_t));
	if (!b.source || !b.group_next || !b.new_index) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	for (uint32_t f = 0, s = 0; f < feed_count; f++)
		for (uint32_t t = 0; t < feeds[f]->trip_count; t++, s++)
			b.source[s] = (struct source_trip){ f, t };

	grens_progress_report(&opts->progress, "building timetable", 0, 5);
	if ((rc = build_services(&b)) || (rc = build_stops_routes(&b)))
		goto fail;
	grens_progress_report(&opts->progress, "building timetable", 1, 5);
	if ((rc = build_patterns(&b)))
		goto fail;
	grens_progress_report(&opts->progress, "building timetable", 2, 5);
	if ((rc = build_blocks(&b)) || (rc = build_stop_patterns(&b)))
		goto fail;
	grens_progress_report(&opts->progress, "building timetable", 3, 5);
	if ((rc = net_build_footpaths(b.tt, feeds, feed_count, b.stop_base, opts, diag)))
		goto fail;
	grens_progress_report(&opts->progress, "building timetable", 4, 5);

	/* The string pool moves into the arena last: it is complete now. */
	b.tt->strings = grens_arena_alloc(b.tt->arena, b.pool.len ? b.pool.len : 1, 1);
	if (!b.tt->strings) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	if (b.pool.len)
		memcpy(b.tt->strings, b.pool.buf, b.pool.len);
	b.tt->strings_size = b.pool.len;
	if ((rc = net_index_build(b.tt, err)))
		goto fail;
	grens_progress_report(&opts->progress, "building timetable", 5, 5);
	*out = b.tt;
	b.tt = NULL;
	goto done;
fail:
	if (err && err->code == 0)
		grens_error_set(err, rc, "building the timetable failed: %s", grens_strerror(rc));
	grens_timetable_free(b.tt);
done: {
	struct group *g, *tmp;
	HASH_ITER(hh, b.groups, g, tmp)
	{
		HASH_DEL(b.groups, g);
	}
	for (size_t i = 0; i < b.group_list.n; i++)
		free(b.group_list.v[i]);
	free(b.group_list.v);
}
	pool_free(&b.pool);
	free(b.stop_base);
	free(b.route_base);
	free(b.service_base);
	free(b.trip_base);
	free(b.source);
	free(b.group_next);
	free(b.new_index);
	return rc;
}

void grens_timetable_free(grens_timetable *tt)
{
	if (!tt)
		return;
	net_index_free(tt->index);
	grens_arena_free(tt->arena);
	free(tt);
}

uint64_t grens_net_bytes(const grens_timetable *tt)
{
	return tt ? grens_arena_bytes(tt->arena) : 0;
}
