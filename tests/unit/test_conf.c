/*
 * test_conf.c: the config file, its errors and the environment overrides.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

static char path[64];

static void
write_conf(const char *text)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/fascia-test-confXXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs(text, f);
	fclose(f);
}

/* Load text as a config with stderr captured into err. */
static struct conf *
load(const char *text, char *err, size_t errsz)
{
	struct conf *c;
	FILE *tmp;
	int saved;
	size_t n;

	write_conf(text);
	fflush(stderr);
	saved = dup(2);
	assert_non_null(tmp = tmpfile());
	dup2(fileno(tmp), 2);
	c = conf_load(path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(err, 1, errsz - 1, tmp);
	err[n] = '\0';
	fclose(tmp);
	unlink(path);
	return c;
}

static void
test_defaults_and_values(void **state)
{
	struct conf *c;
	char err[512];

	(void)state;
	c = load("; comment\n[server]\nlisten = 127.0.0.1:9000\nworkers = 3\n"
		 "[site]\nsite_title = My Blog\nbase_url = https://b.example/\n"
		 "per_page = 5\nsocket_mode = 0600\n",
	    err, sizeof(err));
	assert_non_null(c);
	assert_string_equal(c->listen, "127.0.0.1:9000");
	assert_int_equal(c->workers, 3);
	assert_int_equal(c->per_page, 5);
	assert_int_equal(c->socket_mode, 0600);
	assert_string_equal(c->site_title, "My Blog");
	assert_string_equal(c->base_url, "https://b.example"); /* no slash */
	assert_string_equal(c->timezone, "UTC");	       /* default */
	assert_int_equal(c->thread_depth, 5);
	conf_free(c);
}

static void
test_errors_name_line_and_key(void **state)
{
	struct conf *c;
	char err[512];

	(void)state;
	c = load("[server]\nworkers = 2\nwrokers = 3\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, ":3: wrokers: unknown key"));

	c = load("[site]\n\nper_page = lots\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, ":3: per_page: expected a number"));

	c = load("per_page = 0\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, ":1: per_page"));

	c = load("base_url = ftp://x\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "base_url: must start with http"));

	c = load("timezone = UTC'; DROP\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "timezone"));

	c = load("[broken\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, ":1:"));
}

static void
test_missing_file(void **state)
{
	(void)state;
	assert_null(conf_load("/nonexistent/fascia.conf"));
}

static void
test_env_override(void **state)
{
	struct conf *c;
	char err[512];

	(void)state;
	setenv("FASCIA_WORKERS", "7", 1);
	setenv("FASCIA_SITE_TITLE", "From the environment", 1);
	c = load("workers = 2\n", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(c->workers, 7);
	assert_string_equal(c->site_title, "From the environment");
	conf_free(c);

	setenv("FASCIA_WORKERS", "many", 1);
	c = load("workers = 2\n", err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, "FASCIA_WORKERS"));
	unsetenv("FASCIA_WORKERS");
	unsetenv("FASCIA_SITE_TITLE");
}

static void
test_default_path(void **state)
{
	(void)state;
	setenv("FASCIA_CONFIG", "/etc/somewhere.conf", 1);
	assert_string_equal(conf_default_path(), "/etc/somewhere.conf");
	unsetenv("FASCIA_CONFIG");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_values),
		cmocka_unit_test(test_errors_name_line_and_key),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_env_override),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
