/* --realised ARCHIVE: building realised times and writing the comparison
 * with the schedule, for every command that routes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/report.h"
#include "realised_cli.h"

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

json_t *realised_cli_counts_json(const realised_cli_args *r, grens_date first, grens_date last,
				 const grens_rt_realised_counts *c)
{
	char *text = NULL;
	(void)grens_report_realised_counts_json(&text, r->archive, r->no_data_as_scheduled, first,
						last, c, NULL);
	return cli_json_take(text);
}

json_t *realised_cli_summary_json(const grens_timetable *tt, const grens_access_realised *cmp,
				  bool all, grens_date date, int32_t threshold)
{
	char *text = NULL;
	(void)grens_report_realised_summary_json(&text, tt, cmp, all, date, threshold, NULL);
	return cli_json_take(text);
}
