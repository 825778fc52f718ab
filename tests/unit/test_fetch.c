/* fetch: feed list parsing (feeds.yaml and the older feeds.conf), names, status.json reading, and
 * runs that fail before or at the network (HTTP behaviour against a live server is in
 * tests/integration/test_fetch.py). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "grens/fetch.h"

static int parse(grens_fetch_config **cfg, const char *text, grens_error *err)
{
	grens_error_clear(err);
	return grens_fetch_config_parse(cfg, text, strlen(text), "t.conf", NULL, err);
}

/* Expect a parse error at line with field (field may be ""). */
static void expect_error(const char *text, uint32_t line, const char *field, const char *needle)
{
	grens_fetch_config *cfg = NULL;
	grens_error err;
	int rc = parse(&cfg, text, &err);
	CHECK(rc < 0);
	CHECK(cfg == NULL);
	CHECK_STR(err.file, "t.conf");
	CHECK_INT(err.line, line);
	CHECK_STR(err.field, field);
	if (!strstr(err.message, needle))
		fprintf(stderr, "message '%s' lacks '%s'\n", err.message, needle);
	CHECK(strstr(err.message, needle) != NULL);
}

static void test_config(void)
{
	const char *text = "\xEF\xBB\xBF# feeds\r\n"
			   "[defaults]\n"
			   "retries = 5\n"
			   "keep_versions = 2\n"
			   "\n"
			   "[nl]\n"
			   "kind = gtfs\n"
			   "url = http://gtfs.ovapi.nl/nl/gtfs-nl.zip\n"
			   "mirror = http://gtfs.openov.nl/gtfs-rt/gtfs-openov-nl.zip\n"
			   "licence = CC0 1.0\n"
			   "max_bytes = 2M\n"
			   "  ; indented comment\n"
			   "[de-rt]\n"
			   "kind=gtfs-rt\n"
			   "url = https://example.org/rt.pb#frag\n"
			   "header = Accept: application/x-protobuf\n"
			   "header_env = X-Api-Key: MY_KEY_1\n"
			   "retries = 0\n"
			   "enabled = no\n";
	grens_fetch_config *cfg = NULL;
	grens_error err;
	CHECK_INT(parse(&cfg, text, &err), 0);
	if (!cfg)
		return;
	CHECK_INT(grens_fetch_config_count(cfg), 2);
	grens_fetch_feed *nl = grens_fetch_config_find(cfg, "nl");
	grens_fetch_feed *rt = grens_fetch_config_find(cfg, "de-rt");
	CHECK(nl && rt);
	CHECK(grens_fetch_config_find(cfg, "defaults") == NULL);
	CHECK(grens_fetch_config_feed(cfg, 2) == NULL);
	if (nl && rt) {
		CHECK(grens_fetch_config_feed(cfg, 0) == nl);
		CHECK_INT(nl->kind, GRENS_FETCH_GTFS);
		CHECK_STR(nl->url, "http://gtfs.ovapi.nl/nl/gtfs-nl.zip");
		CHECK_INT(nl->mirror_count, 1);
		CHECK_STR(nl->mirrors[0], "http://gtfs.openov.nl/gtfs-rt/gtfs-openov-nl.zip");
		CHECK_STR(nl->licence, "CC0 1.0");
		/* 2M = 2 * 1024 * 1024 */
		CHECK_INT(nl->max_bytes, 2097152);
		CHECK(nl->set & GRENS_FETCH_SET_MAX_BYTES);
		/* From [defaults]. */
		CHECK_INT(nl->retries, 5);
		CHECK_INT(nl->keep_versions, 2);
		CHECK(nl->set & GRENS_FETCH_SET_RETRIES);
		CHECK(nl->enabled);
		CHECK_INT(nl->line, 6);
		CHECK_INT(rt->kind, GRENS_FETCH_GTFS_RT);
		CHECK_STR(rt->url, "https://example.org/rt.pb#frag");
		CHECK_INT(rt->retries, 0); /* its own value beats [defaults] */
		CHECK(!rt->enabled);
		CHECK_INT(rt->header_count, 2);
		CHECK_STR(rt->headers[0].name, "Accept");
		CHECK_STR(rt->headers[0].value, "application/x-protobuf");
		CHECK_STR(rt->headers[0].env, "");
		CHECK_STR(rt->headers[1].name, "X-Api-Key");
		CHECK_STR(rt->headers[1].value, ""); /* filled in by the caller */
		CHECK_STR(rt->headers[1].env, "MY_KEY_1");
		CHECK(!(rt->set & GRENS_FETCH_SET_MAX_BYTES));
	}
	grens_fetch_config_free(cfg);

	CHECK_INT(parse(&cfg, "", &err), 0);
	CHECK_INT(grens_fetch_config_count(cfg), 0);
	grens_fetch_config_free(cfg);

	expect_error("url = http://x/\n", 1, "url", "before the first");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\ncolour = red\n", 4, "colour",
		     "unknown key");
	expect_error("[a]\nkind = gtfs\n", 1, "url", "has no url");
	expect_error("[a]\nurl = http://x/\n\n[b]\n", 1, "kind", "has no kind");
	expect_error("[a]\nkind = csv\n", 2, "kind", "gtfs or gtfs-rt");
	expect_error("[a]\nkind = gtfs\nurl = ftp://x/f.zip\n", 3, "url", "http");
	expect_error("[a]\nkind = gtfs\nurl = http://x/a b\n", 3, "url", "http");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nretries = many\n", 4, "retries",
		     "not a number");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nretries = 99\n", 4, "retries",
		     "out of range 0..20");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nmax_bytes = 0\n", 4, "max_bytes",
		     "out of range");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nmax_bytes = 99999999999G\n", 4,
		     "max_bytes", "out of range");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nenabled = maybe\n", 4, "enabled",
		     "yes/no");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nheader = NoColon\n", 4, "header",
		     "Header-Name: value");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nheader_env = X-Key: 9BAD\n", 4,
		     "header_env", "ENV_VARIABLE");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\n[a]\n", 4, "", "defined twice");
	expect_error("[../x]\n", 1, "", "feed name");
	expect_error("[a\n", 1, "", "[name]");
	expect_error("[a]\njust words\n", 2, "", "key = value");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\n[defaults]\n", 4, "",
		     "before the first feed");
	expect_error("[defaults]\nurl = http://x/\n", 2, "url", "not allowed in [defaults]");
	expect_error("[a]\nkind = gtfs\nurl = http://x/\nmirror = http://1/\nmirror = http://2/\n"
		     "mirror = http://3/\nmirror = http://4/\nmirror = http://5/\n",
		     8, "mirror", "more than 4 mirrors");
}

