/* Tying places to their nearest stations: the first and last mile on foot,
 * by bicycle or by a feeder, and the same ties reused on a variant of the
 * network. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"

const char *grens_access_mode_name(grens_access_mode mode)
{
	switch (mode) {
	case GRENS_ACCESS_MODE_WALK:
		return "walk";
	case GRENS_ACCESS_MODE_BIKE:
		return "bike";
	case GRENS_ACCESS_MODE_FEEDER:
		return "feeder";
	default:
		return "none";
	}
}

void grens_access_network_free(grens_access_network *net)
{
	if (!net)
		return;
	free(net->link_offset);
	free(net->links);
	free(net);
}

static grens_access_network *network_alloc(const grens_timetable *tt,
					   const grens_access_places *places, size_t links)
{
	uint32_t np = grens_access_places_count(places);
	grens_access_network *net = calloc(1, sizeof(*net));
	if (!net)
		return NULL;
	net->tt = tt;
	net->places = places;
	net->link_offset = calloc((size_t)np + 1, sizeof(uint32_t));
	net->links = calloc(links + 1, sizeof(grens_access_link));
	if (!net->link_offset || !net->links) {
		grens_access_network_free(net);
		return NULL;
	}
	return net;
}

/* A stop within reach of a place: its distance and its station. */
struct candidate {
	uint32_t stop, station;
	double dist;
};

static int cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	return (x->stop > y->stop) - (x->stop < y->stop);
}

/* Is country in the comma-separated list ("*": every country)? */
static bool country_listed(const char *list, const char *country)
{
	return grens_list_has(list, "*") || grens_list_has(list, country);
}

static int32_t seconds_of(double metres, double speed, int32_t extra)
{
	double t = ceil(metres / speed) + extra;
	return t > 86400.0 ? 86400 : (int32_t)t;
}

/* The quickest way from a place to a stop at straight-line distance d
 * without a feeder: walking or (bike allowed) cycling; false when neither
 * reaches it. */
static bool direct_tie(const grens_access_link_options *o, bool bike, double d, int32_t *sec,
		       grens_access_mode *mode)
{
	bool ok = false;
	double m = d * o->detour_factor;
	if ((o->modes & GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK)) && d <= o->max_distance_m) {
		*sec = seconds_of(m, o->walk_speed_mps, 0);
		*mode = GRENS_ACCESS_MODE_WALK;
		ok = true;
	}
	if (bike && d <= o->bike_max_distance_m) {
		int32_t t = seconds_of(m, o->bike_speed_mps, o->bike_park_s);
		if (!ok || t < *sec) {
			*sec = t;
			*mode = GRENS_ACCESS_MODE_BIKE;
		}
		ok = true;
	}
	return ok;
}

static bool bad_options(const grens_access_link_options *o)
{
	uint32_t all = GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK) |
		       GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_BIKE) |
		       GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_FEEDER);
	return o->max_stops == 0 || o->max_stops > GRENS_ACCESS_MAX_LINKS ||
	       !(o->max_distance_m >= 0.0) || !(o->walk_speed_mps > 0.0) ||
	       !(o->detour_factor >= 1.0) || o->access_time < -1 || o->access_time > 86400 ||
	       (o->modes & ~all) != 0 || !(o->bike_speed_mps > 0.0) ||
	       !(o->bike_max_distance_m >= 0.0) || o->bike_park_s < 0 || o->bike_park_s > 3600 ||
	       !(o->feeder_speed_mps > 0.0) || !(o->feeder_max_distance_m >= 0.0) ||
	       o->feeder_wait_s < 0 || o->feeder_wait_s > 86400;
}

/* Can a place be tied to stop s at all? */
static bool tieable(const grens_timetable *tt, uint32_t s)
{
	/* stations (location_type 1) are not boardable themselves */
	if (tt->stop_location_type[s] > 0 || isnan(tt->stop_lat[s]) || isnan(tt->stop_lon[s]))
		return false;
	/* a stop no vehicle calls at and no footpath leaves is a dead end */
	return tt->stop_pattern_offset[s] != tt->stop_pattern_offset[s + 1] ||
	       tt->footpath_offset[s] != tt->footpath_offset[s + 1];
}

static uint32_t station_key(const grens_timetable *tt, uint32_t s)
{
	uint32_t root = tt->stop_parent[s] != GRENS_NONE ? tt->stop_parent[s] : s;
	return tt->stop_place ? tt->stop_place[root] : root;
}

