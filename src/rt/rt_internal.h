/* Private to rt/: the decoded message and helpers shared by decode.c,
 * apply.c and live.c. */
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

/* Read the whole file at path, at most GRENS_LIMIT_RT_BYTES (also the bound
 * of an archive's index); *out is the caller's. GRENS_ENOTFOUND, GRENS_EIO,
 * GRENS_ELIMIT, GRENS_EFORMAT (a directory), GRENS_ENOMEM. */
int rt_read_file(const char *path, uint8_t **out, size_t *out_len, grens_error *err);

/* Write bytes to dir/name through a hidden temporary file, fsync'ed and
 * renamed (the archive's writer, shared with the recorder's status file). */
int rt_archive_write_atomic(const char *dir, const char *name, const void *bytes, size_t len,
			    grens_error *err);

/* The timetable's stop times of trip (*n of them: its pattern's length). */
const grens_net_stop_time *rt_scheduled_times(const grens_timetable *tt, uint32_t trip,
					       uint32_t *n);

/* A new overlay over tt holding copies of trips[0..n) (sorted by trip then
 * date, one per key) and added[0..nadded), with counts; how realised.c
 * builds the overlay the routers read. GRENS_ENOMEM. */
int rt_overlay_assemble(grens_rt_overlay **out, const grens_timetable *tt,
			const grens_rt_trip *trips, uint32_t n, const grens_rt_added_trip *added,
			uint32_t nadded, const grens_rt_counts *counts, grens_error *err);

#endif
