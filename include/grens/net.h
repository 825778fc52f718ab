/* grens net: the routable timetable built from one or more loaded feeds.
 *
 * Layout (DESIGN.md "Timetable representation"): struct of arrays with
 * 32-bit indices, all arrays in one arena, no pointers inside the arrays, so
 * the same layout can be written to and mapped from a snapshot. The struct is
 * public and read-only: routers index the arrays directly in their hot loops.
 *
 * Time base: a query date D. Times are seconds since noon-minus-12h of the
 * service day (GTFS); a trip whose service runs on day d is valid on
 * day_offset(d) = (d - first_date). A router on date D uses trips of D and
 * the trips of D-1 shifted by -86400 s ... precisely: it adds
 * (service_day - D) * 86400 to each time of a trip running on service_day.
 *
 * Strings (ids, names) are offsets into `strings` (NUL-terminated); use
 * grens_net_str(). */
#ifndef GRENS_NET_H
#define GRENS_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "grens/core.h"
#include "grens/gtfs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pickup/drop-off flags of a stop within a pattern. */
#define GRENS_NET_NO_PICKUP 0x1u
#define GRENS_NET_NO_DROP_OFF 0x2u

/* stop_min_change value of a stop where transfers.txt forbids changing
 * (transfer_type 3 from the stop to itself). Adding it to any time of day
 * stays far inside int32_t. */
#define GRENS_NET_CHANGE_FORBIDDEN (INT32_C(1) << 28)

typedef struct grens_net_stop_time {
	int32_t arrival;
	int32_t departure;
} grens_net_stop_time;

typedef struct grens_net_footpath {
	uint32_t to_stop;
	int32_t duration; /* seconds */
} grens_net_footpath;

typedef struct grens_net_pattern_stop {
	uint32_t pattern;
	uint32_t position; /* index of the stop within the pattern */
} grens_net_pattern_stop;

