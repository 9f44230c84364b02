// light_client_node.mjs - the enclave's light client (src/chain/light_client) against a real
// `integritee-node --dev --tmp`: genesis + Grandpa.Authorities read proof, 30 blocks rebuilt
// from chain_getBlock JSON (their hashes must match the node's), GRANDPA justifications kept
// only on every 5th block plus one sent late, bodies and System.Events proofs of every
// finalized block, a state round trip mid-way, and refusals of tampered or misordered data.
// Usage: node light_client_node.mjs <integritee-node> <light_client_driver>
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import assert from 'node:assert/strict';

const [nodeBin, driverBin] = process.argv.slice(2);
const N = 30;
const EVENTS = '26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7';
const GRANDPA_AUTHORITIES = '5f9cc45b7a00c5899361e1c6099678dc5e0621c4869aa60c02be9adcc98a0d1d';

const node = spawn(nodeBin, ['--dev', '--tmp', '--rpc-port', '0', '--block-time-ms', '200'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
const driver = spawn(driverBin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
const cleanup = () => { node.kill('SIGKILL'); driver.kill('SIGKILL'); };

const port = await new Promise((resolve, reject) => {
  let log = '';
  node.stderr.on('data', (d) => {
    log += d;
    const m = /Running JSON-RPC server: addr=[0-9.]+:([0-9]+)/.exec(log);
    if (m) resolve(Number(m[1]));
  });
  node.once('exit', (c) => reject(new Error(`node exited ${c}: ${log}`)));
});
const url = `http://127.0.0.1:${port}/`;
const rpc = async (method, params = []) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params }) });
  const o = await r.json();
  if (o.error) throw new Error(`${method}: ${JSON.stringify(o.error)}`);
  return o.result;
};

const answers = [];
const waiting = [];
readline.createInterface({ input: driver.stdout }).on('line', (l) => {
  if (waiting.length) waiting.shift()(l); else answers.push(l);
});
const ask = (line) => {
  driver.stdin.write(`${line}\n`);
  return answers.length ? Promise.resolve(answers.shift()) : new Promise((r) => waiting.push(r));
};

const strip = (h) => (h.startsWith('0x') ? h.slice(2) : h);
const compact = (n) => {
  if (n < 64) return Buffer.from([n << 2]);
  const b = Buffer.alloc(n < 1 << 14 ? 2 : 4);
  if (n < 1 << 14) b.writeUInt16LE((n << 2) | 1); else b.writeUInt32LE(((n << 2) | 2) >>> 0);
  return b;
};
const headerHex = (h) => {
  const logs = h.digest.logs.map(strip);
  return strip(h.parentHash) + compact(parseInt(h.number, 16)).toString('hex') +
    strip(h.stateRoot) + strip(h.extrinsicsRoot) + compact(logs.length).toString('hex') + logs.join('');
};
const frnk = (blk) => {
  for (const [eng, data] of blk.justifications ?? []) {
    const e = Array.isArray(eng) ? Buffer.from(eng).toString() : Buffer.from(strip(eng), 'hex').toString();
    if (e === 'FRNK') return Array.isArray(data) ? Buffer.from(data).toString('hex') : strip(data);
  }
  return null;
};
const flip = (hex, at) => hex.slice(0, 2 * at) + (parseInt(hex.slice(2 * at, 2 * at + 2), 16) ^ 1)
  .toString(16).padStart(2, '0') + hex.slice(2 * at + 2);

let passed = 0;
const ok = (name) => { passed++; console.log(`ok ${name}`); };
const expectErr = async (line, code, name) => {
  const a = await ask(line);
  assert.match(a, new RegExp(`^err ${code} `), `${name}: ${a}`);
  ok(name);
};

try {
  for (let i = 0; i < 200; i++) {
    const f = await rpc('chain_getHeader', [await rpc('chain_getFinalizedHead')]);
    if (parseInt(f.number, 16) >= N + 1) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const genesisHash = await rpc('chain_getBlockHash', [0]);
  assert.equal(await ask(`G ${headerHex(await rpc('chain_getHeader', [genesisHash]))}`), 'ok');
  const proof = await rpc('state_getReadProof', [[`0x${GRANDPA_AUTHORITIES}`], genesisHash]);
  for (const p of proof.proof) assert.equal(await ask(`P ${strip(p)}`), 'ok');
  assert.equal(await ask('I'), 'ok');
  ok('init from genesis and Grandpa.Authorities proof');

  const blocks = [null];
  for (let n = 1; n <= N + 1; n++) {
    const hash = await rpc('chain_getBlockHash', [n]);
    const b = await rpc('chain_getBlock', [hash]);
    const events = await rpc('state_getReadProof', [[`0x${EVENTS}`], hash]);
    blocks.push({ hash: strip(hash), header: headerHex(b.block.header), just: frnk(b),
      exts: b.block.extrinsics.map(strip), events: events.proof.map(strip) });
  }
  assert.ok(blocks.slice(1).every((b) => b.just), 'the dev node justifies every block');

  let unverified = [];
  const checkFinalized = async (done) => {
    for (const m of done) {
      const b = blocks[m];
      assert.equal(await ask(`E ${b.hash} ${b.exts.join(' ')}`), 'ok', `body of #${m}`);
      assert.match(await ask(`S ${b.hash} ${EVENTS} ${b.events.join(' ')}`), /^ok present /);
    }
  };
  for (let n = 1; n <= N; n++) {
    const b = blocks[n];
    if (n === 10) {
      await expectErr(`B ${blocks[11].header} ${blocks[11].just}`, 521, 'skipped block refused');
      await expectErr(`B ${b.header} ${flip(b.just, 8 + 32 + 4 + 1 + 36 + 3)}`, 300,
        'flipped signature byte refused');
      await expectErr(`B ${b.header} ${blocks[9].just}`, 524, 'justification of another block refused');
      await expectErr(`B ${flip(b.header, 40)} ${b.just}`, 524, 'tampered header refused');
      await expectErr(`E ${blocks[9].hash} ${blocks[9].exts.join(' ')}`, 533, 'unjustified body not usable');
    }
    if (n === 20) {
      assert.match(await ask('R'), /^ok [0-9]+$/);
      ok('state encode/decode round trip, continuing on the copy');
    }
    const keep = n % 5 === 0;
    const a = await ask(`B ${b.header} ${keep ? b.just : '-'}`);
    unverified.push(n);
    assert.equal(a, `ok ${keep ? unverified.length : 0} ${b.hash}`, `import #${n}`);
    if (n === 23) {
      assert.equal(await ask(`J ${blocks[22].just}`), 'ok 2', 'late justification of #22');
      await checkFinalized([21, 22]);
      unverified = [23];
    }
    if (keep) {
      await checkFinalized(unverified);
      unverified = [];
    }
  }
  ok(`${N} headers imported with their node hashes; bodies and events of all verified`);

  const last = blocks[N];
  await expectErr(`B ${last.header} ${last.just}`, 522, 'duplicate import refused');
  await expectErr(`E ${last.hash} ${flip(last.exts[0], 3)}`, 534, 'tampered extrinsic refused');
  await expectErr(`S ${last.hash} ${EVENTS} ${blocks[N - 1].events.join(' ')}`, 201,
    'events proof of another block refused');
  console.log(`${passed} passed`);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  cleanup();
}
