/*
 * connserver.h: the socket plumbing of xensim's request/reply channels --
 * listening, accepting, reading into a per-connection buffer, closing, and
 * holding a reply back for the delay fault -- so that each channel (the
 * hypercall endpoint, xend's HTTP) writes only its protocol.
 *
 * A channel gives a serve function that answers every complete request
 * the connection's input holds; it writes replies itself (xsimWriteAll,
 * the replies are small and the clients local) or hands one to
 * xsimConnHold.  Everything runs on the GLib main loop of xensim's one
 * thread.  Not used by xenstored.c: that daemon queues its output and
 * writes it when the socket is writable (a client may not read its watch
 * events for a while), refuses to take over a live socket, and marks
 * listeners read-only -- three things these channels do not need.
 */
#pragma once

#include <glib.h>

typedef struct _XsimServer XsimServer;
typedef struct _XsimConn XsimConn;

/* One client connection.  A channel that keeps state per connection
 * declares a struct whose first member is an XsimConn and gives its size
 * to xsimServerNew; the server allocates it zeroed and frees it. */
struct _XsimConn {
    XsimServer *srv;
    gpointer owner;             /* xsimServerNew's owner (the channel) */
    int fd;
    GByteArray *in;             /* received and not yet consumed */
    /* the server's own */
    guint src;                  /* reading; 0 while a reply is held */
    GByteArray *held;
    guint heldSrc;
};

/* Answers the complete requests in conn->in, consuming them.  TRUE: keep
 * reading.  FALSE: conn was closed (xsimConnClose, conn is freed) or a
 * reply is held (xsimConnHold); reading resumes after the held reply. */
typedef gboolean (*XsimServeFunc)(XsimConn *conn);
/* After a held reply went out: FALSE if the channel closed conn, TRUE to
 * serve what arrived meanwhile.  May be NULL (always TRUE). */
typedef gboolean (*XsimHeldFunc)(XsimConn *conn);

/* connSize >= sizeof(XsimConn); maxIn > 0 closes a connection whose
 * input left unconsumed after serve (an unfinished request) grows past it
 * (0: the channel enforces its limits). */
XsimServer *xsimServerNew(gpointer owner, gsize connSize, gsize maxIn,
                          XsimServeFunc serve, XsimHeldFunc afterHeld);
/* Closes every connection and listener. */
void xsimServerFree(XsimServer *srv);

/* Listen on a UNIX socket (mode 0600, a stale socket replaced) or on
 * 127.0.0.1:port; any number of listeners feed the same server. */
gboolean xsimServerListenUnix(XsimServer *srv, const char *path, GError **error);
gboolean xsimServerListenTcpLocal(XsimServer *srv, guint16 port, GError **error);
/* Drops every connection and closes every listener (a restart listens
 * again). */
void xsimServerReset(XsimServer *srv);

/* Closes and frees conn. */
void xsimConnClose(XsimConn *conn);
/* Sends a copy of buf after delayMs; conn is not read until then. */
void xsimConnHold(XsimConn *conn, const void *buf, gsize len, guint delayMs);