/* Mutated feed lists (byte changes, cuts, inserted separators) never crash
 * the parser, and every rejection has a location inside the text. */
static grens_fetch_config *parse_as(const char *text, const char *file, grens_diag *diag)
{
	grens_fetch_config *cfg = NULL;
	grens_error err;
	grens_error_clear(&err);
	if (grens_fetch_config_parse(&cfg, text, strlen(text), file, diag, &err) != 0)
		fprintf(stderr, "%s:%u:%u: %s: %s\n", err.file, err.line, err.column, err.field,
			err.message);
	return cfg;
}

/* Both lists hold the same feeds, field by field (the line aside). */
static void check_same_feeds(grens_fetch_config *a, grens_fetch_config *b)
{
	CHECK_INT(grens_fetch_config_count(a), grens_fetch_config_count(b));
	for (size_t i = 0; i < grens_fetch_config_count(a) && i < grens_fetch_config_count(b);
	     i++) {
		const grens_fetch_feed *x = grens_fetch_config_feed(a, i);
		const grens_fetch_feed *y = grens_fetch_config_feed(b, i);
		CHECK_STR(x->name, y->name);
		CHECK_INT(x->kind, y->kind);
		CHECK_STR(x->url, y->url);
		CHECK_INT(x->mirror_count, y->mirror_count);
		for (unsigned m = 0; m < x->mirror_count && m < y->mirror_count; m++)
			CHECK_STR(x->mirrors[m], y->mirrors[m]);
		CHECK_STR(x->licence, y->licence);
		CHECK_STR(x->clip, y->clip);
		CHECK_INT(x->header_count, y->header_count);
		for (unsigned h = 0; h < x->header_count && h < y->header_count; h++) {
			CHECK_STR(x->headers[h].name, y->headers[h].name);
			CHECK_STR(x->headers[h].value, y->headers[h].value);
			CHECK_STR(x->headers[h].env, y->headers[h].env);
		}
		CHECK_INT(x->enabled, y->enabled);
		CHECK_INT(x->set, y->set);
		CHECK_INT(x->max_bytes, y->max_bytes);
		CHECK_INT(x->retries, y->retries);
		CHECK_INT(x->timeout_s, y->timeout_s);
		CHECK_INT(x->connect_timeout_s, y->connect_timeout_s);
		CHECK_INT(x->low_speed_time_s, y->low_speed_time_s);
		CHECK_INT(x->low_speed_bytes, y->low_speed_bytes);
		CHECK_INT(x->keep_versions, y->keep_versions);
		CHECK_INT(x->max_redirects, y->max_redirects);
		CHECK_INT(x->backoff_ms, y->backoff_ms);
	}
}

