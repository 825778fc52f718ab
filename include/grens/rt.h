/* grens rt: GTFS-realtime. Decodes a FeedMessage (protobuf, compiled from
 * src/rt/gtfs-realtime.proto with protoc-c), matches its TripUpdates to the
 * trips of a built timetable and keeps the result as an overlay with its own
 * memory: the timetable itself is never changed.
 *
 * Use:
 *   grens_rt_feed *feed;   grens_rt_decode_file(&feed, path, &err);
 *   grens_rt_overlay *ov;  grens_rt_apply(&ov, tt, gtfs_feeds, n, feed, &opts, diag, &err);
 *   grens_rt_feed_free(feed);
 *   ... grens_rt_times(ov, tt, trip, date), grens_rt_trip_find(ov, trip, date) ...
 *   grens_rt_overlay_release(ov);
 * A long-running reader keeps a grens_rt_live, which swaps overlays whole. */
#ifndef GRENS_RT_H
#define GRENS_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grens/core.h"
#include "grens/fetch.h"
#include "grens/gtfs.h"
#include "grens/net.h"

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
 * header), GRENS_ELIMIT when the file is too large, GRENS_ENOTFOUND when it
 * does not exist, GRENS_EIO when it cannot be read, GRENS_ENOMEM. err->file
 * is set to path. */
GRENS_EXTERN int grens_rt_check(const char *path, grens_error *err);

/* Decode a FeedMessage from buf[0..len); name is used in messages (may be
 * NULL). On success *out is the caller's (free with grens_rt_feed_free);
 * buf may be freed afterwards. Errors as grens_rt_check. */
GRENS_EXTERN int grens_rt_decode(grens_rt_feed **out, const uint8_t *buf, size_t len,
				 const char *name, grens_error *err);
/* Read and decode the file at path. Errors as grens_rt_check. */
GRENS_EXTERN int grens_rt_decode_file(grens_rt_feed **out, const char *path, grens_error *err);
/* Free a decoded feed; NULL is accepted. */
GRENS_EXTERN void grens_rt_feed_free(grens_rt_feed *feed);

typedef enum {
	GRENS_RT_FULL_DATASET = 0,
	GRENS_RT_DIFFERENTIAL = 1,
} grens_rt_incrementality;

/* What a FeedMessage holds, counted while decoding. */
typedef struct grens_rt_feed_summary {
	const char *version; /* gtfs_realtime_version, owned by the feed */
	grens_rt_incrementality incrementality;
	int64_t timestamp; /* header timestamp (POSIX seconds), 0 when absent */
	uint32_t entities; /* FeedEntity count */
	uint32_t deleted;  /* entities with is_deleted */
	uint32_t trip_updates;
	uint32_t vehicle_positions;
	uint32_t alerts;
} grens_rt_feed_summary;

/* The summary of a decoded feed (never fails). */
GRENS_EXTERN void grens_rt_feed_summarize(const grens_rt_feed *feed, grens_rt_feed_summary *out);

/* ---- applying: the overlay -----------------------------------------------
 * An overlay holds what one FeedMessage says about one timetable: per
 * (trip, service date) the live times at each pattern position, skipped
 * stops and cancellations; the trips the feed adds; the alerts; and the
 * counts of every outcome. It owns its memory, never changes the timetable,
 * and is immutable once built, so any number of readers may use it at once.
 * It is reference counted so a grens_rt_live can swap it while readers still
 * hold the previous one. */
typedef struct grens_rt_overlay grens_rt_overlay;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_RT_OPTIONS_VERSION 1

typedef struct grens_rt_options {
	unsigned version; /* GRENS_RT_OPTIONS_VERSION (set by GRENS_RT_OPTIONS_INIT) */
	/* Name of the timetable feed the realtime feed describes (its trip and
	 * stop ids); NULL searches every feed of the timetable in order. */
	const char *feed_name;
	/* "Now" in POSIX seconds for the staleness check; 0 disables it. */
	int64_t now;
	/* A TripUpdate whose timestamp (its own, else the header's) is more than
	 * max_age_s before now is stale and not applied; 0 disables the check. */
	int64_t max_age_s;
	/* Live times that decrease along a trip are raised to the previous time
	 * (fixed, default) or the whole TripUpdate is dropped (rejected). */
	bool reject_decreasing;
	/* Preferred language of alert texts (BCP 47, e.g. "en"); NULL or no match
	 * takes the translation without language, else the first. */
	const char *lang;
} grens_rt_options;