typedef struct grens_timetable {
	/* ---- feeds ---- */
	uint32_t feed_count;
	uint32_t *feed_name;	 /* [feed] string offset, e.g. "nl" */
	uint32_t *feed_timezone; /* [feed] string offset of the first agency's timezone */
	/* [feed] the first and last day of service the feed declares
	 * (grens_gtfs_feed first_service_date, declared_last_date); GRENS_DATE_NONE
	 * when it has none. NULL in a timetable made by hand: the service days
	 * below are then all there is. See grens_net_feed_period. */
	grens_date *feed_first_date, *feed_last_date;

	/* ---- service days ---- */
	grens_date first_date; /* day of bit 0 */
	uint32_t day_count;    /* bits per service */
	uint32_t service_count;
	uint32_t words_per_service; /* (day_count + 63) / 64 */
	uint64_t *service_days;	    /* [service * words_per_service + day/64] bit day%64 */
	/* [service] string offset of the GTFS service_id of a feed's service
	 * (feed: the feed of the trips that use it), "" for a service the
	 * builder derived (split by a time-zone shift, reduced by merging).
	 * NULL in a timetable made by hand or a snapshot of grens 0.2.0. */
	uint32_t *service_id;

	/* ---- stops ---- */
	uint32_t stop_count;
	uint32_t *stop_feed;	     /* [stop] feed index */
	uint32_t *stop_id;	     /* [stop] string offset of the GTFS stop_id (unscoped) */
	uint32_t *stop_name;	     /* [stop] string offset */
	uint32_t *stop_parent;	     /* [stop] parent station stop index or GRENS_NONE */
	uint8_t *stop_location_type; /* [stop] */
	double *stop_lat, *stop_lon; /* [stop] NAN when unknown */
	/* [stop] minimum time between alighting from one trip and boarding another
	 * at the same stop (s); GRENS_NET_CHANGE_FORBIDDEN when forbidden. */
	int32_t *stop_min_change;
	uint32_t *stop_pattern_offset; /* [stop_count + 1] CSR into stop_patterns */
	grens_net_pattern_stop *stop_patterns;
	uint32_t *footpath_offset; /* [stop_count + 1] CSR into footpaths (from stop) */
	/* Walks to other stops (never to self), closed transitively up to
	 * GRENS_LIMIT_FOOTPATH_SECONDS. A duration is the whole time from
	 * alighting at the from-stop to being ready to board at the to-stop: no
	 * min change time is added on top. Sources: transfers.txt rows between
	 * distinct stops (type 2 with its min_transfer_time, 0/1 by distance,
	 * type 3 removes the pair), platforms of one parent station (the larger
	 * of their min change times and the walk), platforms of stations
	 * matched across feeds (the largest of the walk, link_min_change and
	 * their min change times), and stops within footpath_radius_m. */
	grens_net_footpath *footpaths;

	/* ---- routes ---- */
	uint32_t route_count;
	uint32_t *route_feed;
	uint32_t *route_id;	     /* string offset */
	uint32_t *route_short_name;  /* string offset */
	uint32_t *route_long_name;   /* string offset */
	uint32_t *route_agency_name; /* string offset */
	int32_t *route_type;

	/* ---- patterns: trips with one stop sequence, same pickup/drop-off flags,
	 * no overtaking; trips sorted by departure at the first stop ---- */
	uint32_t pattern_count;
	uint32_t *pattern_route;	 /* [pattern] route index */
	uint32_t *pattern_stop_offset;	 /* [pattern_count + 1] into pattern_stops/flags */
	uint32_t *pattern_stops;	 /* stop indices */
	uint8_t *pattern_stop_flags;	 /* GRENS_NET_NO_PICKUP | GRENS_NET_NO_DROP_OFF */
	uint32_t *pattern_trip_offset;	 /* [pattern_count + 1] into trips (trips are numbered by
					    pattern) */
	uint64_t *pattern_time_offset;	 /* [pattern] number of its trip 0, stop 0's stop event */
	/* The stop events, per pattern a [trip][stop] block, numbered
	 * 0..stop_time_count-1. Events below stop_time_split lie in stop_times,
	 * the others in stop_times_tail from its start: a timetable derived from
	 * another (a scenario on a built timetable) shares its base's events and
	 * holds only its own. stop_times_tail is NULL when all lie in stop_times.
	 * Read a pattern's block with grens_net_pattern_times. */
	grens_net_stop_time *stop_times;
	uint64_t stop_time_count;
	uint64_t stop_time_split;
	grens_net_stop_time *stop_times_tail;

	/* ---- trips (numbered in pattern order) ---- */
	uint32_t trip_count;
	uint32_t *trip_pattern;	   /* [trip] */
	uint32_t *trip_service;	   /* [trip] service index */
	uint32_t *trip_feed;	   /* [trip] */
	uint32_t *trip_id;	   /* [trip] string offset of the GTFS trip_id (unscoped) */
	uint32_t *trip_short_name; /* [trip] string offset */
	uint32_t *trip_headsign;   /* [trip] string offset */
	uint32_t
	    *trip_block_next; /* [trip] next trip of the same block (stay seated) or GRENS_NONE */
	/* [trip] GRENS_TIME_NONE unless frequency-expanded; NULL when no trip is */
	int32_t *trip_frequency_start;
	/* [trip] the same trip in another feed, merged into this one: its feed
	 * (GRENS_NONE when none) and GTFS trip_id (string offset, "" when none).
	 * Both NULL when no trip of the timetable was merged. */
	uint32_t *trip_alt_feed;
	uint32_t *trip_alt_id;
	/* Every [trip] array lies between trip_pattern and here, and a new one
	 * goes here too: the code that allocates, copies and writes trip arrays
	 * takes them from one list (src/net/net_internal.h), which a
	 * compile-time check keeps complete. */

	/* ---- linking several feeds (additive; see grens-linking(7)) ----
	 */
	/* [stop] the place a stop belongs to: the smallest stop index among its
	 * station, that station's platforms and the stations matched to it in
	 * other feeds. Stops with the same stop_place are one place. */
	uint32_t *stop_place;
	/* String offset of the time zone all times are expressed in (the query
	 * time base); "" when no feed names one. */
	uint32_t timezone;

	/* ---- strings ---- */
	char *strings;
	uint64_t strings_size;

	/* ---- summary ---- */
	int32_t max_time; /* latest time of any stop event (for the overnight window) */

	grens_arena *arena;
	struct grens_net_index *index; /* id/name lookups (private to net/) */
} grens_timetable;

/* Explicit stop links and overrides between feeds (feeds/links.csv and an
 * override file); opaque, see grens_net_links_parse. */
