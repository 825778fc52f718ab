/* Files: atomic output, directories, SHA-256, the `latest` link and the
 * previous dated run; and the coarse NL/DE outline. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report_internal.h"

int grens_report_file_open(grens_report_file *out, const char *path, grens_error *err)
{
	memset(out, 0, sizeof(*out));
	size_t len = strlen(path);
	if (len + 16 >= sizeof(out->tmp))
		return grens_error_set(err, GRENS_ELIMIT, "path too long (%zu bytes): %s", len, path);
	memcpy(out->path, path, len + 1);
	snprintf(out->tmp, sizeof(out->tmp), "%s.tmp.XXXXXX", path);
	int fd = mkstemp(out->tmp);
	if (fd < 0) {
		int e = errno;
		out->tmp[0] = '\0';
		grens_error_set(err, GRENS_EIO, "cannot create a file beside %s: %s", path,
				strerror(e));
		return GRENS_EIO;
	}
	/* mkstemp makes 0600; reports are for reading by others too. */
	(void)fchmod(fd, 0644);
	out->f = fdopen(fd, "w");
	if (!out->f) {
		close(fd);
		unlink(out->tmp);
		out->tmp[0] = '\0';
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	return 0;
}

int grens_report_file_commit(grens_report_file *file, grens_error *err)
{
	if (!file->f)
		return grens_error_set(err, GRENS_EIO, "%s: not open", file->path);
	int ok = fflush(file->f) == 0 && !ferror(file->f) && fsync(fileno(file->f)) == 0;
	int e = errno;
	ok = (fclose(file->f) == 0) && ok;
	file->f = NULL;
	if (ok && rename(file->tmp, file->path) == 0) {
		file->tmp[0] = '\0';
		return 0;
	}
	if (ok)
		e = errno;
	unlink(file->tmp);
	file->tmp[0] = '\0';
	return grens_error_set(err, GRENS_EIO, "cannot write %s: %s", file->path, strerror(e));
}

void grens_report_file_abort(grens_report_file *file)
{
	if (file->f)
		fclose(file->f);
	file->f = NULL;
	if (file->tmp[0])
		unlink(file->tmp);
	file->tmp[0] = '\0';
}

int grens_report_mkdirs(const char *dir, grens_error *err)
{
	char buf[GRENS_REPORT_PATH_BYTES];
	size_t len = strlen(dir);
	if (len == 0 || len >= sizeof(buf))
		return grens_error_set(err, GRENS_EARG, "bad directory name");
	memcpy(buf, dir, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		struct stat st;
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return grens_error_set(err, GRENS_EIO, "cannot create %s: %s", buf,
					       strerror(errno));
		if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
			return grens_error_set(err, GRENS_EIO, "%s is not a directory", buf);
		buf[i] = c;
	}
	return 0;
}

int grens_report_link_latest(const char *dir, const char *name, grens_error *err)
{
	char tmp[GRENS_REPORT_PATH_BYTES], link[GRENS_REPORT_PATH_BYTES];
	if ((size_t)snprintf(link, sizeof(link), "%s/latest", dir) >= sizeof(link) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.latest.%ld", dir, (long)getpid()) >=
		    sizeof(tmp))
		return grens_error_set(err, GRENS_ELIMIT, "path too long");
	unlink(tmp);
	if (symlink(name, tmp) != 0)
		return grens_error_set(err, GRENS_EIO, "cannot create %s: %s", tmp,
				       strerror(errno));
	if (rename(tmp, link) != 0) {
		int e = errno;
		unlink(tmp);
		return grens_error_set(err, GRENS_EIO, "cannot replace %s: %s", link, strerror(e));
	}
	return 0;
}

