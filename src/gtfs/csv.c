/* Streaming CSV reader (RFC 4180 as the GTFS reference uses it): quoted
 * fields with commas, doubled quotes and newlines; UTF-8 BOM; CRLF or LF; a
 * missing final newline. Records are parsed in place in one large buffer:
 * a record is first scanned completely (recording field offsets), and only
 * then are its fields unescaped and NUL-terminated, so a record cut by the
 * buffer end can be moved and scanned again without harm. */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "internal.h"

#define CSV_BUF_BYTES (4u << 20)
#define CSV_MIN_BUF_BYTES (64u << 10)
/* Longer records take the general scanner. */
#define FAST_RECORD_MAX_BYTES 4096u

enum {
	F_UNESCAPE = 1,    /* quoted with doubled quotes inside */
	F_SPECIAL = 2,     /* has a byte >= 0x80 or a control character */
	F_QUOTED = 4,
	F_UNTERMINATED = 8,
	F_STRAY = 16,      /* characters after the closing quote */
	F_STRAY_SPACE = 32, /* spaces after the closing quote */
};

/* 1 for bytes that end an unquoted field, 2 for bytes to look at later. */
static const unsigned char stop_class[256] = {
	[0] = 2,    [1] = 2,    [2] = 2,    [3] = 2,    [4] = 2,    [5] = 2,    [6] = 2,
	[7] = 2,    [8] = 2,    [10] = 1,   [11] = 2,   [12] = 2,   [13] = 1,   [14] = 2,
	[15] = 2,   [16] = 2,   [17] = 2,   [18] = 2,   [19] = 2,   [20] = 2,   [21] = 2,
	[22] = 2,   [23] = 2,   [24] = 2,   [25] = 2,   [26] = 2,   [27] = 2,   [28] = 2,
	[29] = 2,   [30] = 2,   [31] = 2,   [',']  = 1, [127] = 2,
#define HI16(b)                                                                                   \
	[b] = 2, [b + 1] = 2, [b + 2] = 2, [b + 3] = 2, [b + 4] = 2, [b + 5] = 2, [b + 6] = 2,    \
	[b + 7] = 2, [b + 8] = 2, [b + 9] = 2, [b + 10] = 2, [b + 11] = 2, [b + 12] = 2,          \
	[b + 13] = 2, [b + 14] = 2, [b + 15] = 2
	HI16(128),  HI16(144),  HI16(160),  HI16(176),  HI16(192),  HI16(208),  HI16(224),
	HI16(240),
#undef HI16
};

struct scan_state {
	uint32_t nf;
	uint32_t lines;
	size_t end;
	uint32_t fstart[GRENS_LIMIT_COLUMNS];
	uint32_t fend[GRENS_LIMIT_COLUMNS];
	uint8_t flags[GRENS_LIMIT_COLUMNS];
};

/* Offset from p of the first byte at or after p (and before e) that ends
 * an unquoted field or needs a closer look (stop_class not 0); e - p when
 * there is none. 16 bytes at a time where the vector unit allows. */
static inline size_t unquoted_run(const unsigned char *b, size_t p, size_t e)
{
	size_t start = p;
#ifdef __SSE2__
	const __m128i comma = _mm_set1_epi8(','), del = _mm_set1_epi8(0x7f),
		      space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t');
	while (p + 16 <= e) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + p));
		/* Signed: bytes >= 0x80 are negative, so "< 0x20" takes them too. */
		__m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, space),
					   _mm_or_si128(_mm_cmpeq_epi8(v, comma),
							_mm_cmpeq_epi8(v, del)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit) &
				~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab));
		if (mask)
			return p - start + (size_t)__builtin_ctz(mask);
		p += 16;
	}
#endif
	while (p < e && !stop_class[b[p]])
		p++;
	return p - start;
}

/* Scan one record at r->pos. Returns 1 when complete, 0 when more input is
 * needed. Offsets are relative to r->pos. */
