#!/usr/bin/env bash
# integritee-cli key: the issue's acceptance vectors, subkey-shaped output, and clean failures.
# Usage: cli_key.sh <path-to-integritee-cli>
set -uo pipefail
cli=$1
pass=0 failn=0
ok() { pass=$((pass+1)); }
bad() { failn=$((failn+1)); echo "FAIL: $*"; }
expect_line() { # <output> <expected substring> <what>
  if grep -qF -- "$2" <<<"$1"; then ok; else bad "$3: expected '$2' in:"; echo "$1"; fi
}
expect_fail() { # <what> <args...>: non-zero exit, exactly one line on stderr, nothing on stdout
  local what=$1; shift
  local out err rc
  out=$("$cli" "$@" 2>/tmp/itee-cli-err); rc=$?
  err=$(cat /tmp/itee-cli-err)
  if [ $rc -ne 0 ] && [ -z "$out" ] && [ "$(wc -l <<<"$err")" -eq 1 ] && [[ $err == integritee-cli:* ]]; then ok
  else bad "$what: rc=$rc out='$out' err='$err'"; fi
}

o=$("$cli" key inspect //Alice)
expect_line "$o" "Secret Key URI \`//Alice\` is account:" "alice title"
expect_line "$o" "Network ID:        integritee" "alice network"
expect_line "$o" "Secret seed:       0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a" "alice seed"
expect_line "$o" "Public key (hex):  0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d" "alice pub"
expect_line "$o" "SS58 Address:      2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH" "alice addr"

o=$("$cli" key inspect //Alice --scheme ed25519)
expect_line "$o" "Public key (hex):  0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee" "alice ed25519"
expect_line "$o" "Secret seed:       0xabf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115" "alice ed25519 seed"

o=$("$cli" key inspect //Alice --scheme ecdsa --network 42)
expect_line "$o" "Public key (hex):  0x020a1091341fe5664bfa1782d5e04779689068c916b04cb365ec3153755684d9a1" "alice ecdsa"
expect_line "$o" "Account ID:        0x01e552298e47454041ea31273b4b630c64c104e4514aa3643490b8aaca9cf8ed" "alice ecdsa account"
expect_line "$o" "SS58 Address:      5C7C2Z5sWbytvHpuLTvzKunnnRwQxft1jiqrLD5rhucQ5S9X" "alice ecdsa addr"
expect_line "$o" "Public key (SS58): KW39r9CJjAVzmkf9zQ4YDb2hqfAVGdRqn53eRqyruqpxAP5YL" "alice ecdsa pub ss58"

o=$("$cli" key inspect "bottom drive obey lake curtain smoke basket hold race lonely fit walk" --network substrate)
expect_line "$o" "Secret phrase:       bottom drive obey" "phrase title"
expect_line "$o" "Secret seed:       0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e" "phrase seed"
expect_line "$o" "SS58 Address:      5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV" "phrase addr"

o=$("$cli" key inspect //Alice/foo --network 42)
expect_line "$o" "5HZ5szcUx9cL6xa1xDwRsQnSHt39YiyLNW7vjagw19bY4NkB" "soft junction addr"
expect_line "$o" "Secret seed:       n/a" "soft junction has no seed"

o=$("$cli" key inspect //Alice --password password)
expect_line "$o" "0x32fc18294f88e02ec071e59bb3996aa21f4519d92593dc6e01fda2921d459b23" "password"

o=$("$cli" key inspect 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY)
expect_line "$o" "Public Key URI \`5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\` is account:" "public title"
expect_line "$o" "SS58 Address:       2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH" "readdress to 13"

o=$("$cli" key inspect --public 0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d --network 0)
expect_line "$o" "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5" "public hex to polkadot"

o=$("$cli" key inspect //Alice --output-type json)
expect_line "$o" '"ss58Address": "2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH"' "json"

# generate -> inspect the phrase gives the same account
for scheme in sr25519 ed25519 ecdsa; do
  for words in 12 24; do
    g=$("$cli" key generate --scheme $scheme --words $words --output-type json)
    phrase=$(sed -n 's/.*"secretPhrase": "\(.*\)".*/\1/p' <<<"$g")
    addr=$(sed -n 's/.*"ss58Address": "\(.*\)".*/\1/p' <<<"$g")
    n=$(wc -w <<<"$phrase")
    [ "$n" -eq "$words" ] && ok || bad "generate $scheme $words gave $n words"
    i=$("$cli" key inspect "$phrase" --scheme $scheme)
    expect_line "$i" "SS58 Address:      $addr" "generate/inspect $scheme $words"
    # sign and verify round trip, and a tampered message fails
    sig=$("$cli" key sign "$phrase" "hello integritee" --scheme $scheme)
    v=$("$cli" key verify "$addr" "hello integritee" "$sig" --scheme $scheme)
    expect_line "$v" "Signature verifies correctly." "sign/verify $scheme"
    expect_fail "tampered message $scheme" key verify "$addr" "hello integritee!" "$sig" --scheme $scheme
  done
done

# ed25519 signatures are deterministic: the spec's vector
o=$("$cli" key sign //Alice "hello substrate" --scheme ed25519)
expect_line "$o" "0xc37b5a9024a0c8f3ae38eda3f4712e45f3220868c3bceeb3c63c9ab3f015754fe656878580239c8a86eeb5bfdcbf87160e6baa5e0798b5394b46b23d3d875c0b" "ed25519 vector"
o=$("$cli" key sign //Alice 0x68656c6c6f20737562737472617465 --hex --scheme ecdsa)
expect_line "$o" "0x29826d169811b51b5d09b1da9df557e4ee4f70189c282001f74cba6b79cac36f2ac4389a0bfab8e4045435d65ec47f2a5620ace2289b7bdb95dc38586cd4912100" "ecdsa vector (hex message)"
o=$("$cli" key verify 2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH "hello substrate" 0xcea0256273797ed90abce21cb900d0199280f06b9298b50276baf1e775f07c627503bea3ba2ce0d0456496c5508ee39db398046b3c7d7dfb6d50c280432a0181)
expect_line "$o" "Signature verifies correctly." "sr25519 spec vector verifies"

# hostile and wrong input: one line, non-zero
expect_fail "no args" key
expect_fail "unknown sub" key frobnicate
expect_fail "bad scheme" key inspect //Alice --scheme rsa
expect_fail "bad network" key inspect //Alice --network 46
expect_fail "bad words" key generate --words 13
expect_fail "bad mnemonic word" key inspect "bottom drive obey lake curtain smoke basket hold race lonely fit walkx"
expect_fail "bad checksum" key inspect "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon"
expect_fail "bad address checksum" key inspect 2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsJ
expect_fail "soft ed25519" key inspect //Alice/soft --scheme ed25519
expect_fail "bad public hex" key inspect --public 0xzz
expect_fail "bad signature hex" key verify 2P2pRoXYwZAWVPXXtR6is5o7L34Me72iuNdiMZxeNV2BkgsH msg 0xnothex
expect_fail "wrong signer" key verify 2MTf9jMQoqAcLP32TV8n7jt9EC3UBZdPQYVPJCpyJW6wyqoQ "hello substrate" 0xcea0256273797ed90abce21cb900d0199280f06b9298b50276baf1e775f07c627503bea3ba2ce0d0456496c5508ee39db398046b3c7d7dfb6d50c280432a0181
expect_fail "unknown option" key inspect //Alice --frob
expect_fail "unknown command" frob

echo "cli_key: $pass passed, $failn failed"
[ $failn -eq 0 ]
