/* bench-load: load GTFS feeds and print load time, rows per second, peak
 * RSS and the table counts. Usage: bench-load [--repeat N] FEED... */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "grens/gtfs.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	double *t0 = ctx;
	fprintf(stderr, "  %8.3f s  %s %llu/%llu\n", now_s() - *t0, what,
		(unsigned long long)done, (unsigned long long)total);
}

int main(int argc, char **argv)
{
	bool verbose = getenv("BENCH_PROGRESS") != NULL;
	int repeat = 1, first = 1;
	if (argc > 2 && strcmp(argv[1], "--repeat") == 0) {
		long n = strtol(argv[2], NULL, 10);
		repeat = n > 0 && n < 1000 ? (int)n : 1;
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: bench-load [--repeat N] FEED...\n");
		return 2;
	}
	for (int a = first; a < argc; a++) {
		double best = 1e300;
		for (int r = 0; r < repeat; r++) {
			grens_diag *diag = grens_diag_new();
			grens_error err;
			grens_error_clear(&err);
			grens_gtfs_feed *feed = NULL;
			grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
			double t0 = now_s();
			if (verbose)
				opts.progress = (grens_progress){ on_progress, &t0 };
			int rc = grens_gtfs_load(&feed, argv[a], &opts, diag, &err);
			double dt = now_s() - t0;
			if (rc) {
				fprintf(stderr, "%s: %s (%s line %u %s)\n", argv[a], err.message,
					err.file, err.line, err.field);
				grens_diag_free(diag);
				return 1;
			}
			if (dt < best)
				best = dt;
			if (r == repeat - 1) {
				const grens_gtfs_counts *c = &feed->counts;
				uint64_t rows = c->agency + c->stops + c->routes + c->trips +
						c->stop_times + c->calendar + c->calendar_dates +
						c->transfers + c->frequencies + c->shapes;
				struct rusage ru;
				getrusage(RUSAGE_SELF, &ru);
				printf("feed %s\n", argv[a]);
				printf("  load_s %.3f (best of %d)\n", best, repeat);
				printf("  stop_times %llu  (%.2f M stop_times/s)\n",
				       (unsigned long long)c->stop_times,
				       (double)c->stop_times / best / 1e6);
				printf("  rows %llu  (%.2f M rows/s)\n", (unsigned long long)rows,
				       (double)rows / best / 1e6);
				printf("  peak_rss_mb %.1f\n", (double)ru.ru_maxrss / 1024.0);
				printf("  process_cpu_s %.3f (user+system, all runs)\n",
				       (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
					       (double)ru.ru_stime.tv_sec +
					       (double)ru.ru_stime.tv_usec / 1e6);
				printf("  agency %llu stops %llu routes %llu trips %llu (expanded %u) "
				       "calendar %llu calendar_dates %llu transfers %llu frequencies "
				       "%llu shapes %llu skipped %llu\n",
				       (unsigned long long)c->agency, (unsigned long long)c->stops,
				       (unsigned long long)c->routes, (unsigned long long)c->trips,
				       feed->trip_count, (unsigned long long)c->calendar,
				       (unsigned long long)c->calendar_dates,
				       (unsigned long long)c->transfers,
				       (unsigned long long)c->frequencies,
				       (unsigned long long)c->shapes,
				       (unsigned long long)c->rows_skipped);
				for (size_t i = 0; i < grens_diag_summary_count(diag); i++) {
					const grens_notice_summary *s = grens_diag_summary(diag, i);
					printf("  notice %s x%llu (first: %s:%u %s %s)\n", s->code,
					       (unsigned long long)s->count, s->first.file,
					       s->first.line, s->first.field, s->first.message);
				}
			}
			grens_gtfs_free(feed);
			grens_diag_free(diag);
		}
	}
	return 0;
}
