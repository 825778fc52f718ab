/* grens access: accessibility on the routable timetable (grens/route.h).
 *
 * Places are weighted points (municipalities with their population and,
 * optionally, other opportunities such as jobs) tied to their nearest stops
 * by an access walk. For each origin (a place or a set of stops) and each
 * departure step of a window, one-to-all RAPTOR gives the travel time to
 * every stop and place; per destination the travel times over the window are
 * reduced to percentiles (nearest rank, like R5's p50), and the opportunities
 * reachable within each cutoff are summed with an optional decay function.
 *
 * Everything here only computes: no file or network I/O, no formatting. The
 * places CSV is parsed from memory (the caller reads the file). Many origins
 * run on several threads (one routing workspace per thread); results do not
 * depend on the thread count. Sharding selects origins i with
 * i % shard_count == shard_index so independent processes can split a run.
 *
 * Travel time of an origin to a destination for the step leaving at t is
 * arrival minus t, waiting at the origin included; an origin place reaches
 * itself in 0 s. Unreached is GRENS_ACCESS_UNREACHED. */
#ifndef GRENS_ACCESS_H
#define GRENS_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "grens/core.h"
#include "grens/net.h"
#include "grens/route.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GRENS_ACCESS_UNREACHED GRENS_ROUTE_UNREACHED
/* Most opportunity columns (population, jobs, ...) in a places table. */
#define GRENS_ACCESS_MAX_KINDS 8u
/* Most cutoffs and percentiles in one run. */
#define GRENS_ACCESS_MAX_CUTOFFS 16u
#define GRENS_ACCESS_MAX_PERCENTILES 8u
/* Most places in one table, and largest places file accepted. */
#define GRENS_ACCESS_MAX_PLACES GRENS_LIMIT_ACCESS_PLACES
#define GRENS_ACCESS_MAX_PLACES_BYTES GRENS_LIMIT_ACCESS_PLACES_BYTES
/* Most stops one place is tied to (all platforms of its stations). */
#define GRENS_ACCESS_MAX_LINKS 32u
/* Most threads one run uses. */
#define GRENS_ACCESS_MAX_THREADS 256u

/* ---- places ----------------------------------------------------------------- */

/* One place. Strings are owned by the table. */
typedef struct grens_access_place {
	const char *name;
	const char *country;	    /* ISO 3166 alpha-2, e.g. "NL" */
	const char *municipality;   /* official code, e.g. "GM0917" or "05334002" */
	const char *source;	    /* where the opportunity figures come from */
	const char *reference_date; /* of those figures, as written (e.g. "2024-01-01") */
	const char *station;	    /* whose coordinates lat/lon are (documentation only) */
	double lat, lon;
	const double *opportunities; /* [grens_access_places_kind_count] */
	const char *file;	     /* file and line the row came from */
	uint32_t line;
} grens_access_place;

typedef struct grens_access_places grens_access_places;

/* An empty table. On success *out is the caller's (grens_access_places_free).
 * GRENS_ENOMEM. */
GRENS_EXTERN int grens_access_places_new(grens_access_places **out, grens_error *err);
GRENS_EXTERN void grens_access_places_free(grens_access_places *places);

/* Append the rows of one places CSV held in text[0..len); file names it in
 * messages. Columns (any order, header names): name, country,
 * municipality_code, lat, lon, population (required), source,
 * reference_date, station, why (optional text); every other column is a
 * further opportunity kind (a number >= 0, empty means 0). The first file
 * fixes the kinds; a later file must have the same ones. A file without the
 * lat and lon columns lists population that cannot be placed: its rows are
 * counted (grens_access_places_unplaced), never tied or routed. Quotes, a
 * UTF-8 BOM and CRLF are accepted.
 * A bad row is skipped with a notice (file, line, field) to diag and counted
 * in *skipped (may be NULL); a duplicate name+country is a duplicate_key
 * notice. A missing required column, a kind mismatch or an unreadable header
 * fails with GRENS_EFORMAT and err's file/line/field set. GRENS_ELIMIT past
 * GRENS_ACCESS_MAX_PLACES or _BYTES. */