/* Every key of feeds.yaml, and the same list in the older syntax. */
static const char yaml_all[] = "# every key\n"
			       "defaults:\n"
			       "  retries: 5\n"
			       "  keep_versions: 2\n"
			       "  header: \"User-Agent-Note: test\"\n"
			       "feeds:\n"
			       "  - name: nl\n"
			       "    kind: gtfs\n"
			       "    url: http://gtfs.ovapi.nl/nl/gtfs-nl.zip\n"
			       "    mirror:\n"
			       "      - http://gtfs.openov.nl/a.zip\n"
			       "      - https://example.org/b.zip\n"
			       "    licence: \"CC0 1.0 (OVapi; see: gtfs.ovapi.nl)\"\n"
			       "    clip: 5.5,50.5,7.5,51.5\n"
			       "    max_bytes: 2M\n"
			       "    timeout: 600\n"
			       "    connect_timeout: 20\n"
			       "    low_speed_time: 30\n"
			       "    low_speed_bytes: 4K\n"
			       "    max_redirects: 3\n"
			       "    backoff_ms: 250\n"
			       "  - name: de-rt\n"
			       "    kind: gtfs-rt\n"
			       "    url: \"https://example.org/rt.pb#frag\"\n"
			       "    mirror: https://example.org/rt2.pb\n"
			       "    license: CC BY 4.0\n"
			       "    header: [\"Accept: application/x-protobuf\"]\n"
			       "    header_env: \"X-Api-Key: MY_KEY_1\"\n"
			       "    retries: 0\n"
			       "    keep_versions: 1\n"
			       "    enabled: no\n";
static const char ini_all[] = "[defaults]\n"
			      "retries = 5\n"
			      "keep_versions = 2\n"
			      "header = User-Agent-Note: test\n"
			      "[nl]\n"
			      "kind = gtfs\n"
			      "url = http://gtfs.ovapi.nl/nl/gtfs-nl.zip\n"
			      "mirror = http://gtfs.openov.nl/a.zip\n"
			      "mirror = https://example.org/b.zip\n"
			      "licence = CC0 1.0 (OVapi; see: gtfs.ovapi.nl)\n"
			      "clip = 5.5,50.5,7.5,51.5\n"
			      "max_bytes = 2M\n"
			      "timeout = 600\n"
			      "connect_timeout = 20\n"
			      "low_speed_time = 30\n"
			      "low_speed_bytes = 4K\n"
			      "max_redirects = 3\n"
			      "backoff_ms = 250\n"
			      "[de-rt]\n"
			      "kind = gtfs-rt\n"
			      "url = https://example.org/rt.pb#frag\n"
			      "mirror = https://example.org/rt2.pb\n"
			      "license = CC BY 4.0\n"
			      "header = Accept: application/x-protobuf\n"
			      "header_env = X-Api-Key: MY_KEY_1\n"
			      "retries = 0\n"
			      "keep_versions = 1\n"
			      "enabled = no\n";

