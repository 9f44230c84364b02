#!/usr/bin/env bash
# service_run.sh - integritee-service against a real node: the subcommands (mrenclave,
# shielding-key, signing-key, init-shard), `run --skip-ra --dev` (startup lines, --dev funding,
# Teerex registration seen by integritee-cli list-workers, GET /is_initialized and /metrics),
# a restart on the same data dir (same sealed keys, registration renewed), clean SIGTERM, and
# one-line errors for modes not built yet, a missing --skip-ra and an unreachable node.
# Usage: service_run.sh <integritee-service> <integritee-node> <integritee-cli>
set -u
SVC="$1"
NODE="$2"
CLI="$3"
BASE="$(mktemp -d /tmp/service_run.XXXXXX)"
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

MR=$("$SVC" mrenclave)
check "mrenclave is base58 of 32 bytes" "$([[ "$MR" =~ ^[1-9A-HJ-NP-Za-km-z]{43,44}$ ]]; echo $?)"
"$SVC" -d "$BASE/data" shielding-key >/dev/null 2>&1
check "shielding key json: 384 n bytes" "$(node -e 'const k=JSON.parse(require("fs").readFileSync("enclave-shielding-pubkey.json"));process.exit(k.n.length===384&&k.e.length===4?0:1)'; echo $?)"
"$SVC" -d "$BASE/data" signing-key >/dev/null 2>&1
check "signing key 32 bytes" "$([ "$(stat -c %s enclave-signing-pubkey.bin)" -eq 32 ]; echo $?)"
out=$("$SVC" -d "$BASE/data" init-shard 2>/dev/null)
check "init-shard default = mrenclave" "$([ "$out" = "Successfully initialized shard $MR" ]; echo $?)"

start_service() {
    : >svc.out
    "$SVC" -p "$PORT" -d "$BASE/data" -h 0 run --skip-ra --dev >svc.out 2>svc.err &
    SPID=$!
    for _ in $(seq 1 300); do
        grep -q 'Enclave registered at block number' svc.out && return 0
        kill -0 $SPID 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
start_service
check "run registers" "$?"
check "startup lines" "$(grep -q '^Integritee Worker for offchain-worker' svc.out && grep -qx "MRENCLAVE=$MR" svc.out && grep -qE '^Enclave account 2[1-9A-HJ-NP-Za-km-z]+$' svc.out; echo $?)"
check "software mode said" "$(grep -q 'SOFTWARE MODE' svc.out && grep -q 'SOFTWARE MODE' svc.err; echo $?)"
check "dev funding" "$(grep -q 'funded the enclave account from //Alice' svc.out; echo $?)"
HP=$(grep -oE 'listening on 0.0.0.0:[0-9]+' svc.out | head -1 | sed 's/.*://')
check "is_initialized" "$([ "$(curl -s "http://127.0.0.1:$HP/is_initialized")" = "I am initialized." ]; echo $?)"
check "metrics registered 1" "$(curl -s "http://127.0.0.1:$HP/metrics" | grep -qx 'integritee_worker_registered 1'; echo $?)"
check "unknown path 404" "$([ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HP/nope")" = 404 ]; echo $?)"
LW=$("$CLI" -p "$PORT" list-workers)
ACC=$(grep -oE '^Enclave account .*' svc.out | cut -d' ' -f3)
check "list-workers shows it" "$(echo "$LW" | grep -qx 'number of enclaves registered: 1' && echo "$LW" | grep -qx "   MRENCLAVE: $MR" && echo "$LW" | grep -qx "   signer: $ACC"; echo $?)"
check "registered url" "$(echo "$LW" | grep -qx '   URL: wss://127.0.0.1:2000'; echo $?)"
kill -TERM $SPID
wait $SPID
check "SIGTERM exits 0" "$?"
SPID=""

# restart: the sealed keys come back, the registration is renewed
start_service
check "restart registers again" "$?"
check "same enclave account" "$(grep -qx "Enclave account $ACC" svc.out; echo $?)"
check "no re-funding needed" "$(! grep -q 'funded the enclave' svc.out; echo $?)"
kill -TERM $SPID
wait $SPID
SPID=""

"$SVC" --mode sidechain -d "$BASE/data" run --skip-ra 2>err >/dev/null; rc=$?
check "sidechain mode not yet" "$([ $rc -eq 2 ] && grep -q 'not available yet' err && [ "$(wc -l <err)" -eq 1 ]; echo $?)"
"$SVC" -d "$BASE/data" run 2>err >/dev/null; rc=$?
check "run without --skip-ra" "$([ $rc -eq 2 ] && grep -q 'skip-ra' err; echo $?)"
"$SVC" -p 1 -d "$BASE/data" -h 0 run --skip-ra 2>err >/dev/null; rc=$?
check "unreachable node" "$([ $rc -eq 1 ] && grep -q 'cannot use the node' err; echo $?)"
"$SVC" -P 99999 run 2>err; rc=$?
check "bad flag" "$([ $rc -eq 2 ] && [ "$(wc -l <err)" -eq 1 ]; echo $?)"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