GRENS_EXTERN int grens_access_places_parse(grens_access_places *places, const char *file,
					   const char *text, size_t len, grens_diag *diag,
					   uint32_t *skipped, grens_error *err);

GRENS_EXTERN uint32_t grens_access_places_count(const grens_access_places *places);
/* The i-th place (i < count); valid while the table lives. */
GRENS_EXTERN const grens_access_place *grens_access_places_get(const grens_access_places *places,
							       uint32_t i);
/* Opportunity kinds, in column order; kind 0 is "population". */
GRENS_EXTERN uint32_t grens_access_places_kind_count(const grens_access_places *places);
GRENS_EXTERN const char *grens_access_places_kind(const grens_access_places *places, uint32_t kind);
/* A place by municipality code, or by name matched after grens_text_fold
 * ("koln" finds "Köln"); GRENS_NONE when none or when a name is ambiguous. */
GRENS_EXTERN uint32_t grens_access_places_find(const grens_access_places *places,
					       const char *query);
/* Rows of the files without coordinates (municipalities that cannot be
 * placed), and their opportunities of kind summed. */
GRENS_EXTERN uint32_t grens_access_places_unplaced_count(const grens_access_places *places);
GRENS_EXTERN double grens_access_places_unplaced(const grens_access_places *places, uint32_t kind);

/* ---- places on a timetable ------------------------------------------------ */

/* How a place reaches its stops (the first and last mile). */
typedef enum {
	GRENS_ACCESS_MODE_NONE = 0, /* tied to no stop */
	GRENS_ACCESS_MODE_WALK = 1,
	GRENS_ACCESS_MODE_BIKE = 2,
	GRENS_ACCESS_MODE_FEEDER = 3, /* a bus or car ride to the station: an assumption */
} grens_access_mode;
#define GRENS_ACCESS_MODE_COUNT 4u
#define GRENS_ACCESS_MODE_BIT(m) (1u << (m))
/* "none", "walk", "bike", "feeder". */
GRENS_EXTERN const char *grens_access_mode_name(grens_access_mode mode);

/* A place is tied to the stops of its nearest stations (max_stops stations;
 * a station's platforms and the same station in other feeds count once).
 * Each stop takes the quicker of walking (within max_distance_m) and, for a
 * place in one of bike_countries, cycling (within bike_max_distance_m, plus
 * bike_park_s to park). A place with no stop in reach of either is tied by a
 * feeder (when enabled) to the stations within feeder_max_distance_m:
 * feeder_wait_s plus the distance at feeder_speed_mps. Distances are
 * straight lines times detour_factor. */
/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_ACCESS_LINK_OPTIONS_VERSION 1

typedef struct grens_access_link_options {
	unsigned
	    version; /* GRENS_ACCESS_LINK_OPTIONS_VERSION (set by GRENS_ACCESS_LINK_OPTIONS_INIT) */
	double max_distance_m; /* walking reach (default 1500) */
	uint32_t max_stops;    /* nearest stations tied per place (default 4) */
	double walk_speed_mps; /* default 1.2 */
	double detour_factor;  /* straight-line distance times this (default 1.3) */
	int32_t
	    access_time; /* seconds for every tie regardless of distance; -1: by mode (default) */
	uint32_t modes;	 /* GRENS_ACCESS_MODE_BIT of walk, bike, feeder (default all three) */
	double bike_speed_mps;	      /* default 4.5 */
	double bike_max_distance_m;   /* default 5000 */
	int32_t bike_park_s;	      /* parking the bicycle at the station (default 120) */
	const char *bike_countries;   /* comma-separated ISO codes, "*" all (default "NL") */
	double feeder_speed_mps;      /* default 20 km/h */
	double feeder_max_distance_m; /* default 15000 */
	int32_t feeder_wait_s;	      /* waiting for the feeder (default 600) */
} grens_access_link_options;

