/* Origin-destination pairs over a departure window, on several networks
 * (grens/access.h: grens_access_od_run), the networks on several threads. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "grens/access.h"
#include "../core/grens_pool.h"

struct grens_access_od_result {
	grens_access_od_options opts; /* dates point into dates[] */
	grens_date dates[GRENS_ACCESS_OD_MAX_DATES];
	uint32_t network_count;
	const grens_timetable *tt[GRENS_ACCESS_OD_MAX_NETWORKS];
	const grens_rt_overlay *rt[GRENS_ACCESS_OD_MAX_NETWORKS];
	uint32_t pair_count, steps; /* steps per profile */
	uint32_t row_count;
	grens_access_od_row *rows;
	grens_route_profile_step *profiles; /* [row][step] */
	grens_route_journey *journeys;	    /* [row] */
	bool *has_journey;		    /* [row] */
	grens_route_leg *legs;		    /* of all journeys, leg_offset into it */
	uint32_t leg_count, leg_cap;
};

void grens_access_od_result_free(grens_access_od_result *r)
{
	if (!r)
		return;
	free(r->rows);
	free(r->profiles);
	free(r->journeys);
	free(r->has_journey);
	free(r->legs);
	free(r);
}

static int check(const grens_access_od_network *networks, uint32_t network_count,
		 uint32_t place_count, const grens_access_od_pair *pairs, uint32_t pair_count,
		 const grens_access_od_options *o, grens_error *err)
{
	if (network_count == 0 || network_count > GRENS_ACCESS_OD_MAX_NETWORKS)
		return grens_error_set(err, network_count ? GRENS_ELIMIT : GRENS_EARG,
				       "%u networks: give 1 to %u", network_count,
				       GRENS_ACCESS_OD_MAX_NETWORKS);
	if (o->date_count == 0 || o->date_count > GRENS_ACCESS_OD_MAX_DATES || !o->dates)
		return grens_error_set(err, o->date_count ? GRENS_ELIMIT : GRENS_EARG,
				       "%u dates: give 1 to %u", o->date_count,
				       GRENS_ACCESS_OD_MAX_DATES);
	if (o->step <= 0 || o->window_end < o->window_start)
		return grens_error_set(err, GRENS_EARG, "bad window %d-%d step %d",
				       o->window_start, o->window_end, o->step);
	if ((o->window_end - o->window_start) / o->step + 1 > (int32_t)GRENS_ROUTE_MAX_STEPS)
		return grens_error_set(err, GRENS_ELIMIT, "the window has more than %u steps",
				       GRENS_ROUTE_MAX_STEPS);
	if (o->max_transfers > GRENS_ROUTE_MAX_TRANSFERS)
		return grens_error_set(err, GRENS_EARG, "max_transfers %u is over %u",
				       o->max_transfers, GRENS_ROUTE_MAX_TRANSFERS);
	for (uint32_t n = 0; n < network_count; n++) {
		if (!networks[n].tt || (place_count && !networks[n].places))
			return grens_error_set(err, GRENS_EARG,
					       "network %u has no timetable or no places", n);
		for (uint32_t k = 0; k < place_count; k++) {
			const grens_access_od_stops *p = &networks[n].places[k];
			if (!p->count || !p->stops)
				return grens_error_set(err, GRENS_EARG,
						       "place %u has no stops in network %u", k, n);
			for (uint32_t s = 0; s < p->count; s++)
				if (p->stops[s] >= networks[n].tt->stop_count)
					return grens_error_set(
					    err, GRENS_EARG,
					    "place %u: stop %u out of range in network %u", k,
					    p->stops[s], n);
		}
	}
	for (uint32_t i = 0; i < pair_count; i++)
		if (pairs[i].from >= place_count || pairs[i].to >= place_count)
			return grens_error_set(err, GRENS_EARG,
					       "pair %u: place index out of range (%u places)", i,
					       place_count);
	if (o->threads > GRENS_ACCESS_MAX_THREADS)
		return grens_error_set(err, GRENS_EARG, "%u threads: at most %u", o->threads,
				       GRENS_ACCESS_MAX_THREADS);
	const grens_access_od_result *b = o->base;
	if (b && (b->pair_count != pair_count || b->opts.date_count != o->date_count ||
		  b->opts.window_start != o->window_start || b->opts.window_end != o->window_end ||
		  b->opts.step != o->step ||
		  memcmp(b->dates, o->dates, o->date_count * sizeof(*o->dates)) != 0))
		return grens_error_set(err, GRENS_EARG,
				       "the base run has other pairs, dates or another window");
	return 0;
}

