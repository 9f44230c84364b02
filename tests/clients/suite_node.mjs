// suite_node.mjs - real-client test of integritee-node: starts the node on an ephemeral port,
// drives it with @polkadot/api (WsProvider) as wallets do, and prints "N passed, N failed".
// Usage: node suite_node.mjs [path/to/integritee-node]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, ed25519Verify, sr25519Verify, blake2AsU8a } from '@polkadot/util-crypto';
import { u8aToHex, hexToU8a, stringToU8a, u8aConcat, u8aEq } from '@polkadot/util';
import { trieRootV0 } from './trie_root.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.argv[2] || path.join(here, '../../build/bin/integritee-node');
const TEER = 10n ** 12n;

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
    const extra = process.env.NODE_LOG ? ['--log-level', 'debug'] : [];
    const child = spawn(bin, ['--dev', '--tmp', '--rpc-port', '0', '--block-time-ms', '3000', ...extra], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let buf = '';
    const timer = setTimeout(() => reject(new Error('node did not report its RPC port')), 10000);
    child.stderr.on('data', (d) => {
      buf += d.toString();
      if (process.env.NODE_LOG) process.stderr.write(d);
      const m = buf.match(/Running JSON-RPC server: addr=([0-9.]+):(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[2]) });
      }
    });
    child.on('exit', (code) => reject(new Error(`node exited with ${code}: ${buf}`)));
  });
}

// signAndSend resolving on finalized with {inBlock, finalized, events, dispatchError}.
function send(api, tx, signer, opts = {}) {
  return new Promise((resolve, reject) => {
    const seen = { statuses: [] };
    tx.signAndSend(signer, opts, (r) => {
      seen.statuses.push(r.status.type);
      if (r.status.isInBlock) seen.inBlock = r.status.asInBlock.toHex();
      if (r.status.isFinalized) {
        seen.finalized = r.status.asFinalized.toHex();
        seen.events = r.events;
        seen.dispatchError = r.dispatchError;
        resolve(seen);
      }
      if (r.isError) reject(new Error('status ' + r.status.type));
    }).catch(reject);
  });
}

