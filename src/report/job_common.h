/* What the jobs of report/ (compare, access, the report) share: finding
 * the stops a user named, the feeds without service on a date, applying a
 * scenario, live or realised times, each with the message the user sees.
 * Internal to the library. */
#ifndef GRENS_REPORT_JOB_COMMON_H
#define GRENS_REPORT_JOB_COMMON_H

#include "grens/report.h"

/* Print one line through log (nothing when log or its function is NULL). */
void report_job_logf(const grens_report_log *log, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The stops of query (a stop id or a name) on tt into out[0..cap), *n of
 * them. GRENS_EARG (what names the option in the message: "--from") when
 * the query is ambiguous or matches no stop; the errors of
 * grens_net_find_stops. */
int report_job_stops(const grens_timetable *tt, const char *what, const char *query,
		     uint32_t *out, uint32_t cap, uint32_t *n, grens_error *err);

/* "feed:stop_id" of a stop into buf. */
void report_job_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz);

/* The stop a set of stops is shown as: a station if one is in it. */
uint32_t report_job_display_stop(const grens_timetable *tt, const uint32_t *s, uint32_t n);

/* Apply sc to feeds into *out, logging what it changed; notices to diag. */
int report_job_scenario_apply(grens_scenario_result **out, const grens_scenario *sc,
			      const grens_gtfs_feed *const *feeds, uint32_t n, grens_diag *diag,
			      const grens_report_log *log, grens_error *err);

/* The timetable of src into *tt (grens_net_source_build with the
 * source's options); a failure says "building the NAME network failed". */
int report_job_net_build(grens_timetable **tt, const grens_net_source *src, const char *name,
			 grens_diag *diag, grens_error *err);

/* The timetable of sc over src into *tt (the caller's, grens_net_free),
 * logging what it changed. On a snapshot the scenario is applied to the
 * built timetable (grens_scenario_derive: nothing is built, *tt must not
 * outlive the snapshot) and *res is NULL; with feeds it edits them (*res
 * keeps the edited feeds, which *tt's realtime matching reads) and builds. */
int report_job_scenario_net(grens_timetable **tt, grens_scenario_result **res,
			    const grens_scenario *sc, const grens_net_source *src, grens_diag *diag,
			    const grens_report_log *log, grens_error *err);

/* The same with feeds and base, the source's timetable built already: sc
 * is applied to base (nothing built, *res NULL, *tt must not outlive base)
 * unless it needs the feeds (an overlay edit, a shifted time zone), which
 * are then edited and built. */
int report_job_scenario_net_on(grens_timetable **tt, grens_scenario_result **res,
			       const grens_scenario *sc, const grens_net_source *src,
			       const grens_timetable *base, grens_diag *diag,
			       const grens_report_log *log, grens_error *err);

/* Match a decoded realtime message to tt into *out, logging the counts
 * under label. */
int report_job_rt_apply(grens_rt_overlay **out, const char *label, const grens_timetable *tt,
			const grens_gtfs_feed *const *feeds, uint32_t n, const grens_rt_feed *rtf,
			grens_diag *diag, const grens_report_log *log, grens_error *err);

/* The realised times of [first, last] from archive on tt into *out and
 * *counts, logging them under label. */
int report_job_realised_build(grens_rt_overlay **out, grens_rt_realised_counts *counts,
			      const char *label, const char *archive, bool no_data_as_scheduled,
			      const grens_timetable *tt, const grens_gtfs_feed *const *feeds,
			      uint32_t n, grens_date first, grens_date last, grens_diag *diag,
			      const grens_report_log *log, grens_error *err);

#endif
