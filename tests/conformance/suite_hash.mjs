// Conformance of our hashes against @polkadot/util-crypto 14.0.3 (blake2, xxhash, sha2), the
// Substrate storage hashers built from them, and Keccak-f[1600] against @noble/hashes keccakP.
// Usage: node suite_hash.mjs <driver-path>
import { blake2AsU8a, cryptoWaitReady, sha256AsU8a, sha512AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { u8aConcat } from '@polkadot/util';
import { keccakP } from '@noble/hashes/sha3';
import { Driver, Report, hex, makeRng } from './lib.mjs';

const N = 1200;        // random inputs; every primitive sees each one
const CHUNK = 150;

await cryptoWaitReady();
const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('suite_hash');
const arg = (u8) => (u8.length === 0 ? '-' : hex(u8));
const out = (f) => (f && f[0] === '-' ? '' : f ? f[0] : null);

function randomInput(i) {
  // mostly 0..300 bytes, every 25th input 300..5000 bytes (several BLAKE2/XXH blocks)
  const len = i % 25 === 0 ? rng.range(300, 5000) : rng.range(0, 300);
  return rng.bytes(len);
}

// The storage hashers by metadata index, written from their definitions (spec §2.2).
const storageRef = [
  (k) => blake2AsU8a(k, 128),
  (k) => blake2AsU8a(k, 256),
  (k) => u8aConcat(blake2AsU8a(k, 128), k),
  (k) => xxhashAsU8a(k, 128),
  (k) => xxhashAsU8a(k, 256),
  (k) => u8aConcat(xxhashAsU8a(k, 64), k),
  (k) => k,
];

function keccakRef(state) {
  const s = Uint8Array.from(state);
  keccakP(new Uint32Array(s.buffer)); // lanes as LE u32 pairs: this host is little-endian
  return s;
}

for (let base = 0; base < N; base += CHUNK) {
  const jobs = [];
  for (let i = base; i < Math.min(N, base + CHUNK); i++) {
    const data = randomInput(i);
    const d = arg(data);
    const expect = (what, cmd, want) => jobs.push(drv.try(...cmd).then((f) => {
      const got = out(f);
      rep.check(what, got === hex(want), () => ({ cmd: cmd.join(' ').slice(0, 200), got, want: hex(want) }));
    }));
    for (const bits of [128, 256, 512]) expect(`blake2_${bits}`, ['blake2', bits, '-', d], blake2AsU8a(data, bits));
    const key = rng.bytes(rng.range(1, 64));
    const kbits = rng.pick([128, 256, 512, 8 * rng.range(1, 64)]);
    expect('blake2_keyed', ['blake2', kbits, hex(key), d], blake2AsU8a(data, kbits, key));
    for (const bits of [64, 128, 256]) expect(`twox_${bits}`, ['twox', bits, d], xxhashAsU8a(data, bits));
    expect('sha256', ['sha256', d], sha256AsU8a(data));
    expect('sha512', ['sha512', d], sha512AsU8a(data));
    const h = rng.int(7);
    expect('storage_hash', ['storage_hash', h, d], storageRef[h](data));
    const st = rng.bytes(200);
    expect('keccak_f', ['keccak_f', hex(st)], keccakRef(st));
  }
  await Promise.all(jobs);
}

// storage prefixes of a few names against twox128(pallet) || twox128(item)
const names = ['System', 'Account', 'Balances', 'TotalIssuance', ':__STORAGE_VERSION__:', 'Timestamp'];
const te = new TextEncoder();
for (const p of names) for (const it of names) {
  const f = await drv.try('storage_prefix', hex(te.encode(p)), hex(te.encode(it)));
  const want = hex(u8aConcat(xxhashAsU8a(te.encode(p), 128), xxhashAsU8a(te.encode(it), 128)));
  rep.check('storage_prefix', out(f) === want, { p, it, got: out(f), want });
}

drv.close();
rep.finish();
