/* daemon: `mamori daemon`, the agent as a system service (root, systemd
 * Type=notify). It checks its configuration, then execs mamori-watchd
 * (agent/watchd.c): one event loop (epoll) over a signalfd, timerfds, an
 * inotify descriptor and a udev monitor, which runs a round at start,
 * every policy interval plus a random splay, when removable storage comes
 * or goes, when the policy or a watched setting changes, and on SIGHUP.
 * A round is `mamori daemon --round`, a child process. Between events
 * nothing runs and nothing polls. See docs/daemon.md. */
#ifndef MAMORI_DAEMON_H
#define MAMORI_DAEMON_H

int daemon_main(int argc, char **argv);

#endif
