#!/usr/bin/env bash
# node_basic.sh - integritee-node over plain HTTP: the RPC basics, hostile inputs (the node
# must answer with errors and stay up), and a kill -9 during block production with transfers
# in flight followed by a restart on the same --base-path (best finalized block, its state and
# Alice's balance and nonce must be intact, and production must continue).
# Usage: node_basic.sh [path/to/integritee-node]   Prints "N passed, N failed".
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="${1:-$HERE/../../build/bin/integritee-node}"
CLIENTS="$HERE/../clients"
BASE="$(mktemp -d /tmp/node_basic.XXXXXX)"
LOG="$BASE/node.log"
PASS=0
FAIL=0
PID=""
PORT=""

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
check() { # name, condition-result (0 = true)
    if [ "$2" -eq 0 ]; then ok; else bad "$1"; fi
}
cleanup() {
    [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null
    rm -rf "$BASE"
}
trap cleanup EXIT

start() {
    : >"$LOG"
    "$BIN" --dev --base-path "$BASE/data" --rpc-port 0 --block-time-ms 1000 2>>"$LOG" &
    PID=$!
    for _ in $(seq 1 100); do
        PORT=$(grep -oE 'Running JSON-RPC server: addr=[0-9.]+:[0-9]+' "$LOG" | head -1 | sed 's/.*://')
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    echo "node did not start"; cat "$LOG"; exit 1
}
rpc() { # method, params-json
    curl -s -m 10 -H 'Content-Type: application/json' \
        -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":$2}" "http://127.0.0.1:$PORT"
}
raw() { curl -s -m 10 -H 'Content-Type: application/json' --data-binary "$1" "http://127.0.0.1:$PORT"; }
alive() { rpc system_health '[]' | grep -q '"isSyncing":false'; }
best_number() { rpc chain_getHeader '[]' | grep -oE '"number":"0x[0-9a-f]+"' | grep -oE '0x[0-9a-f]+'; }

# System.Account(//Alice) storage key
ALICE_KEY=0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d

start
sleep 2.5
# --- basics
check "system_health" "$(alive; echo $?)"
check "system_properties ss58 13" "$(rpc system_properties '[]' | grep -q '"ss58Format":13'; echo $?)"
check "chain_getBlockHash 0" "$(rpc chain_getBlockHash '[0]' | grep -qE '"result":"0x[0-9a-f]{64}"'; echo $?)"
check "chain_getHeader has number" "$(best_number >/dev/null; echo $?)"
check "rpc_methods lists state_call" "$(rpc rpc_methods '[]' | grep -q '"state_call"'; echo $?)"
check "state_getStorage Alice" "$(rpc state_getStorage "[\"$ALICE_KEY\"]" | grep -qE '"result":"0x[0-9a-f]+"'; echo $?)"
check "state_getKeysPaged" "$(rpc state_getKeysPaged '["0x26aa394eea5630e07c48ae0c9558cef7", 5]' | grep -q '"result":\["0x'; echo $?)"
check "state_getReadProof" "$(rpc state_getReadProof "[[\"$ALICE_KEY\"]]" | grep -q '"proof":\["0x'; echo $?)"
check "batch of two" "$(raw '[{"id":1,"jsonrpc":"2.0","method":"system_chain","params":[]},{"id":2,"jsonrpc":"2.0","method":"system_name","params":[]}]' | grep -q '"id":2'; echo $?)"
# --- hostile input
check "malformed JSON -> -32700" "$(raw '{"id":1,"jsonrpc":"2.0","method":' | grep -q '\-32700'; echo $?)"
check "unknown method -> -32601" "$(rpc no_such_method '[]' | grep -q '\-32601'; echo $?)"
check "bad params -> -32602" "$(rpc chain_getBlockHash '[{"x":1}]' | grep -q '\-32602'; echo $?)"
check "random extrinsic -> 1001" "$(rpc author_submitExtrinsic '["0xdeadbeef00112233"]' | grep -q '"code":1001'; echo $?)"
check "non-hex extrinsic -> -32602" "$(rpc author_submitExtrinsic '["zz"]' | grep -q '\-32602'; echo $?)"
for i in $(seq 1 50); do
    rpc author_submitExtrinsic "[\"0x$(head -c $((i * 7)) /dev/urandom | od -An -tx1 | tr -d ' \n')\"]" >/dev/null
done
head -c 17000000 /dev/zero | tr '\0' 'a' >"$BASE/huge"
curl -s -m 20 -H 'Content-Type: application/json' --data-binary @"$BASE/huge" "http://127.0.0.1:$PORT" >/dev/null 2>&1
check "still alive after hostile input" "$(alive; echo $?)"
check "pool empty after garbage" "$(rpc author_pendingExtrinsics '[]' | grep -q '"result":\[\]'; echo $?)"

# --- transfers, then kill -9 while blocks are produced and more transfers arrive
cat >"$CLIENTS/.node_basic_tx.mjs" <<'JS'
import { ApiPromise, HttpProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new HttpProvider('http://127.0.0.1:' + process.argv[2]), noInitWarn: true });
const k = new Keyring({ type: 'sr25519' });
const alice = k.addFromUri('//Alice');
const bob = k.addFromUri('//Bob');
const count = Number(process.argv[3]);
let nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
for (let i = 0; i < count; i++) {
  const tx = await api.tx.balances.transferKeepAlive(bob.address, 1000000000n).signAsync(alice, { nonce: nonce++, era: 0 });
  await api.rpc.author.submitExtrinsic(tx);
}
console.log('submitted', count);
await api.disconnect();
process.exit(0);
JS
(cd "$CLIENTS" && timeout 60 node .node_basic_tx.mjs "$PORT" 3 >/dev/null 2>&1)
check "transfers submitted" "$?"
sleep 3
check "pool drained into blocks" "$(rpc author_pendingExtrinsics '[]' | grep -q '"result":\[\]'; echo $?)"
(cd "$CLIENTS" && timeout 60 node .node_basic_tx.mjs "$PORT" 20 >/dev/null 2>&1) &
SUBMITTER=$!
sleep 1.3
FIN_HASH=$(rpc chain_getFinalizedHead '[]' | grep -oE '0x[0-9a-f]{64}')
FIN_HDR=$(rpc chain_getHeader "[\"$FIN_HASH\"]" | grep -oE '"number":"0x[0-9a-f]+"')
ALICE_AT=$(rpc state_getStorage "[\"$ALICE_KEY\",\"$FIN_HASH\"]" | grep -oE '"result":"0x[0-9a-f]+"')
kill -9 "$PID"
wait "$PID" 2>/dev/null
PID=""
wait "$SUBMITTER" 2>/dev/null
start
sleep 0.3
check "restart: finalized block still known" "$(rpc chain_getHeader "[\"$FIN_HASH\"]" | grep -q "$FIN_HDR"; echo $?)"
check "restart: Alice's account at that block intact" "$(rpc state_getStorage "[\"$ALICE_KEY\",\"$FIN_HASH\"]" | grep -q "$ALICE_AT"; echo $?)"
N0=$((16#$(best_number | sed 's/0x//')))
F0=$((16#$(echo "$FIN_HDR" | grep -oE '0x[0-9a-f]+' | sed 's/0x//')))
check "restart: best >= finalized before the kill" "$([ "$N0" -ge "$F0" ]; echo $?)"
sleep 2.5
N1=$((16#$(best_number | sed 's/0x//')))
check "restart: production continues" "$([ "$N1" -gt "$N0" ]; echo $?)"
# a transfer after the restart must use the right nonce and be included
(cd "$CLIENTS" && timeout 60 node .node_basic_tx.mjs "$PORT" 1 >/dev/null 2>&1)
check "transfer after restart accepted" "$?"
sleep 2.5
check "pool drained after restart" "$(rpc author_pendingExtrinsics '[]' | grep -q '"result":\[\]'; echo $?)"
rm -f "$CLIENTS/.node_basic_tx.mjs"
kill -TERM "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
check "clean shutdown on SIGTERM" "$?"
PID=""
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
