// Conformance of the chain types (src/chain) against @polkadot/types 16.5.6 with the spec's
// mini metadata (tests/vectors/mini-metadata-v14.hex):
//  - extrinsics signed by polkadot-js (sr25519 / ed25519 / ecdsa; balances transfers and
//    system remarks up to 600 bytes, so payloads cross the 256-byte hashing rule; mortal and
//    immortal eras; with and without the CheckMetadataHash extension) are decoded by ours with
//    the same fields, ours rebuilds the identical signing payload and verifies the signature;
//  - extrinsics signed by ours are decoded by polkadot-js with the same fields and their
//    signatures verify with @polkadot/util-crypto;
//  - Era: encoding of (period, current) pairs, decoding of random two-byte values (including
//    invalid ones), birth and death;
//  - Header: encoding and hash of random headers with random digests, both ways;
//  - GrandpaJustification: built and signed in JS (with ancestries, some corrupted) -> decoded
//    and verified by ours; built by ours -> decoded and verified in JS.
// Usage: node suite_chain.mjs <driver-path>
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { compactToU8a, u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, ed25519Verify, signatureVerify } from '@polkadot/util-crypto';
import { Driver, Report, hex, makeRng, textHex, unhex } from './lib.mjs';

const N = 1000;
const CHUNK = 200;

await cryptoWaitReady();
const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('suite_chain');
const arg = (u8) => (u8.length === 0 ? '-' : hex(u8));
const J = (o) => JSON.stringify(o, (k, v) => (typeof v === 'bigint' ? v.toString() : v));
const h0x = (s) => s.replace(/^0x/, '');

const metaHex = readFileSync(new URL('../vectors/mini-metadata-v14.hex', import.meta.url), 'utf8').trim();
function makeRegistry(withMetadataHash) {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, metaHex.startsWith('0x') ? metaHex : `0x${metaHex}`);
  registry.setMetadata(metadata);
  const exts = [...registry.signedExtensions];
  if (withMetadataHash) registry.setSignedExtensions([...exts, 'CheckMetadataHash']);
  return registry;
}
const registries = [makeRegistry(false), makeRegistry(true)];
const plain = registries[0];

const SCHEMES = ['ed25519', 'sr25519', 'ecdsa'];
const SCHEME_INDEX = { ed25519: 0, sr25519: 1, ecdsa: 2 };
const keyrings = Object.fromEntries(SCHEMES.map((s) => [s, new Keyring({ type: s })]));
const SURIS = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie', '//Alice//stash', '//x//1'];
const pairs = Object.fromEntries(
  SCHEMES.map((s) => [s, SURIS.map((u) => ({ suri: u, pair: keyrings[s].createFromUri(u) }))]));

async function chunked(n, make) {
  for (let i = 0; i < n; i += CHUNK) {
    const batch = [];
    for (let k = i; k < Math.min(n, i + CHUNK); k++) batch.push(make(k));
    await Promise.all(batch);
  }
}