/* Tie one place: the stops of its max_stops nearest stations within the
 * reach of the first mode class that has any (walk or bike, else feeder),
 * each station's stops with the station's quickest time (the walk within a
 * station is its change time, not access). cand[0..n) sorted by distance. */
static uint32_t tie_place(const grens_access_link_options *o, const grens_timetable *tt,
			  const struct candidate *cand, uint32_t n, bool bike,
			  grens_access_link *out)
{
	bool direct = false;
	for (uint32_t i = 0; i < n && !direct; i++) {
		int32_t sec;
		grens_access_mode mode;
		direct = direct_tie(o, bike, cand[i].dist, &sec, &mode);
	}
	bool feeder = (o->modes & GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_FEEDER)) != 0;
	uint32_t station[GRENS_ACCESS_MAX_LINKS];
	int32_t station_sec[GRENS_ACCESS_MAX_LINKS];
	grens_access_mode station_mode[GRENS_ACCESS_MAX_LINKS];
	uint32_t stations = 0, used = 0;
	for (uint32_t i = 0; i < n && used < GRENS_ACCESS_MAX_LINKS; i++) {
		int32_t sec = 0;
		grens_access_mode mode = GRENS_ACCESS_MODE_NONE;
		if (direct) {
			if (!direct_tie(o, bike, cand[i].dist, &sec, &mode))
				continue;
		} else if (feeder && cand[i].dist <= o->feeder_max_distance_m) {
			sec = seconds_of(cand[i].dist * o->detour_factor, o->feeder_speed_mps,
					 o->feeder_wait_s);
			mode = GRENS_ACCESS_MODE_FEEDER;
		} else {
			continue;
		}
		uint32_t k = 0;
		while (k < stations && station[k] != cand[i].station)
			k++;
		if (k == stations) {
			if (stations == o->max_stops)
				continue; /* a farther platform of a chosen station may follow */
			station[k] = cand[i].station;
			/* candidates come nearest first: the station's first stop is its quickest */
			station_sec[k] = o->access_time >= 0 ? o->access_time : sec;
			station_mode[k] = mode;
			stations++;
		}
		out[used].stop = cand[i].stop;
		out[used].seconds = station_sec[k];
		out[used].mode = station_mode[k];
		used++;
	}
	return used;
}

int grens_access_network_new(grens_access_network **out, const grens_timetable *tt,
			     const grens_access_places *places,
			     const grens_access_link_options *opts, grens_diag *diag,
			     grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_network_new: out is NULL");
	if (opts && opts->version != GRENS_ACCESS_LINK_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_access_network_new: options version %u, not %u "
				       "(GRENS_ACCESS_LINK_OPTIONS_INIT)",
				       opts->version, GRENS_ACCESS_LINK_OPTIONS_VERSION);
	int rc = GRENS_ENOMEM;
	grens_access_network *net = NULL;
	struct candidate *cand = NULL;
	*out = NULL;
	if (!tt || !places || !opts || bad_options(opts))
		return grens_error_set(err, GRENS_EARG,
				       "bad access options (1..%u stations, distances >= 0, speeds "
				       "> 0, detour >= 1, access time -1..86400, known modes)",
				       GRENS_ACCESS_MAX_LINKS);
	uint32_t np = grens_access_places_count(places);
	net = network_alloc(tt, places, (size_t)np * GRENS_ACCESS_MAX_LINKS);
	cand = malloc(((size_t)tt->stop_count + 1) * sizeof(*cand));
	if (!net || !cand)
		goto fail;
	bool bike_on = (opts->modes & GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_BIKE)) != 0;
	bool feeder_on = (opts->modes & GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_FEEDER)) != 0;
	uint32_t used = 0;
	for (uint32_t p = 0; p < np; p++) {
		const grens_access_place *pl = grens_access_places_get(places, p);
		bool bike = bike_on && country_listed(opts->bike_countries, pl->country);
		double reach = 0.0;
		if (opts->modes & GRENS_ACCESS_MODE_BIT(GRENS_ACCESS_MODE_WALK))
			reach = opts->max_distance_m;
		if (bike && opts->bike_max_distance_m > reach)
			reach = opts->bike_max_distance_m;
		if (feeder_on && opts->feeder_max_distance_m > reach)
			reach = opts->feeder_max_distance_m;
		/* a degree of latitude is at least 110.5 km: skip the far stops cheaply */
		double dlat = reach / 110000.0;
		uint32_t n = 0;
		/* A linear scan per place: places are few (municipalities) next to
		 * the routing work, and it needs no spatial index. */
		for (uint32_t s = 0; s < tt->stop_count; s++) {
			if (!tieable(tt, s) || fabs(tt->stop_lat[s] - pl->lat) > dlat)
				continue;
			double d = grens_geo_distance_m(pl->lat, pl->lon, tt->stop_lat[s],
							tt->stop_lon[s]);
			if (d <= reach)
				cand[n++] = (struct candidate){s, station_key(tt, s), d};
		}
		qsort(cand, n, sizeof(*cand), cmp_candidate);
		net->link_offset[p] = used;
		uint32_t k = tie_place(opts, tt, cand, n, bike, net->links + used);
		used += k;
		if (k == 0)
			grens_diag_add(diag, "place_without_stop", GRENS_SEVERITY_WARNING, pl->file,
				       pl->line, "lat",
				       "no stop within reach of '%s' (walk %.0f m%s%s); reachable "
				       "only from itself",
				       pl->name, opts->max_distance_m, bike ? ", bicycle" : "",
				       feeder_on ? ", feeder" : "");
	}
	net->link_offset[np] = used;
	free(cand);
	*out = net;
	return 0;
