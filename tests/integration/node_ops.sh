#!/usr/bin/env bash
# node_ops.sh - integritee-node operations (issue #4): build-spec plain and raw, restart from
# the raw and plain specs with the same genesis hash, hostile spec files, Prometheus /metrics
# (format, rising block height, 404/405, a busy port), author_rotateKeys and the keystore files,
# author_hasSessionKeys / hasKey / insertKey, --rpc-methods, grandpa_roundState and
# grandpa_proveFinality (decoded and its signature verified by @polkadot/util-crypto).
# Usage: node_ops.sh [path/to/integritee-node]   Prints "N passed, N failed".
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="${1:-$HERE/../../build/bin/integritee-node}"
CLIENTS="$HERE/../clients"
BASE="$(mktemp -d /tmp/node_ops.XXXXXX)"
PASS=0
FAIL=0
PIDS=()

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
check() { # name, condition-result (0 = true)
    if [ "$2" -eq 0 ]; then ok; else bad "$1"; fi
}
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$BASE"
}
trap cleanup EXIT

# start <name> <args...>: runs the node with its log in $BASE/<name>.log, sets PORT and MPORT
start() {
    local name="$1"
    shift
    "$BIN" --rpc-port 0 --block-time-ms 500 "$@" >/dev/null 2>"$BASE/$name.log" &
    PIDS+=($!)
    PORT=""
    MPORT=""
    for _ in $(seq 1 100); do
        PORT=$(grep -oE 'Running JSON-RPC server: addr=[0-9.]+:[0-9]+' "$BASE/$name.log" | head -1 | sed 's/.*://')
        [ -n "$PORT" ] && break
        sleep 0.1
    done
    [ -n "$PORT" ] || { echo "node $name did not start"; cat "$BASE/$name.log"; exit 1; }
    MPORT=$(grep -oE 'Prometheus exporter started at [0-9.]+:[0-9]+' "$BASE/$name.log" | head -1 | sed 's/.*://')
}
rpc() { # port, method, params-json
    curl -s -m 10 -H 'Content-Type: application/json' \
        -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":$3}" "http://127.0.0.1:$1"
}
result() { jq -r '.result' 2>/dev/null; }

# --- build-spec
"$BIN" build-spec --chain dev >"$BASE/plain.json" 2>/dev/null
check "build-spec exit 0" $?
check "plain spec: 8 endowed accounts" "$([ "$(jq '.genesis.runtimeGenesis.config.balances.balances|length' "$BASE/plain.json")" = 8 ]; echo $?)"
check "plain spec: properties" "$(jq -e '.properties.ss58Format==13 and .properties.tokenSymbol=="TEER" and .id=="dev"' "$BASE/plain.json" >/dev/null; echo $?)"
check "plain spec: teerex skip-RA" "$(jq -e '.genesis.runtimeGenesis.config.teerex.allowSkippingAttestation==true' "$BASE/plain.json" >/dev/null; echo $?)"
"$BIN" build-spec --chain dev --raw >"$BASE/raw.json" 2>/dev/null
check "build-spec --raw exit 0" $?
check "raw spec: hex keys and values" "$(jq -e '.genesis.raw.top|to_entries|length>10 and all(.key|test("^0x([0-9a-f]{2})+$")) and all(.value|test("^0x([0-9a-f]{2})*$"))' "$BASE/raw.json" >/dev/null; echo $?)"
check "raw spec: keys sorted" "$(jq -e '.genesis.raw.top|keys_unsorted as $k|$k==($k|sort)' "$BASE/raw.json" >/dev/null; echo $?)"
check "raw spec: childrenDefault {}" "$(jq -e '.genesis.raw.childrenDefault=={}' "$BASE/raw.json" >/dev/null; echo $?)"
"$BIN" build-spec --chain "$BASE/raw.json" --raw >"$BASE/raw2.json" 2>/dev/null
check "raw spec rewritten unchanged" "$(cmp -s "$BASE/raw.json" "$BASE/raw2.json"; echo $?)"

# --- hostile spec files: one line on stderr, non-zero exit
for t in '{' '[]' '{"name":"x","id":"../x","genesis":{"raw":{"top":{}}}}' \
    '{"name":"x","id":"x","genesis":{"raw":{"top":{"0xzz":"0x00"}}}}' \
    '{"name":"x","id":"x","genesis":{"runtimeGenesis":{"config":{"balances":{"balances":[["5Grw",1]]}}}}}' \
    '{"name":"x","id":"x","genesis":{"runtimeGenesis":{"config":{"aura":{"authorities":"no"}}}}}'; do
    printf '%s' "$t" >"$BASE/bad.json"
    "$BIN" --chain "$BASE/bad.json" --tmp --rpc-port 0 --no-prometheus >/dev/null 2>"$BASE/bad.err"
    rc=$?
    check "hostile spec refused: $t" "$([ $rc -ne 0 ] && [ "$(wc -l <"$BASE/bad.err")" -eq 1 ]; echo $?)"
