/* Places for every command: default files, ties and unplaced population in
 * JSON and words. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/report.h"
#include "grens/net.h"
#include "places_cli.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int places_cli_default(const char *cmd, char **paths, uint32_t cap, uint32_t *count)
{
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/places", cli_feeds_dir());
	*count = 0;
	DIR *d = opendir(dir);
	if (!d) {
		cli_errorf(cmd, "no --places given and cannot open '%s': %s", dir, strerror(errno));
		return -1;
	}
	const struct dirent *e;
	uint32_t n = 0;
	int rc = 0;
	for (e = readdir(d); e; e = readdir(d)) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0 || e->d_name[0] == '.')
			continue;
		if (n >= cap) {
			cli_errorf(cmd, "more than %u places files in '%s'", cap, dir);
			rc = -1;
			break;
		}
		size_t need = strlen(dir) + len + 2;
		paths[n] = malloc(need);
		if (!paths[n]) {
			cli_errorf(cmd, "out of memory");
			rc = -1;
			break;
		}
		snprintf(paths[n], need, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(paths, n, sizeof(char *), cmp_str);
	*count = n;
	if (rc == 0 && n == 0) {
		cli_errorf(cmd, "no places files (*.csv) in '%s'", dir);
		rc = -1;
	}
	return rc;
}

int places_cli_read(const char *cmd, const char *const *paths, uint32_t n,
		    grens_access_places *places)
{
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	int rc = diag ? 0 : -1;
	if (!diag)
		cli_errorf(cmd, "out of memory");
	for (uint32_t i = 0; rc == 0 && i < n; i++) {
		size_t len;
		char *text =
		    cli_read_file(cmd, "places file", paths[i], GRENS_ACCESS_MAX_PLACES_BYTES, &len);
		if (!text) {
			rc = -1;
			break;
		}
		uint32_t skipped = 0;
		if (grens_access_places_parse(places, paths[i], text, len, diag, &skipped, &err)) {
			cli_report_error(cmd, &err);
			rc = -1;
		} else if (skipped) {
			fprintf(stderr, "grens %s: %s: %u rows skipped\n", cmd, paths[i], skipped);
		}
		free(text);
	}
	if (diag && grens_diag_kept_count(diag))
		cli_print_notices(diag, 20);
	grens_diag_free(diag);
	return rc;
}

json_t *places_cli_ties_json(const grens_access_network *net)
{
	char *text = NULL;
	(void)grens_report_places_ties_json(&text, net, NULL);
	return cli_json_take(text);
}

json_t *places_cli_unplaced_json(const grens_access_places *places)
{
	char *text = NULL;
	(void)grens_report_places_unplaced_json(&text, places, NULL);
	return cli_json_take(text);
}

json_t *places_cli_access_json(const grens_access_link_options *o)
{
	char *text = NULL;
	(void)grens_report_places_access_json(&text, o, NULL);
	return cli_json_take(text);
}

static long long jint(const json_t *o, const char *a, const char *b)
{
	return (long long)json_integer_value(json_object_get(json_object_get(o, a), b));
}

void places_cli_ties_text(const json_t *ties, const json_t *access, char *buf, size_t n)
{
	static const char *const modes[4] = {"walk", "bike", "feeder", "none"};
	grens_report_ties t = {
		.feeder_kmh = json_number_value(json_object_get(access, "feeder_speed_kmh")),
		.feeder_wait_s = json_integer_value(json_object_get(access, "feeder_wait_s"))};
	for (int m = 0; m < 4; m++) {
		t.places[m] = jint(ties, modes[m], "places");
		t.people[m] = jint(ties, modes[m], "population");
	}
	grens_report_ties_text(buf, n, &t);
}

void places_cli_unplaced_text(const json_t *unplaced, char *buf, size_t n)
{
	grens_report_unplaced_text(buf, n,
				   json_integer_value(json_object_get(unplaced, "population")),
				   json_integer_value(json_object_get(unplaced, "municipalities")));
}

#define SENS_DISTANCE_M 500.0
#define SENS_SPEED_MPS 0.2
#define SENS_MIN_SPEED_MPS 0.5
#define SENS_CHANGE_S 60

void places_cli_assumption_sets(const grens_access_link_options *link,
				const cli_link_args *la,
				places_cli_assumption s[PLACES_CLI_SETS])
{
	const grens_net_options d = GRENS_NET_OPTIONS_INIT;
	s[0].access_distance_m = link->max_distance_m;
	s[0].walk_speed_mps = link->walk_speed_mps;
	s[0].footpath_walk_speed_mps = la->net.walk_speed_mps > 0 ? la->net.walk_speed_mps
							       : d.walk_speed_mps;
	s[0].min_change = la->net.min_change >= 0 ? la->net.min_change : d.default_min_change;
	s[0].link_min_change = la->net.link_min_change >= 0 ? la->net.link_min_change
							 : d.link_min_change;
	for (int k = 1; k < PLACES_CLI_SETS; k++) {
		double sign = k == 1 ? -1.0 : 1.0;
		s[k].access_distance_m = fmax(0.0, s[0].access_distance_m + sign * SENS_DISTANCE_M);
		s[k].walk_speed_mps =
			fmax(SENS_MIN_SPEED_MPS, s[0].walk_speed_mps + sign * SENS_SPEED_MPS);
		s[k].footpath_walk_speed_mps = fmax(
			SENS_MIN_SPEED_MPS, s[0].footpath_walk_speed_mps + sign * SENS_SPEED_MPS);
		int32_t dc = k == 1 ? SENS_CHANGE_S : -SENS_CHANGE_S;
		s[k].min_change = s[0].min_change + dc < 0 ? 0 : s[0].min_change + dc;
		s[k].link_min_change = s[0].link_min_change + dc < 0 ? 0 : s[0].link_min_change + dc;
	}
}