static void test_config_yaml(void)
{
	grens_diag *diag = grens_diag_new();
	grens_fetch_config *y = parse_as(yaml_all, "feeds.yaml", diag);
	CHECK(y != NULL);
	CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 0);
	if (!y)
		goto done;
	CHECK_INT(grens_fetch_config_count(y), 2);
	const grens_fetch_feed *nl = grens_fetch_config_find(y, "nl");
	const grens_fetch_feed *rt = grens_fetch_config_find(y, "de-rt");
	CHECK(nl && rt);
	if (!nl || !rt)
		goto done;
	CHECK_INT(nl->line, 7); /* the line of "- name: nl" */
	CHECK_INT(nl->kind, GRENS_FETCH_GTFS);
	CHECK_INT(nl->mirror_count, 2);
	CHECK_STR(nl->mirrors[1], "https://example.org/b.zip");
	CHECK_STR(nl->licence, "CC0 1.0 (OVapi; see: gtfs.ovapi.nl)");
	CHECK_STR(nl->clip, "5.5,50.5,7.5,51.5");
	CHECK_INT(nl->max_bytes, 2 * 1024 * 1024);
	CHECK_INT(nl->retries, 5); /* from the defaults */
	CHECK_INT(nl->keep_versions, 2);
	CHECK_INT(nl->timeout_s, 600);
	CHECK_INT(nl->connect_timeout_s, 20);
	CHECK_INT(nl->low_speed_time_s, 30);
	CHECK_INT(nl->low_speed_bytes, 4096);
	CHECK_INT(nl->max_redirects, 3);
	CHECK_INT(nl->backoff_ms, 250);
	CHECK(nl->enabled);
	CHECK_INT(nl->header_count, 1);
	CHECK_STR(nl->headers[0].name, "User-Agent-Note");
	CHECK_INT(rt->kind, GRENS_FETCH_GTFS_RT);
	CHECK_STR(rt->url, "https://example.org/rt.pb#frag");
	CHECK_INT(rt->mirror_count, 1);
	CHECK_STR(rt->licence, "CC BY 4.0");
	CHECK_INT(rt->header_count, 3);
	CHECK_STR(rt->headers[1].value, "application/x-protobuf");
	CHECK_STR(rt->headers[2].env, "MY_KEY_1");
	CHECK_INT(rt->retries, 0);
	CHECK_INT(rt->keep_versions, 1);
	CHECK(!rt->enabled);

	/* The older syntax gives the same feeds, with a deprecation notice. */
	grens_fetch_config *ini = parse_as(ini_all, "feeds.conf", diag);
	CHECK(ini != NULL);
	CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 1);
	if (ini)
		check_same_feeds(y, ini);
	/* ... also without the .conf name: the first line decides */
	grens_fetch_config *sniffed = parse_as(ini_all, "list.txt", diag);
	CHECK(sniffed != NULL);
	CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 2);

	/* Written as YAML and read back, the list is the same again. */
	if (ini) {
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		grens_error err;
		CHECK_INT(grens_fetch_config_write_yaml(ini, mem, &err), 0);
		fclose(mem);
		CHECK(strstr(buf, "defaults:\n") != NULL &&
		      strstr(buf, "\n  retries: 5\n") != NULL);
		CHECK(strstr(buf, "    max_bytes: 2M\n") != NULL);
		grens_fetch_config *back = parse_as(buf, "back.yaml", diag);
		CHECK(back != NULL);
		CHECK_INT(grens_diag_count(diag, "deprecated_syntax"), 2);
		if (back)
			check_same_feeds(ini, back);
		grens_fetch_config_free(back);
		free(buf);
	}
	grens_fetch_config_free(sniffed);
	grens_fetch_config_free(ini);
done:
	grens_fetch_config_free(y);
	grens_diag_free(diag);
}

/* A YAML error at line:column with field. */
static void expect_yaml_error(const char *text, uint32_t line, uint32_t column, const char *field,
			      const char *needle)
{
	grens_fetch_config *cfg = NULL;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_fetch_config_parse(&cfg, text, strlen(text), "f.yaml", NULL, &err);
	CHECK(rc < 0);
	CHECK(cfg == NULL);
	CHECK_STR(err.file, "f.yaml");
	CHECK_INT(err.line, line);
	CHECK_INT(err.column, column);
	CHECK_STR(err.field, field);
	if (!strstr(err.message, needle))
		fprintf(stderr, "message '%s' lacks '%s'\n", err.message, needle);
	CHECK(strstr(err.message, needle) != NULL);
}