typedef struct grens_net_links grens_net_links;

/* footpath_radius_m value meaning: 400 m when several feeds are built, off
 * for a single feed. */
#define GRENS_NET_RADIUS_AUTO (-1.0)

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_NET_OPTIONS_VERSION 1

typedef struct grens_net_options {
	unsigned version;	    /* GRENS_NET_OPTIONS_VERSION (set by GRENS_NET_OPTIONS_INIT) */
	int32_t default_min_change; /* seconds, when transfers.txt gives none (default 120) */
	double footpath_radius_m;   /* generated footpaths between stops within; 0 off;
				       GRENS_NET_RADIUS_AUTO (default): 400 m for several feeds */
	double walk_speed_mps;	    /* default 1.2 */
	double detour_factor;	    /* default 1.3 */
	grens_progress progress;
	/* ---- linking several feeds ---- */
	const char *timezone;	      /* query time zone; NULL: the first feed's agency_timezone */
	const char *zoneinfo_dir;     /* TZif files; NULL: /usr/share/zoneinfo */
	bool link_stops;	      /* match stops across feeds (default true) */
	double link_name_radius_m;    /* same normalised name within (default 1000 m) */
	double link_distance_m;	      /* any stops within (default 50 m) */
	int32_t link_min_change;      /* walk between matched stations at least (default 120 s) */
	bool merge_trips;	      /* merge a trip present in two feeds (default true) */
	int32_t merge_tolerance;      /* times of one trip in two feeds differ by at most (120 s) */
	const grens_net_links *links; /* explicit links and overrides, or NULL */
} grens_net_options;

#define GRENS_NET_OPTIONS_INIT                                                                     \
	{                                                                                          \
		.version = GRENS_NET_OPTIONS_VERSION, .default_min_change = 120,                   \
		.footpath_radius_m = GRENS_NET_RADIUS_AUTO, .walk_speed_mps = 1.2,                 \
		.detour_factor = 1.3, .progress = {NULL, NULL}, .timezone = NULL,                  \
		.zoneinfo_dir = NULL, .link_stops = true, .link_name_radius_m = 1000.0,            \
		.link_distance_m = 50.0, .link_min_change = 120, .merge_trips = true,              \
		.merge_tolerance = 120, .links = NULL,                                             \
	}

/* Build the timetable from loaded feeds (each feed's name scopes its ids).
 * The feeds may be freed afterwards. On success *out is the caller's; free
 * with grens_net_free. */
GRENS_EXTERN int grens_net_build(grens_timetable **out, const grens_gtfs_feed *const *feeds,
				 uint32_t feed_count, const grens_net_options *opts,
				 grens_diag *diag, grens_error *err);

GRENS_EXTERN void grens_net_free(grens_timetable *tt);

/* ---- a timetable from a plain description ------------------------------------ */

/* For a timetable that comes from no GTFS feed (a test network, an
 * embedder's own data): stops, routes, service days, trips and footpaths as
 * they are, laid out by the same pattern grouping and sorting as
 * grens_net_build. */
typedef struct grens_net_plain_stop {
	const char *id;	       /* unique stop_id */
	const char *name;      /* NULL: the id */
	double lat, lon;       /* NAN when unknown */
	uint32_t parent;       /* stop index of its station, or GRENS_NONE */
	uint8_t location_type; /* 0 stop or platform, 1 station */
	/* seconds from alighting to boarding another trip here (>= 0), or
	 * GRENS_NET_CHANGE_FORBIDDEN */
	int32_t min_change;
} grens_net_plain_stop;

typedef struct grens_net_plain_route {
	const char *id, *short_name, *long_name, *agency_name; /* NULL: "" */
	int32_t type;					       /* GTFS route_type */
} grens_net_plain_route;

typedef struct grens_net_plain_trip {
	const char *id, *short_name, *headsign; /* NULL: "" */
	uint32_t route, service;		/* indices into routes and services */
	uint32_t stop_count;			/* at least 2 */
	const uint32_t *stops;			/* [stop_count] stop indices */
	/* [stop_count] seconds since noon minus 12 h of the service day, from
	 * 0, never decreasing; departures NULL: the arrivals */
	const int32_t *arrivals, *departures;
	const uint8_t *flags; /* [stop_count] GRENS_NET_NO_PICKUP | GRENS_NET_NO_DROP_OFF, or NULL */
	uint32_t block_next;  /* the trip (index into trips) one stays seated into, or GRENS_NONE */
} grens_net_plain_trip;

