/* grens rt record, and the nightly run's way of starting it. */
#ifndef GRENS_RT_RECORD_CLI_H
#define GRENS_RT_RECORD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "grens/rt.h"

/* grens rt record ...: argv[0] is "record". Returns the exit code. */
int cli_rt_record(int argc, char **argv);

/* What a nightly configuration says about recording (rt_archive and
 * rt_record_urls). */
typedef struct cli_nightly_record {
	char archive[4096]; /* "" : none */
	char urls[GRENS_RT_RECORD_MAX_FEEDS][GRENS_RT_RECORD_URL_BYTES + 64]; /* [NAME=]URL */
	unsigned url_count;
} cli_record_setup;

struct grens_report;
/* The nightly run's part: with rt_record_url, start `grens rt record` in the
 * background on the URLs into rt_archive until a few minutes before the same
 * time tomorrow (the next night starts the next one), unless a recorder
 * already holds the archive; then a note for the report on the archive's
 * status.json. Recording never fails the night: 0, or -1 only when a note
 * cannot be added. */
int cli_nightly_record(const char *cmd, const cli_record_setup *rec, int64_t now,
		       struct grens_report *report);

#endif
