/* RAPTOR (Delling, Pajor, Werneck 2012) on the grens timetable: rounds of
 * pattern scans and footpath relaxation, local and target pruning, and the
 * grens transfer semantics of grens-route(1):
 *  - two label families per round and stop: arrival by a vehicle (boarding
 *    another vehicle there takes the stop's change time) and arrival on foot
 *    (origin or footpath; boarding needs no change time, walking on does not
 *    chain);
 *  - trips of D and of D-1 (times shifted by -86400 s), each scanned as its
 *    own pass so that FIFO order inside a pattern holds;
 *  - stay-seated block continuations inside a round, with records so that a
 *    journey can be rebuilt leg by leg.
 * A query with targets also drops the labels that cannot reach a target in
 * the rounds left (the rides bound, prepare_rides); a profile adds a bound
 * on the time still needed (the goal bound, prepare_goal).
 * With a realtime overlay, trips run on their live times and the trips the
 * overlay adds are scanned after each round's patterns (scan_added).
 * All memory is allocated in grens_route_raptor_new; queries only reset it. */
#include <stdlib.h>
#include <string.h>

#include "grens/route.h"
#include "grens/rt.h"
#include "route_internal.h"

#define INF GRENS_ROUTE_UNREACHED
#define DAY 86400
/* Packing of a boarding: position in the low bits, then flags. */
#define BOARD_POS_MASK 0x3FFFFFFFu
#define BOARD_FOOT 0x40000000u  /* boarded from an on-foot label (no change time) */
#define BOARD_PREV_DAY 0x80000000u /* the trip runs on service day D-1 */
/* trip_parent.trip of a trip the overlay adds: its index | ADDED_TRIP */
#define ADDED_TRIP 0x80000000u

struct trip_parent {
	uint32_t trip;
	uint32_t board;  /* position | BOARD_* flags */
	uint32_t alight; /* position */
	uint32_t seated; /* record of the vehicle stayed on before this trip, or GRENS_NONE */
};

/* A trip ridden to its last stop and stayed on into its block successor. */
struct seat_record {
	uint32_t trip;
	uint32_t board; /* position | BOARD_* flags; position 0 for a continuation */
	uint32_t prev;  /* record before this one in the chain, or GRENS_NONE (boarded) */
};

/* A pattern in the search of the rides bound (prepare_rides). */
struct rides_pattern {
	uint32_t reach;	  /* highest position reached in this level + 1, 0: none */
	uint32_t scanned; /* the stops before this position have their level */
};

struct lb_edge {
	uint32_t from;
	int32_t w;
};
struct lb_heap_item {
	int32_t d;
	uint32_t s;
};

struct grens_route_raptor {
	const grens_timetable *tt;
	uint32_t rounds; /* most trips per journey the workspace holds */
	uint32_t stops;

	int32_t *trip_arr; /* [(rounds + 1) * stops] */
	int32_t *foot_arr;
	struct trip_parent *trip_par;
	uint32_t *foot_par; /* walked from (trip label of the same round), GRENS_NONE at origins */
	/* Pruning bounds. A single query runs its rounds in order, so the best
	 * label of a stop over all rounds so far bounds every round (best_*,
	 * tgt_best). A range query keeps labels of later departures, which may
	 * have used more rounds; a round k may only be pruned by rounds <= k, so
	 * it keeps per-round prefix minima instead (prefix_*, tgt_prefix). */
	int32_t *best_trip, *best_foot; /* [stops] */
	int32_t tgt_best;
	bool prefix;
	int32_t *prefix_trip, *prefix_foot; /* [(rounds + 1) * stops] */
	int32_t tgt_prefix[GRENS_ROUTE_MAX_TRANSFERS + 2];

	uint8_t *is_target;   /* [stops] */
	/* Goal bound of a query with targets: lb[s] is a lower bound on the
	 * time from s to the nearest target (a reverse Dijkstra over the
	 * shortest scheduled ride of every hop and the footpaths), so a label a
	 * at s with a + lb[s] at or past the target bound cannot improve the
	 * target. Off (use_lb false) for one-to-all and with a realtime overlay,
	 * whose live times may beat the schedule. The reverse graph is built on
	 * the first query that needs it. */
	bool use_lb, lb_graph_built;
	int32_t *lb;		 /* [stops] */
	uint32_t *lb_in_offset;	 /* [stops + 1] CSR of hops into each stop */
	struct lb_edge *lb_in;	 /* [hops] */
	struct lb_heap_item *lb_heap;
	size_t lb_heap_cap;
	/* Rides bound of a query with targets: rides[s] is a lower bound on
	 * the vehicles a traveller at s still needs to reach a target (0 at a
	 * target and a footpath before one), RIDES_FAR beyond the query's
	 * rounds. A label of round k at s with k + rides[s] above the rounds
	 * cannot reach a target. A reverse breadth-first search over the
	 * patterns, their block continuations and the footpaths, run per query
	 * (use_rides); off with a realtime overlay, whose added trips are not
	 * among the patterns. */
	bool use_rides, rides_graph_built;
	/* the targets (in the query's order) and rounds rides[] and rides_pat[]
	 * are for, so that further queries to them reuse them; count 0: none */
	uint32_t rides_for[GRENS_ROUTE_MAX_ENDPOINTS];
	uint32_t rides_for_count, rides_for_rounds;
	uint8_t *rides;		   /* [stops] */
	uint8_t *rides_pat;	   /* [patterns] least rides of the stops it drops off at */
	struct rides_pattern *rides_pp; /* [patterns] */
	uint32_t *rides_pats;	   /* [patterns] patterns reached in this level */
	uint32_t *rides_stack;	   /* [stops] */
	uint64_t *rides_bits;	   /* stops of this level, of the next, patterns reached (bits) */
	uint32_t *foot_in_offset;  /* [stops + 1] CSR of footpaths into each stop */
	uint32_t *foot_in;	   /* [footpaths] their from stops */
	uint32_t *block_in_offset; /* [patterns + 1] CSR of patterns whose trips continue into each */
	uint32_t *block_in;
	uint32_t *drop_in_offset;	     /* [stops + 1] CSR of the stop's places where patterns */
	grens_net_pattern_stop *drop_in; /* drop off, after their first stop */
	uint8_t *marked;      /* [stops] */
	uint32_t *marked_list;
	/* the stops marked in the round before the one being scanned, as bits
	 * (a stop not among them has no label of that round to board from) and
	 * as a list (the other half of the marked_list buffers) */
	uint64_t *prev_bits;
	uint32_t *prev_list;
	uint32_t marked_count;
	uint32_t *pat_first;  /* [patterns] first marked position, GRENS_NONE */
	uint32_t *pat_list;
	uint32_t pat_count;

	/* per-timetable data computed once */
	int32_t *pat_max_time; /* latest time of any trip of the pattern */
	uint8_t *pat_has_block;
	bool has_blocks;
	/* departures transposed per pattern to [stop][trip] (same offsets as
	 * stop_times), so that finding the earliest trip at a stop reads
	 * contiguous memory instead of one cache line per trip */
	int32_t *dep_by_stop;

	/* per-date service flags: bit 0 runs on D-1, bit 1 on D */
	uint8_t *service_runs;
	grens_date service_date;

	/* stay-seated bookkeeping, reset by bumping stamp */
	uint32_t stamp;
	uint32_t *seat_stamp; /* [patterns * 2] */
	uint32_t *seat_min;   /* [patterns * 2] lowest trip whose continuation was processed */
	uint32_t *chain_stamp; /* [trips * 2] */
	uint32_t *head_stamp;  /* [trips * 2] trips of live patterns whose continuation was followed */
	struct seat_record *records;
	uint32_t record_count, record_cap;

	int32_t min_change;
	/* Arrivals must be earlier than this (departure + max_duration + 1),
	 * INT32_MAX without a bound; it prunes like a reached target. */
	int32_t limit;
	int32_t max_duration;
	uint32_t query_rounds;
	const grens_rt_overlay *rt; /* of the current query, or NULL */
	grens_date query_date;

	/* a range one-to-all between grens_route_raptor_range_start and _next: its
	 * origins and offsets (copied), and the last departure run */
	uint32_t *range_from;
	int32_t *range_offset;
	grens_route_query range_q;
	int32_t range_last;
	bool range_on;
	uint8_t *step_runs; /* [GRENS_ROUTE_MAX_STEPS] grens_route_raptor_profile: steps to run */

	/* results */
	grens_route_journey journeys[GRENS_ROUTE_MAX_TRANSFERS + 2];
	grens_route_leg *legs; /* [(rounds + 1) * GRENS_ROUTE_MAX_LEGS] */
	grens_route_leg scratch[GRENS_ROUTE_MAX_LEGS];
	grens_arena *arena; /* every array above but the reverse graphs */
	/* NULL, or the workspace whose per-timetable arrays (pat_max_time,
	 * pat_has_block, dep_by_stop) and reverse graphs (lb_in*, foot_in*,
	 * block_in*, drop_in*) this one shares (grens_route_raptor_new_like) */
	grens_route_raptor *like;
};

void grens_route_raptor_free(grens_route_raptor *ws)
{
	if (!ws)
		return;
	grens_arena_free(ws->arena);
	free(ws->lb_heap);
	if (ws->like) { /* the rest is like's */
		free(ws);
		return;
	}
	free(ws->lb_in_offset);
	free(ws->lb_in);
	free(ws->foot_in_offset);
	free(ws->foot_in);
	free(ws->block_in_offset);
	free(ws->block_in);
	free(ws->drop_in_offset);
	free(ws->drop_in);
	free(ws);
}

/* Zeroed array of n elements from the workspace's arena; NULL (and *rc set)
 * on overflow or when out of memory. */
static void *ws_array(grens_route_raptor *ws, size_t n, size_t size, int *rc)
{
	void *p = *rc ? NULL : grens_arena_calloc(ws->arena, n, size, 64);
	if (!p && !*rc)
		*rc = GRENS_ENOMEM;
	return p;
}