typedef struct grens_net_plain_footpath {
	uint32_t from, to; /* stop indices, different */
	int32_t duration;  /* seconds, >= 0, as grens_timetable footpaths count it */
} grens_net_plain_footpath;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_NET_PLAIN_VERSION 1

typedef struct grens_net_plain {
	unsigned version;     /* GRENS_NET_PLAIN_VERSION (set by GRENS_NET_PLAIN_INIT) */
	const char *feed;     /* feed name; NULL: "plain" */
	const char *timezone; /* the times' time zone, e.g. "Europe/Amsterdam"; NULL: "" */
	grens_date first_date; /* day of bit 0 */
	uint32_t day_count;    /* at most GRENS_LIMIT_SERVICE_DAYS */
	/* [service * ((day_count + 63) / 64) + day / 64] bit day % 64: the
	 * service runs on first_date + day */
	const uint64_t *service_days;
	uint32_t service_count;
	const grens_net_plain_stop *stops;
	uint32_t stop_count;
	const grens_net_plain_route *routes;
	uint32_t route_count;
	const grens_net_plain_trip *trips;
	uint32_t trip_count;
	/* walks as they are (not closed transitively), in this order per stop */
	const grens_net_plain_footpath *footpaths;
	uint32_t footpath_count;
} grens_net_plain;

#define GRENS_NET_PLAIN_INIT { .version = GRENS_NET_PLAIN_VERSION }

/* Build the timetable plain describes. Every trip is kept: a bad one (fewer
 * than two stops, an index out of range, decreasing or negative times) fails
 * with GRENS_EARG, err->message naming it; GRENS_ELIMIT for too many days.
 * trip_map, when not NULL, gets [trip_count] entries: the timetable trip of
 * each described trip. The description may be freed afterwards; on success
 * *out is the caller's (grens_net_free). GRENS_EINVAL for a NULL out
 * or plain, a NULL array with a nonzero count, or another version. */
GRENS_EXTERN int grens_net_build_plain(grens_timetable **out, uint32_t *trip_map,
				       const grens_net_plain *plain, grens_error *err);

/* ---- linking report ------------------------------------------------------------- */

/* Why two stops of different feeds were taken as one station, strongest first. */
typedef enum {
	GRENS_NET_RULE_OVERRIDE = 0, /* forced by the override file */
	GRENS_NET_RULE_LINKS = 1,    /* the links file */
	GRENS_NET_RULE_CODE = 2,     /* the same station code (stop_code, UIC/EVA, IFOPT/DHID) */
	GRENS_NET_RULE_NAME = 3,     /* the same normalised name within link_name_radius_m */
	GRENS_NET_RULE_DISTANCE = 4, /* within link_distance_m */
} grens_net_rule;

/* "override", "links", "code", "name", "distance". */
GRENS_EXTERN const char *grens_net_rule_name(grens_net_rule rule);

typedef struct grens_net_stop_match {
	uint32_t stop_a, stop_b; /* timetable stop indices; stop_a's feed comes first */
	double distance_m;	 /* NAN when a stop has no coordinates */
	grens_net_rule rule;
} grens_net_stop_match;

typedef struct grens_net_near_miss {
	uint32_t stop_a, stop_b;
	double distance_m;
	char reason[96]; /* why they were not matched */
} grens_net_near_miss;

/* A links file row whose stops lie farther apart than the walking radius
 * (footpath_radius_m; link_name_radius_m when footpaths are off): taken as
 * asked, with a link_too_far warning, but most likely a wrong row. Forced
 * overrides are not checked: they exist to join what the rules would not. */
typedef struct grens_net_far_link {
	uint32_t stop_a, stop_b; /* stop_a's feed comes first */
	double distance_m;
	double limit_m; /* the radius it exceeds */
	char file[64];	/* the row's file and line */
	uint32_t line;
} grens_net_far_link;

typedef enum {
	GRENS_NET_MERGE_SAME = 0,      /* both feeds carry the same run */
	GRENS_NET_MERGE_CONTAINED = 1, /* feed b carries a section of feed a's run */
	GRENS_NET_MERGE_JOINED = 2,    /* a's run continues as b's: one trip through */
} grens_net_merge_kind;