#define GRENS_ACCESS_LINK_OPTIONS_INIT                                                             \
	{                                                                                          \
		.version = GRENS_ACCESS_LINK_OPTIONS_VERSION,                                      \
		.max_distance_m = GRENS_NET_NEAR_RADIUS_M, .max_stops = GRENS_NET_NEAR_STOPS,      \
		.walk_speed_mps = 1.2, .detour_factor = 1.3, .access_time = -1,                    \
		.modes = GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK) |                           \
			 GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_BIKE) |                           \
			 GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_FEEDER),                          \
		.bike_speed_mps = 4.5, .bike_max_distance_m = 5000.0, .bike_park_s = 120,          \
		.bike_countries = "NL", .feeder_speed_mps = 20.0 / 3.6,                            \
		.feeder_max_distance_m = 15000.0, .feeder_wait_s = 600                             \
	}

/* A place's tie to one stop: seconds each way, and by which mode. */
typedef struct grens_access_link {
	uint32_t stop;
	int32_t seconds;
	grens_access_mode mode;
} grens_access_link;

/* How the places of a network are tied: places and opportunities (kind 0,
 * population) by the mode of each place's quickest tie; [NONE] counts the
 * places tied to no stop. */
typedef struct grens_access_tie_summary {
	uint32_t places[GRENS_ACCESS_MODE_COUNT];
	double population[GRENS_ACCESS_MODE_COUNT];
} grens_access_tie_summary;

typedef struct grens_access_network grens_access_network;

/* Tie every place to its nearest stops of tt (both must outlive the
 * network). A place with no stop in reach gets a place_without_stop notice
 * and can be reached only from itself. On success *out is the caller's.
 * GRENS_ENOMEM, GRENS_EARG for bad options. */
GRENS_EXTERN int grens_access_network_new(grens_access_network **out, const grens_timetable *tt,
					  const grens_access_places *places,
					  const grens_access_link_options *opts, grens_diag *diag,
					  grens_error *err);
/* The ties of reference reused on tt (a variant of a comparison, e.g. a
 * subset of its feeds): every tie to a stop that tt has too (the same feed
 * name and GTFS stop_id) with the same seconds and mode; a stop absent from
 * tt drops out of its place's ties. Tie once on the largest network and
 * derive the others with this, so that a variant with less network never
 * ties a place to other stops. tt and reference's places must outlive the
 * network. On success *out is the caller's. GRENS_ENOMEM. */
GRENS_EXTERN int grens_access_network_new_like(grens_access_network **out,
					       const grens_timetable *tt,
					       const grens_access_network *reference,
					       grens_error *err);
GRENS_EXTERN void grens_access_network_free(grens_access_network *net);
/* The stops place is tied to, nearest first; *links points into the network. */
GRENS_EXTERN uint32_t grens_access_network_links(const grens_access_network *net, uint32_t place,
						 const grens_access_link **links);
GRENS_EXTERN const grens_timetable *grens_access_network_timetable(const grens_access_network *net);
GRENS_EXTERN const grens_access_places *
grens_access_network_places(const grens_access_network *net);
/* The mode of a place's quickest tie (GRENS_ACCESS_MODE_NONE: no tie). */
GRENS_EXTERN grens_access_mode grens_access_network_place_mode(const grens_access_network *net,
							       uint32_t place);
/* Places and population by mode of tie. */
GRENS_EXTERN void grens_access_network_summary(const grens_access_network *net,
					       grens_access_tie_summary *out);

/* ---- computing -------------------------------------------------------------- */

/* An origin: a place (its tied stops with their access walks), or a set of
 * stops left at the departure time (place = GRENS_NONE). */
typedef struct grens_access_origin {
	uint32_t place;
	const uint32_t *stops; /* when place == GRENS_NONE */
	uint32_t stop_count;
} grens_access_origin;

typedef enum {
	GRENS_ACCESS_DECAY_STEP = 0, /* 1 within the cutoff, else 0 */
	GRENS_ACCESS_DECAY_LINEAR =
	    1,			    /* 1 up to cutoff - W/2, 0 from cutoff + W/2, linear between */
	GRENS_ACCESS_DECAY_EXP = 2, /* 2^(-t / HALF) within the cutoff, else 0 */
} grens_access_decay;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_ACCESS_OPTIONS_VERSION 1

