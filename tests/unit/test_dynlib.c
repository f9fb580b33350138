/* dynlib: libcurl, libxml2 and libsystemd are loaded at first use, not
 * linked. What a person sees when one is missing or too old is a message
 * naming the library and the package to install, never a crash; and a
 * process that has not needed them has not mapped them. */
#include "testutil.h"
#include <stddef.h>
#include <sys/types.h>
#include "agent/curl_api.h"
#include "agent/sdbus_api.h"
#include "common/dynlib.h"
#include "platform/xml_api.h"

/* A table as the real ones are: typed pointers, from libc. */
struct libc_api {
	__typeof__(strlen) *strlen_;
	__typeof__(getpid) *getpid_;
	__typeof__(snprintf) *snprintf_;	/* variadic, as curl_easy_setopt */
};

static const struct dynlib_sym libc_syms[] = {
	{ "strlen", offsetof(struct libc_api, strlen_) },
	{ "getpid", offsetof(struct libc_api, getpid_) },
	{ "snprintf", offsetof(struct libc_api, snprintf_) },
};

/* A libc that lacks the last symbol: a library older than mamori needs. */
static const struct dynlib_sym old_syms[] = {
	{ "strlen", offsetof(struct libc_api, strlen_) },
	{ "mamori_no_such_function", offsetof(struct libc_api, getpid_) },
};

static int
table_is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

/* Whether this process has mapped a file whose name holds soname. */
static int
mapped(const char *soname)
{
	char line[4096];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, soname) != NULL;
	fclose(f);
	return found;
}

/* Runs first: the test program links none of the three, like mamori. */
static void
test_nothing_mapped_before_first_use(void **state)
{
	(void)state;
	assert_false(mapped(CURL_API_SONAME));
	assert_false(mapped(XML_API_SONAME));
	assert_false(mapped(SDBUS_API_SONAME));
}

static void
test_missing_library_is_an_error_with_the_package(void **state)
{
	struct libc_api t;
	struct dynlib l = { "libmamori-absent.so.7", "mamori-absent7", libc_syms, 3, &t,
	    sizeof(t), NULL };
	struct mm_err e;

	(void)state;
	memset(&t, 0, sizeof(t));
	err_clear(&e);
	assert_int_equal(dynlib_load(&l, &e), -1);
	assert_string_equal(e.reason, "library_missing");
	assert_non_null(strstr(e.msg, "libmamori-absent.so.7 could not be loaded: "));
	assert_non_null(strstr(e.msg, "(install mamori-absent7)"));
	assert_false(dynlib_loaded(&l));
	assert_true(table_is_zero(&t, sizeof(t)));
}

static void
test_missing_symbol_names_it_and_loads_nothing(void **state)
{
	struct libc_api t;
	struct dynlib l = { "libc.so.6", "libc6", old_syms, 2, &t, sizeof(t), NULL };
	struct mm_err e;

	(void)state;
	memset(&t, 0, sizeof(t));
	err_clear(&e);
	assert_int_equal(dynlib_load(&l, &e), -1);
	assert_string_equal(e.reason, "library_missing");
	assert_non_null(strstr(e.msg, "libc.so.6 could not be loaded: it has no "
	    "mamori_no_such_function"));
	assert_non_null(strstr(e.msg, "install a newer libc6"));
	assert_false(dynlib_loaded(&l));
	/* strlen was found before the missing one: no half-filled table
	 * is left for a caller to trip on. */
	assert_true(table_is_zero(&t, sizeof(t)));
}

static void
test_loaded_table_calls_through_typed_pointers(void **state)
{
	struct libc_api t;
	struct dynlib l = { "libc.so.6", "libc6", libc_syms, 3, &t, sizeof(t), NULL };
	struct mm_err e;
	char buf[32];
	void *h;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(dynlib_load(&l, &e), 0);
	assert_true(dynlib_loaded(&l));
	assert_int_equal(t.strlen_("mamori"), 6);
	assert_int_equal(t.getpid_(), getpid());
	assert_int_equal(t.snprintf_(buf, sizeof(buf), "%s %d", "ok", 16), 5);
	assert_string_equal(buf, "ok 16");
	/* Once: a second call keeps the same handle. */
	h = l.handle;
	assert_int_equal(dynlib_load(&l, &e), 0);
	assert_ptr_equal(l.handle, h);
}

/* A daemon that found the library missing finds it once it is installed. */
static void
test_failure_does_not_stick(void **state)
{
	struct libc_api t;
	struct dynlib l = { "libmamori-absent.so.7", "libc6", libc_syms, 3, &t, sizeof(t),
	    NULL };
	struct mm_err e;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(dynlib_load(&l, &e), -1);
	l.soname = "libc.so.6";	/* "installed" */
	assert_int_equal(dynlib_load(&l, &e), 0);
	assert_int_equal(t.strlen_("x"), 1);
}

/* The three real tables resolve every symbol they list on this system
 * (the build's packages are those the .deb depends on). */
static void
test_real_tables_load(void **state)
{
	const struct curl_api *cu;
	const struct xml_api *xml;
	const struct sdbus_api *sd;
	struct mm_err e;

	(void)state;
	err_clear(&e);
	cu = curl_api_load(&e);
	assert_non_null(cu);
	assert_string_equal(cu->easy_strerror(CURLE_OK), "No error");
	assert_ptr_equal(curl_api_load(&e), cu);
	xml = xml_api_load(&e);
	assert_non_null(xml);
	assert_non_null(*xml->Free);	/* the variable's value: libxml2's free */
	assert_non_null(xml->GenericError());
	sd = sdbus_api_load(&e);
	assert_non_null(sd);
	assert_true(mapped(CURL_API_SONAME));
	assert_true(mapped(XML_API_SONAME));
	assert_true(mapped(SDBUS_API_SONAME));
}

/* A variadic call through the table: curl_easy_setopt's pointer keeps
 * its "..." so a long, a pointer and a function reach libcurl intact. */
static void
test_curl_variadic_setopt(void **state)
{
	const struct curl_api *cu;
	struct mm_err e;
	CURL *c;
	char *url = NULL;

	(void)state;
	assert_non_null(cu = curl_api_load(&e));
	assert_non_null(c = cu->easy_init());
	assert_int_equal(cu->easy_setopt(c, CURLOPT_URL, "http://127.0.0.1:9/x"), CURLE_OK);
	assert_int_equal(cu->easy_setopt(c, CURLOPT_TIMEOUT, 5L), CURLE_OK);
	assert_int_equal(cu->easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
	assert_non_null(url);
	assert_string_equal(url, "http://127.0.0.1:9/x");
	cu->easy_cleanup(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_mapped_before_first_use),
		cmocka_unit_test(test_missing_library_is_an_error_with_the_package),
		cmocka_unit_test(test_missing_symbol_names_it_and_loads_nothing),
		cmocka_unit_test(test_loaded_table_calls_through_typed_pointers),
		cmocka_unit_test(test_failure_does_not_stick),
		cmocka_unit_test(test_real_tables_load),
		cmocka_unit_test(test_curl_variadic_setopt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