/* "same", "contained", "joined". */
GRENS_EXTERN const char *grens_net_merge_kind_name(grens_net_merge_kind kind);

typedef struct grens_net_trip_merge {
	grens_net_merge_kind kind;
	uint32_t feed_a, feed_b;       /* feed indices */
	uint32_t trip_id_a, trip_id_b; /* string offsets (GTFS trip_id) */
	uint32_t short_name;	       /* string offset of the train number, "" when none */
	uint32_t trip;		       /* timetable trip that carries the run (first such) */
	uint32_t shared_stops;	       /* stops both feeds carry */
	uint32_t days;		       /* service days merged */
	int32_t max_difference;	       /* largest time difference at a shared stop (s) */
} grens_net_trip_merge;

typedef struct grens_net_feed_zone {
	uint32_t timezone;	      /* string offset of the feed's agency_timezone */
	int32_t shift_min, shift_max; /* seconds added to its times over its service days */
	uint32_t services_split;      /* services split because the shift changes (DST) */
	uint32_t trips_moved;	      /* trips moved to the previous service day */
} grens_net_feed_zone;

typedef struct grens_net_link_report {
	grens_net_stop_match *matches;
	uint32_t match_count;
	grens_net_near_miss *near_misses;
	uint32_t near_miss_count;
	grens_net_trip_merge *merges;
	uint32_t merge_count;
	grens_net_feed_zone *zones;
	uint32_t zone_count;		 /* one per feed */
	uint32_t link_footpaths;	 /* footpaths between matched stations */
	uint32_t links_unresolved;	 /* links/override rows naming an unknown stop */
	uint32_t near_misses_over_limit; /* not kept beyond GRENS_LIMIT_NEAR_MISSES */
	grens_net_far_link *far_links;
	uint32_t far_link_count; /* in row order */
} grens_net_link_report;

/* Like grens_net_build, and when report is not NULL also describe how the
 * feeds were joined. The report refers to the timetable's stops and strings:
 * free it (grens_net_link_report_free) before or with the timetable. On
 * failure *report is NULL. */
GRENS_EXTERN int grens_net_build_linked(grens_timetable **out, grens_net_link_report **report,
					const grens_gtfs_feed *const *feeds, uint32_t feed_count,
					const grens_net_options *opts, grens_diag *diag,
					grens_error *err);

/* Free a report from grens_net_build_linked. NULL is accepted. */
GRENS_EXTERN void grens_net_link_report_free(grens_net_link_report *report);

/* Explicit links: create an empty set, then add CSV text to it. kind 0 reads
 * a links file (header feed_a,stop_id_a,feed_b,stop_id_b); kind 1 an
 * override file (the same columns plus action = force|forbid). file names the
 * text in notices. A bad row is a notice with file and line and is skipped;
 * a missing column fails with GRENS_EFORMAT. The set is the caller's. */
#define GRENS_NET_LINKS_FILE 0
#define GRENS_NET_LINKS_OVERRIDES 1
GRENS_EXTERN grens_net_links *grens_net_links_new(void);
GRENS_EXTERN int grens_net_links_parse(grens_net_links *links, const char *text, size_t len,
				       int kind, const char *file, grens_diag *diag,
				       grens_error *err);
/* Rows kept so far (links and overrides). */
GRENS_EXTERN uint32_t grens_net_links_count(const grens_net_links *links);
/* Free a set; NULL is accepted. */
GRENS_EXTERN void grens_net_links_free(grens_net_links *links);

static inline const char *grens_net_str(const grens_timetable *tt, uint32_t offset)
{
	return tt->strings + offset;
}

/* Pattern p's stop events: a [trip][stop] block of (trips of p) x (stops
 * of p) events. */
static inline const grens_net_stop_time *grens_net_pattern_times(const grens_timetable *tt,
								 uint32_t p)
{
	uint64_t o = tt->pattern_time_offset[p];
	if (tt->stop_times_tail && o >= tt->stop_time_split)
		return tt->stop_times_tail + (o - tt->stop_time_split);
	return tt->stop_times + o;
}

