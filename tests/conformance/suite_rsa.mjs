// Conformance of the worker's crypto against node's OpenSSL-backed WebCrypto / node:crypto:
//  - the RSA-3072 shielding key: our public key JSON imported the way JS clients of the worker
//    do it (reverse the little-endian n, import as a JWK, RSA-OAEP with SHA-256), both
//    directions, with our keys and with node-generated keys loaded from the sealed JSON form;
//  - AES-256-GCM both directions, plus tampering;
//  - sealing: seal_key_derive against crypto.hkdfSync, and blobs sealed/opened on both sides.
// Usage: node suite_rsa.mjs <driver-path>
import { createCipheriv, createDecipheriv, generateKeyPairSync, hkdfSync, webcrypto } from 'node:crypto';
import { Driver, Report, hex, makeRng, unhex } from './lib.mjs';

const subtle = webcrypto.subtle;
const N = 1000;      // random cases per primitive and direction
const CHUNK = 200;   // driver calls in flight at once
const MOD = 384, CHUNK_PLAIN = 318;
const OAEP = { name: 'RSA-OAEP' };

const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('suite_rsa');
const arg = (u8) => (u8.length === 0 ? '-' : hex(u8));
const bytes = (f) => (f[0] === '-' ? new Uint8Array(0) : unhex(f[0]));
const eq = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const textOf = (f) => Buffer.from(bytes(f)).toString('utf8');

// LE byte array (the worker's JSON) <-> base64url big-endian minimal (JWK).
function leToB64u(le) {
  const be = Uint8Array.from(le).reverse();
  let i = 0;
  while (i < be.length - 1 && be[i] === 0) i++;
  return Buffer.from(be.subarray(i)).toString('base64url');
}
function b64uToLe(s, len) {
  const be = Buffer.from(s, 'base64url');
  if (be.length > len) throw new Error('value too long');
  const out = new Array(len).fill(0);
  for (let i = 0; i < be.length; i++) out[i] = be[be.length - 1 - i];
  return out;
}
const pubJwk = (j) => ({ kty: 'RSA', n: leToB64u(j.n), e: leToB64u(j.e), ext: true });
const privJwk = (j) => ({
  ...pubJwk(j), d: leToB64u(j.d), p: leToB64u(j.p), q: leToB64u(j.q),
  dp: leToB64u(j.dmp1), dq: leToB64u(j.dmq1), qi: leToB64u(j.iqmp),
});
const importPub = (j) => subtle.importKey('jwk', pubJwk(j), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt']);
const importPriv = (j) => subtle.importKey('jwk', privJwk(j), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['decrypt']);

async function nodeEncrypt(pub, plain) {
  const parts = [];
  for (let off = 0; off < plain.length; off += CHUNK_PLAIN)
    parts.push(new Uint8Array(await subtle.encrypt(OAEP, pub, plain.subarray(off, off + CHUNK_PLAIN))));
  return Buffer.concat(parts);
}
async function nodeDecrypt(priv, ct) {
  if (ct.length % MOD !== 0) throw new Error('ciphertext not whole blocks');
  const parts = [];
  for (let off = 0; off < ct.length; off += MOD)
    parts.push(new Uint8Array(await subtle.decrypt(OAEP, priv, ct.subarray(off, off + MOD))));
  return Buffer.concat(parts);
}

// Runs n cases, CHUNK at a time; make(i) returns a promise of nothing (it reports itself).
async function batch(n, make) {
  for (let i = 0; i < n; i += CHUNK) {
    const ps = [];
    for (let k = i; k < Math.min(n, i + CHUNK); k++) ps.push(make(k));
    await Promise.all(ps);
  }
}

const plainLen = (i) => (i < 8 ? [0, 1, 317, 318, 319, 636, 637, 1000][i] : rng.range(0, 1000));

// ---- RSA: keys and JSON -------------------------------------------------------------------

const KEY_ORDER = ['n', 'd', 'e', 'p', 'q', 'dmp1', 'dmq1', 'iqmp'];
const KEY_LENS = { n: 384, d: 384, e: 4, p: 192, q: 192, dmp1: 192, dmq1: 192, iqmp: 192 };

async function checkOurKey() {
  const [id, pubHex] = await drv.call('rsa_new');
  const pubText = Buffer.from(unhex(pubHex)).toString('utf8');
  const pub = JSON.parse(pubText);
  rep.check('rsa pub json compact (serde_json form)', pubText === JSON.stringify(pub) &&
    Object.keys(pub).join() === 'n,e', pubText.slice(0, 80));
  rep.check('rsa pub json n 384 LE bytes, e [1,0,0,1]', pub.n.length === 384 && pub.e.join() === '1,0,0,1' &&
    pub.n.every((x) => Number.isInteger(x) && x >= 0 && x < 256) && (pub.n[383] & 0x80) !== 0, pub.e);
  const pairText = textOf(await drv.call('rsa_keypair', id));
  const pair = JSON.parse(pairText);
  rep.check('rsa keypair json field order and widths', pairText === JSON.stringify(pair) &&
    Object.keys(pair).join() === KEY_ORDER.join() && KEY_ORDER.every((k) => pair[k].length === KEY_LENS[k]),
    Object.keys(pair));
  rep.check('rsa keypair n == pub n', eq(pair.n, pub.n), null);
  // The private JWK must be a consistent key for node (it checks it on import).
  return { id, pub, pair, pubKey: await importPub(pub), privKey: await importPriv(pair) };
}

function nodeKeyToJson() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 0x01000001 });
  const j = privateKey.export({ format: 'jwk' });
  const pair = { n: b64uToLe(j.n, 384), d: b64uToLe(j.d, 384), e: b64uToLe(j.e, 4), p: b64uToLe(j.p, 192),
    q: b64uToLe(j.q, 192), dmp1: b64uToLe(j.dp, 192), dmq1: b64uToLe(j.dq, 192), iqmp: b64uToLe(j.qi, 192) };
  return { pair, pub: { n: pair.n, e: pair.e } };
}