/* The legs of the best journeys one thread keeps, joined in row order when
 * the run is done. */
struct od_legs {
	grens_route_leg *v;
	uint32_t n, cap;
};

/* Keep journeys[0] of res as row's best journey, its legs in legs (the
 * journey's leg_offset counts from there until the run joins them). */
static int keep_journey(grens_access_od_result *r, uint32_t row, const grens_route_result *res,
			struct od_legs *legs, grens_error *err)
{
	const grens_route_journey *j = &res->journeys[0];
	if (j->leg_count > GRENS_ROUTE_MAX_LEGS)
		return grens_error_set(err, GRENS_ELIMIT, "a journey of %u legs", j->leg_count);
	if (j->leg_count > legs->cap - legs->n) {
		uint32_t cap = legs->cap ? legs->cap : 64;
		while (cap - legs->n < j->leg_count)
			cap *= 2;
		grens_route_leg *v = realloc(legs->v, (size_t)cap * sizeof(*v));
		if (!v)
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
		legs->v = v;
		legs->cap = cap;
	}
	memcpy(legs->v + legs->n, res->legs + j->leg_offset, (size_t)j->leg_count * sizeof(*legs->v));
	r->journeys[row] = *j;
	r->journeys[row].leg_offset = legs->n;
	r->has_journey[row] = true;
	legs->n += j->leg_count;
	return 0;
}

/* The departure of the first journey found leaving at time or later. */
static int first_journey(grens_route_raptor *ws, grens_route_query *q, int32_t time,
			 const grens_route_options *ro, int32_t *departure, grens_error *err)
{
	grens_route_result res;
	q->time = time;
	int rc = grens_route_raptor_route(ws, q, ro, &res, err);
	if (rc == 0 && res.journey_count)
		*departure = res.journeys[0].departure;
	return rc;
}

/* One pair on one date in one network, once its profile is in: the
 * summary, the first and last departure and the best journey. */
static int finish_row(grens_access_od_result *r, uint32_t row, grens_route_raptor *ws,
		      grens_route_query *q, const grens_route_options *ro, struct od_legs *legs,
		      grens_error *err)
{
	const grens_access_od_options *o = &r->opts;
	grens_access_od_row *out = &r->rows[row];
	grens_route_profile_step *steps = r->profiles + (size_t)row * r->steps;
	int rc;
	grens_route_profile_summarize(steps, r->steps, o->threshold, &out->summary);
	out->first_departure = out->last_departure = out->best_step = GRENS_ROUTE_UNREACHED;
	int32_t best_time = INT32_MAX, last_step = GRENS_ROUTE_UNREACHED;
	for (uint32_t i = 0; i < r->steps; i++) {
		if (steps[i].arrival == GRENS_ROUTE_UNREACHED)
			continue;
		int32_t t = steps[i].arrival - steps[i].departure;
		if (t < best_time) {
			best_time = t;
			out->best_step = steps[i].departure;
		}
		last_step = steps[i].departure;
	}
	if (out->best_step == GRENS_ROUTE_UNREACHED)
		return 0;
	if ((rc = first_journey(ws, q, o->window_start, ro, &out->first_departure, err)) ||
	    (rc = first_journey(ws, q, last_step, ro, &out->last_departure, err)))
		return rc;
	grens_route_result res;
	q->time = out->best_step;
	if ((rc = grens_route_raptor_route(ws, q, ro, &res, err)))
		return rc;
	return res.journey_count ? keep_journey(r, row, &res, legs, err) : 0;
}

static int32_t delta_or_none(int32_t v, int32_t base)
{
	return v == GRENS_ROUTE_UNREACHED || base == GRENS_ROUTE_UNREACHED
		   ? GRENS_ROUTE_UNREACHED
		   : v - base;
}

