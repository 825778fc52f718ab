/* Time-dependent Dijkstra over stops: the reference router. It shares no
 * routing code with raptor.c on purpose, so that the two can check each
 * other (tests/unit/test_route_crosscheck.c).
 *
 * Nodes are (stop, how the traveller got there): by vehicle (boarding
 * another vehicle takes the stop's change time; may walk one footpath on)
 * or on foot (origin or footpath; boards without change time, does not walk
 * on). Origins walk their footpaths at the start. Settling a node boards the
 * earliest running trip of every pattern at the stop, for service days D and
 * D-1, and rides it to the end; a traveller who can board trip i of a
 * pattern can be on any later trip too, so the block continuations of all of
 * those are followed (once per query), and every trip a realtime overlay
 * adds is boarded at its first visit to the stop. The first destination
 * node settled is the earliest arrival. */
#include <stdlib.h>
#include <string.h>

#include "grens/route.h"
#include "grens/rt.h"
#include "route_internal.h"

#define UNSET GRENS_ROUTE_UNREACHED
#define SECONDS_PER_DAY 86400
#define KIND_VEHICLE 0u
#define KIND_FOOT 1u
#define POS_BITS 0x3FFFFFFFu
#define FLAG_FOOT 0x40000000u
#define FLAG_YESTERDAY 0x80000000u
#define FROM_ORIGIN 0x80000000u
#define RIDE_ADDED 0x80000000u /* ride.trip: index of a trip the overlay adds */

struct ride {
	uint32_t trip;
	uint32_t board;  /* position | FLAG_* */
	uint32_t alight;
	uint32_t seated; /* chain record or GRENS_NONE */
};

struct chain_link {
	uint32_t trip;
	uint32_t board;
	uint32_t prev;
};

struct grens_route_dijkstra {
	const grens_timetable *tt;
	uint32_t nstops;
	int32_t *label;       /* [nstops * 2]: node = stop * 2 + kind */
	uint8_t *done;        /* [nstops * 2] */
	struct ride *via;     /* [nstops] for vehicle nodes */
	uint32_t *walked_from; /* [nstops] for foot nodes: stop | FROM_ORIGIN, or GRENS_NONE */
	uint32_t *heap;       /* nodes */
	uint32_t *heap_pos;   /* [nstops * 2] index in heap or GRENS_NONE */
	uint32_t heap_len;
	uint8_t *target;
	uint8_t *runs;        /* [services] bit 0: D-1, bit 1: D */
	grens_date runs_date;
	/* per (pattern, day): first ride, to skip dominated rides */
	uint32_t *ride_trip, *ride_pos, *ride_stamp;
	/* per (pattern, day): lowest trip whose continuation was followed */
	uint32_t *cont_low, *cont_stamp;
	uint32_t *link_stamp; /* [trips * 2] */
	uint32_t *head_stamp; /* [trips * 2] trips of live patterns whose continuation was followed */
	struct chain_link *links;
	uint32_t link_count, link_cap;
	uint32_t stamp;
	int32_t change_override;
	int32_t target_bound;
	const grens_rt_overlay *rt; /* of the current query, or NULL */
	grens_date date;
	grens_route_journey journey;
	grens_route_leg legs[GRENS_ROUTE_MAX_LEGS];
	grens_route_leg rev[GRENS_ROUTE_MAX_LEGS];
	grens_arena *memory; /* all arrays above */
};

void grens_route_dijkstra_free(grens_route_dijkstra *ws)
{
	if (!ws)
		return;
	grens_arena_free(ws->memory);
	free(ws);
}

static void *zalloc(grens_route_dijkstra *ws, size_t count, size_t size, int *rc)
{
	void *p = *rc ? NULL : grens_arena_calloc(ws->memory, count, size, 64);
	if (!p && !*rc)
		*rc = GRENS_ENOMEM;
	return p;
}

