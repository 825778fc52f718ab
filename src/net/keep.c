/* Trip arrays taken from one list (NET_TRIP_ARRAYS), and a timetable that
 * keeps only some of another's trips. */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

int net_trip_arrays_alloc(grens_timetable *dst, grens_arena *arena, const grens_timetable *like,
			  uint64_t trip_count)
{
#define NET_TRIP_ALLOC_(field)                                                                     \
	dst->field = NULL;                                                                         \
	if (!like || like->field) {                                                                \
		dst->field = grens_arena_calloc(arena, (size_t)trip_count + 1,                     \
						sizeof(*dst->field), 8);                           \
		if (!dst->field)                                                                   \
			return GRENS_ENOMEM;                                                       \
	}
	NET_TRIP_ARRAYS(NET_TRIP_ALLOC_)
#undef NET_TRIP_ALLOC_
	return 0;
}

void net_trip_copy(grens_timetable *dst, uint32_t dt, const grens_timetable *src, uint32_t st)
{
#define NET_TRIP_COPY_(field)                                                                      \
	if (dst->field && src->field)                                                              \
		dst->field[dt] = src->field[st];
	NET_TRIP_ARRAYS(NET_TRIP_COPY_)
#undef NET_TRIP_COPY_
}

int grens_net_keep_trips(grens_timetable **out, const grens_timetable *tt, const uint8_t *keep,
			 grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_keep_trips: out is NULL");
	*out = NULL;
	if (!tt || !keep)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_net_keep_trips: %s is NULL", tt ? "keep" : "tt");
	uint32_t *map = malloc(((size_t)tt->trip_count + 1) * sizeof(uint32_t));
	grens_timetable *h = calloc(1, sizeof(*h));
	if (!map || !h)
		goto nomem;
	uint32_t kept = 0;
	uint64_t events = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		for (uint32_t t = tt->pattern_trip_offset[p]; t < tt->pattern_trip_offset[p + 1];
		     t++) {
			map[t] = keep[t] ? kept++ : GRENS_NONE;
			events += keep[t] ? width : 0;
		}
	}
	/* Everything not indexed by trip is tt's, shared; the id index maps
	 * to tt's trip numbers, so lookups go through tt. */
	*h = *tt;
	h->index = NULL;
	h->arena = grens_arena_new(0);
	if (!h->arena)
		goto nomem;
	h->trip_count = kept;
	h->stop_time_count = events;
	h->stop_time_split = events; /* rebuilt in one segment */
	h->stop_times_tail = NULL;
	h->pattern_trip_offset =
	    grens_arena_calloc(h->arena, (size_t)tt->pattern_count + 1, sizeof(uint32_t), 8);
	h->pattern_time_offset =
	    grens_arena_calloc(h->arena, (size_t)tt->pattern_count + 1, sizeof(uint64_t), 8);
	h->stop_times =
	    grens_arena_calloc(h->arena, events + 1, sizeof(grens_net_stop_time), 8);
	if (!h->pattern_trip_offset || !h->pattern_time_offset || !h->stop_times ||
	    net_trip_arrays_alloc(h, h->arena, tt, kept))
		goto nomem;
	/* Patterns stay, those left without trips too, so pattern indices and
	 * stop_patterns are tt's. */
	uint32_t next = 0;
	uint64_t at = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
		h->pattern_trip_offset[p] = next;
		h->pattern_time_offset[p] = at;
		for (uint32_t t = tt->pattern_trip_offset[p]; t < tt->pattern_trip_offset[p + 1];
		     t++) {
			if (map[t] == GRENS_NONE)
				continue;
			uint32_t k = t - tt->pattern_trip_offset[p];
			memcpy(h->stop_times + at, st + (size_t)k * width, width * sizeof(*st));
			net_trip_copy(h, next, tt, t);
			at += width;
			next++;
		}
	}
	h->pattern_trip_offset[tt->pattern_count] = next;
	/* a block continuation that was left out ends the block here */
	for (uint32_t t = 0; h->trip_block_next && t < kept; t++)
		if (h->trip_block_next[t] != GRENS_NONE)
			h->trip_block_next[t] = map[h->trip_block_next[t]];
	free(map);
	*out = h;
	return 0;
nomem:
	free(map);
	grens_net_free(h);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory for the kept trips' timetable");
}
