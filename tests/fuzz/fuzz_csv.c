/* Fuzz the CSV reader: the input is one CSV file. Every record must come
 * back with NUL-terminated fields of the reported length, as many as the
 * header has, and valid UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gtfs_memory_file file = { "stops.txt", (const char *)data, size };
	gtfs_source_limits limits = { 1u << 24, 1u << 24, GRENS_LIMIT_ZIP_RATIO };
	gtfs_source *src = NULL;
	grens_error err;
	grens_diag *diag = grens_diag_new();
	if (!diag || gtfs_source_open_files(&src, &file, 1, &limits, &err)) {
		grens_diag_free(diag);
		return 0;
	}
	csv_reader r;
	/* A small field cap so truncation is exercised too. */
	if (csv_open(&r, src, "stops.txt", diag, 64, &err) == 0) {
		for (uint32_t i = 0; i < r.header_nf; i++)
			FUZZ_ASSERT(grens_utf8_valid(r.header[i], strlen(r.header[i])));
		uint64_t skipped = 0;
		uint32_t last_line = 0;
		int rc;
		for (rc = csv_next(&r, &skipped, &err); rc == 1; rc = csv_next(&r, &skipped, &err)) {
			FUZZ_ASSERT(r.nf == r.header_nf);
			FUZZ_ASSERT(r.line > last_line);
			last_line = r.line;
			for (uint32_t i = 0; i < r.nf; i++) {
				FUZZ_ASSERT(strlen(r.field[i]) == r.flen[i]);
				FUZZ_ASSERT(r.flen[i] <= 64);
				FUZZ_ASSERT(grens_utf8_valid(r.field[i], r.flen[i]));
				if (r.flen[i]) {
					FUZZ_ASSERT(r.field[i][0] != ' ');
					FUZZ_ASSERT(r.field[i][r.flen[i] - 1] != ' ');
				}
			}
		}
		FUZZ_ASSERT(rc == 0);
		csv_close(&r);
	}
	gtfs_source_close(src);
	grens_diag_free(diag);
	return 0;
}
