/* Shared by `grens report` and `grens nightly`: the report job of the
 * command line (grens_report_fill runs the analyses). */
#ifndef GRENS_CLI_REPORT_CLI_H
#define GRENS_CLI_REPORT_CLI_H

#include "cli.h"
#include "grens/report.h"

#define REPORT_CLI_MAX_PAIRS GRENS_REPORT_JOB_MAX_PAIRS
#define REPORT_CLI_MAX_SCENARIOS GRENS_REPORT_JOB_MAX_SCENARIOS
#define REPORT_CLI_MAX_PLACES_FILES 16u
#define REPORT_CLI_MAX_CUTOFFS GRENS_REPORT_JOB_MAX_CUTOFFS
#define REPORT_CLI_MAX_RT GRENS_REPORT_JOB_MAX_RT

typedef struct report_cli_spec {
	cli_feed_list feeds; /* NAME=PATH or PATH; empty: the embedded default */
	const char *scenarios[REPORT_CLI_MAX_SCENARIOS];
	unsigned scenario_count;
	const char *from[REPORT_CLI_MAX_PAIRS], *to[REPORT_CLI_MAX_PAIRS];
	unsigned pair_count;
	const char *map_origin; /* NULL: the first pair's origin */
	/* Reachable population (access/): places files (none: no such section),
	 * cutoffs in minutes, and the feeds of the "nl-only" side of the border
	 * effect (comma-separated names; NULL: "nl"). */
	const char *places[REPORT_CLI_MAX_PLACES_FILES];
	unsigned places_count;
	int32_t cutoffs_min[REPORT_CLI_MAX_CUTOFFS];
	unsigned cutoff_count;
	const char *base_feeds;
	/* The place whose border views (national, closed border, today, with
	 * rank and the assumption sets' range) the report shows; NULL: none. */
	const char *border_origin;
	/* Links between feeds (feeds/links.csv format); NULL: the default
	 * links.csv of the feeds directory when it exists; "none": none. */
	const char *links;
	grens_date date; /* GRENS_DATE_NONE: the Tuesday with the most trips */
	int32_t t0, t1, step, threshold;
	/* GTFS-realtime files (name, path) matched against the base network:
	 * each adds a note with what it holds and how much of it matched.
	 * rt_now: the run's time, for the age of each message (0: not shown). */
	const char *rt_names[REPORT_CLI_MAX_RT], *rt_paths[REPORT_CLI_MAX_RT];
	unsigned rt_count;
	int64_t rt_now;
} report_cli_spec;

/* Load the feeds or the snapshot, the links, places, scenario and realtime
 * files of spec, and fill report with grens_report_fill (the date chosen
 * when spec has none: the busiest Tuesday). Returns CLI_EXIT_OK, or an exit
 * code after printing the reason (CLI_EXIT_USAGE for a stop or place the
 * timetable does not hold). */
int report_cli_fill(const char *cmd, const report_cli_spec *spec, grens_report *report);

/* The pairs, map origin, cutoffs, base feeds, border origin, date, window,
 * threshold and time of spec into job (the rest of job is left as is). */
void report_cli_job_query(const report_cli_spec *spec, grens_report_job *job);

#endif