fail:
	free(cand);
	grens_access_network_free(net);
	return grens_error_set(err, rc, "cannot tie places to stops: %s", grens_strerror(rc));
}

int grens_access_network_new_like(grens_access_network **out, const grens_timetable *tt,
				  const grens_access_network *reference, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_access_network_new_like: out is NULL");
	*out = NULL;
	if (!tt || !reference)
		return grens_error_set(err, GRENS_EARG, "no timetable or reference network");
	const grens_timetable *ref = reference->tt;
	uint32_t np = grens_access_places_count(reference->places);
	grens_access_network *net =
	    network_alloc(tt, reference->places, reference->link_offset[np]);
	if (!net)
		return grens_error_set(err, GRENS_ENOMEM, "cannot tie places to stops: %s",
				       grens_strerror(GRENS_ENOMEM));
	uint32_t used = 0;
	for (uint32_t p = 0; p < np; p++) {
		net->link_offset[p] = used;
		for (uint32_t i = reference->link_offset[p]; i < reference->link_offset[p + 1];
		     i++) {
			const grens_access_link *l = &reference->links[i];
			uint32_t s = tt == ref ? l->stop
					       : grens_net_stop_by_id(
						     tt, grens_net_str(ref, ref->feed_name[ref->stop_feed[l->stop]]),
						     grens_net_str(ref, ref->stop_id[l->stop]));
			/* a stop tt has but does not serve stays: it is simply never reached */
			if (s == GRENS_NONE)
				continue;
			net->links[used] = *l;
			net->links[used].stop = s;
			used++;
		}
	}
	net->link_offset[np] = used;
	*out = net;
	return 0;
}

uint32_t grens_access_network_links(const grens_access_network *net, uint32_t place,
				    const grens_access_link **links)
{
	if (!net || !links)
		return 0; /* NULL not allowed: docs/api.md */
	uint32_t b = net->link_offset[place], e = net->link_offset[place + 1];
	*links = net->links + b;
	return e - b;
}

grens_access_mode grens_access_network_place_mode(const grens_access_network *net,
						  uint32_t place)
{
	if (!net)
		return (grens_access_mode)0; /* NULL not allowed: docs/api.md */
	const grens_access_link *l;
	uint32_t n = grens_access_network_links(net, place, &l);
	grens_access_mode best = GRENS_ACCESS_MODE_NONE;
	int32_t sec = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (best == GRENS_ACCESS_MODE_NONE || l[i].seconds < sec) {
			best = l[i].mode;
			sec = l[i].seconds;
		}
	}
	return best;
}

void grens_access_network_summary(const grens_access_network *net,
				  grens_access_tie_summary *out)
{
	if (!net || !out)
		return; /* NULL not allowed: docs/api.md */
	memset(out, 0, sizeof(*out));
	uint32_t np = grens_access_places_count(net->places);
	for (uint32_t p = 0; p < np; p++) {
		grens_access_mode m = grens_access_network_place_mode(net, p);
		const grens_access_place *pl = grens_access_places_get(net->places, p);
		out->places[m]++;
		if (grens_access_places_kind_count(net->places) > 0)
			out->population[m] += pl->opportunities[0];
	}
}

const grens_timetable *grens_access_network_timetable(const grens_access_network *net)
{
	if (!net)
		return NULL; /* NULL not allowed: docs/api.md */
	return net->tt;
}

const grens_access_places *grens_access_network_places(const grens_access_network *net)
{
	if (!net)
		return NULL; /* NULL not allowed: docs/api.md */
	return net->places;
}
