/* Accessibility: one-to-all RAPTOR for every departure step of a window,
 * percentiles of travel time per destination, cumulative opportunities with
 * decay; many origins on several threads. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"
#include "../core/grens_pool.h"

#define INF GRENS_ACCESS_UNREACHED

struct grens_access_result {
	grens_access_options opts;
	uint32_t count;	 /* origins computed */
	uint32_t places; /* places of the network */
	uint32_t stops;	 /* stops of the timetable */
	uint32_t kinds;
	uint32_t steps;
	uint32_t *origin;      /* [count] index into the run's origins[] */
	int32_t *place_time;   /* [count][percentiles][places] */
	uint32_t *reached;     /* [count][places] steps with the place reached */
	int32_t *stop_time;    /* [count][percentiles][stops] or NULL */
	double *opportunities; /* [count][percentiles][cutoffs][kinds] */
};

/* ---- helpers ------------------------------------------------------------------- */

double grens_access_decay_weight(grens_access_decay decay, int32_t param, int32_t cutoff, int32_t t)
{
	if (t == INF || t < 0)
		return 0.0;
	switch (decay) {
	case GRENS_ACCESS_DECAY_STEP:
		return t <= cutoff ? 1.0 : 0.0;
	case GRENS_ACCESS_DECAY_LINEAR: {
		double half = (double)param / 2.0;
		double lo = (double)cutoff - half, hi = (double)cutoff + half;
		if ((double)t <= lo)
			return 1.0;
		if ((double)t >= hi)
			return 0.0;
		return (hi - (double)t) / (double)param;
	}
	case GRENS_ACCESS_DECAY_EXP:
		if (t > cutoff || param <= 0)
			return 0.0;
		return exp2(-(double)t / (double)param);
	}
	return 0.0;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

int32_t grens_access_percentile(int32_t *values, uint32_t n, uint32_t p)
{
	if (!values && n)
		return GRENS_ACCESS_UNREACHED; /* NULL not allowed: docs/api.md */
	if (n == 0 || p == 0 || p > 100)
		return INF;
	qsort(values, n, sizeof(int32_t), cmp_i32);
	uint64_t rank = ((uint64_t)p * n + 99) / 100; /* ceil(p * n / 100), >= 1 */
	if (rank == 0)
		rank = 1;
	return values[rank - 1];
}

/* ---- the run ---------------------------------------------------------------------- */

struct run {
	const grens_access_network *net;
	const grens_timetable *tt;
	const grens_access_places *places;
	const grens_access_origin *origins;
	const grens_access_options *opts;
	grens_access_result *r;
	struct worker *workers; /* [threads], each a thread's (grens_pool_run) */
};

struct worker {
	struct run *run;
	grens_route_raptor *ws;
	int32_t *arrival;	  /* [stops] one query */
	int32_t *best;		  /* [stops] over the origin's groups */
	int32_t *place_tt;	  /* [steps][places] */
	int32_t *stop_tt;	  /* [steps][stops] or NULL */
	int32_t *column;	  /* [steps] */
	uint32_t *from;		  /* [MAX_LINKS or endpoints] */
	grens_access_link *links; /* sorted origin links */
	/* per group of origin stops with one access time (see step_arrivals) */
	uint32_t groups;
	uint32_t group_begin[GRENS_ACCESS_MAX_LINKS + 1]; /* into links */
	int32_t *cached[GRENS_ACCESS_MAX_LINKS]; /* exhaustive: [stops] one group's arrivals */
	int32_t *offset;	/* [endpoints] access seconds of from[] */
	int32_t *reach;		/* [stops] arrivals of the range query leaving at reach_at */
	int32_t reach_at;	/* GRENS_TIME_NONE: nothing yet */
	int32_t *crit;		/* sorted boarding deadlines */
	uint32_t crit_count, crit_next, crit_cap; /* crit_next: first at or after the step */
	grens_access_link
	    *walk; /* stops reached on foot from the origin: (stop, walk s), by group */
	uint32_t walk_begin[GRENS_ACCESS_MAX_LINKS + 1];
	uint32_t walk_cap;
	int32_t *walk_of; /* [stops] scratch, INF when unset */
	pthread_t thread;
	int rc;
	grens_error err;
};

static void worker_free(struct worker *w)
{
	grens_route_raptor_free(w->ws);
	free(w->arrival);
	free(w->best);
	free(w->place_tt);
	free(w->stop_tt);
	free(w->column);
	free(w->from);
	free(w->links);
	for (uint32_t g = 0; g < GRENS_ACCESS_MAX_LINKS; g++)
		free(w->cached[g]);
	free(w->offset);
	free(w->reach);
	free(w->crit);
	free(w->walk);
	free(w->walk_of);
}

/* A thread's worker; its routing workspace shares like's timetable arrays
 * (like NULL: the first worker, which makes them). */
static int worker_init(struct worker *w, struct run *run, grens_route_raptor *like, grens_error *err)
{
	const grens_timetable *tt = run->tt;
	uint32_t np = run->r->places, steps = run->r->steps;
	memset(w, 0, sizeof(*w));
	w->run = run;
	uint32_t mt = run->opts->route.max_transfers;
	int rc = like ? grens_route_raptor_new_like(&w->ws, like, mt, err)
		      : grens_route_raptor_new(&w->ws, tt, mt, err);
	if (rc)
		return rc;
	size_t cells;
	w->arrival = calloc((size_t)tt->stop_count + 1, sizeof(int32_t));
	w->best = calloc((size_t)tt->stop_count + 1, sizeof(int32_t));
	w->column = calloc((size_t)steps + 1, sizeof(int32_t));
	w->from = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	w->links = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(grens_access_link));
	w->offset = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(int32_t));
	w->reach = calloc((size_t)tt->stop_count + 1, sizeof(int32_t));
	if (grens_size_mul(steps, (size_t)np + 1, &cells))
		goto nomem;
	w->place_tt = calloc(cells, sizeof(int32_t));
	if (run->opts->keep_stop_times) {
		if (grens_size_mul(steps, (size_t)tt->stop_count + 1, &cells))
			goto nomem;
		w->stop_tt = calloc(cells, sizeof(int32_t));
		if (!w->stop_tt)
			goto nomem;
	}
	if (!w->arrival || !w->best || !w->column || !w->from || !w->links || !w->place_tt ||
	    !w->offset || !w->reach)
		goto nomem;
	w->walk_of = malloc(((size_t)tt->stop_count + 1) * sizeof(int32_t));
	if (!w->walk_of)
		goto nomem;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		w->walk_of[s] = INF;
	return 0;
