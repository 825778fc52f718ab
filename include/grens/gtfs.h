/* grens gtfs: read one GTFS feed from a .zip or a directory into plain
 * tables, validating as it goes.
 *
 * The feed's tables are exposed read-only as arrays of row structs so that
 * net/, scenario/ and rt/ can iterate them; only this module creates or
 * changes them. Strings live in the feed's arena, the row arrays are owned
 * by the feed; grens_gtfs_free releases both. References
 * between tables are resolved to 32-bit row indices (GRENS_NONE when absent).
 * Optional text fields are "" when empty, never NULL. */
#ifndef GRENS_GTFS_H
#define GRENS_GTFS_H

#include <stdbool.h>
#include <stdint.h>

#include "grens/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct grens_gtfs_agency {
	const char *id; /* "" when the feed has one agency and no agency_id */
	const char *name;
	const char *url;
	const char *timezone;
	const char *lang;
} grens_gtfs_agency;

typedef struct grens_gtfs_stop {
	const char *id;
	const char *code;
	const char *name;
	const char *desc;
	const char *zone_id;
	const char *platform_code;
	const char *timezone;  /* stop_timezone, "" when absent */
	double lat, lon;       /* NAN when absent (allowed for generic nodes/boarding areas) */
	uint32_t parent;       /* stop index of parent_station, or GRENS_NONE */
	uint8_t location_type; /* 0 stop/platform, 1 station, 2 entrance, 3 node, 4 boarding area */
	uint8_t wheelchair_boarding;
} grens_gtfs_stop;

typedef struct grens_gtfs_route {
	const char *id;
	const char *short_name;
	const char *long_name;
	const char *desc;
	const char *color;
	const char *text_color;
	uint32_t agency; /* agency index */
	int32_t type;	 /* basic 0..12 or extended 100..1700 */
} grens_gtfs_route;

typedef struct grens_gtfs_trip {
	const char *id; /* for a frequency-expanded trip: the original trip_id */
	const char *headsign;
	const char *short_name;
	const char *block_id;
	const char *shape_id;
	uint32_t route;		  /* route index */
	uint32_t service;	  /* service index */
	uint32_t first_stop_time; /* index into stop_times of this trip's first row */
	uint32_t stop_time_count;
	int8_t direction_id; /* 0, 1, or -1 when absent */
	uint8_t wheelchair_accessible;
	uint8_t bikes_allowed;
	/* Frequency expansion: the frequencies row this trip came from (GRENS_NONE
	 * for a plain trip) and the start time of this run. Expanded trips share
	 * their template's stop_times block and shift it by time_offset. */
	uint32_t frequency;
	int32_t frequency_start; /* start time of this run, GRENS_TIME_NONE if plain */
	int32_t time_offset;	 /* add to every time of the block; 0 for plain trips */
} grens_gtfs_trip;

/* stop_times, grouped by trip and sorted by stop_sequence within a trip.
 * Times are seconds since noon-minus-12h; interpolated rows (empty times
 * between timepoints) have `interpolated` set and filled-in times. A large
 * feed has tens of millions of rows: the small fields are packed so that a
 * row takes 24 bytes, and stop_headsign is an index into the feed's
 * stop_headsigns (grens_gtfs_stop_headsign gives the text). */
typedef struct grens_gtfs_stop_time {
	int32_t arrival;
	int32_t departure;
	uint32_t stop;		   /* stop index */
	uint32_t sequence;	   /* stop_sequence */
	float shape_dist_traveled; /* NAN when absent */
	uint32_t pickup_type : 2;  /* 0 regular, 1 none, 2 phone, 3 coordinate with driver */
	uint32_t drop_off_type : 2;
	uint32_t timepoint : 1;	   /* 1 exact (default when times given), 0 approximate */
	uint32_t interpolated : 1; /* 1 when the times were interpolated by grens */
	uint32_t headsign : 26;	   /* index into stop_headsigns; 0 ("") when absent */
} grens_gtfs_stop_time;