#define GRENS_RT_OPTIONS_INIT                                                                      \
	{                                                                                          \
		.version = GRENS_RT_OPTIONS_VERSION, .feed_name = NULL, .now = 0, .max_age_s = 0,  \
		.reject_decreasing = false, .lang = NULL,                                          \
	}

/* Every outcome of applying a feed, counted. Each TripUpdate entity lands in
 * exactly one of matched, unknown_trip, no_service_on_date, stale, added,
 * invalid, unsupported; cancelled and duplicates are subsets of matched,
 * decreasing_* count matched and added trips. unknown_stop and skipped_stops
 * count stop time updates. */
typedef struct grens_rt_counts {
	uint32_t entities, deleted, trip_updates, vehicle_positions, alerts;
	uint32_t matched;	      /* resolved to a timetable trip running on the date */
	uint32_t unknown_trip;	      /* trip_id not in the timetable (or none given) */
	uint32_t no_service_on_date;  /* the trip exists but does not run on that date */
	uint32_t stale;		      /* older than max_age_s before now */
	uint32_t added;		      /* ADDED/NEW trips kept in the overlay */
	uint32_t invalid;	      /* bad start_date/start_time, added trip without times */
	uint32_t unsupported;	      /* DUPLICATED, UNSCHEDULED trips */
	uint32_t cancelled;	      /* CANCELED/DELETED trips */
	uint32_t decreasing_fixed;    /* trips whose decreasing live times were raised */
	uint32_t decreasing_rejected; /* trips dropped for decreasing live times */
	uint32_t duplicates;	      /* a later TripUpdate for the same trip and date won */
	uint32_t stop_updates;	      /* stop time updates resolved to a pattern position */
	uint32_t unknown_stop;	      /* stop time updates whose stop is not on the trip */
	uint32_t skipped_stops;	      /* SKIPPED stop time updates applied */
	uint32_t vehicle_positions_matched; /* positions naming a known trip */
	/* Delays (s) of the stop time updates that carried a time or a delay:
	 * nearest-rank percentiles, and the largest; delay_samples 0 = none. */
	uint32_t delay_samples;
	int32_t delay_p50, delay_p90, delay_max;
} grens_rt_counts;

/* Flags of a stop in grens_rt_trip.stop_flags. */
#define GRENS_RT_STOP_LIVE 0x1u	   /* times are a prediction (else the schedule) */
#define GRENS_RT_STOP_SKIPPED 0x2u /* the vehicle does not stop here */

/* The live state of one scheduled trip on one service date. Times use the
 * timetable's time base of that service date (seconds since noon-minus-12h).
 * For a cancelled trip, times and stop_flags are NULL. */
typedef struct grens_rt_trip {
	uint32_t trip;	 /* timetable trip index */
	grens_date date; /* service date */
	bool cancelled;
	uint32_t stop_count;		  /* = the trip's pattern length */
	const grens_net_stop_time *times; /* [stop_count]: live where LIVE, else scheduled */
	const uint8_t *stop_flags;	  /* [stop_count] GRENS_RT_STOP_* */
	/* Realised overlays only (grens_rt_realised_build): the trip runs on
	 * the date but no snapshot mentioned it; cancelled is then true unless
	 * the options asked to run such trips as scheduled. */
	bool no_data;
} grens_rt_trip;

/* A trip the feed adds (TripDescriptor ADDED or NEW) with its own stop times. */
typedef struct grens_rt_added_trip {
	const char *trip_id;
	const char *route_id; /* "" when the feed gives none */
	uint32_t feed;	      /* timetable feed index whose stop ids were used */
	uint32_t route;	      /* timetable route index or GRENS_NONE */
	grens_date date;      /* service date of the times */
	uint32_t stop_count;
	const uint32_t *stops;		  /* [stop_count] timetable stop indices */
	const grens_net_stop_time *times; /* [stop_count] time base of date */
} grens_rt_added_trip;

typedef struct grens_rt_period {
	int64_t start, end; /* POSIX seconds, 0 = open */
} grens_rt_period;

