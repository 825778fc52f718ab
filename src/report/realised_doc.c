/* The realised-times documents of the commands that route (grens-json(7),
 * "realised"): what the realised times were built from, and the comparison
 * of realised times with the schedule as JSON, text lines and CSV rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

/* Breaks listed per summary: the most frequent ones; the rest are counted
 * in "broken". */
#define TOP_BREAKS 10

/* Compact JSON text of o into *out; o is released. */
static int dump_compact(char **out, json_t *o, grens_error *err)
{
	*out = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return *out ? 0 : grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

/* A moment (Unix seconds) as 2026-03-10T08:00:00Z, null for 0 (none). */
static json_t *utc_or_null(int64_t t)
{
	char buf[40], date[16], tod[16];
	if (!t)
		return json_null();
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	grens_date_format_iso((grens_date)day, date, sizeof(date));
	grens_time_format((int32_t)(t - day * 86400), tod, sizeof(tod));
	snprintf(buf, sizeof(buf), "%sT%sZ", date, tod);
	return json_string(buf);
}

int grens_report_realised_counts_json(char **out, const char *archive, bool no_data_as_scheduled,
				      grens_date first, grens_date last,
				      const grens_rt_realised_counts *c, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_realised_counts_json: out is NULL");
	*out = NULL;
	if (!archive || !c)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_realised_counts_json: archive or c is NULL");
	char f[16], l[16];
	grens_date_format_iso(first, f, sizeof(f));
	grens_date_format_iso(last, l, sizeof(l));
	json_t *o = json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, "
	    "s:i}",
	    "archive", archive, "first_date", f, "last_date", l, "no_data_as",
	    no_data_as_scheduled ? "scheduled" : "excluded", "snapshots_read",
	    (json_int_t)c->snapshots_read, "snapshots_corrupt", (json_int_t)c->snapshots_corrupt,
	    "first_snapshot", utc_or_null(c->first_snapshot), "last_snapshot",
	    utc_or_null(c->last_snapshot), "gaps", (json_int_t)c->gaps, "longest_gap_s",
	    (json_int_t)c->longest_gap_s, "trips_scheduled", (json_int_t)c->trips_scheduled,
	    "trips_observed", (json_int_t)c->trips_observed, "trips_no_data",
	    (json_int_t)c->trips_no_data, "trips_cancelled", (json_int_t)c->trips_cancelled,
	    "trips_added", (json_int_t)c->trips_added, "stops_observed",
	    (json_int_t)c->stops_observed, "stops_skipped", (json_int_t)c->stops_skipped);
	return dump_compact(out, o, err);
}

static const char *reason_name(grens_access_break_reason r)
{
	return r == GRENS_ACCESS_BREAK_CANCELLED ? "cancelled"
	       : r == GRENS_ACCESS_BREAK_SKIPPED ? "skipped"
						 : "late";
}

static int32_t delta(int32_t a, int32_t b)
{
	return a == GRENS_ROUTE_UNREACHED || b == GRENS_ROUTE_UNREACHED ? GRENS_ROUTE_UNREACHED
									: a - b;
}

static json_t *station_json(const grens_timetable *tt, uint32_t stop)
{
	char id[512];
	snprintf(id, sizeof(id), "%s:%s", grens_net_str(tt, tt->feed_name[tt->stop_feed[stop]]),
		 grens_net_str(tt, tt->stop_id[stop]));
	return json_pack("{s:s, s:s}", "id", id, "name", grens_net_str(tt, tt->stop_name[stop]));
}

static int check_args(const char *fn, const void *out, const char *out_name,
		      const grens_timetable *tt, const grens_access_realised *cmp, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "%s: %s is NULL", fn, out_name);
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "%s: tt is NULL", fn);
	if (!cmp)
		return grens_error_set(err, GRENS_EINVAL, "%s: cmp is NULL", fn);
	return 0;
}

/* check_args, then the summary of cmp into *s. */
static int summarized(const char *fn, const void *out, const char *out_name,
		      const grens_timetable *tt, const grens_access_realised *cmp, bool all,
		      grens_date date, int32_t threshold, grens_access_realised_summary *s,
		      grens_error *err)
{
	int rc = check_args(fn, out, out_name, tt, cmp, err);
	return rc ? rc : grens_access_realised_summarize(cmp, tt, all, date, threshold, s, err);
}

