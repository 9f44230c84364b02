// rpc_echo.mjs - real clients against rpc_echo_server: node's fetch (HTTP POST, batch,
// /health, CORS, errors, a deferred answer) and node's WebSocket (calls, a subscription with
// timer notifications, unsubscribe, an oversized message closing with 1009).
// Usage: node --experimental-websocket rpc_echo.mjs <path-to-rpc_echo_server>
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';

const bin = process.argv[2];
const srv = spawn(bin, [], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  srv.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  srv.once('exit', (c) => reject(new Error(`server exited ${c}`)));
});
const url = `http://127.0.0.1:${port}/`;
let passed = 0;
const ok = (name) => { passed++; console.log(`ok ${name}`); };

const post = (body, headers = { 'content-type': 'application/json' }) =>
  fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

try {
  let r = await post({ id: 1, jsonrpc: '2.0', method: 'echo', params: [1, 'a'] });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { jsonrpc: '2.0', result: [1, 'a'], id: 1 });
  ok('http echo');

  r = await post([{ id: 1, jsonrpc: '2.0', method: 'echo' }, { id: 2, jsonrpc: '2.0', method: 'nope' },
    { jsonrpc: '2.0', method: 'echo' }]);
  const batch = await r.json();
  assert.equal(batch.length, 2);
  assert.equal(batch[1].error.code, -32601);
  ok('http batch');

  r = await post('{"id":1,');
  assert.deepEqual(await r.json(), { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
  ok('http parse error');

  r = await post('{}', { 'content-type': 'text/plain' });
  assert.equal(r.status, 415);
  ok('http 415');

  r = await fetch(`${url}health`);
  assert.deepEqual(await r.json(), { peers: 0, isSyncing: false, shouldHavePeers: false });
  ok('http /health');

  r = await post({ id: 5, jsonrpc: '2.0', method: 'echo' },
    { 'content-type': 'application/json', origin: 'http://example.org' });
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  ok('http cors');

  r = await post({ id: 6, jsonrpc: '2.0', method: 'later' });
  assert.equal((await r.json()).result, 'later');
  ok('http deferred');

  const many = await Promise.all(Array.from({ length: 50 }, (_, i) =>
    post({ id: i, jsonrpc: '2.0', method: 'echo', params: [i] }).then((x) => x.json())));
  many.forEach((m, i) => assert.deepEqual(m.result, [i]));
  ok('http 50 parallel');

  // WebSocket
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const inbox = [];
  let waiter = null;
  ws.onmessage = (e) => { inbox.push(JSON.parse(e.data)); if (waiter) { const w = waiter; waiter = null; w(); } };
  await new Promise((res, rej) => { ws.onopen = res; ws.onerror = rej; });
  const next = async () => { while (inbox.length === 0) await new Promise((res) => { waiter = res; }); return inbox.shift(); };
  ws.send(JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'echo', params: ['x'] }));
  assert.deepEqual(await next(), { jsonrpc: '2.0', result: ['x'], id: 1 });
  ok('ws echo');

  ws.send(JSON.stringify({ id: 2, jsonrpc: '2.0', method: 'chain_subscribeNewHeads', params: [] }));
  const subResp = await next();
  assert.equal(subResp.id, 2);
  const sub = subResp.result;
  assert.match(sub, /^[A-Za-z0-9]{16}$/);
  let last = -1;
  for (let i = 0; i < 4; i++) {
    const n = await next();
    assert.equal(n.method, 'chain_newHead');
    assert.equal(n.params.subscription, sub);
    assert.ok(n.params.result.number > last);
    last = n.params.result.number;
  }
  ok('ws subscription: id first, then current and new heads');

  ws.send(JSON.stringify({ id: 3, jsonrpc: '2.0', method: 'chain_unsubscribeNewHeads', params: [sub] }));
  let m;
  do { m = await next(); } while (m.id !== 3);
  assert.equal(m.result, true);
  ws.send(JSON.stringify({ id: 4, jsonrpc: '2.0', method: 'later' }));
  do { m = await next(); } while (m.id !== 4);
  assert.equal(m.result, 'later');
  await new Promise((res) => setTimeout(res, 250));
  assert.ok(inbox.every((x) => x.method !== 'chain_newHead' || x.params.subscription !== sub ||
    x.params.result.number <= last + 3));
  ok('ws unsubscribe, deferred');

  const closed = new Promise((res) => { ws.onclose = (e) => res(e.code); });
  ws.send('"' + 'a'.repeat(16 * 1024 * 1024) + '"');
  const code = await closed;
  assert.equal(code, 1009);
  ok('ws oversized message closes with 1009');
} catch (e) {
  console.error('FAILED:', e);
  srv.kill('SIGTERM');
  process.exit(1);
}
srv.kill('SIGTERM');
const exitCode = await new Promise((res) => srv.once('exit', (c) => res(c)));
assert.equal(exitCode, 0);
console.log(`${passed + 1} passed, 0 failed`);