/* An informed entity of an alert; "" / -1 for what it does not name. */
typedef struct grens_rt_informed_entity {
	const char *agency_id, *route_id, *trip_id, *stop_id;
	int32_t route_type;
	int32_t direction_id;
} grens_rt_informed_entity;

typedef struct grens_rt_alert {
	const char *entity_id;
	const char *cause;    /* enum name from the specification, e.g. "MAINTENANCE" */
	const char *effect;   /* e.g. "SIGNIFICANT_DELAYS" */
	const char *severity; /* e.g. "WARNING" */
	const char *header;   /* chosen translation, "" when absent */
	const char *description;
	const char *url;
	uint32_t period_count;
	const grens_rt_period *periods;
	uint32_t entity_count;
	const grens_rt_informed_entity *entities;
} grens_rt_alert;

/* Match the feed's TripUpdates to the trips of tt and build an overlay.
 * gtfs[0..gtfs_count) are the loaded feeds tt was built from (may be NULL):
 * they give the GTFS stop_sequence of each pattern position, needed for stop
 * time updates that name only a stop_sequence. Data that does not resolve is
 * counted and reported to diag (file = the feed's name, line = 1-based
 * entity number); only an unusable call fails: GRENS_EARG (unknown
 * feed_name), GRENS_ENOMEM. On success *out holds one reference, the
 * caller's (grens_rt_overlay_release). The overlay copies what it keeps
 * from feed (which may be freed); its trip and stop indices refer to tt,
 * which must outlive it. */
GRENS_EXTERN int grens_rt_apply(grens_rt_overlay **out, const grens_timetable *tt,
				const grens_gtfs_feed *const *gtfs, uint32_t gtfs_count,
				const grens_rt_feed *feed, const grens_rt_options *opts,
				grens_diag *diag, grens_error *err);

/* Take / drop a reference. The last release frees the overlay. NULL is
 * accepted by release. */
GRENS_EXTERN grens_rt_overlay *grens_rt_overlay_retain(grens_rt_overlay *ov);
GRENS_EXTERN void grens_rt_overlay_release(grens_rt_overlay *ov);

/* The counts and the header of the feed the overlay was built from. */
GRENS_EXTERN const grens_rt_counts *grens_rt_overlay_counts(const grens_rt_overlay *ov);
GRENS_EXTERN const grens_rt_feed_summary *grens_rt_overlay_header(const grens_rt_overlay *ov);

/* The live state of trip on service date, or NULL when the feed says nothing
 * about it (run as scheduled). O(1) for untouched trips, O(log n) else. */
GRENS_EXTERN const grens_rt_trip *grens_rt_trip_find(const grens_rt_overlay *ov, uint32_t trip,
						     grens_date date);
/* The stop times a router uses for trip on service date: the overlay's
 * (live where predicted, scheduled elsewhere) when it has the trip, else the
 * timetable's own row; NULL when the trip is cancelled that day. ov may be
 * NULL (no realtime). The pointer lives as long as ov and tt. */
GRENS_EXTERN const grens_net_stop_time *grens_rt_times(const grens_rt_overlay *ov,
						       const grens_timetable *tt, uint32_t trip,
						       grens_date date);
/* Does any trip of the pattern have live state (on any date)? A router keeps
 * its binary search by departure for untouched patterns and scans touched
 * ones trip by trip, since delays may reorder their trips. */
GRENS_EXTERN bool grens_rt_pattern_touched(const grens_rt_overlay *ov, uint32_t pattern);
/* Is the trip cancelled on that service date? */
GRENS_EXTERN bool grens_rt_trip_cancelled(const grens_rt_overlay *ov, uint32_t trip,
					  grens_date date);
/* Live arrival/departure at pattern position pos: 1 with *out set when the
 * feed predicts it, 0 for "no change" (use the schedule; also for a
 * cancelled trip or a position out of range). */
GRENS_EXTERN int grens_rt_stop_time(const grens_rt_overlay *ov, uint32_t trip, grens_date date,
				    uint32_t pos, grens_net_stop_time *out);
/* Is pattern position pos of the trip skipped on that date? */
GRENS_EXTERN bool grens_rt_stop_skipped(const grens_rt_overlay *ov, uint32_t trip, grens_date date,
					uint32_t pos);