/* The changes of row against base_row (steps over the same window). */
static void set_deltas(grens_access_od_row *row, const grens_route_profile_step *steps,
		       const grens_access_od_row *base_row, const grens_route_profile_step *base,
		       uint32_t n, bool is_base)
{
	const grens_route_profile_summary *s = &row->summary, *b = &base_row->summary;
	row->delta_min = delta_or_none(s->min, b->min);
	row->delta_median = delta_or_none(s->median, b->median);
	row->delta_p90 = delta_or_none(s->p90, b->p90);
	row->delta_transfers = s->mean_transfers - b->mean_transfers; /* NAN stays */
	row->delta_share = s->share_under - b->share_under;
	if (is_base) {
		row->delta_train = 0;
		row->train_departure = GRENS_ROUTE_UNREACHED;
	} else {
		grens_route_profile_train_saving(base, steps, n, &row->delta_train,
						 &row->train_departure);
	}
}

static int alloc_result(grens_access_od_result **out, uint32_t network_count, uint32_t pair_count,
			const grens_access_od_options *opts, grens_error *err)
{
	grens_access_od_result *r = calloc(1, sizeof(*r));
	if (!r)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	r->opts = *opts;
	memcpy(r->dates, opts->dates, opts->date_count * sizeof(*opts->dates));
	r->opts.dates = r->dates;
	r->opts.base = NULL;
	r->network_count = network_count;
	r->pair_count = pair_count;
	r->steps = (uint32_t)((opts->window_end - opts->window_start) / opts->step + 1);
	/* at most 2^32 pairs x 64 dates x 64 networks: counted in size_t */
	size_t rows = (size_t)pair_count * opts->date_count * network_count;
	if (rows > UINT32_MAX || rows > SIZE_MAX / sizeof(*r->profiles) / r->steps) {
		free(r);
		return grens_error_set(err, GRENS_ELIMIT, "%zu rows are too many", rows);
	}
	r->row_count = (uint32_t)rows;
	r->rows = calloc(rows ? rows : 1, sizeof(*r->rows));
	r->journeys = calloc(rows ? rows : 1, sizeof(*r->journeys));
	r->has_journey = calloc(rows ? rows : 1, sizeof(*r->has_journey));
	r->profiles = calloc((rows ? rows : 1) * r->steps, sizeof(*r->profiles));
	if (!r->rows || !r->journeys || !r->has_journey || !r->profiles) {
		grens_access_od_result_free(r);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for %zu rows", rows);
	}
	*out = r;
	return 0;
}

/* A run in phases, each a count of units that its threads take one by one
 * (grens_pool_run):
 * the workspaces of each network (one per thread, sharing the network's
 * per-timetable arrays), then the profiles in slices of the window, then
 * each row's summary and journeys. A profile step does not depend on the
 * steps around it, so neither the slicing nor the threads change a result. */
struct od_run {
	grens_access_od_result *r;
	const grens_access_od_network *networks;
	const grens_access_od_pair *pairs;
	uint32_t threads, chunks, chunk_steps;
	grens_route_raptor **ws; /* [thread * networks + network] */
	struct od_legs *legs;	 /* [thread] */
	uint32_t *leg_thread;	 /* [row] whose legs buffer holds its journey's legs */
};

static void row_query(const struct od_run *run, uint32_t row, grens_route_query *q,
		      grens_route_options *ro)
{
	const grens_access_od_result *r = run->r;
	const grens_access_od_row *w = &r->rows[row];
	const grens_access_od_network *net = &run->networks[w->network];
	const grens_access_od_stops *f = &net->places[run->pairs[w->pair].from],
				    *t = &net->places[run->pairs[w->pair].to];
	*q = (grens_route_query){ f->stops, f->count, t->stops, t->count, r->opts.dates[w->date],
				  r->opts.window_start };
	*ro = (grens_route_options)GRENS_ROUTE_OPTIONS_INIT;
	ro->max_transfers = r->opts.max_transfers;
	ro->rt = net->rt;
}

