/* Fuzz the places CSV parser: the input is one places file. Parsing either
 * fails with an error code or keeps only rows that passed every check. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grens/access.h"

/* Does the record that starts on line `line` hold a NUL byte? Records and
 * lines as the places reader counts them: quoted fields (with "" inside)
 * may hold line breaks, and LF, CRLF or a lone CR end a record. */
static int record_has_nul(const uint8_t *data, size_t size, uint32_t line)
{
	uint32_t at = 1;
	size_t i = 0;
	while (i < size) {
		uint32_t start = at;
		int nul = 0;
		for (;;) { /* one field */
			if (i < size && data[i] == '"') {
				for (i++; i < size; i++) {
					if (data[i] == '"' && i + 1 < size && data[i + 1] == '"')
						i++;
					else if (data[i] == '"')
						break;
					at += data[i] == '\n';
					nul |= data[i] == '\0';
				}
				i++;
			}
			while (i < size && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
				nul |= data[i++] == '\0';
			if (i < size && data[i] == ',') {
				i++;
				continue;
			}
			if (i < size && data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
				i++;
			i++;
			at++;
			break;
		}
		if (start == line)
			return nul;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	grens_access_places *pl = NULL;
	grens_error err;
	grens_diag *diag = grens_diag_new();
	if (!diag || grens_access_places_new(&pl, &err)) {
		grens_diag_free(diag);
		return 0;
	}
	uint32_t skipped = 0;
	int rc = grens_access_places_parse(pl, "places.csv", (const char *)data, size, diag,
					   &skipped, &err);
	FUZZ_ASSERT(rc <= 0);
	if (rc == 0) {
		uint32_t kinds = grens_access_places_kind_count(pl);
		FUZZ_ASSERT(kinds >= 1 && kinds <= GRENS_ACCESS_MAX_KINDS);
		FUZZ_ASSERT(strcmp(grens_access_places_kind(pl, 0), "population") == 0);
		uint32_t last = 1;
		for (uint32_t i = 0; i < grens_access_places_count(pl); i++) {
			const grens_access_place *p = grens_access_places_get(pl, i);
			FUZZ_ASSERT(p->name[0] != '\0' && p->municipality[0] != '\0');
			FUZZ_ASSERT(strlen(p->country) == 2);
			FUZZ_ASSERT(p->lat >= -90.0 && p->lat <= 90.0);
			FUZZ_ASSERT(p->lon >= -180.0 && p->lon <= 180.0);
			FUZZ_ASSERT(p->line > last);
			/* A NUL would have cut a value short: such rows are not kept. */
			FUZZ_ASSERT(!record_has_nul(data, size, p->line));
			last = p->line;
			for (uint32_t k = 0; k < kinds; k++)
				FUZZ_ASSERT(p->opportunities[k] >= 0.0 && isfinite(p->opportunities[k]));
			FUZZ_ASSERT(grens_access_places_find(pl, p->municipality) != GRENS_NONE);
		}
	}
	grens_access_places_free(pl);
	grens_diag_free(diag);
	return 0;
}
