/* Small networks for the router tests (and random ones in the cross-check)
 * described as plain trips and laid out by grens_net_build_plain, so they
 * have the layout of grens/net.h that grens_net_build gives a feed: trips
 * grouped into patterns by route, stop sequence and pickup/drop-off flags,
 * sorted by departure, a trip that would overtake another starting a new
 * pattern. */
#ifndef GRENS_TEST_ROUTE_TT_H
#define GRENS_TEST_ROUTE_TT_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/net.h"

#define TB_MAX_STOPS_PER_TRIP 64

typedef struct tb_trip {
	uint32_t n;
	uint32_t stop[TB_MAX_STOPS_PER_TRIP];
	int32_t arr[TB_MAX_STOPS_PER_TRIP], dep[TB_MAX_STOPS_PER_TRIP];
	uint8_t flags[TB_MAX_STOPS_PER_TRIP];
	uint32_t service;
	uint32_t route;
	uint32_t block_next; /* index into the input trips, or GRENS_NONE */
	char id[32];
	char headsign[32];
} tb_trip;

typedef struct tb_footpath {
	uint32_t from, to;
	int32_t duration;
} tb_footpath;

typedef struct tb_net {
	uint32_t stop_count;
	char (*stop_names)[32]; /* [stop_count] */
	int32_t *min_change;    /* [stop_count] */
	uint32_t route_count;
	grens_date first_date;
	uint32_t day_count;
	uint32_t service_count;
	uint64_t *service_bits; /* [service] bit d: runs on first_date + d (day_count <= 64) */
	tb_trip *trips;
	uint32_t trip_count;
	tb_footpath *footpaths;
	uint32_t footpath_count;
	/* input trip index -> timetable trip index */
	uint32_t *trip_map;
} tb_net;

/* Fill *tt through grens_net_build_plain (the pattern grouping and sorting
 * of grens_net_build); free with tb_free. Stops are "s<i>" (names from
 * stop_names), routes "R<i>" of type 3, feed "t" in Europe/Amsterdam. */
static inline void tb_build(const tb_net *net, grens_timetable *tt, uint32_t *trip_map)
{
	memset(tt, 0, sizeof(*tt));
	uint32_t S = net->stop_count, R = net->route_count, T = net->trip_count;
	char(*ids)[32] = calloc((size_t)S + R + 1, sizeof(*ids));
	grens_net_plain_stop *stops = calloc((size_t)S + 1, sizeof(*stops));
	grens_net_plain_route *routes = calloc((size_t)R + 1, sizeof(*routes));
	grens_net_plain_trip *trips = calloc((size_t)T + 1, sizeof(*trips));
	grens_net_plain_footpath *foot = calloc((size_t)net->footpath_count + 1, sizeof(*foot));
	if (!ids || !stops || !routes || !trips || !foot)
		abort();
	for (uint32_t s = 0; s < S; s++) {
		snprintf(ids[s], sizeof(ids[s]), "s%u", s);
		stops[s] = (grens_net_plain_stop){ .id = ids[s],
						   .name = net->stop_names ? net->stop_names[s]
									   : ids[s],
						   .lat = NAN,
						   .lon = NAN,
						   .parent = GRENS_NONE,
						   .min_change = net->min_change ? net->min_change[s]
										 : 120 };
	}
	for (uint32_t r = 0; r < R; r++) {
		snprintf(ids[S + r], sizeof(ids[S + r]), "R%u", r);
		routes[r] = (grens_net_plain_route){ .id = ids[S + r], .short_name = ids[S + r],
						     .type = 3 };
	}
	for (uint32_t t = 0; t < T; t++) {
		const tb_trip *x = &net->trips[t];
		trips[t] = (grens_net_plain_trip){ .id = x->id,
						   .headsign = x->headsign,
						   .route = x->route,
						   .service = x->service,
						   .stop_count = x->n,
						   .stops = x->stop,
						   .arrivals = x->arr,
						   .departures = x->dep,
						   .flags = x->flags,
						   .block_next = x->block_next };
	}
	for (uint32_t f = 0; f < net->footpath_count; f++)
		foot[f] = (grens_net_plain_footpath){ net->footpaths[f].from, net->footpaths[f].to,
						      net->footpaths[f].duration };
	grens_net_plain plain = GRENS_NET_PLAIN_INIT;
	plain.feed = "t";
	plain.timezone = "Europe/Amsterdam";
	plain.first_date = net->first_date;
	plain.day_count = net->day_count;
	plain.service_days = net->service_bits;
	plain.service_count = net->service_count;
	plain.stops = stops;
	plain.stop_count = S;
	plain.routes = routes;
	plain.route_count = R;
	plain.trips = trips;
	plain.trip_count = T;
	plain.footpaths = foot;
	plain.footpath_count = net->footpath_count;
	grens_timetable *built = NULL;
	grens_error err = { 0 };
	if (grens_net_build_plain(&built, trip_map, &plain, &err)) {
		fprintf(stderr, "tb_build: %s\n", err.message);
		abort();
	}
	*tt = *built; /* the arrays stay the arena's; tb_free gives them back */
	free(built);
	free(ids);
	free(stops);
	free(routes);
	free(trips);
	free(foot);
}

static inline void tb_free(grens_timetable *tt)
{
	grens_timetable *h = malloc(sizeof(*h));
	if (!h)
		abort();
	*h = *tt;
	grens_net_free(h);
	memset(tt, 0, sizeof(*tt));
}

/* Convenience: append a trip over stops[0..n) with times "HH:MM" pairs
 * given as seconds; dwell 0 (arr == dep). */
static inline uint32_t tb_add_trip(tb_net *net, const char *id, uint32_t route, uint32_t service,
			    uint32_t n, const uint32_t *stops, const int32_t *times)
{
	tb_trip *t = &net->trips[net->trip_count];
	memset(t, 0, sizeof(*t));
	t->n = n;
	for (uint32_t i = 0; i < n; i++) {
		t->stop[i] = stops[i];
		t->arr[i] = times[i];
		t->dep[i] = times[i];
	}
	t->service = service;
	t->route = route;
	t->block_next = GRENS_NONE;
	snprintf(t->id, sizeof(t->id), "%s", id);
	snprintf(t->headsign, sizeof(t->headsign), "to s%u", stops[n - 1]);
	return net->trip_count++;
}

#endif
