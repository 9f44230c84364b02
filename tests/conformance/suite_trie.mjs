// Trie conformance: our sp-trie roots (V0, V1), ordered roots and read proofs against the Rust
// sp-trie / smoldot code of @acala-network/chopsticks-executor (compiled to wasm).
//  - roots: random key/value sets (0..10,000 entries, keys 1..64 bytes with shared prefixes,
//    values 0..200 bytes with many of exactly 32 and 33 bytes), both layouts;
//  - our proofs (both layouts) decode in chopsticks' decode_proof with the right values;
//  - chopsticks' proofs (create_proof builds V0 node sets) verify in ours, strict;
//  - tampered proofs (flipped byte, missing node, extra node, wrong root) are rejected by ours.
// Usage: node suite_trie.mjs <driver>
import { calculate_state_root, create_proof, decode_proof } from '@acala-network/chopsticks-executor';
import { Driver, makeRng, Report, hex, unhex } from './lib.mjs';

const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('trie');

// SCALE helpers: Compact length and Vec encodings, as hex.
function compact(n) {
  if (n < 64) return Buffer.from([n << 2]);
  if (n < 1 << 14) { const b = Buffer.alloc(2); b.writeUInt16LE((n << 2) | 1); return b; }
  const b = Buffer.alloc(4); b.writeUInt32LE(((n << 2) | 2) >>> 0); return b;
}
const vecBytes = (u8) => Buffer.concat([compact(u8.length), Buffer.from(u8)]);
const encList = (items) => Buffer.concat([compact(items.length), ...items.map(vecBytes)]).toString('hex');
const encEntries = (entries) =>
  Buffer.concat([compact(entries.length), ...entries.flatMap(([k, v]) => [vecBytes(k), vecBytes(v)])]).toString('hex');
function decList(h) {
  const b = Buffer.from(h, 'hex');
  let pos = 0;
  const rd = () => {
    const m = b[pos] & 3;
    if (m === 0) { const v = b[pos] >> 2; pos += 1; return v; }
    if (m === 1) { const v = b.readUInt16LE(pos) >> 2; pos += 2; return v; }
    const v = b.readUInt32LE(pos) >>> 2; pos += 4; return v;
  };
  const n = rd();
  const out = [];
  for (let i = 0; i < n; i++) { const l = rd(); out.push(new Uint8Array(b.subarray(pos, pos + l))); pos += l; }
  return out;
}
const h0x = (u8) => '0x' + hex(u8);

// Random sets with shared prefixes so branches and long partial keys both occur.
const PREFIXES = [rng.bytes(32), rng.bytes(16), rng.bytes(3), rng.bytes(1), new Uint8Array(0)];
function randKey() {
  const len = rng.range(1, 64);
  const p = rng.pick(PREFIXES);
  const k = new Uint8Array(len);
  const take = Math.min(len, rng.int(p.length + 1));
  k.set(p.subarray(0, take));
  for (let i = take; i < len; i++) k[i] = rng.bool() ? rng.int(256) : rng.int(3);
  return k;
}
function randValue() {
  const r = rng.int(10);
  const len = r < 2 ? 32 : r < 4 ? 33 : r < 5 ? rng.range(0, 2) : rng.range(0, 200);
  return rng.bytes(len);
}
function randSet(n) {
  const m = new Map();
  for (let i = 0; i < n; i++) m.set(hex(randKey()), randValue());
  return [...m.entries()].map(([k, v]) => [unhex(k), v]);
}
function sizeFor(i) {
  if (i < 5) return 10000;
  const r = rng.int(100);
  return r < 60 ? rng.range(0, 20) : r < 90 ? rng.range(20, 300) : rng.range(300, 2000);
}

async function chopRoot(entries, v) {
  return (await calculate_state_root(entries.map(([k, val]) => [h0x(k), h0x(val)]), v)).slice(2);
}

// Vectors of spec 7.4 first (each side separately, so a mismatch says who is wrong).
{
  const dog = [['646f', '76657262'], ['646f67', '7075707079'], ['646f6765', '636f696e']].map(([k, v]) => [unhex(k), unhex(v)]);
  for (const v of [0, 1]) {
    const [ours] = await drv.call('trie_root', v, encEntries(dog));
    rep.check('vector doge', ours === 'e1c91a63090d45e209523d80449ae9687d5313efbcffa8277d4d254252531479', { v, ours });
    rep.check('vector doge chopsticks', (await chopRoot(dog, v)) === ours, { v });
  }
  const e1 = unhex('280403000b207eba5c8501'), e2 = new Uint8Array(40).fill(0x44);
  const [o0] = await drv.call('trie_ordered_root', 0, encList([e1, e2]));
  const [o1] = await drv.call('trie_ordered_root', 1, encList([e1, e2]));
  rep.check('ordered root vector', o0 === '105243b223ce51240562dca70250f50d6b8295ef592c95dc46fafac78fbd4d66' &&
    o1 === 'e498f940d1acf1fffa79d3cb93e9ef90abc5d6a7a8c1023668319ffbd158987a', { o0, o1 });
}

