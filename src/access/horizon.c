/* A timetable limited to the trips that can matter for a window: every trip
 * with a stop event inside [lo, hi] on the query date or, shifted by a day,
 * on the day before. Journeys leaving at or after lo and arriving by hi use
 * only such trips, so routing on the limited timetable gives the same
 * arrivals up to hi and stops exploring past it. Arrays that are not
 * indexed by trip are shared with the full timetable. */
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"

void access_horizon_free(grens_timetable *h)
{
	if (!h)
		return;
	free(h->pattern_trip_offset);
	free(h->pattern_time_offset);
	free(h->stop_times);
	free(h->trip_pattern);
	free(h->trip_service);
	free(h->trip_feed);
	free(h->trip_id);
	free(h->trip_short_name);
	free(h->trip_headsign);
	free(h->trip_block_next);
	free(h->trip_frequency_start);
	free(h->trip_alt_feed);
	free(h->trip_alt_id);
	free(h);
}

static bool overlaps(int32_t a, int32_t b, int32_t lo, int32_t hi)
{
	return a <= hi && b >= lo;
}

static bool keep_trip(const grens_timetable *tt, uint32_t trip, const grens_net_stop_time *st,
		      uint32_t width, grens_date date, int32_t lo, int32_t hi)
{
	int32_t first = st[0].departure, last = st[width - 1].arrival;
	if (first > last) { /* not expected; keep such a trip rather than lose it */
		int32_t x = first;
		first = last;
		last = x;
	}
	return (grens_net_trip_runs(tt, trip, date) && overlaps(first, last, lo, hi)) ||
	       (grens_net_trip_runs(tt, trip, date - 1) &&
		overlaps(first - 86400, last - 86400, lo, hi));
}

#define COPY_TRIP_ARRAY(field)                                                                     \
	do {                                                                                       \
		if (tt->field) {                                                                   \
			h->field = malloc(((size_t)kept + 1) * sizeof(*tt->field));                \
			if (!h->field)                                                             \
				goto nomem;                                                        \
			for (uint32_t t_ = 0; t_ < tt->trip_count; t_++)                           \
				if (map[t_] != GRENS_NONE)                                         \
					h->field[map[t_]] = tt->field[t_];                         \
		}                                                                                  \
	} while (0)

int access_horizon_new(grens_timetable **out, const grens_timetable *tt, grens_date date,
		       int32_t lo, int32_t hi, grens_error *err)
{
	*out = NULL;
	uint32_t *map = calloc((size_t)tt->trip_count + 1, sizeof(uint32_t));
	grens_timetable *h = calloc(1, sizeof(*h));
	if (!map || !h) {
		free(map);
		free(h);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the window timetable");
	}
	uint32_t kept = 0;
	uint64_t events = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		const grens_net_stop_time *st = tt->stop_times + tt->pattern_time_offset[p];
		for (uint32_t t = tt->pattern_trip_offset[p]; t < tt->pattern_trip_offset[p + 1];
		     t++) {
			uint32_t k = t - tt->pattern_trip_offset[p];
			if (width > 0 &&
			    keep_trip(tt, t, st + (size_t)k * width, width, date, lo, hi)) {
				map[t] = kept++;
				events += width;
			} else {
				map[t] = GRENS_NONE;
			}
		}
	}
	/* shared arrays first: a plain copy of the header */
	*h = *tt;
	h->arena = NULL;
	h->pattern_trip_offset = NULL;
	h->pattern_time_offset = NULL;
	h->stop_times = NULL;
	h->trip_pattern = h->trip_service = h->trip_feed = h->trip_id = NULL;
	h->trip_short_name = h->trip_headsign = h->trip_block_next = NULL;
	h->trip_frequency_start = NULL;
	h->trip_alt_feed = h->trip_alt_id = NULL;
	h->pattern_trip_offset = calloc((size_t)tt->pattern_count + 1, sizeof(uint32_t));
	h->pattern_time_offset = calloc((size_t)tt->pattern_count + 1, sizeof(uint64_t));
	h->stop_times = calloc(events + 1, sizeof(grens_net_stop_time));
	if (!h->pattern_trip_offset || !h->pattern_time_offset || !h->stop_times)
		goto nomem;
	uint32_t next = 0;
	uint64_t at = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		const grens_net_stop_time *st = tt->stop_times + tt->pattern_time_offset[p];
		h->pattern_trip_offset[p] = next;
		h->pattern_time_offset[p] = at;
		for (uint32_t t = tt->pattern_trip_offset[p]; t < tt->pattern_trip_offset[p + 1];
		     t++) {
			if (map[t] == GRENS_NONE)
				continue;
			uint32_t k = t - tt->pattern_trip_offset[p];
			memcpy(h->stop_times + at, st + (size_t)k * width, width * sizeof(*st));
			at += width;
			next++;
		}
	}
	h->pattern_trip_offset[tt->pattern_count] = next;
	h->trip_count = kept;
	h->stop_time_count = events;
	COPY_TRIP_ARRAY(trip_pattern);
	COPY_TRIP_ARRAY(trip_service);
	COPY_TRIP_ARRAY(trip_feed);
	COPY_TRIP_ARRAY(trip_id);
	COPY_TRIP_ARRAY(trip_short_name);
	COPY_TRIP_ARRAY(trip_headsign);
	COPY_TRIP_ARRAY(trip_block_next);
	COPY_TRIP_ARRAY(trip_frequency_start);
	COPY_TRIP_ARRAY(trip_alt_feed);
	COPY_TRIP_ARRAY(trip_alt_id);
	/* a block continuation that was left out ends the block here */
	if (h->trip_block_next)
		for (uint32_t t = 0; t < kept; t++)
			if (h->trip_block_next[t] != GRENS_NONE)
				h->trip_block_next[t] = map[h->trip_block_next[t]];
	free(map);
	*out = h;
	return 0;
nomem:
	free(map);
	access_horizon_free(h);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory for the window timetable");
}