int grens_route_dijkstra_new(grens_route_dijkstra **out, const grens_timetable *tt, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_dijkstra_new: out is NULL");
	*out = NULL;
	if (!tt)
		return grens_error_set(err, GRENS_EARG, "no timetable");
	int rc = 0;
	grens_route_dijkstra *ws = calloc(1, sizeof(*ws));
	if (!ws)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the Dijkstra workspace");
	ws->memory = grens_arena_new(0);
	if (!ws->memory) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	ws->tt = tt;
	ws->nstops = tt->stop_count;
	size_t nodes = (size_t)tt->stop_count * 2;
	size_t pd = (size_t)tt->pattern_count * 2;
	ws->label = zalloc(ws, nodes, sizeof(int32_t), &rc);
	ws->done = zalloc(ws, nodes, 1, &rc);
	ws->via = zalloc(ws, tt->stop_count, sizeof(struct ride), &rc);
	ws->walked_from = zalloc(ws, tt->stop_count, sizeof(uint32_t), &rc);
	ws->heap = zalloc(ws, nodes, sizeof(uint32_t), &rc);
	ws->heap_pos = zalloc(ws, nodes, sizeof(uint32_t), &rc);
	ws->target = zalloc(ws, tt->stop_count, 1, &rc);
	ws->runs = zalloc(ws, tt->service_count, 1, &rc);
	ws->ride_trip = zalloc(ws, pd, sizeof(uint32_t), &rc);
	ws->ride_pos = zalloc(ws, pd, sizeof(uint32_t), &rc);
	ws->ride_stamp = zalloc(ws, pd, sizeof(uint32_t), &rc);
	ws->cont_low = zalloc(ws, pd, sizeof(uint32_t), &rc);
	ws->cont_stamp = zalloc(ws, pd, sizeof(uint32_t), &rc);
	ws->link_stamp = zalloc(ws, (size_t)tt->trip_count * 2, sizeof(uint32_t), &rc);
	ws->head_stamp = zalloc(ws, (size_t)tt->trip_count * 2, sizeof(uint32_t), &rc);
	uint32_t with_next = 0;
	for (uint32_t t = 0; tt->trip_block_next && t < tt->trip_count; t++)
		with_next += tt->trip_block_next[t] != GRENS_NONE;
	ws->link_cap = with_next * 4 + 4;
	ws->links = zalloc(ws, ws->link_cap, sizeof(struct chain_link), &rc);
	if (rc)
		goto fail;
	for (size_t i = 0; i < nodes; i++)
		ws->heap_pos[i] = GRENS_NONE;
	ws->runs_date = GRENS_DATE_NONE;
	*out = ws;
	return 0;
fail:
	grens_route_dijkstra_free(ws);
	return grens_error_set(err, rc, "cannot allocate the Dijkstra workspace: %s",
			       grens_strerror(rc));
}

/* ---- indexed binary heap on label[] ------------------------------------------ */

static void heap_swap(grens_route_dijkstra *ws, uint32_t a, uint32_t b)
{
	uint32_t x = ws->heap[a];
	ws->heap[a] = ws->heap[b];
	ws->heap[b] = x;
	ws->heap_pos[ws->heap[a]] = a;
	ws->heap_pos[ws->heap[b]] = b;
}

static void heap_up(grens_route_dijkstra *ws, uint32_t i)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (ws->label[ws->heap[parent]] <= ws->label[ws->heap[i]])
			break;
		heap_swap(ws, i, parent);
		i = parent;
	}
}

static void heap_down(grens_route_dijkstra *ws, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < ws->heap_len && ws->label[ws->heap[l]] < ws->label[ws->heap[m]])
			m = l;
		if (r < ws->heap_len && ws->label[ws->heap[r]] < ws->label[ws->heap[m]])
			m = r;
		if (m == i)
			return;
		heap_swap(ws, i, m);
		i = m;
	}
}