static int build_lb_graph(grens_route_raptor *ws, grens_error *err);
static int build_rides_graph(grens_route_raptor *ws, grens_error *err);

/* A workspace for tt; with like (a workspace of tt), its per-timetable
 * arrays and reverse graphs are shared instead of made again. */
static int raptor_make(grens_route_raptor **out, const grens_timetable *tt, uint32_t max_transfers,
		       grens_route_raptor *like, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_new: out is NULL");
	*out = NULL;
	if (!tt || max_transfers > GRENS_ROUTE_MAX_TRANSFERS)
		return grens_error_set(err, GRENS_EARG, "max transfers %u above the limit %u",
				       max_transfers, GRENS_ROUTE_MAX_TRANSFERS);
	int rc = 0;
	grens_route_raptor *ws = calloc(1, sizeof(*ws));
	if (!ws)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the RAPTOR workspace");
	ws->arena = grens_arena_new(0);
	if (!ws->arena) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	ws->tt = tt;
	ws->rounds = max_transfers + 1;
	ws->stops = tt->stop_count;
	size_t layers = (size_t)ws->rounds + 1, cells;
	if (grens_size_mul(layers, tt->stop_count ? tt->stop_count : 1, &cells)) {
		rc = GRENS_ELIMIT;
		goto fail;
	}
	ws->trip_arr = ws_array(ws, cells, sizeof(int32_t), &rc);
	ws->foot_arr = ws_array(ws, cells, sizeof(int32_t), &rc);
	ws->trip_par = ws_array(ws, cells, sizeof(struct trip_parent), &rc);
	ws->foot_par = ws_array(ws, cells, sizeof(uint32_t), &rc);
	ws->best_trip = ws_array(ws, tt->stop_count, sizeof(int32_t), &rc);
	ws->best_foot = ws_array(ws, tt->stop_count, sizeof(int32_t), &rc);
	ws->prefix_trip = ws_array(ws, cells, sizeof(int32_t), &rc);
	ws->prefix_foot = ws_array(ws, cells, sizeof(int32_t), &rc);
	ws->is_target = ws_array(ws, tt->stop_count, 1, &rc);
	ws->lb = ws_array(ws, tt->stop_count, sizeof(int32_t), &rc);
	ws->rides = ws_array(ws, tt->stop_count, 1, &rc);
	ws->rides_pat = ws_array(ws, tt->pattern_count, 1, &rc);
	ws->rides_pp = ws_array(ws, tt->pattern_count, sizeof(struct rides_pattern), &rc);
	ws->rides_pats = ws_array(ws, tt->pattern_count, sizeof(uint32_t), &rc);
	ws->rides_stack = ws_array(ws, tt->stop_count, sizeof(uint32_t), &rc);
	ws->rides_bits = ws_array(ws,
				  ((size_t)tt->stop_count + 63) / 64 * 2 + ((size_t)tt->pattern_count + 63) / 64,
				  sizeof(uint64_t), &rc);
	ws->marked = ws_array(ws, tt->stop_count, 1, &rc);
	ws->marked_list = ws_array(ws, tt->stop_count, sizeof(uint32_t), &rc);
	ws->prev_list = ws_array(ws, tt->stop_count, sizeof(uint32_t), &rc);
	ws->prev_bits = ws_array(ws, ((size_t)tt->stop_count + 63) / 64, sizeof(uint64_t), &rc);
	ws->pat_first = ws_array(ws, tt->pattern_count, sizeof(uint32_t), &rc);
	ws->pat_list = ws_array(ws, tt->pattern_count, sizeof(uint32_t), &rc);
	if (!like) {
		ws->pat_max_time = ws_array(ws, tt->pattern_count, sizeof(int32_t), &rc);
		ws->pat_has_block = ws_array(ws, tt->pattern_count, 1, &rc);
		ws->dep_by_stop = ws_array(ws, tt->stop_time_count, sizeof(int32_t), &rc);
	}
	ws->service_runs = ws_array(ws, tt->service_count, 1, &rc);
	ws->seat_stamp = ws_array(ws, (size_t)tt->pattern_count * 2, sizeof(uint32_t), &rc);
	ws->seat_min = ws_array(ws, (size_t)tt->pattern_count * 2, sizeof(uint32_t), &rc);
	ws->legs = ws_array(ws, layers * GRENS_ROUTE_MAX_LEGS, sizeof(grens_route_leg), &rc);
	ws->range_from = ws_array(ws, GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t), &rc);
	ws->range_offset = ws_array(ws, GRENS_ROUTE_MAX_ENDPOINTS, sizeof(int32_t), &rc);
	ws->step_runs = ws_array(ws, GRENS_ROUTE_MAX_STEPS, 1, &rc);
	if (rc)
		goto fail;
	for (uint32_t p = 0; p < tt->pattern_count; p++)
		ws->pat_first[p] = GRENS_NONE;
	for (uint32_t p = 0; !like && p < tt->pattern_count; p++) {
		uint32_t n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		uint32_t t0 = tt->pattern_trip_offset[p], t1 = tt->pattern_trip_offset[p + 1];
		int32_t mx = 0;
		for (uint32_t t = t0; t < t1 && n; t++) {
			const grens_net_stop_time *st =
				grens_net_pattern_times(tt, p) + (uint64_t)(t - t0) * n;
			for (uint32_t i = 0; i < n; i++) {
				if (st[i].arrival > mx)
					mx = st[i].arrival;
				if (st[i].departure > mx)
					mx = st[i].departure;
			}
			for (uint32_t i = 0; i < n; i++)
				ws->dep_by_stop[tt->pattern_time_offset[p] + (uint64_t)i * (t1 - t0) +
						(t - t0)] = st[i].departure;
			if (tt->trip_block_next && tt->trip_block_next[t] != GRENS_NONE)
				ws->pat_has_block[p] = 1;
		}
		ws->pat_max_time[p] = mx;
	}
	uint32_t block_trips = 0;
	for (uint32_t t = 0; tt->trip_block_next && t < tt->trip_count; t++)
		if (tt->trip_block_next[t] != GRENS_NONE)
			block_trips++;
	if (block_trips) {
		ws->has_blocks = true;
		ws->chain_stamp = ws_array(ws, (size_t)tt->trip_count * 2, sizeof(uint32_t), &rc);
		ws->head_stamp = ws_array(ws, (size_t)tt->trip_count * 2, sizeof(uint32_t), &rc);
		/* each (trip, day) becomes at most one head and one chain record */
		ws->record_cap = block_trips * 4 + 4;
		ws->records = ws_array(ws, ws->record_cap, sizeof(struct seat_record), &rc);
		if (rc)
			goto fail;
	}
	if (like) {
		ws->like = like;
		ws->pat_max_time = like->pat_max_time;
		ws->pat_has_block = like->pat_has_block;
		ws->dep_by_stop = like->dep_by_stop;
		ws->lb_in_offset = like->lb_in_offset;
		ws->lb_in = like->lb_in;
		ws->lb_graph_built = true;
		ws->lb_heap_cap = like->lb_heap_cap;
		ws->lb_heap = malloc(ws->lb_heap_cap * sizeof(*ws->lb_heap));
		ws->foot_in_offset = like->foot_in_offset;
		ws->foot_in = like->foot_in;
		ws->block_in_offset = like->block_in_offset;
		ws->block_in = like->block_in;
		ws->drop_in_offset = like->drop_in_offset;
		ws->drop_in = like->drop_in;
		ws->rides_graph_built = true;
		if (!ws->lb_heap) {
			rc = GRENS_ENOMEM;
			goto fail;
		}
	}
	ws->service_date = GRENS_DATE_NONE;
	*out = ws;
	return 0;
fail:
	grens_route_raptor_free(ws);
	return grens_error_set(err, rc, "cannot allocate the RAPTOR workspace: %s",
			       grens_strerror(rc));
}

int grens_route_raptor_new(grens_route_raptor **out, const grens_timetable *tt, uint32_t max_transfers,
		     grens_error *err)
{
	return raptor_make(out, tt, max_transfers, NULL, err);
}

int grens_route_raptor_new_like(grens_route_raptor **out, grens_route_raptor *like,
				uint32_t max_transfers, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_new_like: out is NULL");
	*out = NULL;
	if (!like)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_new_like: like is NULL");
	if (like->like)
		like = like->like; /* the one that owns the shared arrays */
	int rc = 0;
	if (!like->lb_graph_built)
		rc = build_lb_graph(like, err);
	if (!rc && !like->rides_graph_built)
		rc = build_rides_graph(like, err);
	return rc ? rc : raptor_make(out, like->tt, max_transfers, like, err);
}

/* ---- query setup ---------------------------------------------------------- */

static bool service_on(const grens_timetable *tt, uint32_t service, grens_date d)
{
	int64_t day = (int64_t)d - tt->first_date;
	if (day < 0 || day >= (int64_t)tt->day_count)
		return false;
	const uint64_t *w = tt->service_days + (uint64_t)service * tt->words_per_service;
	return (w[day >> 6] >> (day & 63)) & 1u;
}

static void set_date(grens_route_raptor *ws, grens_date d)
{
	if (ws->service_date == d)
		return;
	const grens_timetable *tt = ws->tt;
	for (uint32_t s = 0; s < tt->service_count; s++)
		ws->service_runs[s] = (uint8_t)((service_on(tt, s, d - 1) ? 1u : 0u) |
						(service_on(tt, s, d) ? 2u : 0u));
	ws->service_date = d;
}

