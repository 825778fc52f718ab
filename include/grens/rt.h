/* grens rt: GTFS-realtime. Decodes a FeedMessage (protobuf, compiled from
 * src/rt/gtfs-realtime.proto with protoc-c), matches its TripUpdates to the
 * trips of a built timetable and keeps the result as an overlay with its own
 * memory: the timetable itself is never changed.
 *
 * Use:
 *   grens_rt_feed *feed;   grens_rt_decode_file(&feed, path, &err);
 *   grens_rt_overlay *ov;  grens_rt_apply(&ov, tt, gtfs_feeds, n, &feed, 1, &opts, diag, &err);
 *   ... grens_rt_trip_cancelled(ov, trip, date), grens_rt_stop_time(ov, ...) ...
 *   grens_rt_overlay_release(ov); grens_rt_feed_free(feed);
 * A long-running reader keeps a grens_rt_live, which swaps overlays whole. */
#ifndef GRENS_RT_H
#define GRENS_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grens/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- decoding ------------------------------------------------------------ */

/* A decoded FeedMessage (opaque). */
typedef struct grens_rt_feed grens_rt_feed;

/* Check that the file at path is a GTFS-realtime FeedMessage: reads it
 * (at most GRENS_LIMIT_RT_BYTES), decodes it and frees it. Used to verify
 * downloads before they replace the cached copy. Returns 0, or
 * GRENS_EFORMAT with a message naming the problem (empty file, an HTML or
 * text page, a truncated or corrupt message with the byte offset, a missing
 * header), GRENS_ELIMIT when the file is too large, GRENS_EIO when it cannot
 * be read, GRENS_ENOMEM. err->file is set to path. */
int grens_rt_check(const char *path, grens_error *err);

/* Decode a FeedMessage from buf[0..len); name is used in messages (may be
 * NULL). On success *out is the caller's (free with grens_rt_feed_free);
 * buf may be freed afterwards. Errors as grens_rt_check. */
int grens_rt_decode(grens_rt_feed **out, const uint8_t *buf, size_t len, const char *name,
		    grens_error *err);
/* Read and decode the file at path. Errors as grens_rt_check. */
int grens_rt_decode_file(grens_rt_feed **out, const char *path, grens_error *err);
void grens_rt_feed_free(grens_rt_feed *feed);

typedef enum {
	GRENS_RT_FULL_DATASET = 0,
	GRENS_RT_DIFFERENTIAL = 1,
} grens_rt_incrementality;

/* What a FeedMessage holds, counted while decoding. */
typedef struct grens_rt_feed_summary {
	const char *version;          /* gtfs_realtime_version, owned by the feed */
	grens_rt_incrementality incrementality;
	int64_t timestamp;            /* header timestamp (POSIX seconds), 0 when absent */
	uint32_t entities;            /* FeedEntity count */
	uint32_t deleted;             /* entities with is_deleted */
	uint32_t trip_updates;
	uint32_t vehicle_positions;
	uint32_t alerts;
} grens_rt_feed_summary;

/* The summary of a decoded feed (never fails). */
void grens_rt_feed_summarize(const grens_rt_feed *feed, grens_rt_feed_summary *out);

#ifdef __cplusplus
}
#endif
#endif
