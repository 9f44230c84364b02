// node_ops_verify.cjs - checks a grandpa_proveFinality answer independently of the node's C
// code: decodes SCALE FinalityProof {block, justification: Vec<u8>, unknown_headers:
// Vec<Header>} and the GrandpaJustification inside by hand, and verifies every precommit
// signature with @polkadot/util-crypto against the GRANDPA authority of the chain spec.
// Usage: node node_ops_verify.cjs <clients dir> <proof hex> <block hash hex> <authority ss58>
'use strict';
const { createRequire } = require('module');
const req = createRequire(process.argv[2] + '/package.json');
const { cryptoWaitReady, ed25519Verify, decodeAddress } = req('@polkadot/util-crypto');
const { hexToU8a, u8aToHex } = req('@polkadot/util');

function fail(msg) {
  console.log('FAIL ' + msg);
  process.exit(1);
}

function reader(bytes) {
  let off = 0;
  const take = (n) => {
    if (off + n > bytes.length) fail('proof truncated');
    const s = bytes.subarray(off, off + n);
    off += n;
    return s;
  };
  const compact = () => {
    if (off >= bytes.length) fail('proof truncated');
    const b = bytes[off];
    const mode = b & 3;
    if (mode === 0) {
      off += 1;
      return b >> 2;
    }
    if (mode === 1) {
      const s = take(2);
      return (s[0] | (s[1] << 8)) >> 2;
    }
    if (mode === 2) {
      const s = take(4);
      return ((s[0] | (s[1] << 8) | (s[2] << 16) | (s[3] << 24)) >>> 0) >>> 2;
    }
    fail('big compact');
  };
  const u32 = () => {
    const s = take(4);
    return (s[0] | (s[1] << 8) | (s[2] << 16) | (s[3] << 24)) >>> 0;
  };
  const u64 = () => {
    const lo = u32();
    const hi = u32();
    return BigInt(hi) * 4294967296n + BigInt(lo);
  };
  return { take, compact, u32, u64, done: () => off === bytes.length };
}

(async () => {
  await cryptoWaitReady();
  const [, , , proofHex, blockHex, authority] = process.argv;
  const auth = decodeAddress(authority);
  const r = reader(hexToU8a(proofHex));
  const block = r.take(32);
  if (u8aToHex(block) !== blockHex) fail('proof block ' + u8aToHex(block) + ' != ' + blockHex);
  const just = r.take(r.compact());
  const nHeaders = r.compact();
  if (nHeaders !== 0) fail('unexpected unknown headers ' + nHeaders);
  if (!r.done()) fail('trailing bytes in the proof');
  const j = reader(just);
  const round = j.u64();
  const target = j.take(32);
  const number = j.u32();
  if (u8aToHex(target) !== blockHex) fail('commit target is not the block');
  const n = j.compact();
  if (n < 1) fail('no precommits');
  for (let i = 0; i < n; i++) {
    const h = j.take(32);
    const num = j.u32();
    const sig = new Uint8Array(j.take(64));
    const id = j.take(32);
    const msg = new Uint8Array(53);
    const dv = new DataView(msg.buffer);
    msg[0] = 1;
    msg.set(h, 1);
    dv.setUint32(33, num, true);
    dv.setBigUint64(37, round, true);
    dv.setBigUint64(45, 0n, true);
    if (u8aToHex(id) !== u8aToHex(auth)) fail('precommit by a key outside the authority set');
    if (!ed25519Verify(msg, sig, id)) fail('precommit signature does not verify');
    sig[0] ^= 1;
    if (ed25519Verify(msg, sig, id)) fail('a corrupted signature verified');
  }
  if (j.compact() !== 0) fail('unexpected votes ancestries');
  if (!j.done()) fail('trailing bytes in the justification');
  console.log('OK justification for #' + number + ' round ' + round + ' verified');
  process.exit(0);
})().catch((e) => fail(String(e)));
