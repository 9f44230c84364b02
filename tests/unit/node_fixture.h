/*
 * node_fixture.h - unit tests that need a real parentchain: start `integritee-node --dev --tmp`
 * from the build tree on an ephemeral port (read back from its log) and stop it.
 * Header-only (static inline) so each test stays a single translation unit.
 */
#ifndef ITEE_NODE_FIXTURE_H
#define ITEE_NODE_FIXTURE_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct node_proc {
    pid_t pid;     /* the node */
    char log[96];  /* its stderr */
    unsigned port; /* its JSON-RPC port */
};

static inline void node_sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Starts the node (500 ms blocks) and waits until its RPC port is known. */
static inline void node_start(struct node_proc *n, const char *name)
{
    snprintf(n->log, sizeof(n->log), "/tmp/%s.%d.node.log", name, (int)getpid());
    n->pid = fork();
    assert_true(n->pid >= 0);
    if (n->pid == 0) {
        FILE *f = freopen(n->log, "w", stderr);
        (void)f;
        execl(ITEE_BINARY_DIR "/bin/integritee-node", "integritee-node", "--dev", "--tmp",
              "--rpc-port", "0", "--block-time-ms", "500", "--no-prometheus", (char *)NULL);
        _exit(127);
    }
    n->port = 0;
    for (int i = 0; i < 200 && n->port == 0; i++) {
        node_sleep_ms(50);
        FILE *f = fopen(n->log, "r");
        if (f == NULL)
            continue;
        char line[512];
        while (fgets(line, sizeof(line), f) != NULL) {
            const char *p = strstr(line, "Running JSON-RPC server: addr=");
            const char *colon = p ? strrchr(p, ':') : NULL;
            if (colon != NULL)
                n->port = (unsigned)strtoul(colon + 1, NULL, 10);
        }
        fclose(f);
    }
    assert_true(n->port != 0);
}

static inline void node_stop(struct node_proc *n)
{
    if (n->pid <= 0)
        return;
    kill(n->pid, SIGKILL);
    waitpid(n->pid, NULL, 0);
    n->pid = 0;
    unlink(n->log);
}

#endif