static void test_config_yaml_errors(void)
{
	const char *head = "feeds:\n  - name: a\n    kind: gtfs\n    url: http://x.org/a\n";
	char text[512];
	/* a bad value: line 5, the value's column */
	snprintf(text, sizeof(text), "%s    retries: 99\n", head);
	expect_yaml_error(text, 5, 14, "retries", "out of range 0..20");
	snprintf(text, sizeof(text), "%s    max_bytes: lots\n", head);
	expect_yaml_error(text, 5, 16, "max_bytes", "is not a number");
	snprintf(text, sizeof(text), "%s    enabled: maybe\n", head);
	expect_yaml_error(text, 5, 14, "enabled", "is not yes/no");
	snprintf(text, sizeof(text), "%s    mirror: [ftp://x.org/a]\n", head);
	expect_yaml_error(text, 5, 14, "mirror", "is not an http:// or https:// URL");
	expect_yaml_error("feeds:\n  - name: a\n    kind: bus\n    url: http://x.org/a\n", 3, 11,
			  "kind", "kind must be gtfs or gtfs-rt");
	/* an unknown key, at the key */
	snprintf(text, sizeof(text), "%s    colour: red\n", head);
	expect_yaml_error(text, 5, 5, "colour", "unknown key 'colour'");
	expect_yaml_error("feed:\n  - name: a\n", 1, 1, "feed", "unknown key 'feed'");
	/* wrong types */
	snprintf(text, sizeof(text), "%s    timeout: [1, 2]\n", head);
	expect_yaml_error(text, 5, 14, "timeout", "expected a single value, not a list");
	snprintf(text, sizeof(text), "%s    licence: {a: b}\n", head);
	expect_yaml_error(text, 5, 14, "licence", "expected a single value, not a mapping");
	expect_yaml_error("feeds:\n  name: a\n", 2, 3, "feeds", "expected a list of feeds");
	expect_yaml_error("feeds:\n  - a\n", 2, 5, "feed", "expected a mapping");
	expect_yaml_error("- a\n", 1, 1, "feed list", "expected a mapping");
	/* what a feed needs, at the feed */
	expect_yaml_error("feeds:\n  - kind: gtfs\n    url: http://x.org/a\n", 2, 5, "name",
			  "'name' is required");
	expect_yaml_error("feeds:\n  - name: a\n    kind: gtfs\n", 2, 0, "url", "has no url");
	expect_yaml_error("feeds:\n  - name: a\n    url: http://x.org/a\n", 2, 0, "kind",
			  "has no kind");
	snprintf(text, sizeof(text), "%s  - name: a\n    kind: gtfs\n    url: http://x.org/b\n",
		 head);
	expect_yaml_error(text, 5, 5, "", "defined twice");
	snprintf(text, sizeof(text), "%s    url: http://x.org/b\n", head);
	expect_yaml_error(text, 5, 5, "url", "given twice");
	expect_yaml_error("defaults:\n  url: http://x.org/a\n", 2, 3, "url", "unknown key 'url'");
	expect_yaml_error("feeds:\n  - name: defaults\n    kind: gtfs\n", 2, 11, "name",
			  "not a feed name");
	/* YAML syntax */
	expect_yaml_error("feeds:\n  - name: a\n   kind: [\n", 3, 4, "", "YAML:");
}

static void test_config_mutations(void)
{
	static const char base[] = "[defaults]\nretries = 2\n[nl]\nkind = gtfs\n"
				   "url = http://a/b.zip\nmirror = http://c/d.zip\n"
				   "header = A: b\nheader_env = K: ENV\nmax_bytes = 3M\n"
				   "[rt]\nkind = gtfs-rt\nurl = https://e/f.pb\nenabled = no\n";
	static const char alphabet[] = "[]=:#;\n\r \0aZ9.-_/";
	char buf[sizeof(base) + 8];
	uint32_t seed = 12345;
	int rejected = 0, accepted = 0, bad_location = 0;
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = sizeof(base) - 1;
		memcpy(buf, base, len);
		int edits = 1 + iter % 4;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u; /* LCG: reproducible */
			size_t pos = (seed >> 8) % len;
			char c = alphabet[(seed >> 20) % (sizeof(alphabet) - 1)];
			if ((seed >> 4) % 5 == 0)
				len = pos + 1; /* cut */
			else
				buf[pos] = c;
		}
		grens_fetch_config *cfg = NULL;
		grens_error err;
		int rc = grens_fetch_config_parse(&cfg, buf, len, "m.conf", NULL, &err);
		if (rc == 0) {
			accepted++;
			CHECK(cfg != NULL);
		} else {
			rejected++;
			/* base has 13 lines; up to 4 edits to newline make at most
			 * 17 newlines, so 18 lines at most. */
			if (cfg != NULL || strcmp(err.file, "m.conf") != 0 || err.line < 1 ||
			    err.line > 18 || !err.message[0])
				bad_location++;
		}
		grens_fetch_config_free(cfg);
	}
	CHECK(accepted > 0);
	CHECK(rejected > 0);
	CHECK_INT(bad_location, 0);
}