/* Trips with live state (including cancelled ones), sorted by trip then date. */
GRENS_EXTERN uint32_t grens_rt_trip_count(const grens_rt_overlay *ov);
GRENS_EXTERN const grens_rt_trip *grens_rt_trip_at(const grens_rt_overlay *ov, uint32_t i);
/* Trips the feed adds, in feed order. */
GRENS_EXTERN uint32_t grens_rt_added_count(const grens_rt_overlay *ov);
GRENS_EXTERN const grens_rt_added_trip *grens_rt_added_at(const grens_rt_overlay *ov, uint32_t i);
/* Alerts, in feed order. */
GRENS_EXTERN uint32_t grens_rt_alert_count(const grens_rt_overlay *ov);
GRENS_EXTERN const grens_rt_alert *grens_rt_alert_at(const grens_rt_overlay *ov, uint32_t i);

/* ---- swapping: the live overlay ------------------------------------------
 * Holds the current overlay of a long-running reader (router, server).
 * Updates build a new overlay and replace the current one whole; a failed
 * decode or apply keeps the last good overlay. Safe across threads. */
typedef struct grens_rt_live grens_rt_live;

/* NULL on OOM. */
GRENS_EXTERN grens_rt_live *grens_rt_live_new(void);
/* Frees the holder and drops its reference to the current overlay. */
GRENS_EXTERN void grens_rt_live_free(grens_rt_live *live);
/* The current overlay with a reference for the caller (release it when the
 * query is done), or NULL when none has been loaded yet. */
GRENS_EXTERN grens_rt_overlay *grens_rt_live_acquire(grens_rt_live *live);
/* Replace the current overlay by ov (takes over the caller's reference). */
GRENS_EXTERN void grens_rt_live_replace(grens_rt_live *live, grens_rt_overlay *ov);
/* Decode the file at path, apply it and replace the current overlay. On any
 * error the current overlay stays and the error is returned (as
 * grens_rt_decode_file / grens_rt_apply). */
GRENS_EXTERN int grens_rt_live_update(grens_rt_live *live, const grens_timetable *tt,
				      const grens_gtfs_feed *const *gtfs, uint32_t gtfs_count,
				      const char *path, const grens_rt_options *opts,
				      grens_diag *diag, grens_error *err);

/* ---- archives: recorded snapshots -----------------------------------------
 * A folder of FeedMessages recorded over time (grens rt record), one
 * sub-folder per UTC day:
 *   DIR/YYYY-MM-DD/HHMMSSZ-FEED-SHA12.pb.gz   one distinct snapshot, gzip
 *   DIR/YYYY-MM-DD/index.csv                  received_utc,header_timestamp,
 *                                             feed,sha256,bytes,file
 * Every file is written to a hidden temporary name, fsync'ed and renamed,
 * so a reader never sees half a file. The index is derived data: when it is
 * missing, or lists fewer snapshots than the folder holds, it is rebuilt from
 * the files (whose names carry the received time, the feed and the hash). */
typedef struct grens_rt_archive grens_rt_archive;

/* One snapshot of an archive. */
typedef struct grens_rt_snapshot {
	int64_t received;  /* POSIX seconds (UTC) the download finished */
	int64_t header_ts; /* FeedMessage header timestamp, 0 when absent */
	char feed[64];	   /* the recorded feed's name */
	char sha256[65];   /* of the uncompressed FeedMessage */
	uint64_t bytes;	   /* uncompressed size */
	char file[128];	   /* "YYYY-MM-DD/HHMMSSZ-FEED-SHA12.pb.gz" below the archive */
} grens_rt_snapshot;

/* What opening an archive found. */
typedef struct grens_rt_archive_stats {
	uint32_t days;		 /* day folders */
	uint32_t snapshots;	 /* listed */
	uint32_t corrupt;	 /* files that did not decode (renamed *.corrupt when writable) */
	uint32_t reindexed_days; /* indexes rebuilt from the files */
	uint32_t temp_removed;	 /* temporary files of an interrupted write removed */
	uint32_t removed_days;	 /* day folders removed by grens_rt_archive_prune */
	uint64_t bytes;		 /* uncompressed bytes of the listed snapshots */
} grens_rt_archive_stats;