nomem:
	worker_free(w);
	return grens_error_set(err, GRENS_ENOMEM, "cannot allocate an accessibility workspace");
}

static int cmp_link(const void *a, const void *b)
{
	const grens_access_link *x = a, *y = b;
	if (x->seconds != y->seconds)
		return (x->seconds > y->seconds) - (x->seconds < y->seconds);
	return (x->stop > y->stop) - (x->stop < y->stop);
}

/* The origin's stops with their access seconds, sorted by seconds, into
 * w->links; returns their number. */
static uint32_t origin_links(struct worker *w, const grens_access_origin *o)
{
	uint32_t n = 0;
	if (o->place != GRENS_NONE) {
		const grens_access_link *l;
		n = grens_access_network_links(w->run->net, o->place, &l);
		memcpy(w->links, l, (size_t)n * sizeof(*l));
	} else {
		for (uint32_t i = 0; i < o->stop_count; i++) {
			w->links[i].stop = o->stops[i];
			w->links[i].seconds = 0;
		}
		n = o->stop_count;
	}
	qsort(w->links, n, sizeof(*w->links), cmp_link);
	return n;
}

/* ---- earliest arrivals over the window ----------------------------------------
 *
 * Leaving the origin at time t, a journey either only walks (round 0: origin
 * stop o at t + access(o), a footpath target at that plus the walk) or first
 * boards some trip at a stop s of round 0, which it can iff t + walk(s) <=
 * departure, walk(s) being the least access plus footpath to s; call
 * departure - walk(s) that trip's boarding deadline. Between two deadlines
 * the set of boardable trips does not change, so every journey with a
 * vehicle from t is also one from the next deadline c >= t and the other way
 * round: arrivals by vehicle leaving at t equal those leaving at c. So each
 * departure step t takes min(t + walk, one-to-all at c), and the deadlines
 * are run from the latest to the earliest as one range query
 * (grens_route_raptor_range_next), each reusing the labels of the later ones.
 * exhaustive = true instead runs an independent one-to-all at every step for
 * every group of origin stops with one access time, as a reference. */