static uint32_t heap_pop(grens_route_dijkstra *ws)
{
	uint32_t top = ws->heap[0];
	ws->heap_len--;
	if (ws->heap_len) {
		ws->heap[0] = ws->heap[ws->heap_len];
		ws->heap_pos[ws->heap[0]] = 0;
		heap_down(ws, 0);
	}
	ws->heap_pos[top] = GRENS_NONE;
	return top;
}

/* Lower node's label to t if that is better; true when it was. */
static bool lower(grens_route_dijkstra *ws, uint32_t node, int32_t t)
{
	if (ws->done[node] || t >= ws->label[node])
		return false;
	ws->label[node] = t;
	if (ws->heap_pos[node] == GRENS_NONE) {
		ws->heap[ws->heap_len] = node;
		ws->heap_pos[node] = ws->heap_len++;
	}
	heap_up(ws, ws->heap_pos[node]);
	if (ws->target[node / 2] && t < ws->target_bound)
		ws->target_bound = t;
	return true;
}

/* ---- timetable access ------------------------------------------------------------ */

static bool runs_on(const grens_timetable *tt, uint32_t service, grens_date day)
{
	if (day < tt->first_date || (int64_t)day - tt->first_date >= (int64_t)tt->day_count)
		return false;
	uint32_t bit = (uint32_t)(day - tt->first_date);
	uint64_t word = tt->service_days[(uint64_t)service * tt->words_per_service + bit / 64];
	return ((word >> (bit % 64)) & 1u) != 0;
}

static const grens_net_stop_time *times_of(const grens_timetable *tt, uint32_t pattern,
					   uint32_t index_in_pattern)
{
	uint32_t width = tt->pattern_stop_offset[pattern + 1] - tt->pattern_stop_offset[pattern];
	return grens_net_pattern_times(tt, pattern) +
	       (uint64_t)index_in_pattern * width;
}

/* The times of a trip on D or D-1: live with an overlay, NULL when it is
 * cancelled; *flags gets the overlay's stop flags (NULL without live state). */
static const grens_net_stop_time *live_row(const grens_route_dijkstra *ws, uint32_t trip, int yesterday,
					   const uint8_t **flags)
{
	const grens_timetable *tt = ws->tt;
	uint32_t pat = tt->trip_pattern[trip];
	*flags = NULL;
	const grens_rt_trip *t = grens_rt_trip_find(ws->rt, trip, ws->date - (yesterday ? 1 : 0));
	if (!t)
		return times_of(tt, pat, trip - tt->pattern_trip_offset[pat]);
	if (t->cancelled)
		return NULL;
	*flags = t->stop_flags;
	return t->times;
}

static bool skipped_at(const uint8_t *flags, uint32_t pos)
{
	return flags && (flags[pos] & GRENS_RT_STOP_SKIPPED);
}

static bool trip_running(const grens_route_dijkstra *ws, uint32_t trip, int yesterday)
{
	return (ws->runs[ws->tt->trip_service[trip]] & (yesterday ? 1u : 2u)) != 0;
}

/* ---- relaxation -------------------------------------------------------------------- */

static void reach_by_vehicle(grens_route_dijkstra *ws, uint32_t stop, int32_t t, struct ride r)
{
	if (lower(ws, stop * 2 + KIND_VEHICLE, t))
		ws->via[stop] = r;
}

