/* The document of grens info (grens-json(7), "grens info"): each usable
 * feed's agencies, row counts, service dates, patterns and notices, what
 * --clip kept, and the timetable built over them; as JSON or as text. */
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

static const char *severity_name[] = {"info", "warning", "error"};

static void date_or_null(json_t *obj, const char *key, grens_date d)
{
	char buf[16];
	if (d == GRENS_DATE_NONE) {
		json_object_set_new(obj, key, json_null());
		return;
	}
	grens_date_format_iso(d, buf, sizeof(buf));
	json_object_set_new(obj, key, json_string(buf));
}

/* The patterns of the timetable that run routes of feed (its index among
 * the usable feeds). */
static uint32_t feed_patterns(const grens_timetable *tt, uint32_t feed)
{
	uint32_t n = 0;
	for (uint32_t p = 0; tt && p < tt->pattern_count; p++)
		n += tt->route_feed[tt->pattern_route[p]] == feed;
	return n;
}

static size_t summary_count(const grens_diag *diag)
{
	return diag ? grens_diag_summary_count(diag) : 0;
}

static json_t *notices_json(const grens_diag *diag)
{
	json_t *notices = json_array();
	for (size_t i = 0; i < summary_count(diag); i++) {
		const grens_notice_summary *s = grens_diag_summary(diag, i);
		json_t *n = json_object();
		json_object_set_new(n, "code", json_string(s->code));
		json_object_set_new(n, "severity", json_string(severity_name[s->severity]));
		json_object_set_new(n, "count", json_integer((json_int_t)s->count));
		json_t *first = json_object();
		json_object_set_new(first, "file", json_string(s->first.file));
		json_object_set_new(first, "line", json_integer(s->first.line));
		json_object_set_new(first, "field", json_string(s->first.field));
		json_object_set_new(first, "message", json_string(s->first.message));
		json_object_set_new(n, "first", first);
		json_array_append_new(notices, n);
	}
	return notices;
}

static json_t *feed_json(const grens_gtfs_feed *f, const grens_diag *diag, uint32_t patterns)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(f->name));
	json_object_set_new(o, "path", json_string(f->path));
	json_t *ag = json_array();
	for (uint32_t i = 0; i < f->agency_count; i++) {
		json_t *a = json_object();
		json_object_set_new(a, "id", json_string(f->agencies[i].id));
		json_object_set_new(a, "name", json_string(f->agencies[i].name));
		json_object_set_new(a, "timezone", json_string(f->agencies[i].timezone));
		json_array_append_new(ag, a);
	}
	json_object_set_new(o, "agencies", ag);
	json_t *c = json_object();
	const grens_gtfs_counts *k = &f->counts;
	json_object_set_new(c, "agency", json_integer((json_int_t)k->agency));
	json_object_set_new(c, "stops", json_integer((json_int_t)k->stops));
	json_object_set_new(c, "routes", json_integer((json_int_t)k->routes));
	json_object_set_new(c, "trips", json_integer((json_int_t)k->trips));
	json_object_set_new(c, "stop_times", json_integer((json_int_t)k->stop_times));
	json_object_set_new(c, "calendar", json_integer((json_int_t)k->calendar));
	json_object_set_new(c, "calendar_dates", json_integer((json_int_t)k->calendar_dates));
	json_object_set_new(c, "transfers", json_integer((json_int_t)k->transfers));
	json_object_set_new(c, "frequencies", json_integer((json_int_t)k->frequencies));
	json_object_set_new(c, "rows_skipped", json_integer((json_int_t)k->rows_skipped));
	json_object_set_new(o, "counts", c);
	json_t *sd = json_object();
	date_or_null(sd, "first", f->first_service_date);
	date_or_null(sd, "last", f->last_service_date);
	json_object_set_new(o, "service_dates", sd);
	json_object_set_new(o, "patterns", json_integer(patterns));
	if (f->feed_info.present) {
		json_t *fi = json_object();
		json_object_set_new(fi, "publisher_name", json_string(f->feed_info.publisher_name));
		json_object_set_new(fi, "version", json_string(f->feed_info.version));
		date_or_null(fi, "start_date", f->feed_info.start_date);
		date_or_null(fi, "end_date", f->feed_info.end_date);
		json_object_set_new(o, "feed_info", fi);
	}
	json_object_set_new(o, "notices", notices_json(diag));
	return o;
}