static int reserve(void **buf, uint32_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	if (n > UINT32_MAX / 2)
		return GRENS_ELIMIT;
	size_t bytes;
	if (grens_size_mul(n, size, &bytes))
		return GRENS_ELIMIT;
	void *nb = realloc(*buf, bytes);
	if (!nb)
		return GRENS_ENOMEM;
	*buf = nb;
	*cap = (uint32_t)n;
	return 0;
}

/* Round-0 stops of group g with their walk times, into w->walk. */
static int collect_walks(struct worker *w, uint32_t g, uint32_t *used)
{
	const grens_timetable *tt = w->run->tt;
	uint32_t start = *used;
	for (uint32_t i = w->group_begin[g]; i < w->group_begin[g + 1]; i++) {
		uint32_t o = w->links[i].stop;
		size_t fp = tt->footpath_offset[o + 1] - tt->footpath_offset[o];
		int rc = reserve((void **)&w->walk, &w->walk_cap, (size_t)*used + fp + 1,
				 sizeof(*w->walk));
		if (rc)
			return rc;
		if (w->walk_of[o] == INF)
			w->walk[(*used)++] = (grens_access_link){o, 0, GRENS_ACCESS_MODE_WALK};
		w->walk_of[o] = 0;
		for (uint32_t f = tt->footpath_offset[o]; f < tt->footpath_offset[o + 1]; f++) {
			uint32_t to = tt->footpaths[f].to_stop;
			int32_t d = tt->footpaths[f].duration;
			if (w->walk_of[to] == INF)
				w->walk[(*used)++] = (grens_access_link){to, d, GRENS_ACCESS_MODE_WALK};
			if (d < w->walk_of[to])
				w->walk_of[to] = d;
		}
	}
	for (uint32_t i = start; i < *used; i++) {
		w->walk[i].seconds = w->walk_of[w->walk[i].stop];
		w->walk_of[w->walk[i].stop] = INF;
	}
	return 0;
}

/* Boarding deadlines (origin departure times) within [lo, hi] of the round-0
 * stops of every group, plus the first one above hi, sorted and unique, into
 * w->crit[0..w->crit_count). A stop reached by several groups adds the
 * deadlines of each; the duplicates and the later ones change nothing. */
static int collect_deadlines(struct worker *w, int32_t lo, int32_t hi)
{
	const grens_timetable *tt = w->run->tt;
	grens_date date = w->run->opts->date;
	uint32_t used = 0;
	int32_t above = INF;
	for (uint32_t g = 0; g < w->groups; g++) {
		int32_t access = w->links[w->group_begin[g]].seconds;
		for (uint32_t i = w->walk_begin[g]; i < w->walk_begin[g + 1]; i++) {
			uint32_t s = w->walk[i].stop;
			int32_t walk = access + w->walk[i].seconds;
			for (uint32_t j = tt->stop_pattern_offset[s];
			     j < tt->stop_pattern_offset[s + 1]; j++) {
				uint32_t p = tt->stop_patterns[j].pattern,
					 pos = tt->stop_patterns[j].position;
				uint32_t t0 = tt->pattern_trip_offset[p],
					 t1 = tt->pattern_trip_offset[p + 1];
				uint32_t width =
				    tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
				/* no boarding at the last stop or where pickup is refused */
				if (pos + 1 >= width ||
				    (tt->pattern_stop_flags[tt->pattern_stop_offset[p] + pos] &
				     GRENS_NET_NO_PICKUP))
					continue;
				const grens_net_stop_time *st =
				    grens_net_pattern_times(tt, p);
				int rc = reserve((void **)&w->crit, &w->crit_cap,
						 (size_t)used + 2u * (t1 - t0) + 1, sizeof(int32_t));
				if (rc)
					return rc;
				for (uint32_t k = 0; k < t1 - t0; k++) {
					int32_t dep = st[(size_t)k * width + pos].departure;
					for (int day = 0; day >= -1; day--) {
						if (!grens_net_trip_runs(tt, t0 + k, date + day))
							continue;
						int64_t c = (int64_t)dep + day * 86400 - walk;
						if (c < lo)
							continue;
						if (c <= hi)
							w->crit[used++] = (int32_t)c;
						else if (c < above)
							above = (int32_t)c;
					}
				}
			}
		}
	}
	if (above != INF)
		w->crit[used++] = above;
	if (used > 1) {
		qsort(w->crit, used, sizeof(int32_t), cmp_i32);
		uint32_t m = 1;
		for (uint32_t i = 1; i < used; i++)
			if (w->crit[i] != w->crit[m - 1])
				w->crit[m++] = w->crit[i];
		used = m;
	}
	w->crit_count = used;
	return 0;
}

