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
};

struct grens_access_network {
	const grens_timetable *tt;
	const grens_access_places *places;
	uint32_t *link_offset; /* [places + 1] CSR into links */
	grens_access_link *links;
};

#endif
