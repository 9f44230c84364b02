// ref_crypto.mjs - the npm reference side of `make bench` (core crypto).
//
// Times the same operations as bench/bench_crypto.c, through @polkadot/util-crypto 14.0.3 as
// applications call it (after cryptoWaitReady, so the wasm back ends are live), plus
// @polkadot/wasm-crypto's sr25519 directly, because util-crypto 14 signs sr25519 with the
// pure-JS @scure/sr25519 and the schnorrkel wasm build is the other reference people compare to.
// Prints one JSON object per figure on stdout; scripts/bench.sh merges them with the C figures.
//
// The packages are loaded from tests/conformance/node_modules (pinned by its package-lock.json)
// with createRequire, since ESM import specifiers resolve relative to this file, not the cwd.
//
// Method (same as the C side): for each operation, warm up and size a chunk of iterations
// lasting ~CHUNK_MS, then make RUNS runs; each run repeats chunks until it has lasted at least
// BENCH_SECONDS. A figure is the median (and best) ops/s of the runs. scripts/bench.sh calls this
// once per round with BENCH_RUNS=1, alternating with the C side.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const confDir = fileURLToPath(new URL('../tests/conformance/', import.meta.url));
const require = createRequire(confDir + 'package.json');
const utilCrypto = require('@polkadot/util-crypto');
const util = require('@polkadot/util');
const wasmCrypto = require('@polkadot/wasm-crypto');
// Read package.json from disk: not every package exports its ./package.json subpath.
const versionOf = (name) =>
  JSON.parse(readFileSync(`${confDir}node_modules/${name}/package.json`, 'utf8')).version;

const quick = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_SECONDS ?? (quick ? 0.05 : 0.5));
const RUNS = Number(process.env.BENCH_RUNS ?? (quick ? 3 : 5));
const CHUNK_MS = Math.min(5, SECONDS * 1000 / 10);
const only = process.env.BENCH_ONLY || null; // substring of the ids to run, as in the C side

// Fixed inputs, identical to the C side: seed[i] = i + 1, message[i] = (7 i + 3) mod 256.
const MSG_LEN = 128;
const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const pattern = (n) => Uint8Array.from({ length: n }, (_, i) => (7 * i + 3) & 0xff);
const msg = pattern(MSG_LEN);

function timeChunk(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return (performance.now() - t0) / 1000;
}

// Returns { median, best } in ops/s.
function measure(fn) {
  let n = 1;
  let t = timeChunk(fn, n);
  // Grow the chunk until it lasts CHUNK_MS; this also warms up the JIT and the wasm instance.
  while (t * 1000 < CHUNK_MS) {
    n *= 2;
    t = timeChunk(fn, n);
  }
  const rates = [];
  for (let r = 0; r < RUNS; r++) {
    let ops = 0;
    let el = 0;
    while (el < SECONDS) {
      el += timeChunk(fn, n);
      ops += n;
    }
    rates.push(ops / el);
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)], best: rates[rates.length - 1] };
}

function emit(id, impl, bytes, fn) {
  if (only && !id.includes(only)) return;
  const { median, best } = measure(fn);
  const out = { side: 'ref', area: 'crypto', id, impl, ops_median: median, ops_best: best };
  if (bytes) out.bytes = bytes;
  console.log(JSON.stringify(out));
}

function check(cond, what) {
  if (!cond) throw new Error(`reference self-check failed: ${what}`);
}