static unsigned long long total(const grens_diag *diag, grens_severity severity)
{
	return diag ? (unsigned long long)grens_diag_total(diag, severity) : 0;
}

static void feed_text(FILE *o, const grens_gtfs_feed *f, const grens_diag *diag, uint32_t patterns,
		      uint32_t max_notices)
{
	const grens_gtfs_counts *k = &f->counts;
	char first[16] = "-", last[16] = "-";
	fprintf(o, "feed %s (%s)\n", f->name, f->path);
	for (uint32_t i = 0; i < f->agency_count; i++)
		fprintf(o, "  agency   %s%s%s [%s]\n", f->agencies[i].name,
			f->agencies[i].id[0] ? " id " : "", f->agencies[i].id,
			f->agencies[i].timezone);
	if (f->feed_info.present)
		fprintf(o, "  feed_info %s, version %s\n", f->feed_info.publisher_name,
			f->feed_info.version[0] ? f->feed_info.version : "-");
	fprintf(o,
		"  rows     agency %llu, stops %llu, routes %llu, trips %llu, stop_times %llu,\n"
		"           calendar %llu, calendar_dates %llu, transfers %llu, frequencies %llu"
		" (skipped %llu)\n",
		(unsigned long long)k->agency, (unsigned long long)k->stops,
		(unsigned long long)k->routes, (unsigned long long)k->trips,
		(unsigned long long)k->stop_times, (unsigned long long)k->calendar,
		(unsigned long long)k->calendar_dates, (unsigned long long)k->transfers,
		(unsigned long long)k->frequencies, (unsigned long long)k->rows_skipped);
	if (f->first_service_date != GRENS_DATE_NONE) {
		grens_date_format_iso(f->first_service_date, first, sizeof(first));
		grens_date_format_iso(f->last_service_date, last, sizeof(last));
	}
	fprintf(o, "  service  %s .. %s\n", first, last);
	fprintf(o, "  patterns %u\n", patterns);
	fprintf(o, "  notices  %llu errors, %llu warnings, %llu info\n",
		total(diag, GRENS_SEVERITY_ERROR), total(diag, GRENS_SEVERITY_WARNING),
		total(diag, GRENS_SEVERITY_INFO));
	for (size_t i = 0; i < summary_count(diag); i++) {
		const grens_notice_summary *s = grens_diag_summary(diag, i);
		fprintf(o, "    %-7s %-50s x%llu  first at %s:%u%s%s\n", severity_name[s->severity],
			s->code, (unsigned long long)s->count, s->first.file, s->first.line,
			s->first.field[0] ? " " : "", s->first.field);
	}
	size_t kept = diag ? grens_diag_kept_count(diag) : 0;
	for (size_t i = 0; i < kept && i < (size_t)max_notices; i++) {
		const grens_notice *n = grens_diag_kept(diag, i);
		fprintf(o, "    %s:%u: %s%s%s: %s%s%s\n", n->file, n->line, n->field,
			n->field[0] ? ": " : "", severity_name[n->severity], n->code,
			n->message[0] ? ": " : "", n->message);
	}
	if (kept > (size_t)max_notices)
		fprintf(o, "    (%zu more notices not listed; --notices N shows more)\n",
			kept - (size_t)max_notices);
}

/* What --clip kept of a feed: [before, after] per count. */
static json_t *clip_json(const grens_gtfs_clip_counts *c)
{
	return json_pack("{s:[i, i], s:[i, i], s:[i, i], s:[I, I], s:i}", "stops",
			 (json_int_t)c->stops_before, (json_int_t)c->stops, "routes",
			 (json_int_t)c->routes_before, (json_int_t)c->routes, "trips",
			 (json_int_t)c->trips_before, (json_int_t)c->trips, "stop_times",
			 (json_int_t)c->stop_times_before, (json_int_t)c->stop_times,
			 "trips_cut_in_parts", (json_int_t)c->trips_split);
}

