/* bench-realised: realised times for a day of recorded snapshots.
 *
 *   bench-realised --feed DIR --date YYYY-MM-DD --archive DIR
 *                  [--every S] [--count N] [--nth K]
 *
 * Loads the GTFS feed DIR (e.g. gen-feed --preset nl-nrw) and builds its
 * timetable; when the archive DIR holds no .complete marker, writes N
 * snapshots (default 2,880) every S seconds (default 30) from the date's
 * local midnight: each names every K-th trip (default 10, about a rail and
 * regional-bus feed's share) running on the date from 10 min before to
 * 30 min after the snapshot, with one delay at its next stop that drifts
 * from snapshot to snapshot. Then times grens_rt_realised_build over the
 * date and prints wall time, the counts and the peak RSS before and after
 * (ru_maxrss, the timetable included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/rt.h"
#include "gtfs-realtime.pb-c.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

typedef struct active {
	uint32_t trip;
	int32_t start, end; /* scheduled first departure, last arrival */
} active;

static const grens_net_stop_time *times_of(const grens_timetable *tt, uint32_t trip, uint32_t *n)
{
	uint32_t p = tt->trip_pattern[trip];
	*n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	uint64_t row = trip - tt->pattern_trip_offset[p];
	return tt->stop_times + tt->pattern_time_offset[p] + row * *n;
}

