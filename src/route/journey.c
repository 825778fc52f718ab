/* Helpers around router results: names, time formatting and the summary of
 * a range query. No routing here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "grens/route.h"
#include "route_internal.h"

const char *grens_route_trip_route_name(const grens_timetable *tt, uint32_t trip)
{
	if (trip >= tt->trip_count)
		return "";
	uint32_t route = tt->pattern_route[tt->trip_pattern[trip]];
	const char *name = grens_net_str(tt, tt->route_short_name[route]);
	if (!name[0])
		name = grens_net_str(tt, tt->route_long_name[route]);
	if (!name[0])
		name = grens_net_str(tt, tt->route_id[route]);
	return name;
}

void grens_route_format_time(grens_date date, int32_t secs, char *buf, size_t bufsz)
{
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

void route_depart_late(const grens_timetable *tt, grens_date date, int32_t min_change,
		       grens_route_leg *legs, uint32_t n)
{
	uint32_t f = 0;
	while (f < n && legs[f].mode != GRENS_ROUTE_LEG_TRANSIT)
		f++;
	if (f == n || (f + 1 < n && legs[f + 1].stay_seated))
		return; /* no vehicle, or one whose block continuation is fixed */
	grens_route_leg *l = &legs[f];
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
	uint32_t t0 = tt->pattern_trip_offset[p], nt = tt->pattern_trip_offset[p + 1] - t0;
	uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	const grens_net_stop_time *st = tt->stop_times + tt->pattern_time_offset[p];
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
