/* A test-only builder of grens_timetable from plain trips, so that router
 * tests can describe small networks directly (and random ones in the
 * cross-check) with exactly the layout of grens/net.h: trips grouped into
 * patterns by stop sequence and pickup/drop-off flags, sorted by departure,
 * a trip that would overtake another starting a new pattern. */
#ifndef GRENS_TEST_ROUTE_TT_H
#define GRENS_TEST_ROUTE_TT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/net.h"

#define TB_MAX_STOPS_PER_TRIP 64

typedef struct tb_trip {
	uint32_t n;
	uint32_t stop[TB_MAX_STOPS_PER_TRIP];
	int32_t arr[TB_MAX_STOPS_PER_TRIP], dep[TB_MAX_STOPS_PER_TRIP];
	uint8_t flags[TB_MAX_STOPS_PER_TRIP];
	uint32_t service;
	uint32_t route;
	uint32_t block_next; /* index into the input trips, or GRENS_NONE */
	char id[32];
	char headsign[32];
} tb_trip;

typedef struct tb_footpath {
	uint32_t from, to;
	int32_t duration;
} tb_footpath;

typedef struct tb_net {
	uint32_t stop_count;
	char (*stop_names)[32]; /* [stop_count] */
	int32_t *min_change;    /* [stop_count] */
	uint32_t route_count;
	grens_date first_date;
	uint32_t day_count;
	uint32_t service_count;
	uint64_t *service_bits; /* [service] bit d: runs on first_date + d (day_count <= 64) */
	tb_trip *trips;
	uint32_t trip_count;
	tb_footpath *footpaths;
	uint32_t footpath_count;
	/* input trip index -> timetable trip index */
	uint32_t *trip_map;
} tb_net;

/* Strings: "" at 0, then names appended. */
struct tb_strings {
	char *buf;
	uint64_t len, cap;
};

static inline uint32_t tb_str(struct tb_strings *s, const char *v)
{
	size_t n = strlen(v) + 1;
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2 + 64;
		s->buf = realloc(s->buf, s->cap);
	}
	memcpy(s->buf + s->len, v, n);
	uint32_t off = (uint32_t)s->len;
	s->len += n;
	return off;
}

