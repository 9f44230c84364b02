#!/usr/bin/env bash
# `make demo`: what works today, end to end, from the built binaries.
# Today that is the core library seen through integritee-cli's key commands; the parentchain
# node and workers join this demo as their issues land.
set -euo pipefail
build=${1:-build}
cli=$build/bin/integritee-cli
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

step "Alice's dev account on Integritee (SS58 prefix 13)" "integritee-cli key inspect //Alice"
$cli key inspect //Alice
step "The same account as ed25519" "integritee-cli key inspect //Alice --scheme ed25519"
$cli key inspect //Alice --scheme ed25519
step "A fresh 24-word sr25519 account" "integritee-cli key generate --words 24"
gen=$($cli key generate --words 24 --output-type json)
echo "$gen"
phrase=$(sed -n 's/.*"secretPhrase": "\(.*\)".*/\1/p' <<<"$gen")
addr=$(sed -n 's/.*"ss58Address": "\(.*\)".*/\1/p' <<<"$gen")
step "Derive a hard child of it" "integritee-cli key inspect \"<phrase>//validateer//1\""
$cli key inspect "$phrase//validateer//1"
step "Sign a message and verify it against the address" "integritee-cli key sign <phrase> 'hello integritee'"
sig=$($cli key sign "$phrase" "hello integritee")
echo "$sig"
$cli key verify "$addr" "hello integritee" "$sig"
step "A tampered message is refused (non-zero exit, one line)" "integritee-cli key verify <addr> 'hello integritee!' <sig>"
if $cli key verify "$addr" "hello integritee!" "$sig"; then echo "unexpected success"; exit 1; fi
printf '\nDemo finished: keys, addresses and signatures are byte-compatible with Substrate (see make test).\n'