static void clip_text(FILE *o, const grens_gtfs_clip_counts *c)
{
	fprintf(o,
		"  clip     stops %u -> %u, routes %u -> %u, trips %u -> %u (%u cut in parts), "
		"stop_times %llu -> %llu\n",
		c->stops_before, c->stops, c->routes_before, c->routes, c->trips_before, c->trips,
		c->trips_split, (unsigned long long)c->stop_times_before,
		(unsigned long long)c->stop_times);
}

static int check_args(const char *fn, FILE *f, const grens_report_info *doc, grens_error *err)
{
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "%s: f is NULL", fn);
	if (!doc)
		return grens_error_set(err, GRENS_EINVAL, "%s: doc is NULL", fn);
	if (doc->feed_count && (!doc->feeds || !doc->diags))
		return grens_error_set(err, GRENS_EINVAL, "%s: doc->feeds or doc->diags is NULL",
				       fn);
	return 0;
}

int grens_report_info_write_json(FILE *f, const grens_report_info *doc, grens_error *err)
{
	int rc = check_args("grens_report_info_write_json", f, doc, err);
	if (rc)
		return rc;
	const grens_timetable *tt = doc->tt;
	json_t *root = json_object();
	json_t *arr = json_array();
	uint32_t usable = 0;
	for (uint32_t i = 0; i < doc->feed_count; i++) {
		if (!doc->feeds[i])
			continue;
		json_t *fj = feed_json(doc->feeds[i], doc->diags[i], feed_patterns(tt, usable++));
		if (doc->clips)
			json_object_set_new(fj, "clip", clip_json(&doc->clips[i]));
		json_array_append_new(arr, fj);
	}
	json_object_set_new(root, "feeds", arr);
	if (tt) {
		json_t *t = json_object();
		json_object_set_new(t, "stops", json_integer(tt->stop_count));
		json_object_set_new(t, "patterns", json_integer(tt->pattern_count));
		json_object_set_new(t, "trips", json_integer(tt->trip_count));
		json_object_set_new(t, "stop_events",
				    json_integer((json_int_t)tt->stop_time_count));
		json_object_set_new(t, "footpaths",
				    json_integer(tt->footpath_offset[tt->stop_count]));
		json_object_set_new(t, "bytes", json_integer((json_int_t)grens_net_bytes(tt)));
		json_object_set_new(t, "notices", notices_json(doc->net_diag));
		json_object_set_new(root, "timetable", t);
	}
	char *s = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(root);
	if (!s)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	rc = fputs(s, f) == EOF || fputc('\n', f) == EOF;
	free(s);
	return rc ? grens_error_set(err, GRENS_EIO, "cannot write JSON") : 0;
}

int grens_report_info_write_text(FILE *f, const grens_report_info *doc, grens_error *err)
{
	int rc = check_args("grens_report_info_write_text", f, doc, err);
	if (rc)
		return rc;
	const grens_timetable *tt = doc->tt;
	uint32_t usable = 0;
	for (uint32_t i = 0; i < doc->feed_count; i++) {
		if (!doc->feeds[i])
			continue;
		feed_text(f, doc->feeds[i], doc->diags[i], feed_patterns(tt, usable++),
			  doc->max_notices);
		if (doc->clips)
			clip_text(f, &doc->clips[i]);
	}
	if (tt)
		fprintf(f,
			"timetable %u stops, %u patterns, %u trips, %llu stop events, "
			"%u footpaths, %.1f MB\n",
			tt->stop_count, tt->pattern_count, tt->trip_count,
			(unsigned long long)tt->stop_time_count,
			tt->footpath_offset[tt->stop_count], (double)grens_net_bytes(tt) / 1e6);
	for (size_t i = 0; i < summary_count(doc->net_diag); i++) {
		const grens_notice_summary *s = grens_diag_summary(doc->net_diag, i);
		fprintf(f, "  %-7s %-50s x%llu  first: %s\n", severity_name[s->severity], s->code,
			(unsigned long long)s->count, s->first.message);
	}
	return ferror(f) ? grens_error_set(err, GRENS_EIO, "cannot write the feed summary") : 0;
}
