/* `grens report` and `grens nightly`: load what the report job needs
 * (feeds or a snapshot, links, places, scenarios, realtime files), fill the
 * report with grens_report_fill and print what it says. */
#include <stdio.h>
#include <string.h>

#include "grens/rt.h"
#include "grens/scenario.h"
#include "places_cli.h"
#include "report_cli.h"

/* The notices a report's builds leave: the linker's warnings as grens
 * link prints them (at most 20) and a feed without trips that day. */
static void print_notices(const char *cmd, const grens_diag *diag)
{
	for (size_t i = 0, shown = 0; i < grens_diag_kept_count(diag); i++) {
		const grens_notice *no = grens_diag_kept(diag, i);
		if (strcmp(no->code, "no_service_on_date") == 0) {
			fprintf(stderr, "grens %s: warning: %s\n", cmd, no->message);
		} else if (no->severity >= GRENS_SEVERITY_WARNING &&
			   strncmp(no->code, "link", 4) == 0 && shown++ < 20) {
			fprintf(stderr, "%s:%u: %s%s%s: %s\n", no->file, no->line, no->field,
				no->field[0] ? ": " : "", no->code, no->message);
		}
	}
}

void report_cli_job_query(const report_cli_spec *spec, grens_report_job *job)
{
	for (unsigned i = 0; i < spec->pair_count; i++) {
		job->from[i] = spec->from[i];
		job->to[i] = spec->to[i];
	}
	job->pair_count = spec->pair_count;
	job->map_origin = spec->map_origin;
	for (unsigned c = 0; c < spec->cutoff_count; c++)
		job->cutoffs_min[c] = (uint32_t)spec->cutoffs_min[c];
	job->cutoff_count = spec->cutoff_count;
	job->base_feeds = spec->base_feeds;
	job->border_origin = spec->border_origin;
	job->date = spec->date;
	job->t0 = spec->t0;
	job->t1 = spec->t1;
	job->step = spec->step;
	job->threshold = spec->threshold;
	job->rt_now = spec->rt_now;
}

/* The job's loaded inputs: the scenarios, the realtime messages (the
 * reasons of those that cannot be read into why[]) and the border views'
 * assumption sets (grens access --sensitivity). */
static int load_inputs(const char *cmd, const report_cli_spec *spec, const cli_source *src,
		       grens_scenario **sc, char (*why)[GRENS_ERROR_MESSAGE_BYTES],
		       grens_rt_feed **rf, grens_report_job *job)
{
	grens_error err;
	for (unsigned i = 0; i < spec->scenario_count; i++) {
		grens_error_clear(&err);
		if (grens_scenario_load(&sc[i], spec->scenarios[i], &err)) {
			cli_report_error(cmd, &err);
			return CLI_EXIT_FAIL;
		}
	}
	job->scenarios = (const grens_scenario *const *)sc;
	job->scenario_count = spec->scenario_count;
	for (unsigned i = 0; i < spec->rt_count; i++) {
		grens_error_clear(&err);
		if (!src->snapshot && grens_rt_decode_file(&rf[i], spec->rt_paths[i], &err))
			snprintf(why[i], sizeof(why[i]), "%s", err.message);
		job->rt[i] = (grens_report_job_rt){ spec->rt_names[i], rf[i], why[i] };
	}
	job->rt_count = spec->rt_count;
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	cli_link_args la;
	cli_link_args_init(&la);
	places_cli_assumption set[PLACES_CLI_SETS];
	places_cli_assumption_sets(&lo, &la, set);
	for (unsigned k = 0; k < GRENS_REPORT_BORDER_SETS; k++)
		job->border_sets[k] = (grens_report_access_assumption){
			set[k].access_distance_m, set[k].walk_speed_mps,
			set[k].footpath_walk_speed_mps, set[k].min_change, set[k].link_min_change
		};
	return CLI_EXIT_OK;
}

int report_cli_fill(const char *cmd, const report_cli_spec *spec, grens_report *report)
{
	cli_source src;
	memset(&src, 0, sizeof(src));
	grens_access_places *places = NULL;
	grens_net_links *links = NULL;
	grens_scenario *sc[REPORT_CLI_MAX_SCENARIOS] = { 0 };
	grens_rt_feed *rf[REPORT_CLI_MAX_RT] = { 0 };
	char why[REPORT_CLI_MAX_RT][GRENS_ERROR_MESSAGE_BYTES] = { { 0 } };
	grens_diag *diag = grens_diag_new();
	grens_error err;
	grens_error_clear(&err);
	cli_link_args link;
	cli_link_args_init(&link);
	cli_feed_list list = spec->feeds;
	grens_report_job job = GRENS_REPORT_JOB_INIT;
	report_cli_job_query(spec, &job);
	int code = CLI_EXIT_FAIL;
	if (!diag || grens_access_places_new(&places, &err)) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	if ((spec->links && cli_link_option(cmd, "--links", spec->links, &link)) ||
	    (!list.snapshot && cli_links_load(cmd, &link, &links)) ||
	    places_cli_read(cmd, spec->places, spec->places_count, places))
		goto done;
	if ((code = cli_source_load(cmd, &list, &link, &src)))
		goto done;
	code = CLI_EXIT_FAIL;
	if (job.date == GRENS_DATE_NONE) {
		job.date = cli_source_busiest_date(&src, 1);
		if (job.date == GRENS_DATE_NONE) {
			cli_errorf(cmd, "the feeds have no service dates; give --date");
			goto done;
		}
	}
	cli_source_net(&src, &link, links, &job.source);
	job.places = spec->places_count ? places : NULL;
	if ((code = load_inputs(cmd, spec, &src, sc, why, rf, &job)))
		goto done;
	int rc = grens_report_fill(report, &job, diag, &err);
	print_notices(cmd, diag);
	if (rc)
		cli_report_error(cmd, &err);
	/* a stop or place the timetable does not hold is a bad argument */
	code = !rc ? CLI_EXIT_OK : rc == GRENS_ENOTFOUND ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
done:
	for (unsigned i = 0; i < REPORT_CLI_MAX_RT; i++)
		grens_rt_feed_free(rf[i]);
	for (unsigned i = 0; i < REPORT_CLI_MAX_SCENARIOS; i++)
		grens_scenario_free(sc[i]);
	grens_diag_free(diag);
	grens_access_places_free(places);
	grens_net_links_free(links);
	cli_source_free(&src);
	return code;
}
