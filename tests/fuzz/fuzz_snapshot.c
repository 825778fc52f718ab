/* Fuzz the snapshot reader: the input is a snapshot file, opened twice: as it
 * is, and with its checksums made right again (section hashes from the
 * section table, then the header hash), so the checks behind the checksums
 * (sizes, counts, offsets, the table) see damaged values too. Either the
 * open fails with GRENS_EFORMAT and a message naming the file, or the
 * timetable it gives keeps the invariants readers rely on without looking. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "grens/net.h"
#include "../unit/snapshot_layout.h"

/* Make the checksums of b[0..size) match its bytes, as far as the table
 * says where things are; anything out of range is left alone. */
static void reseal(unsigned char *b, size_t size)
{
	if (size < SNAP_OFF_HEADER_HASH + 8)
		return;
	uint64_t header = snap_get32(b + SNAP_OFF_HEADER_SIZE),
		 n = snap_get32(b + SNAP_OFF_SECTION_COUNT);
	if (n > 4096 || header > size || header + n * SNAP_SECTION_BYTES > size)
		return;
	for (uint64_t i = 0; i < n; i++) {
		unsigned char *e = b + header + i * SNAP_SECTION_BYTES;
		uint64_t off = snap_get64(e + 8), len = snap_get64(e + 16);
		if (off <= size && len <= size - off) {
			uint64_t h = grens_xxh64(b + off, (size_t)len, i);
			memcpy(e + 24, &h, 8);
		}
	}
	uint64_t head = (header + n * SNAP_SECTION_BYTES + SNAP_ALIGN_BYTES - 1) /
			SNAP_ALIGN_BYTES * SNAP_ALIGN_BYTES;
	if (head > size)
		return;
	memset(b + SNAP_OFF_HEADER_HASH, 0, 8);
	uint64_t h = grens_xxh64(b, (size_t)head, 0);
	memcpy(b + SNAP_OFF_HEADER_HASH, &h, 8);
}

static void open_one(const unsigned char *b, size_t size)
{
	grens_timetable *tt = NULL;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_net_snapshot_open(&tt, b, size, "fuzz.grens", &err);
	if (rc) {
		FUZZ_ASSERT(tt == NULL);
		FUZZ_ASSERT(rc == GRENS_EFORMAT || rc == GRENS_ENOMEM);
		FUZZ_ASSERT(err.code == rc && strncmp(err.message, "fuzz.grens: ", 12) == 0);
		return;
	}
	/* what snapshot_open promises */
	FUZZ_ASSERT(tt && tt->strings_size > 0 && tt->strings[tt->strings_size - 1] == '\0');
	FUZZ_ASSERT(tt->pattern_trip_offset[0] == 0 &&
		    tt->pattern_trip_offset[tt->pattern_count] == tt->trip_count);
	const char *prov = grens_net_snapshot_provenance(tt);
	FUZZ_ASSERT(prov && strlen(prov) < size);
	FUZZ_ASSERT(grens_net_snapshot_inputs(tt) != NULL);
	grens_net_free(tt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the reader wants 8-byte aligned bytes, as a mapping is */
	uint64_t *copy = calloc(1, size + 8);
	if (!copy)
		return 0;
	unsigned char *b = (unsigned char *)copy;
	if (size)
		memcpy(b, data, size);
	open_one(b, size);
	reseal(b, size);
	open_one(b, size);
	free(copy);
	return 0;
}