/* Split the origin's links into groups of one access time, prepare each
 * group's walks, and either the deadlines with a range query over them or
 * (exhaustive) each group's cache. */
static int prepare_groups(struct worker *w, uint32_t nlinks)
{
	const grens_access_options *opts = w->run->opts;
	const grens_timetable *tt = w->run->tt;
	uint32_t g = 0, walks = 0;
	int rc = 0;
	for (uint32_t i = 0; i < nlinks;) {
		uint32_t e = i;
		while (e < nlinks && w->links[e].seconds == w->links[i].seconds)
			e++;
		w->group_begin[g] = i;
		w->group_begin[g + 1] = e;
		g++;
		i = e;
	}
	w->groups = g;
	for (g = 0; g < w->groups && !rc; g++) {
		w->walk_begin[g] = walks;
		rc = collect_walks(w, g, &walks);
		w->walk_begin[g + 1] = walks;
		if (!rc && opts->exhaustive && !w->cached[g]) {
			w->cached[g] = malloc(((size_t)tt->stop_count + 1) * sizeof(int32_t));
			if (!w->cached[g])
				rc = GRENS_ENOMEM;
		}
	}
	if (!rc && !opts->exhaustive)
		rc = collect_deadlines(w, opts->window_start, opts->window_end);
	if (rc)
		return grens_error_set(&w->err, rc, "cannot prepare an origin: %s",
				       grens_strerror(rc));
	w->crit_next = w->crit_count;
	w->reach_at = GRENS_TIME_NONE;
	if (opts->exhaustive || w->crit_count == 0)
		return 0; /* e.g. a place without stops: nothing to route */
	for (uint32_t i = 0; i < nlinks; i++) {
		w->from[i] = w->links[i].stop;
		w->offset[i] = w->links[i].seconds;
	}
	grens_route_query q = {
	    .from = w->from, .from_count = nlinks, .date = opts->date, .time = opts->window_start};
	grens_route_options ro = opts->route;
	ro.max_duration = opts->max_duration;
	return grens_route_raptor_range_start(w->ws, &q, w->offset, &ro, &w->err);
}

static int one_to_all(struct worker *w, uint32_t g, int32_t at, int32_t *out)
{
	uint32_t n = 0;
	for (uint32_t i = w->group_begin[g]; i < w->group_begin[g + 1]; i++)
		w->from[n++] = w->links[i].stop;
	grens_route_query q = {
	    .from = w->from, .from_count = n, .date = w->run->opts->date, .time = at};
	return grens_route_raptor_one_to_all(w->ws, &q, &w->run->opts->route, out, &w->err);
}

/* Earliest arrival at every stop leaving the origin at t (steps in
 * decreasing t), into w->best. */
static int step_arrivals(struct worker *w, int32_t t)
{
	const grens_timetable *tt = w->run->tt;
	const grens_access_options *opts = w->run->opts;
	size_t bytes = (size_t)tt->stop_count * sizeof(int32_t);
	if (opts->exhaustive) {
		for (uint32_t s = 0; s < tt->stop_count; s++)
			w->best[s] = INF;
		for (uint32_t g = 0; g < w->groups; g++) {
			int32_t u = t + w->links[w->group_begin[g]].seconds;
			int rc = one_to_all(w, g, u, w->cached[g]);
			if (rc)
				return rc;
			for (uint32_t s = 0; s < tt->stop_count; s++)
				if (w->cached[g][s] < w->best[s])
					w->best[s] = w->cached[g][s];
		}
	} else {
		/* the first deadline at or after t */
		while (w->crit_next > 0 && w->crit[w->crit_next - 1] >= t)
			w->crit_next--;
		if (w->crit_next == w->crit_count) {
			/* no vehicle can be boarded any more */
			for (uint32_t s = 0; s < tt->stop_count; s++)
				w->best[s] = INF;
		} else {
			int32_t c = w->crit[w->crit_next];
			if (w->reach_at != c) {
				int rc = grens_route_raptor_range_next(w->ws, c, w->reach, &w->err);
				if (rc)
					return rc;
				w->reach_at = c;
			}
			memcpy(w->best, w->reach, bytes);
		}
	}
	for (uint32_t g = 0; g < w->groups; g++) {
		int32_t u = t + w->links[w->group_begin[g]].seconds;
		for (uint32_t i = w->walk_begin[g]; i < w->walk_begin[g + 1]; i++) {
			int32_t a = u + w->walk[i].seconds;
			if (a < w->best[w->walk[i].stop])
				w->best[w->walk[i].stop] = a;
		}
	}
	return 0;
}