/* Open the archive in dir. writable: create dir when missing, remove
 * temporary files left by an interrupted write, rename snapshots that do not
 * decode to *.corrupt and rewrite indexes that had to be rebuilt; else only
 * read (a rebuilt index stays in memory). A corrupt index row or file is
 * skipped and counted, never fatal. On success *out is the caller's
 * (grens_rt_archive_free). GRENS_ENOTFOUND (no such folder, read-only),
 * GRENS_EIO, GRENS_ELIMIT (too many snapshots), GRENS_ENOMEM. */
GRENS_EXTERN int grens_rt_archive_open(grens_rt_archive **out, const char *dir, bool writable,
				       grens_error *err);
GRENS_EXTERN void grens_rt_archive_free(grens_rt_archive *ar);
GRENS_EXTERN const grens_rt_archive_stats *grens_rt_archive_stats_get(const grens_rt_archive *ar);
/* Snapshots by received time (then feed). */
GRENS_EXTERN uint32_t grens_rt_archive_count(const grens_rt_archive *ar);
GRENS_EXTERN const grens_rt_snapshot *grens_rt_archive_at(const grens_rt_archive *ar, uint32_t i);
/* The snapshots received in [from, to) (POSIX seconds) are those at
 * [*first, *first + count) of grens_rt_archive_at; returns count (0 when
 * none, *first then the position where one would go). A pass over a period,
 * as the realised times make, reads a day without scanning the whole
 * archive. */
GRENS_EXTERN uint32_t grens_rt_archive_range(const grens_rt_archive *ar, int64_t from, int64_t to,
					     uint32_t *first);

/* Add the FeedMessage buf[0..len) of feed (a grens_fetch name) received at
 * received (POSIX seconds), unless a snapshot of that feed with the same
 * SHA-256 is already in the archive (*added false). The message is decoded
 * first (a file that does not decode is refused: GRENS_EFORMAT), gzip'ed,
 * written atomically, and the day's index rewritten atomically. Needs a
 * writable archive. GRENS_EIO, GRENS_EARG (bad feed name), GRENS_ENOMEM. */
GRENS_EXTERN int grens_rt_archive_add(grens_rt_archive *ar, const char *feed, int64_t received,
				      const uint8_t *buf, size_t len, bool *added,
				      grens_error *err);

/* Remove the day folders more than keep_days days before the UTC day of
 * now (keep_days 0: keep everything); *removed counts them (may be NULL). */
GRENS_EXTERN int grens_rt_archive_prune(grens_rt_archive *ar, int64_t now, unsigned keep_days,
					uint32_t *removed, grens_error *err);

/* Read, decompress and decode a snapshot, checking its SHA-256. Errors as
 * grens_rt_decode (GRENS_EFORMAT also for a bad gzip stream or hash). */
GRENS_EXTERN int grens_rt_archive_read(const grens_rt_archive *ar, const grens_rt_snapshot *snap,
				       grens_rt_feed **out, grens_error *err);

/* ---- realised times: what an archive says happened -------------------------
 * Every snapshot of an archive received over a period is applied to the
 * timetable (grens_rt_apply) in time order, and for every (trip, service
 * date) each stop keeps the last prediction made before the vehicle passed
 * it: a snapshot's time for a stop replaces the one held when the snapshot
 * was made (its header timestamp, else its received time) no later than the
 * held departure there, or when the snapshot's own time there already lies
 * in the past (a recorded arrival). A trip is cancelled when the last
 * snapshot that named it cancelled it; skipped stops go with the times;
 * an added trip keeps its last version. The result is an ordinary overlay,
 * so every router runs on it unchanged. */
typedef struct grens_rt_realised_options {
	/* How each snapshot is applied; now and max_age_s are ignored (every
	 * snapshot is judged at its own time). */
	grens_rt_options rt;
	/* Trips running in the period that no snapshot named are "no data":
	 * counted, and kept out of the routing (false, default) or run as
	 * scheduled (true). */
	bool no_data_as_scheduled;
	/* Two snapshots further apart than this (seconds) are a gap in the
	 * recording (default 300). */
	int64_t max_gap_s;
} grens_rt_realised_options;

#define GRENS_RT_REALISED_OPTIONS_INIT                                                             \
	{                                                                                          \
		.rt = GRENS_RT_OPTIONS_INIT, .no_data_as_scheduled = false, .max_gap_s = 300,      \
	}

