/* The timetable as one file that is mapped, not parsed (DESIGN.md: "saving /
 * loading a binary snapshot").
 *
 * Layout: a fixed header (magic, byte order, format version, the scalars of
 * the timetable and its index, the inputs' SHA-256), a table of sections,
 * then each array of the timetable as it lies in memory, every section at a
 * 64-byte boundary with zero padding. Each section carries an XXH64 of its
 * bytes and the header one of itself and the table, so every byte of the
 * file is checked at load; the check reads the file at memory speed and is
 * the only work a load does besides pointing the arrays into the mapping. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "net_internal.h"

static const char snap_magic[8] = { 'G', 'R', 'E', 'N', 'S', 'T', 'T', '\n' };
#define SNAP_BYTE_ORDER 0x01020304u
#define SNAP_ALIGN 64u

/* Optional arrays present (header flags). */
#define SNAP_HAS_FEED_DATES 0x1u
#define SNAP_HAS_STOP_PLACE 0x2u
#define SNAP_HAS_TRIP_ALT 0x4u
#define SNAP_HAS_SERVICE_ID 0x8u
/* ... and one that older files always have: set when absent */
#define SNAP_NO_FREQUENCY 0x10u

struct snap_header {
	char magic[8];
	uint32_t byte_order;
	uint32_t version;
	uint32_t header_size;
	uint32_t section_count;
	uint64_t file_size;
	uint64_t header_hash; /* over [0, first section) with this field zero */
	char grens_version[32];
	char inputs_sha256[72];
	uint32_t flags;
	uint32_t feed_count;
	int32_t first_date;
	uint32_t day_count;
	uint32_t service_count;
	uint32_t words_per_service;
	uint32_t stop_count;
	uint32_t route_count;
	uint32_t pattern_count;
	uint32_t trip_count;
	uint32_t timezone;
	int32_t max_time;
	uint64_t stop_time_count;
	uint64_t strings_size;
	uint32_t stop_mask, trip_mask, name_mask, reserved;
	uint64_t folded_size;
	uint64_t provenance_size;
};

struct snap_section {
	uint32_t id;
	uint32_t elem_size;
	uint64_t offset;
	uint64_t size;
	uint64_t hash;
};

_Static_assert(sizeof(struct snap_header) % 8 == 0, "header keeps 8-byte alignment");
_Static_assert(sizeof(struct snap_section) == 32, "section entries are 32 bytes");

/* One array of the timetable: where its pointer lives, its element size and
 * count (which may depend on arrays before it), and whether it may be absent. */
struct sec {
	void **ptr;
	uint32_t elem;
	uint64_t count;
	bool present;
};

#define SEC(p, n) (struct sec){ (void **)&(p), sizeof(*(p)), (n), true }
#define SEC_OPT(p, n, has) (struct sec){ (void **)&(p), sizeof(*(p)), (has) ? (n) : 0, (has) }

/* The last value of a CSR offset array, 0 while it is not there yet. */
static uint64_t csr_end(const uint32_t *offset, uint32_t n)
{
	return offset ? offset[n] : 0;
}

/* Every section in file order. Counts that come from a CSR array read it, so
 * a loader calls this again after each section it placed. Returns the count. */
