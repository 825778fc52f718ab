#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/gtfs.h"
#include "route_cli.h"
#include "realised_cli.h"

int route_cli_rt_check_path(const char *cmd, const char *rt)
{
	if (!rt || (strncmp(rt, "http://", 7) != 0 && strncmp(rt, "https://", 8) != 0))
		return 0;
	cli_errorf(cmd,
		   "%s: reading a URL directly is not supported; download it with "
		   "grens fetch --kind gtfs-rt and pass the cached file",
		   rt);
	return CLI_EXIT_USAGE;
}

int route_cli_scenario_load(const char *cmd, const char *path, grens_scenario **out)
{
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_scenario_load(out, path, &err);
	if (!rc)
		return 0;
	cli_report_error(cmd, &err);
	return rc == GRENS_EIO || rc == GRENS_EFORMAT || rc == GRENS_ELIMIT ? CLI_EXIT_USAGE
									    : CLI_EXIT_FAIL;
}

int route_cli_scenario_apply(const char *cmd, const grens_scenario *sc,
			     const grens_gtfs_feed *const *feeds, uint32_t n,
			     const grens_timetable *base, grens_scenario_result **applied,
			     grens_timetable **derived)
{
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	if (!diag) {
		cli_errorf(cmd, "out of memory");
		return CLI_EXIT_FAIL;
	}
	grens_scenario_stats st = {0};
	int rc = base ? grens_scenario_derive(derived, &st, sc, base, diag, &err)
		      : grens_scenario_apply(applied, sc, feeds, n, diag, &err);
	cli_print_notices(diag, 10);
	grens_diag_free(diag);
	if (rc) {
		cli_report_error(cmd, &err);
		return CLI_EXIT_FAIL;
	}
	if (!base)
		st = *grens_scenario_result_stats(*applied);
	fprintf(stderr,
		"grens %s: scenario %s (sha256 %.12s)%s: %u edits, %u trips added, %u removed, %u "
		"changed\n",
		cmd, grens_scenario_name(sc), grens_scenario_hash(sc),
		base ? " on the snapshot" : "", st.edits, st.trips_added, st.trips_removed,
		st.trips_changed);
	return 0;
}

int route_cli_rt_apply(const char *cmd, const char *label, const grens_timetable *tt,
		       const grens_gtfs_feed *const *feeds, uint32_t n, const grens_rt_feed *rtf,
		       grens_rt_overlay **out)
{
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	grens_rt_options ro = GRENS_RT_OPTIONS_INIT;
	int rc = diag ? grens_rt_apply(out, tt, feeds, n, rtf, &ro, diag, &err) : GRENS_ENOMEM;
	if (diag)
		cli_print_notices(diag, 10);
	grens_diag_free(diag);
	if (rc) {
		if (!err.code)
			grens_error_set(&err, rc, "out of memory");
		cli_report_error(cmd, &err);
		return CLI_EXIT_FAIL;
	}
	const grens_rt_counts *c = grens_rt_overlay_counts(*out);
	fprintf(stderr,
		"grens %s: realtime %s: %u trip updates, %u matched, %u cancelled, %u added, %u "
		"unknown trips\n",
		cmd, label, c->trip_updates, c->matched, c->cancelled, c->added, c->unknown_trip);
	return 0;
}

int route_cli_load_net(const char *cmd, cli_feed_list *feeds, const cli_link_args *link,
		       const char *scenario, const char *rt, route_cli_net *out)
{
	return route_cli_load_net_realised(cmd, feeds, link, scenario, rt, NULL, 0, 0, out, NULL);
}

int route_cli_load_net_realised(const char *cmd, cli_feed_list *feeds, const cli_link_args *link,
				const char *scenario, const char *rt, const realised_cli_args *rz,
				grens_date first, grens_date last, route_cli_net *out,
				grens_rt_realised_counts *counts)
{
	cli_source src = { 0 };
	grens_scenario_result *applied = NULL;
	grens_rt_feed *rtf = NULL;
	grens_net_links *links = NULL;
	grens_error err;
	grens_error_clear(&err);
	memset(out, 0, sizeof(*out));
	int code = CLI_EXIT_FAIL;
	if ((code = route_cli_rt_check_path(cmd, rt)) ||
	    (code = cli_source_refuse(cmd, feeds, rt != NULL, "--rt")) ||
	    (scenario && (code = route_cli_scenario_load(cmd, scenario, &out->sc))))
		goto done;
	code = CLI_EXIT_FAIL;
	/* the realtime file before the feeds: a bad download fails fast */
	if (rt && grens_rt_decode_file(&rtf, rt, &err) != 0) {
		cli_report_error(cmd, &err);
		goto done;
	}
	if ((code = cli_source_load(cmd, feeds, link, &src)))
		goto done;
	code = CLI_EXIT_FAIL;
	if (!src.snapshot && cli_links_load(cmd, link, &links) != 0)
		goto done;
	const grens_gtfs_feed *const *use = (const grens_gtfs_feed *const *)src.feeds;
	uint32_t count = src.count;
	if (out->sc && !src.snapshot) {
		if (route_cli_scenario_apply(cmd, out->sc, use, count, NULL, &applied, NULL))
			goto done;
		use = grens_scenario_result_feeds(applied, &count);
	}
	if (src.snapshot && out->sc) {
		/* the scenario on the built timetable; the snapshot stays beneath it */
		out->base = src.snapshot;
		src.snapshot = NULL;
		if (route_cli_scenario_apply(cmd, out->sc, NULL, 0, out->base, NULL, &out->tt))
			goto done;
	} else if (src.snapshot) {
		/* the net owns the mapping: the routing outlives this function */
		out->tt = src.snapshot;
		src.snapshot = NULL;
	} else if (cli_net_build(cmd, use, count, link, links, &out->tt, NULL) != 0) {
		goto done;
	}
	if (rtf && route_cli_rt_apply(cmd, rt, out->tt, use, count, rtf, &out->ov))
		goto done;
	if (rz && rz->archive &&
	    realised_cli_build(cmd, rz->archive, rz, out->tt, use, count, first, last, &out->ov,
			       counts))
		goto done;
	code = CLI_EXIT_OK;
done:
	grens_net_links_free(links);
	grens_rt_feed_free(rtf);
	grens_scenario_result_free(applied);
	cli_source_free(&src);
	if (code != CLI_EXIT_OK)
		route_cli_net_free(out);
	return code;
}