/* Distinct stop_headsign values one feed can hold (the row's 26 bits). */
#define GRENS_GTFS_STOP_HEADSIGNS_MAX ((1u << 26) - 1)

/* A service_id with its calendar.txt row (if any) and calendar_dates.txt
 * exceptions. Use grens_gtfs_service_active() to ask about a date. */
typedef struct grens_gtfs_service {
	const char *id;
	bool has_calendar;
	uint8_t weekdays;		 /* bit 0 = Monday .. bit 6 = Sunday */
	grens_date start_date, end_date; /* calendar.txt range, GRENS_DATE_NONE without calendar */
	uint32_t first_exception;	 /* index into exceptions */
	uint32_t exception_count;
} grens_gtfs_service;

typedef struct grens_gtfs_service_exception {
	grens_date date;
	uint8_t type;		/* 1 added, 2 removed */
} grens_gtfs_service_exception; /* sorted by date within a service */

typedef struct grens_gtfs_transfer {
	uint32_t from_stop, to_stop;   /* stop indices (GRENS_NONE if the row names none) */
	uint32_t from_route, to_route; /* route indices or GRENS_NONE */
	uint32_t from_trip, to_trip;   /* trip indices or GRENS_NONE */
	uint8_t type;		       /* 0..3 (4, 5 in-seat kept but not routed) */
	int32_t min_transfer_time;     /* seconds, -1 when absent */
} grens_gtfs_transfer;

typedef struct grens_gtfs_frequency {
	uint32_t trip; /* the template trip (index of its first expanded trip is not kept) */
	int32_t start_time, end_time;
	int32_t headway_secs;
	uint8_t exact_times;
} grens_gtfs_frequency;

typedef struct grens_gtfs_feed_info {
	bool present;
	const char *publisher_name;
	const char *publisher_url;
	const char *lang;
	const char *version;
	grens_date start_date, end_date; /* GRENS_DATE_NONE when absent */
} grens_gtfs_feed_info;

/* Rows read and kept per table (rows skipped for errors are not counted here
 * but reported as notices). trips counts trips.txt rows, before frequency
 * expansion. */
typedef struct grens_gtfs_counts {
	uint64_t agency, stops, routes, trips, stop_times, calendar, calendar_dates, transfers,
	    frequencies, shapes;
	uint64_t rows_skipped;
} grens_gtfs_counts;

typedef struct grens_gtfs_feed {
	const char *name; /* the feed name (namespace), from options or the path */
	const char *path; /* as given */
	grens_gtfs_agency *agencies;
	uint32_t agency_count;
	grens_gtfs_stop *stops;
	uint32_t stop_count;
	grens_gtfs_route *routes;
	uint32_t route_count;
	grens_gtfs_trip *trips;
	uint32_t trip_count; /* after frequency expansion */
	grens_gtfs_stop_time *stop_times;
	uint32_t stop_time_count;
	/* stop_headsign texts by index; [0] is "" (also when the count is 0). */
	const char **stop_headsigns;
	uint32_t stop_headsign_count;
	grens_gtfs_service *services;
	uint32_t service_count;
	grens_gtfs_service_exception *exceptions;
	uint32_t exception_count;
	grens_gtfs_transfer *transfers;
	uint32_t transfer_count;
	grens_gtfs_frequency *frequencies;
	uint32_t frequency_count;
	grens_gtfs_feed_info feed_info;
	grens_gtfs_counts counts;
	/* Days on which any service runs: first and last (GRENS_DATE_NONE if none). */
	grens_date first_service_date, last_service_date;
	/* The last day the feed declares service on: last_service_date, or
	 * later when a calendar.txt range longer than GRENS_LIMIT_SERVICE_DAYS
	 * was cut (the days after the cut are not loaded). */
	grens_date declared_last_date;
	grens_arena *arena;		/* owns the strings; the arrays above are the feed's */
	struct grens_gtfs_index *index; /* id lookups (private to gtfs/) */
} grens_gtfs_feed;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_GTFS_OPTIONS_VERSION 1