static uint32_t sections(grens_timetable *tt, struct grens_net_index *ix, uint32_t flags,
			 struct sec *v)
{
	uint32_t n = 0;
	uint64_t slots_words = (uint64_t)tt->service_count * tt->words_per_service;
	bool dates = flags & SNAP_HAS_FEED_DATES, place = flags & SNAP_HAS_STOP_PLACE,
	     alt = flags & SNAP_HAS_TRIP_ALT, sid = flags & SNAP_HAS_SERVICE_ID,
	     freq = !(flags & SNAP_NO_FREQUENCY);
	v[n++] = SEC(tt->feed_name, tt->feed_count);
	v[n++] = SEC(tt->feed_timezone, tt->feed_count);
	v[n++] = SEC_OPT(tt->feed_first_date, tt->feed_count, dates);
	v[n++] = SEC_OPT(tt->feed_last_date, tt->feed_count, dates);
	v[n++] = SEC(tt->service_days, slots_words);
	v[n++] = SEC(tt->stop_feed, tt->stop_count);
	v[n++] = SEC(tt->stop_id, tt->stop_count);
	v[n++] = SEC(tt->stop_name, tt->stop_count);
	v[n++] = SEC(tt->stop_parent, tt->stop_count);
	v[n++] = SEC(tt->stop_location_type, tt->stop_count);
	v[n++] = SEC(tt->stop_lat, tt->stop_count);
	v[n++] = SEC(tt->stop_lon, tt->stop_count);
	v[n++] = SEC(tt->stop_min_change, tt->stop_count);
	v[n++] = SEC(tt->stop_pattern_offset, (uint64_t)tt->stop_count + 1);
	v[n++] = SEC(tt->stop_patterns, csr_end(tt->stop_pattern_offset, tt->stop_count));
	v[n++] = SEC(tt->footpath_offset, (uint64_t)tt->stop_count + 1);
	v[n++] = SEC(tt->footpaths, csr_end(tt->footpath_offset, tt->stop_count));
	v[n++] = SEC(tt->route_feed, tt->route_count);
	v[n++] = SEC(tt->route_id, tt->route_count);
	v[n++] = SEC(tt->route_short_name, tt->route_count);
	v[n++] = SEC(tt->route_long_name, tt->route_count);
	v[n++] = SEC(tt->route_agency_name, tt->route_count);
	v[n++] = SEC(tt->route_type, tt->route_count);
	v[n++] = SEC(tt->pattern_route, tt->pattern_count);
	v[n++] = SEC(tt->pattern_stop_offset, (uint64_t)tt->pattern_count + 1);
	v[n++] = SEC(tt->pattern_stops, csr_end(tt->pattern_stop_offset, tt->pattern_count));
	v[n++] = SEC(tt->pattern_stop_flags, csr_end(tt->pattern_stop_offset, tt->pattern_count));
	v[n++] = SEC(tt->pattern_trip_offset, (uint64_t)tt->pattern_count + 1);
	v[n++] = SEC(tt->pattern_time_offset, tt->pattern_count);
	v[n++] = SEC(tt->stop_times, tt->stop_time_count);
	v[n++] = SEC(tt->trip_pattern, tt->trip_count);
	v[n++] = SEC(tt->trip_service, tt->trip_count);
	v[n++] = SEC(tt->trip_feed, tt->trip_count);
	v[n++] = SEC(tt->trip_id, tt->trip_count);
	v[n++] = SEC(tt->trip_short_name, tt->trip_count);
	v[n++] = SEC(tt->trip_headsign, tt->trip_count);
	v[n++] = SEC(tt->trip_block_next, tt->trip_count);
	v[n++] = SEC_OPT(tt->trip_frequency_start, tt->trip_count, freq);
	v[n++] = SEC_OPT(tt->stop_place, tt->stop_count, place);
	v[n++] = SEC_OPT(tt->trip_alt_feed, tt->trip_count, alt);
	v[n++] = SEC_OPT(tt->trip_alt_id, tt->trip_count, alt);
	v[n++] = SEC_OPT(tt->service_id, tt->service_count, sid);
	v[n++] = SEC(tt->strings, tt->strings_size);
	v[n++] = SEC(ix->stop_slots, (uint64_t)ix->stop_mask + 1);
	v[n++] = SEC(ix->trip_slots, (uint64_t)ix->trip_mask + 1);
	v[n++] = SEC(ix->name_slots, (uint64_t)ix->name_mask + 1);
	v[n++] = SEC(ix->name_next, tt->stop_count);
	v[n++] = SEC(ix->folded_off, tt->stop_count);
	v[n++] = SEC(ix->folded, ix->folded_size);
	v[n++] = SEC(ix->provenance, ix->provenance_size);
	return n;
}
#define SNAP_MAX_SECTIONS 64u
/* sections() names the ten [trip] arrays one by one (the file's order and
 * its optional sections are part of the format): a new one needs a section
 * there and GRENS_NET_SNAPSHOT_VERSION bumped. */
_Static_assert(NET_TRIP_ARRAY_COUNT == 10, "a [trip] array has no snapshot section");

