/* Shared libyaml helpers: load a document with a depth limit, walk its
 * nodes, report errors with line and column. */
#include <stdlib.h>
#include <string.h>

#include "grens_yaml.h"

static int check_depth(const char *text, size_t len, const char *file, unsigned max_depth,
		       grens_error *err)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	int rc = 0;
	unsigned depth = 0;
	for (;;) {
		yaml_event_t ev;
		/* syntax errors are left to the loader, which reports them */
		if (!yaml_parser_parse(&parser, &ev))
			break;
		yaml_event_type_t type = ev.type;
		uint32_t line = (uint32_t)ev.start_mark.line + 1;
		uint32_t column = (uint32_t)ev.start_mark.column + 1;
		yaml_event_delete(&ev);
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) {
			if (++depth > max_depth) {
				rc =
				    grens_error_set(err, GRENS_ELIMIT,
						    "YAML nested deeper than %u levels", max_depth);
				grens_error_at(err, file, line, column, "");
				break;
			}
		} else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT) {
			depth--;
		} else if (type == YAML_STREAM_END_EVENT) {
			break;
		}
	}
	yaml_parser_delete(&parser);
	return rc;
}

int grens_yaml_load(grens_yaml *y, const char *text, size_t len, const char *file,
		    unsigned max_depth, grens_error *err)
{
	memset(y, 0, sizeof(*y));
	y->file = file;
	int rc = check_depth(text, len, file, max_depth, err);
	if (rc)
		return rc;
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		if (parser.error == YAML_MEMORY_ERROR) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		} else {
			rc = grens_error_set(err, GRENS_EFORMAT, "YAML: %s%s%s",
					     parser.problem ? parser.problem : "syntax error",
					     parser.context ? " " : "",
					     parser.context ? parser.context : "");
			grens_error_at(err, file, (uint32_t)parser.problem_mark.line + 1,
				       (uint32_t)parser.problem_mark.column + 1, "");
		}
		yaml_parser_delete(&parser);
		return rc;
	}
	y->loaded = true;
	yaml_parser_delete(&parser);
	return 0;
}

void grens_yaml_free(grens_yaml *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
}

yaml_node_t *grens_yaml_root(grens_yaml *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

yaml_node_t *grens_yaml_node(grens_yaml *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

uint32_t grens_yaml_line(const yaml_node_t *node)
{
	return (uint32_t)node->start_mark.line + 1;
}

uint32_t grens_yaml_column(const yaml_node_t *node)
{
	return (uint32_t)node->start_mark.column + 1;
}

int grens_yaml_failv(grens_error *err, int code, const char *file, uint32_t line, uint32_t column,
		     const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	char msg[sizeof(err->message)];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	const char *text = msg;
	size_t fl = field ? strlen(field) : 0;
	if (fl && strncmp(msg, field, fl) == 0 && msg[fl] == ':' && msg[fl + 1] == ' ')
		text = msg + fl + 2;
	grens_error_set(err, code, "%s", text);
	grens_error_at(err, file, line, column, field);
	return code;
}

int grens_yaml_fail(const grens_yaml *y, grens_error *err, int code, const yaml_node_t *at,
		    const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	grens_yaml_failv(err, code, y->file, at ? grens_yaml_line(at) : 0,
			 at ? grens_yaml_column(at) : 0, field, fmt, ap);
	va_end(ap);
	return code;
}

static const char *type_name(const yaml_node_t *node)
{
	return node->type == YAML_MAPPING_NODE ? "mapping" : "list";
}

int grens_yaml_text(const grens_yaml *y, const yaml_node_t *node, const char *field,
		    const char **text, size_t *len, grens_error *err)
{
	if (node->type != YAML_SCALAR_NODE)
		return grens_yaml_fail(y, err, GRENS_EFORMAT, node, field,
				       "%s: expected a single value, not a %s", field,
				       type_name(node));
	const char *v = (const char *)node->data.scalar.value;
	size_t n = node->data.scalar.length;
	if (!grens_utf8_valid(v, n))
		return grens_yaml_fail(y, err, GRENS_EFORMAT, node, field, "%s: not valid UTF-8",
				       field);
	if (memchr(v, '\0', n))
		return grens_yaml_fail(y, err, GRENS_EFORMAT, node, field,
				       "%s: contains a NUL character", field);
	*text = v;
	*len = n;
	return 0;
}

int grens_yaml_check_keys(grens_yaml *y, yaml_node_t *map, const char *what,
			  const char *const *allowed, grens_error *err)
{
	if (map->type != YAML_MAPPING_NODE)
		return grens_yaml_fail(y, err, GRENS_EFORMAT, map, what,
				       "%s: expected a mapping of key: value", what);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = grens_yaml_node(y, p->key);
		const char *key;
		size_t klen;
		int rc = grens_yaml_text(y, k, what, &key, &klen, err);
		if (rc)
			return rc;
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			char list[512] = "";
			size_t used = 0;
			for (const char *const *a = allowed; *a; a++) {
				int m = snprintf(list + used, sizeof(list) - used, "%s%s",
						 used ? ", " : "", *a);
				if (m < 0 || (size_t)m >= sizeof(list) - used)
					break;
				used += (size_t)m;
			}
			return grens_yaml_fail(y, err, GRENS_EFORMAT, k, key,
					       "%s: unknown key '%s' (known: %s)", what, key, list);
		}
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
			yaml_node_t *k2 = grens_yaml_node(y, q->key);
			if (k2->type == YAML_SCALAR_NODE &&
			    strcmp((const char *)k2->data.scalar.value, key) == 0)
				return grens_yaml_fail(y, err, GRENS_EFORMAT, k, key,
						       "%s: key '%s' given twice", what, key);
		}
	}
	return 0;
}

yaml_node_t *grens_yaml_get(grens_yaml *y, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = grens_yaml_node(y, p->key);
		if (k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return grens_yaml_node(y, p->value);
	}
	return NULL;
}

bool grens_config_is_ini(const char *file, const char *text, size_t len)
{
	size_t n = file ? strlen(file) : 0;
	if (n >= 5 && strcmp(file + n - 5, ".conf") == 0)
		return true;
	if (!text)
		return false; /* no text: nothing says INI */
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *e = eol ? eol : end;
		while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p < e && *p != '#') {
			if (*p == ';' || *p == '[')
				return true; /* an INI comment or a [section] */
			/* key = value: an '=' before any ':' */
			for (const char *q = p; q < e; q++) {
				if (*q == ':')
					return false;
				if (*q == '=')
					return true;
			}
			return false;
		}
		p = eol ? eol + 1 : end;
	}
	return false;
}

/* A character that may stand in a plain scalar we write (block context). */
static bool plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr(" _./+()=-:,?&%~@", c) != NULL;
}

static bool plain_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return false;
	char c0 = s[0];
	bool first = (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') ||
		     (c0 >= '0' && c0 <= '9') || c0 == '/' || c0 == '.' || c0 == '_';
	if (!first || s[n - 1] == ' ' || s[n - 1] == ':')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!plain_char(s[i]))
			return false;
		if (s[i] == ':' && s[i + 1] == ' ')
			return false;
		if (s[i] == ' ' && s[i + 1] == '#')
			return false;
	}
	return true;
}

void grens_yaml_write_scalar(FILE *out, const char *s)
{
	if (plain_ok(s)) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}