/* Phase 1, unit = network: its workspace, and one like it per further thread. */
static int unit_workspaces(void *ctx, uint32_t n, uint32_t thread, grens_error *err)
{
	struct od_run *run = ctx;
	uint32_t nn = run->r->network_count, mt = run->r->opts.max_transfers;
	int rc = grens_route_raptor_new(&run->ws[n], run->networks[n].tt, mt, err);
	for (uint32_t t = 1; !rc && t < run->threads; t++)
		rc = grens_route_raptor_new_like(&run->ws[(size_t)t * nn + n], run->ws[n], mt, err);
	return rc;
}

/* Phase 2, unit = (row, slice of the window): the profile steps of the slice. */
static int unit_profile(void *ctx, uint32_t u, uint32_t thread, grens_error *err)
{
	struct od_run *run = ctx;
	grens_access_od_result *r = run->r;
	uint32_t row = u / run->chunks, a = (u % run->chunks) * run->chunk_steps;
	if (a >= r->steps)
		return 0;
	uint32_t b = a + run->chunk_steps < r->steps ? a + run->chunk_steps : r->steps;
	grens_route_query q;
	grens_route_options ro;
	row_query(run, row, &q, &ro);
	grens_route_raptor *ws = run->ws[(size_t)thread * r->network_count + r->rows[row].network];
	const grens_access_od_options *o = &r->opts;
	return grens_route_raptor_profile(ws, &q, o->window_start + (int32_t)a * o->step,
				    o->window_start + (int32_t)(b - 1) * o->step, o->step, &ro,
				    r->profiles + (size_t)row * r->steps + a, err);
}

/* Phase 3, unit = row: its summary and journeys. */
static int unit_finish(void *ctx, uint32_t row, uint32_t thread, grens_error *err)
{
	struct od_run *run = ctx;
	grens_access_od_result *r = run->r;
	grens_route_query q;
	grens_route_options ro;
	row_query(run, row, &q, &ro);
	run->leg_thread[row] = thread;
	return finish_row(r, row, run->ws[(size_t)thread * r->network_count + r->rows[row].network],
			  &q, &ro, &run->legs[thread], err);
}