// ---- random calls present in the mini metadata ----
function randomU128() {
  const bits = rng.range(0, 128);
  if (bits === 0) return 0n;
  return ((rng.u64() << 64n) | rng.u64()) & ((1n << BigInt(bits)) - 1n);
}
function randomCall() {
  if (rng.bool()) {
    // System.remark(Vec<u8>): lengths around and past the 256-byte payload rule
    const len = rng.pick([0, 1, 10, 100, 150, 160, 170, 180, 200, 250, 300, 600, rng.range(0, 600)]);
    return u8aConcat(new Uint8Array([0, 0]), compactToU8a(len), rng.bytes(len));
  }
  // Balances.transfer_allow_death (0) / transfer_keep_alive (3) { dest: MultiAddress::Id, value }
  return u8aConcat(new Uint8Array([4, rng.pick([0, 3]), 0]), rng.bytes(32), compactToU8a(randomU128()));
}
function randomExtParams(registry, withMeta) {
  const mortal = rng.int(4) !== 0;
  const current = rng.range(0, 5_000_000);
  const period = rng.pick([4, 16, 64, 100, 250, 1024, 4096, 5000, 65536, rng.range(0, 70000)]);
  const era = mortal ? registry.createType('ExtrinsicEra', { current, period }) : registry.createType('ExtrinsicEra', new Uint8Array([0]));
  const genesisHash = u8aToHex(rng.bytes(32));
  const blockHash = mortal ? u8aToHex(rng.bytes(32)) : genesisHash;
  const p = {
    era, blockHash, genesisHash,
    nonce: rng.pick([0, 1, 63, 64, 16383, 16384, rng.range(0, 0xffffffff)]),
    tip: rng.int(3) === 0 ? 0n : randomU128(),
    specVersion: rng.range(0, 0xffffffff),
    transactionVersion: rng.range(0, 0xffffffff),
  };
  if (withMeta) {
    p.mode = rng.int(2);
    p.metadataHash = rng.bool() ? u8aToHex(rng.bytes(32)) : null;
  }
  return p;
}
// The hash CheckMetadataHash signs: Some(hash) only with mode 1 and a hash known
const signedMetaHash = (p) => (p.mode === 1 && p.metadataHash ? p.metadataHash : null);
const mhArg = (p) => (p.metadataHash ? h0x(p.metadataHash) : '-');

function jsPayload(registry, method, p, withMeta) {
  const fields = {
    method: u8aToHex(method), era: p.era, nonce: p.nonce, tip: p.tip,
    specVersion: p.specVersion, transactionVersion: p.transactionVersion,
    genesisHash: p.genesisHash, blockHash: p.blockHash,
  };
  if (withMeta) { fields.mode = p.mode; fields.metadataHash = signedMetaHash(p); }
  return registry.createType('ExtrinsicPayload', fields, { version: 4 }).toU8a({ method: true });
}

// ---- extrinsics: polkadot-js signs, ours decodes and verifies ----
async function extJsToC(i) {
  const withMeta = i % 4 === 3;
  const registry = registries[withMeta ? 1 : 0];
  const scheme = SCHEMES[i % 3];
  const { pair } = rng.pick(pairs[scheme]);
  const call = randomCall();
  const p = randomExtParams(registry, withMeta);
  const ext = registry.createType('Extrinsic', registry.createType('Call', call));
  const opts = {
    blockHash: p.blockHash, era: p.era, genesisHash: p.genesisHash, nonce: p.nonce, tip: p.tip,
    runtimeVersion: { specVersion: p.specVersion, transactionVersion: p.transactionVersion },
  };
  if (withMeta) { opts.mode = p.mode; opts.metadataHash = signedMetaHash(p); }
  ext.sign(pair, opts);
  const xhex = h0x(ext.toHex());
  const payload = hex(jsPayload(registry, call, p, withMeta));
  // The chain our side verifies against knows the metadata hash only when one was signed.
  const chainMh = withMeta ? (signedMetaHash(p) ? h0x(p.metadataHash) : mhArg(p)) : '-';
  const args = [withMeta ? 1 : 0, p.specVersion, p.transactionVersion, h0x(p.genesisHash), h0x(p.blockHash), chainMh, xhex];
  const [dec, ver, bad] = await Promise.all([
    drv.try('ext_decode', withMeta ? 1 : 0, xhex),
    drv.try('ext_verify', ...args),
    // the wrong birth-block hash must fail
    drv.try('ext_verify', ...args.slice(0, 4), hex(rng.bytes(32)), ...args.slice(5)),
  ]);
  const want = [
    '1', h0x(ext.signer.toHex()).slice(-64), String(SCHEME_INDEX[scheme]),
    h0x(ext.signature.toHex()).slice(scheme === 'ecdsa' ? -130 : -128), h0x(p.era.toHex()), String(p.nonce), p.tip.toString(),
    String(withMeta ? p.mode : 0), hex(call), h0x(ext.hash.toHex()),
  ];
  rep.check('ext js->c decode', dec !== null && dec.join(' ') === want.join(' '), () => J({ xhex, dec, want }));
  rep.check('ext js->c payload+verify', ver !== null && ver[0] === payload && ver[1] === '1',
    () => J({ xhex, ver, payload }));
  rep.check('ext js->c wrong era hash fails', bad !== null && bad[1] === '0', () => J({ xhex, bad }));
}

