/* xml_api: libxml2, loaded when an XFCE settings file is first parsed
 * (common/dynlib.h), so a scan of a PC without XFCE never maps it, nor
 * ICU, which it brings. Types and constants still come from libxml2's
 * headers; calls go through the table: xml->FreeDoc(d).
 * A member is the symbol's name without "xml" (or "__xml"): the headers
 * make several names macros (xmlGenericError is (*(__xmlGenericError()))),
 * which would swallow a member of the same name. */
#ifndef MAMORI_XML_API_H
#define MAMORI_XML_API_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include "common/err.h"

#define XML_API_SONAME	"libxml2.so.2"
#define XML_API_PACKAGE	"libxml2"

/* xmlFree is a variable holding a function (the allocator libxml2 was
 * set up with), not a function: Free points to that variable and is
 * called as (*xml->Free)(p). Debian builds it so; a libxml2 with
 * per-thread allocators would make it a function, and this would not
 * compile. */
#ifdef LIBXML_THREAD_ALLOC_ENABLED
#error "libxml2 with LIBXML_THREAD_ALLOC_ENABLED: xmlFree is not a variable"
#endif

/* Every libxml2 symbol mamori uses: X(symbol, member). */
#define XML_API_SYMBOLS(X) \
	X(xmlInitParser, InitParser) \
	X(xmlNewParserCtxt, NewParserCtxt) \
	X(xmlCtxtReadMemory, CtxtReadMemory) \
	X(xmlCtxtGetLastError, CtxtGetLastError) \
	X(xmlFreeParserCtxt, FreeParserCtxt) \
	X(xmlFreeDoc, FreeDoc) \
	X(xmlGetLineNo, GetLineNo) \
	X(xmlNodeGetContent, NodeGetContent) \
	X(xmlFree, Free) \
	X(xmlSetGenericErrorFunc, SetGenericErrorFunc) \
	X(__xmlGenericError, GenericError) \
	X(__xmlGenericErrorContext, GenericErrorContext)

struct xml_api {
#define XML_API_MEMBER(sym, member) __typeof__(sym) *member;
	XML_API_SYMBOLS(XML_API_MEMBER)
#undef XML_API_MEMBER
};

/* Loads libxml2.so.2 and runs xmlInitParser once. NULL with reason
 * library_missing: "libxml2.so.2 could not be loaded: … (install
 * libxml2)". */
const struct xml_api *xml_api_load(struct mm_err *e);

#endif
