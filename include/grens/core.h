/* grens core: error type, arena allocator, GTFS time and date arithmetic,
 * geodesy, text folding, diagnostics sink and progress reporting.
 * Knows nothing about GTFS tables. */
#ifndef GRENS_CORE_H
#define GRENS_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grens/export.h"
#include "grens/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GRENS_NONE UINT32_MAX

/* Return codes: 0 or one of these negative values. */
enum {
	GRENS_OK = 0,
	GRENS_ENOMEM = -1,
	GRENS_EIO = -2,
	GRENS_EFORMAT = -3,
	GRENS_ELIMIT = -4,
	GRENS_ENOTFOUND = -5,
	GRENS_EARG = -6,
	/* a pointer argument was NULL where the API does not allow it
	 * (docs/api.md): a mistake of the calling program, not of its input */
	GRENS_EINVAL = -7,
};

/* Room for a whole path (PATH_MAX) and, in the message, a path with its
 * context: a message is never cut inside a file name. */
#define GRENS_ERROR_FILE_BYTES 4096u
#define GRENS_ERROR_MESSAGE_BYTES (GRENS_ERROR_FILE_BYTES + 1024u)

/* Details of a failure. Filled by the function that failed; the caller owns it.
 * line/column are 1-based, 0 when unknown; file/field are empty when unknown. */
typedef struct grens_error {
	int code;
	char message[GRENS_ERROR_MESSAGE_BYTES];
	char file[GRENS_ERROR_FILE_BYTES];
	uint32_t line;
	uint32_t column;
	char field[64];
} grens_error;

/* Clear an error object (code 0, empty strings). NULL is accepted. */
GRENS_EXTERN void grens_error_clear(grens_error *err);
/* Set code and a printf-style message; returns code so callers can
 * `return grens_error_set(err, GRENS_EFORMAT, "...")`. NULL err is accepted. */
GRENS_EXTERN int grens_error_set(grens_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set the location fields (file may be NULL, field may be NULL). */
GRENS_EXTERN void grens_error_at(grens_error *err, const char *file, uint32_t line, uint32_t column,
				 const char *field);
/* A short constant name for a code ("out of memory", ...). */
GRENS_EXTERN const char *grens_strerror(int code);

/* ---- arena ---------------------------------------------------------------
 * Bump allocator in chunks. Memory is returned all at once by
 * grens_arena_free. Allocation is zeroed. */
typedef struct grens_arena grens_arena;

/* Create an arena; chunk_size 0 picks a default. NULL on OOM. */
GRENS_EXTERN grens_arena *grens_arena_new(size_t chunk_size);
/* Free the arena and everything allocated in it. NULL is accepted. */
GRENS_EXTERN void grens_arena_free(grens_arena *arena);
/* Zeroed, aligned memory owned by the arena, or NULL on OOM/overflow.
 * align must be a power of two <= 64. */
GRENS_EXTERN void *grens_arena_alloc(grens_arena *arena, size_t size, size_t align);
/* n * size with overflow check, zeroed. */
GRENS_EXTERN void *grens_arena_calloc(grens_arena *arena, size_t n, size_t size, size_t align);
/* A NUL-terminated copy of s[0..len), owned by the arena. */
GRENS_EXTERN char *grens_arena_strndup(grens_arena *arena, const char *s, size_t len);
/* Total bytes obtained from malloc by the arena. */
GRENS_EXTERN size_t grens_arena_bytes(const grens_arena *arena);

/* Grow a malloc'd array so it holds at least need elements of elem bytes,
 * doubling its capacity (*cap, in elements). 0, or GRENS_ENOMEM on
 * allocation failure or size overflow (the array is then unchanged). */
GRENS_EXTERN int grens_array_reserve(void **arr, size_t *cap, size_t elem, size_t need);

/* ---- checked arithmetic ------------------------------------------------ */
static inline int grens_size_mul(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out) ? GRENS_ELIMIT : 0;
}
static inline int grens_size_add(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out) ? GRENS_ELIMIT : 0;
}

/* ---- numbers -------------------------------------------------------------
 * Strict parsers: whole string must be consumed, range-checked. Return 0 or
 * GRENS_EFORMAT (GRENS_ELIMIT when out of [min,max]). */
GRENS_EXTERN int grens_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);
GRENS_EXTERN int grens_parse_double(const char *s, size_t len, double *out);

/* ---- time of day -----------------------------------------------------------
 * GTFS times are seconds since "noon minus 12h" of the service day; they may
 * exceed 24:00:00 (e.g. 25:30:00 = 91800). */
#define GRENS_TIME_NONE INT32_MIN
/* Parse H:MM:SS or HH:MM:SS (hours 0..GRENS_LIMIT_MAX_HOURS); with
 * allow_hhmm also HH:MM. */