typedef struct grens_gtfs_options {
	unsigned version;	   /* GRENS_GTFS_OPTIONS_VERSION (set by GRENS_GTFS_OPTIONS_INIT) */
	const char *name;	   /* feed name; NULL derives it from the path's basename */
	uint64_t max_member_bytes; /* zip member cap (uncompressed) */
	uint64_t max_total_bytes;  /* cap on all bytes read */
	uint32_t max_field_bytes;  /* a longer field is truncated with a notice */
	bool interpolate;	   /* fill empty times between timepoints (default true) */
	bool expand_frequencies;   /* expand frequencies.txt into trips (default true) */
	bool read_shapes; /* read shapes.txt for interpolation by distance (default true) */
	grens_progress progress;
	uint32_t max_ratio; /* zip member compression ratio cap; 0 = GRENS_LIMIT_ZIP_RATIO */
} grens_gtfs_options;

#define GRENS_GTFS_OPTIONS_INIT                                                                    \
	{                                                                                          \
		.version = GRENS_GTFS_OPTIONS_VERSION, .name = NULL,                               \
		.max_member_bytes = GRENS_LIMIT_ZIP_MEMBER_BYTES,                                  \
		.max_total_bytes = GRENS_LIMIT_ZIP_TOTAL_BYTES,                                    \
		.max_field_bytes = GRENS_LIMIT_FIELD_BYTES, .max_ratio = GRENS_LIMIT_ZIP_RATIO,    \
		.interpolate = true, .expand_frequencies = true, .read_shapes = true,              \
		.progress = {NULL, NULL},                                                          \
	}

/* Load a feed from a .zip file or a directory. Data problems go to diag as
 * notices (bad rows are skipped and counted). Fails with GRENS_EFORMAT when
 * the feed is unusable (a required file or column is missing, not a zip or
 * directory), GRENS_EIO on read errors, GRENS_ELIMIT when a cap is hit,
 * GRENS_ENOMEM. On success *out is the caller's; free with grens_gtfs_free. */
GRENS_EXTERN int grens_gtfs_load(grens_gtfs_feed **out, const char *path,
				 const grens_gtfs_options *opts, grens_diag *diag,
				 grens_error *err);

/* Check that path is a readable GTFS archive or directory with the required
 * files (agency, stops, routes, trips, stop_times, and calendar or
 * calendar_dates), without parsing rows. Used to verify downloads. */
GRENS_EXTERN int grens_gtfs_check(const char *path, grens_error *err);

GRENS_EXTERN void grens_gtfs_free(grens_gtfs_feed *feed);

/* The stop_headsign of a stop_times row: "" when it has none. Never NULL. */
GRENS_EXTERN const char *grens_gtfs_stop_headsign(const grens_gtfs_feed *feed,
						  const grens_gtfs_stop_time *st);

/* Does the service run on date? (calendar range and weekday, then exceptions.) */
GRENS_EXTERN bool grens_gtfs_service_active(const grens_gtfs_feed *feed, uint32_t service,
					    grens_date date);

/* The date of the given weekday (0 Monday .. 6 Sunday) on which most trips of
 * feeds[0..n) run, within their service periods (at most
 * GRENS_LIMIT_SERVICE_DAYS from the first); ties go to the date nearest the
 * middle of the period, away from timetable changes. A NULL feed is skipped.
 * GRENS_ENOTFOUND when no feed has service dates or no trip runs on that
 * weekday (*out GRENS_DATE_NONE), GRENS_EARG for a bad weekday, GRENS_ENOMEM. */
GRENS_EXTERN int grens_gtfs_busiest_date(grens_date *out, const grens_gtfs_feed *const *feeds,
					 uint32_t n, int weekday, grens_error *err);

