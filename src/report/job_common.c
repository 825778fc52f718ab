/* The steps the jobs of report/ share, with the messages the user sees. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grens/net.h"
#include "grens/rt.h"
#include "grens/scenario.h"
#include "job_common.h"

void report_job_logf(const grens_report_log *log, const char *fmt, ...)
{
	if (!log || !log->fn)
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log->fn(log->ctx, line);
}

int report_job_stops(const grens_timetable *tt, const char *what, const char *query,
		     uint32_t *out, uint32_t cap, uint32_t *n, grens_error *err)
{
	grens_error e;
	grens_error_clear(&e);
	*n = 0;
	int rc = grens_net_find_stops(tt, query, out, cap, n, &e);
	if (rc == 0 && *n > 0)
		return 0;
	if (rc == GRENS_EARG)
		return grens_error_set(err, GRENS_EARG, "%s '%s' is ambiguous: %s", what, query,
				       e.message);
	if (rc == 0)
		return grens_error_set(err, GRENS_EARG, "%s '%s' matches no stop", what, query);
	if (rc == GRENS_ENOTFOUND)
		return grens_error_set(err, GRENS_EARG, "%s %s", what, e.message);
	if (err)
		*err = e;
	return rc;
}

void report_job_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%s", grens_net_str(tt, tt->feed_name[tt->stop_feed[stop]]),
		 grens_net_str(tt, tt->stop_id[stop]));
}

uint32_t report_job_display_stop(const grens_timetable *tt, const uint32_t *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (tt->stop_location_type[s[i]] == 1)
			return s[i];
	return s[0];
}

int report_job_scenario_apply(grens_scenario_result **out, const grens_scenario *sc,
			      const grens_gtfs_feed *const *feeds, uint32_t n, grens_diag *diag,
			      const grens_report_log *log, grens_error *err)
{
	int rc = grens_scenario_apply(out, sc, feeds, n, diag, err);
	if (rc)
		return rc;
	const grens_scenario_stats *st = grens_scenario_result_stats(*out);
	report_job_logf(log, "scenario %s (sha256 %.12s): %u edits, %u trips added, %u removed, "
			     "%u changed",
			grens_scenario_name(sc), grens_scenario_hash(sc), st->edits,
			st->trips_added, st->trips_removed, st->trips_changed);
	return 0;
}

static int derive_logged(grens_timetable **tt, const grens_scenario *sc,
			 const grens_timetable *base, const char *on, grens_diag *diag,
			 const grens_report_log *log, grens_error *err)
{
	grens_scenario_stats st;
	int rc = grens_scenario_derive(tt, &st, sc, base, diag, err);
	if (rc)
		return rc;
	report_job_logf(log,
			"scenario %s (sha256 %.12s) on the %s: %u edits, %u trips added, %u "
			"removed, %u changed",
			grens_scenario_name(sc), grens_scenario_hash(sc), on, st.edits,
			st.trips_added, st.trips_removed, st.trips_changed);
	return 0;
}

int report_job_scenario_net_on(grens_timetable **tt, grens_scenario_result **res,
			       const grens_scenario *sc, const grens_net_source *src,
			       const grens_timetable *base, grens_diag *diag,
			       const grens_report_log *log, grens_error *err)
{
	*tt = NULL;
	*res = NULL;
	if (src->snapshot || !base)
		return report_job_scenario_net(tt, res, sc, src, diag, log, err);
	/* A scenario the built base cannot take (or a wrong one) goes to the
	 * feeds, which take it or give the error (the same, the tests check). */
	grens_diag *quiet = grens_diag_new();
	grens_error e;
	grens_error_clear(&e);
	int rc = quiet ? derive_logged(tt, sc, base, "built base", quiet, log, &e) : GRENS_ENOMEM;
	for (size_t i = 0; rc == 0 && diag && i < grens_diag_kept_count(quiet); i++) {
		const grens_notice *n = grens_diag_kept(quiet, i);
		grens_diag_add(diag, n->code, n->severity, n->file, n->line, n->field, "%s",
			       n->message);
	}
	grens_diag_free(quiet);
	if (rc == 0)
		return 0;
	return report_job_scenario_net(tt, res, sc, src, diag, log, err);
}

