/*
 * driver_trie.c - conformance driver commands for the trie area (see driver.h).
 */
#include "driver.h"

const struct drv_cmd drv_cmds_trie[] = {
    {NULL, 0, NULL},
};
