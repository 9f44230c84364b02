// Conformance of our keys area against @polkadot/util-crypto and @polkadot/keyring 14.0.3:
// BIP39 mnemonics and substrate-bip39 mini secrets (both directions), secret-URI derivation
// for sr25519 / ed25519 / ecdsa as Keyring.createFromUri does it, SS58 encode/decode with
// random prefixes (and corrupted addresses), ed25519 and ecdsa signatures both ways.
// Avoided on purpose (documented divergences, spec §3.2): hex-looking junctions, numbers
// above u64, and "+n" junctions.
// Usage: node suite_keys.mjs <driver-path>
import { Keyring } from '@polkadot/keyring';
import {
  base58Decode, blake2AsU8a, cryptoWaitReady, decodeAddress, ed25519PairFromSeed, ed25519Sign, ed25519Verify,
  encodeAddress, mnemonicGenerate, mnemonicToEntropy, mnemonicToMiniSecret, mnemonicValidate,
  secp256k1PairFromSeed, secp256k1Sign, secp256k1Verify, signatureVerify,
} from '@polkadot/util-crypto';
import { entropyToMnemonic } from '@polkadot/util-crypto/mnemonic/bip39';
import { Driver, Report, hex, makeRng, textHex, unhex } from './lib.mjs';

const N = 1000;
const CHUNK = 200;
const WORDS = [12, 15, 18, 21, 24];
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

await cryptoWaitReady();
const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('suite_keys');
const arg = (u8) => (u8.length === 0 ? '-' : hex(u8));
const targ = (s) => (s.length === 0 ? '-' : textHex(s));
const fromHexText = (h) => (h === '-' ? '' : Buffer.from(h, 'hex').toString('utf8'));
const keyrings = {
  sr25519: new Keyring({ type: 'sr25519' }),
  ed25519: new Keyring({ type: 'ed25519' }),
  ecdsa: new Keyring({ type: 'ecdsa' }),
};
// Flips bit (r mod 8·len) of a copy of u8; r is drawn before any await, keeping runs replayable.
const flipBit = (u8, r) => { const c = Uint8Array.from(u8); const b = r % (8 * c.length); c[b >> 3] ^= 1 << (b & 7); return c; };
const attempt = (f) => { try { return f(); } catch { return null; } };

// Runs make(i) for i < n (synchronously, so the PRNG sequence is fixed), then the returned
// async checks in chunks of CHUNK.
async function runCases(n, make) {
  for (let i = 0; i < n; i += CHUNK) {
    const jobs = [];
    for (let j = i; j < Math.min(n, i + CHUNK); j++) jobs.push(make(j));
    await Promise.all(jobs.map((job) => job()));
  }
}

const randEntropy = () => rng.bytes(WORDS[rng.int(5)] * 4 / 3);
const PW_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&*+,-.:;<=>?@[]^_{}~/';
const randPassword = () => {
  const n = rng.range(0, 24);
  let s = '';
  for (let i = 0; i < n; i++) s += PW_CHARS[rng.int(PW_CHARS.length)];
  return s;
};
const JUNCTION_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:;!?@#$%^&*()[]{}=~';
// A junction's text: a number within u64 (sometimes with leading zeros), a short or long
// string (long ones exercise the blake2 chain code), never hex-looking or starting with '+'.
function randJunctionText() {
  const kind = rng.int(10);
  if (kind < 3) {
    const bits = rng.pick([8, 16, 32, 53, 64]);
    const v = rng.u64() >> BigInt(64 - bits);
    return (rng.int(8) === 0 ? '00' : '') + v.toString();
  }
  const len = kind === 9 ? rng.range(31, 80) : rng.range(1, 12);
  let s = '';
  for (let i = 0; i < len; i++) s += JUNCTION_CHARS[rng.int(JUNCTION_CHARS.length)];
  if (/^0x/i.test(s) || s.startsWith('+')) s = 'j' + s;
  return s;
}
function randPath(allowSoft) {
  let p = '';
  const n = rng.range(0, 4);
  for (let i = 0; i < n; i++) p += (allowSoft && rng.bool() ? '/' : '//') + randJunctionText();
  return p;
}

// ---- BIP39 ----

