/* The network document: what a map draws of a timetable (its stations,
 * the lines between them and the NL-DE border), for grens serve's page. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grens/report.h"
#include "job_common.h"

/* Rail: GTFS route_type 2 and the extended railway types 100-199. */
static bool is_rail(int32_t type)
{
	return type == 2 || (type >= 100 && type < 200);
}

/* The station a stop is drawn as: its parent station, else itself. */
static uint32_t station_of(const grens_timetable *tt, uint32_t s)
{
	uint32_t p = tt->stop_parent[s];
	return p != GRENS_NONE && p < tt->stop_count ? p : s;
}

static json_t *coord(double v)
{
	return isnan(v) ? json_null() : json_real(round(v * 1e6) / 1e6);
}

int grens_report_network_json(char **out, const grens_timetable *tt, bool rail_only,
			      grens_error *err)
{
	if (!out || !tt)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_network_json: out and tt are required");
	*out = NULL;
	/* [stop] its index among the stations drawn, GRENS_NONE when not drawn */
	uint32_t *at = malloc(((size_t)tt->stop_count + 1) * sizeof(*at));
	uint32_t *seq = malloc(((size_t)tt->stop_count + 1) * sizeof(*seq));
	json_t *root = json_object(), *stations = json_array(), *lines = json_array(),
	       *border = json_array();
	int rc = 0;
	if (!at || !seq || !root || !stations || !lines || !border) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto done;
	}
	for (uint32_t s = 0; s < tt->stop_count; s++)
		at[s] = GRENS_NONE;
	/* stations first, in stop order, as the patterns reach them */
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		if (rail_only && !is_rail(tt->route_type[tt->pattern_route[p]]))
			continue;
		for (uint32_t k = tt->pattern_stop_offset[p]; k < tt->pattern_stop_offset[p + 1]; k++)
			at[station_of(tt, tt->pattern_stops[k])] = 0;
	}
	uint32_t count = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		if (at[s] == GRENS_NONE)
			continue;
		at[s] = count++;
		char id[512];
		report_job_stop_id(tt, s, id, sizeof(id));
		double lat = tt->stop_lat[s], lon = tt->stop_lon[s];
		json_t *st = json_pack("{s:s, s:s, s:o, s:o, s:s}", "id", id, "name",
				       grens_net_str(tt, tt->stop_name[s]), "lat", coord(lat), "lon",
				       coord(lon), "country",
				       isnan(lat) ? "" : grens_report_country(lat, lon));
		if (!st || json_array_append_new(stations, st)) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* one line per pattern, as station indices, a station repeated by a
	 * platform change left out; a pattern with the same route and stations
	 * as the one before it is the same line */
	json_t *prev = NULL;
	for (uint32_t p = 0; p < tt->pattern_count; p++) {
		uint32_t r = tt->pattern_route[p];
		if (rail_only && !is_rail(tt->route_type[r]))
			continue;
		uint32_t n = 0;
		for (uint32_t k = tt->pattern_stop_offset[p]; k < tt->pattern_stop_offset[p + 1]; k++) {
			uint32_t i = at[station_of(tt, tt->pattern_stops[k])];
			if (!n || seq[n - 1] != i)
				seq[n++] = i;
		}
		json_t *idx = json_array();
		for (uint32_t k = 0; idx && k < n; k++)
			json_array_append_new(idx, json_integer(seq[k]));
		const char *name = grens_route_trip_route_name(tt, tt->pattern_trip_offset[p]);
		json_t *line = idx ? json_pack("{s:s, s:i, s:s, s:o}", "route", name ? name : "",
					       "type", (int)tt->route_type[r], "feed",
					       grens_net_str(tt, tt->feed_name[tt->route_feed[r]]),
					       "stations", idx)
				   : NULL;
		if (!line) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			goto done;
		}
		if (prev && json_equal(prev, line)) {
			json_decref(line);
			continue;
		}
		if (json_array_append_new(lines, line)) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			goto done;
		}
		prev = line;
	}
	size_t nb = 0;
	const double(*b)[2] = grens_geo_nl_de_border(&nb);
	for (size_t i = 0; i < nb; i++)
		json_array_append_new(border, json_pack("[f,f]", b[i][1], b[i][0])); /* [lat, lon] */
	json_object_set_new(root, "stations", stations);
	json_object_set_new(root, "lines", lines);
	json_object_set_new(root, "border", border);
	stations = lines = border = NULL;
	*out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	if (!*out)
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
done:
	json_decref(root);
	json_decref(stations);
	json_decref(lines);
	json_decref(border);
	free(at);
	free(seq);
	return rc;
}
