/* A timetable limited to the trips that can matter for a window: every trip
 * with a stop event inside [lo, hi] on the query date or, shifted by a day,
 * on the day before. Journeys leaving at or after lo and arriving by hi use
 * only such trips, so routing on the limited timetable gives the same
 * arrivals up to hi and stops exploring past it. Arrays that are not
 * indexed by trip are shared with the full timetable (grens_net_keep_trips). */
#include <stdlib.h>

#include "access_internal.h"

void access_horizon_free(grens_timetable *h)
{
	grens_net_free(h);
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

int access_horizon_new(grens_timetable **out, const grens_timetable *tt, grens_date date,
		       int32_t lo, int32_t hi, grens_error *err)
{
	*out = NULL;
	uint8_t *keep = calloc((size_t)tt->trip_count + 1, 1);
	if (!keep)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the window timetable");
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
		for (uint32_t t = tt->pattern_trip_offset[p]; t < tt->pattern_trip_offset[p + 1];
		     t++) {
			uint32_t k = t - tt->pattern_trip_offset[p];
			keep[t] = width > 0 &&
				  keep_trip(tt, t, st + (size_t)k * width, width, date, lo, hi);
		}
	}
	int rc = grens_net_keep_trips(out, tt, keep, err);
	free(keep);
	return rc;
}