const CASES = Number(process.env.TRIE_CASES || 1000);
let t0 = Date.now();
for (let c = 0; c < CASES; c++) {
  const entries = randSet(sizeFor(c));
  const encE = encEntries(entries);
  // roots, both layouts
  for (const v of [0, 1]) {
    const [ours] = await drv.call('trie_root', v, encE);
    const theirs = await chopRoot(entries, v);
    rep.check(`root V${v}`, ours === theirs, () => ({ n: entries.length, v, ours, theirs }));
  }
  // ordered root of the values (extrinsics-root shape), against keys we compact-encode here
  if (c % 4 === 0) {
    const items = entries.slice(0, 300).map(([, val]) => val);
    const v = c % 8 === 0 ? 0 : 1;
    const [ours] = await drv.call('trie_ordered_root', v, encList(items));
    const theirs = await chopRoot(items.map((val, i) => [compact(i), val]), v);
    rep.check('ordered root', ours === theirs, { n: items.length, v });
  }
  if (entries.length === 0 || entries.length > 2000) continue;

  // our proofs: a few present and absent keys
  const want = [];
  for (let i = 0; i < rng.range(1, 6); i++) want.push(rng.pick(entries)[0]);
  for (let i = 0; i < rng.range(0, 3); i++) want.push(randKey());
  const valueOf = new Map(entries.map(([k, val]) => [hex(k), hex(val)]));
  for (const v of [0, 1]) {
    const [root, proofHex] = await drv.call('trie_prove', v, encE, encList(want));
    const nodes = decList(proofHex);
    // chopsticks (smoldot proof decoder) accepts our proof and reads the same values
    let decoded;
    try { decoded = new Map((await decode_proof('0x' + root, nodes.map(h0x))).map(([k, val]) => [k.slice(2), val.slice(2)])); }
    catch (e) { decoded = null; }
    rep.check(`our proof V${v} decodes in chopsticks`, decoded !== null && want.every((k) => {
      const exp = valueOf.get(hex(k));
      return exp === undefined || decoded.get(hex(k)) === exp;
    }), () => ({ v, n: entries.length, root }));
    // and in ours, strictly
    const res = await drv.try('trie_verify', root, proofHex, encList(want), 1);
    rep.check(`our proof V${v} verifies in ours`, res !== null && want.every((k, i) => {
      const exp = valueOf.get(hex(k));
      return exp === undefined ? res[i] === '-' : res[i] === 'v' + exp;
    }), () => ({ v, res }));

    // tampering: every variant must be rejected by our verifier
    const enc = (ns) => encList(ns);
    const keysHex = encList(want);
    const j = rng.int(nodes.length);
    const flipped = nodes.map((n) => new Uint8Array(n));
    flipped[j][rng.int(flipped[j].length)] ^= 1 << rng.int(8);
    rep.check('tampered: flipped byte', (await drv.try('trie_verify', root, enc(flipped), keysHex, 1)) === null, { v });
    if (nodes.length > 1) {
      const missing = nodes.filter((_, i) => i !== j);
      rep.check('tampered: missing node', (await drv.try('trie_verify', root, enc(missing), keysHex, 1)) === null, { v });
    }
    const other = [...entries.map(([k]) => k)].filter((k) => !want.some((w) => hex(w) === hex(k)));
    if (other.length > 0) {
      const [, otherHex] = await drv.call('trie_prove', v, encE, encList([rng.pick(other)]));
      const have = new Set(nodes.map(hex));
      const extra = decList(otherHex).filter((n) => !have.has(hex(n)));
      if (extra.length > 0)
        rep.check('tampered: extra node', (await drv.try('trie_verify', root, enc([...nodes, extra[0]]), keysHex, 1)) === null, { v });
    }
    const badRoot = root.slice(0, 10) + (root[10] === '0' ? '1' : '0') + root.slice(11);
    rep.check('tampered: wrong root', (await drv.try('trie_verify', badRoot, proofHex, keysHex, 0)) === null, { v });
  }

  // chopsticks' proofs verify in ours: create_proof builds the (V0) node set of the whole trie
  if (c % 2 === 0) {
    const [croot, cnodes] = await create_proof([], entries.map(([k, val]) => [h0x(k), h0x(val)]));
    const [ours0] = await drv.call('trie_root', 0, encE);
    rep.check('chopsticks create_proof root', croot.slice(2) === ours0, { n: entries.length });
    const keys = [...entries.map(([k]) => k), randKey(), randKey()];
    const proofHex = encList(cnodes.map(unhex));
    const res = await drv.try('trie_verify', croot.slice(2), proofHex, encList(keys), 1);
    rep.check('chopsticks proof verifies in ours', res !== null && keys.every((k, i) => {
      const exp = valueOf.get(hex(k));
      return exp === undefined ? res[i] === '-' : res[i] === 'v' + exp;
    }), () => ({ n: entries.length, res: res && res.slice(0, 4) }));
  }
  if (c % 100 === 99) console.log(`  ${c + 1} cases, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
drv.close();
rep.finish();
