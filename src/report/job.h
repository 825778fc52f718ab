/* Shared by the report job's files (job.c, job_border.c, job_realised.c). */
#ifndef GRENS_REPORT_JOB_H
#define GRENS_REPORT_JOB_H

#include "grens/report.h"

/* One fill: where results go, what is asked, where notices and errors go. */
typedef struct job_fill {
	grens_report *report;
	const grens_report_job *job;
	grens_diag *diag;
	grens_error *err;
} job_fill;

/* A stop query of the job resolved on tt into out[0..*n) (at least one);
 * GRENS_ENOTFOUND, "WHAT 'QUERY' matches no stop" or "... is ambiguous:
 * candidates", when it names none or several stations. */
int job_stops(const grens_timetable *tt, const char *what, const char *query, uint32_t *out,
	      uint32_t cap, uint32_t *n, grens_error *err);
/* "feed:stop_id" into buf. */
void job_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz);
/* The report's place of a stop: its station when it has one (id into id). */
grens_report_place job_place(const grens_timetable *tt, uint32_t stop, char *id, size_t idsz);
/* GRENS_ENOMEM, "out of memory". */
int job_nomem(grens_error *err);

/* A timetable of the job's source (feeds NULL), or of other feeds linked
 * with the source's options (opts NULL) or opts, into *out. */
int job_build(const job_fill *jf, const grens_gtfs_feed *const *feeds, uint32_t count,
	      const grens_net_options *opts, grens_timetable **out);
/* Profiles and the fastest journey of each pair (grens_access_od_run), and
 * the station map. The base's run (scenario "base") is kept in *keep; a
 * scenario's savings are against base, that run. */
int job_analyse(const job_fill *jf, const grens_timetable *tt, const grens_access_places *places,
		const char *scenario, const grens_access_od_result *base,
		grens_access_od_result **keep);
/* Reachable population from each distinct pair origin on tt, as variant,
 * with the places tied as in reference (the linked base network: every
 * variant reuses its ties, so that less network never ties a place to
 * other stops). */
int job_add_access(const job_fill *jf, const grens_timetable *tt,
		   const grens_access_network *reference, const char *variant);
/* The border views of job->border_origin (job_border.c). */
int job_add_border(const job_fill *jf);

#endif
