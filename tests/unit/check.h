/* Minimal test harness: CHECK* record a failure with file:line and go on;
 * main returns check_exit(). A test that cannot run exits 77 (meson: skip). */
#ifndef GRENS_TEST_CHECK_H
#define GRENS_TEST_CHECK_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                           \
	do {                                                                                   \
		check_count++;                                                                  \
		if (!(cond)) {                                                                  \
			check_failures++;                                                       \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                               \
	} while (0)

#define CHECK_INT(a, b)                                                                       \
	do {                                                                                   \
		long long check_a_ = (long long)(a), check_b_ = (long long)(b);                \
		check_count++;                                                                  \
		if (check_a_ != check_b_) {                                                     \
			check_failures++;                                                       \
			fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__,   \
				__LINE__, #a, check_a_, #b, check_b_);                          \
		}                                                                               \
	} while (0)

#define CHECK_STR(a, b)                                                                       \
	do {                                                                                   \
		const char *check_a_ = (a), *check_b_ = (b);                                    \
		check_count++;                                                                  \
		if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {               \
			check_failures++;                                                       \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__,     \
				__LINE__, #a, check_a_ ? check_a_ : "(null)",                   \
				check_b_ ? check_b_ : "(null)");                                \
		}                                                                               \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                                 \
	do {                                                                                   \
		double check_a_ = (a), check_b_ = (b);                                          \
		check_count++;                                                                  \
		if (!(fabs(check_a_ - check_b_) <= (tol))) {                                    \
			check_failures++;                                                       \
			fprintf(stderr, "%s:%d: %s == %g, expected %g +- %g\n", __FILE__,       \
				__LINE__, #a, check_a_, check_b_, (double)(tol));               \
		}                                                                               \
	} while (0)

static inline int check_exit(void)
{
	fprintf(stderr, "%d checks, %d failed\n", check_count, check_failures);
	return check_failures ? 1 : 0;
}

/* Path to ../shared (from the GRENS_SHARED environment variable set by
 * meson), or NULL with a message when it is absent. */
static inline const char *check_shared_dir(void)
{
	const char *s = getenv("GRENS_SHARED");
	char probe[4096];
	if (!s) {
		fprintf(stderr, "SKIP: GRENS_SHARED not set\n");
		return NULL;
	}
	snprintf(probe, sizeof(probe), "%s/DESIGN.md", s);
	FILE *f = fopen(probe, "r");
	if (!f) {
		fprintf(stderr, "SKIP: %s is absent; tests on the shared real feeds are skipped\n", s);
		return NULL;
	}
	fclose(f);
	return s;
}

/* Path below the source tree (GRENS_SOURCE_ROOT), into buf. */
static inline const char *check_source_path(char *buf, size_t n, const char *rel)
{
	const char *root = getenv("GRENS_SOURCE_ROOT");
	snprintf(buf, n, "%s/%s", root ? root : ".", rel);
	return buf;
}

#endif
