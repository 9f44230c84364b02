/*
 * block.h - a Substrate block (header and opaque extrinsics) and a signed block (block plus
 * optional justifications), as stored and as served by chain_getBlock.
 *
 * Wire forms:
 *   Block       = Header || Vec<OpaqueExtrinsic>   (each extrinsic carries its own length prefix)
 *   SignedBlock = Block || Option<Vec<(ConsensusEngineId, Vec<u8>)>>
 *
 * Decoding is zero-copy for the bytes (extrinsics and justifications are views into the input,
 * which must outlive the block) but allocates the arrays of views: free with block_free /
 * block_signed_free.
 */
#ifndef ITEE_BLOCK_H
#define ITEE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain/header.h"
#include "common/bytes.h"
#include "common/err.h"
#include "trie/trie.h"

/* Largest number of extrinsics / justifications a decoded block may carry. */
#define BLOCK_MAX_EXTRINSICS     (1u << 20)
#define BLOCK_MAX_JUSTIFICATIONS 16

struct block {
    struct header header;          /* the header */
    struct itee_slice *extrinsics; /* each extrinsic's full encoding, prefix included */
    size_t n_extrinsics;           /* entries in extrinsics */
    bool owns_array;               /* extrinsics was allocated by block_decode */
};

/* One justification: (engine id, encoded proof), e.g. ("FRNK", GrandpaJustification). */
struct block_justification {
    uint8_t engine[HEADER_ENGINE_LEN]; /* consensus engine id */
    struct itee_slice data;            /* the encoded justification (a view) */
};

struct block_signed {
    struct block block;                         /* the block */
    bool has_justifications;                    /* Option tag */
    struct block_justification *justifications; /* entries (allocated by decode) */
    size_t n_justifications;                    /* entries in justifications */
    bool owns_justifications;                   /* justifications was allocated by decode */
};

/*
 * Appends SCALE(block). Each extrinsic must be a complete encoding whose length prefix matches.
 * Returns: ITEE_OK, ITEE_ERR_ARG (an extrinsic's prefix is wrong), ITEE_ERR_SPACE/_NOMEM.
 */
ITEE_MUST_CHECK enum itee_err block_encode(struct itee_buf *b, const struct block *blk);
/* Appends SCALE(signed block). Returns: as block_encode. */
ITEE_MUST_CHECK enum itee_err block_signed_encode(struct itee_buf *b,
                                                  const struct block_signed *sb);

/* Reads a block from r. Out: *blk (free with block_free; zeroed on failure). */
ITEE_MUST_CHECK enum itee_err block_read(struct scale_reader *r, struct block *blk);
/* Decodes exactly len bytes as a block. Returns: ITEE_OK, a SCALE error, or ITEE_ERR_NOMEM. */
ITEE_MUST_CHECK enum itee_err block_decode(struct block *blk, const uint8_t *p, size_t len);
/* Decodes exactly len bytes as a signed block. Out: *sb (free with block_signed_free). */
ITEE_MUST_CHECK enum itee_err block_signed_decode(struct block_signed *sb, const uint8_t *p,
                                                  size_t len);
/* Frees the arrays a decode allocated (not the viewed bytes). Safe on zeroed values. */
void block_free(struct block *blk);
void block_signed_free(struct block_signed *sb);

/*
 * Extrinsics root: the ordered trie root of the full extrinsic encodings (layout V0 while the
 * runtime's system_version is 0 or 1). Returns: as trie_ordered_root.
 */
ITEE_MUST_CHECK enum itee_err block_extrinsics_root(enum trie_layout layout,
                                                    const struct itee_slice *extrinsics, size_t n,
                                                    uint8_t root[HEADER_HASH_LEN]);

/*
 * Reads one length-prefixed extrinsic (OpaqueExtrinsic) from r without interpreting it.
 * Out: *out views prefix and body. Returns: ITEE_OK or a SCALE error.
 */
ITEE_MUST_CHECK enum itee_err block_read_opaque_extrinsic(struct scale_reader *r,
                                                          struct itee_slice *out);

#endif
