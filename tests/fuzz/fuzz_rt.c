/* Fuzz target for rt/: decode arbitrary bytes as a FeedMessage and, when
 * they decode, apply them to the rt-small fixture timetable. Built with
 * -fsanitize=fuzzer and -DGRENS_LIBFUZZER it is a libFuzzer target; built
 * plainly (as meson does) it replays every file of the directories given on
 * the command line, the fuzz-replay suite. A crash or sanitizer report is the
 * failure; a clean error is the expected answer to bad bytes. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/rt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static grens_gtfs_feed *fixture_feed;
static grens_timetable *fixture_tt;
static int fixture_tried;

static void load_fixture(void)
{
	const char *root = getenv("GRENS_SOURCE_ROOT");
	char path[4096];
	grens_error err;
	fixture_tried = 1;
	snprintf(path, sizeof(path), "%s/tests/fixtures/rt-small", root ? root : ".");
	grens_gtfs_options go = GRENS_GTFS_OPTIONS_INIT;
	go.name = "small";
	if (grens_gtfs_load(&fixture_feed, path, &go, NULL, &err) != 0)
		return;
	grens_net_options no = GRENS_NET_OPTIONS_INIT;
	const grens_gtfs_feed *feeds[1] = {fixture_feed};
	if (grens_net_build(&fixture_tt, feeds, 1, &no, NULL, &err) != 0)
		fixture_tt = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	grens_rt_feed *feed = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (!fixture_tried)
		load_fixture();
	if (grens_rt_decode(&feed, data, size, "fuzz", &err) != 0) {
		if (err.message[0] == '\0')
			abort(); /* every failure must say why */
		return 0;
	}
	if (fixture_tt) {
		const grens_gtfs_feed *feeds[1] = {fixture_feed};
		grens_rt_overlay *ov = NULL;
		grens_rt_options opts = GRENS_RT_OPTIONS_INIT;
		opts.now = 1699430400;
		opts.max_age_s = 86400;
		if (grens_rt_apply(&ov, fixture_tt, feeds, 1, feed, &opts, NULL, &err) == 0) {
			/* Every stored trip's times must be non-decreasing. */
			for (uint32_t i = 0; i < grens_rt_trip_count(ov); i++) {
				const grens_rt_trip *t = grens_rt_trip_at(ov, i);
				for (uint32_t k = 0; t->times && k < t->stop_count; k++) {
					if (t->times[k].departure < t->times[k].arrival)
						abort();
					if (k && t->times[k].arrival < t->times[k - 1].departure)
						abort();
				}
			}
			grens_rt_overlay_release(ov);
		}
	}
	grens_rt_feed_free(feed);
	return 0;
}

#ifndef GRENS_LIBFUZZER
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 20, len = 0;
	uint8_t *buf = malloc(cap);
	if (!buf) {
		fclose(f);
		return 1;
	}
	len = fread(buf, 1, cap, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned files = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			rc |= replay_file(argv[i]);
			files++;
			continue;
		}
		for (struct dirent *de = readdir(d); de; de = readdir(d)) {
			if (de->d_name[0] == '.')
				continue;
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			rc |= replay_file(path);
			files++;
		}
		closedir(d);
	}
	grens_net_free(fixture_tt);
	grens_gtfs_free(fixture_feed);
	fprintf(stderr, "replayed %u inputs\n", files);
	return rc || files == 0;
}
#endif
