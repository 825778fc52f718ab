/* --realised ARCHIVE: realised times from a recorded archive, shared by
 * grens profile, compare, access and nightly. */
#ifndef GRENS_CLI_REALISED_CLI_H
#define GRENS_CLI_REALISED_CLI_H

#include <jansson.h>

#include "cli.h"
#include "grens/access.h"
#include "grens/rt.h"

/* The options: --realised ARCHIVE, --realised-vs-scheduled,
 * --no-data-as-scheduled. */
typedef struct realised_cli_args {
	const char *archive;
	bool vs_scheduled;
	bool no_data_as_scheduled;
} realised_cli_args;

#define REALISED_CLI_OPTIONS(r)                                                                   \
	{ .name = "realised", .kind = CLI_OPT_STRING, .dst = &(r)->archive },                     \
	{ .name = "realised-vs-scheduled", .kind = CLI_OPT_FLAG, .dst = &(r)->vs_scheduled },     \
	{ .name = "no-data-as-scheduled", .kind = CLI_OPT_FLAG,                                   \
	  .dst = &(r)->no_data_as_scheduled }

/* The --help lines of those options. */
#define REALISED_CLI_HELP                                                                         \
	"  --realised ARCHIVE   run on realised times: the snapshots recorded by\n"             \
	"                       grens rt record in ARCHIVE (see grens-profile(1))\n"     \
	"  --realised-vs-scheduled  with --realised: both side by side, with the share\n"      \
	"                       of planned connections that held, extra travel time\n"          \
	"                       p50/p90 and the changes that broke most often\n"               \
	"  --no-data-as-scheduled  run trips no snapshot mentioned as scheduled (default:\n"   \
	"                       counted as no data and not ridden)\n"

/* Check the combination (after parsing): CLI_EXIT_USAGE after a message for
 * --realised-vs-scheduled or --no-data-as-scheduled without --realised, or
 * --realised with --rt. */
int realised_cli_check(const char *cmd, const realised_cli_args *r, const char *rt);

/* Open the archive and build the realised overlay of [first, last] on tt
 * (gtfs the loaded feeds, may be empty). Prints notices and a one-line
 * summary naming label on stderr. CLI_EXIT_OK with *out the caller's, or
 * CLI_EXIT_FAIL after the reason. */
int realised_cli_build(const char *cmd, const char *label, const realised_cli_args *r,
		       const grens_timetable *tt, const grens_gtfs_feed *const *gtfs, uint32_t n,
		       grens_date first, grens_date last, grens_rt_overlay **out,
		       grens_rt_realised_counts *counts);

/* The documents of grens_report_realised_counts_json and
 * grens_report_realised_summary_json as JSON (new reference; NULL when they
 * could not be made), for the commands that put them into their own. */
json_t *realised_cli_counts_json(const realised_cli_args *r, grens_date first, grens_date last,
				 const grens_rt_realised_counts *c);
json_t *realised_cli_summary_json(const grens_timetable *tt, const grens_access_realised *cmp,
				  bool all, grens_date date, int32_t threshold);

#endif