// ---- extrinsics: ours signs, polkadot-js decodes and verifies ----
async function extCToJs(i) {
  const withMeta = i % 4 === 1;
  const registry = registries[withMeta ? 1 : 0];
  const scheme = SCHEMES[i % 3];
  const { suri, pair } = rng.pick(pairs[scheme]);
  const call = randomCall();
  const p = randomExtParams(registry, withMeta);
  const chainMh = withMeta ? mhArg(p) : '-';
  const r = await drv.try('ext_sign', withMeta ? 1 : 0, scheme, textHex(suri), p.specVersion, p.transactionVersion,
    h0x(p.genesisHash), h0x(p.blockHash), chainMh, h0x(p.era.toHex()), p.nonce, p.tip.toString(),
    withMeta ? p.mode : 0, hex(call));
  if (r === null) { rep.check('ext c->js sign', false, { i }); return; }
  let ext;
  try { ext = registry.createType('Extrinsic', `0x${r[0]}`); } catch (e) {
    rep.check('ext c->js decode', false, { i, hex: r[0], e: e.message }); return;
  }
  const okFields = ext.isSigned && ext.version === 0x84 && ext.signer.toHex() === `0x00${hex(pair.addressRaw)}` &&
    ext.era.toHex() === p.era.toHex() && ext.nonce.toNumber() === p.nonce && ext.tip.toBigInt() === p.tip &&
    ext.method.toHex() === u8aToHex(call) && ext.toHex() === `0x${r[0]}` &&
    (!withMeta || ext.inner.signature.mode.toNumber() === p.mode);
  rep.check('ext c->js decode', okFields, () => J({ hex: r[0], ext: ext.toHuman() }));
  let msg = jsPayload(registry, call, p, withMeta);
  if (msg.length > 256) msg = blake2AsU8a(msg, 256);
  const sig = ext.signature.toU8a();
  const res = signatureVerify(msg, sig, pair.addressRaw);
  rep.check('ext c->js signature', res.isValid && res.crypto === scheme, () => J({ hex: r[0], res }));
}

// ---- unsigned extrinsics both ways ----
async function extUnsigned() {
  const call = randomCall();
  const ext = plain.createType('Extrinsic', plain.createType('Call', call));
  const [enc, dec] = await Promise.all([drv.try('ext_unsigned', hex(call)), drv.try('ext_decode', 0, h0x(ext.toHex()))]);
  rep.check('ext unsigned', enc !== null && `0x${enc[0]}` === ext.toHex() && dec !== null && dec[0] === '0' && dec[1] === hex(call),
    () => J({ enc, dec, js: ext.toHex() }));
}

// ---- Era ----
async function eraCase() {
  const current = rng.range(0, 0x7fffffff);
  const period = rng.pick([rng.range(0, 70000), rng.range(0, 300), 1 << rng.range(0, 17)]);
  const js = plain.createType('ExtrinsicEra', { current, period });
  const enc = h0x(js.toHex());
  const back = plain.createType('ExtrinsicEra', `0x${enc}`).asMortalEra;
  const r = await drv.try('era_mortal', period, current);
  const want = [enc, back.period.toString(), back.phase.toString(), String(back.birth(current)), String(back.death(current))];
  rep.check('era mortal(period, current)', r !== null && r.join(' ') === want.join(' '), () => J({ period, current, r, want }));
}
async function eraDecodeCase() {
  const u8 = rng.bytes(2);
  if (u8[0] === 0) u8[0] = 1;
  const current = rng.range(0, 0x7fffffff);
  let want = null;
  try {
    const e = plain.createType('ExtrinsicEra', u8).asMortalEra;
    want = ['1', e.period.toString(), e.phase.toString(), String(e.birth(current)), String(e.death(current))].join(' ');
  } catch { want = null; }
  const r = await drv.try('era_decode', hex(u8), current);
  rep.check('era decode', (r === null ? null : r.join(' ')) === want, () => J({ u8: hex(u8), r, want }));
}

