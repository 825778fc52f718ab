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

/* A test program with checks on ../shared runs as two meson tests, so that
 * skipped checks are counted as skipped: GRENS_TEST_PART=local runs only the
 * checks that need nothing but the tree, GRENS_TEST_PART=shared only those on
 * ../shared, and exits 77 (meson: skipped) with the reason when it is absent.
 * Unset (a test run by hand), both run. */
static inline int check_part_is(const char *part)
{
	const char *p = getenv("GRENS_TEST_PART");
	return !p || !*p || strcmp(p, part) == 0;
}

/* Path to ../shared (from the GRENS_SHARED environment variable set by
 * meson), or NULL when this part does not run the shared checks or ../shared
 * is absent (then with a message; in the shared part the program exits 77). */
static inline const char *check_shared_dir(void)
{
	if (!check_part_is("shared"))
		return NULL;
	const char *s = getenv("GRENS_SHARED");
	char probe[4096];
	FILE *f = NULL;
	if (s) {
		snprintf(probe, sizeof(probe), "%s/DESIGN.md", s);
		f = fopen(probe, "r");
	}
	if (!f) {
		fprintf(stderr, "SKIP: %s is absent; tests on the shared real feeds are skipped\n",
			s ? s : "../shared (GRENS_SHARED not set)");
		if (getenv("GRENS_TEST_PART"))
			exit(77);
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
