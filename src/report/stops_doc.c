/* The document of a station search (grens-json(7), GRENS STOPS): the
 * stations grens_net_search_stops or grens_net_nearest_stops found, as
 * JSON, as CSV and as the table grens stops prints. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* Widest id and name column of the text table (terminal columns). */
#define TEXT_COLUMN_MAX 40u

/* What the document says of a station beyond its own fields. */
struct station_facts {
	uint32_t platforms; /* its child stops of location_type 0 */
	double lat, lon;    /* its coordinates, else its first stop's that has some */
};

static int check_hits(const char *fn, const grens_timetable *tt, const grens_net_stop_hit *hits,
		      uint32_t n, grens_error *err)
{
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "%s: tt is NULL", fn);
	if (!hits && n > 0)
		return grens_error_set(err, GRENS_EINVAL, "%s: hits is NULL", fn);
	for (uint32_t i = 0; i < n; i++)
		if (hits[i].stop >= tt->stop_count)
			return grens_error_set(err, GRENS_EARG,
					       "%s: hit %u is stop %u; the timetable has %u", fn, i,
					       hits[i].stop, tt->stop_count);
	return 0;
}

static int check_query(const char *fn, const grens_report_stops_query *q, grens_error *err)
{
	if (!q)
		return grens_error_set(err, GRENS_EINVAL, "%s: query is NULL", fn);
	if (q->name && !grens_utf8_valid(q->name, strlen(q->name)))
		return grens_error_set(err, GRENS_EARG, "%s: the name searched is not UTF-8", fn);
	return 0;
}

static bool has_point(double lat, double lon)
{
	return !isnan(lat) && !isnan(lon);
}

/* The facts of hits[0..n) into *out (the caller frees it): one pass over
 * the stops. GRENS_ENOMEM. */
static int station_facts(const grens_timetable *tt, const grens_net_stop_hit *hits, uint32_t n,
			 struct station_facts **out, grens_error *err)
{
	struct station_facts *facts = calloc(n ? n : 1, sizeof(*facts));
	uint32_t *hit_of = malloc((tt->stop_count ? tt->stop_count : 1) * sizeof(uint32_t));
	if (!facts || !hit_of) {
		free(facts);
		free(hit_of);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	memset(hit_of, 0xff, (tt->stop_count ? tt->stop_count : 1) * sizeof(uint32_t));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = hits[i].stop;
		facts[i].lat = tt->stop_lat[s];
		facts[i].lon = tt->stop_lon[s];
		hit_of[s] = i;
	}
	for (uint32_t c = 0; c < tt->stop_count; c++) {
		uint32_t p = tt->stop_parent[c];
		if (p == GRENS_NONE || hit_of[p] == GRENS_NONE)
			continue;
		struct station_facts *f = &facts[hit_of[p]];
		if (!tt->stop_location_type || tt->stop_location_type[c] == 0)
			f->platforms++;
		if (!has_point(f->lat, f->lon) && has_point(tt->stop_lat[c], tt->stop_lon[c])) {
			f->lat = tt->stop_lat[c];
			f->lon = tt->stop_lon[c];
		}
	}
	free(hit_of);
	*out = facts;
	return 0;
}

static const char *feed_name(const grens_timetable *tt, uint32_t s)
{
	return grens_net_str(tt, tt->feed_name[tt->stop_feed[s]]);
}