GRENS_EXTERN int grens_time_parse(const char *s, size_t len, int allow_hhmm, int32_t *out);
/* Format as HH:MM:SS (hours may be >= 24) into buf (>= 16 bytes). */
GRENS_EXTERN void grens_time_format(int32_t secs, char *buf, size_t bufsz);

/* ---- dates -----------------------------------------------------------------
 * A date is a day number: days since 1970-01-01 (proleptic Gregorian). */
typedef int32_t grens_date;
#define GRENS_DATE_NONE INT32_MIN
/* Parse YYYYMMDD (GTFS). */
GRENS_EXTERN int grens_date_parse_gtfs(const char *s, size_t len, grens_date *out);
/* Parse YYYY-MM-DD (command line, ISO). */
GRENS_EXTERN int grens_date_parse_iso(const char *s, size_t len, grens_date *out);
GRENS_EXTERN grens_date grens_date_from_ymd(int y, int m, int d);
GRENS_EXTERN void grens_date_to_ymd(grens_date date, int *y, int *m, int *d);
/* 0 = Monday .. 6 = Sunday. */
GRENS_EXTERN int grens_date_weekday(grens_date date);
/* "YYYY-MM-DD" into buf (>= 11 bytes). */
GRENS_EXTERN void grens_date_format_iso(grens_date date, char *buf, size_t bufsz);

/* ---- time zones ------------------------------------------------------------
 * An IANA zone read from its TZif file (RFC 8536) without touching the
 * process's TZ: the 64-bit transitions, then the POSIX rule of the footer
 * for instants after the last one (so dates after 2037 are right). */
typedef struct grens_tz grens_tz;
/* Load `zone` ("Europe/Amsterdam") from dir (NULL: /usr/share/zoneinfo).
 * GRENS_ENOTFOUND for a malformed or unknown name (names with "..", a
 * leading '/' or other characters are refused), GRENS_EFORMAT for a file that
 * is not TZif, GRENS_ELIMIT, GRENS_EIO, GRENS_ENOMEM. Free with grens_tz_free. */
GRENS_EXTERN int grens_tz_load(grens_tz **out, const char *dir, const char *zone, grens_error *err);
GRENS_EXTERN void grens_tz_free(grens_tz *tz);
/* UTC offset (seconds east) in force at POSIX time utc; tz NULL means UTC. */
GRENS_EXTERN int32_t grens_tz_offset(const grens_tz *tz, int64_t utc);
/* The offset in force at local noon of date (GTFS times count from noon - 12 h). */
GRENS_EXTERN int32_t grens_tz_noon_offset(const grens_tz *tz, grens_date date);
/* POSIX time of "noon minus 12 h" of date: where GTFS time 00:00:00 falls. */
GRENS_EXTERN int64_t grens_tz_day_start(const grens_tz *tz, grens_date date);
/* The local calendar date at POSIX time utc. */
GRENS_EXTERN grens_date grens_tz_local_date(const grens_tz *tz, int64_t utc);

/* ---- geodesy ------------------------------------------------------------- */
/* Great-circle distance in metres (haversine, mean Earth radius). */
GRENS_EXTERN double grens_geo_distance_m(double lat1, double lon1, double lat2, double lon2);
/* "NL" or "DE" for a point in the Netherlands or Germany, by a coarse outline
 * of their border (right to about a kilometre in the border region: every
 * station near it lies on its side) and very coarse outlines of the rest of
 * both countries; "" for anything else (Belgium, elsewhere, NAN). A static
 * string. */
GRENS_EXTERN const char *grens_geo_country(double lat, double lon);
/* The NL-DE border line of that outline, (lon, lat) pairs from the tripoint
 * with Belgium near Vaals to the Dollart; *n of them. Static. */
GRENS_EXTERN const double (*grens_geo_nl_de_border(size_t *n))[2];

/* ---- text ------------------------------------------------------------------ */
/* 1 if s[0..len) is valid UTF-8. */
GRENS_EXTERN int grens_utf8_valid(const char *s, size_t len);
/* Fold a UTF-8 name for matching: lower case, Latin diacritics removed
 * ("Köln Hbf" -> "koln hbf", "ß" -> "ss"), runs of space/punctuation to one
 * space, trimmed. Writes at most bufsz-1 bytes plus NUL; returns the length
 * that was needed (like snprintf). */
GRENS_EXTERN size_t grens_text_fold(const char *s, size_t len, char *buf, size_t bufsz);
/* Whether name is an entry of the comma-separated list ("nl,de"): whole
 * entries, case as given. false when either is NULL. */
GRENS_EXTERN bool grens_list_has(const char *list, const char *name);

/* Columns UTF-8 s[0..len) takes in a terminal: a column per character,
 * none for combining marks and zero-width characters, two for East Asian
 * wide ones; an invalid byte counts as one. For padding text tables. */