// ours generate, theirs validate and derive the same entropy and mini secret
await runCases(N, () => {
  const words = WORDS[rng.int(5)];
  const pw = rng.int(3) === 0 ? randPassword() : '';
  return async () => {
    const g = await drv.try('bip39_generate', words);
    const m = g ? fromHexText(g[0]) : '';
    rep.check('bip39_ours_generate_they_validate', g && m.split(' ').length === words && mnemonicValidate(m), { m });
    if (!g) return;
    const e = await drv.try('bip39_to_entropy', g[0]);
    rep.check('bip39_ours_entropy', e && e[0] === hex(mnemonicToEntropy(m)), { m, got: e });
    const mini = await drv.try('bip39_mini', g[0], targ(pw));
    const want = hex(mnemonicToMiniSecret(m, pw));
    rep.check('bip39_mini_secret_ours_mnemonic', mini && mini[0] === want, { m, pw, got: mini, want });
  };
});

// theirs generate (from seeded entropy, and every fourth with their wasm generator), ours
// encode, decode and derive the same
await runCases(N, (i) => {
  let ent = randEntropy();
  const words = WORDS[rng.int(5)];
  const pw = rng.int(3) === 0 ? randPassword() : '';
  return async () => {
    if (i % 4 === 0) ent = mnemonicToEntropy(mnemonicGenerate(words));
    const m = entropyToMnemonic(ent);
    const f = await drv.try('bip39_from_entropy', hex(ent));
    rep.check('bip39_entropy_to_mnemonic', f && fromHexText(f[0]) === m, { ent: hex(ent), got: f && fromHexText(f[0]), want: m });
    const e = await drv.try('bip39_to_entropy', textHex(m));
    rep.check('bip39_their_mnemonic_to_entropy', e && e[0] === hex(ent), { m, got: e });
    const mini = await drv.try('bip39_mini', textHex(m), targ(pw));
    const want = hex(mnemonicToMiniSecret(m, pw));
    rep.check('bip39_mini_secret_their_mnemonic', mini && mini[0] === want, { m, pw, got: mini, want });
  };
});

// corrupted mnemonics: a word replaced, two swapped, or one dropped; both agree on validity
await runCases(N, () => {
  const words = entropyToMnemonic(randEntropy()).split(' ');
  const kind = rng.int(3);
  const i = rng.int(words.length), j = rng.int(words.length);
  const repl = entropyToMnemonic(rng.bytes(16)).split(' ')[rng.int(12)];
  return async () => {
    if (kind === 0) words[i] = repl;
    else if (kind === 1) [words[i], words[j]] = [words[j], words[i]];
    else words.splice(i, 1);
    const m = words.join(' ');
    const theirs = mnemonicValidate(m);
    const e = await drv.try('bip39_to_entropy', textHex(m));
    rep.check('bip39_corrupted_agree', (e !== null) === theirs, { m, ours: e !== null, theirs });
  };
});

// ---- secret URIs and derivation ----

for (const type of ['sr25519', 'ed25519', 'ecdsa']) {
  await runCases(N, () => {
    const useHexSeed = rng.int(8) === 0;
    const phrase = useHexSeed ? '0x' + hex(rng.bytes(32)) : entropyToMnemonic(randEntropy());
    const suri = phrase + randPath(type === 'sr25519') + (rng.int(3) === 0 ? '///' + randPassword() : '');
    return async () => {
      const pair = attempt(() => keyrings[type].createFromUri(suri));
      const o = await drv.try('pair_suri', type, textHex(suri));
      if (pair === null) {
        rep.check(`suri_${type}_both_reject`, o === null, { suri, ours: o });
        return;
      }
      const wantAcc = hex(decodeAddress(pair.address));
      rep.check(`suri_${type}_public`, o && o[0] === hex(pair.publicKey) && o[1] === wantAcc,
        { suri, got: o, want: [hex(pair.publicKey), wantAcc] });
    };
  });
}

// soft junctions on ed25519 / ecdsa: both refuse
await runCases(200, (i) => {
  const type = i % 2 ? 'ed25519' : 'ecdsa';
  const suri = entropyToMnemonic(randEntropy()) + randPath(false) + '/' + randJunctionText() + randPath(false);
  return async () => {
    const pair = attempt(() => keyrings[type].createFromUri(suri));
    const o = await drv.try('pair_suri', type, textHex(suri));
    rep.check('suri_soft_refused', pair === null && o === null, { suri, type, ours: o });
  };
});

