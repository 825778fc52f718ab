/* grens route: journey planning on the immutable timetable (grens/net.h).
 *
 * Two independent routers with the same semantics (grens-route(1)):
 *  - RAPTOR: the Pareto set over (arrival, transfers) for one departure,
 *    range RAPTOR over a departure window, and one-to-all earliest arrival;
 *  - a time-dependent Dijkstra over stops (earliest arrival), used as a
 *    reference and selectable on the command line.
 *
 * Time base: all times are seconds since noon-minus-12h of the query date D
 * (the GTFS time base), so a time >= 86400 is on D+1. A query uses the trips
 * of service day D and those of D-1 (shifted by -86400 s). The timetable is
 * read-only; each router keeps its scratch memory in a workspace allocated
 * once per timetable and reused, so queries never allocate. A workspace is
 * not thread-safe: use one per thread. */
#ifndef GRENS_ROUTE_H
#define GRENS_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "grens/core.h"
#include "grens/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds (include/grens/limits.h): transfers a workspace can be made for,
 * legs of one journey (a longer one fails the query with GRENS_ELIMIT),
 * origin or destination stops of a query, departure steps of a range query. */
#define GRENS_ROUTE_MAX_TRANSFERS GRENS_LIMIT_ROUTE_TRANSFERS
#define GRENS_ROUTE_MAX_LEGS GRENS_LIMIT_ROUTE_LEGS
#define GRENS_ROUTE_MAX_ENDPOINTS GRENS_LIMIT_ROUTE_ENDPOINTS
#define GRENS_ROUTE_MAX_STEPS GRENS_LIMIT_ROUTE_STEPS

/* Defaults of every analysis over a departure window (grens profile,
 * compare, access, report, nightly), so that their numbers agree: a
 * departure every minute (a coarser step misses the best departure, and a
 * summary's min then differs from the best journey), and "share under the
 * threshold" counting travel times of at most 3 hours (the Randstad to
 * Aachen journeys take 2 h 30 to 3 h 30: grens-compare(1)). */
#define GRENS_ROUTE_DEFAULT_STEP 60
#define GRENS_ROUTE_DEFAULT_THRESHOLD (180 * 60)
/* "Unreachable" for arrival times. */
#define GRENS_ROUTE_UNREACHED INT32_MAX

/* A realtime overlay (grens/rt.h); routers only read it. */
typedef struct grens_rt_overlay grens_rt_overlay;

/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_ROUTE_OPTIONS_VERSION 1

typedef struct grens_route_options {
	unsigned version;	/* GRENS_ROUTE_OPTIONS_VERSION (set by GRENS_ROUTE_OPTIONS_INIT) */
	uint32_t max_transfers; /* default 8; at most the workspace's */
	int32_t min_change;	/* seconds for every stop, overriding tt->stop_min_change except
				   where changing is forbidden (GRENS_NET_CHANGE_FORBIDDEN); -1:
				   use the timetable's (default) */
	/* Live times (grens_rt_apply on the same timetable), or NULL for the
	 * schedule. With it a trip runs on its live times, a cancelled trip
	 * cannot be boarded and a skipped stop can be neither boarded nor
	 * alighted at, and the trips the feed adds (ADDED/NEW) run as extra
	 * vehicles on their own stops and times. The overlay must outlive the
	 * query's result. */
	const grens_rt_overlay *rt;
	/* Seconds; 0: no bound (default). Arrivals later than the departure
	 * plus this count as unreached, which lets the routers stop exploring
	 * there: the results are those without a bound, cut at it. */
	int32_t max_duration;
} grens_route_options;

#define GRENS_ROUTE_OPTIONS_INIT                                                                   \
	{                                                                                          \
		.version = GRENS_ROUTE_OPTIONS_VERSION, .max_transfers = 8, .min_change = -1,      \
		.rt = NULL, .max_duration = 0                                                      \
	}

typedef struct grens_route_query {
	const uint32_t *from; /* origin stop indices */
	uint32_t from_count;
	const uint32_t *to; /* destination stop indices (ignored by one-to-all) */
	uint32_t to_count;
	grens_date date; /* the query date D */
	int32_t time;	 /* departure, seconds since noon-minus-12h of D */
} grens_route_query;

typedef enum {
	GRENS_ROUTE_LEG_TRANSIT = 0,
	GRENS_ROUTE_LEG_WALK = 1,
} grens_route_leg_mode;

