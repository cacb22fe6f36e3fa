/* Watchers of a live meeting in C: thousands of WebSocket clients (plain or TLS) in one single-threaded process.

   The benches' Python watchers cost 12–90 µs of CPU per message received (bench/fanout_client.py,
   bench/plenary_watchers.py). On a 2-core machine, 2,000 of them took more of the processor than the servers they
   measured, in the very milliseconds the servers were delivering: the measure delayed what it measured. This client
   does what they do — hello with the last seq, a snapshot or the missed events, every event checked to follow the
   one before, back to the next URL after a close, reloads of the meeting's page — for a few µs per message.

   Built and driven by bench/cwatch.py (cc -O2 … -lssl -lcrypto). Arguments:
     --url U (repeatable: ws://host:port/path or wss://…; watcher k starts on URL k mod n, moves on after a close)
     --count N  --meeting M (the hello's meeting; 0: send no hello and count the client in at its handshake)
     --origin O  --reload-share F --page URL (the page a reload loads, https:// or http://)
     --out FILE (every event's arrival times, written at the end)  --notify (print "all SEQ T" when every
     watcher has SEQ, T on CLOCK_MONOTONIC: Python's time.perf_counter)
   Standard output: "ready N" once every watcher is in; "all SEQ T" (--notify); at the end one JSON line of totals.
   Standard input: "reload STOP" (reloads begin; they end 8 s before the epoch time STOP), "last SEQ" (wait up to
   30 s for every watcher to reach SEQ, then write the figures and exit), "end" (write them and exit now).
   Arrival file: for each seq received, int64 seq, int64 n, then n doubles (epoch seconds, CLOCK_REALTIME). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { WS, PAGE };
enum { CONNECTING, HANDSHAKE, REQUEST, HEAD, OPEN, ENDED };
#define MAX_URLS 16
#define OPENING_AT_ONCE 100
#define OPEN_TIMEOUT 60.0

typedef struct { char host[256]; char port[8]; char path[512]; int tls; struct sockaddr_storage addr; socklen_t len; }
    Url;

struct watcher;
typedef struct conn {
    int fd, kind, state, want_out;
    SSL *ssl;
    struct watcher *w;
    unsigned char *out; size_t out_len, out_off;
    unsigned char *in; size_t in_len, in_cap;
    double opened;   /* when its connect began (time-out) */
    int status;      /* PAGE: the HTTP status read */
    int close_code;  /* WS: the code of the server's close frame, -1 if none came */
    const char *why; /* PAGE: why no status was read, when it was not */
} Conn;

typedef struct watcher {
    int idx, at, failures, synced, ever_synced, reloader, waiting;
    long long seq;   /* -1: none yet (a reloaded page knows nothing) */
    Conn *ws, *page;
    SSL_SESSION *session;  /* the last TLS session the server gave: a browser resumes it on its next connection */
    double next_connect, next_reload;
} Watcher;

typedef struct { long long n, cap; double *t; } Arrivals;

static Url urls[MAX_URLS], page_url;
static int n_urls, count, meeting, notify, epfd, opening, have_page;
static double reload_share;
static const char *origin, *out_path;
static SSL_CTX *ctx;
static Watcher *watchers;
static Arrivals *arrivals;
static long long arrivals_len;
/* Totals. */
static long long handshakes, resumed;
static long long gaps, duplicates, events_received, messages, connections, snapshots, reloads, http;
static long long closed_by[4096 + 1]; /* index = close code (0..4095), 4096 = closed without a close frame */
static char errors[64][96];
static int n_errors, refusal_n;
static char refusal_codes[32][48];
static long long refusal_count[32];
static double stop_at, measure_began, cpu_began;
static double lags[100000];
static int n_lags;