static int check_query(const grens_route_raptor *ws, const grens_route_query *q,
		       const grens_route_options *opts, bool need_to, grens_error *err)
{
	if (!q || !opts)
		return grens_error_set(err, GRENS_EARG, "no query");
	if (opts->max_transfers + 1 > ws->rounds)
		return grens_error_set(err, GRENS_EARG,
				       "max transfers %u above the workspace's %u",
				       opts->max_transfers, ws->rounds - 1);
	if (q->from_count == 0 || q->from_count > GRENS_ROUTE_MAX_ENDPOINTS ||
	    (need_to && (q->to_count == 0 || q->to_count > GRENS_ROUTE_MAX_ENDPOINTS)))
		return grens_error_set(err, GRENS_EARG, "a query needs 1 to %u origins and destinations",
				       GRENS_ROUTE_MAX_ENDPOINTS);
	for (uint32_t i = 0; i < q->from_count; i++)
		if (q->from[i] >= ws->stops)
			return grens_error_set(err, GRENS_EARG, "origin stop %u out of range",
					       q->from[i]);
	for (uint32_t i = 0; need_to && i < q->to_count; i++)
		if (q->to[i] >= ws->stops)
			return grens_error_set(err, GRENS_EARG, "destination stop %u out of range",
					       q->to[i]);
	if (q->time < 0 || q->time > GRENS_LIMIT_MAX_HOURS * 3600)
		return grens_error_set(err, GRENS_EARG, "departure time %d out of range", q->time);
	if (opts->max_duration < 0 || opts->max_duration > GRENS_LIMIT_MAX_HOURS * 3600)
		return grens_error_set(err, GRENS_EARG, "max duration %d s out of range",
				       opts->max_duration);
	return 0;
}

static void next_stamp(grens_route_raptor *ws)
{
	ws->stamp++;
	if (ws->stamp == 0) {
		const grens_timetable *tt = ws->tt;
		memset(ws->seat_stamp, 0, (size_t)tt->pattern_count * 2 * sizeof(uint32_t));
		if (ws->chain_stamp)
			memset(ws->chain_stamp, 0, (size_t)tt->trip_count * 2 * sizeof(uint32_t));
		if (ws->head_stamp)
			memset(ws->head_stamp, 0, (size_t)tt->trip_count * 2 * sizeof(uint32_t));
		ws->stamp = 1;
	}
	ws->record_count = 0;
}

static void reset_labels(grens_route_raptor *ws, const grens_route_query *q, bool targets,
			 bool prefix, const grens_route_options *opts)
{
	size_t cells = (size_t)(opts->max_transfers + 2) * ws->stops;
	for (size_t i = 0; i < cells; i++) {
		ws->trip_arr[i] = INF;
		ws->foot_arr[i] = INF;
	}
	ws->prefix = prefix;
	for (size_t i = 0; prefix && i < cells; i++) {
		ws->prefix_trip[i] = INF;
		ws->prefix_foot[i] = INF;
	}
	for (uint32_t k = 0; k < GRENS_ROUTE_MAX_TRANSFERS + 2; k++)
		ws->tgt_prefix[k] = INF;
	for (uint32_t s = 0; s < ws->stops; s++) {
		ws->best_trip[s] = INF;
		ws->best_foot[s] = INF;
	}
	ws->tgt_best = INF;
	memset(ws->is_target, 0, ws->stops);
	for (uint32_t i = 0; targets && i < q->to_count; i++)
		ws->is_target[q->to[i]] = 1;
	ws->use_lb = false;
	ws->use_rides = false;
	ws->min_change = opts->min_change;
	ws->max_duration = opts->max_duration;
	ws->limit = INF;
	ws->range_on = false;
	ws->rt = opts->rt;
	ws->query_date = q->date;
	ws->query_rounds = opts->max_transfers + 1;
	next_stamp(ws);
}

/* ---- goal bound ------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The reverse graph of the goal bound: every hop between consecutive stops
 * of a pattern weighted by the shortest scheduled ride of its trips, every
 * footpath, and every block continuation that starts at another stop than
 * the previous trip ended (weight 0). Any journey is a path in it, so the
 * distances are lower bounds on the times of journeys. */
static int build_lb_graph(grens_route_raptor *ws, grens_error *err)
{
	const grens_timetable *tt = ws->tt;
	uint32_t ns = tt->stop_count;
	uint32_t *off = calloc((size_t)ns + 2, sizeof(uint32_t));
	if (!off)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the goal bound");
	/* count into off[s + 2], prefix into off[s + 1], fill with off[s + 1]++ */
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t so = tt->pattern_stop_offset[p], n = tt->pattern_stop_offset[p + 1] - so;
		for (uint32_t i = 1; i < n; i++)
			off[tt->pattern_stops[so + i] + 2]++;
	}
	for (uint32_t s = 0; s < ns; s++)
		for (uint32_t f = tt->footpath_offset[s]; f < tt->footpath_offset[s + 1]; f++)
			off[tt->footpaths[f].to_stop + 2]++;
	for (uint32_t t = 0; ws->has_blocks && t < tt->trip_count; t++) {
		uint32_t u = tt->trip_block_next[t];
		if (u == GRENS_NONE)
			continue;
		uint32_t pt = tt->trip_pattern[t], pu = tt->trip_pattern[u];
		uint32_t last = tt->pattern_stops[tt->pattern_stop_offset[pt + 1] - 1];
		uint32_t first = tt->pattern_stops[tt->pattern_stop_offset[pu]];
		if (last != first)
			off[first + 2]++;
	}
	for (uint32_t s = 0; s < ns; s++)
		off[s + 2] += off[s + 1];
	size_t edges = off[ns + 1];
	struct lb_edge *in = malloc((edges ? edges : 1) * sizeof(*in));
	struct lb_heap_item *heap = malloc((edges + ns + 1) * sizeof(*heap));
	if (!in || !heap) {
		free(off);
		free(in);
		free(heap);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the goal bound");
	}
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t so = tt->pattern_stop_offset[p], n = tt->pattern_stop_offset[p + 1] - so;
		uint32_t nt = tt->pattern_trip_offset[p + 1] - tt->pattern_trip_offset[p];
		const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
		for (uint32_t i = 1; i < n; i++) {
			int32_t w = INT32_MAX;
			for (uint32_t ti = 0; ti < nt; ti++) {
				int32_t d = st[(uint64_t)ti * n + i].arrival -
					    st[(uint64_t)ti * n + i - 1].departure;
				if (d < w)
					w = d;
			}
			in[off[tt->pattern_stops[so + i] + 1]++] =
				(struct lb_edge){ tt->pattern_stops[so + i - 1], w > 0 ? w : 0 };
		}
	}
	for (uint32_t s = 0; s < ns; s++)
		for (uint32_t f = tt->footpath_offset[s]; f < tt->footpath_offset[s + 1]; f++) {
			int32_t d = tt->footpaths[f].duration;
			in[off[tt->footpaths[f].to_stop + 1]++] = (struct lb_edge){ s, d > 0 ? d : 0 };
		}
	for (uint32_t t = 0; ws->has_blocks && t < tt->trip_count; t++) {
		uint32_t u = tt->trip_block_next[t];
		if (u == GRENS_NONE)
			continue;
		uint32_t pt = tt->trip_pattern[t], pu = tt->trip_pattern[u];
		uint32_t last = tt->pattern_stops[tt->pattern_stop_offset[pt + 1] - 1];
		uint32_t first = tt->pattern_stops[tt->pattern_stop_offset[pu]];
		if (last != first)
			in[off[first + 1]++] = (struct lb_edge){ last, 0 };
	}
	ws->lb_in_offset = off;
	ws->lb_in = in;
	ws->lb_heap = heap;
	ws->lb_heap_cap = edges + ns + 1;
	ws->lb_graph_built = true;
	return 0;
}

/* The reverse graph of the rides bound: the footpaths into each stop, the
 * places where patterns drop off at each stop after their first stop, and
 * the patterns whose trips continue into each pattern (each once). */
static int build_rides_graph(grens_route_raptor *ws, grens_error *err)
{
	const grens_timetable *tt = ws->tt;
	uint32_t ns = tt->stop_count, np = tt->pattern_count, nf = tt->footpath_offset[ns];
	size_t nb = 0;
	for (uint32_t t = 0; ws->has_blocks && t < tt->trip_count; t++)
		nb += tt->trip_block_next[t] != GRENS_NONE;
	ws->foot_in_offset = calloc((size_t)ns + 2, sizeof(uint32_t));
	ws->foot_in = malloc(((size_t)nf + 1) * sizeof(uint32_t));
	ws->drop_in_offset = calloc((size_t)ns + 1, sizeof(uint32_t));
	ws->drop_in = malloc(((size_t)tt->stop_pattern_offset[ns] + 1) * sizeof(*ws->drop_in));
	ws->block_in_offset = calloc((size_t)np + 2, sizeof(uint32_t));
	ws->block_in = malloc((nb + 1) * sizeof(uint32_t));
	uint64_t *pairs = malloc((nb + 1) * sizeof(uint64_t));
	if (!ws->foot_in_offset || !ws->foot_in || !ws->drop_in_offset || !ws->drop_in ||
	    !ws->block_in_offset || !ws->block_in || !pairs) {
		free(pairs);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the rides bound");
	}
	/* count into off[x + 2], prefix into off[x + 1], fill with off[x + 1]++ */
	uint32_t *off = ws->foot_in_offset;
	for (uint32_t f = 0; f < nf; f++)
		off[tt->footpaths[f].to_stop + 2]++;
	for (uint32_t x = 0; x < ns; x++)
		off[x + 2] += off[x + 1];
	for (uint32_t x = 0; x < ns; x++)
		for (uint32_t f = tt->footpath_offset[x]; f < tt->footpath_offset[x + 1]; f++)
			ws->foot_in[off[tt->footpaths[f].to_stop + 1]++] = x;
	uint32_t w = 0;
	for (uint32_t x = 0; x < ns; x++) {
		for (uint32_t j = tt->stop_pattern_offset[x]; j < tt->stop_pattern_offset[x + 1]; j++) {
			grens_net_pattern_stop e = tt->stop_patterns[j];
			uint32_t at = tt->pattern_stop_offset[e.pattern] + e.position;
			if (e.position > 0 && !(tt->pattern_stop_flags[at] & GRENS_NET_NO_DROP_OFF))
				ws->drop_in[w++] = e;
		}
		ws->drop_in_offset[x + 1] = w;
	}
	/* pairs (into << 32 | from) of patterns, sorted and made unique */
	nb = 0;
	for (uint32_t t = 0; ws->has_blocks && t < tt->trip_count; t++)
		if (tt->trip_block_next[t] != GRENS_NONE)
			pairs[nb++] = (uint64_t)tt->trip_pattern[tt->trip_block_next[t]] << 32 |
				      tt->trip_pattern[t];
	qsort(pairs, nb, sizeof(uint64_t), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < nb; i++)
		if (i == 0 || pairs[i] != pairs[i - 1])
			pairs[u++] = pairs[i];
	off = ws->block_in_offset;
	for (size_t i = 0; i < u; i++)
		off[(pairs[i] >> 32) + 2]++;
	for (uint32_t x = 0; x < np; x++)
		off[x + 2] += off[x + 1];
	for (size_t i = 0; i < u; i++)
		ws->block_in[off[(pairs[i] >> 32) + 1]++] = (uint32_t)pairs[i];
	free(pairs);
	ws->rides_graph_built = true;
	return 0;
}