static void follow_block(grens_route_dijkstra *ws, uint32_t trip, uint32_t link, int yesterday)
{
	const grens_timetable *tt = ws->tt;
	int32_t offset = yesterday ? -SECONDS_PER_DAY : 0;
	uint32_t day_flag = yesterday ? FLAG_YESTERDAY : 0;
	uint32_t pat = tt->trip_pattern[trip];
	uint32_t width = tt->pattern_stop_offset[pat + 1] - tt->pattern_stop_offset[pat];
	const uint8_t *own_flags;
	const grens_net_stop_time *own = live_row(ws, trip, yesterday, &own_flags);
	if (!own)
		return;
	int32_t last_arrival = own[width - 1].arrival;
	for (uint32_t nx = tt->trip_block_next[trip]; nx != GRENS_NONE && link != GRENS_NONE;
	     nx = tt->trip_block_next[nx]) {
		if (!trip_running(ws, nx, yesterday))
			return;
		uint32_t q = tt->trip_pattern[nx];
		uint32_t qbase = tt->pattern_stop_offset[q];
		uint32_t qwidth = tt->pattern_stop_offset[q + 1] - qbase;
		const uint8_t *nf;
		const grens_net_stop_time *row = live_row(ws, nx, yesterday, &nf);
		if (!row || qwidth == 0 || row[0].departure < last_arrival ||
		    row[0].departure + offset >= ws->target_bound)
			return;
		uint32_t *ls = &ws->link_stamp[(size_t)nx * 2 + (yesterday ? 1 : 0)];
		if (*ls == ws->stamp)
			return;
		*ls = ws->stamp;
		for (uint32_t i = 1; i < qwidth; i++)
			if (!(tt->pattern_stop_flags[qbase + i] & GRENS_NET_NO_DROP_OFF) &&
			    !skipped_at(nf, i))
				reach_by_vehicle(ws, tt->pattern_stops[qbase + i], row[i].arrival + offset,
						 (struct ride){ nx, day_flag, i, link });
		if (tt->trip_block_next[nx] == GRENS_NONE || ws->link_count >= ws->link_cap)
			return;
		ws->links[ws->link_count] = (struct chain_link){ nx, day_flag, link };
		link = ws->link_count++;
		last_arrival = row[qwidth - 1].arrival;
	}
}

/* Board a pattern with live times at position pos: every trip that can be
 * caught there, since delays may have reordered them. */
static void board_live(grens_route_dijkstra *ws, uint32_t pat, uint32_t pos, int32_t ready, uint32_t how,
		       int yesterday)
{
	const grens_timetable *tt = ws->tt;
	int32_t offset = yesterday ? -SECONDS_PER_DAY : 0;
	uint32_t day_flag = yesterday ? FLAG_YESTERDAY : 0;
	uint32_t first = tt->pattern_trip_offset[pat];
	uint32_t count = tt->pattern_trip_offset[pat + 1] - first;
	uint32_t base = tt->pattern_stop_offset[pat];
	uint32_t width = tt->pattern_stop_offset[pat + 1] - base;
	for (uint32_t j = 0; j < count; j++) {
		uint32_t trip = first + j;
		if (!trip_running(ws, trip, yesterday))
			continue;
		const uint8_t *fl;
		const grens_net_stop_time *row = live_row(ws, trip, yesterday, &fl);
		if (!row || skipped_at(fl, pos) || row[pos].departure + offset < ready)
			continue;
		for (uint32_t i = pos + 1; i < width; i++)
			if (!(tt->pattern_stop_flags[base + i] & GRENS_NET_NO_DROP_OFF) &&
			    !skipped_at(fl, i))
				reach_by_vehicle(ws, tt->pattern_stops[base + i], row[i].arrival + offset,
						 (struct ride){ trip, pos | how | day_flag, i,
								GRENS_NONE });
		/* the first (earliest) boarding of a trip follows its continuation;
		 * later ones reach it no earlier, so links stay one head per trip */
		uint32_t *hs = &ws->head_stamp[(size_t)trip * 2 + (yesterday ? 1 : 0)];
		if (!tt->trip_block_next || tt->trip_block_next[trip] == GRENS_NONE || *hs == ws->stamp ||
		    ws->link_count >= ws->link_cap)
			continue;
		*hs = ws->stamp;
		ws->links[ws->link_count] = (struct chain_link){ trip, pos | how | day_flag, GRENS_NONE };
		follow_block(ws, trip, ws->link_count++, yesterday);
	}
}