void route_cli_net_free(route_cli_net *net)
{
	grens_rt_overlay_release(net->ov);
	grens_net_free(net->tt);
	grens_net_free(net->base);
	grens_scenario_free(net->sc);
	memset(net, 0, sizeof(*net));
}

int route_cli_stops(const char *cmd, const grens_timetable *tt, const char *what,
		    const char *query, uint32_t *out, uint32_t cap, uint32_t *n)
{
	grens_error err;
	grens_error_clear(&err);
	*n = 0;
	int rc = grens_net_find_stops(tt, query, out, cap, n, &err);
	if (rc == 0 && *n > 0)
		return CLI_EXIT_OK;
	if (rc == GRENS_EARG) {
		cli_errorf(cmd, "%s '%s' is ambiguous: %s", what, query, err.message);
		return CLI_EXIT_USAGE;
	}
	if (rc == 0) {
		cli_errorf(cmd, "%s '%s' matches no stop", what, query);
		return CLI_EXIT_USAGE;
	}
	if (rc == GRENS_ENOTFOUND) {
		cli_errorf(cmd, "%s %s", what, err.message);
		return CLI_EXIT_USAGE;
	}
	cli_report_error(cmd, &err);
	return CLI_EXIT_FAIL;
}

int route_cli_ends_resolve(const char *cmd, const grens_timetable *tt, const char *from,
			   const char *to, route_cli_ends *out)
{
	memset(out, 0, sizeof(*out));
	out->from = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	out->to = calloc(GRENS_ROUTE_MAX_ENDPOINTS, sizeof(uint32_t));
	if (!out->from || !out->to) {
		cli_errorf(cmd, "out of memory");
		return CLI_EXIT_FAIL;
	}
	int code = route_cli_stops(cmd, tt, "--from", from, out->from, GRENS_ROUTE_MAX_ENDPOINTS,
				   &out->nfrom);
	if (code == CLI_EXIT_OK)
		code = route_cli_stops(cmd, tt, "--to", to, out->to, GRENS_ROUTE_MAX_ENDPOINTS,
				       &out->nto);
	return code;
}

void route_cli_ends_free(route_cli_ends *ends)
{
	free(ends->from);
	free(ends->to);
	memset(ends, 0, sizeof(*ends));
}

json_t *route_cli_ids_json(const grens_timetable *tt, const uint32_t *stops, uint32_t n)
{
	char id[512];
	json_t *arr = json_array();
	for (uint32_t i = 0; arr && i < n; i++) {
		route_cli_stop_id(tt, stops[i], id, sizeof(id));
		json_array_append_new(arr, json_string(id));
	}
	return arr;
}

void route_cli_stop_id(const grens_timetable *tt, uint32_t stop, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s:%s", grens_net_str(tt, tt->feed_name[tt->stop_feed[stop]]),
		 grens_net_str(tt, tt->stop_id[stop]));
}

int route_cli_check_date(const char *cmd, const grens_timetable *tt, grens_date date,
			 json_t *notes)
{
	grens_net_date_note *found = calloc(tt->feed_count + 1, sizeof(*found));
	grens_error err;
	grens_error_clear(&err);
	uint32_t n = 0;
	if (!found) {
		cli_errorf(cmd, "out of memory");
		return CLI_EXIT_FAIL;
	}
	if (grens_net_check_date(tt, date, found, tt->feed_count, &n, &err)) {
		free(found);
		cli_report_error(cmd, &err);
		return CLI_EXIT_FAIL;
	}
	char day[16];
	grens_date_format_iso(date, day, sizeof(day));
	for (uint32_t i = 0; i < n; i++) {
		fprintf(stderr, "grens %s: warning: %s\n", cmd, found[i].message);
		if (notes)
			json_array_append_new(
				notes, json_pack("{s:s, s:s, s:s, s:s}", "code", "no_service_on_date",
						 "date", day, "feed",
						 grens_net_str(tt, tt->feed_name[found[i].feed]),
						 "message", found[i].message));
	}
	free(found);
	return CLI_EXIT_OK;
}

grens_report_route_format route_cli_format(cli_format format)
{
	return format == CLI_FORMAT_JSON  ? GRENS_REPORT_ROUTE_JSON
	       : format == CLI_FORMAT_CSV ? GRENS_REPORT_ROUTE_CSV
					  : GRENS_REPORT_ROUTE_TEXT;
}

int route_cli_job_failed(const char *cmd, int rc, const grens_error *err)
{
	if (rc == GRENS_EARG && err->field[0]) {
		cli_errorf(cmd, "%s", err->message);
		return CLI_EXIT_USAGE;
	}
	cli_report_error(cmd, err);
	return CLI_EXIT_FAIL;
}