static void heap_push(grens_route_raptor *ws, size_t *n, int32_t d, uint32_t s)
{
	struct lb_heap_item *h = ws->lb_heap;
	size_t i = (*n)++;
	while (i > 0 && h[(i - 1) / 2].d > d) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = (struct lb_heap_item){ d, s };
}

static struct lb_heap_item heap_pop(grens_route_raptor *ws, size_t *n)
{
	struct lb_heap_item *h = ws->lb_heap, top = h[0], x = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].d < h[c].d)
			c++;
		if (h[c].d >= x.d)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = x;
	return top;
}

/* Fill ws->lb for the targets of q (see the struct). With a bound on the
 * duration, stops farther than it stay INF: no label there can arrive in
 * time. */
static int prepare_goal(grens_route_raptor *ws, const grens_route_query *q, grens_error *err)
{
	ws->use_lb = false;
	if (ws->rt || q->to_count == 0)
		return 0;
	if (!ws->lb_graph_built) {
		int rc = build_lb_graph(ws, err);
		if (rc)
			return rc;
	}
	int32_t cap = ws->max_duration > 0 ? ws->max_duration : INT32_MAX;
	for (uint32_t s = 0; s < ws->stops; s++)
		ws->lb[s] = INF;
	size_t n = 0;
	for (uint32_t i = 0; i < q->to_count; i++)
		if (ws->lb[q->to[i]] != 0) {
			ws->lb[q->to[i]] = 0;
			heap_push(ws, &n, 0, q->to[i]);
		}
	while (n) {
		struct lb_heap_item x = heap_pop(ws, &n);
		if (x.d != ws->lb[x.s])
			continue;
		for (uint32_t e = ws->lb_in_offset[x.s]; e < ws->lb_in_offset[x.s + 1]; e++) {
			int64_t nd = (int64_t)x.d + ws->lb_in[e].w;
			uint32_t u = ws->lb_in[e].from;
			if (nd <= cap && nd < ws->lb[u] && n < ws->lb_heap_cap) {
				ws->lb[u] = (int32_t)nd;
				heap_push(ws, &n, (int32_t)nd, u);
			}
		}
	}
	ws->use_lb = true;
	return 0;
}


#define RIDES_FAR 0xFFu

/* Give each stop that walks to s (a lower bound may walk on: footpaths are
 * followed back transitively) the rides bound r if it has none; each is
 * set in bits, and *added counts them. */
static void rides_walk_back(grens_route_raptor *ws, uint32_t s, uint8_t r, uint64_t *bits,
			    uint32_t *added)
{
	uint32_t n = 0;
	ws->rides_stack[n++] = s;
	while (n) {
		uint32_t x = ws->rides_stack[--n];
		for (uint32_t f = ws->foot_in_offset[x]; f < ws->foot_in_offset[x + 1]; f++) {
			uint32_t u = ws->foot_in[f];
			if (ws->rides[u] == RIDES_FAR) {
				ws->rides[u] = r;
				bits[u >> 6] |= 1ull << (u & 63);
				(*added)++;
				ws->rides_stack[n++] = u;
			}
		}
	}
}

/* Give stop s the rides bound r if it has none, and so the stops that walk
 * to it (rides_walk_back). */
static inline void rides_reach_stop(grens_route_raptor *ws, uint32_t s, uint8_t r, uint64_t *bits,
				    uint32_t *added)
{
	if (ws->rides[s] != RIDES_FAR)
		return;
	ws->rides[s] = r;
	bits[s >> 6] |= 1ull << (s & 63);
	(*added)++;
	if (ws->foot_in_offset[s] != ws->foot_in_offset[s + 1])
		rides_walk_back(ws, s, r, bits, added);
}

/* Fill ws->rides for the targets of q (see the struct): level by level,
 * the stops of level j are those that board a pattern before a position
 * where it drops off at a stop of level j - 1, or before the end of a
 * pattern whose trips continue into such a pattern. Stops and patterns are
 * visited in index order (from bit sets), so that the arrays are read front
 * to back. */
static int prepare_rides(grens_route_raptor *ws, const grens_route_query *q, grens_error *err)
{
	const grens_timetable *tt = ws->tt;
	ws->use_rides = false;
	if (ws->rt || q->to_count == 0)
		return 0;
	if (!ws->rides_graph_built) {
		int rc = build_rides_graph(ws, err);
		if (rc)
			return rc;
	}
	/* the bounds of the last query's targets and rounds still hold */
	if (ws->rides_for_count == q->to_count && ws->rides_for_rounds == ws->query_rounds &&
	    memcmp(ws->rides_for, q->to, q->to_count * sizeof(*q->to)) == 0) {
		ws->use_rides = true;
		return 0;
	}
	ws->rides_for_count = 0;
	uint32_t np = tt->pattern_count;
	memset(ws->rides, RIDES_FAR, ws->stops);
	memset(ws->rides_pat, RIDES_FAR, np);
	memset(ws->rides_pp, 0, (size_t)np * sizeof(*ws->rides_pp));
	struct rides_pattern *pp = ws->rides_pp;
	uint32_t added = 0, words = (ws->stops + 63) / 64, pwords = (np + 63) / 64;
	uint64_t *cur = ws->rides_bits, *next = ws->rides_bits + words;
	uint64_t *pbits = ws->rides_bits + 2 * (size_t)words;
	memset(ws->rides_bits, 0, ((size_t)words * 2 + pwords) * sizeof(uint64_t));
	for (uint32_t i = 0; i < q->to_count; i++)
		rides_reach_stop(ws, q->to[i], 0, cur, &added);
	/* a stop needs at most query_rounds rides, more is RIDES_FAR */
	for (uint32_t level = 1; level <= ws->query_rounds && added; level++) {
		uint32_t npats = 0;
		for (uint32_t w = 0; w < words; w++) {
			for (uint64_t b = cur[w]; b; b &= b - 1) {
				uint32_t s = w * 64 + (uint32_t)__builtin_ctzll(b);
				for (uint32_t j = ws->drop_in_offset[s]; j < ws->drop_in_offset[s + 1]; j++) {
					uint32_t p = ws->drop_in[j].pattern;
					uint32_t reach = ws->drop_in[j].position + 1;
					if (ws->rides_pat[p] == RIDES_FAR) /* levels come in order */
						ws->rides_pat[p] = (uint8_t)(level - 1);
					if (reach <= pp[p].reach || reach - 1 <= pp[p].scanned)
						continue;
					if (pp[p].reach == 0) {
						pbits[p >> 6] |= 1ull << (p & 63);
						if (ws->has_blocks)
							ws->rides_pats[npats++] = p;
					}
					pp[p].reach = reach;
				}
			}
			cur[w] = 0;
		}
		/* a pattern reached past its first stop is reached to its end in
		 * each pattern whose trips continue into it (and so on back) */
		for (uint32_t x = 0; x < npats; x++) {
			uint32_t p = ws->rides_pats[x];
			for (uint32_t b = ws->block_in_offset[p]; b < ws->block_in_offset[p + 1]; b++) {
				uint32_t u = ws->block_in[b];
				uint32_t n = tt->pattern_stop_offset[u + 1] - tt->pattern_stop_offset[u];
				if (pp[u].reach >= n || n - 1 <= pp[u].scanned)
					continue;
				if (pp[u].reach == 0) {
					pbits[u >> 6] |= 1ull << (u & 63);
					ws->rides_pats[npats++] = u;
				}
				pp[u].reach = n;
			}
		}
		added = 0;
		for (uint32_t w = 0; w < pwords; w++) {
			for (uint64_t b = pbits[w]; b; b &= b - 1) {
				uint32_t p = w * 64 + (uint32_t)__builtin_ctzll(b);
				uint32_t so = tt->pattern_stop_offset[p];
				uint32_t hi = pp[p].reach - 1; /* board before */
				pp[p].reach = 0;
				for (uint32_t i = pp[p].scanned; i < hi; i++)
					if (!(tt->pattern_stop_flags[so + i] & GRENS_NET_NO_PICKUP))
						rides_reach_stop(ws, tt->pattern_stops[so + i],
								 (uint8_t)level, next, &added);
				pp[p].scanned = hi;
			}
			pbits[w] = 0;
		}
		uint64_t *t = cur;
		cur = next;
		next = t;
	}
	ws->use_rides = true;
	memcpy(ws->rides_for, q->to, q->to_count * sizeof(*q->to));
	ws->rides_for_count = q->to_count;
	ws->rides_for_rounds = ws->query_rounds;
	return 0;
}

/* ---- labels -------------------------------------------------------------- */

static inline void mark(grens_route_raptor *ws, uint32_t s)
{
	if (!ws->marked[s]) {
		ws->marked[s] = 1;
		ws->marked_list[ws->marked_count++] = s;
	}
}

/* The bounds a label of round k must beat (see the struct). */
static inline const int32_t *trip_bound(const grens_route_raptor *ws, uint32_t k)
{
	return ws->prefix ? ws->prefix_trip + (size_t)k * ws->stops : ws->best_trip;
}
static inline const int32_t *foot_bound(const grens_route_raptor *ws, uint32_t k)
{
	return ws->prefix ? ws->prefix_foot + (size_t)k * ws->stops : ws->best_foot;
}
static inline int32_t target_bound(const grens_route_raptor *ws, uint32_t k)
{
	int32_t b = ws->prefix ? ws->tgt_prefix[k] : ws->tgt_best;
	return b < ws->limit ? b : ws->limit;
}