typedef struct grens_access_options {
	unsigned version; /* GRENS_ACCESS_OPTIONS_VERSION (set by GRENS_ACCESS_OPTIONS_INIT) */
	grens_date date;
	int32_t window_start, window_end; /* departures, seconds since noon-minus-12h of date */
	int32_t step; /* seconds between departures (GRENS_ROUTE_DEFAULT_STEP) */
	uint32_t cutoff_count;
	int32_t cutoffs[GRENS_ACCESS_MAX_CUTOFFS]; /* seconds, ascending not required */
	uint32_t percentile_count;
	uint8_t percentiles[GRENS_ACCESS_MAX_PERCENTILES]; /* 1..100 */
	grens_access_decay decay;
	int32_t decay_param;  /* seconds: linear width W, exponential half-life */
	bool keep_stop_times; /* also keep per-stop percentiles (stops * percentiles per origin) */
	bool exhaustive;      /* one-to-all at every step instead of once per boarding
				 deadline (same result, slower; a reference for tests) */
	int32_t max_duration; /* seconds; travel times beyond are unreached, which lets routing
				 ignore trips outside the window plus this (much faster on large
				 networks); 0: no bound. Use at least the largest cutoff (+ W/2
				 for linear decay) */
	uint32_t threads;     /* 0 or 1: the calling thread only */
	uint32_t shard_index, shard_count; /* this run takes origins i % count == index */
	grens_route_options route;
	grens_progress progress; /* "origins" done / total; called from one thread at a time */
} grens_access_options;

#define GRENS_ACCESS_OPTIONS_INIT                                                                  \
	{                                                                                          \
		.version = GRENS_ACCESS_OPTIONS_VERSION, .date = 0, .window_start = 7 * 3600,      \
		.window_end = 9 * 3600, .step = GRENS_ROUTE_DEFAULT_STEP, .cutoff_count = 3,       \
		.cutoffs = {3600, 5400, 7200}, .percentile_count = 1, .percentiles = {50},         \
		.decay = GRENS_ACCESS_DECAY_STEP, .decay_param = 0, .keep_stop_times = false,      \
		.exhaustive = false, .max_duration = 0, .threads = 1, .shard_index = 0,            \
		.shard_count = 1, .route = GRENS_ROUTE_OPTIONS_INIT, .progress = {                 \
			NULL,                                                                      \
			NULL                                                                       \
		}                                                                                  \
	}

typedef struct grens_access_result grens_access_result;

/* Run every origin of this shard over the window (origins[i] with
 * i % shard_count == shard_index) on opts->threads threads. The result keeps
 * no pointer into net or origins[]: it holds indices into origins[] and into
 * net's places and timetable, which the caller uses for names. On success
 * *out is the caller's (grens_access_result_free). GRENS_EARG for bad
 * options or origins, GRENS_ENOMEM, or a routing error. */
GRENS_EXTERN int grens_access_run(grens_access_result **out, const grens_access_network *net,
				  const grens_access_origin *origins, uint32_t origin_count,
				  const grens_access_options *opts, grens_error *err);
GRENS_EXTERN void grens_access_result_free(grens_access_result *r);

/* Origins computed by this run (those of the shard), in input order. */
GRENS_EXTERN uint32_t grens_access_result_count(const grens_access_result *r);
/* Index into the run's origins[] of the i-th computed origin. */
GRENS_EXTERN uint32_t grens_access_result_origin(const grens_access_result *r, uint32_t i);
/* The options the run used (cutoffs, percentiles, window, shard). */
GRENS_EXTERN const grens_access_options *grens_access_result_options(const grens_access_result *r);
/* Opportunities of kind reachable from origin i at percentile index p within
 * cutoff index c, weighted by the decay function. */
GRENS_EXTERN double grens_access_result_opportunities(const grens_access_result *r, uint32_t i,
						      uint32_t p, uint32_t c, uint32_t kind);
/* Travel time (s) from origin i to place at percentile index p, or
 * GRENS_ACCESS_UNREACHED. */
GRENS_EXTERN int32_t grens_access_result_place_time(const grens_access_result *r, uint32_t i,
						    uint32_t p, uint32_t place);
