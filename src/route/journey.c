/* Helpers around router results: names, time formatting and the summary of
 * a range query. No routing here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "grens/route.h"
#include "grens/rt.h"
#include "route_internal.h"

static const char *route_name(const grens_timetable *tt, uint32_t route)
{
	const char *name = grens_net_str(tt, tt->route_short_name[route]);
	if (!name[0])
		name = grens_net_str(tt, tt->route_long_name[route]);
	if (!name[0])
		name = grens_net_str(tt, tt->route_id[route]);
	return name;
}

const char *grens_route_trip_route_name(const grens_timetable *tt, uint32_t trip)
{
	if (!tt)
		return NULL; /* NULL not allowed: docs/api.md */
	if (trip >= tt->trip_count)
		return "";
	return route_name(tt, tt->pattern_route[tt->trip_pattern[trip]]);
}

void grens_route_leg_describe(const grens_timetable *tt, const grens_rt_overlay *rt,
			      const grens_route_leg *leg, grens_route_leg_info *out)
{
	if (!tt || !leg || !out)
		return; /* NULL not allowed: docs/api.md */
	out->trip_id = out->route = out->headsign = out->feed = "";
	if (leg->mode != GRENS_ROUTE_LEG_TRANSIT)
		return;
	if (leg->trip < tt->trip_count) {
		out->trip_id = grens_net_str(tt, tt->trip_id[leg->trip]);
		out->route = grens_route_trip_route_name(tt, leg->trip);
		out->headsign = grens_net_str(tt, tt->trip_headsign[leg->trip]);
		out->feed = grens_net_str(tt, tt->feed_name[tt->trip_feed[leg->trip]]);
		return;
	}
	const grens_rt_added_trip *a = rt ? grens_rt_added_at(rt, leg->added) : NULL;
	if (!a)
		return;
	out->trip_id = a->trip_id;
	out->route = a->route < tt->route_count ? route_name(tt, a->route) : a->route_id;
	if (a->feed < tt->feed_count)
		out->feed = grens_net_str(tt, tt->feed_name[a->feed]);
}