// the dev phrase shortcut "//Name" and junction numbers at the u64 edge
await runCases(100, (i) => {
  const type = ['sr25519', 'ed25519', 'ecdsa'][i % 3];
  const suri = '//' + (i % 4 === 0 ? '18446744073709551615' : randJunctionText()) + randPath(type === 'sr25519');
  return async () => {
    const pair = keyrings[type].createFromUri(suri);
    const o = await drv.try('pair_suri', type, textHex(suri));
    rep.check('suri_dev_phrase', o && o[0] === hex(pair.publicKey), { suri, type, got: o, want: hex(pair.publicKey) });
  };
});

// ---- SS58 ----

const randPrefix = () => {
  for (;;) {
    const p = rng.bool() ? rng.int(64) : rng.int(16384);
    if (p !== 46 && p !== 47) return p;
  }
};

await runCases(N, () => {
  const len = rng.int(4) === 0 ? rng.pick([1, 2, 4, 8, 33]) : 32;
  const acc = rng.bytes(len);
  const prefix = randPrefix();
  return async () => {
    const want = encodeAddress(acc, prefix);
    const e = await drv.try('ss58_encode', prefix, hex(acc));
    rep.check('ss58_encode', e && e[0] === want, { acc: hex(acc), prefix, got: e, want });
    const d = await drv.try('ss58_decode', want);
    rep.check('ss58_decode', d && Number(d[0]) === prefix && d[1] === hex(acc), { addr: want, got: d });
    // polkadot-js encodes, but will not decode, 2/4/8-byte accounts after a two-byte prefix
    if (prefix >= 64 && [2, 4, 8].includes(len)) return;
    const back = attempt(() => hex(decodeAddress(e ? e[0] : '')));
    rep.check('ss58_ours_they_decode', back === hex(acc), { addr: e, got: back });
  };
});

// corrupted addresses (one character changed, one dropped or one added): both reject, or,
// should a checksum collide, both accept the same bytes
await runCases(N, () => {
  const acc = rng.bytes(32);
  const prefix = randPrefix();
  const kind = rng.int(3);
  const pos = rng.int(40);
  const ch = B58[rng.int(58)];
  return async () => {
    const good = encodeAddress(acc, prefix);
    const at = pos % good.length;
    let bad;
    if (kind === 0) bad = good.slice(0, at) + (good[at] === ch ? B58[(B58.indexOf(ch) + 1) % 58] : ch) + good.slice(at + 1);
    else if (kind === 1) bad = good.slice(0, at) + good.slice(at + 1);
    else bad = good.slice(0, at) + ch + good.slice(at);
    let theirs = attempt(() => hex(decodeAddress(bad)));
    // polkadot-js also accepts payloads of 35 bytes and other non-account lengths when a 1-byte
    // checksum collides (1 in 256); we accept only account lengths 1,2,4,8,32,33 (stricter).
    if (theirs !== null && ![1, 2, 4, 8, 32, 33].includes(theirs.length / 2)) theirs = null;
    // polkadot-js also accepts a 32/33-byte account behind a 2-byte prefix with a 1-byte checksum
    // (again 1 in 256); Substrate and we require the 2-byte checksum for 32/33-byte accounts.
    if (theirs !== null) {
      const raw = base58Decode(bad);
      const prefixLen = raw[0] & 0x40 ? 2 : 1;
      const accLen = theirs.length / 2;
      if (raw.length !== prefixLen + accLen + (accLen >= 32 ? 2 : 1)) theirs = null;
    }
    const d = await drv.try('ss58_decode', bad);
    rep.check('ss58_corrupted_agree', (d === null && theirs === null) || (d !== null && d[1] === theirs),
      { good, bad, ours: d, theirs });
  };
});

// reserved and out-of-range prefixes, bad account lengths: both refuse to encode
await runCases(100, (i) => {
  const prefix = [46, 47, 16384, 20000][i % 4];
  const len = i % 5 === 0 ? rng.pick([0, 3, 16, 31, 34]) : 32;
  const acc = rng.bytes(len);
  return async () => {
    const theirs = attempt(() => encodeAddress(acc, prefix));
    const e = await drv.try('ss58_encode', prefix, arg(acc));
    rep.check('ss58_encode_refused', theirs === null && e === null, { prefix, len, ours: e, theirs });
  };
});

