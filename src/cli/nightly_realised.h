/* grens nightly's "what travellers got" section. */
#ifndef GRENS_CLI_NIGHTLY_REALISED_H
#define GRENS_CLI_NIGHTLY_REALISED_H

#include "grens/report.h"
#include "report_cli.h"

/* When archive holds snapshots of spec->date: the realised times of that
 * date against the schedule for every pair of spec, as the report's
 * "realised" block. Never fails the night: what it cannot do becomes a
 * note of the report (and a line on stderr). */
void nightly_realised(const char *cmd, const char *archive, report_cli_spec *spec,
		      grens_report *report);

#endif