/* Row index lookups by GTFS id; GRENS_NONE when unknown. O(1) (hash). */
GRENS_EXTERN uint32_t grens_gtfs_find_stop(const grens_gtfs_feed *feed, const char *id);
GRENS_EXTERN uint32_t grens_gtfs_find_route(const grens_gtfs_feed *feed, const char *id);
/* For a frequency-based trip, returns the first expanded run. */
GRENS_EXTERN uint32_t grens_gtfs_find_trip(const grens_gtfs_feed *feed, const char *id);
/* Service (services[]) and agency rows by id; GRENS_NONE when unknown. */
GRENS_EXTERN uint32_t grens_gtfs_find_service(const grens_gtfs_feed *feed, const char *id);
GRENS_EXTERN uint32_t grens_gtfs_find_agency(const grens_gtfs_feed *feed, const char *id);

/* ---- clipping a feed to a region ---------------------------------------------- */

/* A region: a box or polygons (with holes), in degrees. */
typedef struct grens_gtfs_clip grens_gtfs_clip;
/* The box from (min_lon, min_lat) to (max_lon, max_lat), edges inside.
 * GRENS_EARG for an empty or out-of-range box, GRENS_ENOMEM. */
GRENS_EXTERN int grens_gtfs_clip_bbox(grens_gtfs_clip **out, double min_lon, double min_lat,
				      double max_lon, double max_lat, grens_error *err);
/* The Polygon and MultiPolygon geometries of a GeoJSON text (a geometry, a
 * Feature or a FeatureCollection; holes are outside); name names it in
 * messages. GRENS_EFORMAT (with the reason), GRENS_ELIMIT beyond
 * GRENS_LIMIT_CLIP_POINTS positions, GRENS_ENOMEM. */
GRENS_EXTERN int grens_gtfs_clip_geojson(grens_gtfs_clip **out, const char *text, size_t len,
					 const char *name, grens_error *err);
/* Is the point inside? (false for NAN coordinates) */
GRENS_EXTERN bool grens_gtfs_clip_contains(const grens_gtfs_clip *clip, double lat, double lon);
GRENS_EXTERN void grens_gtfs_clip_free(grens_gtfs_clip *clip);

/* What a clip kept of a feed. */
typedef struct grens_gtfs_clip_counts {
	uint32_t stops_before, stops, routes_before, routes, trips_before, trips;
	uint32_t trips_split; /* trips that left and came back: one trip per part */
	uint64_t stop_times_before, stop_times; /* rows of the trips, before and after */
} grens_gtfs_clip_counts;

/* Clip the feed to the region, in place: keep the stops inside and the
 * stations they belong to; cut every trip to its runs of two or more
 * consecutive stops inside; a trip with several runs becomes one trip per
 * run, with ids "ID#1", "ID#2", ... and a notice clip_trip_split naming the
 * GTFS id; drop trips without a run, routes without trips, and transfers
 * that name a stop, route or trip dropped (one naming a trip that was cut
 * into parts refers to its first part). counts may be NULL. GRENS_ENOMEM:
 * the feed is then unusable (free it). */
GRENS_EXTERN int grens_gtfs_clip_apply(grens_gtfs_feed *feed, const grens_gtfs_clip *clip,
				       grens_gtfs_clip_counts *counts, grens_diag *diag,
				       grens_error *err);

/* (Re)build the id lookups above for a feed assembled in memory rather than
 * loaded (a scenario's copy of a feed). The ids are not copied: they must
 * live as long as the feed. GRENS_ENOMEM (feed unchanged). Free with
 * grens_gtfs_index_free unless the feed goes to grens_gtfs_free. */
GRENS_EXTERN int grens_gtfs_index_build(grens_gtfs_feed *feed, grens_error *err);
GRENS_EXTERN void grens_gtfs_index_free(grens_gtfs_feed *feed);

#ifdef __cplusplus
}
#endif
#endif