/* Whether a traveller at s at time a, with taken vehicles so far, can
 * still improve a target in round k: within the rounds with the rides s
 * still needs, and before the target bound with the goal bound added. */
static inline bool goal_open(const grens_route_raptor *ws, uint32_t k, uint32_t taken, uint32_t s,
			     int32_t a)
{
	if (ws->use_rides && taken + ws->rides[s] > ws->query_rounds)
		return false;
	int32_t b = target_bound(ws, k);
	if (!ws->use_lb)
		return a < b;
	return ws->lb[s] != INF && (int64_t)a + ws->lb[s] < b;
}

/* A label of round k (k vehicles taken). */
static inline bool beats_goal(const grens_route_raptor *ws, uint32_t k, uint32_t s, int32_t a)
{
	return goal_open(ws, k, k, s, a);
}

/* Boarding at s at time r in round k: this is the k-th vehicle, so it is
 * among the rides s still needs. */
static inline bool boards_goal(const grens_route_raptor *ws, uint32_t k, uint32_t s, int32_t r)
{
	return goal_open(ws, k, k - 1, s, r);
}

/* Set the arrival limit for a departure at t (see the struct). */
static void set_limit(grens_route_raptor *ws, int32_t t)
{
	ws->limit = ws->max_duration > 0 ? t + ws->max_duration + 1 : INF;
}

/* Lower the bounds of rounds k.. at stop s (and of the target) to a. */
static inline void lower_bounds(grens_route_raptor *ws, uint32_t k, uint32_t s, int32_t a,
				int32_t *best, int32_t *prefix)
{
	if (!ws->prefix) {
		best[s] = a;
		if (ws->is_target[s] && a < ws->tgt_best)
			ws->tgt_best = a;
		return;
	}
	/* prefix minima do not increase with k: stop at the first already lower */
	for (uint32_t j = k; j <= ws->query_rounds; j++) {
		int32_t *b = &prefix[(size_t)j * ws->stops + s];
		if (*b <= a)
			break;
		*b = a;
	}
	for (uint32_t j = k; ws->is_target[s] && j <= ws->query_rounds && ws->tgt_prefix[j] > a; j++)
		ws->tgt_prefix[j] = a;
}

static inline void set_trip_label(grens_route_raptor *ws, uint32_t k, uint32_t s, int32_t a,
				  uint32_t trip, uint32_t board, uint32_t alight, uint32_t seated)
{
	size_t c = (size_t)k * ws->stops + s;
	ws->trip_arr[c] = a;
	ws->trip_par[c] = (struct trip_parent){ trip, board, alight, seated };
	lower_bounds(ws, k, s, a, ws->best_trip, ws->prefix_trip);
	mark(ws, s);
}

static inline void set_foot_label(grens_route_raptor *ws, uint32_t k, uint32_t s, int32_t a,
				  uint32_t from)
{
	size_t c = (size_t)k * ws->stops + s;
	ws->foot_arr[c] = a;
	ws->foot_par[c] = from;
	lower_bounds(ws, k, s, a, ws->best_foot, ws->prefix_foot);
	mark(ws, s);
}

static inline int32_t change_time(const grens_route_raptor *ws, uint32_t s)
{
	int32_t own = ws->tt->stop_min_change[s];
	/* an override never allows a change transfers.txt forbids */
	return ws->min_change >= 0 && own != GRENS_NET_CHANGE_FORBIDDEN ? ws->min_change : own;
}

/* Earliest time a traveller of round k can board at s, and whether that is
 * on foot (BOARD_FOOT) or after a vehicle. */
static inline int32_t ready_time(const grens_route_raptor *ws, uint32_t k, uint32_t s, uint32_t *kind)
{
	size_t c = (size_t)k * ws->stops + s;
	int32_t r = INF;
	*kind = 0;
	if (ws->trip_arr[c] != INF)
		r = ws->trip_arr[c] + change_time(ws, s);
	if (ws->foot_arr[c] < r) {
		r = ws->foot_arr[c];
		*kind = BOARD_FOOT;
	}
	return r;
}

/* ---- stay seated ------------------------------------------------------------ */

static inline const grens_net_stop_time *trip_times(const grens_timetable *tt, uint32_t trip,
						    uint32_t *n)
{
	uint32_t p = tt->trip_pattern[trip];
	*n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	return grens_net_pattern_times(tt, p) +
	       (uint64_t)(trip - tt->pattern_trip_offset[p]) * *n;
}

/* The times of trip on service day D+day: live with an overlay, NULL when
 * it is cancelled that day; *skipped gets the overlay's stop flags (NULL
 * without live state). */
static inline const grens_net_stop_time *live_times(const grens_route_raptor *ws, uint32_t trip, int day,
						    uint32_t *n, const uint8_t **flags)
{
	const grens_net_stop_time *st = trip_times(ws->tt, trip, n);
	*flags = NULL;
	const grens_rt_trip *t = grens_rt_trip_find(ws->rt, trip, ws->query_date + day);
	if (!t)
		return st;
	if (t->cancelled)
		return NULL;
	*flags = t->stop_flags;
	return t->times;
}

static inline bool is_skipped(const uint8_t *flags, uint32_t i)
{
	return flags && (flags[i] & GRENS_RT_STOP_SKIPPED);
}

static uint32_t new_record(grens_route_raptor *ws, uint32_t trip, uint32_t board, uint32_t prev)
{
	if (ws->record_count >= ws->record_cap)
		return GRENS_NONE;
	ws->records[ws->record_count] = (struct seat_record){ trip, board, prev };
	return ws->record_count++;
}

/* Follow the block continuations of `trip` (ridden to its end, described by
 * record rec) within round k. */
static void follow_chain(grens_route_raptor *ws, uint32_t k, uint32_t trip, uint32_t rec, int day,
			 int32_t shift)
{
	const grens_timetable *tt = ws->tt;
	uint8_t bit = day == 0 ? 2 : 1;
	uint32_t dayflag = day == 0 ? 0 : BOARD_PREV_DAY;
	uint32_t n;
	const uint8_t *sf;
	const grens_net_stop_time *st = live_times(ws, trip, day, &n, &sf);
	if (!st)
		return;
	int32_t end = st[n - 1].arrival;
	uint32_t next = tt->trip_block_next[trip];
	while (next != GRENS_NONE && rec != GRENS_NONE) {
		if (!(ws->service_runs[tt->trip_service[next]] & bit))
			return;
		uint32_t qn;
		const uint8_t *qf;
		const grens_net_stop_time *qt = live_times(ws, next, day, &qn, &qf);
		if (!qt || qn == 0 || qt[0].departure < end || qt[0].departure + shift >= target_bound(ws, k))
			return;
		uint32_t *cs = &ws->chain_stamp[(size_t)next * 2 + (day == 0 ? 0 : 1)];
		if (*cs == ws->stamp)
			return;
		*cs = ws->stamp;
		uint32_t q = tt->trip_pattern[next];
		uint32_t so = tt->pattern_stop_offset[q];
		for (uint32_t i = 1; i < qn; i++) {
			if ((tt->pattern_stop_flags[so + i] & GRENS_NET_NO_DROP_OFF) ||
			    is_skipped(qf, i))
				continue;
			uint32_t s = tt->pattern_stops[so + i];
			int32_t a = qt[i].arrival + shift;
			if (a < target_bound(ws, k) && a < trip_bound(ws, k)[s])
				set_trip_label(ws, k, s, a, next, 0 | dayflag, i, rec);
		}
		if (tt->trip_block_next[next] == GRENS_NONE)
			return;
		rec = new_record(ws, next, 0 | dayflag, rec);
		end = qt[qn - 1].arrival;
		next = tt->trip_block_next[next];
	}
}

/* After pattern p was scanned in round k with earliest trip `cur` (index in
 * the pattern) boarded at `board`: a traveller can be on any trip from cur
 * on, so follow the continuation of each not yet followed in this query. */
static void stay_seated(grens_route_raptor *ws, uint32_t k, uint32_t p, uint32_t cur, uint32_t board,
			int day, int32_t shift)
{
	const grens_timetable *tt = ws->tt;
	size_t key = (size_t)p * 2 + (day == 0 ? 0 : 1);
	uint32_t t0 = tt->pattern_trip_offset[p], nt = tt->pattern_trip_offset[p + 1] - t0;
	uint32_t lim = ws->seat_stamp[key] == ws->stamp ? ws->seat_min[key] : nt;
	if (cur >= lim)
		return;
	ws->seat_stamp[key] = ws->stamp;
	ws->seat_min[key] = cur;
	uint8_t bit = day == 0 ? 2 : 1;
	uint32_t n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
	for (uint32_t i = cur; i < lim; i++) {
		uint32_t t = t0 + i;
		if (!(ws->service_runs[tt->trip_service[t]] & bit))
			continue;
		if (st[(uint64_t)i * n + n - 1].arrival + shift >= target_bound(ws, k))
			break;
		if (tt->trip_block_next[t] == GRENS_NONE)
			continue;
		uint32_t rec = new_record(ws, t, board, GRENS_NONE);
		follow_chain(ws, k, t, rec, day, shift);
	}
}

/* ---- rounds --------------------------------------------------------------------- */

/* Scan pattern p, whose trips have live times, trip by trip: delays may
 * reorder them, so the earliest boardable trip is no longer the best one
 * further on. Each trip is boarded at the first position the traveller can
 * catch it (boarding later on the same vehicle never arrives earlier), and
 * its block continuations are followed from there. */