int grens_access_od_run(grens_access_od_result **out, const grens_access_od_network *networks,
			uint32_t network_count, uint32_t place_count,
			const grens_access_od_pair *pairs, uint32_t pair_count,
			const grens_access_od_options *opts, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_od_run: out is NULL");
	*out = NULL;
	if (!networks)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_od_run: networks is NULL");
	if (!pairs && pair_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_od_run: pairs is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_od_run: opts is NULL");
	if (opts->version != GRENS_ACCESS_OD_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_access_od_run: options version %u, not %u (GRENS_ACCESS_OD_OPTIONS_INIT)",
		    opts->version, GRENS_ACCESS_OD_OPTIONS_VERSION);
	int rc = check(networks, network_count, place_count, pairs, pair_count, opts, err);
	if (rc)
		return rc;
	grens_access_od_result *r = NULL;
	if ((rc = alloc_result(&r, network_count, pair_count, opts, err)))
		return rc;
	uint32_t threads = opts->threads > 1 ? opts->threads : 1;
	struct od_run run = { .r = r, .networks = networks, .pairs = pairs, .threads = threads };
	/* slices: about four units per thread, of at least 30 steps */
	run.chunks = 1;
	if (threads > 1 && r->row_count && r->row_count < 4 * threads) {
		run.chunks = (4 * threads + r->row_count - 1) / r->row_count;
		if (run.chunks > r->steps / 30)
			run.chunks = r->steps / 30 ? r->steps / 30 : 1;
	}
	run.chunk_steps = (r->steps + run.chunks - 1) / run.chunks;
	run.ws = calloc((size_t)threads * network_count, sizeof(*run.ws));
	run.legs = calloc(threads, sizeof(*run.legs));
	run.leg_thread = calloc(r->row_count ? r->row_count : 1, sizeof(*run.leg_thread));
	if (!run.ws || !run.legs || !run.leg_thread) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto done;
	}
	for (uint32_t n = 0; n < network_count; n++) {
		r->tt[n] = networks[n].tt;
		r->rt[n] = networks[n].rt;
	}
	for (uint32_t p = 0, row = 0; p < pair_count; p++)
		for (uint32_t d = 0; d < opts->date_count; d++)
			for (uint32_t n = 0; n < network_count; n++, row++)
				r->rows[row] = (grens_access_od_row){ .pair = p, .date = d, .network = n };
	if ((rc = grens_pool_run(threads, network_count, unit_workspaces, NULL, &run, err)) ||
	    (rc = grens_pool_run(threads, r->row_count * run.chunks, unit_profile, NULL, &run,
				 err)) ||
	    (rc = grens_pool_run(threads, r->row_count, unit_finish, NULL, &run, err)))
		goto done;
	/* the best journeys' legs, joined in row order */
	uint32_t total = 0;
	for (uint32_t i = 0; i < threads; i++)
		total += run.legs[i].n;
	r->legs = malloc((total ? total : 1) * sizeof(*r->legs));
	if (!r->legs) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory for %u legs", total);
		goto done;
	}
	for (uint32_t row = 0; row < r->row_count; row++) {
		if (!r->has_journey[row])
			continue;
		grens_route_journey *j = &r->journeys[row];
		memcpy(r->legs + r->leg_count, run.legs[run.leg_thread[row]].v + j->leg_offset,
		       (size_t)j->leg_count * sizeof(*r->legs));
		j->leg_offset = r->leg_count;
		r->leg_count += j->leg_count;
	}
	r->leg_cap = total;
	/* the changes against the base: networks[0] of this run, or of an
	 * earlier one */
	const grens_access_od_result *base = opts->base;
	for (uint32_t p = 0; p < pair_count; p++)
		for (uint32_t d = 0; d < opts->date_count; d++) {
			uint32_t base_row = (p * opts->date_count + d) * network_count;
			const grens_access_od_result *br = base ? base : r;
			uint32_t bi = base ? (p * opts->date_count + d) * base->network_count : base_row;
			for (uint32_t n = 0; n < network_count; n++) {
				uint32_t row = base_row + n;
				set_deltas(&r->rows[row], r->profiles + (size_t)row * r->steps,
					   &br->rows[bi], br->profiles + (size_t)bi * br->steps,
					   r->steps, !base && n == 0);
			}
		}
done:
	for (size_t i = 0; run.ws && i < (size_t)threads * network_count; i++)
		grens_route_raptor_free(run.ws[i]);
	for (uint32_t i = 0; run.legs && i < threads; i++)
		free(run.legs[i].v);
	free(run.ws);
	free(run.legs);
	free(run.leg_thread);
	if (rc) {
		grens_access_od_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

uint32_t grens_access_od_result_count(const grens_access_od_result *r)
{
	return r ? r->row_count : 0;
}

const grens_access_od_row *grens_access_od_result_row(const grens_access_od_result *r, uint32_t i)
{
	return r && i < r->row_count ? &r->rows[i] : NULL;
}

const grens_access_od_options *grens_access_od_result_options(const grens_access_od_result *r)
{
	return r ? &r->opts : NULL;
}

const grens_route_profile_step *grens_access_od_result_steps(const grens_access_od_result *r,
							     uint32_t i, uint32_t *n)
{
	if (n)
		*n = r && i < r->row_count ? r->steps : 0;
	return r && i < r->row_count ? r->profiles + (size_t)i * r->steps : NULL;
}

uint32_t grens_access_od_result_journey(const grens_access_od_result *r, uint32_t i,
					grens_route_result *out, const grens_timetable **tt,
					const grens_rt_overlay **rt)
{
	bool ok = r && i < r->row_count;
	if (tt)
		*tt = ok ? r->tt[r->rows[i].network] : NULL;
	if (rt)
		*rt = ok ? r->rt[r->rows[i].network] : NULL;
	if (!out)
		return 0;
	ok = ok && r->has_journey[i];
	out->journeys = ok ? &r->journeys[i] : NULL;
	out->journey_count = ok ? 1 : 0;
	out->legs = ok ? r->legs : NULL;
	return out->journey_count;
}
