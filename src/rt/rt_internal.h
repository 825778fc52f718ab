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

/* POSIX times beyond +-2^40 s (about 35000 years) are junk in a feed; they
 * are ignored so that arithmetic on them cannot overflow. */
#define RT_TIME_LIMIT ((int64_t)1 << 40)

struct grens_rt_feed {
	TransitRealtime__FeedMessage *msg;
	rt_alloc_state alloc_state;
	ProtobufCAllocator allocator;
	grens_rt_feed_summary summary;
	char name[256];
};

/* A time zone read from its TZif file: UTC offsets between transitions. */
typedef struct rt_tz {
	uint32_t count;	 /* transitions */
	int64_t *at;	 /* [count] POSIX time of each transition, ascending */
	int32_t *offset; /* [count] UTC offset (s east) from that transition on */
	int32_t before;	 /* offset before the first transition */
} rt_tz;

/* Load the IANA zone (e.g. "Europe/Amsterdam") from /usr/share/zoneinfo.
 * GRENS_ENOTFOUND for an unknown or malformed name, GRENS_EFORMAT for a bad
 * file, GRENS_ENOMEM. On success free with rt_tz_free. */
int rt_tz_load(rt_tz *tz, const char *zone, grens_error *err);
void rt_tz_free(rt_tz *tz);
/* UTC offset in seconds east at POSIX time t (after the last transition the
 * last offset holds: TZif files of Debian's tzdata list transitions to 2037). */
int32_t rt_tz_offset(const rt_tz *tz, int64_t t);
/* Noon-minus-12h of date (POSIX seconds) and the local date of t. */
int64_t rt_tz_day_start(const rt_tz *tz, grens_date date);
grens_date rt_tz_local_date(const rt_tz *tz, int64_t t);

#endif
