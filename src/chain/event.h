/*
 * event.h - frame_system EventRecord and the Vec<EventRecord> stored under System.Events.
 *
 * Wire form: EventRecord = Phase || RuntimeEvent || topics: Vec<H256>, with
 *   Phase = 0x00 ApplyExtrinsic(u32) | 0x01 Finalization | 0x02 Initialization
 *   RuntimeEvent = pallet index u8 || event index u8 || fields (SCALE, as the metadata says)
 *
 * The fields of an event are not self-delimiting, so reading a record needs a callback that
 * knows the runtime's event types and consumes exactly one event's fields.
 */
#ifndef ITEE_EVENT_H
#define ITEE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec/scale.h"
#include "common/bytes.h"
#include "common/err.h"

#define EVENT_TOPIC_LEN 32

enum event_phase {
    EVENT_PHASE_APPLY_EXTRINSIC = 0, /* during extrinsic extrinsic_index */
    EVENT_PHASE_FINALIZATION = 1,    /* on_finalize */
    EVENT_PHASE_INITIALIZATION = 2   /* on_initialize */
};

struct event_record {
    enum event_phase phase;   /* when it happened */
    uint32_t extrinsic_index; /* ApplyExtrinsic's index (0 otherwise) */
    uint8_t pallet;           /* pallet index in the runtime */
    uint8_t variant;          /* event index within the pallet */
    struct itee_slice fields; /* encoded event fields (a view) */
    const uint8_t *topics;    /* n_topics * 32 bytes (a view) */
    size_t n_topics;          /* number of topics */
};

/* Appends SCALE(EventRecord). Returns: ITEE_OK, ITEE_ERR_ARG, ITEE_ERR_SPACE/_NOMEM. */
ITEE_MUST_CHECK enum itee_err event_record_encode(struct itee_buf *b,
                                                  const struct event_record *rec);

/*
 * Appends one record to vec, which holds an encoded Vec<EventRecord> (an empty buffer is the
 * empty Vec): the count prefix is re-encoded as Substrate's storage append does.
 * Returns: ITEE_OK, ITEE_ERR_FORMAT (vec does not start with a count), or as encode.
 */
ITEE_MUST_CHECK enum itee_err event_vec_append(struct itee_buf *vec,
                                               const struct event_record *rec);

/*
 * Consumes exactly the fields of event (pallet, variant) from r.
 * Returns: ITEE_OK, or an error (ITEE_ERR_SCALE_VARIANT for an unknown event).
 */
typedef enum itee_err (*event_fields_fn)(void *ctx, uint8_t pallet, uint8_t variant,
                                         struct scale_reader *r);

/* Reads one record. Out: *rec (views into r's input; zeroed on failure). */
ITEE_MUST_CHECK enum itee_err event_record_read(struct scale_reader *r, struct event_record *rec,
                                                event_fields_fn fields, void *ctx);

#endif