async function checkNodeKey() {
  const { pair, pub } = nodeKeyToJson();
  const pairText = JSON.stringify(pair), pubText = JSON.stringify(pub);
  const [id] = await drv.call('rsa_load_keypair', hex(Buffer.from(pairText)));
  rep.check('rsa node keypair json round trip', textOf(await drv.call('rsa_keypair', id)) === pairText, null);
  rep.check('rsa node pub json', textOf(await drv.call('rsa_pub', id)) === pubText, null);
  const [pubId] = await drv.call('rsa_load_pub', hex(Buffer.from(pubText)));
  // Inconsistent key pairs must be refused: p and q swapped leaves iqmp wrong; d off by one.
  const swapped = { ...pair, p: pair.q, q: pair.p };
  rep.check('rsa reject inconsistent keypair (p<->q)',
    (await drv.try('rsa_load_keypair', hex(Buffer.from(JSON.stringify(swapped))))) === null, null);
  const dBad = { ...pair, d: pair.d.map((x, i) => (i === 0 ? x ^ 2 : x)) };
  rep.check('rsa reject inconsistent keypair (d)',
    (await drv.try('rsa_load_keypair', hex(Buffer.from(JSON.stringify(dBad))))) === null, null);
  return { id, pubId, pub, pair, pubKey: await importPub(pub), privKey: await importPriv(pair) };
}

// We encrypt (with encId) -> node decrypts with key.privKey.
async function weEncrypt(key, encId, n, tag) {
  await batch(n, async (i) => {
    const plain = rng.bytes(plainLen(i));
    const f = await drv.try('rsa_encrypt', encId, arg(plain));
    if (f === null) return rep.check(`rsa ${tag} C encrypt -> node decrypt`, false, 'driver error');
    const ct = bytes(f);
    let back = null;
    try { back = await nodeDecrypt(key.privKey, ct); } catch (e) { back = null; }
    rep.check(`rsa ${tag} C encrypt -> node decrypt`,
      back !== null && ct.length === Math.ceil(plain.length / CHUNK_PLAIN) * MOD && eq(back, plain),
      () => JSON.stringify({ len: plain.length, ctLen: ct.length }));
  });
}

// Node encrypts with key.pubKey -> we decrypt (with key.id); some cases are damaged on purpose.
async function nodeEncrypts(key, n, tag) {
  await batch(n, async (i) => {
    const plain = rng.bytes(plainLen(i));
    const ct = await nodeEncrypt(key.pubKey, plain);
    const f = await drv.try('rsa_decrypt', key.id, arg(ct));
    rep.check(`rsa ${tag} node encrypt -> C decrypt`, f !== null && eq(bytes(f), plain),
      () => JSON.stringify({ len: plain.length, got: f && f[0].slice(0, 40) }));
    if (i % 5 === 0 && ct.length > 0) {
      const bad = Uint8Array.from(ct);
      const pos = rng.int(bad.length);
      bad[pos] ^= 1 << rng.int(8);
      rep.check(`rsa ${tag} damaged ciphertext rejected`, (await drv.try('rsa_decrypt', key.id, arg(bad))) === null, { pos });
      const cut = ct.subarray(0, ct.length - 1 - rng.int(MOD - 1));
      rep.check(`rsa ${tag} partial block rejected`, (await drv.try('rsa_decrypt', key.id, arg(cut))) === null, cut.length);
    }
  });
}

const ours = await checkOurKey();
await weEncrypt(ours, ours.id, N, 'ours');
await nodeEncrypts(ours, N, 'ours');
const theirs = await checkNodeKey();
await weEncrypt(theirs, theirs.pubId, 200, 'node-key');
await nodeEncrypts(theirs, 200, 'node-key');
// Wrong key: node encrypts to one key, we decrypt with the other.
await batch(50, async () => {
  const ct = await nodeEncrypt(theirs.pubKey, rng.bytes(rng.range(1, 600)));
  rep.check('rsa wrong key rejected', (await drv.try('rsa_decrypt', ours.id, arg(ct))) === null, null);
});