static uint64_t align_up(uint64_t v)
{
	return (v + SNAP_ALIGN - 1) & ~(uint64_t)(SNAP_ALIGN - 1);
}

static int put(FILE *f, const void *p, size_t n)
{
	return n == 0 || fwrite(p, 1, n, f) == n ? 0 : -1;
}

static int pad(FILE *f, uint64_t from)
{
	static const char zero[SNAP_ALIGN];
	return put(f, zero, (size_t)(align_up(from) - from));
}

static int write_error(grens_error *err)
{
	int e = errno;
	return grens_error_set(err, GRENS_EIO, "writing the snapshot failed: %s",
			       e ? strerror(e) : "short write");
}

static int write_sections(grens_timetable *tt, struct grens_net_index *ixp, FILE *f,
			  const char *provenance, const char *inputs_sha256, grens_error *err);

int grens_net_snapshot_write(const grens_timetable *tt, FILE *f, const char *provenance,
			     const char *inputs_sha256, grens_error *err)
{
	if (!provenance)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_net_snapshot_write: provenance is NULL");
	if (!tt || !f)
		return grens_error_set(err, GRENS_EARG, "no timetable or file");
	/* Copies, so the provenance can be placed like any other section. A
	 * timetable made by hand gets its index built here, and so does a
	 * derived one, whose index is its base's (without the added trips). */
	grens_timetable t = *tt;
	bool own_index = !tt->index || tt->index->trip_count != tt->trip_count;
	if (own_index) {
		t.index = NULL;
		int rc = net_index_build(&t, err);
		if (rc) {
			net_index_free(t.index);
			return rc;
		}
	}
	struct grens_net_index ix = *t.index;
	/* A derived timetable's events lie in two segments; the file has one. */
	grens_net_stop_time *joined = NULL;
	int rc = 0;
	if (t.stop_times_tail) {
		joined = malloc((size_t)(t.stop_time_count + 1) * sizeof(*joined));
		if (!joined) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		} else {
			memcpy(joined, t.stop_times, (size_t)t.stop_time_split * sizeof(*joined));
			memcpy(joined + t.stop_time_split, t.stop_times_tail,
			       (size_t)(t.stop_time_count - t.stop_time_split) * sizeof(*joined));
			t.stop_times = joined;
			t.stop_times_tail = NULL;
			t.stop_time_split = t.stop_time_count;
		}
	}
	if (!rc)
		rc = write_sections(&t, &ix, f, provenance, inputs_sha256, err);
	free(joined);
	if (own_index)
		net_index_free(t.index);
	return rc;
}