int report_job_scenario_net(grens_timetable **tt, grens_scenario_result **res,
			    const grens_scenario *sc, const grens_net_source *src, grens_diag *diag,
			    const grens_report_log *log, grens_error *err)
{
	*tt = NULL;
	*res = NULL;
	if (src->snapshot)
		return derive_logged(tt, sc, src->snapshot, "snapshot", diag, log, err);
	int rc = report_job_scenario_apply(res, sc, src->feeds, src->feed_count, diag, log, err);
	if (rc)
		return rc;
	grens_net_source edited = *src;
	edited.feeds = grens_scenario_result_feeds(*res, &edited.feed_count);
	return report_job_net_build(tt, &edited, grens_scenario_name(sc), diag, err);
}

int report_job_net_build(grens_timetable **tt, const grens_net_source *src, const char *name,
			 grens_diag *diag, grens_error *err)
{
	grens_error e;
	grens_error_clear(&e);
	int rc = grens_net_source_build(tt, src, NULL, diag, &e);
	if (rc) {
		if (!e.code)
			grens_error_set(&e, rc, "out of memory");
		grens_error_set(err, rc, "building the %s network failed: %s", name, e.message);
	}
	return rc;
}

int report_job_rt_apply(grens_rt_overlay **out, const char *label, const grens_timetable *tt,
			const grens_gtfs_feed *const *feeds, uint32_t n, const grens_rt_feed *rtf,
			grens_diag *diag, const grens_report_log *log, grens_error *err)
{
	grens_rt_options ro = GRENS_RT_OPTIONS_INIT;
	int rc = grens_rt_apply(out, tt, feeds, n, rtf, &ro, diag, err);
	if (rc) {
		if (err && !err->code)
			grens_error_set(err, rc, "out of memory");
		return rc;
	}
	const grens_rt_counts *c = grens_rt_overlay_counts(*out);
	report_job_logf(log,
			"realtime %s: %u trip updates, %u matched, %u cancelled, %u added, %u "
			"unknown trips",
			label, c->trip_updates, c->matched, c->cancelled, c->added,
			c->unknown_trip);
	return 0;
}

int report_job_realised_build(grens_rt_overlay **out, grens_rt_realised_counts *counts,
			      const char *label, const char *archive, bool no_data_as_scheduled,
			      const grens_timetable *tt, const grens_gtfs_feed *const *feeds,
			      uint32_t n, grens_date first, grens_date last, grens_diag *diag,
			      const grens_report_log *log, grens_error *err)
{
	grens_rt_archive *ar = NULL;
	int rc = grens_rt_archive_open(&ar, archive, false, err);
	if (rc)
		return rc;
	grens_rt_realised_options o = GRENS_RT_REALISED_OPTIONS_INIT;
	o.no_data_as_scheduled = no_data_as_scheduled;
	rc = grens_rt_realised_build(out, counts, tt, feeds, n, ar, first, last, &o, diag, err);
	grens_rt_archive_free(ar);
	if (rc)
		return rc;
	const grens_rt_realised_counts *c = counts;
	report_job_logf(log,
			"realised %s: %u snapshots (%u unreadable, skipped), %u gaps over %lld "
			"s; trips: %u scheduled, %u observed, %u no data (%s), %u cancelled, %u "
			"added; %u stops skipped",
			label, c->snapshots_read, c->snapshots_corrupt, c->gaps,
			(long long)o.max_gap_s, c->trips_scheduled, c->trips_observed,
			c->trips_no_data, no_data_as_scheduled ? "run as scheduled" : "not ridden",
			c->trips_cancelled, c->trips_added, c->stops_skipped);
	if (!c->snapshots_read)
		report_job_logf(log,
				"warning: %s holds no readable snapshot for the period: every "
				"trip is no data",
				archive);
	return 0;
}
