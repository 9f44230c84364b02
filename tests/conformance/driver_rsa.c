/*
 * driver_rsa.c - conformance driver commands for the rsa area (see driver.h).
 */
#include "driver.h"

const struct drv_cmd drv_cmds_rsa[] = {
    {NULL, 0, NULL},
};
