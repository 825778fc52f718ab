/* Feed sources: a zip archive read through libzip (never extracted) or a
 * directory of .txt files. Members are streamed; caps on member size, total
 * size and compression ratio are enforced on the bytes actually inflated. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "internal.h"

#define NAME_MAX_BYTES 128
/* Small members may compress far better than the ratio limit (a file of
 * one repeated row); the ratio check applies only beyond this many bytes. */
#define RATIO_FLOOR_BYTES (1u << 20)

typedef struct source_entry {
	char name[NAME_MAX_BYTES];
	const char *bytes; /* in-memory file, or NULL */
	zip_uint64_t zindex;
	uint64_t size, comp_size;
} source_entry;

struct gtfs_source {
	char *dir;     /* directory path, or NULL */
	zip_t *zip;    /* archive, or NULL */
	source_entry *entries;
	size_t entry_count;
	uint64_t total_read;
	uint64_t archive_bytes; /* size of the zip itself; 0 when not a zip */
	gtfs_source_limits limits;
};

struct gtfs_member {
	gtfs_source *src;
	const char *bytes; /* in-memory file */
	size_t size, pos;
	FILE *fp;
	zip_file_t *zf;
	char name[NAME_MAX_BYTES];
	uint64_t read;
	uint64_t comp_size;
};

/* Names that would escape a directory if anyone ever extracted them. */
static bool unsafe_name(const char *name)
{
	if (name[0] == '/' || name[0] == '\\' || strchr(name, '\\'))
		return true;
	if (name[0] && name[1] == ':') /* C:foo */
		return true;
	const char *p = name;
	while (*p) {
		const char *seg = p;
		while (*p && *p != '/')
			p++;
		if (p - seg == 2 && seg[0] == '.' && seg[1] == '.')
			return true;
		if (*p == '/')
			p++;
	}
	return false;
}

static int add_entry(gtfs_source *s, size_t *cap, const char *name, zip_uint64_t zi,
		     uint64_t size, uint64_t comp)
{
	if (s->entry_count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32, bytes;
		if (grens_size_mul(ncap, sizeof(*s->entries), &bytes))
			return GRENS_ENOMEM;
		source_entry *e = realloc(s->entries, bytes);
		if (!e)
			return GRENS_ENOMEM;
		s->entries = e;
		*cap = ncap;
	}
	source_entry *e = &s->entries[s->entry_count++];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->zindex = zi;
	e->size = size;
	e->comp_size = comp;
	return 0;
}

static int list_zip(gtfs_source *s, const char *path, grens_diag *diag, grens_error *err);

static int open_zip(gtfs_source *s, const char *path, grens_diag *diag, grens_error *err)
{
	int zerr = 0;
	s->zip = zip_open(path, ZIP_RDONLY, &zerr);
	if (!s->zip) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		int code = (zerr == ZIP_ER_NOZIP || zerr == ZIP_ER_INCONS) ? GRENS_EFORMAT
									   : GRENS_EIO;
		grens_error_set(err, code, "%s: not a readable zip archive (%s)", path,
				zip_error_strerror(&ze));
		zip_error_fini(&ze);
		grens_error_at(err, path, 0, 0, NULL);
		return code;
	}
	return list_zip(s, path, diag, err);
}

static int list_zip(gtfs_source *s, const char *path, grens_diag *diag, grens_error *err)
{
	zip_int64_t n = zip_get_num_entries(s->zip, 0);
	if (n < 0 || (uint64_t)n > GRENS_LIMIT_ZIP_ENTRIES) {
		grens_error_at(err, path, 0, 0, NULL);
		return grens_error_set(err, GRENS_ELIMIT, "%s: %lld zip entries (limit %u)", path,
				       (long long)n, GRENS_LIMIT_ZIP_ENTRIES);
	}
	size_t cap = 0;
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		zip_stat_init(&st);
		if (zip_stat_index(s->zip, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME))
			continue;
		const char *name = st.name;
		size_t len = strlen(name);
		if (unsafe_name(name)) {
			grens_diag_add(diag, "unsafe_zip_entry_name", GRENS_SEVERITY_WARNING, NULL, 0,
				       NULL, "zip entry \"%.80s\" could escape a directory: ignored",
				       name);
			continue;
		}
		if (len == 0 || name[len - 1] == '/')
			continue; /* a directory entry */
		if (strchr(name, '/')) {
			grens_diag_add(diag, "unknown_file", GRENS_SEVERITY_INFO, NULL, 0, NULL,
				       "zip entry \"%.80s\" is in a subdirectory: ignored", name);
			continue;
		}
		if (len >= NAME_MAX_BYTES) {
			grens_diag_add(diag, "unknown_file", GRENS_SEVERITY_INFO, NULL, 0, NULL,
				       "zip entry name of %zu bytes ignored", len);
			continue;
		}
		uint64_t size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
		uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
		if (add_entry(s, &cap, name, (zip_uint64_t)i, size, comp))
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	return 0;
}

