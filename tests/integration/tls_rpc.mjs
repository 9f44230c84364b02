// tls_rpc.mjs - real TLS clients against tls_rpc_server (TLS on memory BIOs in front of the
// JSON-RPC engine, as the enclave serves its trusted RPC): node's tls (the certificate's key is
// the ed25519 key of the seed we chose, derived here independently with node's crypto; the
// certificate also works as its own trust anchor), wss with the ws package (calls, a
// subscription, a 1 MiB message), https POST (single, parallel, /health), a plain TCP client
// getting no JSON answer, and openssl s_client with TLS 1.3 and 1.2.
// Usage: node tls_rpc.mjs <path-to-tls_rpc_server>
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

// ws comes with @polkadot/api in tests/clients (pinned by its package-lock.json)
const require = createRequire(fileURLToPath(new URL('../clients/package.json', import.meta.url)));
const WebSocket = require('ws');

const seed = crypto.randomBytes(32);
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
const expectedKey = Buffer.from(
  crypto.createPublicKey(crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }))
    .export({ format: 'jwk' }).x, 'base64url').toString('hex');

const bin = process.argv[2];
const srv = spawn(bin, [seed.toString('hex')], { stdio: ['ignore', 'pipe', 'pipe'] });
let srvErr = '';
srv.stderr.on('data', (d) => { srvErr += d; });
const [port, printedKey] = await new Promise((resolve, reject) => {
  srv.stdout.once('data', (d) => {
    const [p, k] = String(d).trim().split(' ');
    resolve([Number(p), k]);
  });
  srv.once('exit', (c) => reject(new Error(`server exited ${c}`)));
});
let passed = 0;
const ok = (name) => { passed++; console.log(`ok ${name}`); };
const rawKey = (x509) => Buffer.from(x509.publicKey.export({ format: 'jwk' }).x, 'base64url').toString('hex');

const tlsConnect = (opts) => new Promise((resolve, reject) => {
  const s = tls.connect({ host: '127.0.0.1', port, ...opts }, () => resolve(s));
  s.once('error', reject);
});

const post = (body, path = '/', method = 'POST') => new Promise((resolve, reject) => {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  const req = https.request({
    host: '127.0.0.1', port, path, method, rejectUnauthorized: false, agent: false,
    headers: method === 'POST' ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {},
  }, (res) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c) => { text += c; });
    res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(text) }));
  });
  req.once('error', reject);
  req.end(method === 'POST' ? data : undefined);
});

