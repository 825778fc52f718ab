/* grens nightly: "what travellers got", the realised times of the report's
 * date from the night's archive against the schedule, for every pair
 * (grens_report_fill_realised). */
#include <stdio.h>
#include <string.h>

#include "nightly_realised.h"
#include "route_cli.h"

static void note(const char *cmd, grens_report *report, const char *text)
{
	grens_error err;
	grens_error_clear(&err);
	fprintf(stderr, "grens %s: %s\n", cmd, text);
	grens_report_add_note(report, text, &err);
}

void nightly_realised(const char *cmd, const char *archive, report_cli_spec *spec,
		      grens_report *report)
{
	char text[4400];
	cli_link_args link;
	cli_link_args_init(&link);
	if (spec->links && cli_link_option(cmd, "--links", spec->links, &link))
		return;
	realised_cli_args rz = { .archive = archive };
	route_cli_net net;
	grens_report_job job = GRENS_REPORT_JOB_INIT;
	if (route_cli_load_net_realised(cmd, &spec->feeds, &link, NULL, NULL, &rz, spec->date,
					spec->date, &net, &job.realised_counts) != CLI_EXIT_OK) {
		snprintf(text, sizeof(text),
			 "realised times from %s could not be built; no 'what travellers got' "
			 "section",
			 archive);
		note(cmd, report, text);
		return;
	}
	report_cli_job_query(spec, &job);
	job.realised_archive = archive;
	job.realised_tt = net.tt;
	job.realised = net.ov;
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	int rc = diag ? grens_report_fill_realised(report, &job, diag, &err)
		      : grens_error_set(&err, GRENS_ENOMEM, "out of memory");
	/* the pairs left out */
	for (size_t i = 0; diag && i < grens_diag_kept_count(diag); i++)
		fprintf(stderr, "grens %s: %s\n", cmd, grens_diag_kept(diag, i)->message);
	if (rc == GRENS_ENOTFOUND)
		note(cmd, report, err.message);
	else if (rc)
		cli_report_error(cmd, &err);
	grens_diag_free(diag);
	route_cli_net_free(&net);
}