static void scan_pattern_live(grens_route_raptor *ws, uint32_t k, uint32_t p, uint32_t first, int day)
{
	const grens_timetable *tt = ws->tt;
	int32_t shift = day * DAY;
	uint8_t bit = day == 0 ? 2 : 1;
	uint32_t dayflag = day == 0 ? 0 : BOARD_PREV_DAY;
	uint32_t so = tt->pattern_stop_offset[p], n = tt->pattern_stop_offset[p + 1] - so;
	uint32_t t0 = tt->pattern_trip_offset[p], nt = tt->pattern_trip_offset[p + 1] - t0;
	const uint32_t *stops = tt->pattern_stops + so;
	const uint8_t *flags = tt->pattern_stop_flags + so;
	const int32_t *bound = trip_bound(ws, k);
	for (uint32_t ti = 0; ti < nt; ti++) {
		uint32_t t = t0 + ti;
		if (!(ws->service_runs[tt->trip_service[t]] & bit))
			continue;
		uint32_t rn;
		const uint8_t *rf;
		const grens_net_stop_time *row = live_times(ws, t, day, &rn, &rf);
		if (!row || rn != n)
			continue;
		uint32_t board = GRENS_NONE;
		for (uint32_t i = first; i < n; i++) {
			uint32_t s = stops[i];
			bool skipped = is_skipped(rf, i);
			if (board != GRENS_NONE && !skipped && !(flags[i] & GRENS_NET_NO_DROP_OFF)) {
				int32_t a = row[i].arrival + shift;
				if (a < bound[s] && beats_goal(ws, k, s, a))
					set_trip_label(ws, k, s, a, t, board, i, GRENS_NONE);
			}
			if (board != GRENS_NONE || skipped || i + 1 >= n ||
			    (flags[i] & GRENS_NET_NO_PICKUP))
				continue;
			uint32_t kind;
			int32_t r = ready_time(ws, k - 1, s, &kind);
			if (!boards_goal(ws, k, s, r) || r > row[i].departure + shift)
				continue;
			board = i | kind | dayflag;
		}
		/* the continuation of a trip is followed once per query: the first
		 * round that boards the trip reaches it with the fewest rides, and
		 * the records stay within one head and one link per (trip, day) */
		if (board != GRENS_NONE && ws->has_blocks && tt->trip_block_next[t] != GRENS_NONE &&
		    ws->head_stamp[(size_t)t * 2 + (day == 0 ? 0 : 1)] != ws->stamp) {
			ws->head_stamp[(size_t)t * 2 + (day == 0 ? 0 : 1)] = ws->stamp;
			uint32_t rec = new_record(ws, t, board, GRENS_NONE);
			follow_chain(ws, k, t, rec, day, shift);
		}
	}
}

/* The first index in [lo, hi) of the sorted departures col at or after
 * want, or hi. */
