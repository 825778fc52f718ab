/* grens compare as one library call: build the networks of a source (the
 * base and each scenario, with live or realised times), resolve the places
 * on each, run the OD comparison and hold the document. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grens/access.h"
#include "grens/net.h"
#include "grens/report.h"
#include "grens/rt.h"
#include "grens/scenario.h"
#include "job_common.h"

/* Stops a place may resolve to on one network (a station and its platforms). */
#define STOP_CAP 256
/* Notes kept: one per feed and date. */
#define MAX_NOTES 256
#define MAX_NETWORKS 64

struct network {
	char name[256];
	const char *hash, *description;
	grens_timetable *tt;
	bool borrowed; /* tt is the caller's (job->scenario_timetables) */
	grens_scenario_result *res;
	grens_rt_overlay *ov;
	grens_rt_realised_counts rcounts;
};

struct grens_report_compare_run {
	const grens_report_compare_job *job;
	struct network nets[MAX_NETWORKS];
	uint32_t net_count;
	uint32_t place_count, pair_count;
	uint32_t *stops;
	grens_access_od_stops *sets;
	char (*ids)[256], (*names)[256];
	grens_report_place *places;
	grens_access_od_pair *pairs;
	grens_report_compare_network networks[MAX_NETWORKS];
	grens_report_compare_note notes[MAX_NOTES];
	char note_text[MAX_NOTES][4][256];
	uint32_t note_count;
	grens_access_od_result *od;
	int realised_net; /* the network whose realised counts the document shows, -1 */
	double build_s, query_s;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Live or realised times on one network. */
static int add_live(grens_report_compare_run *run, struct network *net, bool live,
		    const grens_gtfs_feed *const *feeds, uint32_t n, grens_diag *diag,
		    grens_error *err)
{
	const grens_report_compare_job *job = run->job;
	char label[1024];
	if (!live)
		return 0;
	if (job->realised_archive) {
		grens_date first = job->dates[0], last = job->dates[0];
		for (uint32_t i = 1; i < job->date_count; i++) {
			first = job->dates[i] < first ? job->dates[i] : first;
			last = job->dates[i] > last ? job->dates[i] : last;
		}
		snprintf(label, sizeof(label), "%s on %s", job->realised_archive, net->name);
		return report_job_realised_build(&net->ov, &net->rcounts, label,
						 job->realised_archive, job->no_data_as_scheduled,
						 net->tt, feeds, n, first, last, diag, &job->log,
						 err);
	}
	if (!job->rt)
		return 0;
	snprintf(label, sizeof(label), "%s on %s", job->rt_name ? job->rt_name : "realtime",
		 net->name);
	return report_job_rt_apply(&net->ov, label, net->tt, feeds, n, job->rt, diag, &job->log,
				   err);
}

/* One network: the source's timetable, or sc applied to the base built
 * already (report_job_scenario_net_on: the feeds are edited and built when
 * the scenario needs them, or live or realised times are matched to them). */
static int build(grens_report_compare_run *run, struct network *net, const grens_scenario *sc,
		 bool live, grens_diag *diag, grens_error *err)
{
	grens_net_source src = run->job->source;
	int rc;
	if (sc) {
		snprintf(net->name, sizeof(net->name), "%s", grens_scenario_name(sc));
		net->hash = grens_scenario_hash(sc);
		net->description = grens_scenario_description(sc);
		const grens_timetable *base =
		    run->job->rt || run->job->realised_archive ? NULL : run->nets[0].tt;
		rc = report_job_scenario_net_on(&net->tt, &net->res, sc, &src, base, diag,
						&run->job->log, err);
		if (!rc && net->res)
			src.feeds = grens_scenario_result_feeds(net->res, &src.feed_count);
	} else {
		rc = report_job_net_build(&net->tt, &src, net->name, diag, err);
	}
	return rc ? rc : add_live(run, net, live, src.feeds, src.feed_count, diag, err);
}

/* A no_service_on_date note per feed of the base without trips on date. */
static int check_date(grens_report_compare_run *run, grens_date date, grens_error *err)
{
	const grens_timetable *tt = run->nets[0].tt;
	grens_net_date_note *found = calloc(tt->feed_count + 1, sizeof(*found));
	uint32_t n = 0;
	if (!found)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	int rc = grens_net_check_date(tt, date, found, tt->feed_count, &n, err);
	char day[16];
	grens_date_format_iso(date, day, sizeof(day));
	for (uint32_t i = 0; rc == 0 && i < n; i++) {
		report_job_logf(&run->job->log, "warning: %s", found[i].message);
		if (run->note_count == MAX_NOTES)
			continue;
		char (*t)[256] = run->note_text[run->note_count];
		snprintf(t[0], sizeof(t[0]), "no_service_on_date");
		snprintf(t[1], sizeof(t[1]), "%s", day);
		snprintf(t[2], sizeof(t[2]), "%s", grens_net_str(tt, tt->feed_name[found[i].feed]));
		snprintf(t[3], sizeof(t[3]), "%s", found[i].message);
		run->notes[run->note_count++] = (grens_report_compare_note){t[0], t[1], t[2], t[3]};
	}
	free(found);
	/* a date the feeds do not serve is a fact of the data, not a bad
	 * argument: GRENS_ENOTFOUND, as the other jobs */
	if (rc == GRENS_EARG && err)
		err->code = rc = GRENS_ENOTFOUND;
	return rc;
}

/* Every place (origins, then destinations) on every network; ids and names
 * from the base. */
static int resolve(grens_report_compare_run *run, grens_error *err)
{
	const grens_report_compare_job *job = run->job;
	uint32_t pc = run->place_count;
	for (uint32_t ni = 0; ni < run->net_count; ni++) {
		const grens_timetable *tt = run->nets[ni].tt;
		for (uint32_t k = 0; k < pc; k++) {
			size_t at = (size_t)ni * pc + k;
			uint32_t *s = run->stops + at * STOP_CAP, n;
			bool from = k < job->from_count;
			const char *q = from ? job->from[k] : job->to[k - job->from_count];
			int rc = report_job_stops(tt, from ? "--from" : "--to", q, s, STOP_CAP, &n,
						  err);
			if (rc)
				return rc;
			run->sets[at] = (grens_access_od_stops){s, n};
			if (ni)
				continue;
			uint32_t d = report_job_display_stop(tt, s, n);
			report_job_stop_id(tt, d, run->ids[k], sizeof(run->ids[k]));
			snprintf(run->names[k], sizeof(run->names[k]), "%s",
				 grens_net_str(tt, tt->stop_name[d]));
			run->places[k] = (grens_report_place){run->ids[k], run->names[k], NAN, NAN};
		}
	}
	return 0;
}

/* Refuse what cannot run, with the reason. */
static int check_job(const grens_report_compare_job *job, grens_error *err)
{
	if (job->version != GRENS_REPORT_COMPARE_JOB_VERSION)
		return grens_error_set(err, GRENS_EARG,
				       "grens_report_compare_job version %u, expected %u",
				       job->version, GRENS_REPORT_COMPARE_JOB_VERSION);
	if (!job->from || !job->to || !job->from_count || !job->to_count)
		return grens_error_set(err, GRENS_EARG, "a comparison needs origins and "
							"destinations");
	if (!job->dates || !job->date_count)
		return grens_error_set(err, GRENS_EARG, "a comparison needs a date");
	if (job->scenario_count && !job->scenarios)
		return grens_error_set(err, GRENS_EARG, "scenario_count without scenarios");
	if (job->scenario_count + 2 > MAX_NETWORKS)
		return grens_error_set(err, GRENS_ELIMIT, "more than %u scenarios",
				       MAX_NETWORKS - 2);
	if (job->source.snapshot && job->rt)
		return grens_error_set(err, GRENS_EARG,
				       "realtime matching reads the GTFS feeds' stop_sequence and "
				       "routes, which a snapshot does not hold");
	if (job->realised_vs_scheduled && (!job->realised_archive || job->scenario_count))
		return grens_error_set(err, GRENS_EARG,
				       "realised_vs_scheduled needs a realised archive and takes "
				       "no scenario");
	if (job->realised_archive && job->rt)
		return grens_error_set(err, GRENS_EARG,
				       "give realtime (one snapshot) or a realised archive, not "
				       "both");
	return 0;
}

static int run_job(grens_report_compare_run *run, grens_diag *diag, grens_error *err)
{
	const grens_report_compare_job *job = run->job;
	double t0 = now_s();
	int rc;
	struct network *base = &run->nets[0];
	if (job->realised_vs_scheduled) {
		/* the schedule, then the same network on the realised times */
		snprintf(base->name, sizeof(base->name), "scheduled");
		snprintf(run->nets[1].name, sizeof(run->nets[1].name), "realised");
		run->nets[1].description = "the base network on the realised times of the "
					   "recording";
		run->net_count = 2;
		run->realised_net = 1;
		if ((rc = build(run, base, NULL, false, diag, err)) ||
		    (rc = build(run, &run->nets[1], NULL, true, diag, err)))
			return rc;
	} else {
		snprintf(base->name, sizeof(base->name), "base");
		run->net_count = 1;
		run->realised_net = job->realised_archive ? 0 : -1;
		if ((rc = build(run, base, NULL, true, diag, err)))
			return rc;
	}
	/* every date, so that one run names all the dates that are refused */
	for (uint32_t d = 0; d < job->date_count; d++)
		if ((rc = check_date(run, job->dates[d], err)))
			return rc;
	for (uint32_t i = 0; i < job->scenario_count; i++) {
		struct network *net = &run->nets[run->net_count++];
		const grens_scenario *sc = job->scenarios[i];
		if (job->scenario_timetables && job->scenario_timetables[i] && !job->rt &&
		    !job->realised_archive) {
			/* applied to the snapshot already, by the caller */
			snprintf(net->name, sizeof(net->name), "%s", grens_scenario_name(sc));
			net->hash = grens_scenario_hash(sc);
			net->description = grens_scenario_description(sc);
			net->tt = (grens_timetable *)job->scenario_timetables[i];
			net->borrowed = true;
			continue;
		}
		if ((rc = build(run, net, sc, true, diag, err)))
			return rc;
	}
	double t1 = now_s();
	run->place_count = job->from_count + job->to_count;
	size_t cells = (size_t)run->net_count * run->place_count;
	run->pair_count = job->from_count * job->to_count * (job->one_way ? 1u : 2u);
	run->sets = calloc(cells, sizeof(*run->sets));
	run->stops = calloc(cells * STOP_CAP, sizeof(*run->stops));
	run->ids = calloc(run->place_count, sizeof(*run->ids));
	run->names = calloc(run->place_count, sizeof(*run->names));
	run->places = calloc(run->place_count, sizeof(*run->places));
	run->pairs = calloc(run->pair_count, sizeof(*run->pairs));
	if (!run->sets || !run->stops || !run->ids || !run->names || !run->places || !run->pairs)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	if ((rc = resolve(run, err)))
		return rc;
	/* every origin to every destination, and back unless one way */
	uint32_t n = 0;
	for (uint32_t f = 0; f < job->from_count; f++)
		for (uint32_t t = 0; t < job->to_count; t++)
			for (int back = 0; back < (job->one_way ? 1 : 2); back++)
				run->pairs[n++] =
				    back ? (grens_access_od_pair){job->from_count + t, f}
					 : (grens_access_od_pair){f, job->from_count + t};
	grens_access_od_network on[MAX_NETWORKS];
	for (uint32_t i = 0; i < run->net_count; i++) {
		const struct network *net = &run->nets[i];
		on[i] = (grens_access_od_network){net->tt, net->ov,
						  run->sets + (size_t)i * run->place_count};
		run->networks[i] = (grens_report_compare_network){
		    net->name, net->hash ? net->hash : "",
		    net->description ? net->description : "", net->rcounts.trips_no_data};
	}
	grens_access_od_options oo = GRENS_ACCESS_OD_OPTIONS_INIT;
	oo.dates = job->dates;
	oo.date_count = job->date_count;
	oo.window_start = job->window_start;
	oo.window_end = job->window_end;
	oo.step = job->step;
	oo.threshold = job->threshold;
	oo.max_transfers = job->max_transfers;
	oo.threads = job->threads;
	rc = grens_access_od_run(&run->od, on, run->net_count, run->place_count, run->pairs,
				 run->pair_count, &oo, err);
	run->build_s = t1 - t0;
	run->query_s = now_s() - t1;
	return rc;
}

int grens_report_compare_run_new(grens_report_compare_run **out,
				 const grens_report_compare_job *job, grens_diag *diag,
				 grens_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !job)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_compare_run_new: out and job are required");
	int rc = check_job(job, err);
	if (rc)
		return rc;
	grens_report_compare_run *run = calloc(1, sizeof(*run));
	if (!run)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	run->job = job;
	if ((rc = run_job(run, diag, err))) {
		grens_report_compare_run_free(run);
		return rc;
	}
	*out = run;
	return 0;
}