static int open_dir(gtfs_source *s, const char *path, grens_error *err)
{
	size_t plen = strlen(path);
	s->dir = malloc(plen + 1);
	if (!s->dir)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	memcpy(s->dir, path, plen + 1);
	DIR *d = opendir(path);
	if (!d) {
		grens_error_at(err, path, 0, 0, NULL);
		return grens_error_set(err, GRENS_EIO, "%s: cannot open directory: %s", path,
				       strerror(errno));
	}
	size_t cap = 0;
	int rc = 0;
	for (;;) {
		struct dirent *de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] == '.' || strlen(de->d_name) >= NAME_MAX_BYTES)
			continue;
		if (s->entry_count >= GRENS_LIMIT_ZIP_ENTRIES) {
			rc = grens_error_set(err, GRENS_ELIMIT, "%s: more than %u files", path,
					     GRENS_LIMIT_ZIP_ENTRIES);
			break;
		}
		char full[4096];
		struct stat st;
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", path, de->d_name) >= sizeof(full))
			continue;
		if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (add_entry(s, &cap, de->d_name, 0, (uint64_t)st.st_size, 0)) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			break;
		}
	}
	closedir(d);
	return rc;
}

int gtfs_source_open(gtfs_source **out, const char *path, const gtfs_source_limits *limits,
		     grens_diag *diag, grens_error *err)
{
	*out = NULL;
	gtfs_source *s = calloc(1, sizeof(*s));
	if (!s)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	s->limits = *limits;
	int rc;
	struct stat st;
	if (stat(path, &st) != 0) {
		grens_error_at(err, path, 0, 0, NULL);
		rc = grens_error_set(err, errno == ENOENT ? GRENS_ENOTFOUND : GRENS_EIO,
				     "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = open_dir(s, path, err);
	} else if (S_ISREG(st.st_mode)) {
		if (st.st_size == 0) {
			grens_error_at(err, path, 0, 0, NULL);
			rc = grens_error_set(err, GRENS_EFORMAT,
					     "%s: empty file, not a zip archive", path);
			goto fail;
		}
		s->archive_bytes = (uint64_t)st.st_size;
		rc = open_zip(s, path, diag, err);
	} else {
		grens_error_at(err, path, 0, 0, NULL);
		rc = grens_error_set(err, GRENS_EFORMAT, "%s: neither a zip file nor a directory",
				     path);
	}
	if (rc)
		goto fail;
	*out = s;
	return 0;
fail:
	gtfs_source_close(s);
	return rc;
}

int gtfs_source_open_files(gtfs_source **out, const gtfs_memory_file *files, size_t count,
			   const gtfs_source_limits *limits, grens_error *err)
{
	*out = NULL;
	gtfs_source *s = calloc(1, sizeof(*s));
	if (!s)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	s->limits = *limits;
	size_t cap = 0;
	for (size_t i = 0; i < count; i++) {
		if (strlen(files[i].name) >= NAME_MAX_BYTES ||
		    add_entry(s, &cap, files[i].name, 0, files[i].size, 0)) {
			gtfs_source_close(s);
			return grens_error_set(err, GRENS_ENOMEM, "cannot add %s", files[i].name);
		}
		s->entries[s->entry_count - 1].bytes = files[i].bytes;
	}
	*out = s;
	return 0;
}

int gtfs_source_open_zip_buffer(gtfs_source **out, const void *bytes, size_t size,
				const gtfs_source_limits *limits, grens_diag *diag,
				grens_error *err)
{
	*out = NULL;
	gtfs_source *s = calloc(1, sizeof(*s));
	if (!s)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	s->limits = *limits;
	s->archive_bytes = size;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *zs = zip_source_buffer_create(bytes, size, 0, &ze);
	int rc = 0;
	if (zs)
		s->zip = zip_open_from_source(zs, ZIP_RDONLY, &ze);
	if (!s->zip) {
		rc = grens_error_set(err, GRENS_EFORMAT, "not a readable zip archive (%s)",
				     zip_error_strerror(&ze));
		zip_source_free(zs);
	} else {
		rc = list_zip(s, "(memory)", diag, err);
	}
	zip_error_fini(&ze);
	if (rc) {
		gtfs_source_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

void gtfs_source_close(gtfs_source *s)
{
	if (!s)
		return;
	if (s->zip)
		zip_discard(s->zip);
	free(s->dir);
	free(s->entries);
	free(s);
}

static const source_entry *find_entry(const gtfs_source *s, const char *name)
{
	for (size_t i = 0; i < s->entry_count; i++)
		if (strcmp(s->entries[i].name, name) == 0)
			return &s->entries[i];
	return NULL;
}

bool gtfs_source_has(const gtfs_source *s, const char *name, uint64_t *size)
{
	const source_entry *e = find_entry(s, name);
	if (size)
		*size = e ? e->size : 0;
	return e != NULL;
}

size_t gtfs_source_name_count(const gtfs_source *s)
{
	return s->entry_count;
}

const char *gtfs_source_name(const gtfs_source *s, size_t i)
{
	return i < s->entry_count ? s->entries[i].name : NULL;
}

int gtfs_member_open(gtfs_member **out, gtfs_source *s, const char *name, grens_error *err)
{
	*out = NULL;
	const source_entry *e = find_entry(s, name);
	if (!e) {
		grens_error_at(err, name, 0, 0, NULL);
		return grens_error_set(err, GRENS_ENOTFOUND, "%s: not in the feed", name);
	}
	if (e->size > s->limits.max_member_bytes) {
		grens_error_at(err, name, 0, 0, NULL);
		return grens_error_set(err, GRENS_ELIMIT,
				       "%s: %llu bytes uncompressed, over the limit of %llu", name,
				       (unsigned long long)e->size,
				       (unsigned long long)s->limits.max_member_bytes);
	}
	gtfs_member *m = calloc(1, sizeof(*m));
	if (!m)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	m->src = s;
	/* The header's compressed size may lie to pass the ratio check; no
	 * member holds more bytes than the whole archive. */
	m->comp_size = e->comp_size;
	if (s->archive_bytes && m->comp_size > s->archive_bytes)
		m->comp_size = s->archive_bytes;
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (e->bytes) {
		m->bytes = e->bytes;
		m->size = e->size;
	} else if (s->zip) {
		m->zf = zip_fopen_index(s->zip, e->zindex, 0);
		if (!m->zf) {
			grens_error_at(err, name, 0, 0, NULL);
			grens_error_set(err, GRENS_EIO, "%s: cannot open zip member: %s", name,
					zip_strerror(s->zip));
			free(m);
			return GRENS_EIO;
		}
	} else {
		char full[4096];
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", s->dir, name) >= sizeof(full)) {
			free(m);
			return grens_error_set(err, GRENS_ELIMIT, "path too long");
		}
		m->fp = fopen(full, "rb");
		if (!m->fp) {
			grens_error_at(err, name, 0, 0, NULL);
			grens_error_set(err, GRENS_EIO, "%s: %s", full, strerror(errno));
			free(m);
			return GRENS_EIO;
		}
	}
	*out = m;
	return 0;
}

int64_t gtfs_member_read(gtfs_member *m, char *buf, size_t n, grens_error *err)
{
	int64_t got;
	if (m->bytes) {
		size_t left = m->size - m->pos;
		got = (int64_t)(n < left ? n : left);
		memcpy(buf, m->bytes + m->pos, (size_t)got);
		m->pos += (size_t)got;
	} else if (m->zf) {
		zip_int64_t r = zip_fread(m->zf, buf, n);
		if (r < 0) {
			grens_error_at(err, m->name, 0, 0, NULL);
			return grens_error_set(err, GRENS_EIO, "%s: zip read error: %s", m->name,
					       zip_error_strerror(zip_file_get_error(m->zf)));
		}
		got = r;
	} else {
		size_t r = fread(buf, 1, n, m->fp);
		if (r < n && ferror(m->fp)) {
			grens_error_at(err, m->name, 0, 0, NULL);
			return grens_error_set(err, GRENS_EIO, "%s: read error", m->name);
		}
		got = (int64_t)r;
	}
	m->read += (uint64_t)got;
	m->src->total_read += (uint64_t)got;
	const gtfs_source_limits *l = &m->src->limits;
	if (m->read > l->max_member_bytes) {
		grens_error_at(err, m->name, 0, 0, NULL);
		return grens_error_set(err, GRENS_ELIMIT,
				       "%s: more than %llu bytes uncompressed (member limit)",
				       m->name, (unsigned long long)l->max_member_bytes);
	}
	if (m->src->total_read > l->max_total_bytes) {
		grens_error_at(err, m->name, 0, 0, NULL);
		return grens_error_set(err, GRENS_ELIMIT,
				       "%s: feed has more than %llu bytes uncompressed (total limit)",
				       m->name, (unsigned long long)l->max_total_bytes);
	}
	if (m->zf && l->max_ratio && m->read > RATIO_FLOOR_BYTES &&
	    m->read / l->max_ratio > m->comp_size) {
		grens_error_at(err, m->name, 0, 0, NULL);
		return grens_error_set(err, GRENS_ELIMIT,
				       "%s: compression ratio over %u: %llu bytes inflated from %llu "
				       "compressed, refused (zip bomb guard)",
				       m->name, l->max_ratio, (unsigned long long)m->read,
				       (unsigned long long)m->comp_size);
	}
	return got;
}

void gtfs_member_close(gtfs_member *m)
{
	if (!m)
		return;
	if (m->zf)
		zip_fclose(m->zf);
	if (m->fp)
		fclose(m->fp);
	free(m);
}
