/*
 * driver_sr25519.c - conformance driver commands for the sr25519 area (see driver.h).
 */
#include "driver.h"

const struct drv_cmd drv_cmds_sr25519[] = {
    {NULL, 0, NULL},
};