static inline uint32_t first_departure(const int32_t *col, uint32_t lo, uint32_t hi, int32_t want)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (col[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Scan pattern p in round k for the trips of service day D+day. */
static void scan_pattern(grens_route_raptor *ws, uint32_t k, uint32_t p, uint32_t first, int day)
{
	const grens_timetable *tt = ws->tt;
	if (grens_rt_pattern_touched(ws->rt, p)) {
		scan_pattern_live(ws, k, p, first, day);
		return;
	}
	int32_t shift = day * DAY;
	uint8_t bit = day == 0 ? 2 : 1;
	uint32_t dayflag = day == 0 ? 0 : BOARD_PREV_DAY;
	uint32_t so = tt->pattern_stop_offset[p], n = tt->pattern_stop_offset[p + 1] - so;
	uint32_t t0 = tt->pattern_trip_offset[p], nt = tt->pattern_trip_offset[p + 1] - t0;
	const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
	const uint32_t *stops = tt->pattern_stops + so;
	const uint8_t *flags = tt->pattern_stop_flags + so;
	uint32_t cur = GRENS_NONE, board = 0;
	const grens_net_stop_time *row = NULL;
	const int32_t *bound = trip_bound(ws, k);

	for (uint32_t i = first; i < n; i++) {
		uint32_t s = stops[i];
		if (row && !(flags[i] & GRENS_NET_NO_DROP_OFF)) {
			int32_t a = row[i].arrival + shift;
			if (a < bound[s] && beats_goal(ws, k, s, a))
				set_trip_label(ws, k, s, a, t0 + cur, board, i, GRENS_NONE);
		}
		if (i + 1 >= n || (flags[i] & GRENS_NET_NO_PICKUP))
			continue;
		/* a stop not marked in round k - 1 has no label of it (a single
		 * query), or one a later departure has boarded from already (a
		 * range: its trips gave their labels then, under looser bounds) */
		if (!((ws->prev_bits[s >> 6] >> (s & 63)) & 1))
			continue;
		uint32_t kind;
		int32_t r = ready_time(ws, k - 1, s, &kind);
		if (!boards_goal(ws, k, s, r) || (row && r > row[i].departure + shift))
			continue;
		/* usually not even the trip before cur can be caught: check it in
		 * the [trip][stop] block, whose row the scan reads sequentially */
		if (row && (cur == 0 || row[(int64_t)i - n].departure + shift < r))
			continue;
		/* earliest trip before cur departing at or after r - shift; the
		 * answer is usually a trip or two before cur, so step back a few
		 * trips before falling back to binary search */
		const int32_t *col = ws->dep_by_stop + tt->pattern_time_offset[p] + (uint64_t)i * nt;
		int32_t want = r - shift;
		uint32_t lo = 0, hi = row ? cur : nt;
		if (row) {
			uint32_t steps = 0;
			while (hi > 0 && steps < 8 && col[hi - 1] >= want) {
				hi--;
				steps++;
			}
			if (steps < 8 || hi == 0)
				lo = hi;
		}
		lo = first_departure(col, lo, hi, want);
		uint32_t end = row ? cur : nt;
		while (lo < end && !(ws->service_runs[tt->trip_service[t0 + lo]] & bit))
			lo++;
		if (lo < end) {
			cur = lo;
			board = i | kind | dayflag;
			row = st + (uint64_t)cur * n;
		}
	}
	if (row && ws->has_blocks && ws->pat_has_block[p])
		stay_seated(ws, k, p, cur, board, day, shift);
}

/* Scan the trips the overlay adds (ADDED/NEW) in round k, each as a pattern
 * of one trip on its own stops (skipped stops are not among them): boarded
 * at the first stop the traveller catches it, then ridden to its end. Only
 * trips of service days D and D-1 run, as for the timetable. */
static void scan_added(grens_route_raptor *ws, uint32_t k)
{
	uint32_t na = ws->rt ? grens_rt_added_count(ws->rt) : 0;
	const int32_t *bound = trip_bound(ws, k);
	for (uint32_t x = 0; x < na; x++) {
		const grens_rt_added_trip *a = grens_rt_added_at(ws->rt, x);
		int64_t day = (int64_t)a->date - ws->query_date;
		if (day != 0 && day != -1)
			continue;
		int32_t shift = (int32_t)day * DAY;
		uint32_t board = GRENS_NONE;
		for (uint32_t i = 0; i < a->stop_count; i++) {
			uint32_t s = a->stops[i];
			if (s >= ws->stops)
				continue;
			if (board != GRENS_NONE) {
				int32_t arr = a->times[i].arrival + shift;
				if (arr < target_bound(ws, k) && arr < bound[s])
					set_trip_label(ws, k, s, arr, x | ADDED_TRIP, board, i,
						       GRENS_NONE);
				continue;
			}
			if (i + 1 >= a->stop_count)
				continue;
			uint32_t kind;
			int32_t r = ready_time(ws, k - 1, s, &kind);
			if (r >= target_bound(ws, k) || r > a->times[i].departure + shift)
				continue;
			board = i | kind | (day ? BOARD_PREV_DAY : 0);
		}
	}
}

static void relax_footpaths(grens_route_raptor *ws, uint32_t k, uint32_t from_count)
{
	const grens_timetable *tt = ws->tt;
	for (uint32_t m = 0; m < from_count; m++) {
		uint32_t s = ws->marked_list[m];
		int32_t base = ws->trip_arr[(size_t)k * ws->stops + s];
		if (base == INF)
			continue;
		for (uint32_t f = tt->footpath_offset[s]; f < tt->footpath_offset[s + 1]; f++) {
			uint32_t to = tt->footpaths[f].to_stop;
			int32_t a = base + tt->footpaths[f].duration;
			if (a < foot_bound(ws, k)[to] && beats_goal(ws, k, to, a))
				set_foot_label(ws, k, to, a, s);
		}
	}
}

static void clear_marks(grens_route_raptor *ws)
{
	for (uint32_t m = 0; m < ws->marked_count; m++)
		ws->marked[ws->marked_list[m]] = 0;
	ws->marked_count = 0;
}

/* Round 0 at departure time t (origin i left at t + offset[i]; offset may
 * be NULL for all 0), then rounds 1..query_rounds. Labels are not reset
 * here (range queries reuse them). */
static void run_rounds(grens_route_raptor *ws, const grens_route_query *q, const int32_t *offset,
		       int32_t t, int32_t tmin)
{
	const grens_timetable *tt = ws->tt;
	clear_marks(ws);
	for (uint32_t i = 0; i < q->from_count; i++) {
		uint32_t o = q->from[i];
		int32_t a = t + (offset ? offset[i] : 0);
		if (a < ws->limit && a < foot_bound(ws, 0)[o])
			set_foot_label(ws, 0, o, a, GRENS_NONE);
	}
	for (uint32_t i = 0; i < q->from_count; i++) {
		uint32_t o = q->from[i];
		int32_t start = t + (offset ? offset[i] : 0);
		for (uint32_t f = tt->footpath_offset[o]; f < tt->footpath_offset[o + 1]; f++) {
			uint32_t to = tt->footpaths[f].to_stop;
			int32_t a = start + tt->footpaths[f].duration;
			if (a < foot_bound(ws, 0)[to] && beats_goal(ws, 0, to, a))
				set_foot_label(ws, 0, to, a, o);
		}
	}
	for (uint32_t k = 1; k <= ws->query_rounds && ws->marked_count; k++) {
		ws->pat_count = 0;
		for (uint32_t m = 0; m < ws->marked_count; m++) {
			uint32_t s = ws->marked_list[m];
			for (uint32_t j = tt->stop_pattern_offset[s]; j < tt->stop_pattern_offset[s + 1];
			     j++) {
				uint32_t p = tt->stop_patterns[j].pattern;
				uint32_t pos = tt->stop_patterns[j].position;
				/* no stop of p can take a label of round k (blocks may
				 * carry on to other patterns' stops) */
				if (ws->use_rides && k + ws->rides_pat[p] > ws->query_rounds &&
				    !ws->pat_has_block[p])
					continue;
				if (ws->pat_first[p] == GRENS_NONE)
					ws->pat_list[ws->pat_count++] = p;
				if (pos < ws->pat_first[p])
					ws->pat_first[p] = pos;
			}
		}
		/* the marks of round k - 1 become prev_list and prev_bits */
		uint32_t *spare = ws->prev_list, nprev = ws->marked_count;
		ws->prev_list = ws->marked_list;
		ws->marked_list = spare;
		ws->marked_count = 0;
		for (uint32_t m = 0; m < nprev; m++) {
			uint32_t s = ws->prev_list[m];
			ws->marked[s] = 0;
			ws->prev_bits[s >> 6] |= 1ull << (s & 63);
		}
		for (uint32_t j = 0; j < ws->pat_count; j++) {
			uint32_t p = ws->pat_list[j];
			scan_pattern(ws, k, p, ws->pat_first[p], 0);
			/* a delay may carry a trip of D-1 past its scheduled end */
			if (ws->pat_max_time[p] - DAY >= tmin ||
			    grens_rt_pattern_touched(ws->rt, p))
				scan_pattern(ws, k, p, ws->pat_first[p], -1);
			ws->pat_first[p] = GRENS_NONE;
		}
		scan_added(ws, k);
		for (uint32_t m = 0; m < nprev; m++)
			ws->prev_bits[ws->prev_list[m] >> 6] = 0;
		relax_footpaths(ws, k, ws->marked_count);
	}
	clear_marks(ws);
}

/* Best arrival at a target in round k (either family). */
static int32_t target_arrival(const grens_route_raptor *ws, const grens_route_query *q, uint32_t k,
			      uint32_t *stop, bool *foot)
{
	int32_t best = INF;
	for (uint32_t i = 0; i < q->to_count; i++) {
		size_t c = (size_t)k * ws->stops + q->to[i];
		if (ws->trip_arr[c] < best) {
			best = ws->trip_arr[c];
			*stop = q->to[i];
			*foot = false;
		}
		if (ws->foot_arr[c] < best) {
			best = ws->foot_arr[c];
			*stop = q->to[i];
			*foot = true;
		}
	}
	return best;
}

/* ---- journeys ----------------------------------------------------------------- */

static int push_leg(grens_route_raptor *ws, uint32_t *n, grens_route_leg leg, grens_error *err)
{
	if (*n >= GRENS_ROUTE_MAX_LEGS)
		return grens_error_set(err, GRENS_ELIMIT, "a journey has more than %u legs",
				       GRENS_ROUTE_MAX_LEGS);
	ws->scratch[(*n)++] = leg;
	return 0;
}

static grens_route_leg transit_leg(const grens_route_raptor *ws, uint32_t trip, uint32_t board,
				   uint32_t alight)
{
	const grens_timetable *tt = ws->tt;
	if (trip & ADDED_TRIP)
		return route_added_leg(ws->rt, trip & ~ADDED_TRIP, board & BOARD_POS_MASK, alight,
				       (board & BOARD_PREV_DAY) ? -1 : 0);
	uint32_t n;
	const uint8_t *sf;
	const grens_net_stop_time *st =
		live_times(ws, trip, (board & BOARD_PREV_DAY) ? -1 : 0, &n, &sf);
	if (!st) /* not reached: a cancelled trip is never boarded */
		st = trip_times(tt, trip, &n);
	uint32_t p = tt->trip_pattern[trip], so = tt->pattern_stop_offset[p];
	uint32_t bpos = board & BOARD_POS_MASK;
	int32_t shift = (board & BOARD_PREV_DAY) ? -DAY : 0;
	grens_route_leg leg = { 0 };
	leg.mode = GRENS_ROUTE_LEG_TRANSIT;
	leg.from_stop = tt->pattern_stops[so + bpos];
	leg.to_stop = tt->pattern_stops[so + alight];
	leg.departure = st[bpos].departure + shift;
	leg.arrival = st[alight].arrival + shift;
	leg.trip = trip;
	leg.service_day = (board & BOARD_PREV_DAY) ? -1 : 0;
	leg.board_position = bpos;
	leg.alight_position = alight;
	return leg;
}

/* Rebuild the journey ending at stop s in round k into ws->legs[at..). */
static int build_journey(grens_route_raptor *ws, const grens_route_query *q, uint32_t k, uint32_t s,
			 bool foot, grens_route_journey *j, uint32_t at, grens_error *err)
{
	const grens_timetable *tt = ws->tt;
	uint32_t n = 0;
	int rc;
	for (;;) {
		size_t c = (size_t)k * ws->stops + s;
		if (foot) {
			uint32_t from = ws->foot_par[c];
			if (from == GRENS_NONE)
				break; /* an origin */
			int32_t start = k == 0 ? q->time : ws->trip_arr[(size_t)k * ws->stops + from];
			grens_route_leg w = { 0 };
			w.mode = GRENS_ROUTE_LEG_WALK;
			w.from_stop = from;
			w.to_stop = s;
			w.departure = start;
			w.arrival = ws->foot_arr[c];
			w.trip = GRENS_NONE;
			rc = push_leg(ws, &n, w, err);
			if (rc)
				return rc;
			s = from;
			foot = k == 0;
			continue;
		}
		struct trip_parent par = ws->trip_par[c];
		grens_route_leg leg = transit_leg(ws, par.trip, par.board, par.alight);
		uint32_t board = par.board;
		for (uint32_t r = par.seated; r != GRENS_NONE; r = ws->records[r].prev) {
			leg.stay_seated = true;
			rc = push_leg(ws, &n, leg, err);
			if (rc)
				return rc;
			const struct seat_record *sr = &ws->records[r];
			uint32_t pn;
			(void)trip_times(tt, sr->trip, &pn);
			leg = transit_leg(ws, sr->trip, sr->board, pn - 1);
			board = sr->board;
		}
		rc = push_leg(ws, &n, leg, err);
		if (rc)
			return rc;
		s = leg.from_stop;
		foot = (board & BOARD_FOOT) != 0;
		if (k == 0)
			return grens_error_set(err, GRENS_EFORMAT, "broken label chain");
		k--;
	}
	/* reverse into the result; an initial walk leaves just in time */
	uint32_t transfers = 0, rides = 0;
	for (uint32_t i = 0; i < n; i++) {
		grens_route_leg leg = ws->scratch[n - 1 - i];
		if (leg.mode == GRENS_ROUTE_LEG_TRANSIT && !leg.stay_seated)
			rides++;
		ws->legs[at + i] = leg;
	}
	grens_route_leg *legs = ws->legs + at;
	if (n >= 2 && legs[0].mode == GRENS_ROUTE_LEG_WALK) {
		int32_t d = legs[0].arrival - legs[0].departure;
		legs[0].arrival = legs[1].departure;
		legs[0].departure = legs[1].departure - d;
	}
	route_depart_late(tt, ws->rt, q->date, ws->min_change, legs, n);
	route_legs_schedule(tt, ws->rt, q->date, legs, n);
	transfers = rides ? rides - 1 : 0;
	j->departure = n ? legs[0].departure : q->time;
	j->arrival = n ? legs[n - 1].arrival : q->time;
	j->transfers = transfers;
	j->leg_offset = at;
	j->leg_count = n;
	return 0;
}

int grens_route_raptor_route(grens_route_raptor *ws, const grens_route_query *q,
		       const grens_route_options *opts, grens_route_result *out, grens_error *err)
{
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_route: ws is NULL");
	if (!q)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_route: q is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_route: opts is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_route: out is NULL");
	if (opts->version != GRENS_ROUTE_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_route_raptor_route: options version %u, not %u (GRENS_ROUTE_OPTIONS_INIT)",
		    opts->version, GRENS_ROUTE_OPTIONS_VERSION);
	int rc;
	out->journeys = ws->journeys;
	out->legs = ws->legs;
	out->journey_count = 0;
	rc = check_query(ws, q, opts, true, err);
	if (rc)
		return rc;
	set_date(ws, q->date);
	reset_labels(ws, q, true, false, opts);
	set_limit(ws, q->time);
	rc = prepare_rides(ws, q, err);
	if (rc)
		return rc;
	run_rounds(ws, q, NULL, q->time, q->time);

	/* candidates per round, latest round (earliest arrival) first */
	uint32_t count = 0, at = 0;
	for (uint32_t k = ws->query_rounds + 1; k-- > 0;) {
		uint32_t s = GRENS_NONE;
		bool foot = false;
		int32_t a = target_arrival(ws, q, k, &s, &foot);
		if (a == INF)
			continue;
		grens_route_journey j;
		rc = build_journey(ws, q, k, s, foot, &j, at, err);
		if (rc)
			return rc;
		/* dominated by a journey with no more transfers arriving no later? */
		bool dominated = false;
		for (uint32_t i = 0; i < count; i++)
			if (ws->journeys[i].transfers <= j.transfers &&
			    ws->journeys[i].arrival <= j.arrival)
				dominated = true;
		if (dominated)
			continue;
		/* drop earlier candidates this one dominates */
		uint32_t w = 0;
		for (uint32_t i = 0; i < count; i++)
			if (!(j.transfers <= ws->journeys[i].transfers &&
			      j.arrival <= ws->journeys[i].arrival))
				ws->journeys[w++] = ws->journeys[i];
		count = w;
		ws->journeys[count++] = j;
		at += j.leg_count;
	}
	/* order by arrival, then transfers */
	for (uint32_t i = 1; i < count; i++) {
		grens_route_journey x = ws->journeys[i];
		uint32_t m = i;
		while (m > 0 && (ws->journeys[m - 1].arrival > x.arrival ||
				 (ws->journeys[m - 1].arrival == x.arrival &&
				  ws->journeys[m - 1].transfers > x.transfers))) {
			ws->journeys[m] = ws->journeys[m - 1];
			m--;
		}
		ws->journeys[m] = x;
	}
	out->journey_count = count;
	return 0;
}

/* Mark in ws->step_runs the steps of a range query (t0 + i * step, i < n)
 * with a boarding deadline of stop s (reached walk seconds after leaving
 * the origin) in [t0 + i * step, t0 + (i + 1) * step): a departure of a trip
 * that can be boarded there, minus walk. */
static void mark_deadlines(grens_route_raptor *ws, uint32_t s, int32_t walk, int32_t t0, int32_t step,
			   uint32_t n)
{
	const grens_timetable *tt = ws->tt;
	int64_t end = (int64_t)t0 + (int64_t)n * step; /* deadlines from here on need no run */
	for (uint32_t j = tt->stop_pattern_offset[s]; j < tt->stop_pattern_offset[s + 1]; j++) {
		uint32_t p = tt->stop_patterns[j].pattern, pos = tt->stop_patterns[j].position;
		uint32_t so = tt->pattern_stop_offset[p], width = tt->pattern_stop_offset[p + 1] - so;
		if (pos + 1 >= width || (tt->pattern_stop_flags[so + pos] & GRENS_NET_NO_PICKUP))
			continue;
		uint32_t tr0 = tt->pattern_trip_offset[p], nt = tt->pattern_trip_offset[p + 1] - tr0;
		const int32_t *col = ws->dep_by_stop + tt->pattern_time_offset[p] + (uint64_t)pos * nt;
		for (int day = 0; day >= -1; day--) {
			int32_t shift = day * DAY;
			uint8_t bit = day == 0 ? 2 : 1;
			if (day == -1 && ws->pat_max_time[p] - DAY < t0)
				continue;
			/* departures are sorted along the column (no overtaking) */
			uint32_t lo = first_departure(col, 0, nt, t0 + walk - shift);
			for (uint32_t x = lo; x < nt; x++) {
				int64_t d = (int64_t)col[x] + shift - walk;
				if (d >= end)
					break;
				if (ws->service_runs[tt->trip_service[tr0 + x]] & bit)
					ws->step_runs[(d - t0) / step] = 1;
			}
		}
	}
}

int grens_route_raptor_profile(grens_route_raptor *ws, const grens_route_query *q, int32_t t0, int32_t t1,
			 int32_t step, const grens_route_options *opts,
			 grens_route_profile_step *steps, grens_error *err)
{
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_profile: ws is NULL");
	if (!q)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_profile: q is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_profile: opts is NULL");
	if (!steps)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_profile: steps is NULL");
	if (opts->version != GRENS_ROUTE_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_route_raptor_profile: options version %u, not %u (GRENS_ROUTE_OPTIONS_INIT)",
		    opts->version, GRENS_ROUTE_OPTIONS_VERSION);
	int rc;
	rc = check_query(ws, q, opts, true, err);
	if (rc)
		return rc;
	if (step <= 0 || t0 < 0 || t1 < t0 || t1 > GRENS_LIMIT_MAX_HOURS * 3600 ||
	    (uint64_t)(t1 - t0) / (uint64_t)step + 1 > GRENS_ROUTE_MAX_STEPS)
		return grens_error_set(err, GRENS_EARG, "bad window %d..%d with step %d", t0, t1,
				       step);
	uint32_t n = (uint32_t)((t1 - t0) / step) + 1;
	set_date(ws, q->date);
	reset_labels(ws, q, true, true, opts);
	rc = prepare_goal(ws, q, err);
	if (!rc)
		rc = prepare_rides(ws, q, err);
	if (rc)
		return rc;
	/* Which trips a traveller leaving at t can board changes only at a
	 * boarding deadline (as in grens_access_run): a step with none before
	 * the next later step rides as that step does and differs only in
	 * walking alone, from the origins straight to a destination (walk_only
	 * seconds). So only the latest step and the steps with a deadline run.
	 * Live times move the deadlines: with an overlay every step runs. */
	int32_t walk_only = INF;
	memset(ws->step_runs, ws->rt ? 1 : 0, n);
	ws->step_runs[n - 1] = 1;
	for (uint32_t i = 0; i < q->from_count; i++) {
		uint32_t o = q->from[i];
		if (ws->is_target[o])
			walk_only = 0;
		if (!ws->rt)
			mark_deadlines(ws, o, 0, t0, step, n);
		for (uint32_t f = ws->tt->footpath_offset[o]; f < ws->tt->footpath_offset[o + 1]; f++) {
			const grens_net_footpath *fp = &ws->tt->footpaths[f];
			if (ws->is_target[fp->to_stop] && fp->duration < walk_only)
				walk_only = fp->duration;
			if (!ws->rt)
				mark_deadlines(ws, fp->to_stop, fp->duration, t0, step, n);
		}
	}
	for (uint32_t i = n; i-- > 0;) {
		int32_t t = t0 + (int32_t)i * step;
		uint32_t k0 = 0;
		int32_t best = INF;
		int32_t transfers = -1;
		set_limit(ws, t);
		if (ws->step_runs[i]) {
			/* continuations are followed again for each departure, since
			 * the earlier one may reach them in fewer rounds */
			next_stamp(ws);
			run_rounds(ws, q, NULL, t, t0);
		} else {
			/* round 0 is this step's own; later rounds are the last run's */
			k0 = 1;
			if (walk_only != INF) {
				best = t + walk_only;
				transfers = 0;
			}
		}
		for (uint32_t k = k0; k <= ws->query_rounds; k++) {
			uint32_t s;
			bool foot;
			int32_t a = target_arrival(ws, q, k, &s, &foot);
			if (a < best) {
				best = a;
				transfers = k ? (int32_t)k - 1 : 0;
			}
		}
		if (best >= ws->limit) /* a later departure's, beyond this one's bound */
			best = INF;
		steps[i].departure = t;
		steps[i].arrival = best;
		steps[i].transfers = best == INF ? -1 : transfers;
	}
	return 0;
}

int grens_route_raptor_one_to_all(grens_route_raptor *ws, const grens_route_query *q,
			    const grens_route_options *opts, int32_t *arrival, grens_error *err)
{
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_one_to_all: ws is NULL");
	if (!q)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_one_to_all: q is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_one_to_all: opts is NULL");
	if (!arrival)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_route_raptor_one_to_all: arrival is NULL");
	if (opts->version != GRENS_ROUTE_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_route_raptor_one_to_all: options version %u, not %u "
				       "(GRENS_ROUTE_OPTIONS_INIT)",
				       opts->version, GRENS_ROUTE_OPTIONS_VERSION);
	int rc;
	rc = check_query(ws, q, opts, false, err);
	if (rc)
		return rc;
	set_date(ws, q->date);
	reset_labels(ws, q, false, false, opts);
	set_limit(ws, q->time);
	run_rounds(ws, q, NULL, q->time, q->time);
	for (uint32_t s = 0; s < ws->stops; s++)
		arrival[s] = ws->best_trip[s] < ws->best_foot[s] ? ws->best_trip[s] : ws->best_foot[s];
	return 0;
}

int grens_route_raptor_range_start(grens_route_raptor *ws, const grens_route_query *q,
			     const int32_t *from_offset, const grens_route_options *opts,
			     grens_error *err)
{
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_range_start: ws is NULL");
	if (!q)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_range_start: q is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_range_start: opts is NULL");
	if (opts->version != GRENS_ROUTE_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_route_raptor_range_start: options version %u, not %u "
				       "(GRENS_ROUTE_OPTIONS_INIT)",
				       opts->version, GRENS_ROUTE_OPTIONS_VERSION);
	ws->range_on = false;
	int rc = check_query(ws, q, opts, false, err);
	if (rc)
		return rc;
	for (uint32_t i = 0; from_offset && i < q->from_count; i++)
		if (from_offset[i] < 0 || from_offset[i] > DAY)
			return grens_error_set(err, GRENS_EARG, "origin offset %d s out of range",
					       from_offset[i]);
	set_date(ws, q->date);
	reset_labels(ws, q, false, true, opts);
	for (uint32_t i = 0; i < q->from_count; i++) {
		ws->range_from[i] = q->from[i];
		ws->range_offset[i] = from_offset ? from_offset[i] : 0;
	}
	ws->range_q = *q;
	ws->range_q.from = ws->range_from;
	ws->range_q.to = NULL;
	ws->range_q.to_count = 0;
	ws->range_last = INF;
	ws->range_on = true;
	return 0;
}

int grens_route_raptor_range_next(grens_route_raptor *ws, int32_t time, int32_t *arrival, grens_error *err)
{
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_raptor_range_next: ws is NULL");
	if (!arrival)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_route_raptor_range_next: arrival is NULL");
	if (!ws->range_on)
		return grens_error_set(err, GRENS_EARG, "no range query started");
	if (time < 0 || time > ws->range_last || time > GRENS_LIMIT_MAX_HOURS * 3600)
		return grens_error_set(err, GRENS_EARG,
				       "departure %d s not at or before the previous one", time);
	ws->range_last = time;
	/* continuations are followed again for each departure, since the
	 * earlier one may reach them in fewer rounds */
	next_stamp(ws);
	set_limit(ws, time);
	run_rounds(ws, &ws->range_q, ws->range_offset, time, time);
	/* labels of later departures stay valid (waiting at the origin), but
	 * those beyond this departure's bound are not reported */
	const int32_t *bt = ws->prefix_trip + (size_t)ws->query_rounds * ws->stops;
	const int32_t *bf = ws->prefix_foot + (size_t)ws->query_rounds * ws->stops;
	for (uint32_t s = 0; s < ws->stops; s++) {
		int32_t a = bt[s] < bf[s] ? bt[s] : bf[s];
		arrival[s] = a < ws->limit ? a : INF;
	}
	return 0;
}