/* Travel time (s) from origin i to stop at percentile index p (only with
 * keep_stop_times; else GRENS_ACCESS_UNREACHED). */
GRENS_EXTERN int32_t grens_access_result_stop_time(const grens_access_result *r, uint32_t i,
						   uint32_t p, uint32_t stop);
/* Steps of the window, and steps in which the place was reached at all. */
GRENS_EXTERN uint32_t grens_access_result_steps(const grens_access_result *r);
GRENS_EXTERN uint32_t grens_access_result_place_reached(const grens_access_result *r, uint32_t i,
							uint32_t place);

/* ---- helpers ---------------------------------------------------------------- */

/* Weight of a travel time t (s) under cutoff (s) and a decay function. */
GRENS_EXTERN double grens_access_decay_weight(grens_access_decay decay, int32_t param,
					      int32_t cutoff, int32_t t);
/* Nearest-rank percentile p (1..100) of values[0..n) (sorted in place);
 * GRENS_ACCESS_UNREACHED counts as infinitely long. n == 0 gives UNREACHED. */
GRENS_EXTERN int32_t grens_access_percentile(int32_t *values, uint32_t n, uint32_t p);

/* One origin's change between two runs (base and alternative, e.g. NL only
 * vs NL + NRW linked, or base vs scenario). */
typedef struct grens_access_delta {
	uint32_t origin;		   /* index into both runs' origins[] */
	uint32_t percentile, cutoff, kind; /* indices */
	double base, alternative, delta;   /* delta = alternative - base */
} grens_access_delta;

/* Compare two runs over the same origins, percentiles, cutoffs and kinds:
 * one delta per origin x percentile x cutoff x kind, in that order. On
 * success *out (calloc'd, *n entries) is the caller's to free(). GRENS_EARG
 * when the runs are not comparable, GRENS_ENOMEM. */
GRENS_EXTERN int grens_access_compare(grens_access_delta **out, uint32_t *n,
				      const grens_access_result *base,
				      const grens_access_result *alternative, grens_error *err);

/* ---- the border --------------------------------------------------------------- */

/* Three views of an origin's accessibility (grens-access(1), BORDER EFFECT):
 * national: opportunities of the home country only, on the linked network
 * cut at the home country's border (grens_net_cut of the stops
 * grens_net_stops_in_country puts in it); closed border: the same cut
 * network, every opportunity still in reach (a place abroad tied to a stop at
 * home); today: every opportunity on the linked network. The border effect
 * is today - national = (today - closed border) [the cross-border network]
 * + (closed border - national) [counting the neighbours]. */
typedef enum {
	GRENS_ACCESS_VIEW_NATIONAL = 0,
	GRENS_ACCESS_VIEW_CLOSED_BORDER = 1,
	GRENS_ACCESS_VIEW_TODAY = 2,
} grens_access_view;

typedef struct grens_access_border grens_access_border;

/* Run origins on today's network and on its cut at the border of home (an
 * ISO alpha-2 code grens_geo_country knows: "NL" or "DE"; a place is at home
 * when its country column says so). Places keep the ties of today's network
 * on the cut one, less those to stops abroad, so no view can count less
 * than the one before it: national <= closed border <= today for every
 * origin, percentile, cutoff and kind. today must outlive the result. On
 * success *out is the caller's (grens_access_border_free). Errors as
 * grens_access_run. */
GRENS_EXTERN int grens_access_border_run(grens_access_border **out,
					 const grens_access_network *today, const char *home,
					 const grens_access_origin *origins, uint32_t origin_count,
					 const grens_access_options *opts, grens_error *err);
GRENS_EXTERN void grens_access_border_free(grens_access_border *b);
/* The run behind a view: GRENS_ACCESS_VIEW_TODAY the one on today's network,
 * the others the one on the cut (its origins, counts and options). */
GRENS_EXTERN const grens_access_result *grens_access_border_result(const grens_access_border *b,
								   grens_access_view view);
/* The cut network with its ties (valid while b lives). */
GRENS_EXTERN const grens_access_network *grens_access_border_network(const grens_access_border *b);
/* Stops at home (kept by the cut), and trips before and after the cut (a
 * trip that leaves and comes back counts once per part). */
