/* Private to src/net/. */
#ifndef GRENS_NET_INTERNAL_H
#define GRENS_NET_INTERNAL_H

#include <stdint.h>

#include "grens/net.h"

/* uthash without abort(): an OOM inside HASH_ADD sets the local `hash_oom`
 * that every adding function declares. */
#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) ((void)(obj), hash_oom = 1)
#include <uthash.h>

/* "feed index + GTFS id" -> index. */
struct net_id_entry {
	UT_hash_handle hh;
	uint32_t value;
	uint32_t key_len;
	char key[]; /* feed index as 4 bytes, then the id (not NUL-terminated) */
};

/* Folded stop name -> stops with that name (a linked list through next). */
struct net_name_entry {
	UT_hash_handle hh;
	uint32_t first_stop; /* head of the list in name_next */
	char *key;           /* folded name, malloc'd */
};

struct grens_net_index {
	struct net_id_entry *stops;
	struct net_id_entry *trips;
	struct net_name_entry *names;
	uint32_t *name_next; /* [stop] next stop with the same folded name, GRENS_NONE ends */
	char **folded;       /* [stop] folded name, malloc'd */
	uint32_t stop_count;
};

int net_index_build(grens_timetable *tt, grens_error *err);
void net_index_free(struct grens_net_index *index);

#endif
