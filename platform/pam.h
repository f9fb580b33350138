/* pam: a machine's PAM configuration as libpam reads and runs it.
 *
 * Three layers: pam_parse reads one /etc/pam.d file from a buffer (tests
 * and fuzzers feed it text); pam_stack_load builds one service's stack of
 * one type the way libpam's pam_handlers.c does (@include and `include`
 * spliced in place, `substack` one level deeper, files only through
 * root_read_file); pam_walk follows libpam's dispatch (pam_dispatch.c)
 * over every return code each module may give and reports where a new
 * password gets stored and which checks it passed on the way. */
#ifndef MAMORI_PAM_H
#define MAMORI_PAM_H

#include <stddef.h>
#include <stdint.h>
#include "common/err.h"
#include "platform/root.h"

enum pam_type {
	PAM_TYPE_AUTH = 0,
	PAM_TYPE_ACCOUNT,
	PAM_TYPE_PASSWORD,
	PAM_TYPE_SESSION,
	PAM_TYPE_INVALID,	/* a word libpam does not know: the rule fails when run */
};

/* libpam's return codes index a rule's actions: PAM_SUCCESS is 0,
 * PAM_INCOMPLETE 31. */
#define PAM_NRET		32
#define PAM_RET_SUCCESS		0
#define PAM_RET_SERVICE_ERR	3
#define PAM_RET_BUF_ERR		5
#define PAM_RET_PERM_DENIED	6	/* what a broken rule returns */
#define PAM_RET_MAXTRIES	11
#define PAM_RET_AUTHTOK_ERR	20
#define PAM_RET_IGNORE		25

/* Actions as libpam numbers them; a positive number jumps over that many rules. */
enum pam_action {
	PAM_ACT_IGNORE = 0,
	PAM_ACT_OK = -1,
	PAM_ACT_DONE = -2,
	PAM_ACT_BAD = -3,
	PAM_ACT_DIE = -4,
	PAM_ACT_RESET = -5,
};

enum pam_control {
	PAM_CTL_ACTIONS = 0,	/* required, requisite, …, or [value=action …] */
	PAM_CTL_INCLUDE,
	PAM_CTL_SUBSTACK,
	PAM_CTL_MISSING,	/* no control word: libpam fails the rule */
};

/* One rule of a file, as written (continuations joined, comments gone). */
struct pam_line {
	size_t lineno;		/* its first physical line */
	int at_include;		/* Debian's "@include FILE" */
	enum pam_type type;
	int silent;		/* "-type": only silences libpam's log when the module is missing */
	enum pam_control ctl;
	int actions[PAM_NRET];	/* PAM_CTL_ACTIONS: one per return code */
	int control_error;	/* [..] libpam cannot parse: every action is bad */
	char *control;		/* the control as written, brackets stripped */
	char *module;		/* module path or include target; NULL if missing */
	char **argv;
	size_t argc;
};

struct pam_file {
	struct pam_line *v;
	size_t n;
};

/* Parses one PAM service file. Binary content and a continuation that runs
 * off the end (libpam refuses the file) are parse_error with the line. */
int pam_parse(const char *buf, size_t len, struct pam_file *out, struct mm_err *e);
void pam_file_free(struct pam_file *f);

enum pam_entry_kind {
	PAM_ENTRY_MODULE = 0,
	PAM_ENTRY_SUBSTACK,	/* marks a substack: its rules follow, one level deeper */
	PAM_ENTRY_MUST_FAIL,	/* a broken rule or a missing include: runs as perm_denied */
};

/* One rule of a loaded stack, as libpam's struct handler. */
struct pam_entry {
	enum pam_entry_kind kind;
	int level;		/* substack depth */
	int actions[PAM_NRET];
	char *module;		/* libpam's name: ".../pam_unix.so" is "pam_unix"; may be NULL */
	char **argv;
	size_t argc;
	size_t file;		/* index into pam_stack.files */
	size_t lineno;
	int silent;
};

struct pam_stack {
	struct pam_entry *v;
	size_t n, cap;
	char **files;		/* every file read, the service's first */
	size_t nfiles;
};

/* Includes nest at most this deep (libpam's PAM_SUBSTACK_MAX_LEVEL); a
 * deeper nesting, or a file that includes itself directly or through
 * others, is include_loop. */
#define PAM_MAX_DEPTH	16

/* Loads the rules of one type for a service from /etc/pam.d/SERVICE (or
 * /usr/lib/pam.d/SERVICE when that is absent). FILE_ABSENT when the
 * service has no file; FILE_BAD with a reason (file_symlink,
 * file_not_regular, file_too_large, parse_error, include_loop, …) and the
 * path in the message; then no rules are kept but s->files still names
 * the files met, the bad one last (free with pam_stack_free). An include
 * whose file does not exist becomes a failing rule, as in libpam. */
enum file_status pam_stack_load(const struct root *r, const char *service,
    enum pam_type type, struct pam_stack *s, struct mm_err *e);
void pam_stack_free(struct pam_stack *s);

/* What a module does with the new password in the update pass. */
enum pam_role {
	PAM_ROLE_NEUTRAL = 0,	/* leaves it alone: pam_deny, pam_permit, keyrings */
	PAM_ROLE_PROMPTER,	/* asks for one if none is set, never judges its quality */
	PAM_ROLE_CHECKER,	/* takes or asks for one and refuses weak ones */
	PAM_ROLE_WRITER,	/* stores it: pam_unix, pam_sss, and any module not known */
};

/* The role libpam-era modules play, by name; the check may demote a
 * checker that does not enforce to a prompter. */
enum pam_role pam_role_of(const struct pam_entry *en);
/* 1 if the rule has exactly this argument. */
int pam_entry_has_arg(const struct pam_entry *en, const char *arg);
/* The value of the last "name=value" argument, or NULL. */
const char *pam_entry_arg(const struct pam_entry *en, const char *name);

/* A way a new password reaches a writer. */
struct pam_write {
	size_t writer;		/* the entry that stores it */
	uint32_t checked;	/* bit i: checker i accepted this very password */
};

#define PAM_MAX_CHECKERS 32

struct pam_walk {
	struct pam_write *w;
	size_t n;
	size_t checker[PAM_MAX_CHECKERS];	/* entry of each checker bit */
	size_t ncheckers;
};

/* Follows the stack over every return code of every module (update pass
 * of pam_chauthtok, libpam's dispatch rules: ok, done, bad, die, ignore,
 * reset, jumps, substacks), tracking the new password the way modules
 * take it (use_authtok, use_first_pass, try_first_pass, or asking anew),
 * and lists each distinct (writer, checks passed). roles has one entry per
 * stack entry. Reason stack_too_complex when the stack has more than
 * PAM_MAX_CHECKERS checkers or too many distinct states. */
int pam_walk(const struct pam_stack *s, const enum pam_role *roles,
    struct pam_walk *out, struct mm_err *e);
void pam_walk_free(struct pam_walk *w);

#endif