typedef struct grens_route_leg {
	grens_route_leg_mode mode;
	uint32_t from_stop, to_stop;
	int32_t departure, arrival; /* query time base (see above) */
	/* transit only (GRENS_NONE / 0 for walks): */
	uint32_t trip;				  /* timetable trip, GRENS_NONE for an added trip */
	uint32_t added;				  /* with trip GRENS_NONE: the overlay's added trip
						     (grens_rt_added_at); positions index its stops */
	int32_t service_day;			  /* trip's service day minus D: 0 or -1 */
	uint32_t board_position, alight_position; /* within the trip's pattern */
	bool stay_seated; /* continues the previous leg's vehicle (same block) */
	/* realtime: the overlay of the query predicts the trip's times at the
	 * boarding or alighting position; departure/arrival above are then the
	 * live times and these the timetable's (equal to them without rt). */
	bool realtime;
	int32_t scheduled_departure, scheduled_arrival;
} grens_route_leg;

typedef struct grens_route_journey {
	int32_t departure, arrival;
	uint32_t transfers;		/* vehicles boarded minus one; stay-seated is no transfer */
	uint32_t leg_offset, leg_count; /* into grens_route_result.legs */
} grens_route_journey;

/* A query's journeys, owned by the workspace that computed them and valid
 * until its next query. */
typedef struct grens_route_result {
	const grens_route_journey *journeys; /* by arrival, then transfers */
	uint32_t journey_count;
	const grens_route_leg *legs;
} grens_route_result;

/* One departure step of a range query. */
typedef struct grens_route_profile_step {
	int32_t departure; /* the step's time (window start + i * step) */
	int32_t arrival;   /* earliest arrival leaving at or after it, or GRENS_ROUTE_UNREACHED */
	int32_t transfers; /* of that journey, -1 when unreached */
} grens_route_profile_step;

/* Statistics of travel times (arrival minus departure step, waiting at the
 * origin included) over the steps of a range query. Unreached steps count as
 * infinitely long: a percentile that falls on them is GRENS_ROUTE_UNREACHED;
 * mean is over reached steps only (NAN when none). Percentiles are
 * nearest-rank. */
typedef struct grens_route_profile_summary {
	uint32_t steps, reached;
	int32_t min, p10, median, p90, max;
	double mean;
	double mean_transfers; /* over reached steps, NAN when none */
	double share_under;    /* steps with travel time <= threshold / steps (0 when no steps) */
} grens_route_profile_summary;

/* ---- RAPTOR ------------------------------------------------------------- */
typedef struct grens_route_raptor grens_route_raptor;

/* Make a RAPTOR workspace for tt (which must outlive it), sized for up to
 * max_transfers (<= GRENS_ROUTE_MAX_TRANSFERS). On success *out is the
 * caller's; free with grens_route_raptor_free. GRENS_ENOMEM, GRENS_EARG. */
GRENS_EXTERN int grens_route_raptor_new(grens_route_raptor **out, const grens_timetable *tt,
				  uint32_t max_transfers, grens_error *err);
/* A workspace for like's timetable that shares its per-timetable arrays
 * (the transposed departures, 4 bytes per stop event) and the reverse graphs
 * of its bounds, so that one per thread costs only its labels; like (or
 * the workspace it shares from) must outlive it. like may serve queries on
 * another thread meanwhile, except during this call (which builds the
 * reverse graphs in it when it has none yet). Answers are like's.
 * GRENS_ENOMEM, GRENS_EARG, GRENS_EINVAL. */
GRENS_EXTERN int grens_route_raptor_new_like(grens_route_raptor **out, grens_route_raptor *like,
				       uint32_t max_transfers, grens_error *err);
GRENS_EXTERN void grens_route_raptor_free(grens_route_raptor *ws);

/* One departure: the Pareto set over (arrival, transfers) from q->from to
 * q->to leaving at q->time or later. *out points into the workspace. No
 * journey is not an error (journey_count 0). GRENS_EARG for a bad query,
 * GRENS_ELIMIT when a journey has too many legs. */
GRENS_EXTERN int grens_route_raptor_route(grens_route_raptor *ws, const grens_route_query *q,
				    const grens_route_options *opts, grens_route_result *out,
				    grens_error *err);

/* Range RAPTOR: for each departure t0, t0+step, ... <= t1 the earliest
 * arrival at q->to leaving at that time or later (q->time is ignored), in
 * one run that reuses labels from later to earlier departures. steps must
 * hold (t1 - t0) / step + 1 entries. */
GRENS_EXTERN int grens_route_raptor_profile(grens_route_raptor *ws, const grens_route_query *q, int32_t t0,
				      int32_t t1, int32_t step, const grens_route_options *opts,
				      grens_route_profile_step *steps, grens_error *err);

