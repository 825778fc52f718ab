/* Where the snapshot format keeps what the refusal tests and the fuzz
 * harness damage or repair (src/net/snapshot.c: struct snap_header and
 * struct snap_section), read in the machine's byte order as written. */
#ifndef GRENS_TEST_SNAPSHOT_LAYOUT_H
#define GRENS_TEST_SNAPSHOT_LAYOUT_H

#include <stdint.h>
#include <string.h>

enum {
	SNAP_OFF_BYTE_ORDER = 8,
	SNAP_OFF_VERSION = 12,
	SNAP_OFF_HEADER_SIZE = 16,
	SNAP_OFF_SECTION_COUNT = 20,
	SNAP_OFF_HEADER_HASH = 32,
	/* a section entry: id, element size, offset (8), size (16), hash (24) */
	SNAP_SECTION_BYTES = 32,
	SNAP_ALIGN_BYTES = 64,
};

static inline uint32_t snap_get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t snap_get64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

#endif