static int run_origin(struct worker *w, uint32_t slot)
{
	struct run *run = w->run;
	grens_access_result *r = run->r;
	const grens_timetable *tt = run->tt;
	const grens_access_options *opts = run->opts;
	const grens_access_origin *o = &run->origins[r->origin[slot]];
	uint32_t np = r->places, steps = r->steps, P = opts->percentile_count;
	uint32_t nlinks = origin_links(w, o);
	int rc = prepare_groups(w, nlinks);
	if (rc)
		return rc;

	for (uint32_t i = steps; i-- > 0;) {
		int32_t t = opts->window_start + (int32_t)i * opts->step;
		rc = step_arrivals(w, t);
		if (rc)
			return rc;
		int32_t *row = w->place_tt + (size_t)i * np;
		for (uint32_t p = 0; p < np; p++) {
			const grens_access_link *l;
			uint32_t n = grens_access_network_links(run->net, p, &l);
			int64_t best = INF;
			for (uint32_t j = 0; j < n; j++) {
				int32_t a = w->best[l[j].stop];
				if (a == INF)
					continue;
				int64_t v = (int64_t)a + l[j].seconds - t;
				if (v < best)
					best = v;
			}
			row[p] =
			    best >= INF || (opts->max_duration > 0 && best > opts->max_duration)
				? INF
				: (int32_t)best;
		}
		if (o->place != GRENS_NONE)
			row[o->place] = 0;
		if (w->stop_tt) {
			int32_t *srow = w->stop_tt + (size_t)i * tt->stop_count;
			for (uint32_t s = 0; s < tt->stop_count; s++) {
				int32_t v = w->best[s] == INF ? INF : w->best[s] - t;
				srow[s] =
				    opts->max_duration > 0 && v > opts->max_duration ? INF : v;
			}
		}
	}

	/* percentiles per place, then opportunities */
	for (uint32_t p = 0; p < np; p++) {
		uint32_t reached = 0;
		for (uint32_t i = 0; i < steps; i++)
			reached += w->place_tt[(size_t)i * np + p] != INF;
		r->reached[(size_t)slot * np + p] = reached;
		for (uint32_t k = 0; k < P; k++) {
			for (uint32_t i = 0; i < steps; i++)
				w->column[i] = w->place_tt[(size_t)i * np + p];
			r->place_time[((size_t)slot * P + k) * np + p] =
			    grens_access_percentile(w->column, steps, opts->percentiles[k]);
		}
	}
	if (w->stop_tt) {
		for (uint32_t s = 0; s < tt->stop_count; s++)
			for (uint32_t k = 0; k < P; k++) {
				for (uint32_t i = 0; i < steps; i++)
					w->column[i] = w->stop_tt[(size_t)i * tt->stop_count + s];
				r->stop_time[((size_t)slot * P + k) * tt->stop_count + s] =
				    grens_access_percentile(w->column, steps, opts->percentiles[k]);
			}
	}
	uint32_t C = opts->cutoff_count, K = r->kinds;
	for (uint32_t k = 0; k < P; k++)
		for (uint32_t c = 0; c < C; c++) {
			double *sum = r->opportunities + (((size_t)slot * P + k) * C + c) * K;
			for (uint32_t p = 0; p < np; p++) {
				int32_t t = r->place_time[((size_t)slot * P + k) * np + p];
				double wgt = grens_access_decay_weight(
				    opts->decay, opts->decay_param, opts->cutoffs[c], t);
				if (wgt == 0.0)
					continue;
				const double *v =
				    grens_access_places_get(run->places, p)->opportunities;
				for (uint32_t q = 0; q < K; q++)
					sum[q] += wgt * v[q];
			}
		}
	return 0;
}

/* One origin (result slot) on the worker of its thread. */
static int origin_unit(void *ctx, uint32_t slot, uint32_t thread, grens_error *err)
{
	struct run *run = ctx;
	struct worker *w = &run->workers[thread];
	int rc = run_origin(w, slot);
	if (rc && err)
		*err = w->err;
	return rc;
}

static void origin_done(void *ctx, uint32_t finished, uint32_t units)
{
	struct run *run = ctx;
	grens_progress_report(&run->opts->progress, "origins", finished, units);
}