static int write_sections(grens_timetable *tt, struct grens_net_index *ixp, FILE *f,
			  const char *provenance, const char *inputs_sha256, grens_error *err)
{
	grens_timetable t = *tt;
	struct grens_net_index ix = *ixp;
	ix.provenance = (char *)(provenance ? provenance : "");
	ix.provenance_size = strlen(ix.provenance) + 1;
	struct snap_header h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, snap_magic, sizeof(h.magic));
	h.byte_order = SNAP_BYTE_ORDER;
	h.version = GRENS_NET_SNAPSHOT_VERSION;
	h.header_size = sizeof(h);
	snprintf(h.grens_version, sizeof(h.grens_version), "%s", grens_version());
	snprintf(h.inputs_sha256, sizeof(h.inputs_sha256), "%s", inputs_sha256 ? inputs_sha256 : "");
	h.flags = (t.feed_first_date && t.feed_last_date ? SNAP_HAS_FEED_DATES : 0) |
		  (t.stop_place ? SNAP_HAS_STOP_PLACE : 0) |
		  (t.trip_alt_feed && t.trip_alt_id ? SNAP_HAS_TRIP_ALT : 0) |
		  (t.service_id ? SNAP_HAS_SERVICE_ID : 0) |
		  (t.trip_frequency_start ? 0 : SNAP_NO_FREQUENCY);
	h.feed_count = t.feed_count;
	h.first_date = t.first_date;
	h.day_count = t.day_count;
	h.service_count = t.service_count;
	h.words_per_service = t.words_per_service;
	h.stop_count = t.stop_count;
	h.route_count = t.route_count;
	h.pattern_count = t.pattern_count;
	h.trip_count = t.trip_count;
	h.timezone = t.timezone;
	h.max_time = t.max_time;
	h.stop_time_count = t.stop_time_count;
	h.strings_size = t.strings_size;
	h.stop_mask = ix.stop_mask;
	h.trip_mask = ix.trip_mask;
	h.name_mask = ix.name_mask;
	h.folded_size = ix.folded_size;
	h.provenance_size = ix.provenance_size;
	struct sec v[SNAP_MAX_SECTIONS];
	struct snap_section table[SNAP_MAX_SECTIONS];
	uint32_t n = sections(&t, &ix, h.flags, v);
	h.section_count = n;
	uint64_t at = align_up(sizeof(h) + (uint64_t)n * sizeof(struct snap_section));
	for (uint32_t i = 0; i < n; i++) {
		uint64_t size = v[i].count * v[i].elem;
		const void *p = *v[i].ptr;
		if (size && !p)
			return grens_error_set(err, GRENS_EARG, "timetable array %u is missing", i);
		table[i] = (struct snap_section){ .id = i, .elem_size = v[i].elem, .offset = at,
						  .size = size,
						  .hash = grens_xxh64(p ? p : "", (size_t)size, i) };
		at = align_up(at + size);
	}
	h.file_size = at;
	/* The header hash covers the header, the table and the padding after it. */
	size_t head = (size_t)align_up(sizeof(h) + (uint64_t)n * sizeof(struct snap_section));
	unsigned char *buf = calloc(1, head);
	if (!buf)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), table, (size_t)n * sizeof(struct snap_section));
	h.header_hash = grens_xxh64(buf, head, 0);
	memcpy(buf, &h, sizeof(h));
	errno = 0;
	int rc = put(f, buf, head);
	free(buf);
	for (uint32_t i = 0; !rc && i < n; i++)
		rc = put(f, *v[i].ptr, (size_t)table[i].size) ||
		     pad(f, table[i].offset + table[i].size);
	return rc ? write_error(err) : 0;
}

/* ---- reading ---------------------------------------------------------------- */

static int refuse(grens_error *err, const char *name, const char *reason)
{
	return grens_error_set(err, GRENS_EFORMAT, "%s: %s", name, reason);
}

static int refuse_section(grens_error *err, const char *name, uint32_t i, const char *why)
{
	return grens_error_set(err, GRENS_EFORMAT, "%s: section %u %s", name, i, why);
}

