/* Private to src/net/. */
#ifndef GRENS_NET_INTERNAL_H
#define GRENS_NET_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "grens/net.h"

/* Every [trip] array of grens_timetable, in struct order. The builder, the
 * cut, grens_net_keep_trips and the snapshot take the trip arrays from this
 * list, so a trip field is added to the struct and here, and nowhere else
 * is forgotten: the assertion fails the build when the struct's trip block
 * holds an array the list does not name, and snapshot.c asserts the count. */
#define NET_TRIP_ARRAYS(X)                                                                         \
	X(trip_pattern)                                                                            \
	X(trip_service)                                                                            \
	X(trip_feed)                                                                               \
	X(trip_id)                                                                                 \
	X(trip_short_name)                                                                         \
	X(trip_headsign)                                                                           \
	X(trip_block_next)                                                                         \
	X(trip_frequency_start)                                                                    \
	X(trip_alt_feed)                                                                           \
	X(trip_alt_id)
#define NET_TRIP_ONE_(field) +1
#define NET_TRIP_ARRAY_COUNT (0 NET_TRIP_ARRAYS(NET_TRIP_ONE_))
_Static_assert(offsetof(grens_timetable, stop_place) - offsetof(grens_timetable, trip_pattern) ==
		   NET_TRIP_ARRAY_COUNT * sizeof(uint32_t *),
	       "a [trip] array of grens_timetable is missing from NET_TRIP_ARRAYS");

/* In dst (trip_count trips), allocate from arena, zeroed, each trip array
 * that like has (like NULL: every one); the others are set NULL.
 * GRENS_ENOMEM. */
int net_trip_arrays_alloc(grens_timetable *dst, grens_arena *arena, const grens_timetable *like,
			  uint64_t trip_count);
/* Copy every trip array dst has from trip st of src to trip dt of dst. */
void net_trip_copy(grens_timetable *dst, uint32_t dt, const grens_timetable *src, uint32_t st);

/* uthash without abort(): an OOM inside HASH_ADD sets the local `hash_oom`
 * that every adding function declares. */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) ((void)(obj), hash_oom = 1)
#include <stdbool.h>
#include <uthash.h>

/* Id and name lookups, pointer-free so a snapshot stores them as they are
 * (index.c): open-addressing tables of 32-bit values with linear probing,
 * GRENS_NONE marking an empty slot, keys hashed by grens_xxh64 (the same on
 * every machine). The arrays are malloc'd by net_index_build or point into a
 * snapshot mapping (then `map` is the mapping, unmapped on free). */
#define NET_INDEX_ALT 0x80000000u /* trip slot value: the trip's alternative id */
struct grens_net_index {
	uint32_t stop_mask, trip_mask, name_mask; /* slots - 1 (powers of two) */
	uint32_t *stop_slots; /* stop index; key (stop_feed, stop_id) */
	uint32_t *trip_slots; /* trip index, | NET_INDEX_ALT for (trip_alt_feed, trip_alt_id) */
	uint32_t *name_slots; /* first stop with a folded name */
	uint32_t *name_next;  /* [stop] next stop with the same folded name, GRENS_NONE ends */
	uint64_t *folded_off; /* [stop] offset of the folded name in folded */
	char *folded;         /* NUL-terminated folded stop names */
	uint64_t folded_size;
	uint32_t stop_count;
	uint32_t trip_count;  /* trips indexed: a derived timetable's added ones are not */
	bool owned;           /* the arrays are malloc'd */
	void *map;            /* snapshot mapping or NULL */
	size_t map_size;
	char *provenance;     /* a snapshot's provenance text (in the mapping) or NULL */
	uint64_t provenance_size;
	char inputs_sha256[65];
};

static inline const char *net_index_folded(const struct grens_net_index *ix, uint32_t stop)
{
	return ix->folded + ix->folded_off[stop];
}

/* ---- building with several feeds (build.c, link.c, merge.c) ---- */

/* One run the builder turns into a timetable trip: a GTFS trip on the
 * service days of `service`, its times shifted into the query time base,
 * optionally continued by a trip of another feed (a joined cross-border
 * run: the primary's stops, then the continuation's after the first skip2). */