typedef struct grens_rt_realised_counts {
	uint32_t snapshots_read;	       /* applied */
	uint32_t snapshots_corrupt;	       /* could not be read or decoded: skipped */
	int64_t first_snapshot, last_snapshot; /* POSIX seconds, 0 when none */
	uint32_t gaps; /* intervals between consecutive snapshots longer than
			  max_gap_s (trips in them are mostly "no data") */
	int64_t longest_gap_s;
	/* Trips of the described feeds running on the period's dates: observed
	 * + no_data. Observed includes cancelled. */
	uint32_t trips_scheduled, trips_observed, trips_no_data, trips_cancelled;
	uint32_t trips_added;	 /* distinct added (trip_id, date) */
	uint32_t stops_observed; /* stop times with a realised (live) time */
	uint32_t stops_skipped;
} grens_rt_realised_counts;

/* Build the realised overlay of the service dates [first, last] from the
 * snapshots of ar received between 3 h before the first date's day start
 * and 30 h after the last one's (GTFS times run past 24:00). Feeds
 * described: opts->rt.feed_name, else every timetable feed with a trip
 * matched by some snapshot of the period (every feed when none matched). A snapshot that cannot be
 * read is skipped and counted (and noted to diag), never fatal. On success *out holds one reference
 * (grens_rt_overlay_release) and *counts is filled. GRENS_EARG (first > last, a period over
 * GRENS_RT_REALISED_MAX_DAYS, unknown feed_name), GRENS_ENOTFOUND (the timetable's zone),
 * GRENS_ENOMEM. */
#define GRENS_RT_REALISED_MAX_DAYS 62
GRENS_EXTERN int grens_rt_realised_build(grens_rt_overlay **out, grens_rt_realised_counts *counts,
					 const grens_timetable *tt,
					 const grens_gtfs_feed *const *gtfs, uint32_t gtfs_count,
					 const grens_rt_archive *ar, grens_date first,
					 grens_date last, const grens_rt_realised_options *opts,
					 grens_diag *diag, grens_error *err);

/* ---- recording: the recorder's status file and lock ------------------------
 * A recorder (grens rt record) keeps two more files in the archive folder:
 *   DIR/status.json   what it did (grens_rt_record_status), rewritten
 *                     atomically after every poll
 *   DIR/record.lock   flock'ed while a recorder runs; holds its pid
 * Both are outside the day folders, so archive readers never see them. */
#define GRENS_RT_RECORD_MAX_FEEDS 16u
#define GRENS_RT_RECORD_URL_BYTES 2048u
#define GRENS_RT_RECORD_ERROR_BYTES 512u

/* Counters of one recorded feed, or of all of them. A poll is one download
 * of one feed: polls = added + unchanged + failed. */
typedef struct grens_rt_record_counts {
	uint64_t polls;
	uint64_t added;	      /* a snapshot the archive did not hold yet */
	uint64_t unchanged;   /* 304, the same bytes, or a snapshot already archived */
	uint64_t failed;      /* no usable message: HTTP or network error, size cap,
			       * a body that does not decode, the archive not writable */
	int64_t last_poll;    /* POSIX seconds of the end of the last poll, 0 never */
	int64_t last_added;   /* of the last new snapshot, 0 never */
	char last_result[16]; /* "new", "unchanged", "failed", "" never */
	char last_error[GRENS_RT_RECORD_ERROR_BYTES]; /* of the last failed poll, cut */
} grens_rt_record_counts;

typedef struct grens_rt_record_feed {
	char name[64];
	char url[GRENS_RT_RECORD_URL_BYTES];
	grens_rt_record_counts counts;
} grens_rt_record_feed;

/* status.json: one recorder run (counts start at 0 at each start). */
typedef struct grens_rt_record_status {
	int64_t pid;
	int64_t started;  /* POSIX seconds */
	int64_t stopped;  /* 0 while running (or killed) */
	int64_t until;	  /* 0: no end time */
	int64_t every_ms; /* polling interval */
	grens_rt_record_counts total;
	uint32_t feed_count;
	grens_rt_record_feed feeds[GRENS_RT_RECORD_MAX_FEEDS];
} grens_rt_record_status;

/* Write dir/status.json atomically (temporary file, fsync, rename).
 * GRENS_EIO, GRENS_ENOMEM. */
GRENS_EXTERN int grens_rt_record_status_write(const char *dir, const grens_rt_record_status *st,
					      grens_error *err);
