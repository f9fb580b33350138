/* xfconf: XFCE channel files parsed with libxml2 and merged as xfconfd
 * merges them; see xfconf.h for what upstream does.
 *
 * Safety of the XML read: the agent runs as root over files a person
 * writes. libxml2 is given no XML_PARSE_NOENT (which would substitute
 * entities) and no DTD loading, is run with NONET, and never sees a
 * document that mentions "<!DOCTYPE" or "<!ENTITY": those are refused by a
 * byte scan first, which is exact because the bytes must be UTF-8 and
 * libxml2 is told they are (so no UTF-16 or EBCDIC spelling can hide
 * one). Errors go to a silent structured handler on the parser context
 * and the generic handler is silenced for the call, so nothing reaches
 * stderr; the message and line come from the context's last error.
 *
 * libxml2 is loaded at the first file (platform/xml_api.h): a machine
 * without XFCE never maps it. When it cannot be loaded the file cannot be
 * read: unknown, with the reason. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/utf8.h"
#include "platform/text.h"
#include "platform/xfconf.h"
#include "platform/xml_api.h"

#define XFCONF_MAX_DEPTH	64
#define XFCONF_MAX_ELEMENTS	10000
#define XFCONF_MAX_PROPS	10000
#define XFCONF_MAX_PATH		4096	/* xfconfd's MAX_PROP_PATH */

/* ---- parsing ---------------------------------------------------------- */

static void
quiet_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* The first error libxml2 meets: later ones (it recovers a little to
 * report more) only describe its consequences. */
struct first_error {
	int set;
	int line;
	char msg[200];
};

#if LIBXML_VERSION >= 21200
static void
quiet_structured(void *ctx, const xmlError *err)
#else
static void
quiet_structured(void *ctx, xmlErrorPtr err)
#endif
{
	/* The parser passes its context, whose _private is ours. */
	xmlParserCtxtPtr ctxt = ctx;
	struct first_error *fe = ctxt != NULL ? ctxt->_private : NULL;

	if (fe == NULL || fe->set || err == NULL || err->level < XML_ERR_ERROR)
		return;
	fe->set = 1;
	fe->line = err->line;
	snprintf(fe->msg, sizeof(fe->msg), "%s", err->message ? err->message : "not well-formed");
}

