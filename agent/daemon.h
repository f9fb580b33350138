/* daemon: `mamori daemon`, the agent as a system service (root, systemd
 * Type=notify). One event loop (epoll) over a signalfd, timerfds, an
 * inotify descriptor and a udev monitor: it scans and reports at start,
 * every policy interval plus a random splay, when removable storage comes
 * or goes, when the policy or a watched setting changes, and on SIGHUP.
 * Between events it sleeps in epoll_wait; nothing polls. See docs/daemon.md. */
#ifndef MAMORI_DAEMON_H
#define MAMORI_DAEMON_H

int daemon_main(int argc, char **argv);

#endif