GRENS_EXTERN void grens_access_border_counts(const grens_access_border *b, uint32_t *stops_kept,
					     uint32_t *trips_today, uint32_t *trips_cut);
/* Opportunities of kind in a view from the i-th computed origin at
 * percentile index p within cutoff index c (NAN out of range). */
GRENS_EXTERN double grens_access_border_value(const grens_access_border *b, uint32_t i,
					      grens_access_view view, uint32_t p, uint32_t c,
					      uint32_t kind);
/* rank[i] (for each computed origin i) = 1 + the number of origins with
 * more opportunities (rounded to whole ones) in the view: 1 = most, equal
 * values share a rank. Only origins with among[i] != 0 take part (NULL:
 * all); the others get 0. */
GRENS_EXTERN int grens_access_border_rank(uint32_t *rank, const grens_access_border *b,
					  const uint8_t *among, grens_access_view view, uint32_t p,
					  uint32_t c, uint32_t kind);

/* ---- realised against scheduled ------------------------------------------
 * For every departure step of a window: the planned journey (the earliest
 * arrival on the timetable alone) checked against realised times (an
 * overlay from grens_rt_realised_build), and the earliest arrival routed on
 * those realised times. A planned journey held when each of its trips ran,
 * stopped where it was boarded and left, and every change still worked: the
 * next trip left no earlier than the feeder's realised arrival plus the walk
 * between them (else the stop's change time, at most the planned slack).
 * Steps are collected per service day; summaries cover one day or all. */
typedef enum {
	GRENS_ACCESS_REALISED_NO_PLAN = 0, /* no scheduled journey */
	GRENS_ACCESS_REALISED_HELD = 1,
	GRENS_ACCESS_REALISED_BROKEN = 2,  /* a change was missed, or a trip cancelled/skipped */
	GRENS_ACCESS_REALISED_NO_DATA = 3, /* a planned trip had no realtime at all */
} grens_access_realised_status;

typedef enum {
	GRENS_ACCESS_BREAK_LATE = 0,	  /* the feeder arrived too late for the change */
	GRENS_ACCESS_BREAK_CANCELLED = 1, /* the next trip was cancelled */
	GRENS_ACCESS_BREAK_SKIPPED = 2,	  /* a trip did not stop where the plan changes */
} grens_access_break_reason;

typedef struct grens_access_realised_step {
	grens_date date;
	int32_t departure;				 /* the step */
	int32_t scheduled_arrival;			 /* GRENS_ROUTE_UNREACHED when none */
	int32_t realised_arrival;			 /* routed on the realised times */
	int32_t transfers_scheduled, transfers_realised; /* -1 when unreached */
	grens_access_realised_status status;
	/* BROKEN: where. station is the stop (its parent station when it has
	 * one) of the change; from_trip GRENS_NONE when the first trip broke. */
	grens_access_break_reason reason;
	uint32_t station, from_trip, to_trip;
} grens_access_realised_step;

/* A change that broke, by station and routes, with how often. */
typedef struct grens_access_realised_break {
	uint32_t station;
	const char *from_route, *to_route; /* route names (grens_route_trip_route_name),
					      from_route "" for the first trip */
	grens_access_break_reason reason;
	uint32_t count;
} grens_access_realised_break;

typedef struct grens_access_realised_summary {
	uint32_t steps, planned, held, broken, no_data;
	double share_held; /* held / (held + broken), NAN when none */
	/* realised minus scheduled arrival over held and broken steps
	 * (nearest rank; GRENS_ROUTE_UNREACHED when the realised route found
	 * nothing), GRENS_ROUTE_UNREACHED when there are none */
	int32_t extra_p50, extra_p90;
	grens_route_profile_summary scheduled, realised; /* as grens profile, over all steps */
} grens_access_realised_summary;

typedef struct grens_access_realised grens_access_realised;