void grens_access_result_free(grens_access_result *r)
{
	if (!r)
		return;
	free(r->origin);
	free(r->place_time);
	free(r->reached);
	free(r->stop_time);
	free(r->opportunities);
	free(r);
}

static int check_options(const grens_access_network *net, const grens_access_origin *origins,
			 uint32_t origin_count, const grens_access_options *o, grens_error *err)
{
	if (!net || !o || (origin_count && !origins))
		return grens_error_set(err, GRENS_EARG, "no network, origins or options");
	if (o->step <= 0 || o->window_start < 0 || o->window_end < o->window_start ||
	    o->window_end > GRENS_LIMIT_MAX_HOURS * 3600 - 86400 ||
	    (uint64_t)(o->window_end - o->window_start) / (uint64_t)o->step + 1 >
		GRENS_ROUTE_MAX_STEPS)
		return grens_error_set(err, GRENS_EARG, "bad window %d..%d with step %d",
				       o->window_start, o->window_end, o->step);
	if (o->cutoff_count == 0 || o->cutoff_count > GRENS_ACCESS_MAX_CUTOFFS)
		return grens_error_set(err, GRENS_EARG, "need 1 to %u cutoffs",
				       GRENS_ACCESS_MAX_CUTOFFS);
	for (uint32_t c = 0; c < o->cutoff_count; c++)
		if (o->cutoffs[c] < 0 || o->cutoffs[c] > 7 * 86400)
			return grens_error_set(err, GRENS_EARG, "cutoff %d s out of range",
					       o->cutoffs[c]);
	if (o->percentile_count == 0 || o->percentile_count > GRENS_ACCESS_MAX_PERCENTILES)
		return grens_error_set(err, GRENS_EARG, "need 1 to %u percentiles",
				       GRENS_ACCESS_MAX_PERCENTILES);
	for (uint32_t p = 0; p < o->percentile_count; p++)
		if (o->percentiles[p] < 1 || o->percentiles[p] > 100)
			return grens_error_set(err, GRENS_EARG, "percentile %u not in 1..100",
					       o->percentiles[p]);
	if ((o->decay == GRENS_ACCESS_DECAY_LINEAR || o->decay == GRENS_ACCESS_DECAY_EXP) &&
	    (o->decay_param <= 0 || o->decay_param > 86400))
		return grens_error_set(err, GRENS_EARG,
				       "the decay needs a width or half-life "
				       "of 1 to 86400 s");
	if (o->decay != GRENS_ACCESS_DECAY_STEP && o->decay != GRENS_ACCESS_DECAY_LINEAR &&
	    o->decay != GRENS_ACCESS_DECAY_EXP)
		return grens_error_set(err, GRENS_EARG, "unknown decay function");
	if (o->max_duration < 0 || o->max_duration > 7 * 86400)
		return grens_error_set(err, GRENS_EARG, "max duration %d s out of range",
				       o->max_duration);
	if (o->shard_count == 0 || o->shard_index >= o->shard_count)
		return grens_error_set(err, GRENS_EARG, "shard %u/%u: need index < count",
				       o->shard_index, o->shard_count);
	if (o->threads > GRENS_ACCESS_MAX_THREADS)
		return grens_error_set(err, GRENS_EARG, "at most %u threads",
				       GRENS_ACCESS_MAX_THREADS);
	const grens_timetable *tt = net->tt;
	uint32_t np = grens_access_places_count(net->places);
	for (uint32_t i = 0; i < origin_count; i++) {
		const grens_access_origin *x = &origins[i];
		if (x->place != GRENS_NONE) {
			if (x->place >= np)
				return grens_error_set(err, GRENS_EARG,
						       "origin %u: place %u out of range", i,
						       x->place);
			continue;
		}
		if (x->stop_count == 0 || x->stop_count > GRENS_ROUTE_MAX_ENDPOINTS || !x->stops)
			return grens_error_set(err, GRENS_EARG, "origin %u: needs 1 to %u stops", i,
					       GRENS_ROUTE_MAX_ENDPOINTS);
		for (uint32_t s = 0; s < x->stop_count; s++)
			if (x->stops[s] >= tt->stop_count)
				return grens_error_set(err, GRENS_EARG,
						       "origin %u: stop %u out of range", i,
						       x->stops[s]);
	}
	return 0;
}

