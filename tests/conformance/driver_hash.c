/*
 * driver_hash.c - conformance driver commands for the hash area (see driver.h).
 */
#include "driver.h"

const struct drv_cmd drv_cmds_hash[] = {
    {NULL, 0, NULL},
};