/* Board pattern pat at position pos at or after `ready` on one service day. */
static void board(grens_route_dijkstra *ws, uint32_t pat, uint32_t pos, int32_t ready, uint32_t how,
		  int yesterday)
{
	const grens_timetable *tt = ws->tt;
	int32_t offset = yesterday ? -SECONDS_PER_DAY : 0;
	uint32_t first = tt->pattern_trip_offset[pat];
	uint32_t count = tt->pattern_trip_offset[pat + 1] - first;
	uint32_t base = tt->pattern_stop_offset[pat];
	uint32_t width = tt->pattern_stop_offset[pat + 1] - base;
	if (grens_rt_pattern_touched(ws->rt, pat)) {
		board_live(ws, pat, pos, ready, how, yesterday);
		return;
	}
	if (count == 0 || times_of(tt, pat, count - 1)[pos].departure + offset < ready)
		return;
	/* first index whose departure at pos is >= ready (departures are ordered) */
	uint32_t a = 0, b = count;
	while (b - a > 0) {
		uint32_t h = a + (b - a) / 2;
		if (times_of(tt, pat, h)[pos].departure + offset >= ready)
			b = h;
		else
			a = h + 1;
	}
	uint32_t idx = a;
	while (idx < count && !trip_running(ws, first + idx, yesterday))
		idx++;
	if (idx == count)
		return;
	size_t key = (size_t)pat * 2 + (yesterday ? 1 : 0);
	uint32_t day_flag = yesterday ? FLAG_YESTERDAY : 0;
	bool dominated = ws->ride_stamp[key] == ws->stamp && ws->ride_trip[key] <= idx &&
			 ws->ride_pos[key] <= pos;
	if (!dominated) {
		if (ws->ride_stamp[key] != ws->stamp) {
			ws->ride_stamp[key] = ws->stamp;
			ws->ride_trip[key] = idx;
			ws->ride_pos[key] = pos;
		}
		const grens_net_stop_time *row = times_of(tt, pat, idx);
		for (uint32_t i = pos + 1; i < width; i++)
			if (!(tt->pattern_stop_flags[base + i] & GRENS_NET_NO_DROP_OFF))
				reach_by_vehicle(ws, tt->pattern_stops[base + i], row[i].arrival + offset,
						 (struct ride){ first + idx, pos | how | day_flag, i,
								GRENS_NONE });
	}
	/* block continuations of every trip from idx on, each once per query */
	if (!tt->trip_block_next)
		return;
	uint32_t upto = ws->cont_stamp[key] == ws->stamp ? ws->cont_low[key] : count;
	if (idx >= upto)
		return;
	ws->cont_stamp[key] = ws->stamp;
	ws->cont_low[key] = idx;
	for (uint32_t j = idx; j < upto; j++) {
		uint32_t trip = first + j;
		if (!trip_running(ws, trip, yesterday))
			continue;
		if (times_of(tt, pat, j)[width - 1].arrival + offset >= ws->target_bound)
			break;
		if (tt->trip_block_next[trip] == GRENS_NONE || ws->link_count >= ws->link_cap)
			continue;
		ws->links[ws->link_count] =
			(struct chain_link){ trip, pos | how | day_flag, GRENS_NONE };
		follow_block(ws, trip, ws->link_count++, yesterday);
	}
}

/* Board each trip the overlay adds at its first visit to stop leaving at or
 * after ready, and ride it to its end (its stops exclude skipped ones). Only
 * trips of service days D and D-1 run. */
static void board_added(grens_route_dijkstra *ws, uint32_t stop, int32_t ready, uint32_t how)
{
	uint32_t na = ws->rt ? grens_rt_added_count(ws->rt) : 0;
	for (uint32_t x = 0; x < na; x++) {
		const grens_rt_added_trip *a = grens_rt_added_at(ws->rt, x);
		int64_t day = (int64_t)a->date - ws->date;
		if (day != 0 && day != -1)
			continue;
		int32_t offset = (int32_t)day * SECONDS_PER_DAY;
		uint32_t day_flag = day ? FLAG_YESTERDAY : 0;
		for (uint32_t pos = 0; pos + 1 < a->stop_count; pos++) {
			if (a->stops[pos] != stop || a->times[pos].departure + offset < ready)
				continue;
			for (uint32_t i = pos + 1; i < a->stop_count; i++)
				if (a->stops[i] < ws->nstops)
					reach_by_vehicle(ws, a->stops[i], a->times[i].arrival + offset,
							 (struct ride){ x | RIDE_ADDED,
									pos | how | day_flag, i,
									GRENS_NONE });
			break;
		}
	}
}