done
"$BIN" --chain "$BASE/nonexistent.json" --tmp --no-prometheus >/dev/null 2>&1
check "missing spec file refused" "$([ $? -ne 0 ]; echo $?)"
head -c 3000000 /dev/urandom | base64 -w0 | sed 's/^/{"name":"/; s/$/"}/' >"$BASE/huge.json"
"$BIN" --chain "$BASE/huge.json" --tmp --no-prometheus >/dev/null 2>&1
check "huge name refused" "$([ $? -ne 0 ]; echo $?)"

# --- the same genesis from dev, the raw spec and the plain spec
start a --dev --base-path "$BASE/a" --prometheus-port 0
PA=$PORT
MA=$MPORT
start r --chain "$BASE/raw.json" --tmp --no-prometheus
PR=$PORT
start p --chain "$BASE/plain.json" --tmp --no-prometheus
PP=$PORT
GA=$(rpc "$PA" chain_getBlockHash '[0]' | result)
GR=$(rpc "$PR" chain_getBlockHash '[0]' | result)
GP=$(rpc "$PP" chain_getBlockHash '[0]' | result)
check "dev genesis hash" "$([[ "$GA" =~ ^0x[0-9a-f]{64}$ ]]; echo $?)"
check "raw spec genesis hash = dev" "$([ "$GA" = "$GR" ]; echo $?)"
check "plain spec genesis hash = dev" "$([ "$GA" = "$GP" ]; echo $?)"
check "raw spec chain name" "$([ "$(rpc "$PR" system_chain '[]' | result)" = "Development" ]; echo $?)"
check "no metrics with --no-prometheus" "$(! grep -q 'Prometheus exporter' "$BASE/r.log"; echo $?)"

# --- Prometheus
check "metrics port" "$([ -n "$MA" ]; echo $?)"
rpc "$PA" chain_getBlockHash '[0]' >/dev/null
curl -s -m 5 "http://127.0.0.1:$MA/metrics" >"$BASE/m1.txt"
sleep 1.5
curl -s -m 5 "http://127.0.0.1:$MA/metrics" >"$BASE/m2.txt"
check "metrics: every line a comment or a sample" "$(grep -vE '^(# (HELP|TYPE) .*|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*\})? [-+]?([0-9.]+([eE][-+]?[0-9]+)?|Inf|NaN))$' "$BASE/m1.txt" | grep -q .; [ $? -ne 0 ] && [ -s "$BASE/m1.txt" ]; echo $?)"
H1=$(grep -oE '^substrate_block_height\{status="best"\} [0-9]+' "$BASE/m1.txt" | awk '{print $2}')
H2=$(grep -oE '^substrate_block_height\{status="best"\} [0-9]+' "$BASE/m2.txt" | awk '{print $2}')
check "metrics: best height rises ($H1 -> $H2)" "$([ -n "$H1" ] && [ -n "$H2" ] && [ "$H2" -gt "$H1" ]; echo $?)"
check "metrics: finalized height" "$(grep -qE '^substrate_block_height\{status="finalized"\} [0-9]+$' "$BASE/m2.txt"; echo $?)"
for m in substrate_ready_transactions_number substrate_number_leaves substrate_process_start_time_seconds \
    'substrate_build_info{name="integritee-node-c",version="[^"]+",chain="dev"}' \
    substrate_proposer_block_constructed_count substrate_sub_txpool_validations_finished \
    'substrate_rpc_calls_started{method="chain_getBlockHash"}'; do
    check "metrics: $m" "$(grep -qE "^$m [0-9]" "$BASE/m2.txt"; echo $?)"
done
check "metrics: content type" "$(curl -s -m 5 -D - -o /dev/null "http://127.0.0.1:$MA/metrics" | grep -qi '^content-type: text/plain; version=0.0.4'; echo $?)"
check "metrics: 404 elsewhere" "$([ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MA/other")" = 404 ]; echo $?)"
check "metrics: 405 for POST" "$([ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' -d x "http://127.0.0.1:$MA/metrics")" = 405 ]; echo $?)"
check "metrics: garbage answered 400" "$(printf 'GARBAGE\r\n\r\n' | curl -s -m 5 -o /dev/null -w '%{http_code}' --data-binary @- -X 'BAD METHOD' "http://127.0.0.1:$MA/metrics" | grep -qE '^(400|405)$'; echo $?)"
start busy --dev --tmp --prometheus-port "$MA"
check "busy metrics port: node still serves RPC" "$([ "$(rpc "$PORT" system_chain '[]' | result)" = "Development" ]; echo $?)"
check "busy metrics port: warning logged" "$(grep -q 'cannot serve Prometheus metrics' "$BASE/busy.log"; echo $?)"