static int scan_record(const csv_reader *r, scan_state *st)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t p = r->pos, e = r->len, base = r->pos;
	uint32_t nf = 0, lines = 0;
	for (;;) {
		size_t fs, fe;
		uint8_t fl = 0;
		if (p < e && b[p] == '"') {
			fl |= F_QUOTED;
			p++;
			fs = p;
			for (;;) {
				while (p < e && b[p] != '"') {
					if (b[p] == '\n')
						lines++;
					if (stop_class[b[p]])
						fl |= F_SPECIAL;
					p++;
				}
				if (p >= e) {
					if (!r->eof)
						return 0;
					fe = p;
					fl |= F_UNTERMINATED;
					break;
				}
				if (p + 1 >= e && !r->eof)
					return 0;
				if (p + 1 < e && b[p + 1] == '"') {
					fl |= F_UNESCAPE;
					p += 2;
					continue;
				}
				fe = p;
				p++;
				break;
			}
			while (p < e && b[p] != ',' && b[p] != '\r' && b[p] != '\n') {
				fl |= (b[p] == ' ' || b[p] == '\t') ? F_STRAY_SPACE : F_STRAY;
				p++;
			}
		} else {
			fs = p;
			for (;;) {
				p += unquoted_run(b, p, e);
				if (p < e && stop_class[b[p]] == 2) {
					fl |= F_SPECIAL;
					p++;
					continue;
				}
				break;
			}
			fe = p;
		}
		if (nf < GRENS_LIMIT_COLUMNS) {
			st->fstart[nf] = (uint32_t)(fs - base);
			st->fend[nf] = (uint32_t)(fe - base);
			st->flags[nf] = fl;
		}
		if (nf < UINT32_MAX)
			nf++;
		if (p - base > UINT32_MAX / 2)
			return 0; /* cannot happen: the buffer is far smaller */
		if (p >= e) {
			if (!r->eof)
				return 0;
			break;
		}
		if (b[p] == ',') {
			p++;
			continue;
		}
		if (b[p] == '\r') {
			p++;
			if (p >= e && !r->eof)
				return 0;
			if (p < e && b[p] == '\n')
				p++;
			lines++;
			break;
		}
		p++; /* '\n' */
		lines++;
		break;
	}
	st->nf = nf;
	st->lines = lines;
	st->end = p;
	return 1;
}

/* Replace invalid UTF-8 sequences by '?' in place; returns 1 if any was found. */
static int repair_utf8(char *s, size_t len)
{
	unsigned char *p = (unsigned char *)s;
	int bad = 0;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = (p[i] & 0xE0) == 0xC0   ? 2
			   : (p[i] & 0xF0) == 0xE0 ? 3
			   : (p[i] & 0xF8) == 0xF0 ? 4
						   : 0;
		if (n && i + n <= len && grens_utf8_valid(s + i, n)) {
			i += n;
			continue;
		}
		p[i] = '?';
		bad = 1;
		i++;
	}
	return bad;
}

static const char *field_name(const csv_reader *r, uint32_t i)
{
	return i < r->header_nf ? r->header[i] : NULL;
}

/* The first field of a scanned record holding a NUL byte, or -1. A NUL
 * would end the value early for every later C string use (an id "S0\0 06"
 * read as "S0"), so no repair gives back what the file meant. */
static int nul_field(const csv_reader *r, const scan_state *st, uint32_t nf)
{
	const char *base = r->buf + r->pos;
	for (uint32_t i = 0; i < nf; i++)
		if ((st->flags[i] & F_SPECIAL) &&
		    memchr(base + st->fstart[i], '\0', st->fend[i] - st->fstart[i]))
			return (int)i;
	return -1;
}

/* Unescape, terminate, clean and trim the fields of a scanned record.
 * Returns false, after a notice, for a record with a NUL byte. */