/* "feed:stop_id" of stop s as a JSON string, whole (new reference). */
static json_t *scoped_id(const grens_timetable *tt, uint32_t s)
{
	return json_sprintf("%s:%s", feed_name(tt, s), grens_net_str(tt, tt->stop_id[s]));
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *query_json(const grens_report_stops_query *q)
{
	if (q->name)
		return json_pack("{s:s, s:I}", "name", q->name, "limit", (json_int_t)q->limit);
	return json_pack("{s:{s:o, s:o, s:o}, s:I}", "near", "lat", report_real(q->lat, 6), "lon",
			 report_real(q->lon, 6), "radius_m", report_real(q->radius_m, 1), "limit",
			 (json_int_t)q->limit);
}

static json_t *station_json(const grens_timetable *tt, const grens_net_stop_hit *h,
			    const struct station_facts *f, bool near)
{
	uint32_t s = h->stop;
	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:o, s:o}", "id", scoped_id(tt, s), "feed",
			      feed_name(tt, s), "stop_id", grens_net_str(tt, tt->stop_id[s]),
			      "name", grens_net_str(tt, tt->stop_name[s]), "lat",
			      report_real(f->lat, 6), "lon", report_real(f->lon, 6));
	if (o && near && json_object_set_new(o, "distance_m", report_real(h->distance_m, 1)) != 0) {
		json_decref(o);
		return NULL;
	}
	if (o && json_object_set_new(o, "platforms", json_integer(f->platforms)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int grens_report_stops_json(char **out, const grens_timetable *tt,
			    const grens_report_stops_query *query, const grens_net_stop_hit *hits,
			    uint32_t n, grens_error *err)
{
	static const char fn[] = "grens_report_stops_json";
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "%s: out is NULL", fn);
	*out = NULL;
	int rc = check_hits(fn, tt, hits, n, err);
	if (!rc)
		rc = check_query(fn, query, err);
	if (rc)
		return rc;
	struct station_facts *facts = NULL;
	if ((rc = station_facts(tt, hits, n, &facts, err)))
		return rc;
	json_t *stops = json_array();
	json_t *root =
	    stops ? json_pack("{s:o, s:o}", "query", query_json(query), "stops", stops) : NULL;
	for (uint32_t i = 0; root && i < n; i++) {
		if (json_array_append_new(
			stops, station_json(tt, &hits[i], &facts[i], query->name == NULL)) != 0) {
			json_decref(root);
			root = NULL;
		}
	}
	free(facts);
	*out = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
		    : NULL;
	json_decref(root);
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* ---- CSV ----------------------------------------------------------------- */

static const grens_report_column csv_columns[] = {
    {"id", GRENS_REPORT_STRING, 0},	  {"feed", GRENS_REPORT_STRING, 0},
    {"stop_id", GRENS_REPORT_STRING, 0},  {"name", GRENS_REPORT_STRING, 0},
    {"lat", GRENS_REPORT_REAL, 6},	  {"lon", GRENS_REPORT_REAL, 6},
    {"distance_m", GRENS_REPORT_REAL, 1},
};

static int csv_row(grens_report_table *t, const grens_timetable *tt, const grens_net_stop_hit *h,
		   const struct station_facts *f, grens_error *err)
{
	uint32_t s = h->stop;
	json_t *id = scoped_id(tt, s);
	int rc = id ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
	if (!rc && !(rc = grens_report_table_add_row(t, err)) &&
	    !(rc = grens_report_table_set_string(t, 0, json_string_value(id), err)) &&
	    !(rc = grens_report_table_set_string(t, 1, feed_name(tt, s), err)) &&
	    !(rc = grens_report_table_set_string(t, 2, grens_net_str(tt, tt->stop_id[s]), err)) &&
	    !(rc = grens_report_table_set_string(t, 3, grens_net_str(tt, tt->stop_name[s]), err)) &&
	    !(rc = grens_report_table_set_real(t, 4, f->lat, err)) &&
	    !(rc = grens_report_table_set_real(t, 5, f->lon, err)))
		rc = grens_report_table_set_real(t, 6, h->distance_m, err); /* NAN: empty */
	json_decref(id);
	return rc;
}

int grens_report_stops_write_csv(FILE *f, const grens_timetable *tt, const grens_net_stop_hit *hits,
				 uint32_t n, grens_error *err)
{
	static const char fn[] = "grens_report_stops_write_csv";
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "%s: f is NULL", fn);
	int rc = check_hits(fn, tt, hits, n, err);
	if (rc)
		return rc;
	struct station_facts *facts = NULL;
	grens_report_table *t = NULL;
	if ((rc = station_facts(tt, hits, n, &facts, err)) ||
	    (rc = grens_report_table_new(&t, csv_columns,
					 sizeof(csv_columns) / sizeof(csv_columns[0]), err)))
		goto done;
	for (uint32_t i = 0; i < n && !rc; i++)
		rc = csv_row(t, tt, &hits[i], &facts[i], err);
	if (!rc)
		rc = grens_report_table_write_csv(t, f, err);
done:
	grens_report_table_free(t);
	free(facts);
	return rc;
}

/* ---- text ------------------------------------------------------------------ */

/* Terminal columns of "feed:stop_id" of s. */
static size_t id_width(const grens_timetable *tt, uint32_t s)
{
	const char *feed = feed_name(tt, s), *id = grens_net_str(tt, tt->stop_id[s]);
	return grens_text_width(feed, strlen(feed)) + 1 + grens_text_width(id, strlen(id));
}

int grens_report_stops_write_text(FILE *f, const grens_timetable *tt,
				  const grens_report_stops_query *query,
				  const grens_net_stop_hit *hits, uint32_t n, grens_error *err)
{
	static const char fn[] = "grens_report_stops_write_text";
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "%s: f is NULL", fn);
	int rc = check_hits(fn, tt, hits, n, err);
	if (!rc)
		rc = check_query(fn, query, err);
	if (rc)
		return rc;
	if (n == 0) {
		if (query->name)
			fprintf(f, "no station matches '%s'\n", query->name);
		else
			fprintf(f, "no station within %.0f m of %.6f,%.6f\n", query->radius_m,
				query->lat, query->lon);
		return ferror(f) ? grens_error_set(err, GRENS_EIO, "cannot write the stations") : 0;
	}
	struct station_facts *facts = NULL;
	if ((rc = station_facts(tt, hits, n, &facts, err)))
		return rc;
	size_t wid = 2, wname = 4; /* "id", "name" */
	for (uint32_t i = 0; i < n; i++) {
		const char *name = grens_net_str(tt, tt->stop_name[hits[i].stop]);
		size_t a = id_width(tt, hits[i].stop), b = grens_text_width(name, strlen(name));
		wid = a > wid ? a : wid;
		wname = b > wname ? b : wname;
	}
	wid = wid > TEXT_COLUMN_MAX ? TEXT_COLUMN_MAX : wid;
	wname = wname > TEXT_COLUMN_MAX ? TEXT_COLUMN_MAX : wname;
	bool near = query->name == NULL;
	grens_report_text_cell(f, "id", wid, true, false);
	fputs("  ", f);
	grens_report_text_cell(f, "name", wname, true, false);
	fputs(near ? "  platforms  distance\n" : "  platforms\n", f);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t s = hits[i].stop;
		json_t *id = scoped_id(tt, s);
		grens_report_text_cell(f, id ? json_string_value(id) : "", wid, true, false);
		json_decref(id);
		fputs("  ", f);
		grens_report_text_cell(f, grens_net_str(tt, tt->stop_name[s]), wname, true, false);
		fprintf(f, "  %9u", facts[i].platforms);
		if (near)
			fprintf(f, "  %6.0f m", hits[i].distance_m);
		fputc('\n', f);
	}
	free(facts);
	return ferror(f) ? grens_error_set(err, GRENS_EIO, "cannot write the stations") : 0;
}