static void settle(grens_route_dijkstra *ws, uint32_t node)
{
	const grens_timetable *tt = ws->tt;
	uint32_t stop = node / 2;
	int32_t t = ws->label[node];
	int32_t ready = t;
	uint32_t how = FLAG_FOOT;
	if (node % 2 == KIND_VEHICLE) {
		for (uint32_t f = tt->footpath_offset[stop]; f < tt->footpath_offset[stop + 1]; f++) {
			uint32_t to = tt->footpaths[f].to_stop;
			if (lower(ws, to * 2 + KIND_FOOT, t + tt->footpaths[f].duration))
				ws->walked_from[to] = stop;
		}
		int32_t change = tt->stop_min_change[stop];
		if (ws->change_override >= 0 && change != GRENS_NET_CHANGE_FORBIDDEN)
			change = ws->change_override;
		ready = t + change;
		how = 0;
	}
	if (ready >= ws->target_bound)
		return;
	for (uint32_t j = tt->stop_pattern_offset[stop]; j < tt->stop_pattern_offset[stop + 1]; j++) {
		uint32_t pat = tt->stop_patterns[j].pattern;
		uint32_t pos = tt->stop_patterns[j].position;
		uint32_t base = tt->pattern_stop_offset[pat];
		uint32_t width = tt->pattern_stop_offset[pat + 1] - base;
		if (pos + 1 >= width || (tt->pattern_stop_flags[base + pos] & GRENS_NET_NO_PICKUP))
			continue;
		board(ws, pat, pos, ready, how, 0);
		board(ws, pat, pos, ready, how, 1);
	}
	board_added(ws, stop, ready, how);
}

/* ---- journey ------------------------------------------------------------------------ */

static int add_leg(grens_route_dijkstra *ws, uint32_t *n, const grens_route_leg *leg, grens_error *err)
{
	if (*n >= GRENS_ROUTE_MAX_LEGS)
		return grens_error_set(err, GRENS_ELIMIT, "a journey has more than %u legs",
				       GRENS_ROUTE_MAX_LEGS);
	ws->rev[(*n)++] = *leg;
	return 0;
}

static grens_route_leg ride_leg(const grens_route_dijkstra *ws, uint32_t trip, uint32_t board_bits,
				uint32_t alight)
{
	const grens_timetable *tt = ws->tt;
	int yesterday = (board_bits & FLAG_YESTERDAY) != 0;
	if (trip & RIDE_ADDED)
		return route_added_leg(ws->rt, trip & ~RIDE_ADDED, board_bits & POS_BITS, alight,
				       yesterday ? -1 : 0);
	uint32_t pat = tt->trip_pattern[trip];
	uint32_t base = tt->pattern_stop_offset[pat];
	const uint8_t *fl;
	const grens_net_stop_time *row = live_row(ws, trip, yesterday, &fl);
	if (!row) /* not reached: a cancelled trip is never boarded */
		row = times_of(tt, pat, trip - tt->pattern_trip_offset[pat]);
	uint32_t from = board_bits & POS_BITS;
	grens_route_leg leg;
	memset(&leg, 0, sizeof(leg));
	leg.mode = GRENS_ROUTE_LEG_TRANSIT;
	leg.trip = trip;
	leg.service_day = yesterday ? -1 : 0;
	leg.board_position = from;
	leg.alight_position = alight;
	leg.from_stop = tt->pattern_stops[base + from];
	leg.to_stop = tt->pattern_stops[base + alight];
	leg.departure = row[from].departure - (yesterday ? SECONDS_PER_DAY : 0);
	leg.arrival = row[alight].arrival - (yesterday ? SECONDS_PER_DAY : 0);
	return leg;
}