static size_t
line_at(const char *buf, size_t off)
{
	size_t line = 1;

	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

static int
oom(struct mm_err *e)
{
	err_set(e, "out_of_memory", "out of memory reading an XFCE settings file");
	return -1;
}

static int
add_event(struct xfconf_doc *doc, struct xfconf_event **out, struct mm_err *e)
{
	if (doc->n == doc->cap) {
		size_t nc = doc->cap ? doc->cap * 2 : 32;
		struct xfconf_event *nv = realloc(doc->v, nc * sizeof(*nv));
		if (nv == NULL)
			return oom(e);
		doc->v = nv;
		doc->cap = nc;
	}
	*out = &doc->v[doc->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* "prefix:name" as GMarkup, which knows no namespaces, would see it. */
static char *
qname(const xmlChar *prefix, const xmlChar *name)
{
	size_t pl = prefix ? strlen((const char *)prefix) : 0, nl = strlen((const char *)name);
	char *s = malloc(pl + nl + 2);

	if (s == NULL)
		return NULL;
	if (pl > 0) {
		memcpy(s, prefix, pl);
		s[pl] = ':';
		memcpy(s + pl + 1, name, nl + 1);
	} else
		memcpy(s, name, nl + 1);
	return s;
}

static int
add_attr(struct xfconf_event *ev, char *name, char *value, struct mm_err *e)
{
	struct xfconf_attr *na = realloc(ev->attrs, (ev->nattrs + 1) * sizeof(*na));

	if (na == NULL || name == NULL || value == NULL) {
		if (na != NULL)
			ev->attrs = na;
		free(name);
		free(value);
		return oom(e);
	}
	ev->attrs = na;
	ev->attrs[ev->nattrs].name = name;
	ev->attrs[ev->nattrs].value = value;
	ev->nattrs++;
	return 0;
}

static int
walk(const struct xml_api *xml, xmlNodePtr node, struct xfconf_doc *doc, size_t depth,
    size_t *elements, struct mm_err *e)
{
	for (; node != NULL; node = node->next) {
		struct xfconf_event *ev;
		size_t start;

		/* GMarkup passes comments, PIs and CDATA through and ignores
		 * text here (xfconfd sets no text handler). */
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (depth >= XFCONF_MAX_DEPTH) {
			err_set(e, "parse_error", "line %ld: elements nest deeper than %d; not an xfconf file",
			    xml->GetLineNo(node), XFCONF_MAX_DEPTH);
			return -1;
		}
		if (++*elements > XFCONF_MAX_ELEMENTS) {
			err_set(e, "parse_error", "more than %d elements; not an xfconf file",
			    XFCONF_MAX_ELEMENTS);
			return -1;
		}
		if (add_event(doc, &ev, e) == -1)
			return -1;
		start = doc->n - 1;
		ev->line = xml->GetLineNo(node);
		if ((ev->name = qname(node->ns ? node->ns->prefix : NULL, node->name)) == NULL)
			return oom(e);
		/* Namespace declarations are attributes to GMarkup. */
		for (xmlNsPtr ns = node->nsDef; ns != NULL; ns = ns->next) {
			char *v = strdup(ns->href ? (const char *)ns->href : "");
			if (add_attr(&doc->v[start], qname(ns->prefix ? (const xmlChar *)"xmlns" : NULL,
			    ns->prefix ? ns->prefix : (const xmlChar *)"xmlns"), v, e) == -1)
				return -1;
		}
		for (xmlAttrPtr a = node->properties; a != NULL; a = a->next) {
			xmlChar *v = xml->NodeGetContent((xmlNodePtr)a);
			char *vs = strdup(v ? (const char *)v : "");

			(*xml->Free)(v);
			if (add_attr(&doc->v[start], qname(a->ns ? a->ns->prefix : NULL, a->name),
			    vs, e) == -1)
				return -1;
		}
		if (walk(xml, node->children, doc, depth + 1, elements, e) == -1)
			return -1;
		if (add_event(doc, &ev, e) == -1)
			return -1;
		ev->end = 1;
		ev->line = doc->v[start].line;
	}
	return 0;
}

static const char *
find_bytes(const char *buf, size_t len, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; i + nl <= len; i++)
		if (buf[i] == needle[0] && memcmp(buf + i, needle, nl) == 0)
			return buf + i;
	return NULL;
}

int
xfconf_parse(const char *buf, size_t len, struct xfconf_doc *doc, struct mm_err *e)
{
	static const char *const refused[] = { "<!DOCTYPE", "<!ENTITY" };
	const struct xml_api *xml;
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	xmlParserCtxtPtr ctxt;
	xmlDocPtr d;
	struct first_error fe = { 0, 0, "" };
	size_t elements = 0;
	int rc = -1;

	memset(doc, 0, sizeof(*doc));
	if (!utf8_valid(buf, len)) {
		size_t pos = 0, ll, lineno = 0;
		const char *line;

		/* The first line that is not UTF-8, for the person who looks. */
		while (text_next_line(buf, len, &pos, &line, &ll)) {
			lineno++;
			if (!utf8_valid(line, ll))
				break;
		}
		err_set(e, "parse_error", "line %zu is not UTF-8 text; not an xfconf file", lineno);
		return -1;
	}
	/* libxml2 takes a NUL for the end of the text and would read no
	 * further; GMarkup refuses it. No settings file holds one. */
	{
		const char *nul = memchr(buf, '\0', len);

		if (nul != NULL) {
			err_set(e, "parse_error", "line %zu holds a NUL byte; not an xfconf file",
			    line_at(buf, (size_t)(nul - buf)));
			return -1;
		}
	}
	if (len > INT_MAX) {
		err_set(e, "parse_error", "too large for an xfconf file");
		return -1;
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const char *at = find_bytes(buf, len, refused[i]);

		if (at != NULL) {
			err_set(e, "parse_error",
			    "line %zu declares a document type or entities (%s); xfconf files never do, and mamori does not read them",
			    line_at(buf, (size_t)(at - buf)), refused[i]);
			return -1;
		}
	}

	/* Last, so that a file refused above is refused with its own reason,
	 * libxml2 or not. Without libxml2 the file cannot be read: the
	 * shared key file_unreadable, which every reader of a report has a
	 * text for, and the detail that names the package to install. */
	if ((xml = xml_api_load(e)) == NULL) {
		char why[sizeof(e->msg)];

		snprintf(why, sizeof(why), "%s", e->msg);
		err_set(e, "file_unreadable", "%s", why);
		return -1;
	}
	old_generic = *xml->GenericError();
	old_generic_ctx = *xml->GenericErrorContext();
	xml->SetGenericErrorFunc(NULL, quiet_generic);
	if ((ctxt = xml->NewParserCtxt()) == NULL) {
		oom(e);
		goto restore;
	}
	ctxt->sax->serror = quiet_structured;
	ctxt->_private = &fe;
	/* No NOENT, no DTDLOAD/DTDATTR/DTDVALID, no HUGE: entities stay
	 * unsubstituted and libxml2's own limits stay on. */
	d = xml->CtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (d == NULL) {
		const xmlError *er = xml->CtxtGetLastError(ctxt);
		size_t ml;

		if (!fe.set) {
			fe.line = er ? er->line : 0;
			snprintf(fe.msg, sizeof(fe.msg), "%s",
			    er && er->message ? er->message : "not well-formed");
		}
		ml = strlen(fe.msg);
		while (ml > 0 && (fe.msg[ml - 1] == '\n' || fe.msg[ml - 1] == ' '))
			fe.msg[--ml] = '\0';
		err_set(e, "parse_error", "line %d: not well-formed XML (%s)", fe.line, fe.msg);
		goto free_ctxt;
	}
	if (d->intSubset != NULL || d->extSubset != NULL) {
		err_set(e, "parse_error", "declares a document type; xfconf files never do");
		goto free_doc;
	}
	if (walk(xml, d->children, doc, 0, &elements, e) == -1)
		goto free_doc;
	rc = 0;
free_doc:
	xml->FreeDoc(d);
free_ctxt:
	xml->FreeParserCtxt(ctxt);
restore:
	xml->SetGenericErrorFunc(old_generic_ctx, old_generic);
	if (rc == -1)
		xfconf_doc_free(doc);
	return rc;
}

void
xfconf_doc_free(struct xfconf_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++) {
		free(doc->v[i].name);
		for (size_t j = 0; j < doc->v[i].nattrs; j++) {
			free(doc->v[i].attrs[j].name);
			free(doc->v[i].attrs[j].value);
		}
		free(doc->v[i].attrs);
	}
	free(doc->v);
	memset(doc, 0, sizeof(*doc));
}

/* ---- merging: xfconfd's element handlers ------------------------------ */

void
xfconf_channel_init(struct xfconf_channel *ch)
{
	memset(ch, 0, sizeof(*ch));
}

static void
value_unset(struct xfconf_value *v)
{
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static struct xfconf_prop *
find_prop(const struct xfconf_channel *ch, const char *path)
{
	for (size_t i = 0; i < ch->n; i++)
		if (strcmp(ch->v[i].path, path) == 0)
			return &ch->v[i];
	return NULL;
}

static struct xfconf_prop *
add_prop(struct xfconf_channel *ch, const char *path, int locked, struct mm_err *e)
{
	struct xfconf_prop *p;

	if (ch->n == XFCONF_MAX_PROPS) {
		err_set(e, "parse_error", "more than %d settings in a channel", XFCONF_MAX_PROPS);
		return NULL;
	}
	if (ch->n == ch->cap) {
		size_t nc = ch->cap ? ch->cap * 2 : 16;
		struct xfconf_prop *nv = realloc(ch->v, nc * sizeof(*nv));
		if (nv == NULL) {
			oom(e);
			return NULL;
		}
		ch->v = nv;
		ch->cap = nc;
	}
	p = &ch->v[ch->n];
	memset(p, 0, sizeof(*p));
	if ((p->path = strdup(path)) == NULL) {
		oom(e);
		return NULL;
	}
	p->locked = locked;
	ch->n++;
	return p;
}

static void
clear_props(struct xfconf_channel *ch)
{
	for (size_t i = 0; i < ch->n; i++) {
		free(ch->v[i].path);
		value_unset(&ch->v[i].value);
		value_unset(&ch->v[i].system);
	}
	ch->n = 0;
}

static enum xfconf_type
type_of(const char *s, int *empty)
{
	static const struct {
		const char *name;
		enum xfconf_type t;
	} types[] = {
		{ "string", XFCONF_STRING }, { "int", XFCONF_INT }, { "double", XFCONF_DOUBLE },
		{ "bool", XFCONF_BOOL }, { "array", XFCONF_ARRAY }, { "uint", XFCONF_UINT },
		{ "uchar", XFCONF_UCHAR }, { "char", XFCONF_CHAR }, { "uint16", XFCONF_UINT16 },
		{ "int16", XFCONF_INT16 }, { "uint64", XFCONF_UINT64 }, { "int64", XFCONF_INT64 },
		{ "float", XFCONF_FLOAT },
	};

	*empty = strcmp(s, "empty") == 0;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i].name) == 0)
			return types[i].t;
	return XFCONF_UNSET;
}

