/* Private to rt/: the decoded message and helpers shared by decode.c,
 * apply.c and tz.c. */
#ifndef GRENS_RT_INTERNAL_H
#define GRENS_RT_INTERNAL_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>

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
/* One daylight-saving switch of a POSIX TZ rule: month m, week w (5 =
 * last), weekday d (0 = Sunday), at `time` seconds of local time. */
typedef struct rt_tz_switch {
	int month, week, weekday;
	int32_t time;
} rt_tz_switch;

typedef struct rt_tz {
	uint32_t count;	 /* transitions */
	int64_t *at;	 /* [count] POSIX time of each transition, ascending */
	int32_t *offset; /* [count] UTC offset (s east) from that transition on */
	int32_t before;	 /* offset before the first transition */
	/* After the last transition: the TZif footer's POSIX TZ rule. */
	bool has_rule;
	bool rule_dst;			   /* the rule has daylight saving time */
	int32_t rule_std, rule_dst_off;	   /* offsets (s east) */
	rt_tz_switch rule_start, rule_end; /* into and out of DST */
} rt_tz;

/* Parse a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3") into tz's rule.
 * 0, or -1 when it is not of the supported form (M rules only). */
int rt_tz_parse_rule(rt_tz *tz, const char *s, size_t len);

/* Load the IANA zone (e.g. "Europe/Amsterdam") from /usr/share/zoneinfo.
 * GRENS_ENOTFOUND for an unknown or malformed name, GRENS_EFORMAT for a bad
 * file, GRENS_ENOMEM. On success free with rt_tz_free. */
int rt_tz_load(rt_tz *tz, const char *zone, grens_error *err);
void rt_tz_free(rt_tz *tz);
/* UTC offset in seconds east at POSIX time t (after the last transition,
 * from the footer's rule when the file has one, else the last offset). */
int32_t rt_tz_offset(const rt_tz *tz, int64_t t);
/* Noon-minus-12h of date (POSIX seconds) and the local date of t. */
int64_t rt_tz_day_start(const rt_tz *tz, grens_date date);
grens_date rt_tz_local_date(const rt_tz *tz, int64_t t);

#endif