// Submits an already signed extrinsic and resolves on finalized like send().
function sendSigned(signed) {
  return new Promise((resolve, reject) => {
    const seen = { statuses: [] };
    signed.send((r) => {
      seen.statuses.push(r.status.type);
      if (r.status.isInBlock) seen.inBlock = r.status.asInBlock.toHex();
      if (r.status.isFinalized) {
        seen.finalized = r.status.asFinalized.toHex();
        seen.events = r.events;
        seen.dispatchError = r.dispatchError;
        resolve(seen);
      }
      if (r.isError) reject(new Error('status ' + r.status.type));
    }).catch(reject);
  });
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

const evName = (e) => `${e.event.section}.${e.event.method}`;

// Issue #4: fee details, event topics, batch_all rollback, announcements, block weight,
// storage versions, priority ordering and era expiry in the pool.
async function runtimeAndPoolChecks(api, provider, keyring, { alice, bob, charlie }) {
  const dave = keyring.addFromUri('//Dave');
  const eve = keyring.addFromUri('//Eve');
  const ferdie = keyring.addFromUri('//Ferdie');

  // payment_queryFeeDetails and the runtime API equal the fee actually paid
  {
    const signed = await api.tx.balances.transferKeepAlive(dave.address, TEER).signAsync(alice);
    const fd = await api.rpc.payment.queryFeeDetails(signed.toHex());
    const inc = fd.inclusionFee.isSome ? fd.inclusionFee.unwrap() : null;
    const sum = inc ? inc.baseFee.toBigInt() + inc.lenFee.toBigInt() + inc.adjustedWeightFee.toBigInt() : -1n;
    const viaApi = await api.call.transactionPaymentApi.queryFeeDetails(signed.toU8a(), signed.encodedLength);
    const inc2 = viaApi.inclusionFee.unwrap();
    check('queryFeeDetails: RPC equals runtime API', inc2.baseFee.toBigInt() + inc2.lenFee.toBigInt() + inc2.adjustedWeightFee.toBigInt() === sum);
    check('queryFeeDetails: base fee is ExtrinsicBaseWeight', inc && inc.baseFee.toBigInt() === 125000000n, inc && inc.baseFee.toString());
    const rr = await sendSigned(signed);
    const paid = rr.events.find((e) => evName(e) === 'transactionPayment.TransactionFeePaid');
    check('queryFeeDetails equals the fee paid', paid && paid.event.data[1].toBigInt() === sum, `${paid && paid.event.data[1]} vs ${sum}`);
    // BlockWeight of that block: present, Normal and Mandatory non-zero
    const bw = await (await api.at(rr.finalized)).query.system.blockWeight();
    check('System.BlockWeight normal > 0', bw.normal.refTime.toBigInt() > 0n, bw.toString());
    check('System.BlockWeight mandatory >= base block', bw.mandatory.refTime.toBigInt() >= 5000000000n, bw.toString());
    const len = await (await api.at(rr.finalized)).query.system.allExtrinsicsLen();
    check('AllExtrinsicsLen transient (absent after the block)', len.isNone, len.toString());
  }

  // pallet storage versions written at genesis
  {
    const at0 = await api.at(api.genesisHash);
    const v = async (sec) => (await at0.query[sec].palletVersion()).toNumber();
    check('storage versions (Balances 1, Grandpa 5, Teerex 2, System 0)',
      (await v('balances')) === 1 && (await v('grandpa')) === 5 && (await v('teerex')) === 2 && (await v('system')) === 0);
  }

  // EnclaveBridge.publish_hash: topics = extra_topics ++ [fingerprint], System.EventTopics
  if (api.tx.enclaveBridge && api.tx.enclaveBridge.publishHash) {
    const fp = '0x' + '11'.repeat(32); // Bob's enclave (registered above)
    const topic = '0x' + 'ab'.repeat(32);
    const rh = await send(api, api.tx.enclaveBridge.publishHash('0x' + 'cd'.repeat(32), [topic], '0x68656c6c6f'), bob);
    const rec = rh.events.find((e) => evName(e) === 'enclaveBridge.PublishedHash');
    const topics = rec ? rec.topics.map((t) => t.toHex()) : [];
    check('PublishedHash topics in EventRecord', topics.length === 2 && topics[0] === topic && topics[1] === fp, topics.join(','));
    const at = await api.at(rh.finalized);
    const num = (await at.query.system.number()).toNumber();
    const et = await at.query.system.eventTopics(topic);
    const idx = (await at.query.system.events()).findIndex((e) => evName(e) === 'enclaveBridge.PublishedHash');
    check('System.EventTopics(topic) = [(block, index)]', et.length === 1 && et[0][0].toNumber() === num && et[0][1].toNumber() === idx, et.toString());
  } else {
    check('enclaveBridge.publishHash present', false);
  }

  // Utility.batch_all that fails rolls back everything
  {
    const before = (await api.query.system.account(dave.address)).data.free.toBigInt();
    const rb = await send(api, api.tx.utility.batchAll([
      api.tx.balances.transferKeepAlive(dave.address, TEER),
      api.tx.balances.transferKeepAlive(dave.address, 10n ** 30n),
    ]), alice);
    const after = (await (await api.at(rb.finalized)).query.system.account(dave.address)).data.free.toBigInt();
    check('batch_all failure: ExtrinsicFailed', rb.events.map(evName).includes('system.ExtrinsicFailed'), rb.events.map(evName).join(','));
    check('batch_all failure rolled back the first transfer', after === before, `${before} -> ${after}`);
    const rb2 = await send(api, api.tx.utility.forceBatch([
      api.tx.balances.transferKeepAlive(dave.address, TEER),
      api.tx.balances.transferKeepAlive(dave.address, 10n ** 30n),
    ]), alice);
    const n2 = rb2.events.map(evName);
    check('force_batch: ItemCompleted, ItemFailed, BatchCompletedWithErrors',
      n2.includes('utility.ItemCompleted') && n2.includes('utility.ItemFailed') && n2.includes('utility.BatchCompletedWithErrors'), n2.join(','));
  }

  // Utility.dispatch_as under sudo: a remark made as Bob
  {
    const rd = await send(api, api.tx.sudo.sudo(api.tx.utility.dispatchAs({ system: { Signed: bob.address } }, api.tx.system.remarkWithEvent('0x99'))), alice);
    const dn = rd.events.map(evName);
    const da = rd.events.find((e) => evName(e) === 'utility.DispatchedAs');
    const rem = rd.events.find((e) => evName(e) === 'system.Remarked');
    check('dispatch_as: DispatchedAs Ok and remark as Bob', da && da.event.data[0].isOk && rem && rem.event.data[0].toString() === bob.address, dn.join(','));
  }

  // Proxy announcements: Charlie (delay 1) announces, anyone executes it a block later
  {
    await send(api, api.tx.proxy.addProxy(charlie.address, 'Any', 1), alice);
    const call = api.tx.system.remarkWithEvent('0xabcd');
    const callHash = u8aToHex(blake2AsU8a(call.method.toU8a(), 256));
    const direct = await send(api, api.tx.proxy.proxy(alice.address, null, call), charlie);
    let derr = '';
    if (direct.dispatchError && direct.dispatchError.isModule) derr = api.registry.findMetaError(direct.dispatchError.asModule).name;
    check('delayed proxy without announcement: Unannounced', derr === 'Unannounced', derr);
    const ra = await send(api, api.tx.proxy.announce(alice.address, callHash), charlie);
    check('Proxy.Announced', ra.events.map(evName).includes('proxy.Announced'), ra.events.map(evName).join(','));
    const anns = await (await api.at(ra.finalized)).query.proxy.announcements(charlie.address);
    check('announcement stored with deposit', anns[0].length === 1 && anns[0][0].callHash.toHex() === callHash && anns[1].toBigInt() === 20074000000000n, anns.toString());
    const rx = await send(api, api.tx.proxy.proxyAnnounced(charlie.address, alice.address, null, call), bob);
    const xn = rx.events.map(evName);
    check('proxy_announced: ProxyExecuted', xn.includes('proxy.ProxyExecuted'), xn.join(','));
    const remd = rx.events.find((e) => evName(e) === 'system.Remarked');
    check('proxy_announced remark made as Alice', remd && remd.event.data[0].toString() === alice.address);
    const anns2 = await (await api.at(rx.finalized)).query.proxy.announcements(charlie.address);
    check('announcement consumed', anns2[0].length === 0, anns2.toString());
  }

  // priority: a higher-tip transaction submitted later is included first in the same block
  {
    await new Promise((res) => {
      let unsub;
      api.rpc.chain.subscribeNewHeads(() => { if (unsub) { unsub(); res(); } }).then((u) => { unsub = u; });
    });
    const low = await api.tx.system.remark('0x01').signAsync(eve, { tip: 0 });
    const high = await api.tx.system.remark('0x02').signAsync(ferdie, { tip: TEER });
    const p1 = sendSigned(low);
    const p2 = sendSigned(high);
    const [r1, r2] = await Promise.all([p1, p2]);
    check('both in the same block', r1.inBlock === r2.inBlock, `${r1.inBlock} ${r2.inBlock}`);
    const blk = await api.rpc.chain.getBlock(r1.inBlock);
    const hexes = blk.block.extrinsics.map((x) => x.toHex());
    const il = hexes.indexOf(low.toHex());
    const ih = hexes.indexOf(high.toHex());
    check('higher priority (tip) first in the block', ih >= 0 && il >= 0 && ih < il, `high ${ih}, low ${il}`);
  }

  // a mortal transaction whose era ends while it waits is dropped as invalid
  {
    const next = (await api.rpc.system.accountNextIndex(dave.address)).toNumber();
    const mortal = await api.tx.system.remark('0x05').signAsync(dave, { nonce: next + 1, era: 4 });
    const statuses = [];
    const unsub = await api.rpc.author.submitAndWatchExtrinsic(mortal, (st) => statuses.push(st.type));
    for (let i = 0; i < 40 && !statuses.includes('Invalid'); i++) await sleep(500);
    check('short-era transaction expires (future -> invalid)', statuses[0] === 'Future' && statuses.includes('Invalid'), statuses.join(','));
    const pending = await provider.send('author_pendingExtrinsics', []);
    check('expired transaction left the pool', !pending.includes(mortal.toHex()));
    try {
      await provider.send('author_submitExtrinsic', [mortal.toHex()]);
      check('expired transaction not accepted again', false);
    } catch (e) {
      check('expired transaction not accepted again', /1012|1010/.test(String(e.message)), e.message);
    }
    if (typeof unsub === 'function') unsub();
  }
}

async function main() {
  await cryptoWaitReady();
  const { child, port } = await startNode();
  let api;
  let provider;
  try {
    provider = new WsProvider(`ws://127.0.0.1:${port}`);
    api = await ApiPromise.create({ provider, noInitWarn: true });
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 13 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const nobody = keyring.addFromUri('//NobodyHere');
    const charlie = keyring.addFromUri('//Charlie');

    // properties and chain
    const props = await api.rpc.system.properties();
    check('ss58Format 13', props.ss58Format.unwrap().toNumber() === 13);
    check('tokenDecimals 12', props.tokenDecimals.unwrap()[0].toNumber() === 12);
    check('tokenSymbol TEER', props.tokenSymbol.unwrap()[0].toString() === 'TEER');
    check('system_chain', (await api.rpc.system.chain()).toString() === 'Development');
    check('runtime specVersion', api.runtimeVersion.specVersion.toNumber() === 410);

    // accounts
    const a0 = await api.query.system.account(alice.address);
    check('Alice endowed 1000 TEER', a0.data.free.toBigInt() === 1000n * TEER, a0.data.free.toString());

    // consecutive heads from the new-heads subscription
    const heads = [];
    const unsubHeads = await api.rpc.chain.subscribeNewHeads((h) => heads.push(h.number.toNumber()));
    const fin = [];
    const unsubFin = await api.rpc.chain.subscribeFinalizedHeads((h) => fin.push(h.number.toNumber()));

    // transferKeepAlive Alice -> Bob
    const treasury = u8aToHex(u8aConcat(stringToU8a('modlpy/trsry'), new Uint8Array(20)));
    const tr0 = (await api.query.system.account(treasury)).data.free.toBigInt();
    const iss0 = (await api.query.balances.totalIssuance()).toBigInt();
    const bob0 = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const amount = 12n * TEER;
    const r = await send(api, api.tx.balances.transferKeepAlive(bob.address, amount), alice);
    check('status inBlock seen', r.statuses.includes('InBlock'), r.statuses.join(','));
    check('status finalized seen', r.finalized !== undefined);
    const names = r.events.map(evName);
    check('Balances.Transfer event', names.includes('balances.Transfer'), names.join(','));
    check('TransactionFeePaid event', names.includes('transactionPayment.TransactionFeePaid'), names.join(','));
    check('ExtrinsicSuccess event', names.includes('system.ExtrinsicSuccess'), names.join(','));
    const tev = r.events.find((e) => evName(e) === 'balances.Transfer');
    check('Transfer amount', tev && tev.event.data[2].toBigInt() === amount);
    const feeEv = r.events.find((e) => evName(e) === 'transactionPayment.TransactionFeePaid');
    const fee = feeEv ? feeEv.event.data[1].toBigInt() : 0n;
    check('fee > 0', fee > 0n);
    const atFin = await api.at(r.finalized);
    const bob1 = (await atFin.query.system.account(bob.address)).data.free.toBigInt();
    check('Bob received', bob1 - bob0 === amount, `${bob1 - bob0}`);
    const tr1 = (await atFin.query.system.account(treasury)).data.free.toBigInt();
    const iss1 = (await atFin.query.balances.totalIssuance()).toBigInt();
    check('treasury +1% of fee', tr1 - tr0 === fee / 100n, `${tr1 - tr0} vs ${fee / 100n}`);
    check('issuance -99% of fee', iss0 - iss1 === fee - fee / 100n, `${iss0 - iss1} vs ${fee - fee / 100n}`);

    // paymentInfo through the runtime API
    const info = await api.tx.balances.transferKeepAlive(bob.address, 1n).paymentInfo(alice);
    check('paymentInfo partialFee > 0', info.partialFee.toBigInt() > 0n);

    // sudo call: force_set_balance on a fresh account
    const rs = await send(api, api.tx.sudo.sudo(api.tx.balances.forceSetBalance(nobody.address, 5n * TEER)), alice);
    const snames = rs.events.map(evName);
    check('Sudo.Sudid event', snames.includes('sudo.Sudid'), snames.join(','));
    const nb = await (await api.at(rs.finalized)).query.system.account(nobody.address);
    check('sudo force_set_balance applied', nb.data.free.toBigInt() === 5n * TEER, nb.data.free.toString());

    // failing call: transfer more than the balance -> ExtrinsicFailed with a decoded module error
    const rf = await send(api, api.tx.balances.transferAllowDeath(alice.address, 10n * TEER), nobody);
    const fnames = rf.events.map(evName);
    check('ExtrinsicFailed event', fnames.includes('system.ExtrinsicFailed'), fnames.join(','));
    let decoded = '';
    if (rf.dispatchError) {
      if (rf.dispatchError.isModule) {
        const m = api.registry.findMetaError(rf.dispatchError.asModule);
        decoded = `${m.section}.${m.name}`;
      } else {
        decoded = rf.dispatchError.toString();
      }
    }
    check('failure decoded', decoded.length > 0, decoded);
    console.log(`failing transfer error: ${decoded}`);

    // a module error: a non-sudo account calling sudo -> Sudo.RequireSudo
    const rm = await send(api, api.tx.sudo.sudo(api.tx.system.remark('0x00')), bob);
    let merr = '';
    if (rm.dispatchError && rm.dispatchError.isModule) {
      const m = api.registry.findMetaError(rm.dispatchError.asModule);
      merr = `${m.section}.${m.name}`;
    }
    check('module error decoded (sudo.RequireSudo)', merr === 'sudo.RequireSudo', merr);

    // proxy: Alice adds Bob as Any proxy, Bob remarks on Alice's behalf
    const rp = await send(api, api.tx.proxy.addProxy(bob.address, 'Any', 0), alice);
    check('Proxy.ProxyAdded', rp.events.map(evName).includes('proxy.ProxyAdded'), rp.events.map(evName).join(','));
    const rpp = await send(api, api.tx.proxy.proxy(alice.address, null, api.tx.system.remarkWithEvent('0x1234')), bob);
    const pn = rpp.events.map(evName);
    check('Proxy.ProxyExecuted', pn.includes('proxy.ProxyExecuted'), pn.join(','));
    const rem = rpp.events.find((e) => evName(e) === 'system.Remarked');
    check('remark made as Alice', rem && rem.event.data[0].toString() === alice.address, rem && rem.event.data[0].toString());

    // teerex: register an enclave with skip-RA (dev genesis allows it) and read it back
    if (api.tx.teerex && api.tx.teerex.registerSgxEnclave) {
      const mrenclave = '0x' + '11'.repeat(32);
      const rt = await send(api, api.tx.teerex.registerSgxEnclave(mrenclave, '0x' + Buffer.from('wss://localhost:2000').toString('hex'), { Skip: { proxied: false } }), bob);
      const tn = rt.events.map(evName);
      check('Teerex.AddedSgxEnclave', tn.includes('teerex.AddedSgxEnclave'), tn.join(',') + ' ' + (rt.dispatchError ? rt.dispatchError.toString() : ''));
      const enc = await (await api.at(rt.finalized)).query.teerex.sovereignEnclaves(bob.address);
      check('enclave stored for Bob', enc.isSome, enc.toString());
    } else {
      check('teerex pallet present', false);
    }

    // issue #4 runtime and pool checks
    await runtimeAndPoolChecks(api, provider, keyring, { alice, bob, charlie });

    // invalid submissions are refused with Substrate's codes
    for (const [what, hex] of [['random bytes', '0x1234567890'], ['empty', '0x'], ['bad signature', null]]) {
      let bytes = hex;
      if (bytes === null) {
        const good = await api.tx.balances.transferKeepAlive(bob.address, 1n).signAsync(alice);
        const u8 = good.toU8a();
        u8[10] ^= 0xff; // inside the signature
        bytes = u8aToHex(u8);
      }
      try {
        await provider.send('author_submitExtrinsic', [bytes]);
        check(`${what} refused`, false);
      } catch (e) {
        check(`${what} refused`, /1001|1010|Invalid/i.test(String(e.message)), e.message);
      }
    }
    // future nonce -> kept as "future"; same nonce and tip -> 1014; higher tip replaces it
    {
      const next = (await api.rpc.system.accountNextIndex(bob.address)).toNumber();
      const fut = await api.tx.system.remark('0x01').signAsync(bob, { nonce: next + 5 });
      const statuses = [];
      const unsub = await api.rpc.author.submitAndWatchExtrinsic(fut, (st) => statuses.push(st.type));
      await new Promise((res) => setTimeout(res, 300));
      check('future nonce reported future', statuses[0] === 'Future', statuses.join(','));
      const same = await api.tx.system.remark('0x02').signAsync(bob, { nonce: next + 5 });
      try {
        await provider.send('author_submitExtrinsic', [same.toHex()]);
        check('same-priority replacement refused (1014)', false);
      } catch (e) {
        check('same-priority replacement refused (1014)', /1014|Priority is too low/.test(String(e.message)), e.message);
      }
      const higher = await api.tx.system.remark('0x03').signAsync(bob, { nonce: next + 5, tip: 1000n });
      await provider.send('author_submitExtrinsic', [higher.toHex()]);
      await new Promise((res) => setTimeout(res, 300));
      check('higher tip usurps', statuses.includes('Usurped'), statuses.join(','));
      const pending = await provider.send('author_pendingExtrinsics', []);
      check('replacement pending', pending.includes(higher.toHex()), pending.length);
      if (typeof unsub === 'function') unsub();
      // a flood of future nonces is accepted up to the limits and the node keeps going
      const flood = [];
      for (let i = 0; i < 100; i++) flood.push((await api.tx.system.remark('0x04').signAsync(charlie, { nonce: 1000 + i })).toHex());
      const res = await Promise.allSettled(flood.map((x) => provider.send('author_submitExtrinsic', [x])));
      check('future flood accepted', res.every((x) => x.status === 'fulfilled'), res.filter((x) => x.status !== 'fulfilled').length);
      const h0 = (await api.rpc.chain.getHeader()).number.toNumber();
      await new Promise((res) => setTimeout(res, 3500));
      const h1 = (await api.rpc.chain.getHeader()).number.toNumber();
      check('blocks continue after flood', h1 > h0, `${h0} -> ${h1}`);
    }

    // replayed nonce: the first transfer's nonce is used again
    try {
      const stale = await api.tx.balances.transferKeepAlive(bob.address, 1n).signAsync(alice, { nonce: 0 });
      await provider.send('author_submitExtrinsic', [stale.toHex()]);
      check('stale nonce refused', false);
    } catch (e) {
      check('stale nonce refused', /outdated/i.test(String(e.message)), e.message);
    }

    // subscriptions delivered consecutive heads
    unsubHeads();
    unsubFin();
    const consecutive = (xs) => xs.length >= 2 && xs.every((x, i) => i === 0 || x === xs[i - 1] + 1);
    check('new heads consecutive', consecutive(heads), heads.join(','));
    check('finalized heads consecutive', consecutive(fin), fin.join(','));

    // the transfer block: AURA seal by //Alice and a GRANDPA justification signed by //Alice
    {
      const sb = await provider.send('chain_getBlock', [r.finalized]);
      const hdr = api.registry.createType('Header', sb.block.header);
      check('block hash matches header', hdr.hash.toHex() === r.finalized);
      const logs = hdr.digest.logs;
      const seal = logs[logs.length - 1];
      check('last digest item is the AURA seal', seal.isSeal && seal.asSeal[0].toString() === 'aura');
      const unsealed = api.registry.createType('Header', { ...hdr.toJSON(), digest: { logs: logs.slice(0, -1).map((l) => l.toHex()) } });
      const aliceEd = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
      check('AURA seal verifies (sr25519 //Alice)', sr25519Verify(blake2AsU8a(unsealed.toU8a(), 256), seal.asSeal[1], alice.publicKey));
      const just = sb.justifications && sb.justifications[0];
      check('GRANDPA justification present', just && String.fromCharCode(...just[0]) === 'FRNK');
      if (just) {
        const j = Uint8Array.from(just[1]);
        const round = j.slice(0, 8);
        const target = j.slice(8, 40);
        const num = j.slice(40, 44);
        // one precommit: compact(1)=0x04, then target_hash, number, sig(64), id(32)
        const sig = j.slice(45 + 36, 45 + 36 + 64);
        const id = j.slice(45 + 36 + 64, 45 + 36 + 96);
        const msg = u8aConcat(new Uint8Array([1]), target, num, round, new Uint8Array(8));
        check('justification targets the block', u8aToHex(target) === r.finalized);
        check('precommit by ed25519 //Alice', u8aEq(id, aliceEd.publicKey));
        check('precommit signature verifies', ed25519Verify(msg, sig, id));
      }
    }

    // state roots: recompute from all storage read through RPC with the reference trie
    for (const [what, hash] of [['genesis', api.genesisHash.toHex()], ['transfer block', r.finalized], ['best', (await api.rpc.chain.getFinalizedHead()).toHex()]]) {
      const keys = [];
      let start = null;
      for (;;) {
        const page = await provider.send('state_getKeysPaged', ['0x', 1000, start, hash]);
        keys.push(...page);
        if (page.length < 1000) break;
        start = page[page.length - 1];
      }
      const pairs = [];
      for (let i = 0; i < keys.length; i += 200) {
        const [res] = await provider.send('state_queryStorageAt', [keys.slice(i, i + 200), hash]);
        for (const [k, v] of res.changes) pairs.push([k, v]);
      }
      const hdr = await provider.send('chain_getHeader', [hash]);
      const root = trieRootV0(pairs);
      check(`state root of ${what} (${keys.length} keys)`, root === hdr.stateRoot, `${root} vs ${hdr.stateRoot}`);
    }

    // every storage item in the metadata can be queried and decodes
    let items = 0;
    let bad = 0;
    for (const section of Object.keys(api.query)) {
      for (const method of Object.keys(api.query[section])) {
        const q = api.query[section][method];
        items++;
        try {
          if (q.creator.meta.type.isPlain) {
            await q();
          } else {
            const entries = await q.entriesPaged({ args: [], pageSize: 20 });
            for (const [k, v] of entries) {
              k.args.map((a) => a.toHuman());
              v.toHuman();
            }
          }
        } catch (e) {
          bad++;
          console.log(`storage ${section}.${method}: ${e.message}`);
        }
      }
    }
    check(`all ${items} storage items decode`, bad === 0 && items > 10, `${bad} failed`);
  } catch (e) {
    failed++;
    console.log('FAIL exception: ' + (e && e.stack ? e.stack : e));
  } finally {
    if (api) await api.disconnect();
    child.kill('SIGTERM');
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