/* Read dir/status.json. GRENS_ENOTFOUND when absent, GRENS_EFORMAT when it
 * is not what grens_rt_record_status_write writes (err says which key). */
GRENS_EXTERN int grens_rt_record_status_read(grens_rt_record_status *out, const char *dir,
					     grens_error *err);

/* Take the recorder lock of the archive folder dir (created when missing):
 * on success *fd is the lock (release with grens_rt_record_unlock) and the
 * file holds this process's pid. When another process holds it, returns 0
 * with *fd -1 and *holder its pid (0 when unreadable). The lock goes with the
 * process: kill -9 releases it. GRENS_EIO. */
GRENS_EXTERN int grens_rt_record_lock(int *fd, const char *dir, int64_t *holder, grens_error *err);
GRENS_EXTERN void grens_rt_record_unlock(int fd);
/* Whether a recorder holds dir's lock (*holder its pid, 0 when none or
 * unreadable) without taking it for long or changing the file. GRENS_EIO. */
GRENS_EXTERN int grens_rt_record_probe(const char *dir, int64_t *holder, grens_error *err);

/* grens_rt_archive_add of the FeedMessage in the file at path (at most
 * GRENS_LIMIT_RT_BYTES): how a recorder archives the fetcher's download.
 * Errors as grens_rt_archive_add, GRENS_ENOTFOUND / GRENS_EIO for the file. */
GRENS_EXTERN int grens_rt_archive_add_file(grens_rt_archive *ar, const char *feed, int64_t received,
					   const char *path, bool *added, grens_error *err);

/* ---- the recorder: polling feeds into an archive ----------------------------
 * What grens rt record runs: every every_ms it downloads each feed through
 * the fetcher (conditional GET, retries, size cap, a body that does not
 * decode is refused) into DIR/.fetch/ and adds what it brought to the
 * archive in DIR; counts every poll in DIR/status.json; once per UTC day
 * removes the day folders beyond the retention. It holds the archive's
 * record.lock from grens_rt_recorder_new to grens_rt_recorder_free. It never
 * prints: what a person should read goes to the log callback, one line
 * without a trailing newline. A failed poll is logged and counted, never an
 * error. grens_fetch_global_init must have been called before it polls. */
typedef struct grens_rt_recorder grens_rt_recorder;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_RT_RECORDER_OPTIONS_VERSION 1
#define GRENS_RT_RECORDER_DEFAULT_EVERY_MS 30000
#define GRENS_RT_RECORDER_MIN_EVERY_MS 100
#define GRENS_RT_RECORDER_DEFAULT_RETRIES 1u

typedef struct grens_rt_recorder_options {
	unsigned version; /* GRENS_RT_RECORDER_OPTIONS_VERSION (set by the _INIT) */
	/* The feeds to record, [1, GRENS_RT_RECORD_MAX_FEEDS] of them with
	 * distinct names; copied. Header values from the environment must be
	 * resolved already (the library reads no environment). */
	const grens_fetch_feed *feeds;
	uint32_t feed_count;
	int64_t every_ms; /* between the starts of two polls, >= GRENS_RT_RECORDER_MIN_EVERY_MS */
	/* When to stop: until (POSIX seconds, wall clock) or for_ms after
	 * grens_rt_recorder_new (monotonic clock); 0 is none, with both the
	 * earlier wins. */
	int64_t until;
	int64_t for_ms;
	unsigned retention_days; /* day folders older than this are removed; 0 keeps all */
	/* The fetcher: retries within one poll (the next poll is another
	 * chance), the size cap of one download, the whole-transfer timeout
	 * (0: every_ms, at least 5 s). set holds the GRENS_FETCH_SET_RETRIES,
	 * _MAX_BYTES and _TIMEOUT bits of those that beat a feed's own values.
	 * Older versions are never kept in the cache: the archive is the
	 * history. */
	unsigned retries;
	uint64_t max_bytes;
	unsigned timeout_s;
	unsigned set;
	const char *user_agent; /* NULL: "grens/<version>" */
	/* Callbacks, each may be NULL; ctx is passed to each. stop is asked
	 * between polls, between the feeds of one poll and every 100 ms while
	 * waiting (a signal handler sets a flag that it returns); progress
	 * is called after each poll with the time until the next one. */
	void (*log)(void *ctx, const char *line);
	bool (*stop)(void *ctx);
	void (*progress)(void *ctx, const grens_rt_record_status *status, int64_t next_in_ms);
	void *ctx;
} grens_rt_recorder_options;

