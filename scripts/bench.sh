#!/usr/bin/env bash
# `make bench`: times the core crypto in C (bench_crypto) and through the npm reference
# (bench/ref_crypto.mjs, @polkadot/util-crypto) in the same run, on the same core, and writes
# the side-by-side tables into docs/benchmarks.md between its bench:crypto markers.
#
# Usage: scripts/bench.sh [build-dir]
#   BENCH_QUICK=1   smoke run (0.05 s x 3 runs per figure); the report goes to
#                   <build>/bench/benchmarks-quick.md and docs/ is left alone
#   BENCH_DOC=path  write the report section into another markdown file
# The raw figures (JSON lines, best and median of each) are kept in <build>/bench/crypto.jsonl.
#   BENCH_ONLY=str  only the operations whose id contains str (implies no docs/ update)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/bin/bench_crypto
conf=tests/conformance

[ -x "$bin" ] || { echo "bench: $bin not built (run make build)" >&2; exit 1; }
[ -d "$conf/node_modules/@polkadot/util-crypto" ] ||
  { echo "bench: $conf/node_modules missing (run make deps)" >&2; exit 1; }

quick=${BENCH_QUICK:-0}
if [ -n "${BENCH_DOC:-}" ]; then
  doc=$BENCH_DOC
elif [ "$quick" = 1 ] || [ -n "${BENCH_ONLY:-}" ]; then
  mkdir -p "$build/bench"
  doc=$build/bench/benchmarks-quick.md
else
  doc=docs/benchmarks.md
fi

# Pin both sides to the same single CPU: the last one we may run on (cpu 0 takes more IRQs).
pin=()
if command -v taskset >/dev/null 2>&1; then
  cpus=$(taskset -cp $$ | sed 's/.*: *//')
  last=${cpus##*,}
  last=${last##*-}
  pin=(taskset -c "$last")
  pinned="taskset -c $last"
else
  pinned="not pinned (no taskset)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Rounds alternate the two sides, one timed run per operation each, so that both see the same
# background load over time (the machine may be shared); a figure is then taken over rounds.
if [ "$quick" = 1 ]; then rounds=${BENCH_RUNS:-3}; else rounds=${BENCH_RUNS:-5}; fi
: >"$tmp/c.jsonl"
: >"$tmp/ref.jsonl"
for ((r = 1; r <= rounds; r++)); do
  echo "bench: round $r/$rounds: C ($bin), then node (bench/ref_crypto.mjs), ${pinned}" >&2
  BENCH_RUNS=1 "${pin[@]}" "$bin" >>"$tmp/c.jsonl"
  BENCH_RUNS=1 "${pin[@]}" node bench/ref_crypto.mjs >>"$tmp/ref.jsonl"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$build/bench"
cat "$tmp/c.jsonl" "$tmp/ref.jsonl" >"$build/bench/crypto.jsonl"

# Facts about this machine and build, for the report.
cache=$build/CMakeCache.txt
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$cache")
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$cache")
[ -n "$btype" ] || btype="RelWithDebInfo (the CMakeLists.txt default)"
# The optimisation flags the library was really compiled with, from compile_commands.json.
oflags=$(node -e '
  const cmds = require(process.argv[1]);
  const e = cmds.find((x) => x.file.endsWith("src/crypto/sr25519.c")) || cmds[0];
  const argv = e.arguments || e.command.split(/\s+/);
  console.log(argv.filter((a) => /^-(O.|g\d?|DNDEBUG|march=.*|mtune=.*|flto.*)$/.test(a)).join(" "));
' "$(cd "$build" && pwd)/compile_commands.json" 2>/dev/null || echo unknown)
cpuflags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'sse4_1|avx2|avx512f|sha_ni|adx|bmi2' | tr '\n' ' ')
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1) (flags: ${cpuflags% })"
  echo "nproc=$(nproc)"
  echo "kernel=$(uname -sr)"
  echo "compiler=$("$cc" --version | head -1)"
  echo "build=$btype, library compiled with ${oflags}"
  echo "libs=libsodium $(pkg-config --modversion libsodium), libsecp256k1 $(pkg-config --modversion libsecp256k1), libxxhash $(pkg-config --modversion libxxhash)"
  echo "node=$(node --version)"
  echo "pinned=$pinned"
  echo "load=$load_before before, $load_after after"
  echo "quick=$quick"
} >"$tmp/info.txt"

