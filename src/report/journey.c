/* The one encoding of a journey (grens-json(7), JOURNEYS): the JSON object
 * route, compare and report write, its CSV rows (one per leg: grens route
 * --format csv and journeys.csv) and the text grens route prints. The CSV is
 * rendered from the JSON object, so report.json stays the source of
 * journeys.csv; the text is rendered from the result, as it shows the
 * departure delay the JSON does not carry. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static void stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%s", grens_net_str(tt, tt->feed_name[tt->stop_feed[stop]]),
		 grens_net_str(tt, tt->stop_id[stop]));
}

/* A stop's coordinates: a platform without them takes its station's. */
static void stop_position(const grens_timetable *tt, uint32_t stop, double *lat, double *lon)
{
	*lat = tt->stop_lat[stop];
	*lon = tt->stop_lon[stop];
	if (!isfinite(*lat) && tt->stop_parent[stop] != GRENS_NONE) {
		*lat = tt->stop_lat[tt->stop_parent[stop]];
		*lon = tt->stop_lon[tt->stop_parent[stop]];
	}
}

static const char *stop_country(const grens_timetable *tt, uint32_t stop)
{
	double lat, lon;
	stop_position(tt, stop, &lat, &lon);
	return grens_report_country(lat, lon);
}

static json_t *stop_json(const grens_timetable *tt, uint32_t stop)
{
	char id[512];
	double lat, lon;
	stop_position(tt, stop, &lat, &lon);
	stop_id(tt, stop, id, sizeof(id));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "id", id, "name",
			 grens_net_str(tt, tt->stop_name[stop]), "feed",
			 grens_net_str(tt, tt->feed_name[tt->stop_feed[stop]]), "country",
			 grens_report_country(lat, lon), "lat", report_real(lat, 6), "lon",
			 report_real(lon, 6));
}

/* A leg crosses the border when its stops are in different feeds or, by
 * their coordinates, in two countries (a stop whose country is unknown
 * decides nothing). */
static bool leg_border(const grens_timetable *tt, const grens_route_leg *leg)
{
	if (tt->stop_feed[leg->from_stop] != tt->stop_feed[leg->to_stop])
		return true;
	const char *cf = stop_country(tt, leg->from_stop), *ct = stop_country(tt, leg->to_stop);
	return cf[0] && ct[0] && strcmp(cf, ct) != 0;
}

static int set_time(json_t *o, const char *key, grens_date date, int32_t t)
{
	char buf[40];
	grens_route_format_time(date, t, buf, sizeof(buf));
	return json_object_set_new(o, key, json_string(buf));
}

/* The transit fields of a leg: what it rides and, with a realtime overlay,
 * its timetable times and the delay at the arrival. */
static int transit_json(json_t *o, const grens_timetable *tt, const grens_rt_overlay *rt,
			grens_date date, const grens_route_leg *l)
{
	grens_route_leg_info li;
	char id[512];
	grens_route_leg_describe(tt, rt, l, &li);
	/* feed:trip_id, as stop ids are scoped everywhere */
	snprintf(id, sizeof(id), "%s:%s", li.feed, li.trip_id);
	if (json_object_set_new(o, "route", json_string(li.route)) ||
	    json_object_set_new(o, "trip_id", json_string(id)) ||
	    json_object_set_new(o, "headsign", json_string(li.headsign)) ||
	    json_object_set_new(o, "feed", json_string(li.feed)))
		return -1;
	/* a block continuation: the same vehicle, no change */
	if (l->stay_seated && json_object_set_new(o, "stay_seated", json_true()))
		return -1;
	if (!rt)
		return 0;
	if (json_object_set_new(o, "realtime", json_boolean(l->realtime)) ||
	    set_time(o, "scheduled_departure", date, l->scheduled_departure) ||
	    set_time(o, "scheduled_arrival", date, l->scheduled_arrival) ||
	    json_object_set_new(o, "delay_s", json_integer(l->arrival - l->scheduled_arrival)))
		return -1;
	return 0;
}