// ---- Header ----
const ENGINES = ['aura', 'FRNK', 'BABE', 'pow_'];
function randomLogs() {
  const logs = [];
  const spec = [];
  for (let k = rng.int(6); k > 0; k--) {
    const kind = rng.pick([0, 4, 5, 6, 8]);
    const engine = new TextEncoder().encode(rng.pick(ENGINES));
    const data = rng.bytes(rng.pick([0, 8, 64, rng.int(100)]));
    if (kind === 0) logs.push({ Other: u8aToHex(data) });
    else if (kind === 8) logs.push({ RuntimeEnvironmentUpdated: null });
    else logs.push({ [{ 4: 'Consensus', 5: 'Seal', 6: 'PreRuntime' }[kind]]: [u8aToHex(engine), u8aToHex(data)] });
    spec.push(`${kind}:${kind === 0 || kind === 8 ? '-' : hex(engine)}:${kind === 8 ? '-' : arg(data)}`);
  }
  return { logs, spec: spec.length ? spec.join(',') : '-' };
}
async function headerCase() {
  const f = {
    parentHash: rng.bytes(32),
    number: rng.pick([0, 1, 63, 64, 16383, 16384, 1 << 30, 0xffffffff, rng.range(0, 0xffffffff)]),
    stateRoot: rng.bytes(32),
    extrinsicsRoot: rng.bytes(32),
  };
  const { logs, spec } = randomLogs();
  const js = plain.createType('Header', { ...f, digest: { logs } });
  const [built, dec] = await Promise.all([
    drv.try('header_build', hex(f.parentHash), f.number, hex(f.stateRoot), hex(f.extrinsicsRoot), spec),
    drv.try('header_decode', h0x(js.toHex())),
  ]);
  rep.check('header c encode+hash', built !== null && `0x${built[0]}` === js.toHex() && `0x${built[1]}` === js.hash.toHex(),
    () => J({ built, js: js.toHex(), hash: js.hash.toHex() }));
  rep.check('header js->c decode+hash', dec !== null && `0x${dec[0]}` === js.hash.toHex() && dec[1] === String(f.number) &&
    dec[2] === String(logs.length) && `0x${dec[3]}` === js.toHex(), () => J({ dec, js: js.toHex() }));
  if (built !== null) {
    const back = plain.createType('Header', `0x${built[0]}`);
    rep.check('header c->js decode', back.number.toNumber() === f.number && back.digest.logs.length === logs.length &&
      back.hash.toHex() === `0x${built[1]}`, () => J({ built }));
  }
}

// ---- GRANDPA ----
const edPairs = pairs.ed25519;
const le = (v, n) => { const b = new Uint8Array(n); let x = BigInt(v); for (let i = 0; i < n; i++) { b[i] = Number(x & 0xffn); x >>= 8n; } return b; };
const precommitMsg = (hash, num, round, setId) => u8aConcat(new Uint8Array([1]), hash, le(num, 4), le(round, 8), le(setId, 8));