/* _xfconf_gvalue_from_string into v (already of its type, zeroed).
 * 1 parsed, 0 not (v keeps the zero). */
static int
value_parse(struct xfconf_value *v, const char *str, locale_t c_locale)
{
	char *end = NULL;

	if (v->type == XFCONF_STRING) {
		if (str != NULL && (v->s = strdup(str)) == NULL)
			return -1;
		return 1;
	}
	if (v->type == XFCONF_ARRAY)
		return 1;
	if (str == NULL)
		return 0;	/* xfconfd would crash in strtol; nothing is set */
	if (v->type == XFCONF_BOOL) {
		if (strcmp(str, "true") == 0)
			v->b = 1;
		else if (strcmp(str, "false") != 0)
			return 0;
		return 1;
	}
	errno = 0;
	switch (v->type) {
	case XFCONF_UCHAR:
	case XFCONF_UINT: {
		unsigned long long max = v->type == XFCONF_UCHAR ? 255ULL : 4294967295ULL;
		unsigned long x = strtoul(str, &end, 0);

		if ((x == 0 && errno == ERANGE) || *str == '\0' || *end != '\0' || x > max)
			return 0;
		v->u = x;
		return 1;
	}
	case XFCONF_CHAR:
	case XFCONF_INT:
	case XFCONF_INT16:
	case XFCONF_UINT16: {
		long lo = v->type == XFCONF_CHAR ? -128 : v->type == XFCONF_INT16 ? -32768 :
		    v->type == XFCONF_UINT16 ? 0 : INT_MIN;
		long hi = v->type == XFCONF_CHAR ? 127 : v->type == XFCONF_INT16 ? 32767 :
		    v->type == XFCONF_UINT16 ? 65535 : INT_MAX;
		long x = strtol(str, &end, 0);

		if ((x == 0 && errno == ERANGE) || *str == '\0' || *end != '\0' || x < lo || x > hi)
			return 0;
		if (v->type == XFCONF_UINT16)
			v->u = (unsigned long long)x;
		else
			v->i = x;
		return 1;
	}
	case XFCONF_UINT64: {
		unsigned long long x = strtoull(str, &end, 0);

		if ((x == 0 && errno == ERANGE) || *str == '\0' || *end != '\0')
			return 0;
		v->u = x;
		return 1;
	}
	case XFCONF_INT64: {
		long long x = strtoll(str, &end, 0);

		if ((x == 0 && errno == ERANGE) || *str == '\0' || *end != '\0')
			return 0;
		v->i = x;
		return 1;
	}
	case XFCONF_FLOAT:
	case XFCONF_DOUBLE: {
		/* g_ascii_strtod: the C locale's strtod, whatever the agent's. */
		double x = strtod_l(str, &end, c_locale);

		if ((x == 0.0 && errno == ERANGE) || *str == '\0' || *end != '\0')
			return 0;
		/* G_MINFLOAT is the least positive float: upstream refuses
		 * zero and negative floats, and so does this. */
		if (v->type == XFCONF_FLOAT && (x < 1.17549435e-38 || x > 3.40282347e+38))
			return 0;
		v->d = x;
		return 1;
	}
	default:
		return 0;
	}
}