static int rebuild(grens_route_dijkstra *ws, const grens_route_query *q, uint32_t node, grens_error *err)
{
	const grens_timetable *tt = ws->tt;
	uint32_t n = 0;
	int rc;
	for (;;) {
		uint32_t stop = node / 2;
		if (node % 2 == KIND_FOOT) {
			uint32_t from = ws->walked_from[stop];
			if (from == GRENS_NONE)
				break;
			uint32_t from_stop = from & ~FROM_ORIGIN;
			grens_route_leg w;
			memset(&w, 0, sizeof(w));
			w.mode = GRENS_ROUTE_LEG_WALK;
			w.from_stop = from_stop;
			w.to_stop = stop;
			w.trip = GRENS_NONE;
			w.arrival = ws->label[node];
			w.departure = (from & FROM_ORIGIN) ? q->time
							   : ws->label[from_stop * 2 + KIND_VEHICLE];
			rc = add_leg(ws, &n, &w, err);
			if (rc)
				return rc;
			node = from_stop * 2 + ((from & FROM_ORIGIN) ? KIND_FOOT : KIND_VEHICLE);
			if (from & FROM_ORIGIN)
				break;
			continue;
		}
		struct ride r = ws->via[stop];
		grens_route_leg leg = ride_leg(ws, r.trip, r.board, r.alight);
		uint32_t bits = r.board;
		for (uint32_t l = r.seated; l != GRENS_NONE; l = ws->links[l].prev) {
			leg.stay_seated = true;
			rc = add_leg(ws, &n, &leg, err);
			if (rc)
				return rc;
			uint32_t pat = tt->trip_pattern[ws->links[l].trip];
			uint32_t width = tt->pattern_stop_offset[pat + 1] - tt->pattern_stop_offset[pat];
			leg = ride_leg(ws, ws->links[l].trip, ws->links[l].board, width - 1);
			bits = ws->links[l].board;
		}
		rc = add_leg(ws, &n, &leg, err);
		if (rc)
			return rc;
		node = leg.from_stop * 2 + ((bits & FLAG_FOOT) ? KIND_FOOT : KIND_VEHICLE);
	}
	uint32_t rides = 0;
	for (uint32_t i = 0; i < n; i++) {
		ws->legs[i] = ws->rev[n - 1 - i];
		if (ws->legs[i].mode == GRENS_ROUTE_LEG_TRANSIT && !ws->legs[i].stay_seated)
			rides++;
	}
	if (n >= 2 && ws->legs[0].mode == GRENS_ROUTE_LEG_WALK) {
		int32_t d = ws->legs[0].arrival - ws->legs[0].departure;
		ws->legs[0].arrival = ws->legs[1].departure;
		ws->legs[0].departure = ws->legs[1].departure - d;
	}
	route_depart_late(tt, ws->rt, q->date, ws->change_override, ws->legs, n);
	route_legs_schedule(tt, ws->rt, q->date, ws->legs, n);
	ws->journey.departure = n ? ws->legs[0].departure : q->time;
	ws->journey.arrival = n ? ws->legs[n - 1].arrival : q->time;
	ws->journey.transfers = rides > 1 ? rides - 1 : 0;
	ws->journey.leg_offset = 0;
	ws->journey.leg_count = n;
	return 0;
}

