/* The grens rt document (grens-json(7), "grens rt"): what applying one
 * FeedMessage to a timetable gave, as JSON and as the text grens rt
 * prints. Both are read from the overlay alone: its header, its counts, its
 * cancelled and added trips and its alerts. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* POSIX seconds as YYYY-MM-DDTHH:MM:SSZ, any value (no gmtime limits). */
static void format_utc(int64_t t, char *buf, size_t n)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	char date[16], tod[16];
	grens_date_format_iso((grens_date)day, date, sizeof(date));
	grens_time_format((int32_t)(t - day * 86400), tod, sizeof(tod));
	snprintf(buf, n, "%sT%sZ", date, tod);
}

static const char *trip_feed_name(const grens_timetable *tt, uint32_t trip)
{
	return grens_net_str(tt, tt->feed_name[tt->trip_feed[trip]]);
}

static const char *incrementality(const grens_rt_feed_summary *h)
{
	return h->incrementality == GRENS_RT_DIFFERENTIAL ? "DIFFERENTIAL" : "FULL_DATASET";
}

static int check_args(const char *fn, const void *out, const char *out_name,
		      const grens_timetable *tt, const grens_rt_overlay *ov, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "%s: %s is NULL", fn, out_name);
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "%s: tt is NULL", fn);
	if (!ov)
		return grens_error_set(err, GRENS_EINVAL, "%s: ov is NULL", fn);
	return 0;
}

/* ---- text ------------------------------------------------------------------ */

static void write_alerts(FILE *f, const grens_rt_overlay *ov)
{
	fprintf(f, "alerts:\n");
	for (uint32_t i = 0; i < grens_rt_alert_count(ov); i++) {
		const grens_rt_alert *al = grens_rt_alert_at(ov, i);
		fprintf(f, "  [%s] %s / %s / %s: %s\n", al->entity_id, al->cause, al->effect,
			al->severity, al->header[0] ? al->header : "(no header)");
		if (al->description[0])
			fprintf(f, "      %s\n", al->description);
		for (uint32_t k = 0; k < al->entity_count; k++) {
			const grens_rt_informed_entity *e = &al->entities[k];
			fprintf(f, "      affects%s%s%s%s%s%s%s%s\n",
				e->agency_id[0] ? " agency " : "", e->agency_id,
				e->route_id[0] ? " route " : "", e->route_id,
				e->trip_id[0] ? " trip " : "", e->trip_id,
				e->stop_id[0] ? " stop " : "", e->stop_id);
		}
	}
}