int grens_access_run(grens_access_result **out, const grens_access_network *net,
		     const grens_access_origin *origins, uint32_t origin_count,
		     const grens_access_options *opts, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_run: out is NULL");
	if (!net)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_run: net is NULL");
	if (!origins && origin_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_run: origins is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_run: opts is NULL");
	if (opts->version != GRENS_ACCESS_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_access_run: options version %u, not %u (GRENS_ACCESS_OPTIONS_INIT)",
		    opts->version, GRENS_ACCESS_OPTIONS_VERSION);
	*out = NULL;
	int rc = check_options(net, origins, origin_count, opts, err);
	if (rc)
		return rc;
	const grens_timetable *tt = net->tt;
	grens_access_result *r = calloc(1, sizeof(*r));
	struct worker *workers = NULL;
	uint32_t nthreads = opts->threads ? opts->threads : 1, started = 0;
	struct run run = {
	    .net = net, .tt = tt, .places = net->places, .origins = origins, .opts = opts};
	grens_timetable *window_tt = NULL;
	if (!r)
		goto nomem;
	if (opts->max_duration > 0) {
		/* journeys leave at or after the window start and count only when
		 * they arrive by the window end plus the longest travel time */
		if ((rc = access_horizon_new(&window_tt, tt, opts->date, opts->window_start,
					     opts->window_end + opts->max_duration, err)))
			goto fail;
		run.tt = window_tt;
	}
	r->opts = *opts;
	r->opts.progress.fn = NULL;
	r->opts.progress.ctx = NULL;
	r->places = grens_access_places_count(net->places);
	r->stops = tt->stop_count;
	r->kinds = grens_access_places_kind_count(net->places);
	r->steps = (uint32_t)((opts->window_end - opts->window_start) / opts->step) + 1;
	for (uint32_t i = 0; i < origin_count; i++)
		r->count += i % opts->shard_count == opts->shard_index;
	uint32_t P = opts->percentile_count, C = opts->cutoff_count;
	size_t n1, n2, n3;
	if (grens_size_mul((size_t)r->count * P, (size_t)r->places + 1, &n1) ||
	    grens_size_mul((size_t)r->count * P * C, (size_t)r->kinds + 1, &n2) ||
	    grens_size_mul((size_t)r->count * P, (size_t)r->stops + 1, &n3)) {
		grens_access_result_free(r);
		return grens_error_set(err, GRENS_ELIMIT, "accessibility result too large");
	}
	r->origin = calloc((size_t)r->count + 1, sizeof(uint32_t));
	r->place_time = calloc(n1, sizeof(int32_t));
	r->reached = calloc((size_t)r->count * r->places + 1, sizeof(uint32_t));
	r->opportunities = calloc(n2, sizeof(double));
	if (!r->origin || !r->place_time || !r->reached || !r->opportunities)
		goto nomem;
	if (opts->keep_stop_times) {
		r->stop_time = calloc(n3, sizeof(int32_t));
		if (!r->stop_time)
			goto nomem;
	}
	for (uint32_t i = 0, k = 0; i < origin_count; i++)
		if (i % opts->shard_count == opts->shard_index)
			r->origin[k++] = i;
	run.r = r;
	if (nthreads > r->count)
		nthreads = r->count ? r->count : 1;
	workers = calloc(nthreads, sizeof(*workers));
	if (!workers)
		goto nomem;
	for (uint32_t i = 0; i < nthreads; i++) {
		if ((rc = worker_init(&workers[i], &run, i ? workers[0].ws : NULL, err)))
			goto fail;
		started = i + 1;
	}
	run.workers = workers;
	if ((rc = grens_pool_run(nthreads, r->count, origin_unit, origin_done, &run, err)))
		goto fail;
	for (uint32_t i = 0; i < started; i++)
		worker_free(&workers[i]);
	free(workers);
	access_horizon_free(window_tt);
	*out = r;
	return 0;
nomem:
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory for the accessibility run");
fail:
	for (uint32_t i = 0; i < started; i++)
		worker_free(&workers[i]);
	free(workers);
	access_horizon_free(window_tt);
	grens_access_result_free(r);
	return rc;
}

/* ---- result access ------------------------------------------------------------------ */

uint32_t grens_access_result_count(const grens_access_result *r)
{
	if (!r)
		return 0; /* NULL not allowed: docs/api.md */
	return r->count;
}

uint32_t grens_access_result_origin(const grens_access_result *r, uint32_t i)
{
	if (!r)
		return GRENS_NONE; /* NULL not allowed: docs/api.md */
	return i < r->count ? r->origin[i] : GRENS_NONE;
}

const grens_access_options *grens_access_result_options(const grens_access_result *r)
{
	if (!r)
		return NULL; /* NULL not allowed: docs/api.md */
	return &r->opts;
}

uint32_t grens_access_result_steps(const grens_access_result *r)
{
	if (!r)
		return 0; /* NULL not allowed: docs/api.md */
	return r->steps;
}

double grens_access_result_opportunities(const grens_access_result *r, uint32_t i, uint32_t p,
					 uint32_t c, uint32_t kind)
{
	if (!r)
		return 0.0; /* NULL not allowed: docs/api.md */
	uint32_t P = r->opts.percentile_count, C = r->opts.cutoff_count;
	if (i >= r->count || p >= P || c >= C || kind >= r->kinds)
		return NAN;
	return r->opportunities[(((size_t)i * P + p) * C + c) * r->kinds + kind];
}

int32_t grens_access_result_place_time(const grens_access_result *r, uint32_t i, uint32_t p,
				       uint32_t place)
{
	if (!r)
		return GRENS_ACCESS_UNREACHED; /* NULL not allowed: docs/api.md */
	uint32_t P = r->opts.percentile_count;
	if (i >= r->count || p >= P || place >= r->places)
		return INF;
	return r->place_time[((size_t)i * P + p) * r->places + place];
}

int32_t grens_access_result_stop_time(const grens_access_result *r, uint32_t i, uint32_t p,
				      uint32_t stop)
{
	if (!r)
		return GRENS_ACCESS_UNREACHED; /* NULL not allowed: docs/api.md */
	uint32_t P = r->opts.percentile_count;
	if (!r->stop_time || i >= r->count || p >= P || stop >= r->stops)
		return INF;
	return r->stop_time[((size_t)i * P + p) * r->stops + stop];
}

uint32_t grens_access_result_place_reached(const grens_access_result *r, uint32_t i, uint32_t place)
{
	if (!r)
		return 0; /* NULL not allowed: docs/api.md */
	if (i >= r->count || place >= r->places)
		return 0;
	return r->reached[(size_t)i * r->places + place];
}

/* ---- comparison --------------------------------------------------------------------- */

int grens_access_compare(grens_access_delta **out, uint32_t *n, const grens_access_result *a,
			 const grens_access_result *b, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_compare: out is NULL");
	if (!n)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_compare: n is NULL");
	if (!a)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_compare: a is NULL");
	if (!b)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_compare: b is NULL");
	*out = NULL;
	*n = 0;
	const grens_access_options *x = &a->opts, *y = &b->opts;
	if (a->count != b->count || a->kinds != b->kinds ||
	    x->percentile_count != y->percentile_count || x->cutoff_count != y->cutoff_count ||
	    memcmp(x->percentiles, y->percentiles, x->percentile_count) != 0 ||
	    memcmp(x->cutoffs, y->cutoffs, x->cutoff_count * sizeof(int32_t)) != 0)
		return grens_error_set(err, GRENS_EARG,
				       "the runs differ in origins, percentiles, cutoffs or kinds");
	for (uint32_t i = 0; i < a->count; i++)
		if (a->origin[i] != b->origin[i])
			return grens_error_set(err, GRENS_EARG, "the runs have different origins");
	size_t total;
	if (grens_size_mul((size_t)a->count * x->percentile_count * x->cutoff_count, a->kinds,
			   &total) ||
	    total > UINT32_MAX)
		return grens_error_set(err, GRENS_ELIMIT, "comparison too large");
	grens_access_delta *d = calloc(total + 1, sizeof(*d));
	if (!d)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for the comparison");
	size_t m = 0;
	for (uint32_t i = 0; i < a->count; i++)
		for (uint32_t p = 0; p < x->percentile_count; p++)
			for (uint32_t c = 0; c < x->cutoff_count; c++)
				for (uint32_t k = 0; k < a->kinds; k++) {
					double va =
					    grens_access_result_opportunities(a, i, p, c, k);
					double vb =
					    grens_access_result_opportunities(b, i, p, c, k);
					d[m++] = (grens_access_delta){.origin = a->origin[i],
								      .percentile = p,
								      .cutoff = c,
								      .kind = k,
								      .base = va,
								      .alternative = vb,
								      .delta = vb - va};
				}
	*out = d;
	*n = (uint32_t)m;
	return 0;
}
