/* The one spelling stop names are compared in, by the linker (same name
 * within a radius) and by lookups of what a user typed. */
#include <string.h>

#include "net_internal.h"

/* Folded names longer than this are cut: both sides of a comparison are cut
 * alike, and no real stop name comes near it. */
#define NAME_FOLD_MAX 512

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* oe, ue, ae written for ö, ü, ä: at the start of a word or after a
 * consonant other than q ("koeln", "duesseldorf", "aerzen"), but not after
 * a vowel ("neuenahr", "aue") or in "que". */
static int umlaut_digraph(char prev, char c, char next)
{
	if ((c != 'o' && c != 'u' && c != 'a') || next != 'e')
		return 0;
	if (prev == '\0' || prev == ' ')
		return 1;
	return prev >= 'a' && prev <= 'z' && !is_vowel(prev) && prev != 'q';
}

/* Station words with one spelling: "Aachen Hauptbahnhof" is "Aachen Hbf",
 * "Amsterdam Centraal" is "Amsterdam C.". */
static const char *const word_from[] = {"hauptbahnhof", "centraal", "central", "centrum",
					"zentrum",	"bahnhof",  "sankt",   "saint"};
static const char *const word_to[] = {"hbf", "c", "c", "c", "c", "bf", "st", "st"};

static size_t put(char *buf, size_t bufsz, size_t pos, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, pos++)
		if (pos + 1 < bufsz)
			buf[pos] = s[i];
	return pos;
}

size_t grens_net_name_key(const char *name, char *buf, size_t bufsz)
{
	if (!name)
		return 0; /* NULL not allowed: docs/api.md */
	char folded[NAME_FOLD_MAX];
	size_t need = grens_text_fold(name, strlen(name), folded, sizeof(folded));
	if (need >= sizeof(folded))
		folded[sizeof(folded) - 1] = '\0';
	/* Umlaut digraphs first, in place (the text only gets shorter). */
	size_t w = 0;
	char prev = '\0';
	for (size_t r = 0; folded[r]; r++) {
		char c = folded[r];
		if (umlaut_digraph(prev, c, folded[r + 1]))
			r++; /* drop the e */
		folded[w++] = c;
		prev = c;
	}
	folded[w] = '\0';
	size_t out = 0;
	for (const char *tok = folded; *tok;) {
		const char *sp = strchr(tok, ' ');
		size_t n = sp ? (size_t)(sp - tok) : strlen(tok);
		const char *word = tok;
		size_t wn = n;
		for (size_t k = 0; k < sizeof(word_from) / sizeof(word_from[0]); k++) {
			if (strlen(word_from[k]) == n && memcmp(tok, word_from[k], n) == 0) {
				word = word_to[k];
				wn = strlen(word);
				break;
			}
		}
		if (out)
			out = put(buf, bufsz, out, " ", 1);
		out = put(buf, bufsz, out, word, wn);
		tok = sp ? sp + 1 : tok + n;
	}
	if (bufsz)
		buf[out < bufsz ? out : bufsz - 1] = '\0';
	return out;
}