static bool finish_record(csv_reader *r, const scan_state *st, bool is_header)
{
	char *base = r->buf + r->pos;
	uint32_t nf = st->nf < GRENS_LIMIT_COLUMNS ? st->nf : GRENS_LIMIT_COLUMNS;
	int nul = nul_field(r, st, nf);
	if (nul >= 0) {
		grens_diag_add(r->diag, "invalid_character", GRENS_SEVERITY_ERROR, r->file, r->line,
			       is_header ? NULL : field_name(r, (uint32_t)nul),
			       is_header ? "NUL byte in column %d of the header"
					 : "NUL byte in field %d: row skipped",
			       nul + 1);
		return false;
	}
	for (uint32_t i = 0; i < nf; i++) {
		char *f = base + st->fstart[i];
		size_t len = st->fend[i] - st->fstart[i];
		uint8_t fl = st->flags[i];
		/* The usual field: plain bytes, short enough, nothing to trim. */
		if (!fl && len <= r->max_field &&
		    (len == 0 || ((unsigned char)f[0] > ' ' && (unsigned char)f[len - 1] > ' '))) {
			f[len] = '\0';
			r->field[i] = f;
			r->flen[i] = (uint32_t)len;
			continue;
		}
		const char *fname = is_header ? NULL : field_name(r, i);
		if (fl & F_UNESCAPE) {
			size_t w = 0;
			for (size_t k = 0; k < len; k++) {
				f[w++] = f[k];
				if (f[k] == '"' && k + 1 < len && f[k + 1] == '"')
					k++;
			}
			len = w;
		}
		if (fl & (F_UNTERMINATED | F_STRAY))
			grens_diag_add(r->diag, "csv_parsing_failed", GRENS_SEVERITY_ERROR, r->file,
				       r->line, fname, "%s",
				       (fl & F_UNTERMINATED) ? "quoted field not closed before the end of file"
							     : "characters after a closing quote ignored");
		if (fl & F_SPECIAL) {
			bool ctrl = false, high = false;
			for (size_t k = 0; k < len; k++) {
				unsigned char c = (unsigned char)f[k];
				if (c >= 0x80) {
					high = true;
				} else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
					   c == 0x7f) {
					f[k] = '?';
					ctrl = true;
				}
			}
			if (ctrl)
				grens_diag_add(r->diag, "invalid_character", GRENS_SEVERITY_ERROR,
					       r->file, r->line, fname,
					       "control character replaced by '?'");
			if (high && repair_utf8(f, len))
				grens_diag_add(r->diag, "invalid_utf8", GRENS_SEVERITY_ERROR, r->file,
					       r->line, fname, "invalid UTF-8 replaced by '?'");
		}
		if (len > r->max_field) {
			size_t cut = r->max_field;
			/* Do not cut a UTF-8 sequence in half. */
			while (cut > 0 && ((unsigned char)f[cut] & 0xC0) == 0x80)
				cut--;
			grens_diag_add(r->diag, "field_too_long", GRENS_SEVERITY_WARNING, r->file,
				       r->line, fname, "%zu bytes truncated to %zu", len, cut);
			len = cut;
		}
		if (fl & F_STRAY_SPACE && !(fl & F_STRAY))
			grens_diag_add(r->diag, "leading_or_trailing_whitespaces",
				       GRENS_SEVERITY_WARNING, r->file, r->line, fname,
				       "spaces after the closing quote ignored");
		if (len && (f[0] == ' ' || f[0] == '\t' || f[len - 1] == ' ' ||
			    f[len - 1] == '\t')) {
			while (len && (f[0] == ' ' || f[0] == '\t'))
				f++, len--;
			while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
				len--;
			grens_diag_add(r->diag, "leading_or_trailing_whitespaces",
				       GRENS_SEVERITY_WARNING, r->file, r->line, fname,
				       "value trimmed to \"%.*s\"", len > 40 ? 40 : (int)len, f);
		}
		f[len] = '\0';
		r->field[i] = f;
		r->flen[i] = (uint32_t)len;
	}
	r->nf = nf;
	return true;
}