/* An empty collection; *out is the caller's (grens_access_realised_free). */
GRENS_EXTERN int grens_access_realised_new(grens_access_realised **out, grens_error *err);
GRENS_EXTERN void grens_access_realised_free(grens_access_realised *r);
/* Add the steps t0, t0 + step, ... <= t1 of q->date (q->time ignored) from
 * q->from to q->to, routed with ws (a workspace on tt) under opts (its rt is
 * ignored: the schedule is routed without, the realised times with
 * realised). GRENS_EARG, GRENS_ELIMIT (over GRENS_ROUTE_MAX_STEPS steps in
 * all), GRENS_ENOMEM, routing errors. */
GRENS_EXTERN int grens_access_realised_add_day(grens_access_realised *r, grens_route_raptor *ws,
					       const grens_timetable *tt,
					       const grens_rt_overlay *realised,
					       const grens_route_query *q, int32_t t0, int32_t t1,
					       int32_t step, const grens_route_options *opts,
					       grens_error *err);
GRENS_EXTERN uint32_t grens_access_realised_step_count(const grens_access_realised *r);
GRENS_EXTERN const grens_access_realised_step *
grens_access_realised_step_at(const grens_access_realised *r, uint32_t i);
/* Summary of the steps of date (all dates when all), threshold (s) as in
 * grens_route_profile_summarize. GRENS_ENOMEM. */
GRENS_EXTERN int grens_access_realised_summarize(const grens_access_realised *r,
						 const grens_timetable *tt, bool all,
						 grens_date date, int32_t threshold,
						 grens_access_realised_summary *out,
						 grens_error *err);
/* The breaks of date (or all), most frequent first (then by station and
 * names), at most cap of them in out; returns how many distinct there are
 * (0 also when out of memory). */
GRENS_EXTERN uint32_t grens_access_realised_breaks(const grens_access_realised *r,
						   const grens_timetable *tt, bool all,
						   grens_date date,
						   grens_access_realised_break *out, uint32_t cap);


/* ---- origin-destination pairs over a departure window ----------------------
 * The comparison behind grens compare and grens report: for each pair of
 * stop sets, each date and each network (a base timetable and its
 * alternatives: a scenario, a subset of the feeds, live or realised times),
 * every departure step of a window is routed (grens_route_raptor_profile). A row
 * holds the profile's summary, the first and last departure with a journey,
 * the best journey of the window (the shortest travel time, the earliest
 * step on a tie) and the changes against the base network's row of the same
 * pair and date. */

/* Most networks and dates in one run. */
#define GRENS_ACCESS_OD_MAX_NETWORKS 64u
#define GRENS_ACCESS_OD_MAX_DATES 64u

/* A set of stops of one network, left or reached at no cost. */
typedef struct grens_access_od_stops {
	const uint32_t *stops;
	uint32_t count;
} grens_access_od_stops;

/* One network. Stop indices differ between timetables, so each network
 * names the stops of every place on its own timetable: places[k] (k <
 * the run's place_count). tt, rt and places must outlive the run; tt and
 * rt must outlive the result (it keeps them for the journeys' legs). */
typedef struct grens_access_od_network {
	const grens_timetable *tt;
	const grens_rt_overlay *rt; /* live or realised times, NULL: the timetable's */
	const grens_access_od_stops *places;
} grens_access_od_network;

/* A pair: indices into the networks' places. */
typedef struct grens_access_od_pair {
	uint32_t from, to;
} grens_access_od_pair;

typedef struct grens_access_od_result grens_access_od_result;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_ACCESS_OD_OPTIONS_VERSION 2

typedef struct grens_access_od_options {
	unsigned version; /* GRENS_ACCESS_OD_OPTIONS_VERSION (set by GRENS_ACCESS_OD_OPTIONS_INIT) */
	const grens_date *dates; /* [date_count], at least one */
	uint32_t date_count;
	int32_t window_start, window_end; /* departures, seconds since noon-minus-12h */
	int32_t step;		/* seconds between departures (GRENS_ROUTE_DEFAULT_STEP) */
	int32_t threshold;	/* seconds, for share_under (GRENS_ROUTE_DEFAULT_THRESHOLD) */
	uint32_t max_transfers; /* default 8, at most GRENS_ROUTE_MAX_TRANSFERS */
	/* NULL: networks[0] is the base. Else the base is the first network
	 * of this earlier run over the same pairs, dates and window (a report
	 * that builds one scenario at a time); it must outlive the run. */
	const grens_access_od_result *base;
	/* networks run at once, each on its own thread with its own routing
	 * workspace (0 or 1: one after the other); the result does not depend
	 * on it. At most GRENS_ACCESS_MAX_THREADS. */
	uint32_t threads;
} grens_access_od_options;