async function main() {
  await utilCrypto.cryptoWaitReady();
  check(wasmCrypto.isReady(), 'wasm-crypto ready');
  // wasm-crypto falls back to asm.js if WebAssembly fails to instantiate: say which one ran.
  const wasmKind = wasmCrypto.bridge.type;
  check(wasmKind === 'wasm', `wasm-crypto back end is ${wasmKind}, not wasm`);
  const uc = `util-crypto ${versionOf('@polkadot/util-crypto')}`;
  const wc = `wasm-crypto ${versionOf('@polkadot/wasm-crypto')}`;
  const scure = `@scure/sr25519 ${versionOf('@scure/sr25519')} (pure JS)`;
  console.log(JSON.stringify({
    side: 'ref', info: true, node: process.version, util_crypto: versionOf('@polkadot/util-crypto'),
    wasm_crypto: versionOf('@polkadot/wasm-crypto'), scure_sr25519: versionOf('@scure/sr25519'),
    seconds: SECONDS, runs: RUNS, backend: wasmKind,
  }));

  // sr25519 through util-crypto (which is @scure/sr25519 in 14.x) ...
  const sr = utilCrypto.sr25519PairFromSeed(seed);
  const srSig = utilCrypto.sr25519Sign(msg, sr);
  check(utilCrypto.sr25519Verify(msg, srSig, sr.publicKey), 'sr25519 verify');
  emit('sr25519.keypair_from_seed', `${uc} sr25519PairFromSeed = ${scure}`, 0,
    () => utilCrypto.sr25519PairFromSeed(seed));
  emit('sr25519.sign', `${uc} sr25519Sign = ${scure}`, 0, () => utilCrypto.sr25519Sign(msg, sr));
  emit('sr25519.verify', `${uc} sr25519Verify = ${scure}`, 0,
    () => utilCrypto.sr25519Verify(msg, srSig, sr.publicKey));

  // ... and schnorrkel compiled to wasm, called directly.
  const full = wasmCrypto.sr25519KeypairFromSeed(seed);
  const wSec = full.slice(0, 64);
  const wPub = full.slice(64);
  check(util.u8aEq(wPub, sr.publicKey), 'wasm/scure sr25519 public keys agree');
  const wSig = wasmCrypto.sr25519Sign(wPub, wSec, msg);
  check(wasmCrypto.sr25519Verify(wSig, msg, wPub), 'wasm sr25519 verify');
  const schnorrkel = `${wc} (schnorrkel, wasm)`;
  emit('sr25519.keypair_from_seed@wasm', `${schnorrkel} sr25519KeypairFromSeed`, 0,
    () => wasmCrypto.sr25519KeypairFromSeed(seed));
  emit('sr25519.sign@wasm', `${schnorrkel} sr25519Sign`, 0,
    () => wasmCrypto.sr25519Sign(wPub, wSec, msg));
  emit('sr25519.verify@wasm', `${schnorrkel} sr25519Verify`, 0,
    () => wasmCrypto.sr25519Verify(wSig, msg, wPub));

  // ed25519: util-crypto uses wasm-crypto (Rust, wasm) when wasm is ready, @noble/curves otherwise.
  const ed = utilCrypto.ed25519PairFromSeed(seed);
  const edSig = utilCrypto.ed25519Sign(msg, ed);
  check(utilCrypto.ed25519Verify(msg, edSig, ed.publicKey), 'ed25519 verify');
  const edImpl = `${uc} -> ${wc} (wasm)`;
  emit('ed25519.keypair_from_seed', `${edImpl} ed25519PairFromSeed`, 0,
    () => utilCrypto.ed25519PairFromSeed(seed));
  emit('ed25519.sign', `${edImpl} ed25519Sign`, 0, () => utilCrypto.ed25519Sign(msg, ed));
  emit('ed25519.verify', `${edImpl} ed25519Verify`, 0,
    () => utilCrypto.ed25519Verify(msg, edSig, ed.publicKey));

  // ecdsa (secp256k1, blake2-256 prehash inside sign and verify, verify = recover + compare).
  const ec = utilCrypto.secp256k1PairFromSeed(seed);
  const ecSig = utilCrypto.secp256k1Sign(msg, ec, 'blake2');
  check(utilCrypto.secp256k1Verify(msg, ecSig, ec.publicKey, 'blake2'), 'ecdsa verify');
  const ecImpl = `${uc} -> ${wc} (C libsecp256k1 via the Rust secp256k1 crate, wasm)`;
  emit('ecdsa.keypair_from_seed', `${ecImpl} secp256k1PairFromSeed`, 0,
    () => utilCrypto.secp256k1PairFromSeed(seed));
  emit('ecdsa.sign', `${ecImpl} secp256k1Sign(blake2)`, 0,
    () => utilCrypto.secp256k1Sign(msg, ec, 'blake2'));
  emit('ecdsa.verify', `${ecImpl} secp256k1Verify(blake2)`, 0,
    () => utilCrypto.secp256k1Verify(msg, ecSig, ec.publicKey, 'blake2'));

  // Hashes on storage-key-sized and bulk inputs.
  for (const size of [32, 1024, 65536]) {
    const data = pattern(size);
    emit(`hash.blake2_256.${size}`, `${uc} blake2AsU8a -> ${wc} (wasm)`, size,
      () => utilCrypto.blake2AsU8a(data, 256));
    emit(`hash.twox128.${size}`, `${uc} xxhashAsU8a(128) -> ${wc} (wasm)`, size,
      () => utilCrypto.xxhashAsU8a(data, 128));
    emit(`hash.twox64.${size}`, `${uc} xxhashAsU8a(64) -> ${wc} (wasm)`, size,
      () => utilCrypto.xxhashAsU8a(data, 64));
  }

  // SCALE compact integers, cycling through the four encoding modes.
  const values = [42n, 4242n, 42424242n, (1n << 40n) + 7n];
  const encoded = values.map((v) => util.compactToU8a(v));
  check(encoded.map((e) => e.length).join() === '1,2,4,7', 'compact lengths');
  const ucUtil = `@polkadot/util ${versionOf('@polkadot/util')} (JS)`;
  emit('scale.compact_encode', `${ucUtil} compactToU8a`, 0, (i) => util.compactToU8a(values[i & 3]));
  emit('scale.compact_decode', `${ucUtil} compactFromU8a`, 0,
    (i) => util.compactFromU8a(encoded[i & 3]));

  // Mnemonic -> mini secret (PBKDF2-HMAC-SHA512, 2048 rounds, over the entropy).
  const phrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
  utilCrypto.mnemonicToMiniSecret(phrase);
  emit('bip39.mini_secret', `${uc} mnemonicToMiniSecret -> ${wc} (wasm)`, 0,
    () => utilCrypto.mnemonicToMiniSecret(phrase));
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