// ---- signatures ----

await runCases(N, (i) => {
  const seed = rng.bytes(32);
  const msg = rng.bytes(i % 50 === 0 ? rng.range(300, 2000) : rng.range(0, 200));
  const r = rng.int(1 << 30);
  return async () => {
    const pair = ed25519PairFromSeed(seed);
    const s = await drv.try('pair_sign', 'ed25519', hex(seed), arg(msg));
    const ourSig = s ? unhex(s[1]) : new Uint8Array(64);
    rep.check('ed25519_public', s && s[0] === hex(pair.publicKey), { seed: hex(seed), got: s });
    rep.check('ed25519_ours_sign_they_verify',
      s && ed25519Verify(msg, ourSig, pair.publicKey) && signatureVerify(msg, ourSig, pair.publicKey).isValid,
      { seed: hex(seed), msg: hex(msg), sig: s });
    const theirSig = ed25519Sign(msg, pair);
    rep.check('ed25519_same_signature', hex(theirSig) === hex(ourSig), { ours: hex(ourSig), theirs: hex(theirSig) });
    const v = await drv.try('keys_verify', 'ed25519', hex(theirSig), arg(msg), hex(pair.publicKey));
    rep.check('ed25519_they_sign_ours_verify', v && v[0] === '1', { got: v });
    const va = await drv.try('keys_verify_account', 'ed25519', hex(theirSig), arg(msg), hex(pair.publicKey));
    rep.check('ed25519_verify_account', va && va[0] === '1', { got: va });
    const bad = flipBit(theirSig, r);
    const vb = await drv.try('keys_verify', 'ed25519', hex(bad), arg(msg), hex(pair.publicKey));
    const tb = attempt(() => ed25519Verify(msg, bad, pair.publicKey)) === true;
    rep.check('ed25519_tampered_both_reject', vb && vb[0] === '0' && !tb, { got: vb, theirs: tb });
  };
});

await runCases(N, (i) => {
  const seed = rng.bytes(32);
  const msg = rng.bytes(i % 50 === 0 ? rng.range(300, 2000) : rng.range(0, 200));
  const r = rng.int(1 << 30), tamperSig = rng.bool();
  return async () => {
    const pair = secp256k1PairFromSeed(seed);
    const acc = blake2AsU8a(pair.publicKey);
    const s = await drv.try('pair_sign', 'ecdsa', hex(seed), arg(msg));
    const ourSig = s ? unhex(s[1]) : new Uint8Array(65);
    rep.check('ecdsa_public', s && s[0] === hex(pair.publicKey), { seed: hex(seed), got: s });
    rep.check('ecdsa_ours_sign_they_verify',
      s && secp256k1Verify(msg, ourSig, pair.publicKey, 'blake2') &&
        signatureVerify(msg, ourSig, encodeAddress(acc)).isValid,
      { seed: hex(seed), msg: hex(msg), sig: s });
    const theirSig = secp256k1Sign(msg, pair, 'blake2');
    rep.check('ecdsa_same_signature', hex(theirSig) === hex(ourSig), { ours: hex(ourSig), theirs: hex(theirSig) });
    const v = await drv.try('keys_verify', 'ecdsa', hex(theirSig), arg(msg), hex(pair.publicKey));
    rep.check('ecdsa_they_sign_ours_verify', v && v[0] === '1', { got: v });
    const va = await drv.try('keys_verify_account', 'ecdsa', hex(theirSig), arg(msg), hex(acc));
    rep.check('ecdsa_verify_account', va && va[0] === '1', { got: va });
    // tampering the signature (not its recovery byte) or the message: both reject
    let bad = theirSig, bmsg = msg;
    if (msg.length === 0 || tamperSig) { bad = flipBit(theirSig.subarray(0, 64), r); bad = Uint8Array.from([...bad, theirSig[64]]); }
    else bmsg = flipBit(msg, r);
    const vb = await drv.try('keys_verify', 'ecdsa', hex(bad), arg(bmsg), hex(pair.publicKey));
    const tb = attempt(() => secp256k1Verify(bmsg, bad, pair.publicKey, 'blake2')) === true;
    rep.check('ecdsa_tampered_both_reject', vb && vb[0] === '0' && !tb, { got: vb, theirs: tb });
  };
});

drv.close();
rep.finish();
