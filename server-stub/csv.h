/* csv: CSV text as Excel in Japan opens it — UTF-8 with a byte order
 * mark, CRLF line ends, fields quoted when they hold a comma, quote or
 * line break. A field that starts with = + - @ gets a leading apostrophe
 * so that a hostname from a report cannot become a spreadsheet formula. */
#ifndef MAMORI_COLL_CSV_H
#define MAMORI_COLL_CSV_H

#include <stddef.h>

struct csv {
	char *buf;
	size_t len, cap;
	int failed;	/* out of memory: the text is incomplete */
	int fields;	/* fields on the current line */
};

/* Starts the text with the byte order mark. */
void csv_init(struct csv *c);
void csv_field(struct csv *c, const char *s);
void csv_field_int(struct csv *c, long long v);
void csv_end_line(struct csv *c);
void csv_free(struct csv *c);

#endif
