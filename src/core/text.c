#include <stdint.h>
#include <string.h>

#include "grens/core.h"

/* Decode one UTF-8 sequence at s[0..len); returns its length (1..4) and the
 * code point, or 0 when the sequence is invalid (overlong, surrogate, > U+10FFFF). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

int grens_utf8_valid(const char *s, size_t len)
{
	if (!s && len)
		return 0; /* NULL not allowed: docs/api.md */
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n)
			return 0;
		i += n;
	}
	return 1;
}

/* Base letters for U+00C0..U+017F (Latin-1 Supplement letters and Latin
 * Extended-A); '\0' where there is no single-letter base. */
static const char latin_base[] =
	/* C0 */ "aaaaaaeceeeeiiii" /* D0 */ "dnooooo\0ouuuuyts"
	/* E0 */ "aaaaaaeceeeeiiii" /* F0 */ "dnooooo\0ouuuuyty"
	/* 100 */ "aaaaaaccccccccdd" /* 110 */ "ddeeeeeeeeeegggg"
	/* 120 */ "gggghhhhiiiiiiii" /* 130 */ "iiiijjkkklllllll"
	/* 140 */ "lllnnnnnnnnnoooo" /* 150 */ "oooorrrrrrssssss"
	/* 160 */ "sssstttttuuuuuuu" /* 170 */ "uuuuwwyyyzzzzzzs";

static size_t put(char *buf, size_t bufsz, size_t pos, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, pos++)
		if (pos + 1 < bufsz)
			buf[pos] = s[i];
	return pos;
}

size_t grens_text_fold(const char *s, size_t len, char *buf, size_t bufsz)
{
	if ((!s && len) || !buf)
		return 0; /* NULL not allowed: docs/api.md */
	const unsigned char *p = (const unsigned char *)s;
	size_t out = 0, i = 0;
	int pending_space = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = p[i] < 0x80 ? (cp = p[i], 1) : utf8_decode(p + i, len - i, &cp);
		if (!n) { /* invalid byte: treat as a separator */
			pending_space = 1;
			i++;
			continue;
		}
		char one[4];
		const char *rep = NULL;
		size_t rep_n = 0;
		if (cp < 0x80) {
			unsigned char c = (unsigned char)cp;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
				one[0] = (char)c;
				rep = one, rep_n = 1;
			}
		} else if (cp == 0xDF) {
			rep = "ss", rep_n = 2;
		} else if (cp == 0xC6 || cp == 0xE6) {
			rep = "ae", rep_n = 2;
		} else if (cp == 0x152 || cp == 0x153) {
			rep = "oe", rep_n = 2;
		} else if (cp >= 0xC0 && cp <= 0x17F && latin_base[cp - 0xC0]) {
			one[0] = latin_base[cp - 0xC0];
			rep = one, rep_n = 1;
		} else if (cp >= 0x80 && cp < 0xC0) {
			rep = NULL; /* Latin-1 punctuation and symbols: separators */
		} else {
			rep = s + i, rep_n = n; /* other scripts: kept as they are */
		}
		if (!rep) {
			pending_space = 1;
		} else {
			if (pending_space && out > 0)
				out = put(buf, bufsz, out, " ", 1);
			pending_space = 0;
			out = put(buf, bufsz, out, rep, rep_n);
		}
		i += n;
	}
	if (bufsz)
		buf[out < bufsz ? out : bufsz - 1] = '\0';
	return out;
}

/* Columns a code point takes in a terminal: 0 for combining marks and
 * zero-width characters, 2 for East Asian wide and fullwidth ones, else 1. */
static unsigned cp_width(uint32_t cp)
{
	static const uint32_t zero[][2] = {
	    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
	    {0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
	    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
	};
	static const uint32_t wide[][2] = {
	    {0x1100, 0x115F},	{0x2E80, 0x303E},   {0x3041, 0x33FF},	{0x3400, 0x4DBF},
	    {0x4E00, 0x9FFF},	{0xA000, 0xA4CF},   {0xAC00, 0xD7A3},	{0xF900, 0xFAFF},
	    {0xFE30, 0xFE4F},	{0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},	{0x1F300, 0x1F64F},
	    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
	};
	if (cp < 0x300)
		return 1;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

size_t grens_text_fit(const char *s, size_t len, size_t columns, size_t *width)
{
	if (!s && len)
		return 0; /* NULL not allowed: docs/api.md */
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;
	while (i < len && p[i]) {
		uint32_t cp = 0xFFFD;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n)
			n = 1, cp = 0xFFFD; /* an invalid byte shows as one replacement character */
		unsigned cw = cp_width(cp);
		if (w + cw > columns)
			break;
		w += cw;
		i += n;
	}
	if (width)
		*width = w;
	return i;
}

size_t grens_text_width(const char *s, size_t len)
{
	if (!s && len)
		return 0; /* NULL not allowed: docs/api.md */
	size_t w = 0;
	grens_text_fit(s, len, SIZE_MAX, &w);
	return w;
}

bool grens_list_has(const char *list, const char *name)
{
	if (!list || !name)
		return false; /* NULL: docs/api.md */
	size_t n = strlen(name);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, name, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}
