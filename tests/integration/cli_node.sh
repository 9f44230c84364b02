#!/usr/bin/env bash
# cli_node.sh - integritee-cli's base commands against a real integritee-node: balance, transfer
# (waits for finality, prints the original's lines), faucet, print-metadata, list-workers, and
# clear one-line errors for bad accounts, amounts, failed extrinsics and an unreachable node.
# Usage: cli_node.sh <integritee-cli> <integritee-node>   Prints "N passed, N failed".
set -u
CLI="$1"
NODE="$2"
BASE="$(mktemp -d /tmp/cli_node.XXXXXX)"
LOG="$BASE/node.log"
PASS=0
FAIL=0
PID=""
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
check() { if [ "$2" -eq 0 ]; then ok; else bad "$1"; fi; }
cleanup() {
    [ -n "$PID" ] && { kill -9 "$PID"; wait "$PID"; } 2>/dev/null
    rm -rf "$BASE"
}
trap cleanup EXIT

"$NODE" --dev --tmp --rpc-port 0 --block-time-ms 500 2>"$LOG" &
PID=$!
PORT=""
for _ in $(seq 1 100); do
    PORT=$(grep -oE 'Running JSON-RPC server: addr=[0-9.]+:[0-9]+' "$LOG" | head -1 | sed 's/.*://')
    [ -n "$PORT" ] && break
    sleep 0.1
done
[ -n "$PORT" ] || { echo "node did not start"; cat "$LOG"; exit 1; }
C=("$CLI" -p "$PORT" --timeout-ms 20000)
BOB=2MTf9jMQoqAcLP32TV8n7jt9EC3UBZdPQYVPJCpyJW6wyqoQ # //Bob on Integritee (prefix 13)

before=$("${C[@]}" balance //Bob)
check "balance prints an integer" "$([[ "$before" =~ ^[0-9]+$ ]]; echo $?)"
out=$("${C[@]}" transfer //Alice //Bob 1234567 2>&1)
check "transfer success line" "$(echo "$out" | grep -qE '^\[\+\] L1 extrinsic success\. extrinsic hash: 0x[0-9a-f]{64}$'; echo $?)"
check "transfer balance line" "$(echo "$out" | grep -qx "balance for //Bob is now $((before + 1234567))"; echo $?)"
check "balance by SS58 equals" "$([ "$("${C[@]}" balance "$BOB")" = "$((before + 1234567))" ]; echo $?)"
out=$("${C[@]}" faucet //Dave 2>&1)
check "faucet" "$(echo "$out" | grep -q 'faucet: sent 1000000000000 to //Dave'; echo $?)"
out=$("${C[@]}" print-metadata)
check "print-metadata lists Teerex" "$(echo "$out" | grep -qE '^pallet Teerex \([0-9]+\)$'; echo $?)"
check "print-metadata lists transfer_keep_alive" "$(echo "$out" | grep -q 'transfer_keep_alive('; echo $?)"
out=$("${C[@]}" list-workers)
check "list-workers on a fresh chain" "$(echo "$out" | grep -qx 'number of enclaves registered: 0'; echo $?)"

# failures: one line on stderr, non-zero exit, nothing on stdout
out=$("${C[@]}" transfer //Ferdie //Bob 340282366920938463463374607431768211455 2>"$BASE/err"); rc=$?
check "failed extrinsic exits 1" "$([ $rc -eq 1 ] && [ -z "$out" ]; echo $?)"
check "failed extrinsic reason" "$(grep -q '^integritee-cli: extrinsic failed: ' "$BASE/err" && [ "$(wc -l <"$BASE/err")" -eq 1 ]; echo $?)"
"${C[@]}" balance not-an-account 2>"$BASE/err"; rc=$?
check "bad account exits 2" "$([ $rc -eq 2 ] && grep -q 'is not an SS58 address' "$BASE/err"; echo $?)"
"${C[@]}" transfer //Alice //Bob 12x 2>"$BASE/err"; rc=$?
check "bad amount exits 2" "$([ $rc -eq 2 ] && grep -q 'amount' "$BASE/err"; echo $?)"
"${C[@]}" transfer "$BOB" //Alice 1 2>"$BASE/err"; rc=$?
check "address as signer refused" "$([ $rc -eq 2 ] && grep -q 'secret URI' "$BASE/err"; echo $?)"
"$CLI" -p 1 --timeout-ms 2000 balance //Bob 2>"$BASE/err"; rc=$?
check "unreachable node" "$([ $rc -eq 1 ] && grep -q 'cannot use the node' "$BASE/err"; echo $?)"
"$CLI" -p 2>"$BASE/err"; rc=$?
check "option without value" "$([ $rc -eq 2 ]; echo $?)"
check "node still up" "$(kill -0 $PID; echo $?)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