static double now_mono(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double now_real(void) { struct timespec t; clock_gettime(CLOCK_REALTIME, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static double cpu_seconds(void) {
    struct rusage u; getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

/* What goes into the JSON line: no quote, backslash or control character. */
static void clean(char *text) {
    for (; *text; text++) if (*text == '"' || *text == '\\' || (unsigned char)*text < 32) *text = ' ';
}

static void error_note(const char *fmt, ...) {
    if (n_errors >= 64) return;
    va_list ap; va_start(ap, fmt); vsnprintf(errors[n_errors], sizeof errors[0], fmt, ap); va_end(ap);
    clean(errors[n_errors++]);
}

static int parse_url(const char *text, Url *u) {
    const char *rest;
    memset(u, 0, sizeof *u);
    if (!strncmp(text, "wss://", 6) || !strncmp(text, "https://", 8)) { u->tls = 1; rest = strstr(text, "//") + 2; }
    else if (!strncmp(text, "ws://", 5) || !strncmp(text, "http://", 7)) { rest = strstr(text, "//") + 2; }
    else return -1;
    const char *slash = strchr(rest, '/'), *colon = strchr(rest, ':');
    if (!slash) slash = rest + strlen(rest);
    if (colon && colon < slash) {
        snprintf(u->host, sizeof u->host, "%.*s", (int)(colon - rest), rest);
        snprintf(u->port, sizeof u->port, "%.*s", (int)(slash - colon - 1), colon + 1);
    } else {
        snprintf(u->host, sizeof u->host, "%.*s", (int)(slash - rest), rest);
        strcpy(u->port, u->tls ? "443" : "80");
    }
    snprintf(u->path, sizeof u->path, "%s", *slash ? slash : "/");
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *found;
    if (getaddrinfo(u->host, u->port, &hints, &found)) return -1;
    memcpy(&u->addr, found->ai_addr, found->ai_addrlen);
    u->len = found->ai_addrlen;
    freeaddrinfo(found);
    return 0;
}

/* Arrivals: one growable array of times per seq. */
static void arrival(long long seq, double at) {
    if (seq < 0 || seq > 50000000) return;
    if (seq >= arrivals_len) {
        long long len = arrivals_len ? arrivals_len : 1024;
        while (len <= seq) len *= 2;
        arrivals = realloc(arrivals, len * sizeof *arrivals);
        memset(arrivals + arrivals_len, 0, (len - arrivals_len) * sizeof *arrivals);
        arrivals_len = len;
    }
    Arrivals *a = &arrivals[seq];
    if (out_path) {
        if (a->n == a->cap) { a->cap = a->cap ? a->cap * 2 : 64; a->t = realloc(a->t, a->cap * sizeof(double)); }
        a->t[a->n] = at;
    }
    a->n++;
    if (notify && a->n == count) { printf("all %lld %.6f\n", seq, now_mono()); fflush(stdout); }
}

/* Writing: queue bytes, send what the socket takes, ask epoll for the rest. */
static void watch_fd(Conn *c, int out) {
    if (c->want_out == out) return;
    c->want_out = out;
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static int flush_out(Conn *c) { /* 0 ok (maybe pending), -1 broken */
    while (c->out_off < c->out_len) {
        ssize_t n;
        if (c->ssl) {
            ERR_clear_error();
            int r = SSL_write(c->ssl, c->out + c->out_off, (int)(c->out_len - c->out_off));
            if (r <= 0) {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) { watch_fd(c, 1); return 0; }
                return -1;
            }
            n = r;
        } else {
            n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK) { watch_fd(c, 1); return 0; }
                return -1;
            }
        }
        c->out_off += n;
    }
    c->out_len = c->out_off = 0;
    watch_fd(c, 0);
    return 0;
}

static int queue_out(Conn *c, const void *data, size_t len) {
    if (c->out_off == c->out_len) c->out_len = c->out_off = 0;
    c->out = realloc(c->out, c->out_len + len);
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
    return c->state == OPEN || c->state == REQUEST ? flush_out(c) : 0;
}

static int send_frame(Conn *c, int opcode, const char *payload, size_t n) {
    unsigned char head[14], mask[4];
    size_t h = 0;
    uint32_t r = (uint32_t)random();
    memcpy(mask, &r, 4);
    head[h++] = 0x80 | opcode;
    if (n < 126) head[h++] = 0x80 | n;
    else if (n < 65536) { head[h++] = 0x80 | 126; head[h++] = n >> 8; head[h++] = n & 0xFF; }
    else { head[h++] = 0x80 | 127; for (int i = 7; i >= 0; i--) head[h++] = (n >> (8 * i)) & 0xFF; }
    memcpy(head + h, mask, 4); h += 4;
    unsigned char *frame = malloc(h + n);
    memcpy(frame, head, h);
    for (size_t i = 0; i < n; i++) frame[h + i] = payload[i] ^ mask[i % 4];
    int result = queue_out(c, frame, h + n);
    free(frame);
    return result;
}

/* Connections. */
static Url *url_of(Conn *c) { return c->kind == PAGE ? &page_url : &urls[c->w->at % n_urls]; }

/* A connection ended: its socket closes now, its memory once the events epoll has handed out are all seen (one
   of them may still name it: a reload ends its watcher's other connection). */
static Conn **ended;
static size_t n_ended, ended_cap;

static void free_conn(Conn *c) {
    if (c->fd >= 0) { epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL); close(c->fd); c->fd = -1; }
    if (c->ssl) {
        /* Counted as shut down: OpenSSL would otherwise mark the session unresumable, which a browser's does not. */
        SSL_set_shutdown(c->ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    c->state = ENDED;
    if (n_ended == ended_cap) { ended_cap = ended_cap ? ended_cap * 2 : 256; ended = realloc(ended, ended_cap * sizeof *ended); }
    ended[n_ended++] = c;
}

static void bury(void) {
    for (size_t i = 0; i < n_ended; i++) { free(ended[i]->out); free(ended[i]->in); free(ended[i]); }
    n_ended = 0;
}

static Conn *open_conn(Watcher *w, int kind) {
    Url *u = kind == PAGE ? &page_url : &urls[w->at % n_urls];
    Conn *c = calloc(1, sizeof *c);
    c->w = w; c->kind = kind; c->fd = socket(u->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
    c->opened = now_mono(); c->close_code = -1;
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->want_out = 1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev);
    if (connect(c->fd, (struct sockaddr *)&u->addr, u->len) < 0 && errno != EINPROGRESS) { c->state = -1; }
    else c->state = CONNECTING;
    if (kind == WS) opening++;
    return c;
}

static void request(Conn *c) {
    Url *u = url_of(c);
    char req[2048];
    int n;
    if (c->kind == PAGE)
        n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n"
                     "Accept: text/html\r\n\r\n", u->path, u->host, u->port);
    else {
        unsigned char key[16]; char b64[32];
        for (int i = 0; i < 16; i++) key[i] = random() & 0xFF;
        EVP_EncodeBlock((unsigned char *)b64, key, 16);
        n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s%s%s\r\n", u->path, u->host, u->port,
                     b64, origin ? "Origin: " : "", origin ? origin : "", origin ? "\r\n" : "");
    }
    c->state = REQUEST;
    queue_out(c, req, n);
}

static int n_waiting;

static void schedule_connect(Watcher *w, double delay) {
    if (!w->waiting) n_waiting++;
    w->waiting = 1;
    w->next_connect = now_mono() + delay;
}

/* A connection ended (closed by either side, failed, timed out). */
static void lost(Conn *c, int by_server) {
    Watcher *w = c->w;
    if (c->kind == PAGE) {
        http++;
        if (c->status && c->status != 200) error_note("page %d", c->status);
        else if (!c->status) error_note("page: %s", c->why ? c->why : "closed before its answer");
        w->page = NULL;
        free_conn(c);
        /* The page is loaded: the old one leaves (as a page does, closed by this side), the new one says hello
           knowing nothing, so it gets a snapshot. */
        reloads++;
        w->seq = -1;
        if (w->ws) { Conn *old = w->ws; w->ws = NULL; if (old->state != OPEN) opening--; free_conn(old); }
        w->synced = 0; w->failures = 0; w->at++;
        schedule_connect(w, 0.05);
        return;
    }
    if (c->state != OPEN) opening--;
    if (by_server) closed_by[c->close_code >= 0 && c->close_code < 4096 ? c->close_code : 4096]++;
    int failed = !w->synced;
    w->ws = NULL;
    free_conn(c);
    w->synced = 0;
    w->at++;
    w->failures = failed ? w->failures + 1 : 0;
    double delay = 0.05 * (1 << (w->failures > 1 ? (w->failures - 1 > 6 ? 6 : w->failures - 1) : 0));
    schedule_connect(w, delay > 2.0 ? 2.0 : delay);
}

static int ready_printed, synced_count;

static void set_synced(Watcher *w) {
    if (w->synced) return;
    w->synced = 1;
    if (w->ever_synced) return;
    w->ever_synced = 1;
    if (++synced_count >= count && !ready_printed) { ready_printed = 1; printf("ready %d\n", count); fflush(stdout); }
}

static long long head_seq(const unsigned char *p, size_t n, size_t skip) {
    long long v = 0; size_t i = skip;
    while (i < n && p[i] >= '0' && p[i] <= '9') v = v * 10 + (p[i++] - '0');
    return v;
}

#define EVENT_HEAD "{\"type\":\"event\",\"seq\":"
#define SNAPSHOT_HEAD "{\"type\":\"snapshot\",\"seq\":"
#define WELCOME_HEAD "{\"type\":\"welcome\",\"seq\":"
#define ERROR_HEAD "{\"type\":\"error\""

static void event(Watcher *w, long long seq, double at) {
    if (w->seq >= 0 && seq <= w->seq) { duplicates++; return; }
    if (w->seq >= 0 && seq != w->seq + 1) gaps++;
    w->seq = seq;
    events_received++;
    arrival(seq, at);
}

static void refusal(const unsigned char *p, size_t n) {
    const char *key = memmem(p, n, "\"code\":\"", 8);
    char code[48] = "?";
    if (key) {
        key += 8;
        const char *end = memchr(key, '"', (const char *)p + n - key);
        if (end) snprintf(code, sizeof code, "%.*s", (int)(end - key), key);
        clean(code);
    }
    for (int i = 0; i < refusal_n; i++) if (!strcmp(refusal_codes[i], code)) { refusal_count[i]++; return; }
    if (refusal_n < 32) { strcpy(refusal_codes[refusal_n], code); refusal_count[refusal_n++] = 1; }
}

static void text(Watcher *w, const unsigned char *p, size_t n) {
    double at = now_real();
    messages++;
    size_t eh = sizeof EVENT_HEAD - 1;
    if (n > eh && !memcmp(p, EVENT_HEAD, eh)) event(w, head_seq(p, n, eh), at);
    else if (n && p[0] == '[') {
        const unsigned char *at_p = memmem(p, n, EVENT_HEAD, eh);
        while (at_p) {
            size_t off = at_p - p;
            event(w, head_seq(p, n, off + eh), at);
            at_p = memmem(p + off + eh, n - off - eh, EVENT_HEAD, eh);
        }
    } else if (n > sizeof SNAPSHOT_HEAD - 1 && !memcmp(p, SNAPSHOT_HEAD, sizeof SNAPSHOT_HEAD - 1)) {
        snapshots++;
        w->seq = head_seq(p, n, sizeof SNAPSHOT_HEAD - 1);
        set_synced(w);
    } else if (n > sizeof WELCOME_HEAD - 1 && !memcmp(p, WELCOME_HEAD, sizeof WELCOME_HEAD - 1)) set_synced(w);
    else if (n > sizeof ERROR_HEAD - 1 && !memcmp(p, ERROR_HEAD, sizeof ERROR_HEAD - 1)) refusal(p, n);
}

static void hello(Conn *c) {
    char h[160];
    int n = c->w->seq >= 0 ? snprintf(h, sizeof h, "{\"type\":\"hello\",\"meeting\":%d,\"since\":%lld}", meeting, c->w->seq)
                           : snprintf(h, sizeof h, "{\"type\":\"hello\",\"meeting\":%d,\"since\":null}", meeting);
    send_frame(c, 1, h, n);
}

/* Parse what came in; returns -1 when the connection is to be dropped (closed by the server). */
static int consume(Conn *c) {
    if (c->state == HEAD) {
        unsigned char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
        if (!end) return 0;
        if (c->kind == PAGE) {
            if (c->in_len >= 12 && !memcmp(c->in, "HTTP/1.", 7)) c->status = atoi((char *)c->in + 9);
            c->state = OPEN;
            c->in_len = 0;  /* the body is read and dropped until the server closes */
            return 0;
        }
        if (c->in_len < 12 || memcmp(c->in, "HTTP/1.1 101", 12)) {
            error_note("handshake refused: %.40s", (char *)c->in);
            return -1;
        }
        size_t rest = c->in_len - (end + 4 - c->in);
        memmove(c->in, end + 4, rest);
        c->in_len = rest;
        c->state = OPEN;
        opening--;
        connections++;
        if (meeting) hello(c); else set_synced(c->w);
    }
    if (c->kind == PAGE) { c->in_len = 0; return 0; }
    size_t off = 0;
    while (c->in_len - off >= 2) {
        unsigned char *b = c->in + off;
        int opcode = b[0] & 0x0F;
        uint64_t len = b[1] & 0x7F;
        size_t head = 2, avail = c->in_len - off;
        if (len == 126) { if (avail < 4) break; len = (b[2] << 8) | b[3]; head = 4; }
        else if (len == 127) {
            if (avail < 10) break;
            len = 0; for (int i = 0; i < 8; i++) len = (len << 8) | b[2 + i];
            head = 10;
        }
        if (avail < head + len) break;
        unsigned char *payload = b + head;
        if (opcode == 1) text(c->w, payload, len);
        else if (opcode == 9) send_frame(c, 0xA, (const char *)payload, len);
        else if (opcode == 8) { c->close_code = len >= 2 ? (payload[0] << 8) | payload[1] : -1; return -1; }
        off += head + len;
    }
    if (off) { memmove(c->in, c->in + off, c->in_len - off); c->in_len -= off; }
    return 0;
}

/* Read everything the socket (and TLS) holds; -1: closed or broken. */
static int read_all(Conn *c) {
    unsigned char buf[65536];
    for (;;) {
        ssize_t n;
        if (c->ssl) {
            ERR_clear_error();
            int r = SSL_read(c->ssl, buf, sizeof buf);
            if (r <= 0) {
                int e = SSL_get_error(c->ssl, r);
                if (e == SSL_ERROR_WANT_READ) return 0;
                if (e == SSL_ERROR_WANT_WRITE) { watch_fd(c, 1); return 0; }
                return -1;
            }
            n = r;
        } else {
            n = recv(c->fd, buf, sizeof buf, 0);
            if (n == 0) return -1;
            if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
        }
        if (c->kind == PAGE && c->state == OPEN) continue;  /* the page's body: dropped */
        if (c->in_len + n > c->in_cap) {
            c->in_cap = (c->in_len + n) * 2;
            c->in = realloc(c->in, c->in_cap);
        }
        memcpy(c->in + c->in_len, buf, n);
        c->in_len += n;
        if (consume(c) < 0) return -2;
        /* Drained: a short read leaves nothing behind, and epoll (level-triggered) tells of what comes next;
           stopping here saves a read that would only say EAGAIN, one system call a message. */
        if (c->ssl ? !SSL_pending(c->ssl) && (size_t)n < 16384 : (size_t)n < sizeof buf) return 0;
    }
}

static void on_ready(Conn *c, uint32_t events) {
    if (c->state == ENDED) return;
    if (c->state == -1) { c->why = "connection refused"; lost(c, 0); return; }
    if (c->state == CONNECTING) {
        int err = 0; socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) { c->why = "connection refused"; lost(c, 0); return; }
        if (url_of(c)->tls) {
            c->ssl = SSL_new(ctx);
            SSL_set_app_data(c->ssl, c);
            if (c->w->session) SSL_set_session(c->ssl, c->w->session);
            SSL_set_fd(c->ssl, c->fd);
            SSL_set_tlsext_host_name(c->ssl, url_of(c)->host);
            SSL_set_connect_state(c->ssl);
            c->state = HANDSHAKE;
        } else { request(c); return; }
    }
    if (c->state == HANDSHAKE) {
        ERR_clear_error();
        int r = SSL_do_handshake(c->ssl);
        if (r == 1) { resumed += SSL_session_reused(c->ssl); handshakes++; request(c); return; }
        int e = SSL_get_error(c->ssl, r);
        if (e == SSL_ERROR_WANT_READ) { watch_fd(c, 0); return; }
        if (e == SSL_ERROR_WANT_WRITE) { watch_fd(c, 1); return; }
        c->why = "TLS handshake failed";
        lost(c, 0);
        return;
    }
    if ((events & EPOLLOUT) && c->out_len > c->out_off) {
        if (flush_out(c) < 0) { lost(c, 1); return; }
    }
    if (c->state == REQUEST && c->out_off == c->out_len) c->state = HEAD;
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        int r = read_all(c);
        if (r < 0) lost(c, c->kind == WS && c->state == OPEN);
    }
}