enum elem { ELEM_NONE, ELEM_CHANNEL, ELEM_PROPERTY, ELEM_VALUE };

struct merge {
	struct xfconf_channel *ch;
	int is_system;
	size_t origin;
	const struct xfconf_who *who;
	enum elem cur;
	char path[XFCONF_MAX_PATH];
	int list;		/* inside an array property: <value> allowed */
	locale_t c_locale;
	struct mm_err *e;
};

/* xfconf_user_is_in_list. 1, 0, or -1 (e filled). */
static int
user_in_list(const struct merge *m, const char *list)
{
	const char *s = list;

	while (*s != '\0') {
		const char *semi = strchr(s, ';');
		size_t n = semi ? (size_t)(semi - s) : strlen(s);

		if (n > 0) {
			char *tok = text_dup(s, n);
			int in;

			if (tok == NULL)
				return oom(m->e);
			if (tok[0] == '@')
				in = m->who->in_group != NULL
				    ? m->who->in_group(m->who->ctx, tok + 1, m->e) : 0;
			else
				in = m->who->user != NULL && strcmp(m->who->user, tok) == 0;
			free(tok);
			if (in != 0)
				return in;
		}
		if (semi == NULL)
			break;
		s = semi + 1;
	}
	return 0;
}

/* Ends the reading of this file where it stands, as a GMarkup error does;
 * the first reason is kept for evidence. Returns 1. */