void grens_route_format_time(grens_date date, int32_t secs, char *buf, size_t bufsz)
{
	if (!buf)
		return; /* NULL not allowed: docs/api.md */
	if (secs == GRENS_ROUTE_UNREACHED || secs == GRENS_TIME_NONE) {
		snprintf(buf, bufsz, "-");
		return;
	}
	/* floor division so that negative times fall on the day before */
	int32_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	int32_t rest = secs - days * 86400;
	int y, m, d;
	grens_date_to_ymd(date + days, &y, &m, &d);
	snprintf(buf, bufsz, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, rest / 3600, rest / 60 % 60,
		 rest % 60);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values: the value at rank ceil(p*n). */
static int32_t rank(const int32_t *sorted, uint32_t n, uint32_t percent)
{
	uint64_t r = ((uint64_t)percent * n + 99) / 100;
	if (r == 0)
		r = 1;
	return sorted[r - 1];
}

void grens_route_profile_summarize(const grens_route_profile_step *steps, uint32_t n,
				   int32_t threshold, grens_route_profile_summary *out)
{
	if ((!steps && n) || !out)
		return; /* NULL not allowed: docs/api.md */
	out->steps = n;
	out->reached = 0;
	out->min = out->p10 = out->median = out->p90 = out->max = GRENS_ROUTE_UNREACHED;
	out->mean = NAN;
	out->mean_transfers = NAN;
	out->share_under = 0.0;
	if (n == 0)
		return;
	int32_t *tt = malloc((size_t)n * sizeof(int32_t));
	double sum = 0, sum_tf = 0;
	uint32_t under = 0;
	for (uint32_t i = 0; i < n; i++) {
		int32_t v = GRENS_ROUTE_UNREACHED;
		if (steps[i].arrival != GRENS_ROUTE_UNREACHED) {
			v = steps[i].arrival - steps[i].departure;
			out->reached++;
			sum += v;
			sum_tf += steps[i].transfers;
			if (v <= threshold)
				under++;
		}
		if (tt)
			tt[i] = v;
	}
	out->share_under = (double)under / n;
	if (out->reached) {
		out->mean = sum / out->reached;
		out->mean_transfers = sum_tf / out->reached;
	}
	if (!tt)
		return; /* out of memory: the percentiles stay unknown */
	qsort(tt, n, sizeof(int32_t), cmp_i32);
	out->min = tt[0];
	out->p10 = rank(tt, n, 10);
	out->median = rank(tt, n, 50);
	out->p90 = rank(tt, n, 90);
	out->max = tt[n - 1];
	free(tt);
}

void route_depart_late(const grens_timetable *tt, const grens_rt_overlay *rt, grens_date date,
		       int32_t min_change, grens_route_leg *legs, uint32_t n)
{
	uint32_t f = 0;
	while (f < n && legs[f].mode != GRENS_ROUTE_LEG_TRANSIT)
		f++;
	if (f == n || (f + 1 < n && legs[f + 1].stay_seated))
		return; /* no vehicle, or one whose block continuation is fixed */
	grens_route_leg *l = &legs[f];
	if (l->trip == GRENS_NONE)
		return; /* an added trip is a single vehicle */
	int32_t deadline; /* latest arrival of the first ride at its alighting stop */
	int32_t walk = 0;
	if (f + 1 == n) {
		deadline = l->arrival;
	} else if (legs[f + 1].mode == GRENS_ROUTE_LEG_WALK) {
		walk = legs[f + 1].arrival - legs[f + 1].departure;
		deadline = (f + 2 < n ? legs[f + 2].departure : legs[f + 1].arrival) - walk;
	} else {
		int32_t change = tt->stop_min_change[l->to_stop];
		if (min_change >= 0 && change != GRENS_NET_CHANGE_FORBIDDEN)
			change = min_change;
		deadline = legs[f + 1].departure - change;
	}
	uint32_t p = tt->trip_pattern[l->trip];
	if (grens_rt_pattern_touched(rt, p))
		return; /* live times may reorder the trips: keep the one found */
	uint32_t t0 = tt->pattern_trip_offset[p], nt = tt->pattern_trip_offset[p + 1] - t0;
	uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
	int32_t shift = l->service_day * 86400;
	uint32_t best = l->trip;
	/* trips of a pattern never overtake: stop at the first that is too late */
	for (uint32_t i = l->trip - t0 + 1; i < nt; i++) {
		if (st[(uint64_t)i * width + l->alight_position].arrival + shift > deadline)
			break;
		if (grens_net_trip_runs(tt, t0 + i, date + l->service_day))
			best = t0 + i;
	}
	if (best == l->trip)
		return;
	const grens_net_stop_time *row = st + (uint64_t)(best - t0) * width;
	l->trip = best;
	l->departure = row[l->board_position].departure + shift;
	l->arrival = row[l->alight_position].arrival + shift;
	if (f + 1 < n && legs[f + 1].mode == GRENS_ROUTE_LEG_WALK) {
		legs[f + 1].departure = l->arrival;
		legs[f + 1].arrival = l->arrival + walk;
	}
	if (f == 1 && legs[0].mode == GRENS_ROUTE_LEG_WALK) {
		int32_t d = legs[0].arrival - legs[0].departure;
		legs[0].arrival = l->departure;
		legs[0].departure = l->departure - d;
	}
}

void route_legs_schedule(const grens_timetable *tt, const grens_rt_overlay *rt, grens_date date,
			 grens_route_leg *legs, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		grens_route_leg *l = &legs[i];
		l->realtime = false;
		l->scheduled_departure = l->departure;
		l->scheduled_arrival = l->arrival;
		if (l->mode != GRENS_ROUTE_LEG_TRANSIT)
			continue;
		if (l->trip == GRENS_NONE) { /* an added trip: its times are all live */
			l->realtime = true;
			continue;
		}
		uint32_t p = tt->trip_pattern[l->trip];
		uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		const grens_net_stop_time *st =
			grens_net_pattern_times(tt, p) +
			(uint64_t)(l->trip - tt->pattern_trip_offset[p]) * width;
		int32_t shift = l->service_day * 86400;
		l->scheduled_departure = st[l->board_position].departure + shift;
		l->scheduled_arrival = st[l->alight_position].arrival + shift;
		const grens_rt_trip *t = grens_rt_trip_find(rt, l->trip, date + l->service_day);
		l->realtime = t && !t->cancelled &&
			      ((t->stop_flags[l->board_position] & GRENS_RT_STOP_LIVE) ||
			       (t->stop_flags[l->alight_position] & GRENS_RT_STOP_LIVE));
	}
}