node - "$tmp/c.jsonl" "$tmp/ref.jsonl" "$tmp/info.txt" >"$tmp/section.md" <<'EOF'
// Merges the two JSON-lines files into markdown tables (one per area).
const fs = require('fs');
const [cFile, refFile, infoFile] = process.argv.slice(2);
const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const c = lines(cFile), ref = lines(refFile);
const info = Object.fromEntries(fs.readFileSync(infoFile, 'utf8').split('\n').filter(Boolean)
  .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
const cInfo = c.find((x) => x.info), refInfo = ref.find((x) => x.info);
// One entry per id over all rounds: the best round and the median round.
const byId = (list) => {
  const m = new Map();
  for (const x of list.filter((y) => !y.info)) {
    if (!m.has(x.id)) m.set(x.id, { ...x, rounds: [] });
    m.get(x.id).rounds.push(x.ops_median);
  }
  for (const e of m.values()) {
    e.rounds.sort((a, b) => a - b);
    e.ops_best = e.rounds[e.rounds.length - 1];
    e.ops_median = e.rounds[Math.floor(e.rounds.length / 2)];
  }
  return m;
};
const ours = byId(c), theirs = byId(ref);

const si = (v) => {
  const [d, u] = v >= 1e9 ? [1e9, 'G'] : v >= 1e6 ? [1e6, 'M'] : v >= 1e3 ? [1e3, 'k'] : [1, ''];
  const x = v / d;
  return [x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2), u];
};
const rate = (x) => (x ? `${si(x.ops_best).join('')} op/s` : 'n/a');
const tput = (x) => (x ? `${si(x.ops_best * x.bytes).join(' ')}B/s (${si(x.ops_best).join('')} op/s)` : 'n/a');
const ratio = (a, b) => {
  if (!a || !b) return 'n/a';
  const r = a.ops_best / b.ops_best;
  return r >= 10 ? r.toFixed(0) : r.toFixed(2);
};
const implOf = (x) => (x ? x.impl : 'not measured');

const out = [];
const table = (title, rows, fmt) => {
  if (!rows.some(([, id, refId]) => ours.has(id) || theirs.has(refId ?? id))) return;
  out.push(`#### ${title}`, '',
    '| operation | integritee-c | @polkadot/util-crypto | ratio (ours/theirs) | reference implementation measured |',
    '|---|--:|--:|--:|---|');
  for (const [label, id, refId] of rows) {
    const a = ours.get(id), b = theirs.get(refId ?? id);
    if (!a && !b) continue;
    out.push(`| ${label} | ${fmt(a)} | ${fmt(b)} | ${ratio(a, b)} | ${implOf(b)} |`);
  }
  out.push('');
};

const runs = c.filter((x) => x.info).length, secs = cInfo?.seconds ?? '?';
out.push(`### Core crypto (issue #2)`, '',
  `Measured ${info.date} with \`${info.quick === '1' ? 'BENCH_QUICK=1 make bench' : 'make bench'}\`. ` +
  `Each figure is the **best of ${runs} runs of at least ${Number(secs)} s** each, single-threaded, ` +
  'the runs of the two sides alternating round by round (all runs are in `<build>/bench/crypto.jsonl`), ' +
  `${info.pinned.startsWith('taskset') ? `both sides pinned to the same core (\`${info.pinned}\`)` : info.pinned}. ` +
  'op/s = operations per second. Ratio = integritee-c / reference: above 1 means integritee-c is faster. ' +
  'Signed messages are 128 bytes; B/s are decimal (1 MB = 10^6 bytes).', '',
  `- machine: ${info.cpu}, ${info.nproc} CPUs, ${info.kernel}; load average (1, 5, 15 min) ${info.load}`,
  `- integritee-c: ${info.compiler}, build type ${info.build}; ${info.libs}; calls \`sodium_init()\` first, as programs do`,
  `- reference: node ${refInfo?.node ?? info.node}, @polkadot/util-crypto ${refInfo?.util_crypto}, ` +
  `@polkadot/wasm-crypto ${refInfo?.wasm_crypto} (back end: ${refInfo?.backend}), @scure/sr25519 ${refInfo?.scure_sr25519}`, '');

table('Signatures', [
  ['sr25519 keypair from seed', 'sr25519.keypair_from_seed'],
  ['sr25519 keypair from seed, vs schnorrkel wasm', 'sr25519.keypair_from_seed', 'sr25519.keypair_from_seed@wasm'],
  ['sr25519 sign', 'sr25519.sign'],
  ['sr25519 sign, vs schnorrkel wasm', 'sr25519.sign', 'sr25519.sign@wasm'],
  ['sr25519 verify', 'sr25519.verify'],
  ['sr25519 verify, vs schnorrkel wasm', 'sr25519.verify', 'sr25519.verify@wasm'],
  ['ed25519 keypair from seed', 'ed25519.keypair_from_seed'],
  ['ed25519 sign', 'ed25519.sign'],
  ['ed25519 verify', 'ed25519.verify'],
  ['ecdsa keypair from seed', 'ecdsa.keypair_from_seed'],
  ['ecdsa sign (blake2-256 prehash)', 'ecdsa.sign'],
  ['ecdsa verify (recover + compare)', 'ecdsa.verify'],
], rate);
const hashRows = [];
for (const size of [32, 1024, 65536]) {
  const sz = size === 32 ? '32 B' : size === 1024 ? '1 KiB' : '64 KiB';
  hashRows.push([`blake2-256, ${sz}`, `hash.blake2_256.${size}`],
    [`twox128, ${sz}`, `hash.twox128.${size}`], [`twox64, ${sz}`, `hash.twox64.${size}`]);
}
table('Hashing (throughput, and calls per second in brackets)', hashRows, tput);
table('SCALE and mnemonics', [
  ['compact encode (1/2/4/7-byte values in turn)', 'scale.compact_encode'],
  ['compact decode (same values)', 'scale.compact_decode'],
  ['mnemonic -> mini secret (12 words, PBKDF2 x2048)', 'bip39.mini_secret'],
], rate);
console.log(out.join('\n'));
EOF

