/* Private to src/access. */
#ifndef GRENS_ACCESS_INTERNAL_H
#define GRENS_ACCESS_INTERNAL_H

#include <stdio.h>

#include "grens/access.h"

struct grens_access_places {
	grens_arena *arena; /* strings */
	grens_access_place *rows;
	double *values; /* [count * kind_count] */
	uint32_t count, cap;
	uint32_t kind_count;
	const char *kinds[GRENS_ACCESS_MAX_KINDS];
	/* rows of files without coordinates: counted, never placed */
	uint32_t unplaced_count;
	double unplaced[GRENS_ACCESS_MAX_KINDS];
};

struct grens_access_network {
	const grens_timetable *tt;
	const grens_access_places *places;
	uint32_t *link_offset; /* [places + 1] CSR into links */
	grens_access_link *links;
};

/* horizon.c: a timetable of the trips with an event in [lo, hi] on date
 * (or on date - 1, shifted); shares every array not indexed by trip with tt,
 * which must outlive it. Free with access_horizon_free. GRENS_ENOMEM. */
int access_horizon_new(grens_timetable **out, const grens_timetable *tt, grens_date date,
		       int32_t lo, int32_t hi, grens_error *err);
void access_horizon_free(grens_timetable *h);

#endif