int grens_net_snapshot_open(grens_timetable **out, const void *bytes, size_t size, const char *name,
			    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_snapshot_open: out is NULL");
	if (!bytes && size)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_snapshot_open: bytes is NULL");
	*out = NULL;
	const unsigned char *base = bytes;
	if (!name)
		name = "snapshot";
	if (((uintptr_t)base & 7u) != 0)
		return grens_error_set(err, GRENS_EARG, "%s: snapshot bytes are not 8-byte aligned",
				       name);
	if (size < sizeof(snap_magic) || memcmp(base, snap_magic, sizeof(snap_magic)) != 0)
		return refuse(err, name,
			      size < sizeof(snap_magic) ? "not a grens timetable snapshot (too short)"
							: "not a grens timetable snapshot (wrong magic bytes)");
	if (size < sizeof(struct snap_header))
		return refuse(err, name, "truncated: the header is incomplete");
	struct snap_header h;
	memcpy(&h, base, sizeof(h));
	if (h.byte_order != SNAP_BYTE_ORDER) {
		bool swapped = h.byte_order == __builtin_bswap32(SNAP_BYTE_ORDER);
		return refuse(err, name,
			      swapped ? "written on a machine of the other byte order"
				      : "the byte-order mark is damaged");
	}
	if (h.version != GRENS_NET_SNAPSHOT_VERSION) {
		char why[160];
		snprintf(why, sizeof(why), "format version %u, this grens reads version %u (%s)",
			 h.version, GRENS_NET_SNAPSHOT_VERSION,
			 h.version < GRENS_NET_SNAPSHOT_VERSION ? "an older grens wrote it"
								 : "a newer grens wrote it");
		return refuse(err, name, why);
	}
	if (h.header_size != sizeof(h) || h.section_count == 0 ||
	    h.section_count > SNAP_MAX_SECTIONS)
		return refuse(err, name, "the header is damaged");
	if (h.file_size != size) {
		char why[160];
		snprintf(why, sizeof(why), "%s: %zu bytes, the header says %llu",
			 size < h.file_size ? "truncated" : "trailing bytes", size,
			 (unsigned long long)h.file_size);
		return refuse(err, name, why);
	}
	uint64_t head = align_up(sizeof(h) + (uint64_t)h.section_count * sizeof(struct snap_section));
	if (head > size)
		return refuse(err, name, "truncated: the section table is incomplete");
	unsigned char *copy = malloc((size_t)head);
	if (!copy)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	memcpy(copy, base, (size_t)head);
	memset(copy + offsetof(struct snap_header, header_hash), 0, sizeof(h.header_hash));
	uint64_t hh = grens_xxh64(copy, (size_t)head, 0);
	free(copy);
	if (hh != h.header_hash)
		return refuse(err, name, "the header checksum does not match (damaged file)");
	if (memchr(h.inputs_sha256, '\0', sizeof(h.inputs_sha256)) == NULL ||
	    memchr(h.grens_version, '\0', sizeof(h.grens_version)) == NULL)
		return refuse(err, name, "the header is damaged");

	grens_timetable *tt = calloc(1, sizeof(*tt));
	struct grens_net_index *ix = calloc(1, sizeof(*ix));
	int rc = 0;
	if (!tt || !ix) {
		free(tt);
		free(ix);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	tt->index = ix;
	tt->feed_count = h.feed_count;
	tt->first_date = h.first_date;
	tt->day_count = h.day_count;
	tt->service_count = h.service_count;
	tt->words_per_service = h.words_per_service;
	tt->stop_count = h.stop_count;
	tt->route_count = h.route_count;
	tt->pattern_count = h.pattern_count;
	tt->trip_count = h.trip_count;
	tt->timezone = h.timezone;
	tt->max_time = h.max_time;
	tt->stop_time_count = h.stop_time_count;
	tt->stop_time_split = h.stop_time_count;
	tt->strings_size = h.strings_size;
	ix->stop_count = h.stop_count;
	ix->trip_count = h.trip_count;
	ix->stop_mask = h.stop_mask;
	ix->trip_mask = h.trip_mask;
	ix->name_mask = h.name_mask;
	ix->folded_size = h.folded_size;
	ix->provenance_size = h.provenance_size;
	memcpy(ix->inputs_sha256, h.inputs_sha256, sizeof(ix->inputs_sha256) - 1);
	/* Masks must be powers of two minus one, and the day bits must fit. */
	if (((uint64_t)h.stop_mask & ((uint64_t)h.stop_mask + 1)) ||
	    ((uint64_t)h.trip_mask & ((uint64_t)h.trip_mask + 1)) ||
	    ((uint64_t)h.name_mask & ((uint64_t)h.name_mask + 1)) ||
	    h.words_per_service != (h.day_count + 63u) / 64u || h.trip_count >= NET_INDEX_ALT ||
	    (uint64_t)h.stop_mask + 1 < 2 * (uint64_t)h.stop_count ||
	    (uint64_t)h.name_mask + 1 < 2 * (uint64_t)h.stop_count ||
	    (uint64_t)h.trip_mask + 1 < 2 * (uint64_t)h.trip_count) {
		rc = refuse(err, name, "the header's counts are inconsistent");
		goto fail;
	}
	const struct snap_section *table = (const struct snap_section *)(base + sizeof(h));
	struct sec v[SNAP_MAX_SECTIONS];
	uint32_t n = sections(tt, ix, h.flags, v);
	if (n != h.section_count) {
		rc = refuse(err, name, "the section table does not match this format version");
		goto fail;
	}
	uint64_t at = head;
	for (uint32_t i = 0; i < n; i++) {
		n = sections(tt, ix, h.flags, v); /* counts from the arrays placed so far */
		const struct snap_section *s = &table[i];
		if (s->id != i || s->elem_size != v[i].elem || s->offset != at) {
			rc = refuse_section(err, name, i, "is out of place (damaged table)");
			goto fail;
		}
		if (v[i].count > UINT64_MAX / v[i].elem || s->size != v[i].count * v[i].elem) {
			rc = refuse_section(err, name, i, "has the wrong size for the header's counts");
			goto fail;
		}
		if (s->size > size - at || align_up(at + s->size) > size) {
			rc = refuse_section(err, name, i, "runs past the end of the file (truncated)");
			goto fail;
		}
		if (grens_xxh64(base + at, (size_t)s->size, i) != s->hash) {
			rc = refuse_section(err, name, i, "checksum does not match (damaged file)");
			goto fail;
		}
		for (uint64_t p = at + s->size; p < align_up(at + s->size); p++)
			if (base[p] != 0) {
				rc = refuse_section(err, name, i, "padding is not zero (damaged file)");
				goto fail;
			}
		*v[i].ptr = v[i].present ? (void *)(base + at) : NULL;
		at = align_up(at + s->size);
	}
	if (at != size) {
		rc = refuse(err, name, "the sections do not end where the file does");
		goto fail;
	}
	/* What readers rely on without looking: offsets start at 0, text ends
	 * with NUL. Deeper content is as written, as the checksums say. */
	if (tt->strings_size == 0 || tt->strings[tt->strings_size - 1] != '\0' ||
	    ix->folded_size == 0 || ix->folded[ix->folded_size - 1] != '\0' ||
	    ix->provenance_size == 0 || ix->provenance[ix->provenance_size - 1] != '\0' ||
	    tt->stop_pattern_offset[0] != 0 || tt->footpath_offset[0] != 0 ||
	    tt->pattern_stop_offset[0] != 0 || tt->pattern_trip_offset[0] != 0 ||
	    tt->pattern_trip_offset[tt->pattern_count] != tt->trip_count) {
		rc = refuse(err, name, "its arrays are inconsistent");
		goto fail;
	}
	*out = tt;
	return 0;
fail:
	free(ix);
	free(tt);
	return rc;
}

int grens_net_snapshot_load(grens_timetable **out, const char *path, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_snapshot_load: out is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_snapshot_load: path is NULL");
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		return grens_error_set(err, GRENS_EIO, "%s: cannot open: %s", path, strerror(e));
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return grens_error_set(err, GRENS_EIO, "%s: not a regular file", path);
	}
	size_t size = (size_t)st.st_size;
	if (size == 0) {
		close(fd);
		return refuse(err, path, "truncated: the file is empty");
	}
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	int e = errno;
	close(fd);
	if (map == MAP_FAILED)
		return grens_error_set(err, GRENS_EIO, "%s: cannot map: %s", path, strerror(e));
	/* The checksums read every page once, in order. */
	(void)madvise(map, size, MADV_SEQUENTIAL);
	int rc = grens_net_snapshot_open(out, map, size, path, err);
	if (rc) {
		munmap(map, size);
		return rc;
	}
	(void)madvise(map, size, MADV_NORMAL);
	(*out)->index->map = map;
	(*out)->index->map_size = size;
	return 0;
}

const char *grens_net_snapshot_provenance(const grens_timetable *tt)
{
	return tt && tt->index && tt->index->provenance ? tt->index->provenance : NULL;
}

const char *grens_net_snapshot_inputs(const grens_timetable *tt)
{
	return tt && tt->index && tt->index->provenance ? tt->index->inputs_sha256 : NULL;
}

int grens_net_snapshot_share(grens_timetable **out, const grens_timetable *snap, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_snapshot_share: out is NULL");
	*out = NULL;
	if (!snap || !snap->index || !snap->index->provenance || snap->arena)
		return grens_error_set(err, GRENS_EARG, "not a timetable opened from a snapshot");
	grens_timetable *tt = malloc(sizeof(*tt));
	struct grens_net_index *ix = malloc(sizeof(*ix));
	if (!tt || !ix) {
		free(tt);
		free(ix);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	*tt = *snap;
	*ix = *snap->index;
	/* The arrays stay the mapping's: this copy frees only itself. */
	ix->owned = false;
	ix->map = NULL;
	ix->map_size = 0;
	tt->index = ix;
	*out = tt;
	return 0;
}
