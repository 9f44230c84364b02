// suite_node_ops.mjs - the node's key and GRANDPA RPCs seen by @polkadot/api: author_rotateKeys,
// author_hasSessionKeys / hasKey / insertKey, grandpa_roundState (ReportedRoundStates),
// grandpa_proveFinality and grandpa_subscribeJustifications, decoded with @polkadot/types
// (GrandpaJustification) and every precommit signature verified with @polkadot/util-crypto.
// Prints "N passed, N failed". Usage: node suite_node_ops.mjs [path/to/integritee-node]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { cryptoWaitReady, ed25519Verify, randomAsHex } from '@polkadot/util-crypto';
import { u8aToHex, u8aConcat, bnToU8a } from '@polkadot/util';
import { Keyring } from '@polkadot/keyring';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.argv[2] || path.join(here, '../../build/bin/integritee-node');

let passed = 0;
let failed = 0;
function check(name, cond, detail) {
  if (cond) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL ${name}${detail !== undefined ? ': ' + detail : ''}`);
  }
}

function startNode() {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bin,
      ['--dev', '--tmp', '--rpc-port', '0', '--no-prometheus', '--block-time-ms', '1000'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let buf = '';
    const timer = setTimeout(() => reject(new Error('node did not report its RPC port')), 10000);
    child.stderr.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/Running JSON-RPC server: addr=([0-9.]+):(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[2]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`node exited with ${code}: ${buf}`)));
  });
}

// Verifies a GrandpaJustification for block (hash, number) signed by the ed25519 key `who`.
function verifyJustification(api, bytes, hash, number, who) {
  const j = api.createType('GrandpaJustification', bytes);
  if (j.commit.targetHash.toHex() !== hash) return 'target hash';
  if (j.commit.targetNumber.toNumber() !== number) return 'target number';
  if (j.commit.precommits.length < 1) return 'no precommits';
  for (const sp of j.commit.precommits) {
    const msg = u8aConcat(
      new Uint8Array([1]),
      sp.precommit.targetHash.toU8a(),
      bnToU8a(sp.precommit.targetNumber.toNumber(), { bitLength: 32 }),
      bnToU8a(j.round.toBigInt(), { bitLength: 64 }),
      new Uint8Array(8), // set id 0
    );
    if (u8aToHex(sp.id) !== u8aToHex(who)) return 'foreign voter';
    if (!ed25519Verify(msg, sp.signature, sp.id)) return 'bad signature';
  }
  return null;
}

async function main() {
  await cryptoWaitReady();
  const alice = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
  const { child, port } = await startNode();
  const api = await ApiPromise.create({ provider: new WsProvider(`ws://127.0.0.1:${port}`), noInitWarn: true });
  try {
    const methods = (await api.rpc.rpc.methods()).methods.map((m) => m.toString());
    for (const m of ['author_rotateKeys', 'author_hasSessionKeys', 'author_hasKey', 'author_insertKey',
      'grandpa_roundState', 'grandpa_proveFinality', 'grandpa_subscribeJustifications']) {
      check(`rpc_methods lists ${m}`, methods.includes(m));
    }

    // keys
    const keys = await api.rpc.author.rotateKeys();
    check('rotateKeys: 64 bytes', keys.length === 64, keys.length);
    check('hasSessionKeys(rotated)', (await api.rpc.author.hasSessionKeys(keys)).isTrue);
    check('hasSessionKeys(random)', (await api.rpc.author.hasSessionKeys(randomAsHex(64))).isFalse);
    const keys2 = await api.rpc.author.rotateKeys();
    check('rotateKeys: fresh keys each time', keys2.toHex() !== keys.toHex());
    check('hasKey(aura)', (await api.rpc.author.hasKey(u8aToHex(keys.subarray(0, 32)), 'aura')).isTrue);
    check('hasKey(gran)', (await api.rpc.author.hasKey(u8aToHex(keys.subarray(32)), 'gran')).isTrue);
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
    check('hasKey before insert', (await api.rpc.author.hasKey(u8aToHex(bob.publicKey), 'aura')).isFalse);
    await api.rpc.author.insertKey('aura', '//Bob', u8aToHex(bob.publicKey));
    check('hasKey after insert', (await api.rpc.author.hasKey(u8aToHex(bob.publicKey), 'aura')).isTrue);
    let refused = false;
    try {
      await api.rpc.author.insertKey('aura', '//Charlie', u8aToHex(bob.publicKey));
    } catch (e) {
      refused = /Invalid params/.test(String(e));
    }
    check('insertKey with a foreign suri refused', refused);

    // grandpa_roundState
    const rs = await api.rpc.grandpa.roundState();
    check('roundState setId 0', rs.setId.toNumber() === 0);
    check('roundState weights', rs.best.totalWeight.toNumber() === 1 && rs.best.thresholdWeight.toNumber() === 1
      && rs.best.precommits.currentWeight.toNumber() === 1, rs.toString());

    // grandpa_subscribeJustifications: two notifications, each verifying for the finalized block
    const got = [];
    const unsub = await api.rpc.grandpa.subscribeJustifications((j) => got.push(j));
    for (let i = 0; i < 80 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    unsub();
    check('subscribeJustifications: notifications', got.length >= 2, got.length);
    for (const j of got.slice(0, 2)) {
      const dec = api.createType('GrandpaJustification', j.toU8a(true));
      const n = dec.commit.targetNumber.toNumber();
      const h = (await api.rpc.chain.getBlockHash(n)).toHex();
      const why = verifyJustification(api, j.toU8a(true), h, n, alice.publicKey);
      check(`justification #${n} verifies`, why === null, why);
    }

    // grandpa_proveFinality: FinalityProof {block, justification, unknown_headers}
    const head = await api.rpc.chain.getHeader();
    const n = head.number.toNumber() - 1;
    const proof = await api.rpc.grandpa.proveFinality(n);
    check('proveFinality: some', proof.isSome);
    if (proof.isSome) {
      const fp = api.createType('(H256, Bytes, Vec<Header>)', proof.unwrap());
      const h = (await api.rpc.chain.getBlockHash(n)).toHex();
      check('proveFinality: block', fp[0].toHex() === h);
      check('proveFinality: no unknown headers', fp[2].length === 0);
      const why = verifyJustification(api, fp[1], h, n, alice.publicKey);
      check('proveFinality: justification verifies', why === null, why);
    }
    const p0 = await api.rpc.grandpa.proveFinality(0);
    if (p0.isSome) {
      const fp = api.createType('(H256, Bytes, Vec<Header>)', p0.unwrap());
      check('proveFinality(0): justified block 1 with its header', fp[2].length === 1
        && fp[2][0].number.toNumber() === 1 && fp[2][0].hash.toHex() === fp[0].toHex());
    } else {
      check('proveFinality(0): some', false);
    }
    check('proveFinality(future): none', (await api.rpc.grandpa.proveFinality(10000000)).isNone);
  } finally {
    await api.disconnect();
    child.kill('SIGTERM');
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.log('FAIL', e);
  process.exit(1);
});