static void test_names(void)
{
	CHECK(grens_fetch_name_valid("nl"));
	CHECK(grens_fetch_name_valid("de-rt_2.x"));
	CHECK(!grens_fetch_name_valid(""));
	CHECK(!grens_fetch_name_valid("."));
	CHECK(!grens_fetch_name_valid(".."));
	CHECK(!grens_fetch_name_valid("a/b"));
	CHECK(!grens_fetch_name_valid("-x"));
	CHECK(!grens_fetch_name_valid("k\xc3\xb6ln"));
	char longname[80];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK(!grens_fetch_name_valid(longname));

	grens_fetch_kind k;
	CHECK_INT(grens_fetch_kind_parse("gtfs-rt", &k), 0);
	CHECK_INT(k, GRENS_FETCH_GTFS_RT);
	CHECK(grens_fetch_kind_parse("GTFS", &k) != 0);
	CHECK_STR(grens_fetch_kind_name(GRENS_FETCH_GTFS), "gtfs");
	CHECK_STR(grens_fetch_outcome_name(GRENS_FETCH_NOT_MODIFIED), "not_modified");

	grens_fetch_feed *f = malloc(sizeof(*f));
	grens_error err;
	if (!f)
		return;
	CHECK_INT(grens_fetch_feed_init(f, "x", GRENS_FETCH_GTFS, "https://e.org/f.zip", &err), 0);
	CHECK(f->enabled && f->set == 0 && f->header_count == 0);
	CHECK_INT(grens_fetch_feed_init(f, "a/b", GRENS_FETCH_GTFS, "https://e.org/", &err),
		  GRENS_EARG);
	/* A failure fills a dirty error object completely (no stale file). */
	memset(&err, 0xAB, sizeof(err));
	CHECK_INT(grens_fetch_feed_init(f, "x", GRENS_FETCH_GTFS, "file:///etc/passwd", &err),
		  GRENS_EARG);
	CHECK_STR(err.file, "");
	CHECK_INT(err.line, 0);
	CHECK(strstr(err.message, "http://") != NULL);
	memset(&err, 0xAB, sizeof(err));
	grens_fetch_config *cfg = NULL;
	CHECK_INT(grens_fetch_config_load(&cfg, "/nonexistent/feeds.conf", NULL, &err), GRENS_EIO);
	CHECK_STR(err.file, "/nonexistent/feeds.conf");
	CHECK_STR(err.field, "");
	free(f);
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	if (!fp)
		return;
	fputs(text, fp);
	fclose(fp);
}

static void test_status_read(const char *dir)
{
	char path[4096];
	grens_fetch_status st;
	grens_error err;
	snprintf(path, sizeof(path), "%s/nl", dir);
	mkdir(path, 0755);
	CHECK_INT(grens_fetch_status_read(&st, dir, "nl", &err), GRENS_ENOTFOUND);
	snprintf(path, sizeof(path), "%s/nl/status.json", dir);
	write_text(path, "{\"name\": \"nl\", \"kind\": \"gtfs\", \"etag\": \"\\\"abc\\\"\",\n"
			 " \"last_modified\": null, \"size\": 245000000, \"http_status\": 304,\n"
			 " \"consecutive_failures\": 2, \"last_error\": \"HTTP 503\",\n"
			 " \"sha256\": \""
			 "0123456789abcdef0123456789abcdef"
			 "0123456789abcdef0123456789abcdef\", \"extra\": [1]}\n");
	CHECK_INT(grens_fetch_status_read(&st, dir, "nl", &err), 0);
	CHECK_STR(st.name, "nl");
	CHECK_STR(st.etag, "\"abc\"");
	CHECK_STR(st.last_modified, "");
	CHECK_INT(st.size, 245000000);
	CHECK_INT(st.http_status, 304);
	CHECK_INT(st.consecutive_failures, 2);
	CHECK_STR(st.last_error, "HTTP 503");
	CHECK_INT(strlen(st.sha256), 64);

	write_text(path, "{\"size\": \"big\"}");
	CHECK_INT(grens_fetch_status_read(&st, dir, "nl", &err), GRENS_EFORMAT);
	CHECK_STR(err.field, "size");
	write_text(path, "{\"size\": -1}");
	CHECK_INT(grens_fetch_status_read(&st, dir, "nl", &err), GRENS_EFORMAT);
	write_text(path, "{\"name\": \"nl\",\n \"etag\": ");
	CHECK_INT(grens_fetch_status_read(&st, dir, "nl", &err), GRENS_EFORMAT);
	CHECK_INT(err.line, 2);
	write_text(path, "[1, 2]");
	CHECK_INT(grens_fetch_status_read(&st, dir, "nl", &err), GRENS_EFORMAT);
	CHECK_INT(grens_fetch_status_read(&st, dir, "../nl", &err), GRENS_EARG);
}

