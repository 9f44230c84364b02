#!/usr/bin/env bash
# `make demo`: what works today, end to end, from the built binaries: keys with integritee-cli,
# then a dev parentchain node used by polkadot-js exactly as a dApp would.
set -euo pipefail
build=${1:-build}
cli=$build/bin/integritee-cli
node_bin=$build/bin/integritee-node
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

step "Alice's dev account on Integritee (SS58 prefix 13)" "integritee-cli key inspect //Alice"
$cli key inspect //Alice
step "A fresh 24-word sr25519 account, signing and verifying" "integritee-cli key generate --words 24"
gen=$($cli key generate --words 24 --output-type json)
echo "$gen"
phrase=$(sed -n 's/.*"secretPhrase": "\(.*\)".*/\1/p' <<<"$gen")
addr=$(sed -n 's/.*"ss58Address": "\(.*\)".*/\1/p' <<<"$gen")
sig=$($cli key sign "$phrase" "hello integritee")
echo "signature $sig"
$cli key verify "$addr" "hello integritee" "$sig"
if $cli key verify "$addr" "hello integritee!" "$sig" 2>/dev/null; then echo "unexpected success"; exit 1; fi
echo "(a tampered message is refused)"

step "Start a dev parentchain node (AURA blocks, instant GRANDPA finality, LMDB in a temp dir)" \
  "integritee-node --dev --tmp --rpc-port 0 --block-time-ms 3000"
log=$(mktemp)
"$node_bin" --dev --tmp --rpc-port 0 --block-time-ms 3000 2>"$log" &
node_pid=$!
trap 'kill $node_pid 2>/dev/null; wait $node_pid 2>/dev/null; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*Running JSON-RPC server: addr=[^:]*:\([0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "node did not start:"; cat "$log"; exit 1; }
head -8 "$log"

step "JSON-RPC over HTTP" "curl -d '{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"system_properties\"}' http://127.0.0.1:$port"
curl -s -H 'Content-Type: application/json' \
  -d '{"id":1,"jsonrpc":"2.0","method":"system_properties"}' "http://127.0.0.1:$port"; echo

step "polkadot-js (@polkadot/api) sends a transfer and watches it finalize" \
  "node tests/clients/demo_transfer.mjs ws://127.0.0.1:$port"
node tests/clients/demo_transfer.mjs "ws://127.0.0.1:$port"

step "The node's log" "tail integritee-node.log"
tail -4 "$log"
printf '\nDemo finished. The enclave and workers join this demo as their issues land.\n'
