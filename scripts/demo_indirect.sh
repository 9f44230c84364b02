#!/usr/bin/env bash
# `make demo-indirect`: the off-chain worker flow with readable output - a dev parentchain node,
# one integritee-service (enclave in software mode), and integritee-cli shielding, transferring
# (indirect invocation: RSA-encrypted trusted calls inside EnclaveBridge.invoke) and unshielding.
set -euo pipefail
build=${1:-build}
build=$(cd "$build" && pwd)
cli=$build/bin/integritee-cli
node_bin=$build/bin/integritee-node
svc=$build/bin/integritee-service
step() { # title [command shown when it is not run through run()]
  printf '\n\033[1m== %s\033[0m\n' "$1"
  [ -n "${2:-}" ] && printf '$ %s\n' "$2"
  return 0
}
work=$(mktemp -d /tmp/demo-indirect.XXXXXX)
cd "$work"
node_pid=""
svc_pid=""
cleanup() {
  [ -n "$svc_pid" ] && { kill "$svc_pid"; wait "$svc_pid"; } 2>/dev/null
  [ -n "$node_pid" ] && { kill "$node_pid"; wait "$node_pid"; } 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step "Start a dev parentchain node" "integritee-node --dev --tmp --rpc-port 0 --block-time-ms 1000"
"$node_bin" --dev --tmp --rpc-port 0 --block-time-ms 1000 --no-prometheus 2>node.log &
node_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*Running JSON-RPC server: addr=[^:]*:\([0-9]*\).*/\1/p' node.log | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "node did not start:"; cat node.log; exit 1; }
echo "node RPC on ws://127.0.0.1:$port"

step "Start an off-chain worker (software-mode enclave: no SGX on this machine)" \
  "integritee-service -p $port -d $work/worker -P 0 -h 0 run --skip-ra --dev"
"$svc" -p "$port" -d "$work/worker" -P 0 -h 0 run --skip-ra --dev >worker.out 2>worker.err &
svc_pid=$!
for _ in $(seq 1 300); do
  grep -q 'Parentchain light client at' worker.out && break
  kill -0 "$svc_pid" 2>/dev/null || { cat worker.out worker.err; exit 1; }
  sleep 0.1
done
cat worker.out
tport=$(sed -n 's/.*direct invocation server listening on [0-9.]*:\([0-9]*\).*/\1/p' worker.out | head -1)
c=("$cli" -p "$port" -P "$tport")
run() { printf '$ integritee-cli %s\n' "$*"; "${c[@]}" "$@"; }

step "The enclave in the parentchain's registry"
run list-workers
shard=$("${c[@]}" trusted get-shard)
step "Trusted RPC over TLS ending in the enclave, pinned to the registered enclave key" "integritee-cli trusted get-shard"
echo "$shard"

wait_l2() {
  for _ in $(seq 1 100); do
    [ "$("${c[@]}" trusted balance "$1" 2>/dev/null)" = "$2" ] && return 0
    sleep 0.2
  done
  echo "timed out waiting for $1 to hold $2"; return 1
}
step "Shield 6 TEER from //Alice to //AliceIncognito"
run shield-funds //Alice //AliceIncognito 6000000000000 "$shard"
wait_l2 //AliceIncognito 6000000000000
run trusted balance //AliceIncognito

step "Indirect transfer of 2 TEER to a new incognito account"
new=$("${c[@]}" trusted new-account)
echo "new incognito account $new"
run trusted transfer //AliceIncognito "$new" 2000000000000
wait_l2 "$new" 2000000000000
run trusted balance "$new"
run trusted balance //AliceIncognito
echo "(2 TEER moved, plus the STF fee of 0.0001 TEER)"

step "Unshield 1 TEER back to //Bob on the parentchain"
before=$("${c[@]}" balance //Bob)
run trusted unshield-funds //AliceIncognito //Bob 1000000000000
for _ in $(seq 1 100); do
  [ "$("${c[@]}" balance //Bob)" != "$before" ] && break
  sleep 0.2
done
after=$("${c[@]}" balance //Bob)
echo "//Bob on L1: $before -> $after (+$((after - before)))"
run trusted balance //AliceIncognito

step "Worker progress (last lines)"
tail -4 worker.out