struct net_src {
	uint32_t feed, trip;
	uint32_t feed2, trip2; /* GRENS_NONE unless joined */
	uint32_t skip2;
	int32_t shift, shift2; /* seconds added to the times */
	uint32_t service;      /* timetable service index; GRENS_NONE: dropped */
	uint32_t alt_feed, alt_trip; /* the same run in another feed (GTFS trip index) */
};

/* Service-day bitsets: the feeds' services first (their indices fixed), then
 * derived ones (a service split by a time-zone shift or reduced by merging),
 * de-duplicated. */
struct net_service_entry;
struct net_services {
	uint64_t *bits; /* [count * words] */
	uint32_t count, cap, words;
	struct net_service_entry *hash;
};
/* Add a bitset (words long); with dedupe an equal derived set is reused. */
int net_services_add(struct net_services *sv, const uint64_t *bits, int dedupe, uint32_t *index);
static inline const uint64_t *net_services_get(const struct net_services *sv, uint32_t i)
{
	return sv->bits + (size_t)i * sv->words;
}

struct net_merge_rec {
	grens_net_merge_kind kind;
	uint32_t feed_a, trip_a, feed_b, trip_b; /* GTFS trip indices */
	uint32_t src;                            /* the run that carries the merged trip */
	uint32_t shared, days;
	int32_t max_diff;
};

struct net_ctx {
	const grens_gtfs_feed *const *feeds;
	uint32_t feed_count;
	const grens_net_options *opts;
	grens_diag *diag;
	grens_timetable *tt;
	uint32_t *stop_base, *route_base, *service_base; /* [feed] */
	struct net_src *src;
	uint32_t src_count, src_cap;
	struct net_services services;
	grens_net_stop_match *matches;
	uint32_t match_count, match_cap;
	grens_net_near_miss *misses;
	uint32_t miss_count, miss_cap;
	struct net_merge_rec *merges;
	uint32_t merge_count, merge_cap;
	uint32_t links_unresolved;
	uint32_t misses_over_limit;
	grens_net_far_link *far_links;
	uint32_t far_link_count, far_link_cap;
};

/* Growable array helper: make room for one more element. */
int net_grow(void **v, uint32_t *cap, size_t elem, uint32_t need);

/* Accessors of a run (build.c). */
uint32_t net_src_len(const struct net_ctx *c, uint32_t s);
uint32_t net_src_stop(const struct net_ctx *c, uint32_t s, uint32_t i); /* timetable stop */
int32_t net_src_arr(const struct net_ctx *c, uint32_t s, uint32_t i);
int32_t net_src_dep(const struct net_ctx *c, uint32_t s, uint32_t i);
uint8_t net_src_flags(const struct net_ctx *c, uint32_t s, uint32_t i);
int net_src_push(struct net_ctx *c, const struct net_src *src);

/* Match stops across feeds (link.c): fills c->matches, c->misses and
 * tt->stop_place (allocated in the timetable's arena). */
int net_link_stops(struct net_ctx *c);
/* Merge runs present in two feeds (merge.c): edits c->src and c->services. */
int net_merge_trips(struct net_ctx *c);

int net_build_footpaths(grens_timetable *tt, const grens_gtfs_feed *const *feeds,
			uint32_t feed_count, const uint32_t *stop_base,
			const grens_net_options *opts, const grens_net_stop_match *matches,
			uint32_t match_count, uint32_t *link_footpaths, grens_diag *diag);

/* A step grens_net_build_plain takes over from the build: after the
 * patterns, blocks and stop -> pattern lists, instead of the footpaths and
 * change times from transfers.txt, finish(ctx, tt, runs, run_count,
 * new_index) with new_index[run] the run's timetable trip (GRENS_NONE when
 * dropped). Arrays it adds go into tt->arena. */
struct net_build_hook {
	int (*finish)(void *ctx, grens_timetable *tt, const struct net_src *src,
		      uint32_t src_count, const uint32_t *new_index);
	void *ctx;
};

/* grens_net_build_linked after its argument checks; hook NULL: as it is. */
int net_build_feeds(grens_timetable **out, grens_net_link_report **report,
		    const grens_gtfs_feed *const *feeds, uint32_t feed_count,
		    const grens_net_options *opts, const struct net_build_hook *hook,
		    grens_diag *diag, grens_error *err);

int net_index_build(grens_timetable *tt, grens_error *err);
void net_index_free(struct grens_net_index *index);

#endif