# --- keys
KEYS=$(rpc "$PA" author_rotateKeys '[]' | result)
check "author_rotateKeys: 64 bytes" "$([[ "$KEYS" =~ ^0x[0-9a-f]{128}$ ]]; echo $?)"
KS="$BASE/a/chains/dev/keystore"
AURA="61757261${KEYS:2:64}"
GRAN="6772616e${KEYS:66:64}"
check "keystore: aura key file" "$([ -f "$KS/$AURA" ]; echo $?)"
check "keystore: gran key file" "$([ -f "$KS/$GRAN" ]; echo $?)"
check "keystore: mode 0600" "$([ "$(stat -c %a "$KS/$AURA")" = 600 ] && [ "$(stat -c %a "$KS/$GRAN")" = 600 ]; echo $?)"
check "keystore: JSON string of a 12-word phrase" "$(jq -e 'type=="string" and (split(" ")|length==12)' "$KS/$AURA" >/dev/null; echo $?)"
check "hasSessionKeys: rotated keys" "$([ "$(rpc "$PA" author_hasSessionKeys "[\"$KEYS\"]" | result)" = true ]; echo $?)"
RND="0x$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')"
check "hasSessionKeys: random keys" "$([ "$(rpc "$PA" author_hasSessionKeys "[\"$RND\"]" | result)" = false ]; echo $?)"
check "hasSessionKeys: malformed" "$(rpc "$PA" author_hasSessionKeys '["0x1234"]' | grep -q '"code":-32602'; echo $?)"
check "hasKey aura" "$([ "$(rpc "$PA" author_hasKey "[\"0x${KEYS:2:64}\",\"aura\"]" | result)" = true ]; echo $?)"
check "hasKey gran under aura" "$([ "$(rpc "$PA" author_hasKey "[\"0x${KEYS:66:64}\",\"aura\"]" | result)" = false ]; echo $?)"
BOB=0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48
check "insertKey //Bob" "$(rpc "$PA" author_insertKey "[\"aura\",\"//Bob\",\"$BOB\"]" | grep -q '"result":null'; echo $?)"
check "insertKey file" "$([ "$(cat "$KS/61757261${BOB:2}")" = '"//Bob"' ]; echo $?)"
check "insertKey mismatch refused" "$(rpc "$PA" author_insertKey '["aura","//Bob","0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"]' | grep -q '"code":-32602'; echo $?)"
check "insertKey bad type refused" "$(rpc "$PA" author_insertKey "[\"../x\",\"//Bob\",\"$BOB\"]" | grep -q '"code":-32602'; echo $?)"
check "no stray files in the keystore" "$([ "$(ls "$KS" | wc -l)" -eq 3 ]; echo $?)"

# --- --rpc-methods
start ext --dev --tmp --rpc-external --no-prometheus
check "auto + external: rotateKeys refused" "$(rpc "$PORT" author_rotateKeys '[]' | grep -q '"code":-32601,"message":"RPC call is unsafe to be called externally"'; echo $?)"
start safe --dev --tmp --rpc-methods safe --no-prometheus
check "safe: hasKey refused" "$(rpc "$PORT" author_hasKey "[\"$BOB\",\"aura\"]" | grep -q '"code":-32601'; echo $?)"
check "safe: safe methods work" "$(rpc "$PORT" system_health '[]' | grep -q '"isSyncing":false'; echo $?)"
check "safe: rpc_methods still lists rotateKeys" "$(rpc "$PORT" rpc_methods '[]' | grep -q '"author_rotateKeys"'; echo $?)"
"$BIN" --dev --tmp --rpc-methods bogus >/dev/null 2>&1
check "bad --rpc-methods refused" "$([ $? -eq 2 ]; echo $?)"

# --- GRANDPA
RS=$(rpc "$PA" grandpa_roundState '[]')
check "roundState shape" "$(echo "$RS" | jq -e '.result.setId==0 and .result.best.totalWeight==1 and .result.best.thresholdWeight==1 and .result.best.precommits.currentWeight==1 and (.result.best.prevotes.missing|length)==0 and .result.background==[]' >/dev/null; echo $?)"
H2HASH=$(rpc "$PA" chain_getBlockHash '[2]' | result)
PROOF=$(rpc "$PA" grandpa_proveFinality '[2]' | result)
AUTH=$(jq -r '.genesis.runtimeGenesis.config.grandpa.authorities[0][0]' "$BASE/plain.json")
OUT=$(node "$HERE/node_ops_verify.cjs" "$CLIENTS" "$PROOF" "$H2HASH" "$AUTH" 2>&1)
check "proveFinality verifies: $OUT" "$(echo "$OUT" | grep -q '^OK'; echo $?)"
check "proveFinality of a future block: null" "$(rpc "$PA" grandpa_proveFinality '[4000000]' | grep -q '"result":null'; echo $?)"
check "proveFinality bad param" "$(rpc "$PA" grandpa_proveFinality '["abc"]' | grep -q '"code":-32602'; echo $?)"
P0=$(rpc "$PA" grandpa_proveFinality '[0]' | result)
H1HASH=$(rpc "$PA" chain_getBlockHash '[1]' | result)
check "proveFinality of genesis: block 1 with its header" "$([ "${P0:0:66}" = "$H1HASH" ]; echo $?)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
