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

**Blocks of 10,000 updated keys (95% existing, 5% new) plus the new root**, as the state grows:

| state size | ms per block (ours) |
|---|---|
| 10,000 keys | ${f(ours.block_ms_10k, 1)} |
| 100,000 keys | ${ours.block_ms_100k !== undefined ? f(ours.block_ms_100k, 1) : 'n/a'} |
| 1,000,000 keys | ${ours.block_ms_1M !== undefined ? f(ours.block_ms_1M, 1) : 'n/a'} |

With every block committed to LMDB (\`store_commit\`, one write transaction per block, nodes
keyed by hash) at ${Math.round(ours.state_keys / 1000) >= 1000 ? '1M' : Math.round(ours.state_keys / 1000) + 'k'} keys: ${f(ours.lmdb_block_ms_nosync, 1)} ms per block without fsync,
${f(ours.lmdb_block_ms_sync, 1)} ms with fsync (initial import of the state: ${f(ours.lmdb_initial_commit_ms / 1000, 1)} s).
Nodes keyed by their hash land on random B-tree pages, so a block rewrites roughly one 4 KiB page
per changed node; this, not the trie, is the cost of a persisted block (see known limits).

Building the state from 100k to 1M keys (900,000 inserts + root): ${ours.build_to_1M_ms !== undefined ? f(ours.build_to_1M_ms / 1000, 1) + ' s' : 'n/a'}.
The per-block cost is proportional to the keys changed times the trie depth (log16 of the state):
from 10k to 1M keys the depth grows by about 2 levels, and the rest of the growth is cache misses
(the 1M-key trie is about 340 MB of nodes). It does not grow with the state size itself.

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