try {
  // the TLS key is the enclave's ed25519 key
  assert.equal(printedKey, expectedKey);
  let s = await tlsConnect({ rejectUnauthorized: false, servername: 'localhost' });
  const cert = s.getPeerX509Certificate();
  assert.equal(rawKey(cert), expectedKey);
  assert.equal(s.getProtocol(), 'TLSv1.3');
  assert.match(cert.subject, /CN=integritee-enclave \(software mode\)/);
  assert.match(cert.subjectAltName, /DNS:localhost/);
  assert.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/);
  assert.equal(cert.ca, false);
  assert.ok(cert.checkIssued(cert) && cert.verify(cert.publicKey), 'self-signed');
  s.destroy();
  ok('tls: peer key is the ed25519 key of the seed, TLSv1.3, names');

  // pinning by trusting exactly this certificate: verified, and the host name is checked
  s = await tlsConnect({ ca: cert.toString(), servername: 'localhost' });
  assert.equal(s.authorized, true);
  s.destroy();
  await assert.rejects(tlsConnect({ ca: cert.toString(), servername: 'wrong.example' }),
    /altnames|Hostname/i);
  await assert.rejects(tlsConnect({ servername: 'localhost' }), /self[- ]signed/i);
  ok('tls: certificate is its own trust anchor; wrong name and default CAs reject it');

  // https
  let r = await post({ id: 1, jsonrpc: '2.0', method: 'echo', params: [1, 'a'] });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { jsonrpc: '2.0', result: [1, 'a'], id: 1 });
  r = await post('{"id":2,');
  assert.equal(r.json.error.code, -32700);
  r = await post(null, '/health', 'GET');
  assert.deepEqual(r.json, { peers: 0, isSyncing: false, shouldHavePeers: false });
  const many = await Promise.all(Array.from({ length: 30 }, (_, i) =>
    post({ id: i, jsonrpc: '2.0', method: 'echo', params: [i] })));
  many.forEach((m, i) => assert.deepEqual(m.json.result, [i]));
  ok('https: echo, parse error, /health, 30 parallel');

  // wss
  const ws = new WebSocket(`wss://127.0.0.1:${port}`, { rejectUnauthorized: false, maxPayload: 64 << 20 });
  const inbox = [];
  let waiter = null;
  ws.on('message', (d) => { inbox.push(JSON.parse(String(d))); if (waiter) { const w = waiter; waiter = null; w(); } });
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  assert.equal(rawKey(ws._socket.getPeerX509Certificate()), expectedKey);
  const next = async () => { while (inbox.length === 0) await new Promise((res) => { waiter = res; }); return inbox.shift(); };
  ws.send(JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'echo', params: ['x'] }));
  assert.deepEqual(await next(), { jsonrpc: '2.0', result: ['x'], id: 1 });
  ok('wss: echo');

  ws.send(JSON.stringify({ id: 2, jsonrpc: '2.0', method: 'chain_subscribeNewHeads', params: [] }));
  const sub = (await next()).result;
  assert.match(sub, /^[A-Za-z0-9]{16}$/);
  let last = -1;
  for (let i = 0; i < 3; i++) {
    const n = await next();
    assert.equal(n.params.subscription, sub);
    assert.ok(n.params.result.number > last);
    last = n.params.result.number;
  }
  ws.send(JSON.stringify({ id: 3, jsonrpc: '2.0', method: 'chain_unsubscribeNewHeads', params: [sub] }));
  let m;
  do { m = await next(); } while (m.id !== 3);
  assert.equal(m.result, true);
  ok('wss: subscription notifications from timers, unsubscribe');

  const big = crypto.randomBytes(512 * 1024).toString('hex'); // 1 MiB of text
  ws.send(JSON.stringify({ id: 4, jsonrpc: '2.0', method: 'echo', params: [big] }));
  do { m = await next(); } while (m.id !== 4);
  assert.equal(m.result[0], big);
  ok('wss: 1 MiB message both ways');
  ws.close();

  // plain TCP to the TLS port: no JSON answer, the connection is dropped
  const plain = await new Promise((resolve, reject) => {
    const c = net.connect({ host: '127.0.0.1', port }, () => {
      const body = JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'echo', params: ['plain'] });
      c.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    const got = [];
    c.on('data', (d) => got.push(d));
    c.on('close', () => resolve(Buffer.concat(got)));
    c.on('error', reject);
    setTimeout(() => { c.destroy(); reject(new Error('plain connection not closed')); }, 5000);
  });
  assert.ok(!plain.toString('latin1').includes('jsonrpc'));
  assert.ok(!plain.toString('latin1').includes('HTTP/1.1'));
  assert.ok(plain.length === 0 || plain[0] === 0x15, 'at most a TLS alert'); // 0x15 = alert record
  ok('plain TCP: no JSON answer, at most an alert, closed');

  // openssl s_client, TLS 1.3 and 1.2 (ed25519 signatures in both)
  const body = JSON.stringify({ id: 9, jsonrpc: '2.0', method: 'echo', params: ['s_client'] });
  const req = `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
  for (const v of ['-tls1_3', '-tls1_2']) {
    const o = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-ign_eof', v],
      { input: req, timeout: 10000 });
    const out = String(o.stdout);
    assert.match(out, /\{"jsonrpc":"2.0","result":\["s_client"\],"id":9\}/);
    assert.match(out, new RegExp(`New, TLSv1\\.${v === '-tls1_3' ? 3 : 2}, Cipher`));
    assert.match(out, /Peer signature type: ed25519/i);
  }
  ok('openssl s_client: TLSv1.3 and TLSv1.2');
} catch (e) {
  console.error('FAILED:', e, srvErr);
  srv.kill('SIGTERM');
  process.exit(1);
}
srv.kill('SIGTERM');
const exitCode = await new Promise((res) => srv.once('exit', (c) => res(c)));
assert.equal(exitCode, 0);
assert.match(srvErr, /dropping a client: TLS protocol failure \(.*http request/);
console.log(`${passed + 1} passed, 0 failed`);
