/* daemon_log: the log lines of `mamori daemon` and of mamori-watchd, on
 * stderr: with a <N> priority when stderr is the journal, else after
 * "mamori daemon: ". Needs libc only, so mamori-watchd stays small. */
#ifndef MAMORI_DAEMON_LOG_H
#define MAMORI_DAEMON_LOG_H

/* Whether LOG_DEBUG lines are written (--verbose); off until said. */
void daemon_log_verbose(int on);
int daemon_log_is_verbose(void);
/* Looks at $JOURNAL_STREAM: set, stderr is the journal. */
void daemon_log_open(void);

/* One line at priority prio (syslog.h's LOG_*); no newline in fmt. */
void daemon_log(int prio, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