GRENS_EXTERN size_t grens_text_width(const char *s, size_t len);
/* The length in bytes of the longest start of s[0..len) at most columns
 * wide, never cutting a character (a combining mark stays with its base);
 * *width (when not NULL) gets its columns. Stops at a NUL. */
GRENS_EXTERN size_t grens_text_fit(const char *s, size_t len, size_t columns, size_t *width);

/* ---- configuration files -------------------------------------------------------
 * Configuration is YAML; the older INI-like syntax (feeds.conf, nightly.conf)
 * is still read. Whether a file is in the older syntax: its name (NULL
 * allowed) ends in .conf, or its first line that is neither blank nor a
 * comment is a [section], a `;` comment or key = value. */
GRENS_EXTERN bool grens_config_is_ini(const char *file, const char *text, size_t len);

/* ---- diagnostics -------------------------------------------------------------
 * A sink for data problems ("notices"): each has a code (gtfs-validator
 * names), a severity, and a location. The sink keeps a count per code with the
 * first location, plus the first GRENS_LIMIT_DIAG_KEEP notices in full. */
typedef enum {
	GRENS_SEVERITY_INFO = 0,
	GRENS_SEVERITY_WARNING = 1,
	GRENS_SEVERITY_ERROR = 2,
} grens_severity;

typedef struct grens_notice {
	const char *code; /* static string, e.g. "invalid_time" */
	grens_severity severity;
	const char *file;    /* e.g. "feeds/nl/stop_times.txt", whole; "" if none */
	uint32_t line;	     /* 1-based physical line of the row's start, 0 if none */
	char field[64];	     /* column name, empty if none */
	const char *message; /* human detail: the bad value, the reason; "" if none */
} grens_notice;
/* The strings of a notice are owned by its diag and live as long as it. */

typedef struct grens_notice_summary {
	const char *code;
	grens_severity severity;
	uint64_t count;
	grens_notice first;
} grens_notice_summary;

typedef struct grens_diag grens_diag;

GRENS_EXTERN grens_diag *grens_diag_new(void);
GRENS_EXTERN void grens_diag_free(grens_diag *diag);
/* Record a notice. Never fails (on OOM the notice is counted but not kept).
 * diag may be NULL (notice dropped). */
GRENS_EXTERN void grens_diag_add(grens_diag *diag, const char *code, grens_severity severity,
				 const char *file, uint32_t line, const char *field,
				 const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* Number of distinct codes, and the i-th summary in order of first occurrence. */
GRENS_EXTERN size_t grens_diag_summary_count(const grens_diag *diag);
GRENS_EXTERN const grens_notice_summary *grens_diag_summary(const grens_diag *diag, size_t i);
/* Notices kept in full (the first GRENS_LIMIT_DIAG_KEEP). */
GRENS_EXTERN size_t grens_diag_kept_count(const grens_diag *diag);
GRENS_EXTERN const grens_notice *grens_diag_kept(const grens_diag *diag, size_t i);
/* Totals by severity. */
GRENS_EXTERN uint64_t grens_diag_total(const grens_diag *diag, grens_severity severity);
/* Count of one code (0 if never seen). */
GRENS_EXTERN uint64_t grens_diag_count(const grens_diag *diag, const char *code);

/* ---- progress ------------------------------------------------------------------
 * Long work reports progress through a callback the caller provides; only the
 * CLI decides whether and how to print it. done/total in units of `what`;
 * total 0 when unknown. */
typedef void (*grens_progress_fn)(void *ctx, const char *what, uint64_t done, uint64_t total);
typedef struct grens_progress {
	grens_progress_fn fn;
	void *ctx;
} grens_progress;
static inline void grens_progress_report(const grens_progress *p, const char *what, uint64_t done,
					 uint64_t total)
{
	if (p && p->fn)
		p->fn(p->ctx, what, done, total);
}

/* ---- SHA-256 ---------------------------------------------------------------- */
/* 32 digest bytes as 64 lower-case hex digits and a NUL. */
GRENS_EXTERN void grens_sha256_digest_hex(const unsigned char digest[32], char hex[65]);
/* SHA-256 of len bytes as hex (hex is "" if libcrypto lacks SHA-256). */
GRENS_EXTERN void grens_sha256_hex(const void *bytes, size_t len, char hex[65]);
/* SHA-256 of a file's bytes as hex, and its size (size may be NULL).
 * GRENS_EIO when the file cannot be read, GRENS_ENOMEM. */
GRENS_EXTERN int grens_sha256_file(const char *path, char hex[65], uint64_t *size,
				   grens_error *err);

/* ---- checksum -------------------------------------------------------------- */
/* XXH64 of len bytes with a seed: fast, not cryptographic (a checksum against
 * damage, not against forgery). Byte-order independent. */
GRENS_EXTERN uint64_t grens_xxh64(const void *bytes, size_t len, uint64_t seed);

/* Version string of the library. */
GRENS_EXTERN const char *grens_version(void);

#ifdef __cplusplus
}
#endif
#endif