/* A session (ticket) the server issued: kept by the watcher for its next connection, as a browser's page reload
   resumes its TLS session instead of a full handshake (nginx: ssl_session_cache, deploy/nginx/cop.conf). */
static int new_session(SSL *ssl, SSL_SESSION *session) {
    Conn *c = SSL_get_app_data(ssl);
    if (!c || !c->w) return 0;
    if (c->w->session) SSL_SESSION_free(c->w->session);
    c->w->session = session;
    return 1;  /* the reference is the watcher's now */
}

static int compare(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return (x > y) - (x < y); }

static double percentile(double *values, int n, double share) {
    if (!n) return 0;
    qsort(values, n, sizeof *values, compare);
    int i = (int)(share * (n - 1) + 0.5);
    return values[i < n ? i : n - 1];
}

static void finish(long long last, double waited, double caught) {
    double cpu = measure_began ? (cpu_seconds() - cpu_began) / (now_real() - measure_began) * 100 : 0;
    if (out_path) {
        FILE *f = fopen(out_path, "wb");
        for (long long s = 0; s < arrivals_len; s++)
            if (arrivals[s].n) {
                fwrite(&s, 8, 1, f); fwrite(&arrivals[s].n, 8, 1, f);
                fwrite(arrivals[s].t, sizeof(double), arrivals[s].n, f);
            }
        fclose(f);
    }
    long long behind = 0, connected = 0, server_closes = 0;
    for (int code = 0; code <= 4096; code++) server_closes += closed_by[code];
    for (int i = 0; i < count; i++) { behind += watchers[i].seq != last; connected += watchers[i].synced; }
    double lag_max = 0;
    for (int i = 0; i < n_lags; i++) if (lags[i] > lag_max) lag_max = lags[i];
    double p50 = percentile(lags, n_lags, .5), p99 = percentile(lags, n_lags, .99);
    printf("{\"clients\":%d,\"connected_at_end\":%lld,\"gaps\":%lld,\"duplicates\":%lld,\"behind\":%lld,"
           "\"connections\":%lld,\"events_received\":%lld,\"messages\":%lld,\"snapshots\":%lld,\"reloads\":%lld,"
           "\"http\":%lld,\"server_closes\":%lld,\"tls_handshakes\":%lld,\"tls_resumed\":%lld,\"phases\":{\"cpu_percent\":%.1f,\"loop_lag\":{\"p50_ms\":%.1f,\"p99_ms\":%.1f,"
           "\"max_ms\":%.1f},\"waited_for_last_s\":%.1f,\"catch_up_s\":%.1f,\"stalls\":[]},\"closed_by\":{",
           count, connected, gaps, duplicates, behind, connections, events_received, messages, snapshots, reloads,
           http, server_closes, handshakes, resumed, cpu, p50 * 1000, p99 * 1000, lag_max * 1000, waited, caught);
    int first = 1;
    for (int code = 0; code <= 4096; code++)
        if (closed_by[code] && code != 1000) {
            if (code == 4096) printf("%s\"None\":%lld", first ? "" : ",", closed_by[code]);
            else printf("%s\"%d\":%lld", first ? "" : ",", code, closed_by[code]);
            first = 0;
        }
    printf("},\"errors\":[");
    for (int i = 0; i < n_errors; i++) printf("%s\"%s\"", i ? "," : "", errors[i]);
    if (refusal_n) {
        printf("%s\"refusals: {", n_errors ? "," : "");
        for (int i = 0; i < refusal_n; i++) printf("%s'%s': %lld", i ? ", " : "", refusal_codes[i], refusal_count[i]);
        printf("}\"");
    }
    printf("]}\n");
    fflush(stdout);
}