int grens_report_realised_summary_json(char **out, const grens_timetable *tt,
				       const grens_access_realised *cmp, bool all, grens_date date,
				       int32_t threshold, grens_error *err)
{
	if (out)
		*out = NULL;
	grens_access_realised_summary s;
	int rc = summarized("grens_report_realised_summary_json", out, "out", tt, cmp, all, date,
			    threshold, &s, err);
	if (rc)
		return rc;
	grens_access_realised_break br[TOP_BREAKS];
	uint32_t nb = grens_access_realised_breaks(cmp, tt, all, date, br, TOP_BREAKS);
	json_t *jb = json_array();
	for (uint32_t i = 0; i < nb && i < TOP_BREAKS; i++)
		json_array_append_new(jb, json_pack("{s:o, s:s, s:s, s:s, s:i}", "station",
						    station_json(tt, br[i].station), "from_route",
						    br[i].from_route, "to_route", br[i].to_route,
						    "reason", reason_name(br[i].reason), "count",
						    (json_int_t)br[i].count));
	json_t *o = json_pack(
	    "{s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:{s:o, s:o, s:f}, s:{s:o, s:o, s:f}, s:o, "
	    "s:i, s:o}",
	    "steps", (json_int_t)s.steps, "planned", (json_int_t)s.planned, "held",
	    (json_int_t)s.held, "broken", (json_int_t)s.broken, "no_data", (json_int_t)s.no_data,
	    "share_held", isnan(s.share_held) ? json_null() : json_real(s.share_held),
	    "extra_p50_s", report_seconds(s.extra_p50), "extra_p90_s", report_seconds(s.extra_p90),
	    "scheduled", "median_s", report_seconds(s.scheduled.median), "p90_s",
	    report_seconds(s.scheduled.p90), "share_under_threshold", s.scheduled.share_under,
	    "realised", "median_s", report_seconds(s.realised.median), "p90_s",
	    report_seconds(s.realised.p90), "share_under_threshold", s.realised.share_under,
	    "delta_median_s", report_seconds(delta(s.realised.median, s.scheduled.median)),
	    "breaks_distinct", (json_int_t)nb, "breaks", jb);
	return dump_compact(out, o, err);
}

static void print_secs(FILE *o, int32_t v)
{
	if (v == GRENS_ROUTE_UNREACHED) {
		fprintf(o, "-");
		return;
	}
	if (v < 0)
		fputc('-', o);
	int32_t a = v < 0 ? -v : v;
	fprintf(o, "%d:%02d:%02d", a / 3600, a / 60 % 60, a % 60);
}

static int written(FILE *f, grens_error *err)
{
	return ferror(f) ? grens_error_set(err, GRENS_EIO, "cannot write the realised summary") : 0;
}

int grens_report_realised_summary_write_text(FILE *o, const grens_timetable *tt,
					     const grens_access_realised *cmp, bool all,
					     grens_date date, int32_t threshold, const char *prefix,
					     grens_error *err)
{
	int rc = check_args("grens_report_realised_summary_write_text", o, "f", tt, cmp, err);
	if (rc)
		return rc;
	if (!prefix)
		prefix = "";
	grens_access_realised_summary s;
	rc = grens_access_realised_summarize(cmp, tt, all, date, threshold, &s, err);
	if (rc) {
		fprintf(o, "%sout of memory\n", prefix);
		return rc;
	}
	fprintf(o, "%s%u departures, %u with a planned journey: %u held, %u broken, %u no data",
		prefix, s.steps, s.planned, s.held, s.broken, s.no_data);
	if (!isnan(s.share_held))
		fprintf(o, " (%.1f%% held)", 100.0 * s.share_held);
	fprintf(o, "\n%smedian travel time: scheduled ", prefix);
	print_secs(o, s.scheduled.median);
	fprintf(o, ", realised ");
	print_secs(o, s.realised.median);
	fprintf(o, "; extra travel time p50 ");
	print_secs(o, s.extra_p50);
	fprintf(o, ", p90 ");
	print_secs(o, s.extra_p90);
	fprintf(o, "\n");
	grens_access_realised_break br[TOP_BREAKS];
	uint32_t nb = grens_access_realised_breaks(cmp, tt, all, date, br, TOP_BREAKS);
	for (uint32_t i = 0; i < nb && i < TOP_BREAKS; i++)
		fprintf(o, "%s  broke %u times at %s: %s -> %s (%s)\n", prefix, br[i].count,
			grens_net_str(tt, tt->stop_name[br[i].station]),
			br[i].from_route[0] ? br[i].from_route : "(start)", br[i].to_route,
			reason_name(br[i].reason));
	return written(o, err);
}

int grens_report_realised_csv_header(FILE *f, grens_error *err)
{
	if (!f)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_realised_csv_header: f is NULL");
	fprintf(f, "date,steps,planned,held,broken,no_data,share_held,scheduled_median_s,"
		   "realised_median_s,delta_median_s,extra_p50_s,extra_p90_s,top_break\n");
	return written(f, err);
}

int grens_report_realised_summary_write_csv(FILE *o, const grens_timetable *tt,
					    const grens_access_realised *cmp, bool all,
					    grens_date date, int32_t threshold, const char *label,
					    grens_error *err)
{
	grens_access_realised_summary s;
	int rc = summarized("grens_report_realised_summary_write_csv", o, "f", tt, cmp, all, date,
			    threshold, &s, err);
	if (rc)
		return rc;
	fprintf(o, "%s,%u,%u,%u,%u,%u,", label ? label : "", s.steps, s.planned, s.held, s.broken,
		s.no_data);
	if (!isnan(s.share_held))
		fprintf(o, "%.4f", s.share_held);
	int32_t v[5] = {s.scheduled.median, s.realised.median,
			delta(s.realised.median, s.scheduled.median), s.extra_p50, s.extra_p90};
	for (int i = 0; i < 5; i++) {
		fputc(',', o);
		if (v[i] != GRENS_ROUTE_UNREACHED)
			fprintf(o, "%d", v[i]);
	}
	fputc(',', o);
	grens_access_realised_break br[1];
	if (grens_access_realised_breaks(cmp, tt, all, date, br, 1)) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s: %s -> %s (%s) x%u",
			 grens_net_str(tt, tt->stop_name[br[0].station]), br[0].from_route,
			 br[0].to_route, reason_name(br[0].reason), br[0].count);
		(void)grens_report_csv_field(o, buf);
	}
	fputc('\n', o);
	return written(o, err);
}
