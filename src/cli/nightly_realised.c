/* grens nightly: "what travellers got", the realised times of the report's
 * date from the night's archive against the schedule, for every pair. */
#include <math.h>
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

static const char *reason_text(grens_access_break_reason r)
{
	return r == GRENS_ACCESS_BREAK_CANCELLED ? "cancelled"
	       : r == GRENS_ACCESS_BREAK_SKIPPED ? "skipped"
						 : "late";
}

/* One pair: the comparison of its window and the report's row. */
static int add_pair(const char *cmd, const report_cli_spec *spec, const route_cli_net *net,
		    grens_route_raptor *ws, unsigned i, grens_report *report)
{
	const grens_timetable *tt = net->tt;
	route_cli_ends ends = { 0 };
	grens_access_realised *cmp = NULL;
	grens_error err;
	grens_error_clear(&err);
	int code = route_cli_ends_resolve(cmd, tt, spec->from[i], spec->to[i], &ends);
	if (code)
		goto done;
	code = CLI_EXIT_FAIL;
	grens_route_query q = { ends.from, ends.nfrom, ends.to, ends.nto, spec->date, 0 };
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	grens_access_realised_summary s;
	grens_access_realised_break br;
	if (grens_access_realised_new(&cmp, &err) ||
	    grens_access_realised_add_day(cmp, ws, tt, net->ov, &q, spec->t0, spec->t1, spec->step,
					  &o, &err) ||
	    grens_access_realised_summarize(cmp, tt, true, 0, spec->threshold, &s, &err)) {
		cli_report_error(cmd, &err);
		goto done;
	}
	char top[512] = "";
	if (grens_access_realised_breaks(cmp, tt, true, 0, &br, 1))
		snprintf(top, sizeof(top), "%s: %s -> %s (%s), %u times",
			 grens_net_str(tt, tt->stop_name[br.station]),
			 br.from_route[0] ? br.from_route : "(start)", br.to_route,
			 reason_text(br.reason), br.count);
	grens_report_realised_pair p = {
		.from = grens_net_str(tt, tt->stop_name[ends.from[0]]),
		.to = grens_net_str(tt, tt->stop_name[ends.to[0]]),
		.steps = s.steps,
		.planned = s.planned,
		.held = s.held,
		.broken = s.broken,
		.no_data = s.no_data,
		.share_held = s.share_held,
		.scheduled_median = s.scheduled.median,
		.realised_median = s.realised.median,
		.extra_p50 = s.extra_p50,
		.extra_p90 = s.extra_p90,
		.top_break = top,
	};
	if (grens_report_add_realised_pair(report, &p, &err)) {
		cli_report_error(cmd, &err);
		goto done;
	}
	code = CLI_EXIT_OK;
done:
	grens_access_realised_free(cmp);
	route_cli_ends_free(&ends);
	return code;
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
	grens_rt_realised_counts c;
	memset(&c, 0, sizeof(c));
	if (route_cli_load_net_realised(cmd, &spec->feeds, &link, NULL, NULL, &rz, spec->date,
					spec->date, &net, &c) != CLI_EXIT_OK) {
		snprintf(text, sizeof(text),
			 "realised times from %s could not be built; no 'what travellers got' "
			 "section",
			 archive);
		note(cmd, report, text);
		return;
	}
	grens_route_raptor *ws = NULL;
	grens_error err;
	grens_error_clear(&err);
	char day[16];
	grens_date_format_iso(spec->date, day, sizeof(day));
	if (!c.snapshots_read) {
		snprintf(text, sizeof(text),
			 "%s holds no snapshot for %s: no 'what travellers got' section", archive,
			 day);
		note(cmd, report, text);
		goto done;
	}
	grens_report_realised r = {
		.archive = archive,
		.date = spec->date,
		.snapshots_read = c.snapshots_read,
		.snapshots_corrupt = c.snapshots_corrupt,
		.gaps = c.gaps,
		.trips_scheduled = c.trips_scheduled,
		.trips_observed = c.trips_observed,
		.trips_no_data = c.trips_no_data,
		.trips_cancelled = c.trips_cancelled,
		.stops_skipped = c.stops_skipped,
		.no_data_as_scheduled = false,
	};
	if (grens_report_set_realised(report, &r, &err) ||
	    grens_route_raptor_new(&ws, net.tt, GRENS_ROUTE_MAX_TRANSFERS, &err)) {
		cli_report_error(cmd, &err);
		goto done;
	}
	for (unsigned i = 0; i < spec->pair_count; i++)
		add_pair(cmd, spec, &net, ws, i, report);
done:
	grens_route_raptor_free(ws);
	route_cli_net_free(&net);
}