// ---- AES-256-GCM --------------------------------------------------------------------------

function nodeGcmEncrypt(key, nonce, aad, plain) {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
}
function nodeGcmDecrypt(key, nonce, aad, ct) {
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(aad);
    d.setAuthTag(ct.subarray(ct.length - 16));
    return Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]);
  } catch { return null; }
}
const gcmCase = (i) => ({ key: rng.bytes(32), nonce: rng.bytes(12), aad: rng.bytes(i % 3 === 0 ? 0 : rng.range(0, 64)), plain: rng.bytes(rng.range(0, 1000)) });

await batch(N, async (i) => {
  const { key, nonce, aad, plain } = gcmCase(i);
  const f = await drv.try('aes_gcm_encrypt', arg(key), arg(nonce), arg(aad), arg(plain));
  const ct = f && bytes(f);
  rep.check('aes-gcm C encrypt == node encrypt', ct !== null && eq(ct, nodeGcmEncrypt(key, nonce, aad, plain)), plain.length);
  const back = ct && nodeGcmDecrypt(Buffer.from(key), Buffer.from(nonce), Buffer.from(aad), Buffer.from(ct));
  rep.check('aes-gcm C encrypt -> node decrypt', back !== null && eq(back, plain), plain.length);
});
await batch(N, async (i) => {
  const { key, nonce, aad, plain } = gcmCase(i);
  const ct = nodeGcmEncrypt(key, nonce, aad, plain);
  const f = await drv.try('aes_gcm_decrypt', arg(key), arg(nonce), arg(aad), arg(ct));
  rep.check('aes-gcm node encrypt -> C decrypt', f !== null && eq(bytes(f), plain), plain.length);
  if (i % 4 === 0) {
    const bad = Uint8Array.from(ct);
    bad[rng.int(bad.length)] ^= 1 << rng.int(8);
    rep.check('aes-gcm tamper rejected', (await drv.try('aes_gcm_decrypt', arg(key), arg(nonce), arg(aad), arg(bad))) === null, null);
    const badAad = Uint8Array.from([...aad, 0]);
    rep.check('aes-gcm wrong aad rejected', (await drv.try('aes_gcm_decrypt', arg(key), arg(nonce), arg(badAad), arg(ct))) === null, null);
  }
});

// ---- sealing ------------------------------------------------------------------------------

const HDR = Buffer.from('ITSL\x01', 'latin1');
const INFO = Buffer.from('integritee-seal-v1');
const label = () => Buffer.from(Array.from({ length: rng.range(0, 40) }, () => 0x21 + rng.int(94)));

await batch(N, async () => {
  const m = rng.bytes(32), secret = rng.bytes(rng.range(16, 64)), l = label();
  const f = await drv.try('seal_key_derive', arg(m), arg(secret), arg(l));
  const want = new Uint8Array(hkdfSync('sha256', secret, m, Buffer.concat([INFO, l]), 32));
  rep.check('seal_key_derive == HKDF-SHA256', f !== null && eq(bytes(f), want), () => JSON.stringify({ m: hex(m), l: l.toString() }));
});
await batch(N, async (i) => {
  const key = rng.bytes(32), aad = rng.bytes(rng.range(0, 40)), plain = rng.bytes(rng.range(0, 600));
  if (i % 2 === 0) {
    // We seal -> node opens by the documented format.
    const f = await drv.try('seal', arg(key), arg(aad), arg(plain));
    const blob = f && Buffer.from(bytes(f));
    const ok = blob !== null && blob.length === plain.length + 33 && eq(blob.subarray(0, 5), HDR);
    const back = ok && nodeGcmDecrypt(Buffer.from(key), blob.subarray(5, 17), Buffer.concat([HDR, aad]), blob.subarray(17));
    rep.check('seal: C seal -> node open', ok && back !== null && eq(back, plain), plain.length);
  } else {
    // Node seals by the documented format -> we open; damaged blobs are refused.
    const nonce = rng.bytes(12);
    const blob = Buffer.concat([HDR, nonce, nodeGcmEncrypt(key, nonce, Buffer.concat([HDR, aad]), plain)]);
    const f = await drv.try('unseal', arg(key), arg(aad), arg(blob));
    rep.check('seal: node seal -> C unseal', f !== null && eq(bytes(f), plain), plain.length);
    if (i % 5 === 1) {
      const bad = Uint8Array.from(blob);
      bad[rng.int(bad.length)] ^= 1 << rng.int(8);
      rep.check('seal: damaged blob rejected', (await drv.try('unseal', arg(key), arg(aad), arg(bad))) === null, null);
    }
  }
});

drv.close();
rep.finish();
