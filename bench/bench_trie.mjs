// Trie benchmark driver: runs bench_trie (our C trie), times the same operations in
// @acala-network/chopsticks-executor (Rust sp-trie / smoldot compiled to wasm) in the same
// run, and prints the docs/benchmarks.md section (between the bench:trie markers).
// Usage: node bench/bench_trie.mjs <path-to-bench_trie> [--keys N] [--update docs/benchmarks.md]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const chop = await import(join(here, '../tests/conformance/node_modules/@acala-network/chopsticks-executor/dist/esm/index.js'));

const args = process.argv.slice(2);
const bin = args[0];
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const maxKeys = Number(opt('--keys', 1000000));
const update = opt('--update', null);

// ---- ours ----
const dir = mkdtempSync(join(tmpdir(), 'bench-trie-'));
const proofFile = join(dir, 'proof.txt');
const out = execFileSync(bin, [String(maxKeys), proofFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
const ours = {};
for (const line of out.trim().split('\n')) { const [k, v] = line.split(' '); ours[k] = Number(v); }
const proofLines = readFileSync(proofFile, 'utf8').trim().split('\n');
rmSync(dir, { recursive: true, force: true });

// ---- chopsticks: same key/value shapes (64-byte keys with 8 shared 32-byte prefixes, 80-byte values) ----
let seed = 0x243f6a88n;
const rand32 = () => { seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn; return Number(seed >> 32n); };
const randHex = (n) => { let s = ''; for (let i = 0; i < n; i += 4) s += rand32().toString(16).padStart(8, '0'); return s.slice(0, 2 * n); };
const prefixes = Array.from({ length: 8 }, () => randHex(32));
const entries = (n) => Array.from({ length: n }, (_, i) => ['0x' + prefixes[i % 8] + randHex(32), '0x' + randHex(80)]);
async function timeRoot(n, reps) {
  const e = entries(n);
  await chop.calculate_state_root(e, 1); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await chop.calculate_state_root(e, 1);
  return (performance.now() - t0) / reps;
}
const chopRoot10k = await timeRoot(10000, 5);
const chopRoot100k = await timeRoot(100000, 2);

// proof verification: decode_proof(root, nodes) of the proof our 1M-key state produced
const [proofRoot, proofKey, ...proofNodes] = proofLines;
const nodes = proofNodes.map((h) => '0x' + h);
const decoded = await chop.decode_proof('0x' + proofRoot, nodes);
const okInChop = decoded.some(([k]) => k === '0x' + proofKey);
const reps = 2000;
let t0 = performance.now();
for (let i = 0; i < reps; i++) await chop.decode_proof('0x' + proofRoot, nodes);
const chopVerifyUs = ((performance.now() - t0) / reps) * 1000;

// ---- report ----
const f = (x, d = 1) => x.toFixed(d);
const opt1 = (x) => (x !== undefined ? f(x, 1) : 'n/a');
const lmdbNames = {
  nosync: 'path-keyed, no fsync (archive)',
  sync: 'path-keyed, fsync (archive)',
  writemap: 'path-keyed, MDB_WRITEMAP, no fsync',
  prune: 'path-keyed, no fsync, pruning (window 4: deletes included)',
  hashkey: 'hash-keyed (old scheme), no fsync',
};
const lmdbRows = Object.entries(lmdbNames)
  .filter(([k]) => ours['lmdb_block_ms_' + k] !== undefined)
  .map(([k, name]) => `| ${name} | ${f(ours['lmdb_block_ms_' + k], 0)} | ${f(ours['lmdb_block_cpu_ms_' + k], 0)} | ${f(ours['lmdb_commit_ms_' + k], 0)} | ${f(ours['lmdb_written_mb_' + k], 0)} MB |`)
  .join('\n');
const ratio = (theirs, mine) => `${f(theirs / mine, 1)}x`;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const md = `<!-- bench:trie:begin -->
## Trie (issue #3)

Method: \`node bench/bench_trie.mjs <build>/bin/bench_trie --update docs/benchmarks.md\` runs the
C benchmark \`bench/bench_trie.c\` and then the same operations in
\`@acala-network/chopsticks-executor\` 1.5.1 (Rust sp-trie / smoldot compiled to wasm, the only
reference implementation runnable here) in the same run. Layout V1, blake2-256. Keys are
64 bytes (8 shared 32-byte pallet prefixes + 32 random bytes, like storage map keys), values
80 bytes (an AccountInfo). Our trie is measured in memory (incremental roots: only nodes on
changed paths are re-encoded and re-hashed). One core of ${cpu}, ${cpus().length} cores, clang -O2;
load average during the run: ${loadavg()[0].toFixed(1)} (other jobs share the machine, so absolute
figures are pessimistic; each ratio compares figures taken in the same run).

**Blocks of 10,000 updated keys (95% existing, 5% new) plus the new root**, in memory, as the
state grows (mean of 5 blocks; CPU is the process's CPU time, less disturbed by other jobs than
the wall clock; best is the fastest single block):

| state size | ms per block (wall, mean) | best | CPU ms |
|---|---|---|---|
| 10,000 keys | ${f(ours.block_ms_10k, 1)} | ${f(ours.block_best_ms_10k, 1)} | ${f(ours.block_cpu_ms_10k, 1)} |
| 100,000 keys | ${opt1(ours.block_ms_100k)} | ${opt1(ours.block_best_ms_100k)} | ${opt1(ours.block_cpu_ms_100k)} |
| 1,000,000 keys | ${opt1(ours.block_ms_1M)} | ${opt1(ours.block_best_ms_1M)} | ${opt1(ours.block_cpu_ms_1M)} |

Building the state from 100k to 1M keys (900,000 inserts + root): ${ours.build_to_1M_ms !== undefined ? f(ours.build_to_1M_ms / 1000, 1) + ' s' : 'n/a'}.
A block re-encodes and re-hashes only the nodes on changed paths, each once per root. What still
grows from 10k to 1M keys: (1) the work itself - 10,000 random keys in a 1M-key trie dirty about
1.2 branch nodes per key (each a 16-child branch of ~530 bytes to hash) against ~0.1 at 10k keys,
since the changed paths share fewer upper nodes; (2) memory latency - the 1M-key trie is several
hundred MB, so each level of each descent and each re-encoded branch is a cache miss, while a
10k-key trie stays in cache. Node memory is laid out for this (key and value inside the node's
allocation, one cache line per child slot, same-size value updates in place, word-wise key
compares), which cuts misses but cannot remove them.

**Every block committed to LMDB** (one write transaction per block: trie nodes, V1 values, the
pruning journal) at ${Math.round(ours.state_keys / 1000) >= 1000 ? '1M' : Math.round(ours.state_keys / 1000) + 'k'} keys (initial import of the state: ${f(ours.lmdb_initial_commit_ms / 1000, 1)} s). Nodes are keyed by
nibble path || hash (Substrate's PrefixedKey), written in sorted key order; the last row keys
them by hash alone, as before, for comparison. "Written" is what the commit handed to the kernel
(\`/proc/self/io\` wchar), a load-independent measure of the pages a block rewrites:

| variant | ms per block (wall) | CPU ms | commit alone (wall) | written per block |
|---|---|---|---|---|
${lmdbRows}

Path keys cut the pages a block rewrites by about a fifth, not more: with 10,000 random keys in a
1M-key state, each changed leaf (and its value, stored next to it since both start with the leaf's
path) still sits on its own page, and so do the 4th- and 5th-level branches above it, so a block
rewrites ~35,000 4-KiB pages in LMDB's copy-on-write B-tree (~3.5 per changed key). Pruning adds
the deletes of the states leaving the window, on pages of their own. MDB_WRITEMAP was measured and
is slower here (page faults on the sparse map). Blocks of the node itself change a few dozen keys,
so this cost is small there; a store with fewer pages per block (nodes grouped by subtree, or an
append-only node log) is what the 1M-key figure would need.

**Read proof for one key in the ${Math.round(ours.state_keys / 1000)}k-key state** (average of 2,000 random keys):

| | ours | chopsticks | ratio |
|---|---|---|---|
| proof size | ${f(ours.proof_bytes, 0)} bytes, ${f(ours.proof_nodes, 1)} nodes | - | - |
| generate | ${f(ours.proof_gen_us, 1)} µs | n/a (needs the full node set) | - |
| verify (decode_proof) | ${f(ours.proof_verify_us, 1)} µs | ${f(chopVerifyUs, 1)} µs | ${ratio(chopVerifyUs, ours.proof_verify_us)} |

chopsticks accepted our proof: ${okInChop ? 'yes' : 'NO'}.

**Root from scratch** (\`calculate_state_root\`):

| keys | ours | chopsticks | ratio |
|---|---|---|---|
| 10,000 | ${f(ours.scratch_root_ms_10000, 1)} ms | ${f(chopRoot10k, 1)} ms | ${ratio(chopRoot10k, ours.scratch_root_ms_10000)} |
| 100,000 | ${f(ours.scratch_root_ms_100000, 1)} ms | ${f(chopRoot100k, 1)} ms | ${ratio(chopRoot100k, ours.scratch_root_ms_100000)} |

chopsticks has no incremental trie API, so the per-block figures have no reference column.
<!-- bench:trie:end -->`;
console.log(md);
if (update) {
  let doc = '';
  try { doc = readFileSync(update, 'utf8'); } catch { doc = '# Benchmarks\n'; }
  const b = doc.indexOf('<!-- bench:trie:begin -->'), e = doc.indexOf('<!-- bench:trie:end -->');
  doc = b >= 0 && e > b ? doc.slice(0, b) + md + doc.slice(e + '<!-- bench:trie:end -->'.length) : doc.trimEnd() + '\n\n' + md + '\n';
  writeFileSync(update, doc);
}