static int verify_calls;

static int verify_never(const char *path, grens_fetch_kind kind, void *ctx, grens_error *err)
{
	verify_calls++;
	return grens_error_set(err, GRENS_EFORMAT, "no");
}

/* A run against a closed port on 127.0.0.1: every attempt is refused at
 * connect, so the run fails after 1 + retries attempts and records it. */
static void test_run_refused(const char *dir)
{
	grens_fetch_feed *f = malloc(sizeof(*f));
	grens_fetch_options o = GRENS_FETCH_OPTIONS_INIT;
	grens_fetch_result res;
	grens_fetch_status st;
	grens_error err;
	if (!f)
		return;
	/* Port 1 (tcpmux) is not served on a test machine. */
	CHECK_INT(
	    grens_fetch_feed_init(f, "refused", GRENS_FETCH_GTFS, "http://127.0.0.1:1/f.zip", &err),
	    0);
	o.retries = 2;
	o.backoff_ms = 1;
	o.connect_timeout_s = 5;
	o.verify = verify_never;
	int rc = grens_fetch_run(f, dir, &o, &res, &err);
	CHECK_INT(rc, GRENS_EIO);
	CHECK_INT(res.outcome, GRENS_FETCH_FAILED);
	CHECK_INT(res.attempts, 3); /* 1 + retries */
	CHECK_INT(verify_calls, 0); /* nothing was downloaded */
	CHECK(strstr(err.message, "127.0.0.1:1") != NULL);
	CHECK_INT(grens_fetch_status_read(&st, dir, "refused", &err), 0);
	CHECK_STR(st.last_result, "failed");
	CHECK_INT(st.consecutive_failures, 1);
	CHECK_INT(st.attempts, 3);
	CHECK_STR(st.sha256, "");
	CHECK(st.last_attempt[0] != '\0' && st.last_success[0] == '\0');
	/* A second failed run counts on. */
	o.retries = 0;
	rc = grens_fetch_run(f, dir, &o, &res, &err);
	CHECK_INT(rc, GRENS_EIO);
	CHECK_INT(grens_fetch_status_read(&st, dir, "refused", &err), 0);
	CHECK_INT(st.consecutive_failures, 2);
	CHECK_INT(st.attempts, 1);

	/* A header whose environment variable the caller did not fill fails
	 * before any request. */
	f->header_count = 1;
	snprintf(f->headers[0].name, sizeof(f->headers[0].name), "X-Api-Key");
	snprintf(f->headers[0].env, sizeof(f->headers[0].env), "NOT_SET");
	f->headers[0].value[0] = '\0';
	rc = grens_fetch_run(f, dir, &o, &res, &err);
	CHECK_INT(rc, GRENS_EARG);
	CHECK_INT(res.attempts, 0);
	CHECK(strstr(err.message, "NOT_SET") != NULL);

	/* The cache cannot be created below a regular file. */
	char blocker[4096];
	snprintf(blocker, sizeof(blocker), "%s/blocker", dir);
	write_text(blocker, "x");
	f->header_count = 0;
	rc = grens_fetch_run(f, blocker, &o, &res, &err);
	CHECK_INT(rc, GRENS_EIO);
	CHECK(strstr(err.message, "cannot create directory") != NULL);
	free(f);
}

int main(void)
{
	char dir[] = "/tmp/grens-test-fetch-XXXXXX";
	grens_error err;
	test_config();
	test_config_yaml();
	test_config_yaml_errors();
	test_config_mutations();
	test_names();
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	CHECK_INT(grens_fetch_global_init(&err), 0);
	test_status_read(dir);
	test_run_refused(dir);
	grens_fetch_global_cleanup();
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_exit();
}
