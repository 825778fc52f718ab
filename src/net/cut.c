/* A timetable cut at a border: only the kept stops are served. Each
 * pattern's stop sequence splits into its maximal runs of kept stops; a run
 * of two or more stops becomes a pattern of its own carrying every trip of
 * the original over that run. So a trip that leaves the country ends at its
 * last stop inside, one that comes in starts at its first stop inside, and
 * one that leaves and comes back keeps its parts inside as separate trips
 * (nobody stays seated across the part abroad). Footpaths to or from a cut
 * stop go too. Stop indices do not change, so places tied to stops of the
 * full timetable keep their ties to the kept stops. */
#include <math.h>
#include <string.h>

#include "net_internal.h"

uint32_t grens_net_stops_in_country(const grens_timetable *tt, const char *country, uint8_t *in)
{
	if (!tt || !country || !in)
		return 0; /* NULL not allowed: docs/api.md */
	uint32_t n = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		double lat = tt->stop_lat[s], lon = tt->stop_lon[s];
		uint32_t parent = tt->stop_parent[s];
		if ((isnan(lat) || isnan(lon)) && parent != GRENS_NONE) {
			lat = tt->stop_lat[parent];
			lon = tt->stop_lon[parent];
		}
		in[s] = strcmp(grens_geo_country(lat, lon), country) == 0;
		n += in[s];
	}
	return n;
}

/* Kept runs of at least two stops of pattern p, as [begin, end) positions
 * into runs[]; returns their number (at most width / 2). */
static uint32_t kept_runs(const grens_timetable *tt, uint32_t p, const uint8_t *keep,
			  uint32_t (*runs)[2])
{
	uint32_t b = tt->pattern_stop_offset[p], width = tt->pattern_stop_offset[p + 1] - b;
	uint32_t n = 0;
	for (uint32_t i = 0; i < width;) {
		if (!keep[tt->pattern_stops[b + i]]) {
			i++;
			continue;
		}
		uint32_t e = i;
		while (e < width && keep[tt->pattern_stops[b + e]])
			e++;
		if (e - i >= 2) {
			runs[n][0] = i;
			runs[n][1] = e;
			n++;
		}
		i = e;
	}
	return n;
}

#define CUT_ARRAY(ptr, count)                                                                      \
	((ptr) = grens_arena_calloc(cut->arena, (size_t)(count) + 1, sizeof(*(ptr)), 8)) == NULL