async function gjJsToC(i) {
  const round = rng.u64();
  const setId = rng.u64() >> BigInt(rng.range(0, 64));
  const nAuth = rng.range(1, 6);
  const voters = edPairs.slice(0, nAuth);
  const target = rng.bytes(32);
  const targetNumber = rng.range(0, 0xfffffff0);
  // a chain target <- a1 <- a2 ... used by some votes
  const ancestries = [];
  let parent = target;
  const depth = rng.int(4);
  const chain = [];
  for (let d = 1; d <= depth; d++) {
    const h = plain.createType('Header', { parentHash: parent, number: targetNumber + d, stateRoot: rng.bytes(32), extrinsicsRoot: rng.bytes(32), digest: { logs: [] } });
    ancestries.push(h);
    chain.push({ hash: h.hash.toU8a(), number: targetNumber + d });
    parent = h.hash.toU8a();
  }
  const nVotes = rng.range(0, nAuth);
  const precommits = [];
  for (let v = 0; v < nVotes; v++) {
    const useChain = chain.length > 0 && rng.bool();
    const t = useChain ? chain[chain.length - 1] : { hash: target, number: targetNumber };
    const sig = voters[v].pair.sign(precommitMsg(t.hash, t.number, round, setId));
    precommits.push({ precommit: { targetHash: t.hash, targetNumber: t.number }, signature: sig, id: voters[v].pair.publicKey });
  }
  const usesChain = precommits.some((p) => p.precommit.targetNumber !== targetNumber);
  const corrupt = rng.int(5) === 0 && precommits.length > 0;
  if (corrupt) precommits[rng.int(precommits.length)].signature[rng.int(64)] ^= 1 << rng.int(8);
  const anc = usesChain ? ancestries : (rng.int(4) === 0 ? ancestries : []);
  const j = plain.createType('GrandpaJustification', {
    round, commit: { targetHash: target, targetNumber, precommits }, votesAncestries: anc,
  });
  const threshold = nAuth - Math.floor((nAuth - 1) / 3);
  const valid = !corrupt && precommits.length >= threshold && (usesChain || anc.length === 0);
  const ids = voters.map((v) => hex(v.pair.publicKey)).join('');
  const r = await drv.try('gj_decode', h0x(j.toHex()), setId.toString(), ids);
  const want = [round.toString(), hex(target), String(targetNumber), String(precommits.length), String(anc.length), valid ? '1' : '0', h0x(j.toHex())];
  rep.check('grandpa js->c decode+verify', r !== null && r.join(' ') === want.join(' '), () => J({ i, r, want }));
}

async function gjCToJs() {
  const round = rng.u64();
  const setId = rng.u64() >> BigInt(rng.range(0, 64));
  const target = rng.bytes(32);
  const targetNumber = rng.range(0, 0xffffffff);
  const voters = edPairs.slice(0, rng.range(1, edPairs.length));
  const r = await drv.try('gj_build', round.toString(), setId.toString(), hex(target), targetNumber, voters.map((v) => textHex(v.suri)).join(','));
  if (r === null) { rep.check('grandpa c->js', false, {}); return; }
  const j = plain.createType('GrandpaJustification', `0x${r[0]}`);
  let ok = j.round.toBigInt() === round && u8aToHex(j.commit.targetHash) === u8aToHex(target) &&
    j.commit.targetNumber.toNumber() === targetNumber && j.commit.precommits.length === voters.length &&
    j.votesAncestries.length === 0 && j.toHex() === `0x${r[0]}`;
  j.commit.precommits.forEach((p, k) => {
    ok = ok && u8aToHex(p.id) === u8aToHex(voters[k].pair.publicKey) &&
      ed25519Verify(precommitMsg(p.precommit.targetHash.toU8a(), p.precommit.targetNumber.toNumber(), round, setId), p.signature.toU8a(), p.id.toU8a());
  });
  rep.check('grandpa c->js decode+verify', ok, () => J({ hex: r[0] }));
}