/* Does the trip's service run on date d? */
static inline bool grens_net_trip_runs(const grens_timetable *tt, uint32_t trip, grens_date d)
{
	int64_t day = (int64_t)d - tt->first_date;
	if (day < 0 || day >= (int64_t)tt->day_count)
		return false;
	const uint64_t *w =
	    tt->service_days + (uint64_t)tt->trip_service[trip] * tt->words_per_service;
	return (w[day >> 6] >> (day & 63)) & 1u;
}

/* ---- service periods ------------------------------------------------------------ */

/* A feed's service period: the first and last day its calendar.txt and
 * calendar_dates.txt give service on, and the part of it the timetable can
 * route (service ranges longer than GRENS_LIMIT_SERVICE_DAYS are cut). All
 * GRENS_DATE_NONE for a feed without service days. */
typedef struct grens_net_service_period {
	grens_date first, last;
	grens_date routable_first, routable_last;
} grens_net_service_period;

/* The service period of feed (an index < tt->feed_count) into *out. */
GRENS_EXTERN void grens_net_feed_period(const grens_timetable *tt, uint32_t feed,
					grens_net_service_period *out);

/* Does any trip of feed run on service day date? O(trips). */
GRENS_EXTERN bool grens_net_feed_runs(const grens_timetable *tt, uint32_t feed, grens_date date);

/* A feed that runs no trip on a query date other feeds serve. */
typedef struct grens_net_date_note {
	uint32_t feed;
	char message[256]; /* one sentence naming the feed, the date and its period */
} grens_net_date_note;

/* Check a query date against the feeds' service periods. Fails with
 * GRENS_EARG, err->message naming the date and every feed's period, when
 * the date is outside the period of every feed, or inside a feed's period
 * but after the part of it the timetable holds (it was cut). Otherwise 0,
 * and notes[0..*n) (cap should be tt->feed_count) name each feed that runs
 * no trip on date. */
GRENS_EXTERN int grens_net_check_date(const grens_timetable *tt, grens_date date,
				      grens_net_date_note *notes, uint32_t cap, uint32_t *n,
				      grens_error *err);

/* The spelling stop names are compared in, by the linker (the same name
 * within link_name_radius_m) and by grens_net_find_stops: the name folded
 * (grens_text_fold), oe/ue/ae read as the umlaut they stand for at the start
 * of a word or after a consonant ("Koeln", "Köln" and "Koln" are "koln"),
 * and station words in one spelling ("Hauptbahnhof" "hbf", "Bahnhof" "bf",
 * "Centraal", "Central", "Centrum", "Zentrum" and "C." "c", "Sankt" and
 * "Saint" "st"). Writes at most bufsz-1 bytes plus NUL; returns the length
 * needed (like snprintf). */
GRENS_EXTERN size_t grens_net_name_key(const char *name, char *buf, size_t bufsz);

/* Coordinates ("lat,lon") stand for the stations within this straight-line
 * distance, the nearest GRENS_NET_NEAR_STOPS of them: the reach of an access
 * walk (grens_access_link_options). */
#define GRENS_NET_NEAR_RADIUS_M 1500.0
#define GRENS_NET_NEAR_STOPS 4

/* Resolve a stop reference the user typed: "stop_id", "feed:stop_id",
 * coordinates "lat,lon" (the nearest stations within GRENS_NET_NEAR_RADIUS_M)
 * or a name compared by grens_net_name_key ("koeln hbf"; a name may also be
 * the start of stop names, "Heerlen" for "Heerlen de Kissel"). A station
 * resolves to all its child stops (and itself) and the stations matched to it
 * in other feeds. On success fills out[0..*n) (up to cap stop indices).
 * GRENS_ENOTFOUND when nothing matches (err->message then names the three
 * nearest names, or the nearest station to coordinates and its distance);
 * GRENS_EARG when a name is ambiguous (several different stations):
 * err->message lists candidates. */
GRENS_EXTERN int grens_net_find_stops(const grens_timetable *tt, const char *query, uint32_t *out,
				      uint32_t cap, uint32_t *n, grens_error *err);

/* ---- searching stations (a search box, the station nearest a point) ---- */

/* One station a search found. */
typedef struct grens_net_stop_hit {
	uint32_t stop;	   /* the station's stop index */
	double distance_m; /* from the point searched near; NAN for a name search */
} grens_net_stop_hit;