grens_route_leg route_added_leg(const grens_rt_overlay *rt, uint32_t x, uint32_t board,
				uint32_t alight, int32_t service_day)
{
	const grens_rt_added_trip *a = grens_rt_added_at(rt, x);
	int32_t shift = service_day * 86400;
	grens_route_leg leg = { 0 };
	leg.mode = GRENS_ROUTE_LEG_TRANSIT;
	leg.trip = GRENS_NONE;
	leg.added = x;
	leg.service_day = service_day;
	leg.board_position = board;
	leg.alight_position = alight;
	leg.from_stop = a->stops[board];
	leg.to_stop = a->stops[alight];
	leg.departure = a->times[board].departure + shift;
	leg.arrival = a->times[alight].arrival + shift;
	return leg;
}

/* The saving per train. The median counts waiting at the origin, so an
 * hourly through train moves it by about half of what the train saves; an
 * advocate quotes the train's own saving. Found from the two profiles: a
 * journey leaves at the last step with its arrival (a later step with the
 * same arrival would leave later and be no slower), so a step where the
 * scenario's arrival changes on the next step is the departure of one of its
 * journeys. Among those that arrive earlier than the base from the same step,
 * the shortest is "the best journey that rides the new train" (nothing else
 * differs between the networks); the base journey from that step is timed
 * from its own departure too, so that waiting for it does not count. A
 * journey that leaves after the window's last step has no known departure:
 * such pairs are not compared. To the step: with --step coarser than the
 * timetable's minutes both durations may be long by up to one step. */
void grens_route_profile_train_saving(const grens_route_profile_step *base,
				      const grens_route_profile_step *sc, uint32_t n,
				      int32_t *delta, int32_t *departure)
{
	if (!delta || !departure)
		return; /* NULL not allowed: docs/api.md */
	*delta = *departure = GRENS_ROUTE_UNREACHED;
	if ((!base || !sc) && n)
		return;
	int32_t best = INT32_MAX, base_dep = GRENS_ROUTE_UNREACHED;
	for (uint32_t k = n; k-- > 0;) {
		if (k + 1 == n) /* the journeys from the last step may leave later */
			continue;
		if (base[k].arrival != base[k + 1].arrival)
			base_dep = base[k].departure;
		if (sc[k].arrival == sc[k + 1].arrival)
			continue; /* not the departure of a journey */
		if (sc[k].arrival == GRENS_ROUTE_UNREACHED ||
		    base[k].arrival == GRENS_ROUTE_UNREACHED ||
		    base_dep == GRENS_ROUTE_UNREACHED || sc[k].arrival >= base[k].arrival)
			continue;
		int32_t d = sc[k].arrival - sc[k].departure;
		int32_t gain = d - (base[k].arrival - base_dep);
		if (d < best || (d == best && gain <= *delta)) {
			best = d;
			*delta = gain;
			*departure = sc[k].departure;
		}
	}
}

