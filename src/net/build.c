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

#define VEC(T)                                                                                   \
	struct {                                                                                  \
		T *v;                                                                             \
		size_t n, cap;                                                                    \
	}
#define VEC_PUSH(vec, x)                                                                         \
	(grens_array_reserve((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v), (vec).n + 1)              \
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
	if (grens_array_reserve((void **)&p->buf, &p->cap, 1, p->len + len + 1))
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
	if (grens_array_reserve((void **)&p->buf, &p->cap, 1, p->len + len + 1))
		return GRENS_ENOMEM;
	if (p->buf != old)
		pool_fix_keys(p);
	return pool_add(p, s, out);
}

/* Append s without looking for an equal string: for ids that are unique
 * (trip ids), where the lookup would cost a hash insert per trip and save
 * nothing. The empty string still goes through the shared one. */
static int pool_append(struct strpool *p, const char *s, uint32_t *out)
{
	if (!s || !*s)
		return pool_add_fixed(p, "", out);
	char *old = p->buf;
	size_t len = strlen(s);
	if (p->len + len + 1 > UINT32_MAX)
		return GRENS_ELIMIT;
	if (grens_array_reserve((void **)&p->buf, &p->cap, 1, p->len + len + 1))
		return GRENS_ENOMEM;
	if (p->buf != old)
		pool_fix_keys(p);
	memcpy(p->buf + p->len, s, len + 1);
	*out = (uint32_t)p->len;
	p->len += len + 1;
	return 0;
}

static void pool_free(struct strpool *p)
{
	HASH_CLEAR(hh, p->hash);
	for (size_t i = 0; i < p->blocks.n; i++)
		free(p->blocks.v[i]);
	free(p->blocks.v);
	free(p->buf);
}

/* ---- service bitsets ------------------------------------------------------------ */

struct net_service_entry {
	UT_hash_handle hh;
	uint64_t hash;
	uint32_t index;
};