int main(int argc, char **argv) {
    srandom(getpid() ^ (unsigned)time(NULL));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--notify")) { notify = 1; continue; }
        if (!v) { fprintf(stderr, "%s needs a value\n", a); return 2; }
        i++;
        if (!strcmp(a, "--url")) {
            if (n_urls == MAX_URLS || parse_url(v, &urls[n_urls++])) { fprintf(stderr, "bad url %s\n", v); return 2; }
        } else if (!strcmp(a, "--count")) count = atoi(v);
        else if (!strcmp(a, "--meeting")) meeting = atoi(v);
        else if (!strcmp(a, "--origin")) origin = v;
        else if (!strcmp(a, "--reload-share")) reload_share = atof(v);
        else if (!strcmp(a, "--page")) { if (parse_url(v, &page_url)) { fprintf(stderr, "bad page %s\n", v); return 2; } have_page = 1; }
        else if (!strcmp(a, "--out")) out_path = v;
        else { fprintf(stderr, "unknown argument %s\n", a); return 2; }
    }
    if (!n_urls || count <= 0) { fprintf(stderr, "--url and --count are required\n"); return 2; }
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    ctx = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);  /* the benches' own self-signed certificate */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, new_session);
    epfd = epoll_create1(0);
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    struct epoll_event in_ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &in_ev);
    watchers = calloc(count, sizeof *watchers);
    int reloaders = have_page ? (int)(count * reload_share) : 0;
    for (int i = 0; i < count; i++) {
        watchers[i] = (Watcher){.idx = i, .at = i, .seq = -1, .reloader = i < reloaders};
        schedule_connect(&watchers[i], 0);
    }
    long long last = -1;
    double last_until = 0, last_asked = 0, tick = now_mono() + 0.1, waited = 0;
    int ending = 0;
    char line[256]; size_t line_len = 0;
    struct epoll_event events[512];
    for (;;) {
        double t = now_mono();
        if (t >= tick) {
            if (measure_began && n_lags < 100000) lags[n_lags++] = t - tick;
            tick = t + 0.1;
            double real = now_real();
            for (int i = 0; i < count; i++) {
                Watcher *w = &watchers[i];
                if (w->ws && w->ws->state != OPEN && t - w->ws->opened > OPEN_TIMEOUT) lost(w->ws, 0);
                if (w->page && t - w->page->opened > 20) {
                    w->page->status = 0;
                    w->page->why = "no answer within 20 s";
                    lost(w->page, 0);
                }
                if (w->reloader && stop_at && !w->page && real < stop_at - 8 && w->next_reload && t >= w->next_reload) {
                    w->next_reload = t + 8 + 12.0 * random() / RAND_MAX;
                    w->page = open_conn(w, PAGE);
                }
            }
            if (last >= 0) {
                int all = 1;
                for (int i = 0; i < count && all; i++) all = watchers[i].seq == last;
                if (all || t > last_until) {
                    finish(last, waited, t - last_asked);
                    return 0;
                }
            }
            if (ending) { finish(last, 0, 0); return 0; }
        }
        for (int i = 0; n_waiting && i < count && opening < OPENING_AT_ONCE; i++) {
            Watcher *w = &watchers[i];
            if (w->waiting && t >= w->next_connect) { w->waiting = 0; n_waiting--; w->ws = open_conn(w, WS); }
        }
        int wait_ms = (int)((tick - now_mono()) * 1000) + 1;
        bury();
        int n = epoll_wait(epfd, events, 512, wait_ms < 0 ? 0 : wait_ms > 10 ? 10 : wait_ms);
        for (int k = 0; k < n; k++) {
            Conn *c = events[k].data.ptr;
            if (c) { on_ready(c, events[k].events); continue; }
            ssize_t got = read(0, line + line_len, sizeof line - 1 - line_len);
            if (got == 0) { epoll_ctl(epfd, EPOLL_CTL_DEL, 0, NULL); ending = 1; continue; }
            if (got < 0) continue;
            line_len += got;
            line[line_len] = 0;
            char *nl;
            while ((nl = strchr(line, '\n'))) {
                *nl = 0;
                if (!strncmp(line, "reload ", 7)) {
                    stop_at = atof(line + 7);
                    measure_began = now_real(); cpu_began = cpu_seconds();
                    double m = now_mono();
                    for (int i = 0; i < count; i++) if (watchers[i].reloader)
                        watchers[i].next_reload = m + 8 + 12.0 * random() / RAND_MAX;
                } else if (!strncmp(line, "last ", 5)) {
                    last = atoll(line + 5); last_asked = now_mono(); last_until = last_asked + 30;
                    waited = stop_at ? now_real() - stop_at : 0;
                } else if (!strncmp(line, "end", 3)) ending = 1;
                size_t used = nl + 1 - line;
                memmove(line, nl + 1, line_len - used + 1);
                line_len -= used;
            }
        }
    }
}