int grens_net_cut(grens_timetable **out, const grens_timetable *tt, const uint8_t *keep,
		  grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_cut: out is NULL");
	*out = NULL;
	if (!tt || !keep)
		return grens_error_set(err, GRENS_EARG, "no timetable or stops to keep");
	uint32_t(*runs)[2] = NULL;
	uint32_t *first_part = NULL, *last_part = NULL;
	grens_timetable *cut = calloc(1, sizeof(*cut));
	if (!cut)
		goto nomem;
	/* stops, routes, services and strings are shared; the rest is rebuilt */
	*cut = *tt;
	cut->index = NULL;
	cut->arena = grens_arena_new(0);
	if (!cut->arena)
		goto nomem;
	uint32_t widest = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t w = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
		if (w > widest)
			widest = w;
	}
	runs = calloc((size_t)widest / 2 + 1, sizeof(*runs));
	first_part = malloc(((size_t)tt->trip_count + 1) * sizeof(uint32_t));
	last_part = malloc(((size_t)tt->trip_count + 1) * sizeof(uint32_t));
	if (!runs || !first_part || !last_part)
		goto nomem;

	/* sizes first */
	uint64_t patterns = 0, stops = 0, trips = 0, events = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t nt = tt->pattern_trip_offset[p + 1] - tt->pattern_trip_offset[p];
		uint32_t nr = kept_runs(tt, p, keep, runs);
		for (uint32_t r = 0; r < nr; r++) {
			uint32_t len = runs[r][1] - runs[r][0];
			patterns++;
			stops += len;
			trips += nt;
			events += (uint64_t)nt * len;
		}
	}
	if (patterns >= UINT32_MAX || stops >= UINT32_MAX || trips >= UINT32_MAX) {
		free(runs);
		free(first_part);
		free(last_part);
		grens_net_free(cut);
		return grens_error_set(err, GRENS_ELIMIT, "the cut timetable is too large");
	}
	cut->pattern_count = (uint32_t)patterns;
	cut->trip_count = (uint32_t)trips;
	cut->stop_time_count = events;
	cut->stop_time_split = events; /* rebuilt in one segment */
	cut->stop_times_tail = NULL;
	if (CUT_ARRAY(cut->pattern_route, patterns) ||
	    CUT_ARRAY(cut->pattern_stop_offset, patterns + 1) ||
	    CUT_ARRAY(cut->pattern_stops, stops) || CUT_ARRAY(cut->pattern_stop_flags, stops) ||
	    CUT_ARRAY(cut->pattern_trip_offset, patterns + 1) ||
	    CUT_ARRAY(cut->pattern_time_offset, patterns + 1) ||
	    CUT_ARRAY(cut->stop_times, events) ||
	    net_trip_arrays_alloc(cut, cut->arena, tt, trips))
		goto nomem;

	for (uint32_t t = 0; t < tt->trip_count; t++)
		first_part[t] = last_part[t] = GRENS_NONE;
	uint32_t np = 0, ns = 0, nt = 0;
	uint64_t ne = 0;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t b = tt->pattern_stop_offset[p], width = tt->pattern_stop_offset[p + 1] - b;
		uint32_t t0 = tt->pattern_trip_offset[p], t1 = tt->pattern_trip_offset[p + 1];
		const grens_net_stop_time *st = grens_net_pattern_times(tt, p);
		uint32_t nr = kept_runs(tt, p, keep, runs);
		for (uint32_t r = 0; r < nr; r++) {
			uint32_t from = runs[r][0], len = runs[r][1] - from;
			cut->pattern_route[np] = tt->pattern_route[p];
			cut->pattern_stop_offset[np] = ns;
			cut->pattern_trip_offset[np] = nt;
			cut->pattern_time_offset[np] = ne;
			memcpy(cut->pattern_stops + ns, tt->pattern_stops + b + from,
			       len * sizeof(uint32_t));
			memcpy(cut->pattern_stop_flags + ns, tt->pattern_stop_flags + b + from, len);
			ns += len;
			for (uint32_t t = t0; t < t1; t++) {
				memcpy(cut->stop_times + ne, st + (size_t)(t - t0) * width + from,
				       len * sizeof(*st));
				ne += len;
				net_trip_copy(cut, nt, tt, t);
				cut->trip_pattern[nt] = np;
				if (cut->trip_block_next) /* set below where it runs on */
					cut->trip_block_next[nt] = GRENS_NONE;
				/* the parts that still end or begin the whole trip are the
				 * ones a block can continue through */
				if (from == 0)
					first_part[t] = nt;
				if (from + len == width)
					last_part[t] = nt;
				nt++;
			}
			np++;
		}
	}
	cut->pattern_stop_offset[np] = ns;
	cut->pattern_trip_offset[np] = nt;
	cut->pattern_time_offset[np] = ne;
	/* stay seated only where the whole trip ends and the next one begins
	 * inside: a part that ends at the border does not run on */
	for (uint32_t t = 0; cut->trip_block_next && t < tt->trip_count; t++) {
		uint32_t next = tt->trip_block_next[t];
		if (last_part[t] != GRENS_NONE && next != GRENS_NONE &&
		    first_part[next] != GRENS_NONE)
			cut->trip_block_next[last_part[t]] = first_part[next];
	}

	/* stop -> (pattern, position), in pattern order as the builder does */
	if (CUT_ARRAY(cut->stop_pattern_offset, (size_t)tt->stop_count + 1) ||
	    CUT_ARRAY(cut->stop_patterns, ns))
		goto nomem;
	for (uint32_t i = 0; i < ns; i++)
		cut->stop_pattern_offset[cut->pattern_stops[i] + 1]++;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		cut->stop_pattern_offset[s + 1] += cut->stop_pattern_offset[s];
	{
		uint32_t *fill = grens_arena_calloc(cut->arena, (size_t)tt->stop_count + 1,
						    sizeof(uint32_t), 8);
		if (!fill)
			goto nomem;
		for (uint32_t p = 0; p < np; p++)
			for (uint32_t i = cut->pattern_stop_offset[p];
			     i < cut->pattern_stop_offset[p + 1]; i++) {
				uint32_t s = cut->pattern_stops[i];
				grens_net_pattern_stop *ps =
				    &cut->stop_patterns[cut->stop_pattern_offset[s] + fill[s]++];
				ps->pattern = p;
				ps->position = i - cut->pattern_stop_offset[p];
			}
	}

	/* footpaths between kept stops only */
	uint32_t nf = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		for (uint32_t f = tt->footpath_offset[s]; keep[s] && f < tt->footpath_offset[s + 1];
		     f++)
			nf += keep[tt->footpaths[f].to_stop] != 0;
	if (CUT_ARRAY(cut->footpath_offset, (size_t)tt->stop_count + 1) ||
	    CUT_ARRAY(cut->footpaths, nf))
		goto nomem;
	nf = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		cut->footpath_offset[s] = nf;
		for (uint32_t f = tt->footpath_offset[s]; keep[s] && f < tt->footpath_offset[s + 1];
		     f++)
			if (keep[tt->footpaths[f].to_stop])
				cut->footpaths[nf++] = tt->footpaths[f];
	}
	cut->footpath_offset[tt->stop_count] = nf;

	int32_t latest = 0;
	for (uint64_t i = 0; i < ne; i++) {
		if (cut->stop_times[i].arrival > latest)
			latest = cut->stop_times[i].arrival;
		if (cut->stop_times[i].departure > latest)
			latest = cut->stop_times[i].departure;
	}
	cut->max_time = latest;
	free(runs);
	free(first_part);
	free(last_part);
	*out = cut;
	return 0;
nomem:
	free(runs);
	free(first_part);
	free(last_part);
	grens_net_free(cut);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory for the cut timetable");
}
