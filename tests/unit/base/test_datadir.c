/*
 * test_datadir.c - where the shared files are found: the environment
 * variable first, then (this test runs from the build tree, not from
 * BINDIR) the source tree's folder when it holds the file asked for,
 * else the installed one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/datadir.h"

static void test_env_first(void **state)
{
	char buf[PATH_MAX];

	(void)state;
	setenv("KONTOR_TEST_DIR", "/some/where", 1);
	assert_string_equal(datadir_find("KONTOR_TEST_DIR", "forms",
					 "menu.conf", buf, sizeof buf),
			    "/some/where");
	/* Empty is not set. */
	setenv("KONTOR_TEST_DIR", "", 1);
	assert_string_equal(datadir_find("KONTOR_TEST_DIR", "forms",
					 "menu.conf", buf, sizeof buf),
			    SRCDIR "/forms");
	unsetenv("KONTOR_TEST_DIR");
}

static void test_source_tree(void **state)
{
	char buf[PATH_MAX];

	(void)state;
	unsetenv("KONTOR_TEST_DIR");
	assert_string_equal(datadir_find("KONTOR_TEST_DIR", "forms",
					 "menu.conf", buf, sizeof buf),
			    SRCDIR "/forms");
	assert_string_equal(datadir_find(NULL, "data", "parties.csv", buf,
					 sizeof buf),
			    SRCDIR "/data");
	/* The source tree lacks the file: the installed folder. */
	assert_string_equal(datadir_find(NULL, "data", "no-such-file.csv",
					 buf, sizeof buf),
			    PKGDATADIR "/data");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_first),
		cmocka_unit_test(test_source_tree),
	};

	return cmocka_run_group_tests_name("datadir", tests, NULL, NULL);
}