/* Stations whose name matches text, best first, into out[0..*n) (at most
 * cap: the first cap of the whole ranking). A station is a stop with
 * location_type 1 or without parent station; platforms are never listed
 * (a station stands for them). Names are compared in the spelling of
 * grens_net_name_key, so without case and diacritics ("koeln hbf" and
 * "Köln Hauptbahnhof" find "Köln Hbf"): a station matches when every word
 * of the text is the start of some word of its name ("ko hb" finds "Köln
 * Hbf"; "aken" does not find "Aachen"). Stations of different feeds are
 * listed each, also when the linker took them as one. Ranked: a name equal
 * to the text, then names that start with it, then the other matches;
 * within each, shorter names first, then by the compared spelling (byte
 * order), then by stop index. Every hit's distance_m is NAN. 0 with *n = 0
 * when nothing matches; GRENS_EARG, err->message saying why, for text that
 * is empty, has no letter or digit, is not UTF-8 or is longer than
 * GRENS_LIMIT_SEARCH_BYTES, and for a timetable without a name index (a
 * cut or a selection of trips: search the timetable it was made from);
 * GRENS_EINVAL for a NULL tt, text or n, or a NULL out with cap > 0. */
GRENS_EXTERN int grens_net_search_stops(const grens_timetable *tt, const char *text,
					grens_net_stop_hit *out, uint32_t cap, uint32_t *n,
					grens_error *err);

/* Stations within radius_m of (lat, lon) in a straight line
 * (grens_geo_distance_m), nearest first (ties by stop index), with their
 * distance, into out[0..*n) (at most cap: the nearest cap). A station's
 * distance is that of the nearest of itself and its stops (platforms,
 * entrances) with coordinates; stations as for grens_net_search_stops. 0
 * with *n = 0 when none is in reach; GRENS_EARG for coordinates that are
 * not a point (NAN, |lat| > 90, |lon| > 180) or a radius that is not above
 * 0 and at most GRENS_LIMIT_SEARCH_RADIUS_M; GRENS_ENOMEM; GRENS_EINVAL
 * for a NULL tt or n, or a NULL out with cap > 0. */
GRENS_EXTERN int grens_net_nearest_stops(const grens_timetable *tt, double lat, double lon,
					 double radius_m, grens_net_stop_hit *out, uint32_t cap,
					 uint32_t *n, grens_error *err);

/* The stop index of feed:stop_id, or GRENS_NONE. */
GRENS_EXTERN uint32_t grens_net_stop_by_id(const grens_timetable *tt, const char *feed,
					   const char *stop_id);
/* The trip index of feed:trip_id (first run for frequency trips), or GRENS_NONE. */
GRENS_EXTERN uint32_t grens_net_trip_by_id(const grens_timetable *tt, const char *feed,
					   const char *trip_id);

/* ---- cutting at a border ------------------------------------------------------- */

/* in[s] = 1 for the stops of tt in country ("NL" or "DE", as
 * grens_geo_country gives it from the stop's coordinates, or its parent
 * station's when it has none), else 0; a stop without coordinates is in no
 * country. in has tt->stop_count entries. Returns the number in. */
GRENS_EXTERN uint32_t grens_net_stops_in_country(const grens_timetable *tt, const char *country,
						 uint8_t *in);

/* The timetable tt served only at the stops with keep[stop] != 0: every
 * pattern split into its runs of two or more kept stops, each carrying all
 * the pattern's trips over that run (a trip that leaves ends at its last kept
 * stop, one that comes in starts at its first; one that leaves and comes back
 * becomes separate trips, and a block continues only from a trip's own last
 * stop to the next trip's own first stop), and only the footpaths between
 * kept stops. Stop indices, stops, routes, services and strings are tt's,
 * shared: tt must outlive the cut, and id and name lookups
 * (grens_net_find_stops, grens_net_stop_by_id) go through tt. On success *out
 * is the caller's (grens_net_free). GRENS_ENOMEM, GRENS_ELIMIT,
 * GRENS_EARG. */
GRENS_EXTERN int grens_net_cut(grens_timetable **out, const grens_timetable *tt,
			       const uint8_t *keep, grens_error *err);

/* ---- keeping some trips ---------------------------------------------------------- */

