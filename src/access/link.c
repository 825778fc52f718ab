/* Tying places to their nearest stops with an access walk. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"

void grens_access_network_free(grens_access_network *net)
{
	if (!net)
		return;
	free(net->link_offset);
	free(net->links);
	free(net);
}

/* Insert (stop, d) into the k-nearest list best[0..*n) (cap entries). */
static void keep_nearest(uint32_t *stop, double *dist, uint32_t *n, uint32_t cap, uint32_t s,
			 double d)
{
	uint32_t i = *n;
	if (i == cap) {
		if (d >= dist[cap - 1])
			return;
		i = cap - 1;
	} else {
		(*n)++;
	}
	while (i > 0 && dist[i - 1] > d) {
		stop[i] = stop[i - 1];
		dist[i] = dist[i - 1];
		i--;
	}
	stop[i] = s;
	dist[i] = d;
}

int grens_access_network_new(grens_access_network **out, const grens_timetable *tt,
			     const grens_access_places *places,
			     const grens_access_link_options *opts, grens_diag *diag,
			     grens_error *err)
{
	int rc = GRENS_ENOMEM;
	grens_access_network *net = NULL;
	*out = NULL;
	if (!tt || !places || !opts || opts->max_stops == 0 ||
	    opts->max_stops > GRENS_ACCESS_MAX_LINKS || !(opts->max_distance_m >= 0.0) ||
	    !(opts->walk_speed_mps > 0.0) || !(opts->detour_factor >= 1.0) ||
	    opts->access_time < -1 || opts->access_time > 86400)
		return grens_error_set(err, GRENS_EARG,
				       "bad access options (1..%u stops, distance >= 0, speed > 0, "
				       "detour >= 1, access time -1..86400)",
				       GRENS_ACCESS_MAX_LINKS);
	uint32_t np = grens_access_places_count(places);
	net = calloc(1, sizeof(*net));
	if (!net)
		goto fail;
	net->tt = tt;
	net->places = places;
	net->link_offset = calloc((size_t)np + 1, sizeof(uint32_t));
	net->links = calloc((size_t)np * opts->max_stops + 1, sizeof(grens_access_link));
	if (!net->link_offset || !net->links)
		goto fail;
	uint32_t used = 0;
	for (uint32_t p = 0; p < np; p++) {
		const grens_access_place *pl = grens_access_places_get(places, p);
		uint32_t stop[GRENS_ACCESS_MAX_LINKS];
		double dist[GRENS_ACCESS_MAX_LINKS];
		uint32_t n = 0;
		/* A linear scan per place: places are few (municipalities) next to
		 * the routing work, and it needs no spatial index. */
		for (uint32_t s = 0; s < tt->stop_count; s++) {
			/* stations (location_type 1) are not boardable themselves */
			if (tt->stop_location_type[s] > 0)
				continue;
			if (isnan(tt->stop_lat[s]) || isnan(tt->stop_lon[s]))
				continue;
			/* a stop no vehicle calls at and no footpath leaves is a dead end */
			if (tt->stop_pattern_offset[s] == tt->stop_pattern_offset[s + 1] &&
			    tt->footpath_offset[s] == tt->footpath_offset[s + 1])
				continue;
			double d = grens_geo_distance_m(pl->lat, pl->lon, tt->stop_lat[s],
							tt->stop_lon[s]);
			if (d <= opts->max_distance_m)
				keep_nearest(stop, dist, &n, opts->max_stops, s, d);
		}
		net->link_offset[p] = used;
		for (uint32_t i = 0; i < n; i++) {
			int32_t sec = opts->access_time;
			if (sec < 0) {
				double t =
				    ceil(dist[i] * opts->detour_factor / opts->walk_speed_mps);
				sec = t > 86400.0 ? 86400 : (int32_t)t;
			}
			net->links[used].stop = stop[i];
			net->links[used].seconds = sec;
			used++;
		}
		if (n == 0)
			grens_diag_add(diag, "place_without_stop", GRENS_SEVERITY_WARNING, pl->file,
				       pl->line, "lat",
				       "no stop within %.0f m of '%s'; reachable only from itself",
				       opts->max_distance_m, pl->name);
	}
	net->link_offset[np] = used;
	*out = net;
	return 0;
fail:
	grens_access_network_free(net);
	return grens_error_set(err, rc, "cannot tie places to stops: %s", grens_strerror(rc));
}

uint32_t grens_access_network_links(const grens_access_network *net, uint32_t place,
				    const grens_access_link **links)
{
	uint32_t b = net->link_offset[place], e = net->link_offset[place + 1];
	*links = net->links + b;
	return e - b;
}

const grens_timetable *grens_access_network_timetable(const grens_access_network *net)
{
	return net->tt;
}

const grens_access_places *grens_access_network_places(const grens_access_network *net)
{
	return net->places;
}
