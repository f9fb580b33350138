/* test_crypttab: /etc/crypttab as systemd's generator and Debian's
 * cryptdisks split it — names kept, key fields never kept, lines they
 * would refuse counted apart — and read only as a regular, small file. */
#include "testutil.h"
#include "platform/crypttab.h"

static void
test_parse(void **state)
{
	static const char text[] =
	    "# <target name>\t<source device>\t\t<key file>\t<options>\n"
	    "\n"
	    "sda5_crypt UUID=0f1e2d3c-aaaa none luks,discard\n"
	    "  home\t/dev/sda6\t/etc/keys/home.key\tluks,noauto,discard\r\n"
	    "swap /dev/sda7 /dev/urandom swap,cipher=aes-xts-plain64,size=256\n"
	    "data PARTUUID=1234\n"
	    "lonely\n"
	    "too many fields here really now\n"
	    "bad/name /dev/sdb1 none luks\n"
	    "   # indented comment\n"
	    "last /dev/sdc1 none noauto";
	struct crypttab ct;
	struct mm_err e;

	(void)state;
	assert_int_equal(crypttab_parse(text, strlen(text), &ct, &e), 0);
	assert_int_equal(ct.n, 5);
	assert_int_equal(ct.malformed, 3);
	assert_false(ct.truncated);
	assert_string_equal(ct.v[0].name, "sda5_crypt");
	assert_false(ct.v[0].noauto);
	assert_string_equal(ct.v[1].name, "home");
	assert_true(ct.v[1].noauto);
	assert_string_equal(ct.v[2].name, "swap");
	assert_string_equal(ct.v[3].name, "data");
	assert_string_equal(ct.v[4].name, "last");
	assert_true(ct.v[4].noauto);
	assert_non_null(crypttab_find(&ct, "home"));
	assert_null(crypttab_find(&ct, "hom"));
	assert_null(crypttab_find(&ct, "lonely"));
	crypttab_free(&ct);

	assert_int_equal(crypttab_parse("", 0, &ct, &e), 0);
	assert_int_equal(ct.n, 0);
	crypttab_free(&ct);
	/* "noauto" only as a whole option */
	assert_int_equal(crypttab_parse("a /dev/x none luks,noautox,xnoauto", 34, &ct, &e), 0);
	assert_int_equal(ct.n, 1);
	assert_false(ct.v[0].noauto);
	crypttab_free(&ct);
}

static void
test_hostile(void **state)
{
	char name[200], *big;
	struct crypttab ct;
	struct mm_err e;
	size_t o = 0;

	(void)state;
	assert_int_equal(crypttab_parse("a /dev/x\0none", 13, &ct, &e), -1);
	assert_string_equal(e.reason, "parse_error");
	assert_int_equal(crypttab_parse("\x7f" "ELF\x01\x02", 6, &ct, &e), -1);
	/* a name device-mapper could not hold */
	memset(name, 'n', sizeof(name));
	name[sizeof(name) - 1] = '\0';
	big = malloc(300 * 32 + sizeof(name) + 16);
	assert_non_null(big);
	o += (size_t)sprintf(big, "%s /dev/x\n", name);
	for (int i = 0; i < 300; i++)
		o += (size_t)sprintf(big + o, "c%d /dev/x none luks\n", i);
	assert_int_equal(crypttab_parse(big, o, &ct, &e), 0);
	assert_int_equal(ct.malformed, 1);
	assert_int_equal(ct.n, CRYPTTAB_MAX_ENTRIES);
	assert_true(ct.truncated);
	crypttab_free(&ct);
	free(big);
}

static void
test_read(void **state)
{
	char *root = tu_mkroot(), p[4200], *big;
	struct crypttab ct;
	struct root r;
	struct mm_err e;

	(void)state;
	assert_int_equal(root_open(&r, root, 0, &e), 0);
	assert_int_equal(crypttab_read(&r, &ct, &e), FILE_ABSENT);
	assert_int_equal(ct.n, 0);
	tu_write(root, "etc/crypttab", "root_crypt /dev/sda2 none luks\n");
	assert_int_equal(crypttab_read(&r, &ct, &e), FILE_OK);
	assert_int_equal(ct.n, 1);
	crypttab_free(&ct);
	/* a link is refused, never followed */
	snprintf(p, sizeof(p), "%s/etc/crypttab", root);
	assert_int_equal(unlink(p), 0);
	tu_write(root, "etc/other", "x /dev/y\n");
	assert_int_equal(symlink("/etc/other", p), 0);
	assert_int_equal(crypttab_read(&r, &ct, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_symlink");
	assert_int_equal(unlink(p), 0);
	/* more than a crypttab ever is */
	big = malloc(CRYPTTAB_CAP + 2);
	assert_non_null(big);
	memset(big, '#', CRYPTTAB_CAP + 1);
	big[CRYPTTAB_CAP + 1] = '\0';
	tu_write(root, "etc/crypttab", big);
	free(big);
	assert_int_equal(crypttab_read(&r, &ct, &e), FILE_BAD);
	assert_string_equal(e.reason, "file_too_large");
	root_close(&r);
	tu_rmroot(root);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_read),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
