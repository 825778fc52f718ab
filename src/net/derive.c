/* A timetable derived from a built one: some trips dropped, new trips added
 * in new patterns (net_derive.h). What the base holds per stop (names,
 * footpaths, the index) and its stop events are shared: the added patterns'
 * events go into the timetable's second segment (stop_times_tail). The
 * other arrays a trip or pattern adds to are copied with the additions at
 * their ends, so every router reads the result as it reads a built
 * timetable. */
#include <stdlib.h>
#include <string.h>

#include "net_derive.h"
#include "net_internal.h"

static int fail(grens_error *err, int code, const char *what)
{
	return grens_error_set(err, code, "deriving a timetable: %s", what);
}

/* Sorting the added trips: by their pattern key (route, stop count, stops,
 * flags), then as the builder sorts a pattern's trips (departure at the
 * first stop, then arrival and departure at each stop), then input order. */
static int cmp_added(const void *a, const void *b, void *ctx)
{
	const net_add_trip *trips = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	const net_add_trip *s = &trips[x], *t = &trips[y];
	if (s->route != t->route)
		return s->route < t->route ? -1 : 1;
	if (s->stop_count != t->stop_count)
		return s->stop_count < t->stop_count ? -1 : 1;
	for (uint32_t i = 0; i < s->stop_count; i++) {
		if (s->stops[i] != t->stops[i])
			return s->stops[i] < t->stops[i] ? -1 : 1;
		if (s->flags[i] != t->flags[i])
			return s->flags[i] < t->flags[i] ? -1 : 1;
	}
	for (uint32_t i = 0; i < s->stop_count; i++) {
		if (s->times[i].departure != t->times[i].departure)
			return s->times[i].departure < t->times[i].departure ? -1 : 1;
		if (s->times[i].arrival != t->times[i].arrival)
			return s->times[i].arrival < t->times[i].arrival ? -1 : 1;
	}
	return x < y ? -1 : (x > y);
}

static bool same_key(const net_add_trip *s, const net_add_trip *t)
{
	if (s->route != t->route || s->stop_count != t->stop_count)
		return false;
	return memcmp(s->stops, t->stops, s->stop_count * sizeof(uint32_t)) == 0 &&
	       memcmp(s->flags, t->flags, s->stop_count) == 0;
}

/* Does t stay at or behind prev at every stop? */
static bool no_overtake(const net_add_trip *prev, const net_add_trip *t)
{
	for (uint32_t i = 0; i < t->stop_count; i++)
		if (t->times[i].arrival < prev->times[i].arrival ||
		    t->times[i].departure < prev->times[i].departure)
			return false;
	return true;
}

static int check_input(const grens_timetable *b, const net_derive_in *in, grens_error *err)
{
	if (in->trip_count && !in->trips)
		return fail(err, GRENS_EARG, "trips is NULL");
	if ((in->route_count && !in->routes) || (in->service_count && !in->services) ||
	    (in->strings_size && !in->strings))
		return fail(err, GRENS_EARG, "a NULL array with a count");
	if ((uint64_t)b->trip_count + in->trip_count >= GRENS_NONE ||
	    (uint64_t)b->pattern_count + in->trip_count >= GRENS_NONE ||
	    (uint64_t)b->service_count + in->service_count + 1 >= GRENS_NONE)
		return fail(err, GRENS_ELIMIT, "too many trips, patterns or services");
	for (uint32_t i = 0; i < in->trip_count; i++) {
		const net_add_trip *t = &in->trips[i];
		if (t->stop_count < 2 || !t->stops || !t->times || !t->flags)
			return fail(err, GRENS_EARG, "an added trip has fewer than two stops");
		if (t->route >= b->route_count + in->route_count ||
		    t->service >= b->service_count + in->service_count || t->feed >= b->feed_count)
			return fail(err, GRENS_EARG, "an added trip's route, service or feed is out of "
						     "range");
		int32_t prev = INT32_MIN;
		for (uint32_t k = 0; k < t->stop_count; k++) {
			if (t->stops[k] >= b->stop_count)
				return fail(err, GRENS_EARG, "an added trip's stop is out of range");
			if (t->times[k].arrival < prev || t->times[k].departure < t->times[k].arrival)
				return fail(err, GRENS_EARG, "an added trip's times decrease");
			prev = t->times[k].departure;
		}
	}
	return 0;
}