/* Move the unread bytes to the front and read more. Returns 0 or an error. */
static int refill(csv_reader *r, grens_error *err)
{
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	while (!r->eof && r->len < r->cap) {
		int64_t got = gtfs_member_read(r->member, r->buf + r->len, r->cap - r->len, err);
		if (got < 0)
			return (int)got;
		if (got == 0) {
			r->eof = true;
			break;
		}
		r->len += (size_t)got;
		r->bytes_read += (uint64_t)got;
		if (r->len >= r->cap / 2)
			break;
	}
	r->buf[r->len] = '\0';
	if (r->at_start && (r->len >= 3 || r->eof)) {
		r->at_start = false;
		if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
			r->pos = 3;
	}
	return 0;
}

/* Discard a record longer than the buffer: bytes up to the end of the
 * record, following quotes so quoted newlines do not end it. */
static int skip_long_record(csv_reader *r, grens_error *err)
{
	bool in_quotes = false;
	uint32_t lines = 0;
	for (;;) {
		while (r->pos < r->len) {
			char c = r->buf[r->pos++];
			if (c == '"') {
				in_quotes = !in_quotes;
			} else if (c == '\n') {
				lines++;
				if (!in_quotes)
					goto done;
			}
		}
		if (r->eof)
			goto done;
		r->pos = r->len;
		int rc = refill(r, err);
		if (rc)
			return rc;
		if (r->eof && r->pos >= r->len)
			goto done;
	}
done:
	r->next_line += lines;
	return 0;
}

#ifdef __SSE2__
/* The usual data record, 16 bytes at a time: wholly in the buffer, ended by
 * LF or CRLF, no quotes, no control or non-ASCII bytes, no field to trim
 * or cut, not blank. Fields are split at the commas and terminated in
 * place, as finish_record would. Returns 1 when done, 0 (with nothing
 * changed) for any other record: the general scanner takes it. */
static int fast_record(csv_reader *r)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	size_t p = r->pos, e = r->len, q = p;
	uint32_t cut[GRENS_LIMIT_COLUMNS]; /* end of each field, from p */
	uint32_t nf = 0;
	const __m128i comma = _mm_set1_epi8(','), nl = _mm_set1_epi8('\n'),
		      quote = _mm_set1_epi8('"'), del = _mm_set1_epi8(0x7f),
		      space = _mm_set1_epi8(0x20), tab = _mm_set1_epi8('\t');
	size_t end, fend;
	for (;;) {
		if (q + 16 > e || q - p > FAST_RECORD_MAX_BYTES)
			return 0;
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + q));
		unsigned cm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
		unsigned lf = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		/* Signed: bytes >= 0x80 are negative, so "< 0x20" takes them too. */
		__m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, space),
					   _mm_or_si128(_mm_cmpeq_epi8(v, quote),
							_mm_cmpeq_epi8(v, del)));
		unsigned sp = (unsigned)_mm_movemask_epi8(odd) &
			      ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, tab)) & ~lf;
		if (lf) {
			unsigned at = (unsigned)__builtin_ctz(lf), below = (1u << at) - 1;
			end = q + at;
			fend = end;
			sp &= below;
			if (sp) {
				/* Only a CR right before the LF. */
				if (at == 0 || sp != 1u << (at - 1) || b[end - 1] != '\r')
					return 0;
				fend = end - 1;
			}
			cm &= below;
		} else if (sp) {
			return 0;
		}
		while (cm) {
			if (nf + 1 >= GRENS_LIMIT_COLUMNS)
				return 0;
			cut[nf++] = (uint32_t)(q + (unsigned)__builtin_ctz(cm) - p);
			cm &= cm - 1;
		}
		if (lf)
			break;
		q += 16;
	}
	cut[nf++] = (uint32_t)(fend - p);
	if (nf == 1 && fend == p)
		return 0; /* a blank line */
	uint32_t start = 0;
	for (uint32_t i = 0; i < nf; i++) {
		uint32_t len = cut[i] - start;
		const unsigned char *f = b + p + start;
		if (len > r->max_field || (len && (f[0] <= ' ' || f[len - 1] <= ' ')))
			return 0;
		start = cut[i] + 1;
	}
	char *base = r->buf + p;
	start = 0;
	for (uint32_t i = 0; i < nf; i++) {
		base[cut[i]] = '\0';
		r->field[i] = base + start;
		r->flen[i] = cut[i] - start;
		start = cut[i] + 1;
	}
	r->nf = nf;
	r->line = r->next_line++;
	r->pos = end + 1;
	return 1;
}
#endif

