/* Fuzz the whole loader. The input is a zip archive (starting with "PK")
 * or text in which a line "%% NAME" starts the file NAME, e.g.
 *   %% stops.txt
 *   stop_id,stop_name,stop_lat,stop_lon
 *   ...
 * A loaded feed must hold together: indices in range, stop_times of each
 * trip inside the array, in sequence order and not going back in time,
 * id lookups returning the row they name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

#define MAX_FILES 32

static void check_feed(const grens_gtfs_feed *f)
{
	for (uint32_t i = 0; i < f->stop_count; i++) {
		FUZZ_ASSERT(f->stops[i].parent == GRENS_NONE || f->stops[i].parent < f->stop_count);
		FUZZ_ASSERT(grens_gtfs_find_stop(f, f->stops[i].id) == i);
	}
	for (uint32_t i = 0; i < f->route_count; i++) {
		FUZZ_ASSERT(f->routes[i].agency < f->agency_count);
		FUZZ_ASSERT(grens_gtfs_find_route(f, f->routes[i].id) == i);
	}
	for (uint32_t t = 0; t < f->trip_count; t++) {
		const grens_gtfs_trip *tr = &f->trips[t];
		FUZZ_ASSERT(tr->route < f->route_count && tr->service < f->service_count);
		FUZZ_ASSERT((uint64_t)tr->first_stop_time + tr->stop_time_count <= f->stop_time_count);
		FUZZ_ASSERT(tr->frequency == GRENS_NONE || tr->frequency < f->frequency_count);
		const grens_gtfs_stop_time *st = f->stop_times + tr->first_stop_time;
		for (uint32_t k = 0; k < tr->stop_time_count; k++) {
			FUZZ_ASSERT(st[k].stop < f->stop_count);
			FUZZ_ASSERT(st[k].headsign < f->stop_headsign_count);
			FUZZ_ASSERT(grens_gtfs_stop_headsign(f, &st[k]) != NULL);
			if (k == 0)
				continue;
			FUZZ_ASSERT(st[k].sequence > st[k - 1].sequence);
			if (st[k].arrival != GRENS_TIME_NONE && st[k - 1].departure != GRENS_TIME_NONE)
				FUZZ_ASSERT(st[k].arrival >= st[k - 1].departure);
		}
		if (tr->stop_time_count && f->stop_times[tr->first_stop_time].arrival != GRENS_TIME_NONE)
			FUZZ_ASSERT(st[tr->stop_time_count - 1].arrival != GRENS_TIME_NONE);
	}
	for (uint32_t i = 0; i < f->service_count; i++) {
		const grens_gtfs_service *s = &f->services[i];
		FUZZ_ASSERT((uint64_t)s->first_exception + s->exception_count <= f->exception_count);
		for (uint32_t k = 1; k < s->exception_count; k++)
			FUZZ_ASSERT(f->exceptions[s->first_exception + k].date >
				    f->exceptions[s->first_exception + k - 1].date);
		(void)grens_gtfs_service_active(f, i, f->first_service_date);
	}
	if (f->first_service_date != GRENS_DATE_NONE)
		FUZZ_ASSERT(f->last_service_date >= f->first_service_date);
	for (uint32_t i = 0; i < f->transfer_count; i++) {
		const grens_gtfs_transfer *x = &f->transfers[i];
		FUZZ_ASSERT(x->from_stop == GRENS_NONE || x->from_stop < f->stop_count);
		FUZZ_ASSERT(x->to_trip == GRENS_NONE || x->to_trip < f->trip_count);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.max_member_bytes = 1u << 22;
	opts.max_total_bytes = 1u << 23;
	opts.max_field_bytes = 256;
	gtfs_source_limits limits = gtfs_limits_from_options(&opts);
	gtfs_source *src = NULL;
	grens_error err;
	grens_diag *diag = grens_diag_new();
	if (!diag)
		return 0;
	int rc;
	if (size >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
		rc = gtfs_source_open_zip_buffer(&src, data, size, &limits, diag, &err);
	} else {
		gtfs_memory_file files[MAX_FILES];
		char names[MAX_FILES][64];
		size_t n = 0;
		const char *p = (const char *)data, *end = p + size;
		while (p < end) {
			const char *eol = memchr(p, '\n', (size_t)(end - p));
			const char *next = eol ? eol + 1 : end;
			if (end - p > 3 && p[0] == '%' && p[1] == '%' && p[2] == ' ' && n < MAX_FILES) {
				size_t len = (size_t)((eol ? eol : end) - (p + 3));
				if (len >= sizeof(names[0]))
					len = sizeof(names[0]) - 1;
				memcpy(names[n], p + 3, len);
				names[n][len] = '\0';
				files[n] = (gtfs_memory_file){ names[n], next, 0 };
				n++;
			} else if (n > 0) {
				files[n - 1].size = (size_t)(next - files[n - 1].bytes);
			}
			p = next;
		}
		rc = gtfs_source_open_files(&src, files, n, &limits, &err);
	}
	if (rc == 0) {
		grens_gtfs_feed *feed = NULL;
		rc = gtfs_load_source(&feed, src, "fuzz", &opts, diag, &err);
		if (rc == 0)
			check_feed(feed);
		else
			FUZZ_ASSERT(feed == NULL && err.message[0]);
		grens_gtfs_free(feed);
	}
	gtfs_source_close(src);
	grens_diag_free(diag);
	return 0;
}
