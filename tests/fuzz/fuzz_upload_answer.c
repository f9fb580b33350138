/* fuzz_upload_answer: the collector's answer as the agent reads it — the
 * status, and the JSON body of a refusal ({"error", "message"}) or of an
 * enrollment ({"device_id", "facility"}). A collector can be wrong, old,
 * or not a collector at all, and what it says is copied into the state
 * folder (device_id, facility name) and onto facility IT's terminal. The
 * answers come from a small HTTP server on a loopback port inside this
 * program; the agent's own upload_enroll asks it, through libcurl, as
 * `mamori enroll` does. The first byte picks the status ('c' 201, 'b' 400,
 * 'f' 403, 'r' 409, 's' 503; any other: 200 + its value), the rest is the
 * body.
 *
 * Invariants: an enrollment is taken only from a 201, with a device id
 * the agent accepts (it goes into a header and a file name) and a
 * facility name of valid UTF-8 without C0 or C1 control characters; a
 * refusal says why, and the message shown for it carries no control
 * character from the collector. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "agent/state.h"
#include "agent/upload.h"
#include "common/utf8.h"

static int listen_fd = -1;
static char server_url[64];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *answer;		/* the whole HTTP answer to give next */
static size_t answer_len;

/* Reads one request (headers, then Content-Length bytes) and discards it. */
static void
drain_request(int fd)
{
	char buf[8192];
	size_t have = 0, need = (size_t)-1;

	for (;;) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *end;

		if (r <= 0)
			return;
		have += (size_t)r;
		buf[have] = '\0';
		if (need == (size_t)-1 && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = strstr(buf, "Content-Length: ");
			size_t hl = (size_t)(end + 4 - buf);

			need = hl + (cl != NULL && cl < end ? strtoul(cl + 16, NULL, 10) : 0);
		}
		/* An enrollment is far smaller than the buffer. */
		if ((need != (size_t)-1 && have >= need) || have == sizeof(buf) - 1)
			return;
	}
}

static void *
serve(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = accept(listen_fd, NULL, NULL);

		if (fd == -1)
			continue;
		drain_request(fd);
		pthread_mutex_lock(&lock);
		for (size_t off = 0; off < answer_len;) {
			ssize_t w = write(fd, answer + off, answer_len - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		pthread_mutex_unlock(&lock);
		close(fd);
	}
	return NULL;
}

static void
init(void)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd == -1 || bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(listen_fd, 16) != 0 ||
	    getsockname(listen_fd, (struct sockaddr *)&sa, &sl) != 0)
		abort();
	snprintf(server_url, sizeof(server_url), "http://127.0.0.1:%u", ntohs(sa.sin_port));
	if (pthread_create(&t, NULL, serve, NULL) != 0 || pthread_detach(t) != 0)
		abort();
}

static void
clean_text(const char *s, int check_utf8)
{
	size_t n = strlen(s);

	if (check_utf8 && !utf8_valid(s, n))
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			__builtin_trap();
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct device_facts facts = { "reception-pc", "debian", "12",
	    "Debian GNU/Linux 12 (bookworm)", "0123456789abcdef0123456789abcdef", "" };
	struct upload_target t;
	struct upload_enrolled out;
	struct mm_err e;
	char head[160];
	int status, hl, rc;

	if (listen_fd == -1)
		init();
	if (size == 0)
		return 0;
	switch (data[0]) {
	case 'c': status = 201; break;
	case 'b': status = 400; break;
	case 'f': status = 403; break;
	case 'r': status = 409; break;
	case 's': status = 503; break;
	default: status = 200 + data[0]; break;
	}
	hl = snprintf(head, sizeof(head), "HTTP/1.1 %d Answer\r\nContent-Type: application/json\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", status, size - 1);
	pthread_mutex_lock(&lock);
	free(answer);
	if ((answer = malloc((size_t)hl + size)) == NULL)
		abort();
	memcpy(answer, head, (size_t)hl);
	memcpy(answer + hl, data + 1, size - 1);
	answer_len = (size_t)hl + size - 1;
	pthread_mutex_unlock(&lock);

	t.server = server_url;
	t.ca_file = NULL;
	err_clear(&e);
	memset(&out, 0x5a, sizeof(out));
	rc = upload_enroll(&t, "mt1_kM3xQ9vTzq7P2wLfNa0bYc4sRjEu8HgVd6oWiK1-XtZ",
	    "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", &facts, &out, &e);
	if (rc == 0) {
		if (status != 201 || !state_device_id_valid(out.device_id) ||
		    memchr(out.facility_name, '\0', sizeof(out.facility_name)) == NULL)
			__builtin_trap();
		clean_text(out.facility_name, 1);
	} else {
		if (rc != -1 || e.reason == NULL)
			__builtin_trap();
		/* A network error would be this harness's fault, not the answer's. */
		if (strcmp(e.reason, "upload_network") == 0)
			abort();
		clean_text(e.msg, 0);
	}
	return 0;
}