// ---- System.Events: ours builds Vec<EventRecord> by appending, polkadot-js decodes ----
function randomEvent() {
  const acct = () => rng.bytes(32);
  const u128 = () => { const v = randomU128(); return le(v, 16); };
  switch (rng.int(7)) {
    case 0: { // System.ExtrinsicSuccess { DispatchInfo { Weight { Compact, Compact }, class, pays } }
      const w = u8aConcat(compactToU8a(rng.u64() >> BigInt(rng.range(0, 64))), compactToU8a(rng.u64() >> 40n));
      return { pallet: 0, variant: 0, fields: u8aConcat(w, new Uint8Array([rng.int(3), rng.int(2)])), name: 'system.ExtrinsicSuccess' };
    }
    case 1: return { pallet: 0, variant: 2, fields: new Uint8Array(), name: 'system.CodeUpdated' };
    case 2: return { pallet: 0, variant: 3, fields: acct(), name: 'system.NewAccount' };
    case 3: return { pallet: 0, variant: 4, fields: acct(), name: 'system.KilledAccount' };
    case 4: return { pallet: 4, variant: 0, fields: u8aConcat(acct(), u128()), name: 'balances.Endowed' };
    case 5: return { pallet: 4, variant: 2, fields: u8aConcat(acct(), acct(), u128()), name: 'balances.Transfer' };
    default: return { pallet: 4, variant: 8, fields: u8aConcat(acct(), u128()), name: 'balances.Withdraw' };
  }
}
async function eventsCase() {
  const recs = [];
  for (let k = rng.pick([0, 1, 2, 5, 63, 64, 65, rng.int(80)]); k > 0; k--) {
    const ev = randomEvent();
    const phase = rng.int(3);
    recs.push({ ...ev, phase, index: phase === 0 ? rng.range(0, 0xffffffff) : 0, topics: rng.bytes(32 * rng.pick([0, 0, 1, 3])) });
  }
  const spec = recs.length === 0 ? '-' : recs.map((r) => `${r.phase}:${r.index}:${r.pallet}:${r.variant}:${arg(r.fields)}:${arg(r.topics)}`).join(',');
  const r = await drv.try('event_vec', spec);
  if (r === null) { rep.check('events c->js', false, { spec }); return; }
  let v;
  try { v = plain.createType('Vec<EventRecord>', `0x${r[0]}`); } catch (e) { rep.check('events c->js', false, { r, e: e.message }); return; }
  let ok = v.length === recs.length && v.toHex() === `0x${r[0]}`;
  v.forEach((er, k) => {
    const want = recs[k];
    ok = ok && er.phase.index === want.phase && (want.phase !== 0 || er.phase.asApplyExtrinsic.toNumber() === want.index) &&
      `${er.event.section}.${er.event.method}` === want.name && u8aToHex(er.event.data.toU8a()) === u8aToHex(want.fields) &&
      er.topics.length === want.topics.length / 32 && u8aToHex(er.topics.toU8a()).endsWith(hex(want.topics));
  });
  rep.check('events c->js', ok, () => J({ r: r[0].slice(0, 400), n: recs.length, got: v.toHuman() }));
}

// Spec vectors first (they must hold regardless of randomness).
{
  const alice = edPairs[0].pair;
  const call = unhex('0403008eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48e5c0');
  const ext = plain.createType('Extrinsic', plain.createType('Call', call));
  ext.sign(alice, { blockHash: `0x${'22'.repeat(32)}`, genesisHash: `0x${'11'.repeat(32)}`, era: plain.createType('ExtrinsicEra', { current: 42, period: 64 }),
    nonce: 5, tip: 0, runtimeVersion: { specVersion: 100, transactionVersion: 1 } });
  const r = await drv.try('ext_sign', 0, 'ed25519', textHex('//Alice'), 100, 1, '11'.repeat(32), '22'.repeat(32), '-', 'a502', 5, 0, 0, hex(call));
  rep.check('spec 5.5 vector', r !== null && `0x${r[0]}` === ext.toHex() && ext.hash.toHex() === '0x0266ae194a1ae454be149e088cba1e81f6b1f9fbecf0dd22d0683c7194a1d604', () => J({ r, js: ext.toHex() }));
}

await chunked(N, (i) => extJsToC(i));
await chunked(N, (i) => extCToJs(i));
await chunked(200, () => extUnsigned());
await chunked(N, () => eraCase());
await chunked(N, () => eraDecodeCase());
await chunked(N, () => headerCase());
await chunked(N, (i) => gjJsToC(i));
await chunked(N, () => gjCToJs());
await chunked(N, () => eventsCase());
drv.close();
rep.finish();
