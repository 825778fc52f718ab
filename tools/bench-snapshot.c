/* bench-snapshot: build the timetable of the feeds, write it as a snapshot
 * and map it back: write and load time, file size and bytes per stop event.
 * Usage: bench-snapshot [--repeat N] [--scenario FILE] --out FILE FEED...
 * (FEED: [NAME=]PATH). The load is timed as a reader does it (open, map,
 * check every section's checksum), with the file in the page cache after
 * the write. With --scenario, the scenario is then applied to the loaded
 * snapshot (grens_scenario_derive) N times: the time per application and
 * the memory it adds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/scenario.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

int main(int argc, char **argv)
{
	int repeat = 5, a = 1;
	const char *out = NULL, *scenario = NULL;
	while (a + 1 < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "--repeat") == 0) {
			long n = strtol(argv[a + 1], NULL, 10);
			repeat = n > 0 && n < 1000 ? (int)n : 5;
		} else if (strcmp(argv[a], "--out") == 0) {
			out = argv[a + 1];
		} else if (strcmp(argv[a], "--scenario") == 0) {
			scenario = argv[a + 1];
		} else {
			break;
		}
		a += 2;
	}
	if (!out || a >= argc || argc - a > 64) {
		fprintf(stderr, "usage: bench-snapshot [--repeat N] [--scenario FILE] --out FILE FEED...\n");
		return 2;
	}
	grens_gtfs_feed *feeds[64] = { 0 };
	unsigned n = 0;
	grens_error err;
	grens_error_clear(&err);
	double t0 = now_s();
	for (; a < argc; a++, n++) {
		char name[128];
		const char *path = argv[a], *eq = strchr(argv[a], '=');
		grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
		if (eq && (size_t)(eq - argv[a]) < sizeof(name)) {
			memcpy(name, argv[a], (size_t)(eq - argv[a]));
			name[eq - argv[a]] = 0;
			o.name = name;
			path = eq + 1;
		}
		grens_diag *diag = grens_diag_new();
		int rc = grens_gtfs_load(&feeds[n], path, &o, diag, &err);
		grens_diag_free(diag);
		if (rc) {
			fprintf(stderr, "bench-snapshot: %s: %s\n", path, err.message);
			return 1;
		}
	}
	double t1 = now_s();
	grens_timetable *tt = NULL;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	grens_diag *diag = grens_diag_new();
	if (grens_net_build(&tt, (const grens_gtfs_feed *const *)feeds, n, &no, diag, &err)) {
		fprintf(stderr, "bench-snapshot: build: %s\n", err.message);
		return 1;
	}
	grens_diag_free(diag);
	for (unsigned i = 0; i < n; i++)
		grens_gtfs_free(feeds[i]);
	double t2 = now_s();
	FILE *f = fopen(out, "wb");
	if (!f || grens_net_snapshot_write(tt, f, "{}", NULL, &err) || fflush(f) ||
	    fsync(fileno(f)) || fclose(f)) {
		fprintf(stderr, "bench-snapshot: %s: %s\n", out,
			err.message[0] ? err.message : "cannot write");
		return 1;
	}
	double t3 = now_s();
	struct stat st;
	if (stat(out, &st) != 0)
		return 1;
	uint64_t events = tt->stop_time_count;
	printf("timetable: %u stops, %u patterns, %u trips, %llu stop events, %.1f MB in memory\n",
	       tt->stop_count, tt->pattern_count, tt->trip_count, (unsigned long long)events,
	       (double)grens_net_bytes(tt) / 1048576.0);
	printf("from GTFS: load %.2f s, build %.2f s; peak RSS %.1f MB\n", t1 - t0, t2 - t1,
	       peak_rss_mb());
	printf("snapshot write: %.1f ms (with fsync), %llu bytes, %.2f bytes per stop event\n",
	       (t3 - t2) * 1e3, (unsigned long long)st.st_size,
	       events ? (double)st.st_size / (double)events : 0.0);
	grens_net_free(tt);
	double best = 1e300, total = 0;
	for (int r = 0; r < repeat; r++) {
		grens_timetable *loaded = NULL;
		double s = now_s();
		if (grens_net_snapshot_load(&loaded, out, &err)) {
			fprintf(stderr, "bench-snapshot: %s\n", err.message);
			return 1;
		}
		double dt = now_s() - s;
		if (loaded->stop_time_count != events) {
			fprintf(stderr, "bench-snapshot: the loaded timetable differs\n");
			return 1;
		}
		grens_net_free(loaded);
		total += dt;
		if (dt < best)
			best = dt;
	}
	printf("snapshot load: best %.1f ms, mean %.1f ms of %d (map + checksum of every byte, "
	       "file in the page cache)\n",
	       best * 1e3, total / repeat * 1e3, repeat);
	if (!scenario)
		return 0;
	grens_scenario *sc = NULL;
	grens_timetable *snap = NULL;
	if (grens_scenario_load(&sc, scenario, &err) || grens_net_snapshot_load(&snap, out, &err)) {
		fprintf(stderr, "bench-snapshot: %s\n", err.message);
		return 1;
	}
	double rss0 = peak_rss_mb();
	best = 1e300;
	total = 0;
	grens_scenario_stats stats = {0};
	uint64_t bytes = 0;
	for (int r = 0; r < repeat; r++) {
		grens_timetable *alt = NULL;
		double s = now_s();
		if (grens_scenario_derive(&alt, &stats, sc, snap, NULL, &err)) {
			fprintf(stderr, "bench-snapshot: %s\n", err.message);
			return 1;
		}
		double dt = now_s() - s;
		bytes = grens_net_bytes(alt);
		grens_net_free(alt);
		total += dt;
		if (dt < best)
			best = dt;
	}
	printf("scenario %s on the snapshot: best %.1f ms, mean %.1f ms of %d; %u trips added, "
	       "%u removed, %u changed; %.1f MB of its own arrays; peak RSS %.1f MB (%.1f MB "
	       "before)\n",
	       grens_scenario_name(sc), best * 1e3, total / repeat * 1e3, repeat, stats.trips_added,
	       stats.trips_removed, stats.trips_changed, (double)bytes / 1048576.0, peak_rss_mb(),
	       rss0);
	grens_net_free(snap);
	grens_scenario_free(sc);
	return 0;
}