json_t *report_journey_json(const grens_timetable *tt, const grens_rt_overlay *rt,
			    grens_date date, const grens_route_result *result, uint32_t index)
{
	const grens_route_journey *j = &result->journeys[index];
	char dep[40], arr[40];
	grens_route_format_time(date, j->departure, dep, sizeof(dep));
	grens_route_format_time(date, j->arrival, arr, sizeof(arr));
	json_t *legs = json_array();
	json_t *jo = json_pack("{s:s, s:s, s:i, s:i, s:b, s:o}", "departure", dep, "arrival", arr,
			       "duration_s", (json_int_t)(j->arrival - j->departure),
			       "transfers", (json_int_t)j->transfers, "crosses_border", 0,
			       "legs", legs);
	if (!jo)
		return NULL;
	bool crosses = false;
	for (uint32_t i = 0; i < j->leg_count; i++) {
		const grens_route_leg *l = &result->legs[j->leg_offset + i];
		bool border = leg_border(tt, l);
		crosses = crosses || border;
		grens_route_format_time(date, l->departure, dep, sizeof(dep));
		grens_route_format_time(date, l->arrival, arr, sizeof(arr));
		json_t *lo = json_pack("{s:s, s:o, s:o, s:s, s:s, s:i, s:b}", "mode",
				       l->mode == GRENS_ROUTE_LEG_WALK ? "walk" : "transit",
				       "from", stop_json(tt, l->from_stop), "to",
				       stop_json(tt, l->to_stop), "departure", dep, "arrival", arr,
				       "duration_s", (json_int_t)(l->arrival - l->departure),
				       "border", border);
		if (!lo || json_array_append_new(legs, lo))
			goto fail;
		if (l->mode == GRENS_ROUTE_LEG_TRANSIT && transit_json(lo, tt, rt, date, l))
			goto fail;
	}
	if (json_object_set_new(jo, "crosses_border", json_boolean(crosses)))
		goto fail;
	return jo;
fail:
	json_decref(jo);
	return NULL;
}

/* Checks shared by the public encoders. */
static int check_args(const char *fn, const void *out, const char *out_name,
		      const grens_timetable *tt, const grens_route_result *result,
		      grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "%s: %s is NULL", fn, out_name);
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "%s: tt is NULL", fn);
	if (!result)
		return grens_error_set(err, GRENS_EINVAL, "%s: result is NULL", fn);
	return 0;
}