void grens_report_compare_run_free(grens_report_compare_run *run)
{
	if (!run)
		return;
	grens_access_od_result_free(run->od);
	for (uint32_t i = MAX_NETWORKS; i-- > 0;) {
		grens_rt_overlay_release(run->nets[i].ov);
		if (!run->nets[i].borrowed)
			grens_net_free(run->nets[i].tt);
		grens_scenario_result_free(run->nets[i].res);
	}
	free(run->sets);
	free(run->stops);
	free(run->ids);
	free(run->names);
	free(run->places);
	free(run->pairs);
	free(run);
}

grens_report_compare grens_report_compare_run_document(const grens_report_compare_run *run)
{
	grens_report_compare doc = {0};
	if (!run)
		return doc;
	const grens_report_compare_job *job = run->job;
	doc.od = run->od;
	doc.pairs = run->pairs;
	doc.places = run->places;
	doc.networks = run->networks;
	doc.network_count = run->net_count;
	doc.rt = job->rt ? job->rt_name : NULL;
	doc.realised_archive = job->realised_archive;
	doc.no_data_as_scheduled = job->no_data_as_scheduled;
	doc.realised_vs_scheduled = job->realised_vs_scheduled;
	doc.notes = run->notes;
	doc.note_count = run->note_count;
	return doc;
}

const grens_rt_realised_counts *grens_report_compare_run_realised(
    const grens_report_compare_run *run)
{
	return run && run->realised_net >= 0 ? &run->nets[run->realised_net].rcounts : NULL;
}

void grens_report_compare_run_timings(const grens_report_compare_run *run, double *build_s,
				      double *query_s)
{
	if (build_s)
		*build_s = run ? run->build_s : 0;
	if (query_s)
		*query_s = run ? run->query_s : 0;
}
