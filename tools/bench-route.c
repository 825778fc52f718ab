/* bench-route: load feeds, build the timetable, and time the routers.
 *
 *   bench-route [--date YYYY-MM-DD] [--queries N] [--range N] [--one-to-all N]
 *               [--dijkstra N] [--seed N] [--repeat N] FEED...  (FEED is PATH or NAME=PATH)
 *
 * Prints load and build time, peak RSS, timetable bytes per stop event, and
 * for fixed seeded random queries (stops with service, departures 06:00 to
 * 20:00, timed in thread CPU time): RAPTOR one-to-one mean/p50/p99 (and a
 * digest of every journey, its times, transfers and legs, so that two builds
 * can be shown to give the same answers), range RAPTOR over 07:00-09:00 by
 * 60 s, one-to-all earliest arrival, and Dijkstra (with its agreement with
 * RAPTOR's earliest arrival); --repeat N runs the queries N times on the loaded
 * timetable and prints each run. Speed is reported, never asserted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/route.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Query timings use the thread's CPU time, so that other work on a shared
 * machine does not inflate them; load times are wall-clock. */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 1;
static uint64_t next_random(void)
{
	uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* FNV-1a over the four bytes of x: a digest of the answers, so that two
 * builds can be compared on the same queries. */
static uint64_t fnv(uint64_t h, uint32_t x)
{
	for (int i = 0; i < 4; i++) {
		h ^= (x >> (8 * i)) & 0xFFu;
		h *= 0x100000001b3ull;
	}
	return h;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(const double *sorted, uint32_t n, uint32_t p)
{
	uint64_t r = ((uint64_t)p * n + 99) / 100;
	return sorted[r ? r - 1 : 0];
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static int parse_count(const char *s, uint32_t *out)
{
	int64_t v;
	if (grens_parse_i64(s, strlen(s), 0, 1000000, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	uint32_t nq = 1000, nrange = 50, nall = 100, ndij = 100, seed = 1, repeat = 1;
	grens_date date = GRENS_DATE_NONE;
	const char *feeds[64];
	unsigned nfeeds = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;
		if (strcmp(a, "--queries") == 0)
			bad = !v || parse_count(v, &nq);
		else if (strcmp(a, "--range") == 0)
			bad = !v || parse_count(v, &nrange);
		else if (strcmp(a, "--one-to-all") == 0)
			bad = !v || parse_count(v, &nall);
		else if (strcmp(a, "--dijkstra") == 0)
			bad = !v || parse_count(v, &ndij);
		else if (strcmp(a, "--seed") == 0)
			bad = !v || parse_count(v, &seed);
		else if (strcmp(a, "--repeat") == 0)
			bad = !v || parse_count(v, &repeat) || repeat == 0;
		else if (strcmp(a, "--date") == 0)
			bad = !v || grens_date_parse_iso(v, strlen(v), &date) != 0;
		else if (a[0] == '-') {
			fprintf(stderr, "usage: bench-route [--date D] [--queries N] [--range N] "
					"[--one-to-all N] [--dijkstra N] [--seed N] [--repeat N] "
					"FEED...\n");
			return 2;
		} else {
			if (nfeeds < 64)
				feeds[nfeeds++] = a;
			continue;
		}
		if (bad) {
			fprintf(stderr, "bench-route: bad value for %s\n", a);
			return 2;
		}
		i++;
	}
	if (nfeeds == 0) {
		fprintf(stderr, "bench-route: no feed\n");
		return 2;
	}
	rng = seed;

	grens_gtfs_feed *loaded[64] = { 0 };
	grens_error err;
	grens_error_clear(&err);
	double t0 = now_s();
	uint64_t rows = 0;
	for (unsigned i = 0; i < nfeeds; i++) {
		char name[128];
		const char *path = feeds[i], *eq = strchr(feeds[i], '=');
		grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
		if (eq && (size_t)(eq - feeds[i]) < sizeof(name)) {
			memcpy(name, feeds[i], (size_t)(eq - feeds[i]));
			name[eq - feeds[i]] = 0;
			o.name = name;
			path = eq + 1;
		}
		grens_diag *diag = grens_diag_new();
		int rc = grens_gtfs_load(&loaded[i], path, &o, diag, &err);
		grens_diag_free(diag);
		if (rc) {
			fprintf(stderr, "bench-route: %s: %s\n", path, err.message);
			return 1;
		}
		rows += loaded[i]->counts.stop_times;
	}
	double t1 = now_s();
	grens_timetable *tt = NULL;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	grens_diag *diag = grens_diag_new();
	if (grens_net_build(&tt, (const grens_gtfs_feed *const *)loaded, nfeeds, &no, diag, &err)) {
		fprintf(stderr, "bench-route: build: %s\n", err.message);
		return 1;
	}
	grens_diag_free(diag);
	double t2 = now_s();
	for (unsigned i = 0; i < nfeeds; i++)
		grens_gtfs_free(loaded[i]);
	uint64_t bytes = grens_net_bytes(tt);
	printf("feeds: %u, stop_times rows %llu\n", nfeeds, (unsigned long long)rows);
	printf("timetable: %u stops, %u patterns, %u trips, %llu stop events\n", tt->stop_count,
	       tt->pattern_count, tt->trip_count, (unsigned long long)tt->stop_time_count);
	printf("load: gtfs %.2f s, net build %.2f s, total %.2f s\n", t1 - t0, t2 - t1, t2 - t0);
	printf("memory: peak RSS %.1f MB (load included), timetable %.1f MB, %.1f bytes per stop "
	       "event\n",
	       peak_rss_kb() / 1024.0, bytes / 1048576.0,
	       tt->stop_time_count ? (double)bytes / (double)tt->stop_time_count : 0.0);
	if (date == GRENS_DATE_NONE)
		date = tt->first_date + 1;
	char dbuf[16];
	grens_date_format_iso(date, dbuf, sizeof(dbuf));

	/* stops with service */
	uint32_t *served = calloc(tt->stop_count + 1, sizeof(uint32_t)), nserved = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		if (tt->stop_pattern_offset[s + 1] > tt->stop_pattern_offset[s])
			served[nserved++] = s;
	if (nserved < 2) {
		fprintf(stderr, "bench-route: fewer than two served stops\n");
		return 1;
	}
	uint32_t total = nq > ndij ? nq : ndij;
	uint32_t *qf = calloc(total + 1, sizeof(uint32_t)), *qt = calloc(total + 1, sizeof(uint32_t));
	int32_t *qtime = calloc(total + 1, sizeof(int32_t));
	int32_t *rarr = calloc(total + 1, sizeof(int32_t));
	double *ms = calloc(total + 1, sizeof(double));
	int32_t *all = calloc(tt->stop_count + 1, sizeof(int32_t));
	grens_route_profile_step *steps = calloc(121, sizeof(*steps));
	for (uint32_t i = 0; i < total; i++) {
		qf[i] = served[next_random() % nserved];
		qt[i] = served[next_random() % nserved];
		qtime[i] = 6 * 3600 + (int32_t)(next_random() % (14 * 3600));
	}
	grens_route_raptor *raptor = NULL;
	grens_route_dijkstra *dij = NULL;
	if (grens_route_raptor_new(&raptor, tt, 8, &err) || grens_route_dijkstra_new(&dij, tt, &err)) {
		fprintf(stderr, "bench-route: %s\n", err.message);
		return 1;
	}
	printf("queries on %s, seed %u (times are CPU time of the querying thread)\n", dbuf, seed);
	grens_route_options o = GRENS_ROUTE_OPTIONS_INIT;
	grens_route_result res;
	grens_route_raptor *wide_ws = NULL;
	for (uint32_t run = 0; run < repeat; run++) {
		if (repeat > 1)
			printf("run %u of %u\n", run + 1, repeat);

		/* one-to-one */
		uint32_t reached = 0, journeys = 0;
		uint64_t digest = 0xcbf29ce484222325ull;
		double sum = 0;
		for (uint32_t i = 0; i < nq; i++) {
			grens_route_query q = { &qf[i], 1, &qt[i], 1, date, qtime[i] };
			double a = cpu_s();
			if (grens_route_raptor_route(raptor, &q, &o, &res, &err)) {
				fprintf(stderr, "bench-route: %s\n", err.message);
				return 1;
			}
			ms[i] = (cpu_s() - a) * 1e3;
			sum += ms[i];
			rarr[i] = res.journey_count ? res.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
			digest = fnv(digest, res.journey_count);
			for (uint32_t j = 0; j < res.journey_count; j++) {
				const grens_route_journey *jr = &res.journeys[j];
				digest = fnv(fnv(fnv(digest, (uint32_t)jr->departure), (uint32_t)jr->arrival),
					     jr->transfers);
				for (uint32_t l = 0; l < jr->leg_count; l++) {
					const grens_route_leg *leg = &res.legs[jr->leg_offset + l];
					digest = fnv(fnv(fnv(digest, leg->trip), leg->from_stop), leg->to_stop);
				}
			}
			reached += res.journey_count > 0;
			journeys += res.journey_count;
		}
		if (nq) {
			qsort(ms, nq, sizeof(double), cmp_double);
			printf("raptor one-to-one: %u queries, mean %.3f ms, p50 %.3f ms, p99 %.3f ms, "
			       "max %.3f ms (%u reached, %.2f Pareto journeys each, answers %016llx)\n",
			       nq, sum / nq, pct(ms, nq, 50), pct(ms, nq, 99), ms[nq - 1], reached,
			       reached ? (double)journeys / reached : 0.0, (unsigned long long)digest);
		}
		/* range: 07:00-09:00 by 60 s (121 departures) */
		sum = 0;
		uint64_t rdigest = 0xcbf29ce484222325ull;
		for (uint32_t i = 0; i < nrange; i++) {
			grens_route_query q = { &qf[i % total], 1, &qt[i % total], 1, date, 7 * 3600 };
			double a = cpu_s();
			if (grens_route_raptor_profile(raptor, &q, 7 * 3600, 9 * 3600, 60, &o, steps, &err)) {
				fprintf(stderr, "bench-route: %s\n", err.message);
				return 1;
			}
			sum += (cpu_s() - a) * 1e3;
			for (uint32_t k = 0; k < 121; k++)
				rdigest = fnv(fnv(rdigest, (uint32_t)steps[k].arrival), (uint32_t)steps[k].transfers);
		}
		if (nrange)
			printf("range raptor 07:00-09:00 by 60 s: %u queries, mean %.3f ms (answers %016llx)\n",
			       nrange, sum / nrange, (unsigned long long)rdigest);
		/* one-to-all */
		sum = 0;
		for (uint32_t i = 0; i < nall; i++) {
			grens_route_query q = { &qf[i % total], 1, NULL, 0, date, 8 * 3600 };
			double a = cpu_s();
			if (grens_route_raptor_one_to_all(raptor, &q, &o, all, &err)) {
				fprintf(stderr, "bench-route: %s\n", err.message);
				return 1;
			}
			sum += (cpu_s() - a) * 1e3;
		}
		if (nall)
			printf("raptor one-to-all at 08:00: %u origins, mean %.3f ms\n", nall, sum / nall);
		/* Dijkstra on the first queries, compared with RAPTOR */
		sum = 0;
		uint32_t agree = 0, agree_wide = 0;
		grens_route_options od = o;
		od.max_transfers = 8;
		for (uint32_t i = 0; i < ndij; i++) {
			grens_route_query q = { &qf[i], 1, &qt[i], 1, date, qtime[i] };
			double a = cpu_s();
			if (grens_route_dijkstra_route(dij, &q, &od, &res, &err)) {
				fprintf(stderr, "bench-route: %s\n", err.message);
				return 1;
			}
			sum += (cpu_s() - a) * 1e3;
			int32_t d = res.journey_count ? res.journeys[0].arrival : GRENS_ROUTE_UNREACHED;
			if (i < nq && d == rarr[i])
				agree++;
			else if (i < nq) {
				/* Dijkstra does not limit transfers: ask RAPTOR again with the
				 * most it allows before calling it a disagreement */
				grens_route_options wide = o;
				wide.max_transfers = GRENS_ROUTE_MAX_TRANSFERS;
				if (!wide_ws && grens_route_raptor_new(&wide_ws, tt, GRENS_ROUTE_MAX_TRANSFERS, &err)) {
					fprintf(stderr, "bench-route: %s\n", err.message);
					return 1;
				}
				if (grens_route_raptor_route(wide_ws, &q, &wide, &res, &err) == 0 &&
				    (res.journey_count ? res.journeys[0].arrival : GRENS_ROUTE_UNREACHED) == d)
					agree_wide++;
				else
					fprintf(stderr, "bench-route: dijkstra and raptor differ: from %u to %u at %d\n",
						qf[i], qt[i], qtime[i]);
			}
		}
		if (ndij)
			printf("dijkstra one-to-one: %u queries, mean %.3f ms (same earliest arrival as "
			       "raptor: %u of %u with <= 8 transfers, %u more with <= %u)\n",
			       ndij, sum / ndij, agree, ndij < nq ? ndij : nq, agree_wide,
			       GRENS_ROUTE_MAX_TRANSFERS);
	}
	grens_route_raptor_free(wide_ws);
	free(served);
	free(qf);
	free(qt);
	free(qtime);
	free(rarr);
	free(ms);
	free(all);
	free(steps);
	grens_route_raptor_free(raptor);
	grens_route_dijkstra_free(dij);
	grens_net_free(tt);
	return 0;
}