int grens_report_journey_json(char **out, const grens_timetable *tt, const grens_rt_overlay *rt,
			      grens_date date, const grens_route_result *result, uint32_t index,
			      grens_error *err)
{
	int rc = check_args("grens_report_journey_json", out, "out", tt, result, err);
	if (rc)
		return rc;
	*out = NULL;
	if (index >= result->journey_count)
		return grens_error_set(err, GRENS_EARG, "no journey %u in the result", index);
	json_t *jo = report_journey_json(tt, rt, date, result, index);
	*out = jo ? json_dumps(jo, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
		  : NULL;
	json_decref(jo);
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* ---- CSV: one row per leg ------------------------------------------------------ */
/* Columns after journey (and scenario) and leg: the leg's keys (dotted:
 * inside its stops), then the journey's transfers, then the realtime keys.
 * The first columns keep their places, so scripts that read them by
 * position go on working. */
static const grens_report_column leg_cols[] = {
	{ "mode", GRENS_REPORT_STRING, 0 },	    { "from_id", GRENS_REPORT_STRING, 0 },
	{ "from_name", GRENS_REPORT_STRING, 0 },    { "to_id", GRENS_REPORT_STRING, 0 },
	{ "to_name", GRENS_REPORT_STRING, 0 },	    { "departure", GRENS_REPORT_STRING, 0 },
	{ "arrival", GRENS_REPORT_STRING, 0 },	    { "duration_s", GRENS_REPORT_INT, 0 },
	{ "route", GRENS_REPORT_STRING, 0 },	    { "trip_id", GRENS_REPORT_STRING, 0 },
	{ "headsign", GRENS_REPORT_STRING, 0 },	    { "feed", GRENS_REPORT_STRING, 0 },
	{ "from_country", GRENS_REPORT_STRING, 0 }, { "to_country", GRENS_REPORT_STRING, 0 },
	{ "border", GRENS_REPORT_INT, 0 },	    { "stay_seated", GRENS_REPORT_INT, 0 },
};
static const char *const leg_paths[] = {
	"mode",	   "from.id", "from.name", "to.id",	   "to.name",	 "departure",
	"arrival", "duration_s", "route", "trip_id",	   "headsign",	 "feed",
	"from.country", "to.country", "border", "stay_seated",
};
static const grens_report_column rt_cols[] = {
	{ "realtime", GRENS_REPORT_INT, 0 },
	{ "scheduled_departure", GRENS_REPORT_STRING, 0 },
	{ "scheduled_arrival", GRENS_REPORT_STRING, 0 },
	{ "delay_s", GRENS_REPORT_INT, 0 },
};
static const char *const rt_paths[] = { "realtime", "scheduled_departure", "scheduled_arrival",
					"delay_s" };

#define COUNT(a) ((uint32_t)(sizeof(a) / sizeof(a[0])))

int report_journey_table_new(grens_report_table **out, bool scenario, bool realtime,
			     grens_error *err)
{
	grens_report_column cols[3 + COUNT(leg_cols) + 1 + COUNT(rt_cols)];
	uint32_t n = 0;
	cols[n++] = (grens_report_column){ "journey", GRENS_REPORT_INT, 0 };
	if (scenario)
		cols[n++] = (grens_report_column){ "scenario", GRENS_REPORT_STRING, 0 };
	cols[n++] = (grens_report_column){ "leg", GRENS_REPORT_INT, 0 };
	for (uint32_t i = 0; i < COUNT(leg_cols); i++)
		cols[n++] = leg_cols[i];
	cols[n++] = (grens_report_column){ "transfers", GRENS_REPORT_INT, 0 };
	for (uint32_t i = 0; realtime && i < COUNT(rt_cols); i++)
		cols[n++] = rt_cols[i];
	return grens_report_table_new(out, cols, n, err);
}

int report_journey_table_add(grens_report_table *table, uint32_t number, const json_t *journey,
			     grens_error *err)
{
	bool scenario = grens_report_table_column(table, "scenario") != GRENS_NONE;
	bool realtime = grens_report_table_column(table, "realtime") != GRENS_NONE;
	size_t k;
	const json_t *leg;
	json_array_foreach(json_object_get(journey, "legs"), k, leg)
	{
		uint32_t c = 0;
		bool walk = strcmp(report_str(leg, "mode"), "walk") == 0;
		int rc = grens_report_table_add_row(table, err);
		if (!rc)
			rc = grens_report_table_set_int(table, c++, number, err);
		if (!rc && scenario)
			rc = report_put_value(table, c++, json_object_get(journey, "scenario"), err);
		if (!rc)
			rc = grens_report_table_set_int(table, c++, (int64_t)k + 1, err);
		if (!rc)
			rc = report_put_cells(table, c, leg, leg_paths, COUNT(leg_paths), err);
		c += COUNT(leg_paths);
		/* stay_seated is 0 or 1 on every leg, not only where the JSON has it */
		if (!rc && !json_object_get(leg, "stay_seated"))
			rc = grens_report_table_set_int(table, c - 1, 0, err);
		if (!rc)
			rc = report_put_value(table, c++, json_object_get(journey, "transfers"),
					      err);
		if (!rc && realtime && !walk)
			rc = report_put_cells(table, c, leg, rt_paths, COUNT(rt_paths), err);
		if (rc)
			return rc;
	}
	return 0;
}

int grens_report_journeys_write_csv(FILE *f, const grens_timetable *tt,
				    const grens_rt_overlay *rt, grens_date date,
				    const grens_route_result *result, grens_error *err)
{
	int rc = check_args("grens_report_journeys_write_csv", f, "f", tt, result, err);
	if (rc)
		return rc;
	grens_report_table *t = NULL;
	rc = report_journey_table_new(&t, false, rt != NULL, err);
	for (uint32_t j = 0; !rc && j < result->journey_count; j++) {
		json_t *jo = report_journey_json(tt, rt, date, result, j);
		rc = jo ? report_journey_table_add(t, j + 1, jo, err)
			: grens_error_set(err, GRENS_ENOMEM, "out of memory");
		json_decref(jo);
	}
	if (!rc)
		rc = grens_report_table_write_csv(t, f, err);
	grens_report_table_free(t);
	return rc;
}

/* ---- text ------------------------------------------------------------------------ */
/* h:mm, with :ss when the seconds are not whole minutes. */
static void duration_text(int32_t secs, char *buf, size_t bufsz)
{
	if (secs % 60)
		snprintf(buf, bufsz, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
	else
		snprintf(buf, bufsz, "%d:%02d", secs / 3600, secs / 60 % 60);
}

/* " (+3)" after a live time: its delay in minutes (m:ss when not whole). */
static void delay_text(int32_t delay, char *buf, size_t bufsz)
{
	int32_t a = delay < 0 ? -delay : delay;
	if (a % 60)
		snprintf(buf, bufsz, " (%c%d:%02d)", delay < 0 ? '-' : '+', a / 60, a % 60);
	else
		snprintf(buf, bufsz, " (%c%d)", delay < 0 ? '-' : '+', a / 60);
}

static void leg_text(FILE *f, const grens_timetable *tt, const grens_rt_overlay *rt,
		     grens_date date, const grens_route_leg *l)
{
	char dep[40], arv[40], from[512], to[512];
	const char *from_name = grens_net_str(tt, tt->stop_name[l->from_stop]);
	const char *to_name = grens_net_str(tt, tt->stop_name[l->to_stop]);
	stop_id(tt, l->from_stop, from, sizeof(from));
	stop_id(tt, l->to_stop, to, sizeof(to));
	if (l->mode == GRENS_ROUTE_LEG_WALK) {
		fprintf(f, "  walk %d s: %s (%s) -> %s (%s)\n", l->arrival - l->departure,
			from_name, from, to_name, to);
		return;
	}
	char dd[32] = "", ad[32] = "";
	bool live = rt && l->realtime;
	grens_route_leg_info li;
	grens_route_leg_describe(tt, rt, l, &li);
	grens_route_format_time(date, l->departure, dep, sizeof(dep));
	grens_route_format_time(date, l->arrival, arv, sizeof(arv));
	if (live) {
		delay_text(l->departure - l->scheduled_departure, dd, sizeof(dd));
		delay_text(l->arrival - l->scheduled_arrival, ad, sizeof(ad));
	}
	/* the clock time only: the date is the journey line's */
	fprintf(f, "  %s%s %s (%s) -> %s%s %s (%s)  %s to %s, trip %s [%s]%s%s\n", dep + 11, dd,
		from_name, from, arv + 11, ad, to_name, to, li.route, li.headsign, li.trip_id,
		li.feed, l->stay_seated ? " (stay seated)" : "", live ? " live" : "");
}

int grens_report_journeys_write_text(FILE *f, const grens_timetable *tt,
				     const grens_rt_overlay *rt, grens_date date,
				     const grens_route_result *result, grens_error *err)
{
	int rc = check_args("grens_report_journeys_write_text", f, "f", tt, result, err);
	if (rc)
		return rc;
	if (result->journey_count == 0)
		fprintf(f, "no journey found\n");
	for (uint32_t j = 0; j < result->journey_count; j++) {
		const grens_route_journey *jr = &result->journeys[j];
		char dep[40], arv[40], dur[32];
		grens_route_format_time(date, jr->departure, dep, sizeof(dep));
		grens_route_format_time(date, jr->arrival, arv, sizeof(arv));
		duration_text(jr->arrival - jr->departure, dur, sizeof(dur));
		fprintf(f, "journey %u: %s -> %s, %s, %u transfer%s\n", j + 1, dep, arv, dur,
			jr->transfers, jr->transfers == 1 ? "" : "s");
		for (uint32_t i = 0; i < jr->leg_count; i++)
			leg_text(f, tt, rt, date, &result->legs[jr->leg_offset + i]);
	}
	if (fflush(f) != 0 || ferror(f))
		return grens_error_set(err, GRENS_EIO, "cannot write the journeys");
	return 0;
}
