/* The places of grens access and grens report (grens-json(7), meta.access,
 * meta.unplaced): how places were tied to stops, what could not be placed,
 * and the link options; as JSON and as the sentences text and the report
 * print. */
#include <math.h>
#include <stdlib.h>

#include "report_internal.h"

/* A sum of people as a JSON integer. */
static json_t *count_json(double v)
{
	return json_integer((json_int_t)llround(v));
}

/* Compact JSON text of o into *out; o is released. */
static int dump_compact(char **out, json_t *o, grens_error *err)
{
	*out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* The modes in the order a place tries them, then the untied. */
static const grens_access_mode tie_order[] = {GRENS_ACCESS_MODE_WALK, GRENS_ACCESS_MODE_BIKE,
					      GRENS_ACCESS_MODE_FEEDER, GRENS_ACCESS_MODE_NONE};

int grens_report_places_ties_json(char **out, const grens_access_network *net, grens_error *err)
{
	if (!out || !net)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_places_ties_json: out or net is NULL");
	*out = NULL;
	grens_access_tie_summary s;
	grens_access_network_summary(net, &s);
	json_t *j = json_object();
	for (unsigned i = 0; j && i < 4; i++) {
		grens_access_mode m = tie_order[i];
		json_object_set_new(j, grens_access_mode_name(m),
				    json_pack("{s:i, s:o}", "places", (json_int_t)s.places[m],
					      "population", count_json(s.population[m])));
	}
	return dump_compact(out, j, err);
}

int grens_report_places_unplaced_json(char **out, const grens_access_places *places,
				      grens_error *err)
{
	if (!out || !places)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_places_unplaced_json: out or places is NULL");
	*out = NULL;
	json_t *j = json_pack("{s:i, s:o}", "municipalities",
			      (json_int_t)grens_access_places_unplaced_count(places), "population",
			      count_json(grens_access_places_unplaced(places, 0)));
	return dump_compact(out, j, err);
}

int grens_report_places_access_json(char **out, const grens_access_link_options *o,
				    grens_error *err)
{
	if (!out || !o)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_places_access_json: out or o is NULL");
	*out = NULL;
	json_t *modes = json_array();
	for (unsigned m = GRENS_ACCESS_MODE_WALK; m < GRENS_ACCESS_MODE_COUNT; m++)
		if (o->modes & GRENS_ACCESS_MODE_BIT(m))
			json_array_append_new(modes, json_string(grens_access_mode_name(m)));
	json_t *j = json_pack(
	    "{s:o, s:f, s:i, s:f, s:f, s:i, s:f, s:f, s:i, s:s, s:f, s:f, s:i}", "modes", modes,
	    "max_distance_m", o->max_distance_m, "max_stops", (json_int_t)o->max_stops,
	    "walk_speed_mps", o->walk_speed_mps, "detour_factor", o->detour_factor, "access_time_s",
	    (json_int_t)o->access_time, "bike_speed_mps", o->bike_speed_mps, "bike_max_distance_m",
	    o->bike_max_distance_m, "bike_park_s", (json_int_t)o->bike_park_s, "bike_countries",
	    o->bike_countries ? o->bike_countries : "", "feeder_speed_kmh",
	    o->feeder_speed_mps * 3.6, "feeder_max_distance_m", o->feeder_max_distance_m,
	    "feeder_wait_s", (json_int_t)o->feeder_wait_s);
	return dump_compact(out, j, err);
}

void grens_report_places_ties_text(char *buf, size_t n, const grens_access_network *net,
				   const grens_access_link_options *o)
{
	if (!net || !o) {
		grens_report_ties_text(buf, n, NULL);
		return;
	}
	grens_access_tie_summary s;
	grens_access_network_summary(net, &s);
	/* the numbers the JSON carries: people rounded, km/h from m/s */
	grens_report_ties t = {.feeder_kmh = o->feeder_speed_mps * 3.6,
			       .feeder_wait_s = o->feeder_wait_s};
	for (unsigned i = 0; i < 4; i++) {
		t.places[i] = (int64_t)s.places[tie_order[i]];
		t.people[i] = (int64_t)llround(s.population[tie_order[i]]);
	}
	grens_report_ties_text(buf, n, &t);
}

void grens_report_places_unplaced_text(char *buf, size_t n, const grens_access_places *places)
{
	if (!places) {
		grens_report_ties_text(buf, n, NULL);
		return;
	}
	grens_report_unplaced_text(buf, n,
				   (int64_t)llround(grens_access_places_unplaced(places, 0)),
				   (int64_t)grens_access_places_unplaced_count(places));
}