#define COPY_GROW(arena, dst, src, n, total)                                                       \
	((dst) = grens_arena_alloc((arena), ((size_t)(total) + 1) * sizeof(*(dst)), 8),            \
	 (dst) ? (memcpy((dst), (src), (size_t)(n) * sizeof(*(dst))), 0) : GRENS_ENOMEM)

int net_derive(grens_timetable **out, const grens_timetable *b, const net_derive_in *in,
	       grens_error *err)
{
	*out = NULL;
	int rc = check_input(b, in, err);
	if (rc)
		return rc;
	uint32_t na = in->trip_count;
	uint32_t *order = malloc(((size_t)na + 1) * sizeof(uint32_t));
	uint32_t *pattern_of = malloc(((size_t)na + 1) * sizeof(uint32_t));
	uint32_t *plan_last = malloc(((size_t)na + 1) * sizeof(uint32_t)); /* [new pattern] last trip */
	uint32_t *plan_count = calloc((size_t)na + 1, sizeof(uint32_t));
	grens_timetable *h = calloc(1, sizeof(*h));
	struct grens_net_index *ix = b->index ? malloc(sizeof(*ix)) : NULL;
	if (!order || !pattern_of || !plan_last || !plan_count || !h || (b->index && !ix)) {
		free(ix);
		ix = NULL;
		goto nomem;
	}
	*h = *b;
	h->arena = NULL;
	h->index = NULL;
	if (ix) {
		*ix = *b->index;
		ix->owned = false;
		ix->map = NULL;
		ix->map_size = 0;
		h->index = ix;
	}
	h->arena = grens_arena_new(0);
	if (!h->arena)
		goto nomem;
	grens_arena *A = h->arena;

	/* ---- patterns of the added trips ---- */
	for (uint32_t i = 0; i < na; i++)
		order[i] = i;
	qsort_r(order, na, sizeof(uint32_t), cmp_added, (void *)in->trips);
	uint32_t np = 0;
	uint64_t new_events = 0, new_pattern_stops = 0;
	for (uint32_t i = 0, g0 = 0; i < na; i++) {
		const net_add_trip *t = &in->trips[order[i]];
		if (i > 0 && !same_key(&in->trips[order[i - 1]], t))
			g0 = np; /* a new group: its patterns start here */
		uint32_t p = g0;
		while (p < np && !no_overtake(&in->trips[plan_last[p]], t))
			p++;
		if (p == np) {
			np++;
			new_pattern_stops += t->stop_count;
		}
		plan_last[p] = order[i];
		plan_count[p]++;
		pattern_of[order[i]] = p;
		new_events += t->stop_count;
	}
	uint32_t P = b->pattern_count + np, T = b->trip_count + na;

	/* ---- strings, routes, services ---- */
	if (in->strings_size) {
		h->strings = grens_arena_alloc(A, b->strings_size + in->strings_size + 1, 8);
		if (!h->strings)
			goto nomem;
		memcpy(h->strings, b->strings, b->strings_size);
		memcpy(h->strings + b->strings_size, in->strings, in->strings_size);
		h->strings[b->strings_size + in->strings_size] = '\0';
		h->strings_size = b->strings_size + in->strings_size;
	}
	if (in->route_count) {
		uint32_t R = b->route_count + in->route_count;
		if (COPY_GROW(A, h->route_feed, b->route_feed, b->route_count, R) ||
		    COPY_GROW(A, h->route_id, b->route_id, b->route_count, R) ||
		    COPY_GROW(A, h->route_short_name, b->route_short_name, b->route_count, R) ||
		    COPY_GROW(A, h->route_long_name, b->route_long_name, b->route_count, R) ||
		    COPY_GROW(A, h->route_agency_name, b->route_agency_name, b->route_count, R) ||
		    COPY_GROW(A, h->route_type, b->route_type, b->route_count, R))
			goto nomem;
		for (uint32_t r = 0; r < in->route_count; r++) {
			const net_add_route *nr = &in->routes[r];
			uint32_t at = b->route_count + r;
			h->route_feed[at] = nr->feed;
			h->route_id[at] = nr->id;
			h->route_short_name[at] = nr->short_name;
			h->route_long_name[at] = nr->long_name;
			h->route_agency_name[at] = nr->agency_name;
			h->route_type[at] = nr->type;
		}
		h->route_count = R;
	}
	/* the added services, then one that runs on no day (the dropped trips') */
	uint32_t empty = b->service_count + in->service_count;
	size_t words = b->words_per_service;
	h->service_count = empty + 1;
	h->service_days = grens_arena_calloc(A, (size_t)h->service_count * words + 1,
					     sizeof(uint64_t), 8);
	if (!h->service_days)
		goto nomem;
	memcpy(h->service_days, b->service_days, (size_t)b->service_count * words * sizeof(uint64_t));
	if (in->service_count)
		memcpy(h->service_days + (size_t)b->service_count * words, in->services,
		       (size_t)in->service_count * words * sizeof(uint64_t));

	if (b->service_id) {
		/* the added services are no feed's: "" (the NUL ending the strings) */
		if (COPY_GROW(A, h->service_id, b->service_id, b->service_count, h->service_count))
			goto nomem;
		for (uint32_t i = b->service_count; i < h->service_count; i++)
			h->service_id[i] = (uint32_t)(b->strings_size - 1);
	}

	/* ---- trips: the base's (dropped ones on the empty service), then the added ---- */
	if (net_trip_arrays_alloc(h, A, b, T))
		goto nomem;
#define DERIVE_COPY_(field)                                                                        \
	if (h->field && b->field)                                                                  \
		memcpy(h->field, b->field, (size_t)b->trip_count * sizeof(*h->field));
	NET_TRIP_ARRAYS(DERIVE_COPY_)
#undef DERIVE_COPY_
	for (uint32_t t = 0; in->drop && t < b->trip_count; t++)
		if (in->drop[t])
			h->trip_service[t] = empty;
	for (uint32_t t = 0; in->drop && h->trip_block_next && t < b->trip_count; t++) {
		uint32_t nx = h->trip_block_next[t];
		if (in->drop[t] || (nx != GRENS_NONE && in->drop[nx]))
			h->trip_block_next[t] = GRENS_NONE;
	}

	/* ---- patterns and stop events ---- */
	uint64_t S = b->pattern_stop_offset[b->pattern_count] + new_pattern_stops;
	if (COPY_GROW(A, h->pattern_route, b->pattern_route, b->pattern_count, P) ||
	    COPY_GROW(A, h->pattern_stop_offset, b->pattern_stop_offset, b->pattern_count + 1,
		      P + 1) ||
	    COPY_GROW(A, h->pattern_stops, b->pattern_stops, b->pattern_stop_offset[b->pattern_count],
		      S) ||
	    COPY_GROW(A, h->pattern_stop_flags, b->pattern_stop_flags,
		      b->pattern_stop_offset[b->pattern_count], S) ||
	    COPY_GROW(A, h->pattern_trip_offset, b->pattern_trip_offset, b->pattern_count + 1,
		      P + 1) ||
	    COPY_GROW(A, h->pattern_time_offset, b->pattern_time_offset, b->pattern_count, P + 1))
		goto nomem;
	/* The base's events stay where they are; the added ones, after those the
	 * base itself added to its own base, go into the tail. */
	uint64_t split = b->stop_times_tail ? b->stop_time_split : b->stop_time_count;
	h->stop_time_split = split;
	h->stop_times_tail = NULL;
	uint64_t own = b->stop_time_count - split; /* events the base holds in its tail */
	if (own + new_events) {
		h->stop_times_tail =
		    grens_arena_alloc(A, (size_t)(own + new_events) * sizeof(grens_net_stop_time), 8);
		if (!h->stop_times_tail)
			goto nomem;
		if (own)
			memcpy(h->stop_times_tail, b->stop_times_tail,
			       (size_t)own * sizeof(grens_net_stop_time));
	}
	/* pattern q of the new ones: its first trip number and the next slot */
	uint32_t *fill = calloc((size_t)np + 1, sizeof(uint32_t));
	if (!fill)
		goto nomem;
	uint32_t next_trip = b->trip_count;
	uint64_t next_event = b->stop_time_count, next_stop = b->pattern_stop_offset[b->pattern_count];
	for (uint32_t q = 0; q < np; q++) {
		uint32_t p = b->pattern_count + q;
		const net_add_trip *t = &in->trips[plan_last[q]];
		h->pattern_route[p] = t->route;
		h->pattern_stop_offset[p] = (uint32_t)next_stop;
		memcpy(h->pattern_stops + next_stop, t->stops, t->stop_count * sizeof(uint32_t));
		memcpy(h->pattern_stop_flags + next_stop, t->flags, t->stop_count);
		next_stop += t->stop_count;
		h->pattern_trip_offset[p] = next_trip;
		h->pattern_time_offset[p] = next_event;
		fill[q] = next_trip;
		next_trip += plan_count[q];
		next_event += (uint64_t)plan_count[q] * t->stop_count;
	}
	h->pattern_stop_offset[P] = (uint32_t)next_stop;
	h->pattern_trip_offset[P] = next_trip;
	h->pattern_time_offset[P] = next_event;
	/* trips in sorted order fill their patterns in departure order */
	for (uint32_t i = 0; i < na; i++) {
		const net_add_trip *t = &in->trips[order[i]];
		uint32_t q = pattern_of[order[i]], p = b->pattern_count + q;
		uint32_t tr = fill[q]++;
		uint64_t at = h->pattern_time_offset[p] - split +
			      (uint64_t)(tr - h->pattern_trip_offset[p]) * t->stop_count;
		memcpy(h->stop_times_tail + at, t->times, t->stop_count * sizeof(grens_net_stop_time));
		h->trip_pattern[tr] = p;
		h->trip_service[tr] = t->service;
		h->trip_feed[tr] = t->feed;
		h->trip_id[tr] = t->id;
		h->trip_short_name[tr] = t->short_name;
		h->trip_headsign[tr] = t->headsign;
		if (h->trip_block_next)
			h->trip_block_next[tr] = GRENS_NONE;
		if (h->trip_frequency_start)
			h->trip_frequency_start[tr] = t->frequency_start;
		if (h->trip_alt_feed)
			h->trip_alt_feed[tr] = t->alt_feed;
		if (h->trip_alt_id)
			h->trip_alt_id[tr] = t->alt_id;
		for (uint32_t k = 0; k < t->stop_count; k++)
			if (t->times[k].departure > h->max_time)
				h->max_time = t->times[k].departure;
	}
	free(fill);
	h->pattern_count = P;
	h->trip_count = T;
	h->stop_time_count = b->stop_time_count + new_events;

	/* ---- stop -> patterns, the base's lists followed by the new patterns ---- */
	if (np) {
		uint32_t *count = calloc((size_t)b->stop_count + 1, sizeof(uint32_t));
		if (!count)
			goto nomem;
		h->stop_pattern_offset =
		    grens_arena_alloc(A, ((size_t)b->stop_count + 1) * sizeof(uint32_t), 8);
		h->stop_patterns = grens_arena_alloc(
		    A, ((size_t)b->stop_pattern_offset[b->stop_count] + new_pattern_stops + 1) *
			   sizeof(grens_net_pattern_stop),
		    8);
		if (!h->stop_pattern_offset || !h->stop_patterns) {
			free(count);
			goto nomem;
		}
		/* each stop's base list, then room for its new entries */
		uint32_t at = 0;
		uint32_t *extra = calloc((size_t)b->stop_count + 1, sizeof(uint32_t));
		if (!extra) {
			free(count);
			goto nomem;
		}
		for (uint32_t q = 0; q < np; q++) {
			uint32_t p = b->pattern_count + q;
			for (uint32_t k = h->pattern_stop_offset[p]; k < h->pattern_stop_offset[p + 1]; k++)
				extra[h->pattern_stops[k]]++;
		}
		for (uint32_t s = 0; s < b->stop_count; s++) {
			uint32_t n = b->stop_pattern_offset[s + 1] - b->stop_pattern_offset[s];
			h->stop_pattern_offset[s] = at;
			memcpy(h->stop_patterns + at, b->stop_patterns + b->stop_pattern_offset[s],
			       n * sizeof(grens_net_pattern_stop));
			count[s] = at + n;
			at += n + extra[s];
		}
		h->stop_pattern_offset[b->stop_count] = at;
		for (uint32_t q = 0; q < np; q++) {
			uint32_t p = b->pattern_count + q;
			uint32_t o = h->pattern_stop_offset[p];
			for (uint32_t k = o; k < h->pattern_stop_offset[p + 1]; k++) {
				uint32_t s = h->pattern_stops[k];
				h->stop_patterns[count[s]++] = (grens_net_pattern_stop){p, k - o};
			}
		}
		free(extra);
		free(count);
	}
	free(order);
	free(pattern_of);
	free(plan_last);
	free(plan_count);
	*out = h;
	return 0;
nomem:
	free(order);
	free(pattern_of);
	free(plan_last);
	free(plan_count);
	grens_net_free(h);
	return fail(err, GRENS_ENOMEM, "out of memory");
}