int grens_report_rt_write_text(FILE *f, const grens_timetable *tt, const grens_rt_overlay *ov,
			       grens_error *err)
{
	int rc = check_args("grens_report_rt_write_text", f, "f", tt, ov, err);
	if (rc)
		return rc;
	const grens_rt_feed_summary *h = grens_rt_overlay_header(ov);
	const grens_rt_counts *c = grens_rt_overlay_counts(ov);
	char when[40], date[16], a[16], b[16];
	format_utc(h->timestamp, when, sizeof(when));
	fprintf(f, "header: version %s, %s, timestamp %lld (%s)\n", h->version, incrementality(h),
		(long long)h->timestamp, when);
	fprintf(f,
		"entities %u: trip_updates %u, vehicle_positions %u (%u on known trips), "
		"alerts %u, deleted %u\n",
		c->entities, c->trip_updates, c->vehicle_positions, c->vehicle_positions_matched,
		c->alerts, c->deleted);
	fprintf(f,
		"trip updates: matched %u, unknown_trip %u, no_service_on_date %u, stale %u, "
		"added %u, invalid %u, unsupported %u\n",
		c->matched, c->unknown_trip, c->no_service_on_date, c->stale, c->added, c->invalid,
		c->unsupported);
	fprintf(f,
		"of the matched: cancelled %u, decreasing times fixed %u, rejected %u, "
		"duplicates %u\n",
		c->cancelled, c->decreasing_fixed, c->decreasing_rejected, c->duplicates);
	fprintf(f, "stop time updates: applied %u, unknown_stop %u, skipped_stops %u\n",
		c->stop_updates, c->unknown_stop, c->skipped_stops);
	if (c->delay_samples)
		fprintf(f, "delay_s: p50 %d, p90 %d, max %d (%u samples)\n", c->delay_p50,
			c->delay_p90, c->delay_max, c->delay_samples);
	else
		fprintf(f, "delay_s: no samples\n");
	if (c->cancelled) {
		fprintf(f, "cancelled trips:\n");
		for (uint32_t i = 0; i < grens_rt_trip_count(ov); i++) {
			const grens_rt_trip *t = grens_rt_trip_at(ov, i);
			if (!t->cancelled)
				continue;
			grens_date_format_iso(t->date, date, sizeof(date));
			fprintf(f, "  %s:%s %s\n", trip_feed_name(tt, t->trip),
				grens_net_str(tt, tt->trip_id[t->trip]), date);
		}
	}
	if (grens_rt_added_count(ov)) {
		fprintf(f, "added trips:\n");
		for (uint32_t i = 0; i < grens_rt_added_count(ov); i++) {
			const grens_rt_added_trip *t = grens_rt_added_at(ov, i);
			grens_date_format_iso(t->date, date, sizeof(date));
			grens_time_format(t->times[0].departure, a, sizeof(a));
			grens_time_format(t->times[t->stop_count - 1].arrival, b, sizeof(b));
			fprintf(f, "  %s %s%s%s: %s %s -> %s %s (%u stops)\n", t->trip_id, date,
				t->route_id[0] ? " route " : "", t->route_id,
				grens_net_str(tt, tt->stop_id[t->stops[0]]), a,
				grens_net_str(tt, tt->stop_id[t->stops[t->stop_count - 1]]), b,
				t->stop_count);
		}
	}
	if (grens_rt_alert_count(ov))
		write_alerts(f, ov);
	if (fflush(f) != 0 || ferror(f))
		return grens_error_set(err, GRENS_EIO, "cannot write the realtime summary");
	return 0;
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *json_alert(const grens_rt_alert *al)
{
	json_t *periods = json_array(), *entities = json_array();
	for (uint32_t k = 0; k < al->period_count; k++)
		json_array_append_new(periods, json_pack("{s:I,s:I}", "start",
							 (json_int_t)al->periods[k].start, "end",
							 (json_int_t)al->periods[k].end));
	for (uint32_t k = 0; k < al->entity_count; k++) {
		const grens_rt_informed_entity *e = &al->entities[k];
		json_t *o = json_object();
		if (e->agency_id[0])
			json_object_set_new(o, "agency_id", json_string(e->agency_id));
		if (e->route_id[0])
			json_object_set_new(o, "route_id", json_string(e->route_id));
		if (e->route_type >= 0)
			json_object_set_new(o, "route_type", json_integer(e->route_type));
		if (e->direction_id >= 0)
			json_object_set_new(o, "direction_id", json_integer(e->direction_id));
		if (e->trip_id[0])
			json_object_set_new(o, "trip_id", json_string(e->trip_id));
		if (e->stop_id[0])
			json_object_set_new(o, "stop_id", json_string(e->stop_id));
		json_array_append_new(entities, o);
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", al->entity_id, "cause",
			 al->cause, "effect", al->effect, "severity", al->severity, "header",
			 al->header, "description", al->description, "url", al->url,
			 "active_periods", periods, "informed_entities", entities);
}

static json_t *rt_document(const grens_timetable *tt, const grens_rt_overlay *ov)
{
	const grens_rt_feed_summary *h = grens_rt_overlay_header(ov);
	const grens_rt_counts *c = grens_rt_overlay_counts(ov);
	char date[16], a[16], b[16];
	json_t *root = json_object();
	if (!root)
		return NULL;
	json_object_set_new(root, "header",
			    json_pack("{s:I,s:s,s:s}", "timestamp", (json_int_t)h->timestamp,
				      "incrementality", incrementality(h), "version", h->version));
#define COUNT(name) json_object_set_new(root, #name, json_integer(c->name))
	COUNT(entities);
	COUNT(trip_updates);
	COUNT(matched);
	COUNT(unknown_trip);
	COUNT(unknown_stop);
	COUNT(no_service_on_date);
	COUNT(cancelled);
	COUNT(added);
	COUNT(skipped_stops);
	COUNT(stale);
	COUNT(invalid);
	COUNT(unsupported);
	COUNT(decreasing_fixed);
	COUNT(decreasing_rejected);
	COUNT(duplicates);
	COUNT(stop_updates);
	COUNT(deleted);
	COUNT(delay_samples);
	COUNT(vehicle_positions);
	COUNT(vehicle_positions_matched);
#undef COUNT
	if (c->delay_samples)
		json_object_set_new(root, "delay_s",
				    json_pack("{s:i,s:i,s:i}", "p50", c->delay_p50, "p90",
					      c->delay_p90, "max", c->delay_max));
	else
		json_object_set_new(root, "delay_s",
				    json_pack("{s:n,s:n,s:n}", "p50", "p90", "max"));
	json_t *alerts = json_array();
	for (uint32_t i = 0; i < grens_rt_alert_count(ov); i++)
		json_array_append_new(alerts, json_alert(grens_rt_alert_at(ov, i)));
	json_object_set_new(root, "alerts", alerts);
	json_t *cancelled = json_array();
	for (uint32_t i = 0; i < grens_rt_trip_count(ov); i++) {
		const grens_rt_trip *t = grens_rt_trip_at(ov, i);
		if (!t->cancelled)
			continue;
		grens_date_format_iso(t->date, date, sizeof(date));
		json_array_append_new(cancelled, json_pack("{s:s,s:s,s:s}", "feed",
							   trip_feed_name(tt, t->trip), "trip_id",
							   grens_net_str(tt, tt->trip_id[t->trip]),
							   "date", date));
	}
	json_object_set_new(root, "cancelled_trips", cancelled);
	json_t *added = json_array();
	for (uint32_t i = 0; i < grens_rt_added_count(ov); i++) {
		const grens_rt_added_trip *t = grens_rt_added_at(ov, i);
		json_t *stops = json_array();
		for (uint32_t k = 0; k < t->stop_count; k++) {
			grens_time_format(t->times[k].arrival, a, sizeof(a));
			grens_time_format(t->times[k].departure, b, sizeof(b));
			json_array_append_new(stops,
					      json_pack("{s:s,s:s,s:s}", "stop_id",
							grens_net_str(tt, tt->stop_id[t->stops[k]]),
							"arrival", a, "departure", b));
		}
		grens_date_format_iso(t->date, date, sizeof(date));
		json_array_append_new(added, json_pack("{s:s,s:s,s:s,s:o}", "trip_id", t->trip_id,
						       "route_id", t->route_id, "date", date,
						       "stops", stops));
	}
	json_object_set_new(root, "added_trips", added);
	return root;
}

int grens_report_rt_json(char **out, const grens_timetable *tt, const grens_rt_overlay *ov,
			 grens_error *err)
{
	int rc = check_args("grens_report_rt_json", out, "out", tt, ov, err);
	if (rc)
		return rc;
	json_t *root = rt_document(tt, ov);
	*out = root ? json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}