begin='<!-- bench:crypto:begin -->'
end='<!-- bench:crypto:end -->'
mkdir -p "$(dirname "$doc")"
if [ ! -f "$doc" ] || ! grep -qF "$begin" "$doc"; then
  printf '\n%s\n%s\n' "$begin" "$end" >>"$doc"
fi
# Replace what lies between the markers, keeping the markers and everything else.
awk -v b="$begin" -v e="$end" -v sec="$tmp/section.md" '
  $0 == b { print; while ((getline l < sec) > 0) print l; skip = 1; next }
  $0 == e { skip = 0 }
  !skip { print }' "$doc" >"$tmp/doc.md"
cp "$tmp/doc.md" "$doc"

cat "$tmp/section.md"
echo "bench: report written to $doc" >&2

# Trie (issue #3): 10k-update blocks on states of 10k..1M keys, proofs, and chopsticks-executor
# (sp-trie compiled to wasm) on the same data; rewrites the bench:trie section of the report.
if [ -z "${BENCH_ONLY:-}" ] || [[ trie == *"$BENCH_ONLY"* ]]; then
  trie_args=()
  [ "$quick" = 1 ] && trie_args+=(--keys 100000)
  echo "bench: trie (bench/bench_trie.mjs)" >&2
  node bench/bench_trie.mjs "$build/bin/bench_trie" --update "$doc" "${trie_args[@]}"
fi

# Node (issue #4): bench/bench_node.c starts integritee-node --dev --tmp, signs transfers in C and
# submits them over JSON-RPC; rewrites the bench:node section of the report.
if [ -z "${BENCH_ONLY:-}" ] || [[ node == *"$BENCH_ONLY"* ]]; then
  n_tx=8000
  [ "$quick" = 1 ] && n_tx=2000
  echo "bench: node (bench_node, $n_tx transfers, 2000 ms blocks)" >&2
  out=$("$build/bin/bench_node" "$build/bin/integritee-node" "$n_tx" 2000 2>/dev/null)
  val() { awk -v k="$1" '$1 == k { print $2 }' <<<"$out"; }
  {
    echo "## Node (issue #4)"
    echo
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with \`make bench\` (load average $(cut -d' ' -f1-3 /proc/loadavg))."
    echo "\`bench/bench_node.c\` starts \`integritee-node --dev --tmp --block-time-ms 2000\` on an ephemeral"
    echo "port, signs \`Balances.transfer_keep_alive\` extrinsics in C (sr25519, from the six endowed dev"
    echo "accounts to //Alice-derived accounts) and submits them over HTTP JSON-RPC on one keep-alive"
    echo "connection. Client and node share the machine's 2 cores. No reference column: there is no"
    echo "Rust integritee-node to run here."
    echo
    echo "| measure | result |"
    echo "|---|--:|"
    echo "| \`system_health\` | $(val rpc_system_health) req/s |"
    echo "| \`state_getStorage\` (System.Account) | $(val rpc_state_getStorage) req/s |"
    echo "| signing transfers in C (client side) | $(val sign_transfer) tx/s |"
    echo "| \`author_submitExtrinsic\` (full validation) | $(val submit) tx/s |"
    echo "| transfers from first submission to finalized block ($n_tx transfers) | $(val tps_submit_to_finalized) tx/s |"
    echo "| transfers per block (pool limit) | $(val max_transfers_per_block) |"
    echo
    echo "The submit-to-finalized figure is bounded by the 2 s slot: $n_tx transfers fill"
    echo "$(val blocks_used) blocks. Every block is final at once on the single-authority dev chain."
  } >"$tmp/node.md"
  nb='<!-- bench:node:begin -->' ne='<!-- bench:node:end -->'
  grep -qF "$nb" "$doc" || printf '\n%s\n%s\n' "$nb" "$ne" >>"$doc"
  awk -v b="$nb" -v e="$ne" -v sec="$tmp/node.md" '
    $0 == b { print; while ((getline l < sec) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$doc" >"$tmp/doc.md"
  cp "$tmp/doc.md" "$doc"
  cat "$tmp/node.md"
fi