/* The timetable tt with only the trips t with keep[t] != 0 (keep has
 * tt->trip_count entries), in their order: patterns, stops, routes,
 * services, footpaths and strings are tt's, shared (a pattern left without
 * trips stays, empty), so tt must outlive the result, and id and name
 * lookups (grens_net_find_stops, grens_net_stop_by_id) go through tt. A
 * block continuation to a trip left out ends the block. On success *out is
 * the caller's (grens_net_free). GRENS_ENOMEM, GRENS_EINVAL. */
GRENS_EXTERN int grens_net_keep_trips(grens_timetable **out, const grens_timetable *tt,
				      const uint8_t *keep, grens_error *err);

/* ---- snapshot -------------------------------------------------------------------- */

/* The snapshot format this grens writes and reads; a file of another version
 * is refused (rebuild it). */
#define GRENS_NET_SNAPSHOT_VERSION 1

/* Write a timetable built by grens_net_build (not a cut) to f as a snapshot:
 * its arrays as they are in memory, its id and name index, provenance (any
 * NUL-terminated text, kept as it is; NULL for none) and inputs_sha256 (64
 * hex digits naming the inputs, or NULL). The caller opens, syncs and renames
 * f. GRENS_EIO on a write error, GRENS_EARG. */
GRENS_EXTERN int grens_net_snapshot_write(const grens_timetable *tt, FILE *f,
					  const char *provenance, const char *inputs_sha256,
					  grens_error *err);

/* A timetable over a snapshot's bytes (8-byte aligned), after checking its
 * magic, byte order, version, sizes and every section's checksum; name names
 * the file in messages. Nothing is copied: the bytes must outlive *out
 * (grens_net_free). GRENS_EFORMAT, err->message "NAME: reason", when
 * the bytes are not a snapshot this grens can use; GRENS_ENOMEM, GRENS_EARG. */
GRENS_EXTERN int grens_net_snapshot_open(grens_timetable **out, const void *bytes, size_t size,
					 const char *name, grens_error *err);

/* Map the snapshot file at path read-only and open it (grens_net_snapshot_open);
 * the mapping is the timetable's and goes with grens_net_free. GRENS_EIO
 * when the file cannot be opened or mapped, GRENS_EFORMAT as above. */
GRENS_EXTERN int grens_net_snapshot_load(grens_timetable **out, const char *path, grens_error *err);

/* The provenance text and the inputs' hash a snapshot was written with, or
 * NULL for a timetable built from feeds. */
GRENS_EXTERN const char *grens_net_snapshot_provenance(const grens_timetable *tt);
GRENS_EXTERN const char *grens_net_snapshot_inputs(const grens_timetable *tt);

/* One more timetable over the arrays of snap (opened from a snapshot), for a
 * reader that frees what it is given: *out (grens_net_free) frees
 * only itself and must not outlive snap. GRENS_EARG when snap is not from a
 * snapshot, GRENS_ENOMEM. */
GRENS_EXTERN int grens_net_snapshot_share(grens_timetable **out, const grens_timetable *snap,
					  grens_error *err);

/* ---- where a job's timetables come from ------------------------------------- */

/* The inputs every job (compare, access, the report, the server) builds its
 * timetables from: loaded feeds with the options they are linked with, or a
 * snapshot, which is built already and only shared. Borrowed: everything
 * pointed to must outlive the jobs that use it. */
typedef struct grens_net_source {
	const grens_gtfs_feed *const *feeds; /* NULL with a snapshot */
	uint32_t feed_count;
	grens_net_options options;	     /* with feeds: how they are linked */
	const grens_timetable *snapshot;     /* a snapshot (grens_net_snapshot_load), or NULL */
} grens_net_source;

/* A timetable of src into *out (the caller's, grens_net_free): the feeds
 * built with opts (NULL: src->options), or one more view of the snapshot.
 * A snapshot is built once, with its own options: opts must then be NULL
 * (GRENS_EARG otherwise). Linking notices go to diag (may be NULL).
 * GRENS_EARG when src has neither feeds nor a snapshot, or both; the errors
 * of grens_net_build_linked. */
GRENS_EXTERN int grens_net_source_build(grens_timetable **out, const grens_net_source *src,
					const grens_net_options *opts, grens_diag *diag,
					grens_error *err);

/* Memory used by the timetable arrays (bytes). */
GRENS_EXTERN uint64_t grens_net_bytes(const grens_timetable *tt);

#ifdef __cplusplus
}
#endif
#endif
