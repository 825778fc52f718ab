/* --realised ARCHIVE: building realised times and writing the comparison
 * with the schedule, for every command that routes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grens/report.h"
#include "realised_cli.h"
#include "route_cli.h"

/* Breaks listed per summary: the most frequent ones; the rest are counted
 * in "broken". */
#define TOP_BREAKS 10

int realised_cli_check(const char *cmd, const realised_cli_args *r, const char *rt)
{
	if (!r->archive && (r->vs_scheduled || r->no_data_as_scheduled)) {
		cli_errorf(cmd, "--realised-vs-scheduled and --no-data-as-scheduled need "
				"--realised ARCHIVE");
		return CLI_EXIT_USAGE;
	}
	if (r->archive && rt) {
		cli_errorf(cmd, "give --rt (one snapshot) or --realised (an archive), not both");
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

int realised_cli_build(const char *cmd, const char *label, const realised_cli_args *r,
		       const grens_timetable *tt, const grens_gtfs_feed *const *gtfs, uint32_t n,
		       grens_date first, grens_date last, grens_rt_overlay **out,
		       grens_rt_realised_counts *counts)
{
	grens_error err;
	grens_error_clear(&err);
	grens_rt_archive *ar = NULL;
	grens_diag *diag = grens_diag_new();
	int code = CLI_EXIT_FAIL;
	if (!diag) {
		cli_errorf(cmd, "out of memory");
		return CLI_EXIT_FAIL;
	}
	if (grens_rt_archive_open(&ar, r->archive, false, &err) != 0) {
		cli_report_error(cmd, &err);
		goto done;
	}
	grens_rt_realised_options o = GRENS_RT_REALISED_OPTIONS_INIT;
	o.no_data_as_scheduled = r->no_data_as_scheduled;
	if (grens_rt_realised_build(out, counts, tt, gtfs, n, ar, first, last, &o, diag, &err) !=
	    0) {
		cli_print_notices(diag, 10);
		cli_report_error(cmd, &err);
		goto done;
	}
	cli_print_notices(diag, 10);
	const grens_rt_realised_counts *c = counts;
	fprintf(stderr,
		"grens %s: realised %s: %u snapshots (%u unreadable, skipped), %u gaps over %lld "
		"s; trips: %u scheduled, %u observed, %u no data (%s), %u cancelled, %u added; "
		"%u stops skipped\n",
		cmd, label, c->snapshots_read, c->snapshots_corrupt, c->gaps,
		(long long)o.max_gap_s, c->trips_scheduled, c->trips_observed, c->trips_no_data,
		r->no_data_as_scheduled ? "run as scheduled" : "not ridden", c->trips_cancelled,
		c->trips_added, c->stops_skipped);
	if (!c->snapshots_read)
		fprintf(stderr, "grens %s: warning: %s holds no readable snapshot for the period: "
				"every trip is no data\n",
			cmd, r->archive);
	code = CLI_EXIT_OK;
done:
	grens_rt_archive_free(ar);
	grens_diag_free(diag);
	return code;
}

static json_t *utc_or_null(int64_t t)
{
	char buf[40];
	if (!t)
		return json_null();
	cli_format_utc(t, buf, sizeof(buf));
	return json_string(buf);
}

json_t *realised_cli_counts_json(const realised_cli_args *r, grens_date first, grens_date last,
				 const grens_rt_realised_counts *c)
{
	char f[16], l[16];
	grens_date_format_iso(first, f, sizeof(f));
	grens_date_format_iso(last, l, sizeof(l));
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, "
	    "s:i}",
	    "archive", r->archive, "first_date", f, "last_date", l, "no_data_as",
	    r->no_data_as_scheduled ? "scheduled" : "excluded", "snapshots_read",
	    (json_int_t)c->snapshots_read, "snapshots_corrupt", (json_int_t)c->snapshots_corrupt,
	    "first_snapshot", utc_or_null(c->first_snapshot), "last_snapshot",
	    utc_or_null(c->last_snapshot), "gaps", (json_int_t)c->gaps, "longest_gap_s",
	    (json_int_t)c->longest_gap_s, "trips_scheduled", (json_int_t)c->trips_scheduled,
	    "trips_observed", (json_int_t)c->trips_observed, "trips_no_data",
	    (json_int_t)c->trips_no_data, "trips_cancelled", (json_int_t)c->trips_cancelled,
	    "trips_added", (json_int_t)c->trips_added, "stops_observed",
	    (json_int_t)c->stops_observed, "stops_skipped", (json_int_t)c->stops_skipped);
}

static json_t *secs(int32_t v)
{
	return v == GRENS_ROUTE_UNREACHED ? json_null() : json_integer(v);
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

json_t *realised_cli_summary_json(const grens_timetable *tt, const grens_access_realised *cmp,
				  bool all, grens_date date, int32_t threshold)
{
	grens_access_realised_summary s;
	grens_error err;
	grens_error_clear(&err);
	if (grens_access_realised_summarize(cmp, tt, all, date, threshold, &s, &err) != 0)
		return NULL;
	grens_access_realised_break br[TOP_BREAKS];
	uint32_t nb = grens_access_realised_breaks(cmp, tt, all, date, br, TOP_BREAKS);
	json_t *jb = json_array();
	for (uint32_t i = 0; i < nb && i < TOP_BREAKS; i++)
		json_array_append_new(
		    jb, json_pack("{s:o, s:s, s:s, s:s, s:i}", "station",
				  route_cli_stop_json(tt, br[i].station), "from_route",
				  br[i].from_route, "to_route", br[i].to_route, "reason",
				  reason_name(br[i].reason), "count", (json_int_t)br[i].count));
	return json_pack(
	    "{s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:{s:o, s:o, s:f}, s:{s:o, s:o, s:f}, s:o, "
	    "s:i, s:o}",
	    "steps", (json_int_t)s.steps, "planned", (json_int_t)s.planned, "held",
	    (json_int_t)s.held, "broken", (json_int_t)s.broken, "no_data", (json_int_t)s.no_data,
	    "share_held", isnan(s.share_held) ? json_null() : json_real(s.share_held),
	    "extra_p50_s", secs(s.extra_p50), "extra_p90_s", secs(s.extra_p90), "scheduled",
	    "median_s", secs(s.scheduled.median), "p90_s", secs(s.scheduled.p90),
	    "share_under_threshold", s.scheduled.share_under, "realised", "median_s",
	    secs(s.realised.median), "p90_s", secs(s.realised.p90), "share_under_threshold",
	    s.realised.share_under, "delta_median_s", secs(delta(s.realised.median,
								  s.scheduled.median)),
	    "breaks_distinct", (json_int_t)nb, "breaks", jb);
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

void realised_cli_summary_text(FILE *o, const grens_timetable *tt,
			       const grens_access_realised *cmp, bool all, grens_date date,
			       int32_t threshold, const char *prefix)
{
	grens_access_realised_summary s;
	grens_error err;
	grens_error_clear(&err);
	if (grens_access_realised_summarize(cmp, tt, all, date, threshold, &s, &err) != 0) {
		fprintf(o, "%sout of memory\n", prefix);
		return;
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
}

void realised_cli_summary_csv(FILE *o, const grens_timetable *tt, const grens_access_realised *cmp,
			      bool all, grens_date date, int32_t threshold, const char *label,
			      bool header)
{
	if (header) {
		fprintf(o, "date,steps,planned,held,broken,no_data,share_held,scheduled_median_s,"
			   "realised_median_s,delta_median_s,extra_p50_s,extra_p90_s,top_break\n");
		return;
	}
	grens_access_realised_summary s;
	grens_error err;
	grens_error_clear(&err);
	if (grens_access_realised_summarize(cmp, tt, all, date, threshold, &s, &err) != 0)
		return;
	fprintf(o, "%s,%u,%u,%u,%u,%u,", label, s.steps, s.planned, s.held, s.broken, s.no_data);
	if (!isnan(s.share_held))
		fprintf(o, "%.4f", s.share_held);
	int32_t v[5] = { s.scheduled.median, s.realised.median,
			 delta(s.realised.median, s.scheduled.median), s.extra_p50, s.extra_p90 };
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
}