#define GRENS_ACCESS_OD_OPTIONS_INIT                                                               \
	{                                                                                          \
		.version = GRENS_ACCESS_OD_OPTIONS_VERSION, .dates = NULL, .date_count = 0,        \
		.window_start = 6 * 3600, .window_end = 22 * 3600,                                 \
		.step = GRENS_ROUTE_DEFAULT_STEP, .threshold = GRENS_ROUTE_DEFAULT_THRESHOLD,      \
		.max_transfers = 8, .base = NULL, .threads = 1                                     \
	}

/* One pair on one date in one network. Times are seconds since
 * noon-minus-12h of the row's date; GRENS_ROUTE_UNREACHED means none. */
typedef struct grens_access_od_row {
	uint32_t pair, date, network; /* indices into pairs[], opts->dates, networks[] */
	grens_route_profile_summary summary;
	/* the departures of the journeys found from the window's start and
	 * from its last step with a journey */
	int32_t first_departure, last_departure;
	int32_t best_step; /* the step the best journey was routed from */
	/* against the base row (the base's own rows: 0, or none where the row
	 * has none): min, median and p90 (GRENS_ROUTE_UNREACHED when either
	 * side has none), mean transfers (NAN when either has none), share
	 * under the threshold */
	int32_t delta_min, delta_median, delta_p90;
	double delta_transfers, delta_share;
	/* the saving per train (grens_route_profile_train_saving): 0 and
	 * GRENS_ROUTE_UNREACHED on the base's own rows */
	int32_t delta_train, train_departure;
} grens_access_od_row;

/* Route every pair on every date in every network. Rows come by pair, then
 * date, then network (the base's row first). On success *out is the
 * caller's (grens_access_od_result_free). GRENS_EINVAL for a NULL pointer or
 * options of another version; GRENS_EARG for a place index out of range,
 * a place without stops, no dates, a bad window or a base run that does
 * not match; GRENS_ELIMIT past the bounds above or GRENS_ROUTE_MAX_STEPS;
 * GRENS_ENOMEM; routing errors. */
GRENS_EXTERN int grens_access_od_run(grens_access_od_result **out,
				     const grens_access_od_network *networks,
				     uint32_t network_count, uint32_t place_count,
				     const grens_access_od_pair *pairs, uint32_t pair_count,
				     const grens_access_od_options *opts, grens_error *err);
GRENS_EXTERN void grens_access_od_result_free(grens_access_od_result *r);

/* Rows (pairs x dates x networks) and the i-th of them (NULL past the end);
 * valid while r lives. */
GRENS_EXTERN uint32_t grens_access_od_result_count(const grens_access_od_result *r);
GRENS_EXTERN const grens_access_od_row *grens_access_od_result_row(const grens_access_od_result *r,
								 uint32_t i);
/* The options of the run (its dates are copied: opts->dates points into r). */
GRENS_EXTERN const grens_access_od_options *
grens_access_od_result_options(const grens_access_od_result *r);
/* The profile of row i: *n steps (NULL and 0 past the end). */
GRENS_EXTERN const grens_route_profile_step *
grens_access_od_result_steps(const grens_access_od_result *r, uint32_t i, uint32_t *n);
/* The best journey of row i as a route result of one journey (journey_count
 * 0 when none, or past the end), valid while r lives; returns journey_count.
 * *tt and *rt (either may be NULL) get the row's network's. */
GRENS_EXTERN uint32_t grens_access_od_result_journey(const grens_access_od_result *r, uint32_t i,
						     grens_route_result *out,
						     const grens_timetable **tt,
						     const grens_rt_overlay **rt);

#ifdef __cplusplus
}
#endif
#endif
