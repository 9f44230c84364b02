// Conformance of our sr25519 (schnorrkel) against @polkadot/util-crypto 14.0.3 (which runs
// @scure/sr25519): key expansion, signatures in both directions, deterministic signing with
// given witness randomness, tampering, and HDKD hard / soft / public derivation.
// Usage: node suite_sr25519.mjs <driver-path>
import {
  cryptoWaitReady, sr25519DeriveHard, sr25519DerivePublic, sr25519DeriveSoft,
  sr25519PairFromSeed, sr25519Sign, sr25519Verify,
} from '@polkadot/util-crypto';
import * as scure from '@scure/sr25519';
import { Driver, Report, hex, makeRng, unhex } from './lib.mjs';

const N = 1000;
const CHUNK = 100;

await cryptoWaitReady();
const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('suite_sr25519');
const arg = (u8) => (u8.length === 0 ? '-' : hex(u8));
const theyVerify = (msg, sig, pub) => { try { return sr25519Verify(msg, sig, pub); } catch { return false; } };
const flipBit = (u8) => { const c = Uint8Array.from(u8); const b = rng.int(8 * c.length); c[b >> 3] ^= 1 << (b & 7); return c; };
const zeroRng = () => new Uint8Array(32);

async function oneCase(i) {
  // the parent: from a seed, or (every other case) a polkadot-js soft child of it, whose
  // scalar is not of the expanded form and whose nonce is random
  const seed = rng.bytes(32);
  const root = sr25519PairFromSeed(seed);
  const f = await drv.try('sr_from_seed', hex(seed));
  rep.check('pair_from_seed', f && f[0] === hex(root.publicKey) && f[1] === hex(root.secretKey),
    { seed: hex(seed), got: f, want: [hex(root.publicKey), hex(root.secretKey)] });
  const pair = i % 2 === 0 ? root : sr25519DeriveSoft(root, rng.bytes(32));
  const sec = hex(pair.secretKey), pub = hex(pair.publicKey);

  const p = await drv.try('sr_public', sec);
  rep.check('public_from_secret', p && p[0] === pub, { sec, got: p, want: pub });

  // we sign, they verify (and so do we)
  const msg = rng.bytes(i % 50 === 0 ? rng.range(300, 3000) : rng.range(0, 300));
  const s = await drv.try('sr_sign', sec, pub, arg(msg));
  const ourSig = s ? unhex(s[0]) : new Uint8Array(64);
  rep.check('ours_sign_they_verify', s !== null && theyVerify(msg, ourSig, pair.publicKey), { sec, msg: hex(msg), sig: s });
  const v0 = await drv.try('sr_verify', pub, arg(msg), hex(ourSig));
  rep.check('ours_sign_ours_verify', v0 && v0[0] === '1', { got: v0 });

  // they sign, we verify
  const theirSig = sr25519Sign(msg, pair);
  const v1 = await drv.try('sr_verify', pub, arg(msg), hex(theirSig));
  rep.check('they_sign_ours_verify', v1 && v1[0] === '1', { pub, msg: hex(msg), sig: hex(theirSig), got: v1 });

  // identical signatures from identical witness randomness
  const rnd = rng.bytes(32);
  const sd = await drv.try('sr_sign_rng', sec, pub, arg(msg), hex(rnd));
  const want = hex(scure.sign(pair.secretKey, msg, () => Uint8Array.from(rnd)));
  rep.check('sign_with_rng_bytes', sd && sd[0] === want, { sec, msg: hex(msg), rnd: hex(rnd), got: sd, want });

  // tampering: a bit of the signature, the message or the key; both must reject
  const which = rng.int(3);
  let tSig = theirSig, tMsg = msg, tPub = pair.publicKey;
  if (which === 0 || msg.length === 0) tSig = flipBit(theirSig);
  else if (which === 1) tMsg = flipBit(msg);
  else tPub = flipBit(pair.publicKey);
  const vt = await drv.try('sr_verify', hex(tPub), arg(tMsg), hex(tSig));
  rep.check('tampered_rejected_ours', vt && vt[0] === '0', { which, got: vt });
  rep.check('tampered_rejected_theirs', !theyVerify(tMsg, tSig, tPub), { which });
  // an unmarked signature: both reject
  const unmarked = Uint8Array.from(theirSig); unmarked[63] &= 0x7f;
  const vu = await drv.try('sr_verify', pub, arg(msg), hex(unmarked));
  rep.check('unmarked_rejected', vu && vu[0] === '0' && vu[1] === '303' && !theyVerify(msg, unmarked, pair.publicKey), { got: vu });

  // HDKD hard
  const ccH = rng.bytes(32);
  const hard = sr25519DeriveHard(pair, ccH);
  const h = await drv.try('sr_derive_hard', sec, pub, hex(ccH));
  rep.check('derive_hard', h && h[0] === hex(hard.publicKey) && h[1] === hex(hard.secretKey),
    { sec, cc: hex(ccH), got: h, want: [hex(hard.publicKey), hex(hard.secretKey)] });

  // HDKD soft: public key and scalar against polkadot-js (whose nonce is random), the whole
  // secret against @scure/sr25519 with the zero witness randomness we use
  const ccS = rng.bytes(32);
  const soft = sr25519DeriveSoft(pair, ccS);
  const so = await drv.try('sr_derive_soft', sec, pub, hex(ccS));
  rep.check('derive_soft', so && so[0] === hex(soft.publicKey) && so[1].slice(0, 64) === hex(soft.secretKey.subarray(0, 32)),
    { sec, cc: hex(ccS), got: so, want: [hex(soft.publicKey), hex(soft.secretKey)] });
  const det = hex(scure.HDKD.secretSoft(pair.secretKey, ccS, zeroRng));
  rep.check('derive_soft_nonce', so && so[1] === det, { got: so && so[1], want: det });
  const dp = await drv.try('sr_derive_public', pub, hex(ccS));
  rep.check('derive_public', dp && dp[0] === hex(sr25519DerivePublic(pair.publicKey, ccS)), { pub, cc: hex(ccS), got: dp });
}

for (let base = 0; base < N; base += CHUNK) {
  const jobs = [];
  for (let i = base; i < Math.min(N, base + CHUNK); i++) jobs.push(oneCase(i));
  await Promise.all(jobs);
}

// the spec vector: //Alice signing "hello substrate" with zero witness randomness
const alice = 'd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
const vsig = 'cea0256273797ed90abce21cb900d0199280f06b9298b50276baf1e775f07c627503bea3ba2ce0d0456496c5508ee39db398046b3c7d7dfb6d50c280432a0181';
const vv = await drv.try('sr_verify', alice, hex(new TextEncoder().encode('hello substrate')), vsig);
rep.check('spec_vector', vv && vv[0] === '1' && theyVerify(new TextEncoder().encode('hello substrate'), unhex(vsig), unhex(alice)), { got: vv });

drv.close();
rep.finish();
