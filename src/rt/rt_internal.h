/* Private to rt/: the decoded message and helpers shared by decode.c,
 * apply.c and tz.c. */
#ifndef GRENS_RT_INTERNAL_H
#define GRENS_RT_INTERNAL_H

#include <protobuf-c/protobuf-c.h>

#include "grens/rt.h"
#include "gtfs-realtime.pb-c.h"

/* protobuf-c allocations are counted against GRENS_LIMIT_RT_DECODED_BYTES
 * so a small hostile message cannot make the decoder take unbounded memory. */
typedef struct rt_alloc_state {
	size_t used;
	size_t limit;
	int exceeded;
} rt_alloc_state;

struct grens_rt_feed {
	TransitRealtime__FeedMessage *msg;
	rt_alloc_state alloc_state;
	ProtobufCAllocator allocator;
	grens_rt_feed_summary summary;
	char name[256];
};

/* UTC offset (seconds east) of the zone at POSIX time t, read from the TZif
 * file of the IANA zone name. 0 with *offset set, GRENS_ENOTFOUND when the
 * zone is unknown, GRENS_EFORMAT when its file is unreadable. */
int rt_tz_offset(const char *zone, int64_t t, int32_t *offset);

#endif
