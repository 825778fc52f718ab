/* Private to the library: a timetable derived from a built one by dropping
 * trips and adding new ones (src/net/derive.c), the layout step of a
 * scenario applied to a built timetable (src/scenario/derive.c). */
#ifndef GRENS_NET_DERIVE_H
#define GRENS_NET_DERIVE_H

#include <stdint.h>

#include "grens/net.h"

/* A route added to the base's: string offsets into the derived strings. */
typedef struct net_add_route {
	uint32_t feed, id, short_name, long_name, agency_name;
	int32_t type;
} net_add_route;

/* A trip added: route and service index the base's, then the added ones
 * (base count + i); strings are offsets into the derived strings. */
typedef struct net_add_trip {
	uint32_t feed, route, service;
	uint32_t id, short_name, headsign;
	uint32_t alt_feed, alt_id;
	int32_t frequency_start;
	uint32_t stop_count; /* at least 2 */
	const uint32_t *stops;		  /* [stop_count] base stop indices */
	const grens_net_stop_time *times; /* [stop_count] never decreasing */
	const uint8_t *flags;		  /* [stop_count] GRENS_NET_NO_PICKUP | NO_DROP_OFF */
} net_add_trip;

typedef struct net_derive_in {
	const uint8_t *drop; /* [base trip_count] 1: the trip does not run */
	/* appended to the base's strings: offsets from base->strings_size */
	const char *strings;
	uint64_t strings_size;
	const net_add_route *routes;
	uint32_t route_count;
	const uint64_t *services; /* [service_count * base->words_per_service] */
	uint32_t service_count;
	const net_add_trip *trips;
	uint32_t trip_count;
} net_derive_in;

/* The stops of a name key (grens_net_name_key) through tt's index (tt
 * must have one): the first, in ascending stop order, and the next after
 * stop; GRENS_NONE ends. And a stop's own key. For the scenario's stop
 * lookups on a built timetable. */
uint32_t net_name_first(const grens_timetable *tt, const char *key);
uint32_t net_name_next(const grens_timetable *tt, uint32_t stop);
const char *net_name_key_of(const grens_timetable *tt, uint32_t stop);

/* The base with the input applied into *out (grens_net_free). Stops,
 * footpaths, feeds and the id and name index are the base's, shared (the
 * base must outlive the result); trip indices of the base stay (a dropped
 * trip runs on no day), added trips follow in new patterns grouped and
 * sorted as grens_net_build groups them. GRENS_ENOMEM, GRENS_ELIMIT,
 * GRENS_EARG for an index out of range or decreasing times. */
int net_derive(grens_timetable **out, const grens_timetable *base, const net_derive_in *in,
	       grens_error *err);

#endif
