/*
 * driver_keys.c - conformance driver commands for the keys area (see driver.h).
 */
#include "driver.h"

const struct drv_cmd drv_cmds_keys[] = {
    {NULL, 0, NULL},
};
