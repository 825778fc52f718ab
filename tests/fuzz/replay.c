/* Replay a fuzz corpus without libFuzzer, and optionally mutate it.
 *   replay [--mutate N] [--seed S] PATH...
 * Each PATH is a file or a directory of files. With --mutate, every input
 * is also run N times with random, reproducible (seeded) mutations: byte
 * flips, inserted CSV-significant tokens, deleted and duplicated ranges. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static uint64_t rng_state;
static uint64_t runs; /* inputs run, mutated ones included */

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static const char *const tokens[] = {
	",", "\"", "\"\"", "\n", "\r\n", "\r", ":", "\xff", "\xc3", "\xef\xbb\xbf", "25:30:00",
	"99:99:99", "-1", "0", "1", "2", "4294967295", "20260230", "19000101", " ", "\t", "\0",
	"1e308", "nan", ",,,,,,,,", "%% stop_times.txt\n", "%% calendar_dates.txt\n",
};

static size_t mutate(uint8_t *buf, size_t len, size_t cap)
{
	int steps = 1 + (int)(rnd() % 4);
	for (int s = 0; s < steps; s++) {
		switch (rnd() % 5) {
		case 0: /* flip a byte */
			if (len)
				buf[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
			break;
		case 1: { /* insert a token */
			const char *t = tokens[rnd() % (sizeof(tokens) / sizeof(tokens[0]))];
			size_t tl = t[0] ? strlen(t) : 1, at = len ? rnd() % (len + 1) : 0;
			if (len + tl > cap)
				break;
			memmove(buf + at + tl, buf + at, len - at);
			memcpy(buf + at, t, tl);
			len += tl;
			break;
		}
		case 2: { /* delete a range */
			if (!len)
				break;
			size_t at = rnd() % len, n = 1 + rnd() % 16;
			if (n > len - at)
				n = len - at;
			memmove(buf + at, buf + at + n, len - at - n);
			len -= n;
			break;
		}
		case 3: { /* duplicate a range */
			if (!len)
				break;
			size_t at = rnd() % len, n = 1 + rnd() % 64;
			if (n > len - at)
				n = len - at;
			if (len + n > cap)
				break;
			size_t to = rnd() % (len + 1);
			memmove(buf + to + n, buf + to, len - to);
			memmove(buf + to, buf + (at >= to ? at + n : at), n);
			len += n;
			break;
		}
		default: /* set a byte to a random value */
			if (len)
				buf[rnd() % len] = (uint8_t)rnd();
			break;
		}
	}
	return len;
}

/* With FUZZ_SAVE=FILE in the environment each input is written to FILE
 * before it runs, so the one that crashes can be kept. */
static void run_one(const uint8_t *buf, size_t len)
{
	const char *save = getenv("FUZZ_SAVE");
	runs++;
	if (save) {
		FILE *fp = fopen(save, "wb");
		if (fp) {
			fwrite(buf, 1, len, fp);
			fclose(fp);
		}
	}
	LLVMFuzzerTestOneInput(buf, len);
}

static int run_file(const char *path, long mutations)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return 1;
	}
	fseek(fp, 0, SEEK_END);
	long len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	if (len < 0) {
		fclose(fp);
		return 1;
	}
	size_t cap = (size_t)len + 4096;
	uint8_t *orig = malloc((size_t)len + 1), *buf = malloc(cap);
	if (!orig || !buf || fread(orig, 1, (size_t)len, fp) != (size_t)len) {
		fclose(fp);
		free(orig);
		free(buf);
		return 1;
	}
	fclose(fp);
	run_one(orig, (size_t)len);
	for (long i = 0; i < mutations; i++) {
		memcpy(buf, orig, (size_t)len);
		size_t n = mutate(buf, (size_t)len, cap);
		run_one(buf, n);
	}
	free(orig);
	free(buf);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, long mutations, int *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path, mutations);
	}
	DIR *d = opendir(path);
	if (!d)
		return 1;
	char *names[4096];
	size_t n = 0;
	while (n < 4096) {
		struct dirent *de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		rc |= run_path(full, mutations, count);
		free(names[i]);
	}
	return rc;
}

int main(int argc, char **argv)
{
	long mutations = 0;
	rng_state = 0x9E3779B97F4A7C15ull;
	int rc = 0, count = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--mutate") == 0 && i + 1 < argc) {
			mutations = strtol(argv[++i], NULL, 10);
			continue;
		}
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			rng_state = strtoull(argv[++i], NULL, 10) | 1;
			continue;
		}
		rc |= run_path(argv[i], mutations, &count);
	}
	printf("%d inputs replayed, %llu runs with mutations\n", count, (unsigned long long)runs);
	return rc;
}