/* One-to-all: the earliest arrival at every stop (arrival[stop_count],
 * GRENS_ROUTE_UNREACHED when not reached; origins get q->time) leaving
 * q->from at q->time. q->to is ignored. */
GRENS_EXTERN int grens_route_raptor_one_to_all(grens_route_raptor *ws, const grens_route_query *q,
					 const grens_route_options *opts, int32_t *arrival,
					 grens_error *err);

/* Range one-to-all: the earliest arrival at every stop for departures the
 * caller steps through from the latest to the earliest, each run reusing
 * the labels of the later ones so that it only explores what it improves
 * (rRAPTOR). grens_route_raptor_range_start fixes the origins (copied; q->to and
 * q->time are ignored), the date and the options; origin i is left at the
 * departure plus from_offset[i] seconds (0..86400; NULL: all 0), e.g. an
 * access walk. Then each grens_route_raptor_range_next(time) fills
 * arrival[stop_count] as grens_route_raptor_one_to_all would leaving at time, with
 * GRENS_ROUTE_UNREACHED beyond opts->max_duration. time must not be later
 * than the previous call's. A range query ends with the workspace's next
 * query of any kind. GRENS_EARG for a bad query, offset or order. */
GRENS_EXTERN int grens_route_raptor_range_start(grens_route_raptor *ws, const grens_route_query *q,
					  const int32_t *from_offset,
					  const grens_route_options *opts, grens_error *err);
GRENS_EXTERN int grens_route_raptor_range_next(grens_route_raptor *ws, int32_t time, int32_t *arrival,
					 grens_error *err);

/* ---- time-dependent Dijkstra --------------------------------------------- */
typedef struct grens_route_dijkstra grens_route_dijkstra;

/* As grens_route_raptor_new, for the Dijkstra router. */
GRENS_EXTERN int grens_route_dijkstra_new(grens_route_dijkstra **out, const grens_timetable *tt,
				    grens_error *err);
GRENS_EXTERN void grens_route_dijkstra_free(grens_route_dijkstra *ws);

/* The earliest-arrival journey (at most one; transfers are not limited and
 * opts->max_transfers is ignored). *out points into the workspace. */
GRENS_EXTERN int grens_route_dijkstra_route(grens_route_dijkstra *ws, const grens_route_query *q,
				      const grens_route_options *opts, grens_route_result *out,
				      grens_error *err);

/* ---- helpers ---------------------------------------------------------------- */

/* Summarise a range query's steps; threshold in seconds. */
GRENS_EXTERN void grens_route_profile_summarize(const grens_route_profile_step *steps, uint32_t n,
						int32_t threshold,
						grens_route_profile_summary *out);
/* The saving per train between two profiles of one pair over the same steps
 * (base and a scenario): the travel time of the scenario's best journey that
 * arrives earlier than the base from the same step, minus that of the base
 * journey taken from its own departure (so waiting does not count), in
 * *delta (negative: faster), and that journey's departure. Both
 * GRENS_ROUTE_UNREACHED when no departure gains (grens-compare(1),
 * READING THE DEFAULT RESULT). */
GRENS_EXTERN void grens_route_profile_train_saving(const grens_route_profile_step *base,
						   const grens_route_profile_step *scenario,
						   uint32_t n, int32_t *delta, int32_t *departure);

/* The display name of a trip's route: short name, else long name, else id. */
GRENS_EXTERN const char *grens_route_trip_route_name(const grens_timetable *tt, uint32_t trip);

/* What a transit leg rides, for display: trip id, route name (short, else
 * long, else id; an added trip's route_id when its route is unknown),
 * headsign ("" for added trips) and feed name. Strings are borrowed from tt
 * or from rt (the overlay the leg was routed with, needed for added trips);
 * never NULL. */
typedef struct grens_route_leg_info {
	const char *trip_id, *route, *headsign, *feed;
} grens_route_leg_info;
GRENS_EXTERN void grens_route_leg_describe(const grens_timetable *tt, const grens_rt_overlay *rt,
					   const grens_route_leg *leg, grens_route_leg_info *out);

/* Format a query-relative time as ISO local "YYYY-MM-DDTHH:MM:SS" on the
 * right day (86400 s and more are D+1). buf >= 32 bytes. */
GRENS_EXTERN void grens_route_format_time(grens_date date, int32_t secs, char *buf, size_t bufsz);

#ifdef __cplusplus
}
#endif
#endif