static uint64_t bits_hash(const uint64_t *w, uint32_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (uint32_t i = 0; i < n; i++) {
		h ^= w[i];
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	return h;
}

int net_services_add(struct net_services *sv, const uint64_t *bits, int dedupe, uint32_t *index)
{
	int hash_oom = 0;
	uint32_t words = sv->words ? sv->words : 1;
	uint64_t h = bits_hash(bits, words);
	struct net_service_entry *e = NULL;
	if (dedupe) {
		HASH_FIND(hh, sv->hash, &h, sizeof(h), e);
		if (e && memcmp(net_services_get(sv, e->index), bits, words * sizeof(uint64_t)) == 0) {
			*index = e->index;
			return 0;
		}
	}
	if (sv->count >= GRENS_NONE - 1)
		return GRENS_ELIMIT;
	if (sv->count == sv->cap) {
		uint32_t ncap = sv->cap ? sv->cap * 2 : 64;
		size_t bytes;
		if (ncap < sv->cap || grens_size_mul((size_t)ncap * words, sizeof(uint64_t), &bytes))
			return GRENS_ELIMIT;
		uint64_t *p = realloc(sv->bits, bytes);
		if (!p)
			return GRENS_ENOMEM;
		sv->bits = p;
		sv->cap = ncap;
	}
	memcpy(sv->bits + (size_t)sv->count * words, bits, words * sizeof(uint64_t));
	*index = sv->count++;
	if (!e) { /* first set with this hash: remember it for de-duplication */
		HASH_FIND(hh, sv->hash, &h, sizeof(h), e);
		if (!e) {
			e = malloc(sizeof(*e));
			if (!e)
				return GRENS_ENOMEM;
			e->hash = h;
			e->index = *index;
			HASH_ADD(hh, sv->hash, hash, sizeof(uint64_t), e);
			if (hash_oom) {
				free(e);
				return GRENS_ENOMEM;
			}
		}
	}
	return 0;
}

static void services_free(struct net_services *sv)
{
	struct net_service_entry *e, *tmp;
	HASH_ITER(hh, sv->hash, e, tmp)
	{
		HASH_DEL(sv->hash, e);
		free(e);
	}
	free(sv->bits);
}

/* ---- runs (net_src) ------------------------------------------------------------------ */

static const grens_gtfs_stop_time *trip_stop_times(const grens_gtfs_feed *f, uint32_t t)
{
	return f->stop_times + f->trips[t].first_stop_time;
}

static uint32_t primary_len(const struct net_ctx *c, uint32_t s)
{
	return c->feeds[c->src[s].feed]->trips[c->src[s].trip].stop_time_count;
}

uint32_t net_src_len(const struct net_ctx *c, uint32_t s)
{
	const struct net_src *r = &c->src[s];
	uint32_t n = primary_len(c, s);
	if (r->feed2 != GRENS_NONE)
		n += c->feeds[r->feed2]->trips[r->trip2].stop_time_count - r->skip2;
	return n;
}

/* The GTFS row behind position i: primary or continuation. */
static const grens_gtfs_stop_time *src_row(const struct net_ctx *c, uint32_t s, uint32_t i,
					   uint32_t *feed, int32_t *shift)
{
	const struct net_src *r = &c->src[s];
	uint32_t n1 = primary_len(c, s);
	const grens_gtfs_feed *f;
	uint32_t t;
	if (i < n1) {
		f = c->feeds[r->feed];
		t = r->trip;
		*feed = r->feed;
		*shift = r->shift + f->trips[t].time_offset;
	} else {
		f = c->feeds[r->feed2];
		t = r->trip2;
		i = i - n1 + r->skip2;
		*feed = r->feed2;
		*shift = r->shift2 + f->trips[t].time_offset;
	}
	return trip_stop_times(f, t) + i;
}

uint32_t net_src_stop(const struct net_ctx *c, uint32_t s, uint32_t i)
{
	uint32_t f;
	int32_t sh;
	const grens_gtfs_stop_time *st = src_row(c, s, i, &f, &sh);
	return c->stop_base[f] + st->stop;
}

int32_t net_src_arr(const struct net_ctx *c, uint32_t s, uint32_t i)
{
	uint32_t f;
	int32_t sh;
	const grens_gtfs_stop_time *st = src_row(c, s, i, &f, &sh);
	return st->arrival + sh;
}

int32_t net_src_dep(const struct net_ctx *c, uint32_t s, uint32_t i)
{
	/* At the joint of a joined run, the continuation's departure. */
	const struct net_src *r = &c->src[s];
	if (r->feed2 != GRENS_NONE && i + 1 == primary_len(c, s)) {
		const grens_gtfs_trip *t2 = &c->feeds[r->feed2]->trips[r->trip2];
		return trip_stop_times(c->feeds[r->feed2], r->trip2)[r->skip2 - 1].departure +
		       t2->time_offset + r->shift2;
	}
	uint32_t f;
	int32_t sh;
	const grens_gtfs_stop_time *st = src_row(c, s, i, &f, &sh);
	return st->departure + sh;
}

uint8_t net_src_flags(const struct net_ctx *c, uint32_t s, uint32_t i)
{
	uint32_t f;
	int32_t sh;
	const grens_gtfs_stop_time *st = src_row(c, s, i, &f, &sh);
	uint8_t fl = 0;
	if (st->drop_off_type == 1)
		fl |= GRENS_NET_NO_DROP_OFF;
	const struct net_src *r = &c->src[s];
	if (r->feed2 != GRENS_NONE && i + 1 == primary_len(c, s)) /* boarding the continuation */
		st = trip_stop_times(c->feeds[r->feed2], r->trip2) + r->skip2 - 1;
	if (st->pickup_type == 1)
		fl |= GRENS_NET_NO_PICKUP;
	return fl;
}

int net_src_push(struct net_ctx *c, const struct net_src *src)
{
	if (c->src_count >= GRENS_NONE - 1)
		return GRENS_ELIMIT;
	int rc = net_grow((void **)&c->src, &c->src_cap, sizeof(*c->src), c->src_count + 1);
	if (rc)
		return rc;
	c->src[c->src_count++] = *src;
	return 0;
}

/* ---- pattern grouping ---------------------------------------------------------- */

struct group {
	UT_hash_handle hh;
	uint32_t first_trip; /* run list through group_next */
	uint32_t last_trip;
	uint32_t trip_count;
	uint32_t key_len; /* in uint32 words */
	uint32_t key[];   /* route, stop count, then (stop, flags) pairs */
};

struct builder {
	struct net_ctx c;
	grens_error *err;
	grens_timetable *tt;
	struct strpool pool;

	uint32_t *group_next; /* [run] */
	uint32_t *new_index;  /* [run] final trip index or GRENS_NONE */
	struct group *groups; /* hash */
	VEC(struct group *) group_list;
	uint64_t event_count;
	int32_t **shift;           /* [feed][day] seconds into the query time base, or NULL */
	grens_net_feed_zone *zone_report; /* [feed] */
};

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
	const struct net_ctx *c = &b->c;
	for (uint32_t s = 0; s < c->src_count; s++) {
		b->group_next[s] = GRENS_NONE;
		b->new_index[s] = GRENS_NONE;
		if (c->src[s].service == GRENS_NONE)
			continue;
		uint32_t n = net_src_len(c, s);
		size_t words = 2 + 2 * (size_t)n;
		if (grens_array_reserve((void **)&key, &key_cap, sizeof(uint32_t), words)) {
			rc = GRENS_ENOMEM;
			goto out;
		}
		key[0] = c->route_base[c->src[s].feed] +
			 c->feeds[c->src[s].feed]->trips[c->src[s].trip].route;
		key[1] = n;
		for (uint32_t i = 0; i < n; i++) {
			key[2 + 2 * i] = net_src_stop(c, s, i);
			key[3 + 2 * i] = net_src_flags(c, s, i);
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
		b->event_count += n;
	}
out:
	free(key);
	return rc;
}

/* Sorting a group's trips: by departure at the first stop, then arrival at
 * each later stop, then run order (stable and deterministic). */
static int cmp_trips(const void *a, const void *x, void *ctx)
{
	const struct builder *b = ctx;
	uint32_t s = *(const uint32_t *)a, y = *(const uint32_t *)x;
	uint32_t n = net_src_len(&b->c, s);
	for (uint32_t i = 0; i < n; i++) {
		int32_t dx = net_src_dep(&b->c, s, i), dy = net_src_dep(&b->c, y, i);
		if (dx != dy)
			return dx < dy ? -1 : 1;
		int32_t ax = net_src_arr(&b->c, s, i), ay = net_src_arr(&b->c, y, i);
		if (ax != ay)
			return ax < ay ? -1 : 1;
	}
	return s < y ? -1 : (s > y);
}

/* Does trip s stay at or behind trip prev at every stop? */
static int no_overtake(const struct builder *b, uint32_t prev, uint32_t s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (net_src_arr(&b->c, s, i) < net_src_arr(&b->c, prev, i) ||
		    net_src_dep(&b->c, s, i) < net_src_dep(&b->c, prev, i))
			return 0;
	return 1;
}

struct pattern_plan {
	uint32_t group;
	VEC(uint32_t) trips; /* runs in final order */
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
		if (grens_array_reserve((void **)&sorted, &sorted_cap, sizeof(uint32_t), g->trip_count))
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
			const struct net_src *src = &b->c.src[g->first_trip];
			const grens_gtfs_feed *f = b->c.feeds[src->feed];
			grens_diag_add(b->c.diag, "pattern_split_for_overtaking", GRENS_SEVERITY_INFO,
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

/* ---- time zones ------------------------------------------------------------------- */

static const char *feed_zone(const grens_gtfs_feed *f)
{
	return f->agency_count ? f->agencies[0].timezone : "";
}

/* Load the query zone and each feed's zone; does any feed need shifting? */
static int load_zones(struct builder *b, const char **base_zone, int *any_shift)
{
	struct net_ctx *c = &b->c;
	const char *base = c->opts->timezone;
	*any_shift = 0;
	if (!base || !*base)
		base = feed_zone(c->feeds[0]);
	*base_zone = base;
	for (uint32_t f = 0; f < c->feed_count; f++) {
		const char *z = feed_zone(c->feeds[f]);
		for (uint32_t a = 1; a < c->feeds[f]->agency_count; a++)
			if (strcmp(c->feeds[f]->agencies[a].timezone, z) != 0)
				grens_diag_add(c->diag, "inconsistent_agency_timezone",
					       GRENS_SEVERITY_WARNING, "agency.txt", 0,
					       "agency_timezone",
					       "%s: agencies name different time zones; '%s' is used",
					       c->feeds[f]->name, z);
		if (z[0] && base[0] && strcmp(z, base) != 0)
			*any_shift = 1;
	}
	if (!*any_shift)
		return 0;
	grens_tz *base_tz = NULL, *tz = NULL;
	int rc = grens_tz_load(&base_tz, c->opts->zoneinfo_dir, base, b->err);
	if (rc)
		return rc;
	for (uint32_t f = 0; f < c->feed_count; f++) {
		const char *z = feed_zone(c->feeds[f]);
		if (!z[0] || strcmp(z, base) == 0)
			continue;
		rc = grens_tz_load(&tz, c->opts->zoneinfo_dir, z, b->err);
		if (rc) {
			grens_error_at(b->err, c->feeds[f]->path, 0, 0, "agency_timezone");
			goto out;
		}
		b->shift[f] = malloc((b->tt->day_count ? b->tt->day_count : 1) * sizeof(int32_t));
		if (!b->shift[f]) {
			rc = GRENS_ENOMEM;
			goto out;
		}
		/* Local noon of day d in either zone is the reference of GTFS
		 * times (noon minus 12 h), so the shift is the difference of the
		 * two offsets at noon. */
		for (uint32_t d = 0; d < b->tt->day_count; d++) {
			grens_date date = b->tt->first_date + (grens_date)d;
			b->shift[f][d] = grens_tz_noon_offset(base_tz, date) -
					 grens_tz_noon_offset(tz, date);
		}
		grens_tz_free(tz);
		tz = NULL;
	}
out:
	grens_tz_free(tz);
	grens_tz_free(base_tz);
	return rc;
}

/* ---- service days ------------------------------------------------------------------ */

static int build_services(struct builder *b, int extend)
{
	grens_timetable *tt = b->tt;
	struct net_ctx *c = &b->c;
	grens_date first = GRENS_DATE_NONE, last = GRENS_DATE_NONE;
	for (uint32_t f = 0; f < c->feed_count; f++) {
		const grens_gtfs_feed *feed = c->feeds[f];
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
		/* Times shifted into another zone may move a run to the day
		 * before the feed's first day: keep that day. */
		if (extend)
			first--;
		int64_t days = (int64_t)last - first + 1;
		if (days > GRENS_LIMIT_SERVICE_DAYS) {
			grens_diag_add(c->diag, "service_range_truncated", GRENS_SEVERITY_WARNING,
				       "calendar.txt", 0, NULL,
				       "service dates span %lld days; only the first %d are routable",
				       (long long)days, GRENS_LIMIT_SERVICE_DAYS);
			days = GRENS_LIMIT_SERVICE_DAYS;
		}
		tt->first_date = first;
		tt->day_count = (uint32_t)days;
	}
	tt->words_per_service = (tt->day_count + 63) / 64;
	c->services.words = tt->words_per_service ? tt->words_per_service : 1;
	uint64_t *w = calloc(c->services.words, sizeof(uint64_t));
	if (!w)
		return GRENS_ENOMEM;
	int rc = 0;
	for (uint32_t f = 0; f < c->feed_count && !rc; f++) {
		const grens_gtfs_feed *feed = c->feeds[f];
		for (uint32_t s = 0; s < feed->service_count && !rc; s++) {
			memset(w, 0, c->services.words * sizeof(uint64_t));
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
			uint32_t idx;
			rc = net_services_add(&c->services, w, 0, &idx);
		}
	}
	free(w);
	return rc;
}

/* ---- runs: every trip on its service days, in the query time base --------------------- */

/* Day-shifted copy of a bitset: bit d of out = bit d+1 of in (a run moved
 * to the previous service day). */
static void bits_back_one_day(const uint64_t *in, uint64_t *out, uint32_t words)
{
	for (uint32_t w = 0; w < words; w++)
		out[w] = in[w] >> 1 | (w + 1 < words ? in[w + 1] << 63 : 0);
}

struct variant {
	int32_t shift;
	uint32_t service;
};

static int build_runs(struct builder *b)
{
	struct net_ctx *c = &b->c;
	uint32_t words = c->services.words;
	int rc = 0;
	uint64_t *tmp = calloc(words, sizeof(uint64_t));
	uint64_t *moved = calloc(words, sizeof(uint64_t));
	struct variant *vars = NULL;
	uint32_t *var_offset = NULL;
	uint32_t var_count = 0, var_cap = 0;
	if (!tmp || !moved)
		goto oom;
	for (uint32_t f = 0; f < c->feed_count; f++) {
		const grens_gtfs_feed *feed = c->feeds[f];
		grens_net_feed_zone *zr = &b->zone_report[f];
		zr->shift_min = zr->shift_max = 0;
		const int32_t *sh = b->shift[f];
		/* Variants of each service: its days grouped by shift. */
		free(var_offset);
		var_offset = calloc((size_t)feed->service_count + 1, sizeof(uint32_t));
		if (!var_offset)
			goto oom;
		var_count = 0;
		int first_shift = 1;
		for (uint32_t s = 0; s < feed->service_count; s++) {
			uint32_t gs = c->service_base[f] + s;
			var_offset[s] = var_count;
			const uint64_t *bits = net_services_get(&c->services, gs);
			if (!sh) {
				rc = net_grow((void **)&vars, &var_cap, sizeof(*vars),
					      var_count + 1);
				if (rc)
					goto out;
				vars[var_count++] = (struct variant){ 0, gs };
				continue;
			}
			uint32_t first_var = var_count;
			for (uint32_t d = 0; d < b->tt->day_count; d++) {
				if (!((bits[d >> 6] >> (d & 63)) & 1u))
					continue;
				if (first_shift || sh[d] < zr->shift_min)
					zr->shift_min = sh[d];
				if (first_shift || sh[d] > zr->shift_max)
					zr->shift_max = sh[d];
				first_shift = 0;
				uint32_t v;
				for (v = first_var; v < var_count && vars[v].shift != sh[d]; v++)
					;
				if (v == var_count) {
					rc = net_grow((void **)&vars, &var_cap, sizeof(*vars),
						      var_count + 1);
					if (rc)
						goto out;
					vars[var_count++] = (struct variant){ sh[d], GRENS_NONE };
				}
			}
			if (var_count - first_var == 1) {
				vars[first_var].service = gs;
			} else {
				zr->services_split += var_count - first_var > 1;
				for (uint32_t v = first_var; v < var_count; v++) {
					memset(tmp, 0, words * sizeof(uint64_t));
					for (uint32_t d = 0; d < b->tt->day_count; d++)
						if (((bits[d >> 6] >> (d & 63)) & 1u) &&
						    sh[d] == vars[v].shift)
							tmp[d >> 6] |= (uint64_t)1 << (d & 63);
					rc = net_services_add(&c->services, tmp, 1,
							      &vars[v].service);
					if (rc)
						goto out;
				}
			}
		}
		var_offset[feed->service_count] = var_count;
		for (uint32_t t = 0; t < feed->trip_count; t++) {
			const grens_gtfs_trip *trip = &feed->trips[t];
			if (trip->stop_time_count < 2) {
				grens_diag_add(c->diag, "trip_with_fewer_than_two_stops",
					       GRENS_SEVERITY_WARNING, "trips.txt", 0, "trip_id",
					       "%s: trip '%s' has %u stop time(s); not routable",
					       feed->name, trip->id, trip->stop_time_count);
				continue;
			}
			if (!trip_times_ok(feed, t)) {
				grens_diag_add(c->diag, "trip_with_unusable_times",
					       GRENS_SEVERITY_ERROR, "stop_times.txt", 0,
					       "arrival_time",
					       "%s: trip '%s' has missing or decreasing times; not "
					       "routable",
					       feed->name, trip->id);
				continue;
			}
			int32_t first_time = trip_stop_times(feed, t)[0].arrival + trip->time_offset;
			for (uint32_t v = var_offset[trip->service];
			     v < var_offset[trip->service + 1]; v++) {
				struct net_src r = { f,	 t,    GRENS_NONE,	   GRENS_NONE, 0,
						     vars[v].shift, 0, vars[v].service, GRENS_NONE,
						     GRENS_NONE };
				if (first_time + r.shift < 0) {
					/* Before midnight of the base zone's service day: it
					 * belongs to the previous day. */
					r.shift += 86400;
					bits_back_one_day(net_services_get(&c->services, r.service),
							  moved, words);
					rc = net_services_add(&c->services, moved, 1, &r.service);
					if (rc)
						goto out;
					zr->trips_moved++;
				}
				rc = net_src_push(c, &r);
				if (rc)
					goto out;
			}
		}
	}
	goto out;
oom:
	rc = GRENS_ENOMEM;
out:
	free(tmp);
	free(moved);
	free(vars);
	free(var_offset);
	return rc;
}

/* ---- stops, routes, feeds ---------------------------------------------------------- */

static int build_stops_routes(struct builder *b)
{
	grens_timetable *tt = b->tt;
	const struct net_ctx *c = &b->c;
	int rc;
	if (ARENA_ARRAY(b, tt->feed_name, c->feed_count) ||
	    ARENA_ARRAY(b, tt->feed_timezone, c->feed_count) ||
	    ARENA_ARRAY(b, tt->feed_first_date, c->feed_count) ||
	    ARENA_ARRAY(b, tt->feed_last_date, c->feed_count) ||
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
	for (uint32_t f = 0; f < c->feed_count; f++) {
		const grens_gtfs_feed *feed = c->feeds[f];
		rc = pool_add_fixed(&b->pool, feed->name, &tt->feed_name[f]);
		if (!rc)
			rc = pool_add_fixed(&b->pool, feed_zone(feed), &tt->feed_timezone[f]);
		if (rc)
			return rc;
		b->zone_report[f].timezone = tt->feed_timezone[f];
		tt->feed_first_date[f] = feed->first_service_date;
		tt->feed_last_date[f] = feed->first_service_date == GRENS_DATE_NONE ||
						feed->declared_last_date < feed->last_service_date
					    ? feed->last_service_date
					    : feed->declared_last_date;
		for (uint32_t s = 0; s < feed->stop_count; s++) {
			const grens_gtfs_stop *st = &feed->stops[s];
			uint32_t g = c->stop_base[f] + s;
			tt->stop_feed[g] = f;
			rc = pool_add_fixed(&b->pool, st->id, &tt->stop_id[g]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, st->name, &tt->stop_name[g]);
			if (rc)
				return rc;
			tt->stop_parent[g] =
				st->parent == GRENS_NONE ? GRENS_NONE : c->stop_base[f] + st->parent;
			tt->stop_location_type[g] = st->location_type;
			tt->stop_lat[g] = st->lat;
			tt->stop_lon[g] = st->lon;
			tt->stop_min_change[g] = c->opts->default_min_change;
		}
		for (uint32_t r = 0; r < feed->route_count; r++) {
			const grens_gtfs_route *rt = &feed->routes[r];
			uint32_t g = c->route_base[f] + r;
			tt->route_feed[g] = f;
			const char *agency = rt->agency < feed->agency_count
						     ? feed->agencies[rt->agency].name
						     : "";
			rc = pool_add_fixed(&b->pool, rt->id, &tt->route_id[g]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, rt->short_name,
						    &tt->route_short_name[g]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, rt->long_name,
						    &tt->route_long_name[g]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, agency, &tt->route_agency_name[g]);
			if (rc)
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
	const struct net_ctx *c = &b->c;
	int rc = 0;
	struct plan_vec plans = { 0 };
	rc = group_trips(b);
	if (!rc)
		rc = plan_patterns(b, &plans);
	if (rc)
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
	tt->stop_time_split = b->event_count;
	if (ARENA_ARRAY(b, tt->pattern_route, plans.n) ||
	    ARENA_ARRAY(b, tt->pattern_stop_offset, plans.n + 1) ||
	    ARENA_ARRAY(b, tt->pattern_stops, pattern_stops) ||
	    ARENA_ARRAY(b, tt->pattern_stop_flags, pattern_stops) ||
	    ARENA_ARRAY(b, tt->pattern_trip_offset, plans.n + 1) ||
	    ARENA_ARRAY(b, tt->pattern_time_offset, plans.n) ||
	    ARENA_ARRAY(b, tt->stop_times, b->event_count) ||
	    net_trip_arrays_alloc(tt, tt->arena, NULL, trips)) {
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
			const struct net_src *r = &c->src[s];
			const grens_gtfs_feed *f = c->feeds[r->feed];
			const grens_gtfs_trip *trip = &f->trips[r->trip];
			for (uint32_t i = 0; i < n; i++) {
				grens_net_stop_time *e = &tt->stop_times[ev + i];
				e->arrival = net_src_arr(c, s, i);
				e->departure = net_src_dep(c, s, i);
				if (e->departure > max_time)
					max_time = e->departure;
			}
			ev += n;
			tt->trip_pattern[tr] = (uint32_t)p;
			tt->trip_service[tr] = r->service;
			tt->trip_feed[tr] = r->feed;
			tt->trip_frequency_start[tr] = trip->frequency_start == GRENS_TIME_NONE
							       ? GRENS_TIME_NONE
							       : trip->frequency_start + r->shift;
			tt->trip_block_next[tr] = GRENS_NONE;
			tt->trip_alt_feed[tr] = r->alt_feed;
			const char *alt = r->alt_feed == GRENS_NONE
						  ? ""
						  : c->feeds[r->alt_feed]->trips[r->alt_trip].id;
			rc = pool_append(&b->pool, trip->id, &tt->trip_id[tr]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, trip->short_name,
						    &tt->trip_short_name[tr]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, trip->headsign,
						    &tt->trip_headsign[tr]);
			if (!rc)
				rc = pool_add_fixed(&b->pool, alt, &tt->trip_alt_id[tr]);
			if (rc)
				goto out;
			b->new_index[s] = tr;
			tr++;
		}
	}
	tt->pattern_stop_offset[plans.n] = ps;
	tt->pattern_trip_offset[plans.n] = tr;
	tt->max_time = max_time;
	/* no trip merged from two feeds: no alternate ids to keep (a snapshot
	 * then leaves their two sections out, 8 bytes a trip) */
	bool alt = false;
	for (uint32_t t = 0; t < tr && !alt; t++)
		alt = tt->trip_alt_feed[t] != GRENS_NONE;
	if (!alt) {
		tt->trip_alt_feed = NULL;
		tt->trip_alt_id = NULL;
	}
	/* no trip from frequencies.txt: no frequency starts (4 bytes a trip) */
	bool freq = false;
	for (uint32_t t = 0; t < tr && !freq; t++)
		freq = tt->trip_frequency_start[t] != GRENS_TIME_NONE;
	if (!freq)
		tt->trip_frequency_start = NULL;
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
	const struct net_ctx *c = &b->c;
	VEC(struct block_item) items = { 0 };
	int rc = 0;
	for (uint32_t f = 0; f < c->feed_count; f++) {
		items.n = 0;
		const grens_gtfs_feed *feed = c->feeds[f];
		for (uint32_t s = 0; s < c->src_count; s++) {
			const struct net_src *r = &c->src[s];
			if (r->feed != f || r->feed2 != GRENS_NONE || b->new_index[s] == GRENS_NONE ||
			    !feed->trips[r->trip].block_id[0])
				continue;
			uint32_t nt = b->new_index[s];
			uint32_t p = tt->trip_pattern[nt];
			uint64_t off = tt->pattern_time_offset[p] +
				       (uint64_t)(nt - tt->pattern_trip_offset[p]) *
					       (tt->pattern_stop_offset[p + 1] -
						tt->pattern_stop_offset[p]);
			struct block_item it = { feed->trips[r->trip].block_id, tt->trip_service[nt],
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

/* Copy the service bitsets into the arena (used ones and derived ones). */
static int finish_services(struct builder *b)
{
	grens_timetable *tt = b->tt;
	const struct net_services *sv = &b->c.services;
	tt->service_count = sv->count;
	size_t words;
	if (grens_size_mul(sv->count ? sv->count : 1, sv->words, &words))
		return GRENS_ELIMIT;
	if (ARENA_ARRAY(b, tt->service_days, words))
		return GRENS_ENOMEM;
	if (sv->count && tt->words_per_service)
		memcpy(tt->service_days, sv->bits,
		       (size_t)sv->count * tt->words_per_service * sizeof(uint64_t));
	/* the feeds' services come first, at service_base: their GTFS ids */
	if (ARENA_ARRAY(b, tt->service_id, sv->count ? sv->count : 1))
		return GRENS_ENOMEM;
	uint32_t empty;
	int rc = pool_add_fixed(&b->pool, "", &empty);
	for (uint32_t i = 0; !rc && i < sv->count; i++)
		tt->service_id[i] = empty;
	for (uint32_t f = 0; !rc && f < b->c.feed_count; f++) {
		const grens_gtfs_feed *feed = b->c.feeds[f];
		for (uint32_t j = 0; !rc && j < feed->service_count; j++)
			if (b->c.service_base[f] + j < sv->count)
				rc = pool_add_fixed(&b->pool, feed->services[j].id,
						    &tt->service_id[b->c.service_base[f] + j]);
	}
	return rc;
}

static int build_report(struct builder *b, grens_net_link_report **out)
{
	const struct net_ctx *c = &b->c;
	int rc = 0;
	grens_net_link_report *r = calloc(1, sizeof(*r));
	if (!r)
		return GRENS_ENOMEM;
	r->match_count = c->match_count;
	r->near_miss_count = c->miss_count;
	r->merge_count = c->merge_count;
	r->zone_count = c->feed_count;
	r->matches = malloc((c->match_count ? c->match_count : 1) * sizeof(*r->matches));
	r->near_misses = malloc((c->miss_count ? c->miss_count : 1) * sizeof(*r->near_misses));
	r->merges = calloc(c->merge_count ? c->merge_count : 1, sizeof(*r->merges));
	r->zones = malloc(c->feed_count * sizeof(*r->zones));
	if (!r->matches || !r->near_misses || !r->merges || !r->zones) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	if (c->match_count)
		memcpy(r->matches, c->matches, c->match_count * sizeof(*r->matches));
	if (c->miss_count)
		memcpy(r->near_misses, c->misses, c->miss_count * sizeof(*r->near_misses));
	memcpy(r->zones, b->zone_report, c->feed_count * sizeof(*r->zones));
	for (uint32_t i = 0; i < c->merge_count; i++) {
		const struct net_merge_rec *m = &c->merges[i];
		grens_net_trip_merge *o = &r->merges[i];
		o->kind = m->kind;
		o->feed_a = m->feed_a;
		o->feed_b = m->feed_b;
		o->trip = b->new_index[m->src];
		o->shared_stops = m->shared;
		o->days = m->days;
		o->max_difference = m->max_diff;
		const grens_gtfs_trip *ta = &c->feeds[m->feed_a]->trips[m->trip_a];
		const grens_gtfs_trip *tb = &c->feeds[m->feed_b]->trips[m->trip_b];
		rc = pool_add_fixed(&b->pool, ta->id, &o->trip_id_a);
		if (!rc)
			rc = pool_add_fixed(&b->pool, tb->id, &o->trip_id_b);
		if (!rc)
			rc = pool_add_fixed(&b->pool,
					    ta->short_name[0] ? ta->short_name : tb->short_name,
					    &o->short_name);
		if (rc)
			goto fail;
	}
	*out = r;
	return 0;
fail:
	grens_net_link_report_free(r);
	return rc;
}

void grens_net_link_report_free(grens_net_link_report *report)
{
	if (!report)
		return;
	free(report->matches);
	free(report->near_misses);
	free(report->far_links);
	free(report->merges);
	free(report->zones);
	free(report);
}

/* ---- entry point ------------------------------------------------------------------- */

int grens_net_build(grens_timetable **out, const grens_gtfs_feed *const *feeds, uint32_t feed_count,
		    const grens_net_options *opts, grens_diag *diag, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_build: out is NULL");
	if (!feeds && feed_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_build: feeds is NULL");
	if (opts && opts->version != GRENS_NET_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_net_build: options version %u, not %u (GRENS_NET_OPTIONS_INIT)",
		    opts->version, GRENS_NET_OPTIONS_VERSION);
	return grens_net_build_linked(out, NULL, feeds, feed_count, opts, diag, err);
}

int grens_net_build_linked(grens_timetable **out, grens_net_link_report **report,
			   const grens_gtfs_feed *const *feeds, uint32_t feed_count,
			   const grens_net_options *user_opts, grens_diag *diag, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_build_linked: out is NULL");
	if (!feeds && feed_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_build_linked: feeds is NULL");
	if (user_opts && user_opts->version != GRENS_NET_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_net_build_linked: options version %u, not %u (GRENS_NET_OPTIONS_INIT)",
		    user_opts->version, GRENS_NET_OPTIONS_VERSION);
	return net_build_feeds(out, report, feeds, feed_count, user_opts, NULL, diag, err);
}

int net_build_feeds(grens_timetable **out, grens_net_link_report **report,
		    const grens_gtfs_feed *const *feeds, uint32_t feed_count,
		    const grens_net_options *user_opts, const struct net_build_hook *hook,
		    grens_diag *diag, grens_error *err)
{
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	struct builder b;
	int rc = 0;
	memset(&b, 0, sizeof(b));
	*out = NULL;
	if (report)
		*report = NULL;
	if (user_opts)
		opts = *user_opts;
	if (opts.footpath_radius_m < 0)
		opts.footpath_radius_m = feed_count > 1 ? 400.0 : 0.0;
	if (feed_count == 0)
		return grens_error_set(err, GRENS_EARG, "no feeds to build a timetable from");
	for (uint32_t i = 0; i < feed_count; i++)
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(feeds[i]->name, feeds[j]->name) == 0)
				return grens_error_set(err, GRENS_EARG,
						       "two feeds are named '%s'; feed names scope "
						       "ids and must differ",
						       feeds[i]->name);
	struct net_ctx *c = &b.c;
	c->feeds = feeds;
	c->feed_count = feed_count;
	c->opts = &opts;
	c->diag = diag;
	b.err = err;
	b.tt = calloc(1, sizeof(grens_timetable));
	if (!b.tt)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	c->tt = b.tt;
	b.tt->arena = grens_arena_new((size_t)8 << 20);
	c->stop_base = calloc(feed_count, sizeof(uint32_t));
	c->route_base = calloc(feed_count, sizeof(uint32_t));
	c->service_base = calloc(feed_count, sizeof(uint32_t));
	b.shift = calloc(feed_count, sizeof(*b.shift));
	b.zone_report = calloc(feed_count, sizeof(*b.zone_report));
	if (!b.tt->arena || !c->stop_base || !c->route_base || !c->service_base ||
	    !b.shift || !b.zone_report) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	uint64_t stops = 0, routes = 0, services = 0, trips = 0;
	for (uint32_t f = 0; f < feed_count; f++) {
		c->stop_base[f] = (uint32_t)stops;
		c->route_base[f] = (uint32_t)routes;
		c->service_base[f] = (uint32_t)services;
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

	grens_progress_report(&opts.progress, "building timetable", 0, 6);
	const char *base_zone = "";
	int any_shift = 0;
	/* Zones are read after the day range is known; whether a shift is
	 * needed is known from the names alone. */
	for (uint32_t f = 0; f < feed_count; f++) {
		const char *z = feed_zone(feeds[f]);
		const char *base = opts.timezone && *opts.timezone ? opts.timezone
								   : feed_zone(feeds[0]);
		if (z[0] && base[0] && strcmp(z, base) != 0)
			any_shift = 1;
	}
	rc = build_services(&b, any_shift);
	if (!rc)
		rc = load_zones(&b, &base_zone, &any_shift);
	if (!rc)
		rc = pool_add_fixed(&b.pool, base_zone, &b.tt->timezone);
	if (!rc)
		rc = build_stops_routes(&b);
	if (rc)
		goto fail;
	grens_progress_report(&opts.progress, "building timetable", 1, 6);
	/* Stop matching reads names through the pool, not yet in the arena. */
	b.tt->strings = b.pool.buf;
	rc = build_runs(&b);
	if (!rc)
		rc = net_link_stops(c);
	b.tt->strings = NULL;
	if (rc)
		goto fail;
	if (opts.merge_trips && feed_count > 1) {
		rc = net_merge_trips(c);
		if (rc)
			goto fail;
	}
	grens_progress_report(&opts.progress, "building timetable", 2, 6);
	b.group_next = calloc(c->src_count ? c->src_count : 1, sizeof(uint32_t));
	b.new_index = calloc(c->src_count ? c->src_count : 1, sizeof(uint32_t));
	if (!b.group_next || !b.new_index) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	rc = build_patterns(&b);
	if (!rc)
		rc = finish_services(&b);
	if (rc)
		goto fail;
	grens_progress_report(&opts.progress, "building timetable", 3, 6);
	rc = build_blocks(&b);
	if (!rc)
		rc = build_stop_patterns(&b);
	if (rc)
		goto fail;
	grens_progress_report(&opts.progress, "building timetable", 4, 6);
	uint32_t link_footpaths = 0;
	if (hook)
		rc = hook->finish(hook->ctx, b.tt, c->src, c->src_count, b.new_index);
	else
		rc = net_build_footpaths(b.tt, feeds, feed_count, c->stop_base, &opts, c->matches,
					 c->match_count, &link_footpaths, diag);
	if (rc)
		goto fail;
	grens_progress_report(&opts.progress, "building timetable", 5, 6);
	if (report) {
		rc = build_report(&b, report);
		if (rc)
			goto fail;
		(*report)->link_footpaths = link_footpaths;
		(*report)->links_unresolved = c->links_unresolved;
		(*report)->near_misses_over_limit = c->misses_over_limit;
		if (c->far_link_count) {
			(*report)->far_links = malloc(c->far_link_count * sizeof(*c->far_links));
			if (!(*report)->far_links) {
				rc = GRENS_ENOMEM;
				goto fail;
			}
			memcpy((*report)->far_links, c->far_links,
			       c->far_link_count * sizeof(*c->far_links));
			(*report)->far_link_count = c->far_link_count;
		}
	}

	/* The string pool moves into the arena last: it is complete now. */
	b.tt->strings = grens_arena_alloc(b.tt->arena, b.pool.len ? b.pool.len : 1, 1);
	if (!b.tt->strings) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	if (b.pool.len)
		memcpy(b.tt->strings, b.pool.buf, b.pool.len);
	b.tt->strings_size = b.pool.len;
	rc = net_index_build(b.tt, err);
	if (rc)
		goto fail;
	grens_progress_report(&opts.progress, "building timetable", 6, 6);
	*out = b.tt;
	b.tt = NULL;
	goto done;
fail:
	if (err && err->code == 0)
		grens_error_set(err, rc, "building the timetable failed: %s", grens_strerror(rc));
	grens_net_free(b.tt);
	if (report) {
		grens_net_link_report_free(*report);
		*report = NULL;
	}
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
	for (uint32_t f = 0; b.shift && f < feed_count; f++)
		free(b.shift[f]);
	free(b.shift);
	free(b.zone_report);
	services_free(&c->services);
	free(c->stop_base);
	free(c->route_base);
	free(c->service_base);
	free(c->src);
	free(c->matches);
	free(c->misses);
	free(c->far_links);
	free(c->merges);
	free(b.group_next);
	free(b.new_index);
	return rc;
}

void grens_net_free(grens_timetable *tt)
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
