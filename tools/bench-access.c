/* bench-access: time accessibility runs (grens_access_run) on a feed.
 *
 *   bench-access [--origins N] [--threads N] [--window HH:MM-HH:MM] [--step S]
 *                [--date YYYY-MM-DD] [--max-duration MIN] [--exhaustive] [--repeat N] FEED
 *
 * Loads and builds the feed, puts a place of population 1000 on every 100th
 * stop, and runs N stop origins spread evenly over the stops with service
 * (default 200) over the window (default 07:00-09:00 by 60 s) on the given
 * threads (default 2), travel times bounded to --max-duration minutes (default
 * 120 as grens access with its default cutoffs; 0: none). Prints wall and CPU time per
 * origin-window and the time a run over every stop would take; with --repeat the
 * run is made N times on the loaded feed and the one with the least CPU time is
 * reported. Speed is reported, never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "grens/access.h"
#include "grens/gtfs.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

static int number(const char *s, int64_t max, int64_t *out)
{
	return s ? grens_parse_i64(s, strlen(s), 1, max, out) : -1;
}

int main(int argc, char **argv)
{
	int64_t norigins = 200, threads = 2, step = 60, max_min = 120, repeat = 1;
	int32_t t0 = 7 * 3600, t1 = 9 * 3600;
	grens_date date = GRENS_DATE_NONE;
	bool exhaustive = false;
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (strcmp(a, "--origins") == 0) {
			bad = number(v, 10000000, &norigins);
			i++;
		} else if (strcmp(a, "--threads") == 0) {
			bad = number(v, GRENS_ACCESS_MAX_THREADS, &threads);
			i++;
		} else if (strcmp(a, "--max-duration") == 0) {
			bad = !v || grens_parse_i64(v, strlen(v), 0, 10080, &max_min);
			i++;
		} else if (strcmp(a, "--step") == 0) {
			bad = number(v, 86400, &step);
			i++;
		} else if (strcmp(a, "--window") == 0) {
			const char *dash = v ? strchr(v, '-') : NULL;
			bad = !dash || grens_time_parse(v, (size_t)(dash - v), 1, &t0) ||
			      grens_time_parse(dash + 1, strlen(dash + 1), 1, &t1) || t1 < t0;
			i++;
		} else if (strcmp(a, "--date") == 0) {
			bad = !v || grens_date_parse_iso(v, strlen(v), &date);
			i++;
		} else if (strcmp(a, "--repeat") == 0) {
			bad = number(v, 100, &repeat);
			i++;
		} else if (strcmp(a, "--exhaustive") == 0) {
			exhaustive = true;
		} else if (a[0] != '-' && !path) {
			path = a;
		} else {
			bad = 1;
		}
		if (bad) {
			fprintf(stderr, "usage: bench-access [--origins N] [--threads N] "
					"[--window HH:MM-HH:MM] [--step S] [--date YYYY-MM-DD] "
					"[--max-duration MIN] [--exhaustive] [--repeat N] FEED\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "bench-access: no feed given\n");
		return 2;
	}

	int code = 1;
	grens_error err;
	grens_error_clear(&err);
	grens_gtfs_feed *feed = NULL;
	grens_timetable *tt = NULL;
	grens_access_places *places = NULL;
	grens_access_network *net = NULL;
	grens_access_result *r = NULL;
	grens_access_origin *origins = NULL;
	uint32_t *stops = NULL;
	char *csv = NULL;

	double w0 = clock_s(CLOCK_MONOTONIC);
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	if (grens_gtfs_load(&feed, path, &go, NULL, &err) ||
	    grens_net_build(&tt, (const grens_gtfs_feed *const *)&feed, 1, &no, NULL, &err))
		goto fail;
	grens_gtfs_free(feed);
	feed = NULL;
	double w1 = clock_s(CLOCK_MONOTONIC);
	if (date == GRENS_DATE_NONE) {
		/* the day of the first week with the most trips */
		uint32_t most = 0;
		for (uint32_t d = 0; d < 7 && d < tt->day_count; d++) {
			uint32_t n = 0;
			for (uint32_t t = 0; t < tt->trip_count; t++)
				n += grens_net_trip_runs(tt, t, tt->first_date + (int32_t)d);
			if (n > most) {
				most = n;
				date = tt->first_date + (int32_t)d;
			}
		}
	}

	/* places: every 100th stop */
	size_t cap = ((size_t)tt->stop_count / 100 + 2) * 96 + 128, len = 0;
	csv = malloc(cap);
	if (!csv)
		goto fail;
	len += (size_t)snprintf(csv, cap, "name,country,municipality_code,lat,lon,population\n");
	for (uint32_t s = 0; s < tt->stop_count; s += 100)
		if (tt->stop_lat[s] == tt->stop_lat[s]) /* not NAN */
			len += (size_t)snprintf(csv + len, cap - len, "p%u,NL,C%u,%.6f,%.6f,1000\n",
						s, s, tt->stop_lat[s], tt->stop_lon[s]);
	grens_access_link_options lo = GRENS_ACCESS_LINK_OPTIONS_INIT;
	if (grens_access_places_new(&places, &err) ||
	    grens_access_places_parse(places, "bench", csv, len, NULL, NULL, &err) ||
	    grens_access_network_new(&net, tt, places, &lo, NULL, &err))
		goto fail;

	/* origins: stops with service, evenly spread */
	uint32_t served = 0;
	stops = calloc((size_t)tt->stop_count + 1, sizeof(uint32_t));
	if (!stops)
		goto fail;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		if (tt->stop_pattern_offset[s] != tt->stop_pattern_offset[s + 1])
			stops[served++] = s;
	if ((uint64_t)norigins > served)
		norigins = served;
	origins = calloc((size_t)norigins + 1, sizeof(*origins));
	if (!origins)
		goto fail;
	for (int64_t i = 0; i < norigins; i++) {
		uint32_t s = stops[(uint64_t)i * served / (uint64_t)norigins];
		stops[i] = s; /* i <= the index read, so nothing unread is overwritten */
		origins[i] =
		    (grens_access_origin){.place = GRENS_NONE, .stops = &stops[i], .stop_count = 1};
	}

	grens_access_options o = GRENS_ACCESS_OPTIONS_INIT;
	o.date = date;
	o.window_start = t0;
	o.window_end = t1;
	o.step = (int32_t)step;
	o.threads = (uint32_t)threads;
	o.exhaustive = exhaustive;
	o.max_duration = (int32_t)max_min * 60;
	double c0 = 0, c1 = 0, r0 = 0, r1 = 0;
	for (int64_t k = 0; k < repeat; k++) {
		grens_access_result_free(r);
		r = NULL;
		double a0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), b0 = clock_s(CLOCK_MONOTONIC);
		if (grens_access_run(&r, net, origins, (uint32_t)norigins, &o, &err))
			goto fail;
		double a1 = clock_s(CLOCK_PROCESS_CPUTIME_ID), b1 = clock_s(CLOCK_MONOTONIC);
		if (k == 0 || a1 - a0 < c1 - c0) {
			c0 = a0;
			c1 = a1;
			r0 = b0;
			r1 = b1;
		}
	}

	double reached = 0;
	for (uint32_t i = 0; i < grens_access_result_count(r); i++)
		reached += grens_access_result_opportunities(r, i, 0, 2, 0);
	char dbuf[16];
	grens_date_format_iso(date, dbuf, sizeof(dbuf));
	uint32_t steps = grens_access_result_steps(r);
	double wall_ms = (r1 - r0) * 1000.0 / (double)norigins;
	double cpu_ms = (c1 - c0) * 1000.0 / (double)norigins;
	printf("feed            %s\n", path);
	printf("timetable       %u stops, %u trips, %llu stop events; load+build %.1f s\n",
	       tt->stop_count, tt->trip_count, (unsigned long long)tt->stop_time_count, w1 - w0);
	printf("places          %u (population 1000 on every 100th stop)\n",
	       grens_access_places_count(places));
	printf("run             %s, %lld origins, %u departures (%d s apart), %lld threads, "
	       "max duration %lld min%s\n",
	       dbuf, (long long)norigins, steps, o.step, (long long)threads, (long long)max_min,
	       exhaustive ? ", exhaustive" : "");
	printf("time            %.2f s wall, %.2f s CPU (least CPU of %lld runs)\n", r1 - r0,
	       c1 - c0, (long long)repeat);
	printf("per origin      %.1f ms wall, %.1f ms CPU per origin-window\n", wall_ms, cpu_ms);
	printf("all %u stops    %.1f min wall at this rate\n", served, wall_ms * served / 60000.0);
	printf("mean reached    %.0f people within 120 min (p50)\n",
	       reached / (double)grens_access_result_count(r));
	printf("peak RSS        %ld MB\n", peak_rss_mb());
	code = 0;
	goto done;
fail:
	fprintf(stderr, "bench-access: %s%s%s\n", err.file, err.file[0] ? ": " : "", err.message);
done:
	grens_access_result_free(r);
	free(origins);
	free(stops);
	free(csv);
	grens_access_network_free(net);
	grens_access_places_free(places);
	grens_net_free(tt);
	grens_gtfs_free(feed);
	return code;
}