int grens_route_dijkstra_route(grens_route_dijkstra *ws, const grens_route_query *q,
			 const grens_route_options *opts, grens_route_result *out, grens_error *err)
{
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_dijkstra_route: ws is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_route_dijkstra_route: out is NULL");
	if (opts && opts->version != GRENS_ROUTE_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_route_dijkstra_route: options version %u, not %u (GRENS_ROUTE_OPTIONS_INIT)",
		    opts->version, GRENS_ROUTE_OPTIONS_VERSION);
	const grens_timetable *tt = ws->tt;
	out->journeys = &ws->journey;
	out->legs = ws->legs;
	out->journey_count = 0;
	if (!q || !opts || q->from_count == 0 || q->to_count == 0 ||
	    q->from_count > GRENS_ROUTE_MAX_ENDPOINTS || q->to_count > GRENS_ROUTE_MAX_ENDPOINTS)
		return grens_error_set(err, GRENS_EARG, "a query needs 1 to %u origins and destinations",
				       GRENS_ROUTE_MAX_ENDPOINTS);
	for (uint32_t i = 0; i < q->from_count; i++)
		if (q->from[i] >= ws->nstops)
			return grens_error_set(err, GRENS_EARG, "origin stop %u out of range", q->from[i]);
	for (uint32_t i = 0; i < q->to_count; i++)
		if (q->to[i] >= ws->nstops)
			return grens_error_set(err, GRENS_EARG, "destination stop %u out of range",
					       q->to[i]);
	if (q->time < 0 || q->time > GRENS_LIMIT_MAX_HOURS * 3600)
		return grens_error_set(err, GRENS_EARG, "departure time %d out of range", q->time);

	if (ws->runs_date != q->date) {
		for (uint32_t s = 0; s < tt->service_count; s++)
			ws->runs[s] = (uint8_t)((runs_on(tt, s, q->date - 1) ? 1 : 0) |
						(runs_on(tt, s, q->date) ? 2 : 0));
		ws->runs_date = q->date;
	}
	if (++ws->stamp == 0) {
		size_t pd = (size_t)tt->pattern_count * 2;
		memset(ws->ride_stamp, 0, pd * sizeof(uint32_t));
		memset(ws->cont_stamp, 0, pd * sizeof(uint32_t));
		memset(ws->link_stamp, 0, (size_t)tt->trip_count * 2 * sizeof(uint32_t));
		memset(ws->head_stamp, 0, (size_t)tt->trip_count * 2 * sizeof(uint32_t));
		ws->stamp = 1;
	}
	ws->link_count = 0;
	ws->change_override = opts->min_change;
	ws->rt = opts->rt;
	ws->date = q->date;
	ws->target_bound = UNSET;
	for (uint32_t s = 0; s < ws->nstops; s++) {
		ws->label[s * 2] = UNSET;
		ws->label[s * 2 + 1] = UNSET;
		ws->done[s * 2] = 0;
		ws->done[s * 2 + 1] = 0;
		ws->walked_from[s] = GRENS_NONE;
		ws->target[s] = 0;
	}
	while (ws->heap_len)
		(void)heap_pop(ws);
	for (uint32_t i = 0; i < q->to_count; i++)
		ws->target[q->to[i]] = 1;
	for (uint32_t i = 0; i < q->from_count; i++)
		if (lower(ws, q->from[i] * 2 + KIND_FOOT, q->time))
			ws->walked_from[q->from[i]] = GRENS_NONE;
	for (uint32_t i = 0; i < q->from_count; i++) {
		uint32_t o = q->from[i];
		for (uint32_t f = tt->footpath_offset[o]; f < tt->footpath_offset[o + 1]; f++) {
			uint32_t to = tt->footpaths[f].to_stop;
			if (lower(ws, to * 2 + KIND_FOOT, q->time + tt->footpaths[f].duration))
				ws->walked_from[to] = o | FROM_ORIGIN;
		}
	}
	while (ws->heap_len) {
		uint32_t node = heap_pop(ws);
		/* labels leave the heap in time order: all the rest are later */
		if (opts->max_duration > 0 && ws->label[node] > q->time + opts->max_duration)
			return 0;
		ws->done[node] = 1;
		if (ws->target[node / 2]) {
			int rc = rebuild(ws, q, node, err);
			if (rc)
				return rc;
			out->journey_count = 1;
			return 0;
		}
		settle(ws, node);
	}
	return 0;
}
