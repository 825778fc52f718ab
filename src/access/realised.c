/* Realised against scheduled: each departure step's planned journey checked
 * against realised times, and the realised earliest arrival beside it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"
#include "grens/rt.h"

/* The steps of a whole period: a window of every day. */
#define MAX_STEPS ((size_t)GRENS_ROUTE_MAX_STEPS * GRENS_RT_REALISED_MAX_DAYS)

struct grens_access_realised {
	grens_access_realised_step *steps;
	size_t count, cap;
};

int grens_access_realised_new(grens_access_realised **out, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_new: out is NULL");
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

void grens_access_realised_free(grens_access_realised *r)
{
	if (!r)
		return;
	free(r->steps);
	free(r);
}

uint32_t grens_access_realised_step_count(const grens_access_realised *r)
{
	if (!r)
		return 0; /* NULL not allowed: docs/api.md */
	return (uint32_t)r->count;
}

const grens_access_realised_step *grens_access_realised_step_at(const grens_access_realised *r,
								 uint32_t i)
{
	if (!r)
		return NULL; /* NULL not allowed: docs/api.md */
	return i < r->count ? &r->steps[i] : NULL;
}

static uint32_t station_of(const grens_timetable *tt, uint32_t stop)
{
	uint32_t p = tt->stop_parent[stop];
	return p != GRENS_NONE ? p : stop;
}

/* Change time the router allows at stop (as RAPTOR applies it). */
static int32_t change_time(const grens_timetable *tt, const grens_route_options *o, uint32_t stop)
{
	int32_t c = tt->stop_min_change[stop];
	if (c == GRENS_NET_CHANGE_FORBIDDEN)
		return 0; /* the plan changed here anyway (a footpath); no stricter rule */
	return o->min_change >= 0 ? o->min_change : c;
}

static void set_break(grens_access_realised_step *s, grens_access_break_reason reason,
		      uint32_t station, uint32_t from_trip, uint32_t to_trip)
{
	s->status = GRENS_ACCESS_REALISED_BROKEN;
	s->reason = reason;
	s->station = station;
	s->from_trip = from_trip;
	s->to_trip = to_trip;
}

/* Did the planned journey (legs[0..n) of the schedule) hold on realised? */
static void check_plan(grens_access_realised_step *s, const grens_timetable *tt,
		       const grens_rt_overlay *ov, grens_date date, const grens_route_leg *legs,
		       uint32_t n, const grens_route_options *o)
{
	s->status = GRENS_ACCESS_REALISED_HELD;
	const grens_route_leg *prev = NULL;
	int32_t prev_arrival = 0, walk = 0;
	bool walked = false;
	for (uint32_t i = 0; i < n; i++) {
		const grens_route_leg *l = &legs[i];
		if (l->mode == GRENS_ROUTE_LEG_WALK) {
			walk += l->arrival - l->departure;
			walked = true;
			continue;
		}
		grens_date sd = date + l->service_day;
		int32_t shift = -l->service_day * 86400; /* service-day base to the query's */
		const grens_rt_trip *rt = grens_rt_trip_find(ov, l->trip, sd);
		uint32_t from_trip = prev ? prev->trip : GRENS_NONE;
		uint32_t station = station_of(tt, l->from_stop);
		if (rt && rt->no_data) {
			s->status = GRENS_ACCESS_REALISED_NO_DATA;
			return;
		}
		if (rt && rt->cancelled) {
			set_break(s, GRENS_ACCESS_BREAK_CANCELLED, station, from_trip, l->trip);
			return;
		}
		if (grens_rt_stop_skipped(ov, l->trip, sd, l->board_position) ||
		    grens_rt_stop_skipped(ov, l->trip, sd, l->alight_position)) {
			set_break(s, GRENS_ACCESS_BREAK_SKIPPED, station, from_trip, l->trip);
			return;
		}
		const grens_net_stop_time *t = grens_rt_times(ov, tt, l->trip, sd);
		int32_t dep = t[l->board_position].departure - shift;
		if (prev && !l->stay_seated) {
			int32_t planned_gap = l->departure - prev->arrival;
			int32_t need = walked ? walk : change_time(tt, o, l->from_stop);
			if (need > planned_gap)
				need = planned_gap;
			if (dep - prev_arrival < need) {
				set_break(s, GRENS_ACCESS_BREAK_LATE, station_of(tt, prev->to_stop),
					  prev->trip, l->trip);
				return;
			}
		}
		prev = l;
		prev_arrival = t[l->alight_position].arrival - shift;
		walk = 0;
		walked = false;
	}
}

int grens_access_realised_add_day(grens_access_realised *r, grens_route_raptor *ws,
				  const grens_timetable *tt, const grens_rt_overlay *realised,
				  const grens_route_query *q, int32_t t0, int32_t t1, int32_t step,
				  const grens_route_options *opts, grens_error *err)
{
	if (!r)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_add_day: r is NULL");
	if (!ws)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_add_day: ws is NULL");
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_add_day: tt is NULL");
	if (!realised)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_add_day: realised is NULL");
	if (!q)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_add_day: q is NULL");
	if (!opts)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_add_day: opts is NULL");
	if (step <= 0 || t1 < t0)
		return grens_error_set(err, GRENS_EARG, "bad window or step");
	size_t n = (size_t)(t1 - t0) / (size_t)step + 1;
	if (r->count + n > MAX_STEPS)
		return grens_error_set(err, GRENS_ELIMIT, "more than %zu departure steps",
				       MAX_STEPS);
	if (r->count + n > r->cap) {
		size_t cap = r->cap ? r->cap : 256;
		while (cap < r->count + n)
			cap *= 2;
		grens_access_realised_step *ns = realloc(r->steps, cap * sizeof(*ns));
		if (!ns)
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
		r->steps = ns;
		r->cap = cap;
	}
	grens_route_options sched = *opts, real = *opts;
	sched.rt = NULL;
	real.rt = realised;
	grens_route_query sq = *q;
	for (size_t k = 0; k < n; k++) {
		grens_access_realised_step *s = &r->steps[r->count + k];
		memset(s, 0, sizeof(*s));
		s->date = q->date;
		s->departure = t0 + (int32_t)k * step;
		s->scheduled_arrival = s->realised_arrival = GRENS_ROUTE_UNREACHED;
		s->transfers_scheduled = s->transfers_realised = -1;
		s->station = s->from_trip = s->to_trip = GRENS_NONE;
		sq.time = s->departure;
		grens_route_result res;
		int rc = grens_route_raptor_route(ws, &sq, &real, &res, err);
		if (rc != 0)
			return rc;
		if (res.journey_count) {
			s->realised_arrival = res.journeys[0].arrival;
			s->transfers_realised = (int32_t)res.journeys[0].transfers;
		}
		/* the planned journey last: its legs are read from the workspace */
		rc = grens_route_raptor_route(ws, &sq, &sched, &res, err);
		if (rc != 0)
			return rc;
		if (!res.journey_count)
			continue;
		const grens_route_journey *j = &res.journeys[0];
		s->scheduled_arrival = j->arrival;
		s->transfers_scheduled = (int32_t)j->transfers;
		check_plan(s, tt, realised, q->date, res.legs + j->leg_offset, j->leg_count, opts);
	}
	r->count += n;
	return 0;
}

int grens_access_realised_summarize(const grens_access_realised *r, const grens_timetable *tt,
				    bool all, grens_date date, int32_t threshold,
				    grens_access_realised_summary *out, grens_error *err)
{
	if (!r)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_summarize: r is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_realised_summarize: out is NULL");
	(void)tt;
	memset(out, 0, sizeof(*out));
	grens_route_profile_step *ps = calloc(r->count + 1, sizeof(*ps));
	grens_route_profile_step *pr = calloc(r->count + 1, sizeof(*pr));
	int32_t *extra = calloc(r->count + 1, sizeof(*extra));
	if (!ps || !pr || !extra) {
		free(ps);
		free(pr);
		free(extra);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	uint32_t n = 0, ne = 0;
	for (size_t i = 0; i < r->count; i++) {
		const grens_access_realised_step *s = &r->steps[i];
		if (!all && s->date != date)
			continue;
		ps[n] = (grens_route_profile_step){ s->departure, s->scheduled_arrival,
						    s->transfers_scheduled };
		pr[n] = (grens_route_profile_step){ s->departure, s->realised_arrival,
						    s->transfers_realised };
		n++;
		out->planned += s->status != GRENS_ACCESS_REALISED_NO_PLAN;
		out->held += s->status == GRENS_ACCESS_REALISED_HELD;
		out->broken += s->status == GRENS_ACCESS_REALISED_BROKEN;
		out->no_data += s->status == GRENS_ACCESS_REALISED_NO_DATA;
		if (s->status == GRENS_ACCESS_REALISED_HELD ||
		    s->status == GRENS_ACCESS_REALISED_BROKEN)
			extra[ne++] = s->realised_arrival == GRENS_ROUTE_UNREACHED
					  ? GRENS_ROUTE_UNREACHED
					  : s->realised_arrival - s->scheduled_arrival;
	}
	out->steps = n;
	out->share_held =
	    out->held + out->broken ? (double)out->held / (out->held + out->broken) : NAN;
	out->extra_p50 = ne ? grens_access_percentile(extra, ne, 50) : GRENS_ROUTE_UNREACHED;
	out->extra_p90 = ne ? grens_access_percentile(extra, ne, 90) : GRENS_ROUTE_UNREACHED;
	grens_route_profile_summarize(ps, n, threshold, &out->scheduled);
	grens_route_profile_summarize(pr, n, threshold, &out->realised);
	free(ps);
	free(pr);
	free(extra);
	return 0;
}

static const char *route_of(const grens_timetable *tt, uint32_t trip)
{
	return trip == GRENS_NONE ? "" : grens_route_trip_route_name(tt, trip);
}

static int cmp_break(const void *a, const void *b)
{
	const grens_access_realised_break *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->station != y->station)
		return x->station < y->station ? -1 : 1;
	int c = strcmp(x->from_route, y->from_route);
	if (c)
		return c;
	c = strcmp(x->to_route, y->to_route);
	if (c)
		return c;
	return (int)x->reason - (int)y->reason;
}

uint32_t grens_access_realised_breaks(const grens_access_realised *r, const grens_timetable *tt,
				      bool all, grens_date date,
				      grens_access_realised_break *out, uint32_t cap)
{
	if (!r || !tt)
		return 0; /* NULL not allowed: docs/api.md */
	if (!out)
		cap = 0;
	/* few distinct breaks: a linear table over them is enough */
	grens_access_realised_break *b = malloc((r->count + 1) * sizeof(*b));
	if (!b)
		return 0;
	uint32_t distinct = 0;
	for (size_t i = 0; i < r->count; i++) {
		const grens_access_realised_step *s = &r->steps[i];
		if (s->status != GRENS_ACCESS_REALISED_BROKEN || (!all && s->date != date))
			continue;
		const char *fr = route_of(tt, s->from_trip), *to = route_of(tt, s->to_trip);
		bool found = false;
		for (uint32_t k = 0; k < distinct && !found; k++)
			if (b[k].station == s->station && b[k].reason == s->reason &&
			    strcmp(b[k].from_route, fr) == 0 && strcmp(b[k].to_route, to) == 0) {
				b[k].count++;
				found = true;
			}
		if (!found)
			b[distinct++] = (grens_access_realised_break){ s->station, fr, to, s->reason,
								       1 };
	}
	qsort(b, distinct, sizeof(*b), cmp_break);
	memcpy(out, b, (distinct < cap ? distinct : cap) * sizeof(*b));
	free(b);
	return distinct;
}
