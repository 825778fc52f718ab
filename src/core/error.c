#include <stdio.h>
#include <string.h>

#include "grens/core.h"
#include "grens_config.h"

void grens_error_clear(grens_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
}

int grens_error_set(grens_error *err, int code, const char *fmt, ...)
{
	if (!fmt)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	if (!err)
		return code;
	err->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void grens_error_at(grens_error *err, const char *file, uint32_t line, uint32_t column,
		    const char *field)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	err->line = line;
	err->column = column;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
}

const char *grens_strerror(int code)
{
	switch (code) {
	case GRENS_OK:
		return "ok";
	case GRENS_ENOMEM:
		return "out of memory";
	case GRENS_EIO:
		return "input/output error";
	case GRENS_EFORMAT:
		return "bad format";
	case GRENS_ELIMIT:
		return "limit exceeded";
	case GRENS_ENOTFOUND:
		return "not found";
	case GRENS_EARG:
		return "bad argument";
	case GRENS_EINVAL:
		return "NULL argument not allowed";
	default:
		return "unknown error";
	}
}

const char *grens_version(void)
{
	return GRENS_VERSION;
}
