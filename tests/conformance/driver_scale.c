/*
 * driver_scale.c - conformance driver commands for the scale area (see driver.h).
 */
#include "driver.h"

const struct drv_cmd drv_cmds_scale[] = {
    {NULL, 0, NULL},
};