static int stop(struct merge *m, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
stop(struct merge *m, long line, const char *fmt, ...)
{
	if (m->ch->stopped++ == 0) {
		char what[200];
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		snprintf(m->ch->stop_msg, sizeof(m->ch->stop_msg), "line %ld: %s", line, what);
	}
	return 1;
}

static const char *
attr(const struct xfconf_event *ev, const char *name)
{
	for (size_t i = 0; i < ev->nattrs; i++)
		if (strcmp(ev->attrs[i].name, name) == 0)
			return ev->attrs[i].value;
	return NULL;
}

static const char *
unknown_attr(const struct xfconf_event *ev, const char *const *known, size_t nk)
{
	for (size_t i = 0; i < ev->nattrs; i++) {
		size_t k;

		for (k = 0; k < nk; k++)
			if (strcmp(ev->attrs[i].name, known[k]) == 0)
				break;
		if (k == nk)
			return ev->attrs[i].name;
	}
	return NULL;
}

static int
nonempty(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Each handler: 0 go on, 1 stop reading this file, -1 error. */
static int
handle_channel(struct merge *m, const struct xfconf_event *ev)
{
	static const char *const known[] = { "name", "version", "locked", "unlocked" };
	const char *bad = unknown_attr(ev, known, 4), *name, *version, *locked, *unlocked;
	size_t maj;

	if (bad != NULL)
		return stop(m, ev->line, "unknown attribute in <channel>: %s", bad);
	name = attr(ev, "name");
	version = attr(ev, "version");
	locked = attr(ev, "locked");
	unlocked = attr(ev, "unlocked");
	if (!nonempty(name) || !nonempty(version))
		return stop(m, ev->line, "<channel> requires both name and version");
	maj = strchr(version, '.') ? (size_t)(strchr(version, '.') - version) : strlen(version);
	if (maj != 1 || version[0] != '1')
		return stop(m, ev->line, "file version %s is not 1.x", version);
	if (nonempty(locked) || nonempty(unlocked)) {
		int state;

		if (!m->is_system)
			return stop(m, ev->line, "\"locked\" is not allowed in <channel> of a person's own file");
		state = nonempty(unlocked) ? user_in_list(m, unlocked) : user_in_list(m, locked);
		if (state == -1)
			return -1;
		if (nonempty(unlocked))
			state = !state;
		if (m->ch->locked && !state)
			return stop(m, ev->line, "file is not locked, but a previous file is");
		if (!m->ch->locked && state) {
			/* A lock starts the channel afresh from this file. */
			clear_props(m->ch);
			m->ch->locked = 1;
			m->ch->lock_origin = m->origin;
		}
	}
	m->cur = ELEM_CHANNEL;
	return 0;
}

static int
path_valid(const char *p)
{
	/* PROP_NAME_IS_VALID; xfconfd crashes on anything else. */
	return p[0] == '/' && p[1] != '\0' && strstr(p, "//") == NULL;
}

static int
handle_property(struct merge *m, const struct xfconf_event *ev)
{
	static const char *const known[] = { "name", "type", "value", "locked", "unlocked" };
	const char *bad = unknown_attr(ev, known, 5), *name, *type, *value, *locked, *unlocked;
	char full[XFCONF_MAX_PATH];
	struct xfconf_prop *p;
	struct xfconf_value *target;
	enum xfconf_type t;
	int empty, n, r;

	if (bad != NULL)
		return stop(m, ev->line, "unknown attribute in <property>: %s", bad);
	name = attr(ev, "name");
	type = attr(ev, "type");
	value = attr(ev, "value");
	locked = attr(ev, "locked");
	unlocked = attr(ev, "unlocked");
	if (!nonempty(name) || !nonempty(type))
		return stop(m, ev->line, "<property> requires both name and type");
	n = snprintf(full, sizeof(full), "%s/%s", m->path, name);
	if (n < 0 || (size_t)n >= sizeof(full))
		return stop(m, ev->line, "property path too long");
	if (!path_valid(full))
		return stop(m, ev->line, "invalid property name \"%s\"", name);

	p = find_prop(m->ch, full);
	if (m->ch->locked) {
		/* Only system files get here: a locked channel's own file is
		 * never read. A later system file always wins. */
		if (p != NULL) {
			value_unset(&p->value);
			value_unset(&p->system);
		} else if ((p = add_prop(m->ch, full, 1, m->e)) == NULL)
			return -1;
	} else {
		if (p != NULL && p->locked && !m->is_system) {
			/* Locked: the person's value is passed over, not its
			 * children. */
			m->cur = ELEM_PROPERTY;
			snprintf(m->path, sizeof(m->path), "%s", full);
			return 0;
		}
		if (p != NULL) {
			value_unset(&p->value);
			if (m->is_system)
				value_unset(&p->system);
		} else if ((p = add_prop(m->ch, full, 0, m->e)) == NULL)
			return -1;
	}
	if (nonempty(locked) || nonempty(unlocked)) {
		if (!m->is_system)
			return stop(m, ev->line, "\"locked\" is not allowed in <property> of a person's own file");
		if (m->ch->locked)
			p->locked = 1;
		else {
			r = nonempty(unlocked) ? user_in_list(m, unlocked) : user_in_list(m, locked);
			if (r == -1)
				return -1;
			/* user_in_list may have grown nothing; p stays valid. */
			p->locked = nonempty(unlocked) ? !r : r;
		}
	}
	t = type_of(type, &empty);
	if (t == XFCONF_UNSET && !empty)
		return stop(m, ev->line, "invalid type for <property>: \"%s\"", type);
	target = m->is_system ? &p->system : &p->value;
	if (!empty) {
		value_unset(target);
		target->type = t;
		target->origin = m->origin;
		target->line = ev->line;
		r = value_parse(target, value, m->c_locale);
		if (r == -1)
			return oom(m->e);
		if (r == 0)
			return stop(m, ev->line, "value of <property> does not parse as its type");
		if (t == XFCONF_ARRAY)
			m->list = 1;
	}
	snprintf(m->path, sizeof(m->path), "%s", full);
	m->cur = ELEM_PROPERTY;
	return 0;
}

static int
handle_value(struct merge *m, const struct xfconf_event *ev)
{
	static const char *const known[] = { "type", "value" };
	const char *bad = unknown_attr(ev, known, 2), *type;
	struct xfconf_value v;
	int empty, r;

	if (bad != NULL)
		return stop(m, ev->line, "unknown attribute in <value>: %s", bad);
	type = attr(ev, "type");
	memset(&v, 0, sizeof(v));
	v.type = type != NULL ? type_of(type, &empty) : XFCONF_UNSET;
	if (v.type == XFCONF_UNSET || v.type == XFCONF_ARRAY)
		return stop(m, ev->line, "invalid type for <value>");
	r = value_parse(&v, attr(ev, "value"), m->c_locale);
	value_unset(&v);	/* array contents are not needed */
	if (r == -1)
		return oom(m->e);
	if (r == 0)
		return stop(m, ev->line, "value of <value> does not parse as its type");
	m->cur = ELEM_VALUE;
	return 0;
}

static int
start_elem(struct merge *m, const struct xfconf_event *ev)
{
	switch (m->cur) {
	case ELEM_NONE:
		if (strcmp(ev->name, "channel") != 0)
			return stop(m, ev->line, "element <%s> not valid at top level", ev->name);
		return handle_channel(m, ev);
	case ELEM_CHANNEL:
	case ELEM_PROPERTY:
		if (strcmp(ev->name, "property") == 0)
			return handle_property(m, ev);
		if (m->cur == ELEM_PROPERTY && m->list && strcmp(ev->name, "value") == 0)
			return handle_value(m, ev);
		return stop(m, ev->line, "element <%s> not allowed here", ev->name);
	case ELEM_VALUE:
		return stop(m, ev->line, "no element is allowed inside <value>: <%s>", ev->name);
	}
	return 0;
}

static void
end_elem(struct merge *m)
{
	char *slash;

	switch (m->cur) {
	case ELEM_CHANNEL:
		m->cur = ELEM_NONE;
		m->path[0] = '\0';
		break;
	case ELEM_PROPERTY:
		m->list = 0;
		/* The last component only, as upstream: a name holding '/'
		 * leaves the rest on the path. */
		if ((slash = strrchr(m->path, '/')) != NULL) {
			*slash = '\0';
			m->cur = m->path[0] ? ELEM_PROPERTY : ELEM_CHANNEL;
		} else
			m->cur = ELEM_CHANNEL;
		break;
	case ELEM_VALUE:
		m->cur = ELEM_PROPERTY;
		break;
	case ELEM_NONE:
		break;
	}
}

int
xfconf_merge(struct xfconf_channel *ch, const struct xfconf_doc *doc, int is_system,
    size_t origin, const struct xfconf_who *who, struct mm_err *e)
{
	static const struct xfconf_who nobody = { NULL, NULL, NULL };
	struct merge m;
	int rc = 0;

	if (!is_system && ch->locked)
		return 0;	/* xfconfd does not read it */
	memset(&m, 0, sizeof(m));
	m.ch = ch;
	m.is_system = is_system;
	m.origin = origin;
	m.who = who != NULL ? who : &nobody;
	m.e = e;
	if ((m.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		return oom(e);
	for (size_t i = 0; i < doc->n && rc == 0; i++)
		if (doc->v[i].end)
			end_elem(&m);
		else
			rc = start_elem(&m, &doc->v[i]);
	freelocale(m.c_locale);
	return rc == -1 ? -1 : 0;
}

const struct xfconf_prop *
xfconf_lookup(const struct xfconf_channel *ch, const char *path)
{
	return find_prop(ch, path);
}

const struct xfconf_value *
xfconf_get(const struct xfconf_channel *ch, const char *path)
{
	const struct xfconf_prop *p = find_prop(ch, path);

	if (p == NULL)
		return NULL;
	if (p->value.type != XFCONF_UNSET)
		return &p->value;
	if (p->system.type != XFCONF_UNSET)
		return &p->system;
	return NULL;
}

int
xfconf_get_bool(const struct xfconf_channel *ch, const char *path, int dflt)
{
	const struct xfconf_value *v = xfconf_get(ch, path);

	return v != NULL && v->type == XFCONF_BOOL ? v->b : dflt;
}

long
xfconf_get_int(const struct xfconf_channel *ch, const char *path, long dflt)
{
	const struct xfconf_value *v = xfconf_get(ch, path);

	if (v != NULL && (v->type == XFCONF_INT || v->type == XFCONF_INT16 ||
	    v->type == XFCONF_CHAR))
		return (long)v->i;
	return dflt;
}

int
xfconf_is_locked(const struct xfconf_channel *ch, const char *path)
{
	const struct xfconf_prop *p = find_prop(ch, path);

	return ch->locked || (p != NULL && p->locked);
}

void
xfconf_channel_free(struct xfconf_channel *ch)
{
	clear_props(ch);
	free(ch->v);
	memset(ch, 0, sizeof(*ch));
}