/* Next physical record into r->field; 1, 0 at end, 2 for a record skipped
 * with a notice, 3 for a header with a NUL byte, or an error. */
static int next_record(csv_reader *r, bool is_header, grens_error *err)
{
	scan_state *st = r->scan;
	for (;;) {
		if (r->pos >= r->len) {
			if (r->eof)
				return 0;
			int rc = refill(r, err);
			if (rc)
				return rc;
			if (r->pos >= r->len && r->eof)
				return 0;
		}
#ifdef __SSE2__
		if (!is_header && fast_record(r))
			return 1;
#endif
		if (!scan_record(r, st)) {
			if (r->pos == 0 && r->len >= r->cap) {
				r->line = r->next_line;
				grens_diag_add(r->diag, "field_too_long", GRENS_SEVERITY_ERROR, r->file,
					       r->line, NULL,
					       "record longer than %u bytes: row skipped",
					       (unsigned)r->cap);
				int rc = skip_long_record(r, err);
				if (rc)
					return rc;
				r->rows++;
				return 2;
			}
			int rc = refill(r, err);
			if (rc)
				return rc;
			continue;
		}
		r->line = r->next_line;
		r->next_line += st->lines;
		size_t reclen = st->end - r->pos;
		if (st->nf == 1 && st->fend[0] == st->fstart[0] && !(st->flags[0] & F_QUOTED)) {
			r->pos = st->end; /* blank line */
			continue;
		}
		if (reclen > GRENS_LIMIT_RECORD_BYTES) {
			grens_diag_add(r->diag, "field_too_long", GRENS_SEVERITY_ERROR, r->file,
				       r->line, NULL, "record of %zu bytes (limit %u): row skipped",
				       reclen, GRENS_LIMIT_RECORD_BYTES);
			r->pos = st->end;
			r->rows++;
			return 2;
		}
		if (st->nf > GRENS_LIMIT_COLUMNS && !is_header) {
			grens_diag_add(r->diag, "invalid_row_length", GRENS_SEVERITY_ERROR, r->file,
				       r->line, NULL, "%u fields (limit %u): row skipped", st->nf,
				       GRENS_LIMIT_COLUMNS);
			r->pos = st->end;
			r->rows++;
			return 2;
		}
		bool ok = finish_record(r, st, is_header);
		r->pos = st->end;
		if (!ok) {
			r->rows++;
			return is_header ? 3 : 2;
		}
		return 1;
	}
}

