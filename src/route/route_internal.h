/* Pieces shared by the routers' result building (not routing). */
#ifndef GRENS_ROUTE_INTERNAL_H
#define GRENS_ROUTE_INTERNAL_H

#include "grens/route.h"
#include "grens/rt.h"

/* Move a journey's first vehicle to the latest trip of the same pattern and
 * service day that still makes the next leg (or the same arrival when it is
 * the last), and the walk before it to just in time: the earliest arrival
 * stays, the departure is as late as that first ride allows. min_change as
 * in grens_route_options. */
void route_depart_late(const grens_timetable *tt, const grens_rt_overlay *rt, grens_date date,
		       int32_t min_change, grens_route_leg *legs, uint32_t n);

/* Fill the realtime, scheduled_departure and scheduled_arrival fields of
 * the transit legs from the timetable and rt (may be NULL). */
void route_legs_schedule(const grens_timetable *tt, const grens_rt_overlay *rt, grens_date date,
			 grens_route_leg *legs, uint32_t n);

/* The transit leg riding added trip x of rt (grens_rt_added_at) from its
 * stop position board to position alight, dated service_day (0 or -1)
 * relative to the query date. */
grens_route_leg route_added_leg(const grens_rt_overlay *rt, uint32_t x, uint32_t board,
				uint32_t alight, int32_t service_day);

#endif