#define GRENS_RT_RECORDER_OPTIONS_INIT                                                             \
	{                                                                                          \
		.version = GRENS_RT_RECORDER_OPTIONS_VERSION, .feeds = NULL, .feed_count = 0,      \
		.every_ms = GRENS_RT_RECORDER_DEFAULT_EVERY_MS, .until = 0, .for_ms = 0,           \
		.retention_days = 0, .retries = GRENS_RT_RECORDER_DEFAULT_RETRIES,                 \
		.max_bytes = GRENS_LIMIT_RT_BYTES, .timeout_s = 0, .set = 0, .user_agent = NULL,   \
		.log = NULL, .stop = NULL, .progress = NULL, .ctx = NULL,                          \
	}

/* Start recording into the archive folder dir (created when missing): take
 * its lock, open the archive writable (logging what a restart repaired),
 * archive a download a killed recorder left in the cache, prune, and write
 * status.json. When another process holds the lock, returns 0 with *out
 * NULL and *holder its pid (0 when unreadable). Else *out is the caller's
 * (grens_rt_recorder_free). GRENS_EARG for bad options (no feeds, too many,
 * two with one name, a feed that is not gtfs-rt, every_ms too small,
 * negative times), GRENS_EINVAL for a NULL out, dir, holder or opts or
 * another version, GRENS_ELIMIT (dir too long, too many snapshots),
 * GRENS_EIO, GRENS_ENOTFOUND, GRENS_ENOMEM as grens_rt_archive_open. */
GRENS_EXTERN int grens_rt_recorder_new(grens_rt_recorder **out, const char *dir,
				       const grens_rt_recorder_options *opts, int64_t *holder,
				       grens_error *err);
/* Release the lock and free the recorder; NULL is accepted. */
GRENS_EXTERN void grens_rt_recorder_free(grens_rt_recorder *rec);
/* Poll every feed once (stop is asked between feeds), prune once per UTC
 * day and write status.json. Failures are logged and counted in the
 * status. */
GRENS_EXTERN void grens_rt_recorder_poll(grens_rt_recorder *rec);
/* Milliseconds until the next poll is due: every_ms after the start of the
 * last one; 0 or less when it is due (also before the first). */
GRENS_EXTERN int64_t grens_rt_recorder_next_due(const grens_rt_recorder *rec);
/* Whether to stop: the stop callback said so, or until or for_ms passed. */
GRENS_EXTERN bool grens_rt_recorder_done(const grens_rt_recorder *rec);
/* Poll, wait for the next poll and poll again until grens_rt_recorder_done,
 * then grens_rt_recorder_finish. A recorder made by grens_rt_recorder_new
 * is what grens rt record runs. */
GRENS_EXTERN void grens_rt_recorder_run(grens_rt_recorder *rec);
/* Mark the run stopped now in status.json and write it. */
GRENS_EXTERN void grens_rt_recorder_finish(grens_rt_recorder *rec);
/* The counts so far (what status.json holds); valid until the next call on
 * rec. */
GRENS_EXTERN const grens_rt_record_status *grens_rt_recorder_status(const grens_rt_recorder *rec);
/* Snapshots the archive holds, and in *days (may be NULL) the UTC days they
 * fall on. */
GRENS_EXTERN uint32_t grens_rt_recorder_archived(const grens_rt_recorder *rec, uint32_t *days);

/* ---- time ------------------------------------------------------------------ */

/* POSIX time of noon-minus-12h of date in the IANA zone (the zero of GTFS
 * times on that service day). Reads the zone from the system TZ database
 * (/usr/share/zoneinfo) without touching the process's TZ. 0 or
 * GRENS_ENOTFOUND (unknown zone), GRENS_EFORMAT (unreadable zone file). */
GRENS_EXTERN int grens_rt_day_start(const char *zone, grens_date date, int64_t *out,
				    grens_error *err);
/* The local date of POSIX time t in zone. Errors as grens_rt_day_start. */
GRENS_EXTERN int grens_rt_local_date(const char *zone, int64_t t, grens_date *out,
				     grens_error *err);

#ifdef __cplusplus
}
#endif
#endif