int csv_open(csv_reader *r, gtfs_source *src, const char *file, grens_diag *diag,
	     uint32_t max_field, grens_error *err)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
	r->diag = diag;
	r->max_field = max_field ? max_field : GRENS_LIMIT_FIELD_BYTES;
	r->next_line = 1;
	r->at_start = true;
	/* A small file gets a small buffer. A size from a zip header that lies
	 * only makes long records be skipped as too long; it cannot overflow. */
	uint64_t size = 0;
	gtfs_source_has(src, file, &size);
	r->cap = CSV_BUF_BYTES;
	if (size + 64 < r->cap)
		r->cap = size + 64 < CSV_MIN_BUF_BYTES ? CSV_MIN_BUF_BYTES : (size_t)size + 64;
	int rc = gtfs_member_open(&r->member, src, file, err);
	if (rc)
		return rc;
	r->buf = malloc(r->cap + 1);
	r->scan = malloc(sizeof(scan_state));
	if (!r->buf || !r->scan) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	rc = next_record(r, true, err);
	while (rc == 2)
		rc = next_record(r, true, err);
	if (rc < 0)
		goto fail;
	if (rc == 3) {
		/* Column names decide what every field means: no guessing. */
		grens_error_at(err, file, r->line, 0, NULL);
		rc = grens_error_set(err, GRENS_EFORMAT, "%s: NUL byte in the header", file);
		goto fail;
	}
	if (rc == 0) {
		grens_diag_add(diag, "empty_file", GRENS_SEVERITY_ERROR, file, 0, NULL,
			       "the file has no header row");
		grens_error_at(err, file, 0, 0, NULL);
		rc = grens_error_set(err, GRENS_EFORMAT, "%s: empty file", file);
		goto fail;
	}
	/* Keep the header names: the buffer will be reused. */
	size_t total = 0;
	for (uint32_t i = 0; i < r->nf; i++)
		total += r->flen[i] + 1;
	char *names = malloc(total ? total : 1);
	if (!names) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	size_t off = 0;
	for (uint32_t i = 0; i < r->nf; i++) {
		memcpy(names + off, r->field[i], r->flen[i] + 1);
		r->header[i] = names + off;
		off += r->flen[i] + 1;
	}
	r->header_nf = r->nf;
	return 0;
fail:
	csv_close(r);
	return rc;
}

void csv_close(csv_reader *r)
{
	if (r->header_nf)
		free((void *)r->header[0]);
	r->header_nf = 0;
	free(r->buf);
	r->buf = NULL;
	free(r->scan);
	r->scan = NULL;
	gtfs_member_close(r->member);
	r->member = NULL;
}

int csv_next(csv_reader *r, uint64_t *skipped, grens_error *err)
{
	for (;;) {
		int rc = next_record(r, false, err);
		if (rc <= 0)
			return rc;
		if (rc == 2) {
			(*skipped)++;
			continue;
		}
		r->rows++;
		if (r->nf != r->header_nf) {
			grens_diag_add(r->diag, "invalid_row_length", GRENS_SEVERITY_ERROR, r->file,
				       r->line, NULL, "%u fields, the header has %u: row skipped",
				       r->nf, r->header_nf);
			(*skipped)++;
			continue;
		}
		return 1;
	}
}

int csv_map_columns(csv_reader *r, const csv_column *cols, size_t ncols, int *idx,
		    grens_diag *diag, grens_error *err)
{
	for (size_t c = 0; c < ncols; c++)
		idx[c] = -1;
	for (uint32_t i = 0; i < r->header_nf; i++) {
		const char *h = r->header[i];
		if (!h[0]) {
			grens_diag_add(diag, "empty_column_name", GRENS_SEVERITY_ERROR, r->file, 1,
				       NULL, "column %u has no name", i + 1);
			continue;
		}
		size_t c;
		for (c = 0; c < ncols; c++)
			if (strcmp(cols[c].name, h) == 0)
				break;
		if (c == ncols) {
			grens_diag_add(diag, "unknown_column", GRENS_SEVERITY_INFO, r->file, 1, h,
				       "column ignored");
			continue;
		}
		if (idx[c] >= 0) {
			grens_diag_add(diag, "duplicate_column_name", GRENS_SEVERITY_ERROR, r->file,
				       1, h, "the first column of this name is used");
			continue;
		}
		idx[c] = (int)i;
	}
	int rc = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (cols[c].required && idx[c] < 0) {
			grens_diag_add(diag, "missing_required_column", GRENS_SEVERITY_ERROR,
				       r->file, 1, cols[c].name, "required column is missing");
			if (!rc) {
				grens_error_at(err, r->file, 1, 0, cols[c].name);
				rc = grens_error_set(err, GRENS_EFORMAT,
						     "%s: required column %s is missing", r->file,
						     cols[c].name);
			}
		}
	}
	return rc;
}
