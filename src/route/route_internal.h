/* Pieces shared by the routers' result building (not routing). */
#ifndef GRENS_ROUTE_INTERNAL_H
#define GRENS_ROUTE_INTERNAL_H

#include "grens/route.h"

/* Move a journey's first vehicle to the latest trip of the same pattern and
 * service day that still makes the next leg (or the same arrival when it is
 * the last), and the walk before it to just in time: the earliest arrival
 * stays, the departure is as late as that first ride allows. min_change as
 * in grens_route_options. */
void route_depart_late(const grens_timetable *tt, grens_date date, int32_t min_change,
		       grens_route_leg *legs, uint32_t n);

#endif