static int tb_cmp_dep_idx;
static const tb_trip *tb_cmp_trips;
static int tb_cmp(const void *a, const void *b)
{
	const tb_trip *x = &tb_cmp_trips[*(const uint32_t *)a], *y = &tb_cmp_trips[*(const uint32_t *)b];
	if (x->dep[0] != y->dep[0])
		return x->dep[0] < y->dep[0] ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static bool tb_same_key(const tb_trip *a, const tb_trip *b)
{
	if (a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (a->stop[i] != b->stop[i] || a->flags[i] != b->flags[i])
			return false;
	return true;
}

static bool tb_no_overtake(const tb_trip *before, const tb_trip *after)
{
	for (uint32_t i = 0; i < before->n; i++)
		if (after->arr[i] < before->arr[i] || after->dep[i] < before->dep[i])
			return false;
	return true;
}

/* Fill *tt (all arrays malloc'ed; free with tb_free). */
static inline void tb_build(const tb_net *net, grens_timetable *tt, uint32_t *trip_map)
{
	memset(tt, 0, sizeof(*tt));
	struct tb_strings str = { 0 };
	tb_str(&str, "");
	uint32_t S = net->stop_count, T = net->trip_count;
	tt->feed_count = 1;
	tt->feed_name = calloc(1, sizeof(uint32_t));
	tt->feed_timezone = calloc(1, sizeof(uint32_t));
	tt->feed_name[0] = tb_str(&str, "t");
	tt->feed_timezone[0] = tb_str(&str, "Europe/Amsterdam");
	tt->first_date = net->first_date;
	tt->day_count = net->day_count;
	tt->service_count = net->service_count;
	tt->words_per_service = 1;
	tt->service_days = calloc(net->service_count + 1, sizeof(uint64_t));
	for (uint32_t i = 0; i < net->service_count; i++)
		tt->service_days[i] = net->service_bits[i];

	tt->stop_count = S;
	tt->stop_feed = calloc(S + 1, sizeof(uint32_t));
	tt->stop_id = calloc(S + 1, sizeof(uint32_t));
	tt->stop_name = calloc(S + 1, sizeof(uint32_t));
	tt->stop_parent = calloc(S + 1, sizeof(uint32_t));
	tt->stop_location_type = calloc(S + 1, 1);
	tt->stop_lat = calloc(S + 1, sizeof(double));
	tt->stop_lon = calloc(S + 1, sizeof(double));
	tt->stop_min_change = calloc(S + 1, sizeof(int32_t));
	for (uint32_t s = 0; s < S; s++) {
		char id[32];
		snprintf(id, sizeof(id), "s%u", s);
		tt->stop_id[s] = tb_str(&str, id);
		tt->stop_name[s] = tb_str(&str, net->stop_names ? net->stop_names[s] : id);
		tt->stop_parent[s] = GRENS_NONE;
		tt->stop_min_change[s] = net->min_change ? net->min_change[s] : 120;
	}
	tt->route_count = net->route_count;
	tt->route_feed = calloc(net->route_count + 1, sizeof(uint32_t));
	tt->route_id = calloc(net->route_count + 1, sizeof(uint32_t));
	tt->route_short_name = calloc(net->route_count + 1, sizeof(uint32_t));
	tt->route_long_name = calloc(net->route_count + 1, sizeof(uint32_t));
	tt->route_agency_name = calloc(net->route_count + 1, sizeof(uint32_t));
	tt->route_type = calloc(net->route_count + 1, sizeof(int32_t));
	for (uint32_t r = 0; r < net->route_count; r++) {
		char id[32];
		snprintf(id, sizeof(id), "R%u", r);
		tt->route_id[r] = tb_str(&str, id);
		tt->route_short_name[r] = tb_str(&str, id);
		tt->route_type[r] = 3;
	}

	/* patterns: trips in order of first departure, each into the first
	 * pattern with its key that it does not overtake */
	uint32_t *order = calloc(T + 1, sizeof(uint32_t));
	uint32_t *pat_of = calloc(T + 1, sizeof(uint32_t));
	uint32_t *pat_rep = calloc(T + 1, sizeof(uint32_t));  /* first trip of pattern */
	uint32_t *pat_last = calloc(T + 1, sizeof(uint32_t)); /* last trip added */
	uint32_t *pat_ntrips = calloc(T + 1, sizeof(uint32_t));
	uint32_t P = 0;
	for (uint32_t i = 0; i < T; i++)
		order[i] = i;
	tb_cmp_trips = net->trips;
	(void)tb_cmp_dep_idx;
	qsort(order, T, sizeof(uint32_t), tb_cmp);
	for (uint32_t oi = 0; oi < T; oi++) {
		uint32_t t = order[oi];
		uint32_t p = GRENS_NONE;
		for (uint32_t q = 0; q < P; q++)
			if (net->trips[pat_rep[q]].route == net->trips[t].route &&
			    tb_same_key(&net->trips[pat_rep[q]], &net->trips[t]) &&
			    tb_no_overtake(&net->trips[pat_last[q]], &net->trips[t])) {
				p = q;
				break;
			}
		if (p == GRENS_NONE) {
			p = P++;
			pat_rep[p] = t;
		}
		pat_last[p] = t;
		pat_of[t] = p;
		pat_ntrips[p]++;
	}
	tt->pattern_count = P;
	tt->pattern_route = calloc(P + 1, sizeof(uint32_t));
	tt->pattern_stop_offset = calloc(P + 1, sizeof(uint32_t));
	tt->pattern_trip_offset = calloc(P + 1, sizeof(uint32_t));
	tt->pattern_time_offset = calloc(P + 1, sizeof(uint64_t));
	uint32_t nps = 0;
	uint64_t nst = 0;
	for (uint32_t p = 0; p < P; p++) {
		nps += net->trips[pat_rep[p]].n;
		nst += (uint64_t)net->trips[pat_rep[p]].n * pat_ntrips[p];
	}
	tt->pattern_stops = calloc(nps + 1, sizeof(uint32_t));
	tt->pattern_stop_flags = calloc(nps + 1, 1);
	tt->stop_times = calloc(nst + 1, sizeof(grens_net_stop_time));
	tt->stop_time_count = nst;
	tt->trip_count = T;
	tt->trip_pattern = calloc(T + 1, sizeof(uint32_t));
	tt->trip_service = calloc(T + 1, sizeof(uint32_t));
	tt->trip_feed = calloc(T + 1, sizeof(uint32_t));
	tt->trip_id = calloc(T + 1, sizeof(uint32_t));
	tt->trip_short_name = calloc(T + 1, sizeof(uint32_t));
	tt->trip_headsign = calloc(T + 1, sizeof(uint32_t));
	tt->trip_block_next = calloc(T + 1, sizeof(uint32_t));
	tt->trip_frequency_start = calloc(T + 1, sizeof(int32_t));
	uint32_t so = 0, to = 0;
	uint64_t tmo = 0;
	for (uint32_t p = 0; p < P; p++) {
		const tb_trip *rep = &net->trips[pat_rep[p]];
		tt->pattern_route[p] = rep->route;
		tt->pattern_stop_offset[p] = so;
		tt->pattern_trip_offset[p] = to;
		tt->pattern_time_offset[p] = tmo;
		for (uint32_t i = 0; i < rep->n; i++) {
			tt->pattern_stops[so + i] = rep->stop[i];
			tt->pattern_stop_flags[so + i] = rep->flags[i];
		}
		for (uint32_t oi = 0; oi < T; oi++) {
			uint32_t t = order[oi];
			if (pat_of[t] != p)
				continue;
			const tb_trip *x = &net->trips[t];
			trip_map[t] = to;
			tt->trip_pattern[to] = p;
			tt->trip_service[to] = x->service;
			tt->trip_id[to] = tb_str(&str, x->id);
			tt->trip_headsign[to] = tb_str(&str, x->headsign);
			tt->trip_frequency_start[to] = GRENS_TIME_NONE;
			for (uint32_t i = 0; i < x->n; i++) {
				tt->stop_times[tmo].arrival = x->arr[i];
				tt->stop_times[tmo].departure = x->dep[i];
				if (x->arr[i] > tt->max_time)
					tt->max_time = x->arr[i];
				if (x->dep[i] > tt->max_time)
					tt->max_time = x->dep[i];
				tmo++;
			}
			to++;
		}
		so += rep->n;
	}
	tt->pattern_stop_offset[P] = so;
	tt->pattern_trip_offset[P] = to;
	for (uint32_t t = 0; t < T; t++)
		tt->trip_block_next[trip_map[t]] = net->trips[t].block_next == GRENS_NONE
							   ? GRENS_NONE
							   : trip_map[net->trips[t].block_next];

	/* stop -> pattern CSR */
	tt->stop_pattern_offset = calloc(S + 1, sizeof(uint32_t));
	for (uint32_t p = 0; p < P; p++)
		for (uint32_t i = tt->pattern_stop_offset[p]; i < tt->pattern_stop_offset[p + 1]; i++)
			tt->stop_pattern_offset[tt->pattern_stops[i] + 1]++;
	for (uint32_t s = 0; s < S; s++)
		tt->stop_pattern_offset[s + 1] += tt->stop_pattern_offset[s];
	tt->stop_patterns = calloc(nps + 1, sizeof(grens_net_pattern_stop));
	uint32_t *fill = calloc(S + 1, sizeof(uint32_t));
	for (uint32_t p = 0; p < P; p++)
		for (uint32_t i = tt->pattern_stop_offset[p]; i < tt->pattern_stop_offset[p + 1]; i++) {
			uint32_t s = tt->pattern_stops[i];
			grens_net_pattern_stop *ps =
				&tt->stop_patterns[tt->stop_pattern_offset[s] + fill[s]++];
			ps->pattern = p;
			ps->position = i - tt->pattern_stop_offset[p];
		}
	/* footpaths CSR */
	tt->footpath_offset = calloc(S + 1, sizeof(uint32_t));
	for (uint32_t f = 0; f < net->footpath_count; f++)
		tt->footpath_offset[net->footpaths[f].from + 1]++;
	for (uint32_t s = 0; s < S; s++)
		tt->footpath_offset[s + 1] += tt->footpath_offset[s];
	tt->footpaths = calloc(net->footpath_count + 1, sizeof(grens_net_footpath));
	memset(fill, 0, (S + 1) * sizeof(uint32_t));
	for (uint32_t f = 0; f < net->footpath_count; f++) {
		uint32_t s = net->footpaths[f].from;
		grens_net_footpath *fp = &tt->footpaths[tt->footpath_offset[s] + fill[s]++];
		fp->to_stop = net->footpaths[f].to;
		fp->duration = net->footpaths[f].duration;
	}
	free(fill);
	free(order);
	free(pat_of);
	free(pat_rep);
	free(pat_last);
	free(pat_ntrips);
	tt->strings = str.buf;
	tt->strings_size = str.len;
}

static inline void tb_free(grens_timetable *tt)
{
	void *arrays[] = {
		tt->feed_name, tt->feed_timezone, tt->service_days, tt->stop_feed, tt->stop_id,
		tt->stop_name, tt->stop_parent, tt->stop_location_type, tt->stop_lat, tt->stop_lon,
		tt->stop_min_change, tt->stop_pattern_offset, tt->stop_patterns, tt->footpath_offset,
		tt->footpaths, tt->route_feed, tt->route_id, tt->route_short_name,
		tt->route_long_name, tt->route_agency_name, tt->route_type, tt->pattern_route,
		tt->pattern_stop_offset, tt->pattern_stops, tt->pattern_stop_flags,
		tt->pattern_trip_offset, tt->pattern_time_offset, tt->stop_times, tt->trip_pattern,
		tt->trip_service, tt->trip_feed, tt->trip_id, tt->trip_short_name, tt->trip_headsign,
		tt->trip_block_next, tt->trip_frequency_start, tt->strings,
	};
	for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++)
		free(arrays[i]);
	memset(tt, 0, sizeof(*tt));
}

/* Convenience: append a trip over stops[0..n) with times "HH:MM" pairs
 * given as seconds; dwell 0 (arr == dep). */
static inline uint32_t tb_add_trip(tb_net *net, const char *id, uint32_t route, uint32_t service,
			    uint32_t n, const uint32_t *stops, const int32_t *times)
{
	tb_trip *t = &net->trips[net->trip_count];
	memset(t, 0, sizeof(*t));
	t->n = n;
	for (uint32_t i = 0; i < n; i++) {
		t->stop[i] = stops[i];
		t->arr[i] = times[i];
		t->dep[i] = times[i];
	}
	t->service = service;
	t->route = route;
	t->block_next = GRENS_NONE;
	snprintf(t->id, sizeof(t->id), "%s", id);
	snprintf(t->headsign, sizeof(t->headsign), "to s%u", stops[n - 1]);
	return net->trip_count++;
}

#endif