static int write_archive(const grens_timetable *tt, const char *dir, grens_date date,
			 int64_t day_start, int every, int count, int nth)
{
	grens_error err;
	grens_error_clear(&err);
	grens_rt_archive *ar = NULL;
	if (grens_rt_archive_open(&ar, dir, true, &err)) {
		fprintf(stderr, "bench-realised: %s\n", err.message);
		return 1;
	}
	active *act = calloc(tt->trip_count / (uint32_t)nth + 1, sizeof(*act));
	uint32_t na = 0;
	for (uint32_t t = 0; t < tt->trip_count; t += (uint32_t)nth) {
		if (!grens_net_trip_runs(tt, t, date))
			continue;
		uint32_t n;
		const grens_net_stop_time *st = times_of(tt, t, &n);
		if (n < 2)
			continue;
		act[na++] = (active){ t, st[0].departure, st[n - 1].arrival };
	}
	char iso[16], start_date[16];
	grens_date_format_iso(date, iso, sizeof(iso));
	/* YYYYMMDD, as TripDescriptor.start_date wants it */
	snprintf(start_date, sizeof(start_date), "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
	size_t cap = na ? na : 1;
	TransitRealtime__FeedEntity *ents = calloc(cap, sizeof(*ents));
	TransitRealtime__FeedEntity **entp = calloc(cap, sizeof(*entp));
	TransitRealtime__TripUpdate *tus = calloc(cap, sizeof(*tus));
	TransitRealtime__TripDescriptor *tds = calloc(cap, sizeof(*tds));
	TransitRealtime__TripUpdate__StopTimeUpdate *stus = calloc(cap, sizeof(*stus));
	TransitRealtime__TripUpdate__StopTimeUpdate **stup = calloc(cap, sizeof(*stup));
	TransitRealtime__TripUpdate__StopTimeEvent *evs = calloc(cap, sizeof(*evs));
	char (*ids)[16] = calloc(cap, sizeof(*ids));
	uint64_t total_bytes = 0, total_entities = 0;
	int rc = 0;
	for (int k = 0; k < count && rc == 0; k++) {
		int64_t t = day_start + (int64_t)k * every;
		int32_t now = (int32_t)(t - day_start);
		size_t m = 0;
		for (uint32_t i = 0; i < na; i++) {
			if (act[i].end < now - 600 || act[i].start > now + 1800)
				continue;
			uint32_t n;
			const grens_net_stop_time *st = times_of(tt, act[i].trip, &n);
			uint32_t pos = 0;
			while (pos + 1 < n && st[pos].departure < now)
				pos++;
			uint32_t stop = tt->pattern_stops[tt->pattern_stop_offset
							      [tt->trip_pattern[act[i].trip]] +
							  pos];
			TransitRealtime__TripDescriptor *td = &tds[m];
			transit_realtime__trip_descriptor__init(td);
			td->trip_id = (char *)grens_net_str(tt, tt->trip_id[act[i].trip]);
			td->start_date = start_date;
			TransitRealtime__TripUpdate__StopTimeEvent *ev = &evs[m];
			transit_realtime__trip_update__stop_time_event__init(ev);
			ev->has_delay = 1;
			ev->delay = (int32_t)((act[i].trip * 37u + (uint32_t)k / 10u) % 600u);
			TransitRealtime__TripUpdate__StopTimeUpdate *u = &stus[m];
			transit_realtime__trip_update__stop_time_update__init(u);
			u->stop_id = (char *)grens_net_str(tt, tt->stop_id[stop]);
			u->arrival = ev;
			u->departure = ev;
			stup[m] = u;
			TransitRealtime__TripUpdate *tu = &tus[m];
			transit_realtime__trip_update__init(tu);
			tu->trip = td;
			tu->n_stop_time_update = 1;
			tu->stop_time_update = &stup[m];
			TransitRealtime__FeedEntity *e = &ents[m];
			transit_realtime__feed_entity__init(e);
			snprintf(ids[m], sizeof(ids[m]), "e%zu", m);
			e->id = ids[m];
			e->trip_update = tu;
			entp[m] = e;
			m++;
		}
		TransitRealtime__FeedHeader h;
		transit_realtime__feed_header__init(&h);
		h.gtfs_realtime_version = "2.0";
		h.has_timestamp = 1;
		h.timestamp = (uint64_t)t;
		TransitRealtime__FeedMessage msg;
		transit_realtime__feed_message__init(&msg);
		msg.header = &h;
		msg.n_entity = m;
		msg.entity = entp;
		size_t len = transit_realtime__feed_message__get_packed_size(&msg);
		uint8_t *buf = malloc(len ? len : 1);
		transit_realtime__feed_message__pack(&msg, buf);
		bool added;
		if (grens_rt_archive_add(ar, "bench-rt", t, buf, len, &added, &err)) {
			fprintf(stderr, "bench-realised: %s\n", err.message);
			rc = 1;
		}
		total_bytes += len;
		total_entities += m;
		free(buf);
	}
	printf("archive: %d snapshots every %d s, %.0f trip updates each on average, %.1f MB "
	       "uncompressed\n",
	       count, every, count ? (double)total_entities / count : 0.0, total_bytes / 1e6);
	free(act);
	free(ents);
	free(entp);
	free(tus);
	free(tds);
	free(stus);
	free(stup);
	free(evs);
	free(ids);
	grens_rt_archive_free(ar);
	return rc;
}

int main(int argc, char **argv)
{
	const char *feed_dir = NULL, *archive = NULL, *date_s = NULL;
	int every = 30, count = 2880, nth = 10;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--feed") == 0)
			feed_dir = argv[i + 1];
		else if (strcmp(argv[i], "--archive") == 0)
			archive = argv[i + 1];
		else if (strcmp(argv[i], "--date") == 0)
			date_s = argv[i + 1];
		else if (strcmp(argv[i], "--every") == 0)
			every = (int)strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--count") == 0)
			count = (int)strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--nth") == 0)
			nth = (int)strtol(argv[i + 1], NULL, 10);
	}
	grens_date date;
	if (!feed_dir || !archive || !date_s || every < 1 || count < 1 || nth < 1 ||
	    grens_date_parse_iso(date_s, strlen(date_s), &date) != 0) {
		fprintf(stderr, "usage: bench-realised --feed DIR --date YYYY-MM-DD --archive DIR "
				"[--every S] [--count N] [--nth K]\n");
		return 2;
	}
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	grens_gtfs_feed *feed = NULL;
	grens_timetable *tt = NULL;
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "bench";
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	double t0 = now_s();
	if (grens_gtfs_load(&feed, feed_dir, &go, diag, &err) ||
	    grens_net_build(&tt, (const grens_gtfs_feed *const *)&feed, 1, &no, diag, &err)) {
		fprintf(stderr, "bench-realised: %s\n", err.message);
		return 1;
	}
	printf("load + build %.1f s: %u trips, peak RSS %ld MB\n", now_s() - t0, tt->trip_count,
	       peak_rss_mb());
	const char *zone = grens_net_str(tt, tt->timezone);
	if (!zone[0])
		zone = grens_net_str(tt, tt->feed_timezone[0]);
	int64_t day_start;
	if (grens_rt_day_start(zone, date, &day_start, &err)) {
		fprintf(stderr, "bench-realised: %s\n", err.message);
		return 1;
	}
	char marker[4200];
	snprintf(marker, sizeof(marker), "%s/.complete", archive);
	struct stat sb;
	if (stat(marker, &sb) != 0) {
		t0 = now_s();
		if (write_archive(tt, archive, date, day_start, every, count, nth))
			return 1;
		FILE *f = fopen(marker, "w");
		if (f)
			fclose(f);
		printf("archive written in %.1f s\n", now_s() - t0);
	}
	grens_rt_archive *ar = NULL;
	if (grens_rt_archive_open(&ar, archive, false, &err)) {
		fprintf(stderr, "bench-realised: %s\n", err.message);
		return 1;
	}
	long rss0 = peak_rss_mb();
	grens_rt_overlay *ov = NULL;
	grens_rt_realised_counts c;
	grens_diag *rd = grens_diag_new();
	t0 = now_s();
	if (grens_rt_realised_build(&ov, &c, tt, (const grens_gtfs_feed *const *)&feed, 1, ar, date,
				    date, NULL, rd, &err)) {
		fprintf(stderr, "bench-realised: %s\n", err.message);
		return 1;
	}
	double wall = now_s() - t0;
	printf("realised times of %s: %.2f s wall (%.2f ms per snapshot); %u snapshots, %u "
	       "unreadable; trips %u scheduled, %u observed, %u no data; %u stops observed\n",
	       date_s, wall, c.snapshots_read ? 1000.0 * wall / c.snapshots_read : 0.0,
	       c.snapshots_read, c.snapshots_corrupt, c.trips_scheduled, c.trips_observed,
	       c.trips_no_data, c.stops_observed);
	printf("peak RSS: %ld MB before (timetable loaded), %ld MB after\n", rss0, peak_rss_mb());
	grens_rt_overlay_release(ov);
	grens_rt_archive_free(ar);
	grens_diag_free(rd);
	grens_diag_free(diag);
	grens_net_free(tt);
	grens_gtfs_free(feed);
	return 0;
}
