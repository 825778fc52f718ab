/* The compare document (grens/report.h: grens_report_compare_write): the
 * rows of an OD comparison as JSON, CSV and a text table. The JSON shape is
 * a contract (docs/grens-json.7.scd, "grens compare"). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define COMPARE_JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* A best journey's text: one line, cut at this many bytes. */
#define JOURNEY_TEXT_BYTES 1024

static void hhmm(int32_t t, char *buf, size_t n)
{
	if (t == GRENS_ROUTE_UNREACHED || t == GRENS_TIME_NONE) {
		snprintf(buf, n, "-");
		return;
	}
	snprintf(buf, n, "%02d:%02d", t / 3600, (t / 60) % 60);
}

static void duration(int32_t s, char *buf, size_t n)
{
	if (s == GRENS_ROUTE_UNREACHED)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%d:%02d", s / 3600, (s / 60) % 60);
}

static void signed_minutes(int32_t delta, char *buf, size_t n)
{
	if (delta == GRENS_ROUTE_UNREACHED)
		snprintf(buf, n, "-");
	else if (delta == 0)
		snprintf(buf, n, "0");
	else
		snprintf(buf, n, "%+d min", (delta + (delta > 0 ? 30 : -30)) / 60);
}

static json_t *iso_or_null(grens_date d, int32_t t)
{
	if (t == GRENS_ROUTE_UNREACHED)
		return json_null();
	char buf[32];
	grens_route_format_time(d, t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *int_or_null(int32_t v)
{
	return v == GRENS_ROUTE_UNREACHED ? json_null() : json_integer(v);
}

/* The best journey of a compare row as JSON (*json, NULL when there is
 * none) in the one journey encoding (grens-json(7), JOURNEYS), and as a
 * one-line text. */
static int compare_journey(const grens_access_od_result *od, uint32_t row, grens_date date,
			   json_t **json, char *text, size_t textsz)
{
	grens_route_result res;
	const grens_timetable *tt;
	const grens_rt_overlay *rt;
	*json = NULL;
	text[0] = '\0';
	if (!grens_access_od_result_journey(od, row, &res, &tt, &rt))
		return 0;
	*json = report_journey_json(tt, rt, date, &res, 0);
	if (!*json)
		return GRENS_ENOMEM;
	const grens_route_journey *j = &res.journeys[0];
	size_t used = 0;
	for (uint32_t i = 0; i < j->leg_count; i++) {
		const grens_route_leg *l = &res.legs[j->leg_offset + i];
		char dep[16], arr[16];
		hhmm(l->departure, dep, sizeof(dep));
		hhmm(l->arrival, arr, sizeof(arr));
		int m;
		if (l->mode == GRENS_ROUTE_LEG_TRANSIT) {
			grens_route_leg_info info;
			grens_route_leg_describe(tt, rt, l, &info);
			m = snprintf(text + used, textsz - used, "%s%s %s %s - %s %s",
				     used ? ", " : "", dep, info.route,
				     grens_net_str(tt, tt->stop_name[l->from_stop]), arr,
				     grens_net_str(tt, tt->stop_name[l->to_stop]));
		} else {
			m = snprintf(text + used, textsz - used, "%swalk %d min to %s",
				     used ? ", " : "", (l->arrival - l->departure + 59) / 60,
				     grens_net_str(tt, tt->stop_name[l->to_stop]));
		}
		if (m > 0 && (size_t)m < textsz - used)
			used += (size_t)m;
	}
	return 0;
}

static int check(const grens_report_compare *doc, FILE *f, const char *func, grens_error *err)
{
	if (!doc)
		return grens_error_set(err, GRENS_EINVAL, "%s: doc is NULL", func);
	if (!doc->od)
		return grens_error_set(err, GRENS_EINVAL, "%s: doc->od is NULL", func);
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "%s: f is NULL", func);
	if (!doc->networks || !doc->network_count)
		return grens_error_set(err, GRENS_EINVAL, "%s: doc->networks is NULL", func);
	if (grens_access_od_result_count(doc->od) && (!doc->pairs || !doc->places))
		return grens_error_set(err, GRENS_EINVAL,
				       "%s: doc->pairs or doc->places is NULL", func);
	return 0;
}

static int write_text(FILE *o, const grens_report_compare *doc, grens_error *err)
{
	const grens_access_od_options *a = grens_access_od_result_options(doc->od);
	uint32_t rows = grens_access_od_result_count(doc->od);
	char w0[16], w1[16];
	hhmm(a->window_start, w0, sizeof(w0));
	hhmm(a->window_end, w1, sizeof(w1));
	fprintf(o,
		"grens compare: departures every %d s %s-%s; travel time includes waiting at the "
		"origin\n",
		a->step, w0, w1);
	if (doc->rt)
		fprintf(o, "grens compare: live times of %s on every network\n", doc->rt);
	if (doc->realised_archive && doc->realised_vs_scheduled && doc->network_count > 1)
		fprintf(o, "grens compare: the schedule against the realised times of %s (%u trips "
			   "no data, %s)\n",
			doc->realised_archive, doc->networks[1].trips_no_data,
			doc->no_data_as_scheduled ? "run as scheduled" : "not ridden");
	else if (doc->realised_archive)
		fprintf(o, "grens compare: realised times of %s on every network (%u trips no data "
			   "on the base, %s)\n",
			doc->realised_archive, doc->networks[0].trips_no_data,
			doc->no_data_as_scheduled ? "run as scheduled" : "not ridden");
	for (uint32_t i = 0; i < doc->network_count; i++) {
		const grens_report_compare_network *n = &doc->networks[i];
		fputs("  ", o);
		grens_report_text_cell(o, n->name, 24, false, false);
		fprintf(o, " %s%s%s%s\n", n->sha256[0] ? "sha256 " : "the network as loaded",
			n->sha256, n->description[0] ? "\n                           " : "",
			n->description);
	}
	/* the per-minute median against the per-train saving: grens-compare(1) */
	fputs("  Δmedian: the change of the median over the departure minutes (waiting at the\n"
	      "  origin counts); Δtrain: the best journey riding a changed train against the\n"
	      "  best base journey from the same departure, each timed from its own departure\n",
	      o);
	char under[32];
	snprintf(under, sizeof(under), "<=%dh%02d", a->threshold / 3600, (a->threshold / 60) % 60);
	/* "Δ" is two bytes and one column: pad the last heading by width. */
	fprintf(o, "\n%-20s %-20s %-10s %-24s %6s %6s %6s %5s %6s %5s %5s ", "from", "to", "date",
		"scenario", "min", "median", "p90", "chg", under, "first", "last");
	grens_report_text_cell(o, "Δmedian", 8, false, true);
	fputc(' ', o);
	grens_report_text_cell(o, "Δtrain", 8, false, true);
	fputc('\n', o);
	for (uint32_t i = 0; i < rows; i++) {
		const grens_access_od_row *r = grens_access_od_result_row(doc->od, i);
		const grens_access_od_pair *p = &doc->pairs[r->pair];
		char date[16], mn[16], md[16], p9[16], first[16], last[16], delta[32], chg[32],
		    share[32], train[32];
		grens_date_format_iso(a->dates[r->date], date, sizeof(date));
		duration(r->summary.min, mn, sizeof(mn));
		duration(r->summary.median, md, sizeof(md));
		duration(r->summary.p90, p9, sizeof(p9));
		hhmm(r->first_departure, first, sizeof(first));
		hhmm(r->last_departure, last, sizeof(last));
		signed_minutes(r->delta_median, delta, sizeof(delta));
		signed_minutes(r->delta_train, train, sizeof(train));
		if (isnan(r->summary.mean_transfers))
			snprintf(chg, sizeof(chg), "-");
		else
			snprintf(chg, sizeof(chg), "%.2f", r->summary.mean_transfers);
		snprintf(share, sizeof(share), "%.0f%%", 100.0 * r->summary.share_under);
		grens_report_text_cell(o, doc->places[p->from].name, 20, true, false);
		fputc(' ', o);
		grens_report_text_cell(o, doc->places[p->to].name, 20, true, false);
		fprintf(o, " %-10s ", date);
		grens_report_text_cell(o, doc->networks[r->network].name, 24, true, false);
		fprintf(o, " %6s %6s %6s %5s %6s %5s %5s %8s %8s\n", mn, md, p9, chg, share, first,
			last, delta, train);
	}
	fprintf(o, "\nbest journeys (the shortest travel time in the window):\n");
	for (uint32_t i = 0; i < rows; i++) {
		const grens_access_od_row *r = grens_access_od_result_row(doc->od, i);
		const grens_access_od_pair *p = &doc->pairs[r->pair];
		char date[16], text[JOURNEY_TEXT_BYTES];
		json_t *best;
		int rc = compare_journey(doc->od, i, a->dates[r->date], &best, text, sizeof(text));
		if (rc)
			return grens_error_set(err, rc, "out of memory");
		grens_date_format_iso(a->dates[r->date], date, sizeof(date));
		fprintf(o, "  %s -> %s %s %s: %s\n", doc->places[p->from].name,
			doc->places[p->to].name, date, doc->networks[r->network].name,
			best ? text : "no journey");
		json_decref(best);
	}
	return 0;
}

static void csv_int(FILE *o, int32_t v)
{
	if (v != GRENS_ROUTE_UNREACHED)
		fprintf(o, "%d", v);
}

static int write_csv(FILE *o, const grens_report_compare *doc, grens_error *err)
{
	const grens_access_od_options *a = grens_access_od_result_options(doc->od);
	fprintf(o, "from_id,from_name,to_id,to_name,date,scenario,scenario_sha256,min_s,median_s,"
		   "p90_s,mean_transfers,share_under_threshold,first_departure,last_departure,"
		   "delta_median_s,best_journey,delta_min_s,delta_p90_s,delta_mean_transfers,"
		   "delta_share_under_threshold,delta_train_s,train_departure\n");
	for (uint32_t i = 0; i < grens_access_od_result_count(doc->od); i++) {
		const grens_access_od_row *r = grens_access_od_result_row(doc->od, i);
		const grens_access_od_pair *p = &doc->pairs[r->pair];
		const grens_report_place *f = &doc->places[p->from], *t = &doc->places[p->to];
		const grens_report_compare_network *n = &doc->networks[r->network];
		grens_date day = a->dates[r->date];
		char date[16], first[32] = "", last[32] = "", text[JOURNEY_TEXT_BYTES];
		json_t *best;
		int rc = compare_journey(doc->od, i, day, &best, text, sizeof(text));
		if (rc)
			return grens_error_set(err, rc, "out of memory");
		json_decref(best);
		grens_date_format_iso(day, date, sizeof(date));
		if (r->first_departure != GRENS_ROUTE_UNREACHED)
			grens_route_format_time(day, r->first_departure, first, sizeof(first));
		if (r->last_departure != GRENS_ROUTE_UNREACHED)
			grens_route_format_time(day, r->last_departure, last, sizeof(last));
		grens_report_csv_field(o, f->id);
		fputc(',', o);
		grens_report_csv_field(o, f->name);
		fputc(',', o);
		grens_report_csv_field(o, t->id);
		fputc(',', o);
		grens_report_csv_field(o, t->name);
		fprintf(o, ",%s,", date);
		grens_report_csv_field(o, n->name);
		fprintf(o, ",%s,", n->sha256);
		csv_int(o, r->summary.min);
		fputc(',', o);
		csv_int(o, r->summary.median);
		fputc(',', o);
		csv_int(o, r->summary.p90);
		fputc(',', o);
		if (!isnan(r->summary.mean_transfers))
			fprintf(o, "%.3f", r->summary.mean_transfers);
		fprintf(o, ",%.4f,%s,%s,", r->summary.share_under, first, last);
		csv_int(o, r->delta_median);
		fputc(',', o);
		grens_report_csv_field(o, text);
		fputc(',', o);
		csv_int(o, r->delta_min);
		fputc(',', o);
		csv_int(o, r->delta_p90);
		fputc(',', o);
		if (!isnan(r->delta_transfers))
			fprintf(o, "%.3f", r->delta_transfers);
		fprintf(o, ",%.4f,", r->delta_share);
		csv_int(o, r->delta_train);
		fputc(',', o);
		if (r->train_departure != GRENS_ROUTE_UNREACHED) {
			char dep[32];
			grens_route_format_time(day, r->train_departure, dep, sizeof(dep));
			fputs(dep, o);
		}
		fputc('\n', o);
	}
	return 0;
}

static json_t *rounded(double v)
{
	return isnan(v) ? json_null() : json_real(round(v * 1e4) / 1e4);
}

static json_t *row_json(const grens_report_compare *doc, uint32_t i, grens_error *err)
{
	const grens_access_od_options *a = grens_access_od_result_options(doc->od);
	const grens_access_od_row *r = grens_access_od_result_row(doc->od, i);
	const grens_access_od_pair *p = &doc->pairs[r->pair];
	const grens_report_place *f = &doc->places[p->from], *t = &doc->places[p->to];
	const grens_report_compare_network *n = &doc->networks[r->network];
	grens_date day = a->dates[r->date];
	char date[16], text[JOURNEY_TEXT_BYTES];
	json_t *best;
	if (compare_journey(doc->od, i, day, &best, text, sizeof(text))) {
		grens_error_set(err, GRENS_ENOMEM, "out of memory");
		return NULL;
	}
	grens_date_format_iso(day, date, sizeof(date));
	json_t *o = json_object();
	json_object_set_new(o, "from", json_pack("{s:s, s:s}", "id", f->id, "name", f->name));
	json_object_set_new(o, "to", json_pack("{s:s, s:s}", "id", t->id, "name", t->name));
	json_object_set_new(o, "date", json_string(date));
	json_object_set_new(o, "scenario", json_string(n->name));
	json_object_set_new(o, "scenario_sha256",
			    n->sha256[0] ? json_string(n->sha256) : json_null());
	json_object_set_new(o, "steps", json_integer(r->summary.steps));
	json_object_set_new(o, "reached", json_integer(r->summary.reached));
	json_object_set_new(o, "min_s", int_or_null(r->summary.min));
	json_object_set_new(o, "median_s", int_or_null(r->summary.median));
	json_object_set_new(o, "p90_s", int_or_null(r->summary.p90));
	json_object_set_new(o, "mean_transfers", rounded(r->summary.mean_transfers));
	json_object_set_new(o, "share_under_threshold", rounded(r->summary.share_under));
	json_object_set_new(o, "first_departure", iso_or_null(day, r->first_departure));
	json_object_set_new(o, "last_departure", iso_or_null(day, r->last_departure));
	json_object_set_new(o, "delta_median_s", int_or_null(r->delta_median));
	json_object_set_new(o, "delta_min_s", int_or_null(r->delta_min));
	json_object_set_new(o, "delta_p90_s", int_or_null(r->delta_p90));
	json_object_set_new(o, "delta_mean_transfers", rounded(r->delta_transfers));
	json_object_set_new(o, "delta_share_under_threshold", rounded(r->delta_share));
	json_object_set_new(o, "delta_train_s", int_or_null(r->delta_train));
	json_object_set_new(o, "train_departure", iso_or_null(day, r->train_departure));
	json_object_set_new(o, "best_journey", best ? best : json_null());
	return o;
}

static json_t *document(const grens_report_compare *doc, grens_error *err)
{
	const grens_access_od_options *a = grens_access_od_result_options(doc->od);
	uint32_t rows = grens_access_od_result_count(doc->od), net_count = doc->network_count;
	json_t *root = json_object(), *dates = json_array(), *names = json_array(),
	       *hashes = json_object(), *list = json_array(), *notes = json_array();
	for (uint32_t i = 0; i < a->date_count; i++) {
		char d[16];
		grens_date_format_iso(a->dates[i], d, sizeof(d));
		json_array_append_new(dates, json_string(d));
	}
	for (uint32_t i = 0; i < net_count; i++) {
		json_array_append_new(names, json_string(doc->networks[i].name));
		json_object_set_new(hashes, doc->networks[i].name,
				    doc->networks[i].sha256[0] ? json_string(doc->networks[i].sha256)
							       : json_null());
	}
	char w0[16], w1[16], window[40];
	hhmm(a->window_start, w0, sizeof(w0));
	hhmm(a->window_end, w1, sizeof(w1));
	snprintf(window, sizeof(window), "%s-%s", w0, w1);
	json_object_set_new(root, "dates", dates);
	json_object_set_new(root, "window", json_string(window));
	json_object_set_new(root, "step_s", json_integer(a->step));
	json_object_set_new(root, "threshold_s", json_integer(a->threshold));
	json_object_set_new(root, "scenarios", names);
	json_object_set_new(root, "scenario_sha256", hashes);
	json_object_set_new(root, "rt", doc->rt ? json_string(doc->rt) : json_null());
	if (doc->realised_archive) {
		/* the base network's counts; each scenario's differ by its new trips */
		json_t *rz = doc->realised_json ? json_loads(doc->realised_json, 0, NULL) : NULL;
		if (!json_is_object(rz)) {
			json_decref(rz);
			json_decref(root);
			json_decref(list);
			json_decref(notes);
			grens_error_set(err, GRENS_EFORMAT, "the realised block is not a JSON object");
			return NULL;
		}
		json_t *per = json_object();
		/* with realised_vs_scheduled the first network is the schedule */
		for (uint32_t i = doc->realised_vs_scheduled ? 1 : 0; i < net_count; i++)
			json_object_set_new(per, doc->networks[i].name,
					    json_integer(doc->networks[i].trips_no_data));
		json_object_set_new(rz, "trips_no_data_by_network", per);
		json_object_set_new(root, "realised", rz);
		if (doc->realised_vs_scheduled)
			json_object_set_new(root, "comparison", json_string("realised-vs-scheduled"));
	}
	for (uint32_t i = 0; i < rows; i++) {
		json_t *o = row_json(doc, i, err);
		if (!o) {
			json_decref(root);
			json_decref(list);
			json_decref(notes);
			return NULL;
		}
		json_array_append_new(list, o);
	}
	for (uint32_t i = 0; i < doc->note_count; i++) {
		const grens_report_compare_note *n = &doc->notes[i];
		json_array_append_new(notes, json_pack("{s:s, s:s, s:s, s:s}", "code", n->code,
						       "date", n->date, "feed", n->feed, "message",
						       n->message));
	}
	json_object_set_new(root, "rows", list);
	json_object_set_new(root, "notes", notes);
	return root;
}

int grens_report_compare_write(const grens_report_compare *doc, grens_report_compare_format format,
			       FILE *f, grens_error *err)
{
	int rc = check(doc, f, "grens_report_compare_write", err);
	if (rc)
		return rc;
	if (format == GRENS_REPORT_COMPARE_TEXT)
		rc = write_text(f, doc, err);
	else if (format == GRENS_REPORT_COMPARE_CSV)
		rc = write_csv(f, doc, err);
	else {
		json_t *root = document(doc, err);
		if (!root)
			return err && err->code ? err->code : GRENS_ENOMEM;
		rc = json_dumpf(root, f, COMPARE_JSON_FLAGS) ? GRENS_EIO : 0;
		fputc('\n', f);
		json_decref(root);
		if (rc)
			return grens_error_set(err, rc, "cannot write the compare document");
	}
	if (!rc && ferror(f))
		return grens_error_set(err, GRENS_EIO, "cannot write the compare document");
	return rc;
}

int grens_report_compare_write_dir(const grens_report_compare *doc, const char *dir,
				   grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_compare_write_dir: dir is NULL");
	int rc = check(doc, stdout, "grens_report_compare_write_dir", err);
	if (rc || (rc = grens_report_mkdirs(dir, err)))
		return rc;
	static const char *const names[] = {"compare.txt", "compare.csv", "compare.json"};
	static const grens_report_compare_format formats[] = {
	    GRENS_REPORT_COMPARE_TEXT, GRENS_REPORT_COMPARE_CSV, GRENS_REPORT_COMPARE_JSON};
	for (int i = 0; i < 3; i++) {
		char path[GRENS_REPORT_PATH_BYTES];
		int n = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (n < 0 || (size_t)n >= sizeof(path))
			return grens_error_set(err, GRENS_ELIMIT, "path too long: %s/%s", dir,
					       names[i]);
		grens_report_file file;
		if ((rc = grens_report_file_open(&file, path, err)))
			return rc;
		if ((rc = grens_report_compare_write(doc, formats[i], file.f, err))) {
			grens_report_file_abort(&file);
			return rc;
		}
		if ((rc = grens_report_file_commit(&file, err)))
			return rc;
	}
	return 0;
}