int grens_report_previous_run(const char *dir, grens_date date, char *name, size_t namesz,
			      grens_error *err)
{
	DIR *d = opendir(dir);
	if (!d)
		return grens_error_set(err, GRENS_EIO, "cannot read %s: %s", dir, strerror(errno));
	grens_date best = GRENS_DATE_NONE;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		grens_date day;
		if (strlen(e->d_name) != 10 || grens_date_parse_iso(e->d_name, 10, &day) != 0 ||
		    day >= date || day <= best)
			continue;
		/* A folder without the marker is half a night, not one to
		 * compare with. */
		if (!grens_report_night_complete(dir, e->d_name))
			continue;
		best = day;
	}
	closedir(d);
	if (best == GRENS_DATE_NONE)
		return grens_error_set(err, GRENS_ENOTFOUND, "no earlier run in %s", dir);
	grens_date_format_iso(best, name, namesz);
	return 0;
}

/* ---- countries ---------------------------------------------------------- */

/* The NL–DE border from the tripoint with Belgium near Vaals to the Dollart,
 * as (lon, lat), coarse but on the right side of every station near it
 * (Herzogenrath DE / Eygelshoven NL, Kaldenkirchen DE / Venlo NL). */
static const double border[][2] = {
	{ 6.021, 50.754 }, { 6.040, 50.800 }, { 6.050, 50.830 }, { 6.088, 50.866 },
	{ 6.078, 50.895 }, { 6.030, 50.930 }, { 5.980, 50.980 }, { 5.890, 51.000 },
	{ 5.870, 51.040 }, { 5.950, 51.060 }, { 6.080, 51.140 }, { 6.170, 51.250 },
	{ 6.190, 51.330 }, { 6.220, 51.370 }, { 6.100, 51.600 }, { 5.950, 51.780 },
	{ 6.170, 51.840 }, { 6.400, 51.830 }, { 6.720, 51.900 }, { 6.830, 52.070 },
	{ 7.060, 52.240 }, { 7.070, 52.640 }, { 7.210, 53.240 }, { 7.200, 53.600 },
};
/* The rest of the Netherlands, from the Dollart west and south to the
 * Belgian border back to the tripoint. */
static const double nl_rest[][2] = {
	{ 4.700, 53.600 }, { 3.300, 51.900 }, { 3.360, 51.370 }, { 3.800, 51.210 },
	{ 4.240, 51.360 }, { 4.400, 51.450 }, { 4.770, 51.500 }, { 5.040, 51.470 },
	{ 5.240, 51.300 }, { 5.480, 51.300 }, { 5.560, 51.220 }, { 5.840, 51.160 },
	{ 5.780, 51.030 }, { 5.760, 50.950 }, { 5.640, 50.840 }, { 5.690, 50.755 },
};
/* The rest of Germany, from the tripoint along Belgium and Luxembourg, the
 * south and the east very coarsely, and the coast back to the Dollart. */
static const double de_rest[][2] = {
	{ 6.150, 50.600 }, { 6.400, 50.300 }, { 6.100, 49.500 }, { 7.500, 47.500 },
	{ 15.100, 47.200 }, { 15.100, 54.500 }, { 8.500, 55.100 },
};

#define N_BORDER (sizeof(border) / sizeof(border[0]))

const double (*report_border(size_t *n))[2]
{
	*n = N_BORDER;
	return border;
}

/* Ray casting over the border followed by the rest (border reversed for
 * Germany, which lies on its other side). */
static bool inside(const double (*rest)[2], size_t nrest, bool reverse, double lon, double lat)
{
	size_t n = N_BORDER + nrest;
	bool in = false;
	for (size_t i = 0, j = n - 1; i < n; j = i++) {
		const double *a = i < N_BORDER ? border[reverse ? N_BORDER - 1 - i : i]
					       : rest[i - N_BORDER];
		const double *b = j < N_BORDER ? border[reverse ? N_BORDER - 1 - j : j]
					       : rest[j - N_BORDER];
		if ((a[1] > lat) != (b[1] > lat) &&
		    lon < (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]) + a[0])
			in = !in;
	}
	return in;
}

const char *grens_report_country(double lat, double lon)
{
	if (!isfinite(lat) || !isfinite(lon))
		return "";
	if (inside(nl_rest, sizeof(nl_rest) / sizeof(nl_rest[0]), false, lon, lat))
		return "NL";
	if (inside(de_rest, sizeof(de_rest) / sizeof(de_rest[0]), true, lon, lat))
		return "DE";
	return "";
}
