// Runtime metadata / runtime API conformance: the node runtime's metadata (src/node/runtime/
// rt_metadata.c) and state_call APIs (rt_api.c) against @polkadot/types 16.5.6.
//  - V14 and V15 decode without warnings, re-encode to the same bytes, every lookup type
//    resolves, expandMetadata decorates everything; the signed extensions are the node's list;
//  - every constant and storage default decodes exactly; every call of every pallet built by
//    polkadot-js from default args decodes as Call and our router accepts it (rt_exec_call_info);
//    every event decodes; every error resolves through findMetaError;
//  - System.Account(Alice) key (polkadot-js and ours) equals spec 2.3;
//  - RuntimeVersion (SCALE and JSON) decodes and agrees; the api ids are blake2b-64 of the names;
//  - random transfers / remarks / batches / sudo / proxy calls encoded by polkadot-js are
//    accepted by our router with the expected class;
//  - extrinsics signed by polkadot-js (random nonce, tip, amount, era) validate through
//    TaggedTransactionQueue_validate_transaction (Ok, with the right tags), and
//    TransactionPaymentApi_query_info decodes as RuntimeDispatchInfo.
// Usage: node suite_rt_metadata.mjs <driver>   (RT_CASES=n for the number of random cases)
import { TypeRegistry, Metadata, expandMetadata } from '@polkadot/types';
import { u8aToHex, u8aEq, u8aConcat, stringCamelCase, hexToU8a } from '@polkadot/util';
import { cryptoWaitReady, blake2AsHex } from '@polkadot/util-crypto';
import { Keyring } from '@polkadot/keyring';
import { Driver, makeRng, Report } from './lib.mjs';

const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('rt_metadata');
const CASES = Number(process.env.RT_CASES || 1000);
const CHUNK = 200;

let warnings = [];
console.warn = (...a) => { warnings.push(a.join(' ')); };
const origLog = console.log;
console.log = (...a) => {
  const s = a.join(' ');
  if (/REGISTRY|Unknown signed extension|Unable to|METADATA/.test(s)) warnings.push(s);
  origLog(...a);
};

async function all(items, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...await Promise.all(items.slice(i, i + CHUNK).map(fn)));
  return out;
}

await cryptoWaitReady();
const [v14hex] = await drv.call('rt_metadata', '14');
const [v15hex] = await drv.call('rt_metadata', '15');

function load(hex) {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, hex);
  registry.setMetadata(metadata);
  return { registry, metadata };
}

const ROUTED = []; // [what, bytes hex] for the router check

function checkAll(what, hex, version) {
  warnings = [];
  let registry, metadata;
  try { ({ registry, metadata } = load(hex)); } catch (e) { rep.check(`${what} decodes`, false, () => e.stack); return null; }
  rep.check(`${what} version`, metadata.version === version, metadata.version);
  rep.check(`${what} re-encodes`, metadata.toHex() === hex, '');
  const latest = metadata.asLatest;
  const lookup = registry.lookup;
  let typesOk = true, typeErr = '';
  for (const t of latest.lookup.types) {
    try { lookup.getTypeDef(t.id); } catch (e) { typesOk = false; typeErr = `${t.id}: ${e.message}`; }
  }
  rep.check(`${what} lookup types`, typesOk, typeErr);
  const decorated = expandMetadata(registry, metadata);
  for (const pallet of latest.pallets) {
    const section = pallet.name.toString();
    const sec = section[0].toLowerCase() + section.slice(1);
    for (const c of pallet.constants) {
      let ok = false, det = '';
      try {
        const v = registry.createType(registry.createLookupType(c.type), c.value.toU8a(true));
        ok = u8aEq(v.toU8a(), c.value.toU8a(true)) && v.encodedLength === c.value.length &&
          decorated.consts[sec][stringCamelCase(c.name.toString())] !== undefined;
        det = `${section}.${c.name}`;
      } catch (e) { det = `${section}.${c.name}: ${e.message}`; }
      rep.check(`${what} constant`, ok, det);
    }
    if (pallet.storage.isSome) {
      for (const entry of pallet.storage.unwrap().items) {
        let ok = false, det = '';
        try {
          const valTy = entry.type.isPlain ? entry.type.asPlain : entry.type.asMap.value;
          const name = registry.createLookupType(valTy);
          const fb = entry.fallback.toU8a(true);
          const v = entry.modifier.isOptional ? registry.createType(`Option<${name}>`, fb) : registry.createType(name, fb);
          ok = u8aEq(v.toU8a(), fb) && typeof decorated.query[sec][stringCamelCase(entry.name.toString())] === 'function';
          det = `${section}.${entry.name} ${u8aToHex(fb)}`;
        } catch (e) { det = `${section}.${entry.name}: ${e.message}`; }
        rep.check(`${what} storage default`, ok, det);
      }
    }
    const idx = pallet.index.toNumber();
    if (pallet.calls.isSome) {
      const def = lookup.getSiType(pallet.calls.unwrap().type).def.asVariant;
      for (const v of def.variants) {
        let ok = false, det = '';
        try {
          const args = v.fields.map((f) => registry.createType(registry.createLookupType(f.type)).toU8a());
          const bytes = u8aConcat(new Uint8Array([idx, v.index.toNumber()]), ...args);
          const call = registry.createType('Call', bytes);
          ok = u8aEq(call.toU8a(), bytes) && typeof decorated.tx[sec][call.method] === 'function';
          det = `${section}.${v.name}`;
          if (ok && version === 14) ROUTED.push([`${section}.${v.name}`, u8aToHex(bytes)]);
        } catch (e) { det = `${section}.${v.name}: ${e.message}`; }
        rep.check(`${what} call`, ok, det);
      }
    }
    if (pallet.events.isSome) {
      const def = lookup.getSiType(pallet.events.unwrap().type).def.asVariant;
      for (const v of def.variants) {
        let ok = false, det = '';
        try {
          const args = v.fields.map((f) => registry.createType(registry.createLookupType(f.type)).toU8a());
          const bytes = u8aConcat(new Uint8Array([idx, v.index.toNumber()]), ...args);
          const ev = registry.createType('Event', bytes);
          ok = u8aEq(ev.toU8a(), bytes) && ev.section === sec && ev.method === v.name.toString();
          det = `${section}.${v.name}`;
        } catch (e) { det = `${section}.${v.name}: ${e.message}`; }
        rep.check(`${what} event`, ok, det);
      }
    }
    if (pallet.errors.isSome) {
      const def = lookup.getSiType(pallet.errors.unwrap().type).def.asVariant;
      for (const v of def.variants) {
        let ok = false, det = '';
        try {
          const m = registry.findMetaError({ index: pallet.index, error: registry.createType('[u8;4]', [v.index.toNumber(), 0, 0, 0]) });
          ok = m.section === sec && m.method === v.name.toString();
          det = `${section}.${v.name}: ${m.section}.${m.method}`;
        } catch (e) { det = `${section}.${v.name}: ${e.message}`; }
        rep.check(`${what} error`, ok, det);
      }
    }
  }
  rep.check(`${what} signed extensions`, JSON.stringify(registry.signedExtensions) === JSON.stringify(['CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion', 'CheckGenesis', 'CheckMortality', 'CheckNonce', 'CheckWeight', 'ChargeTransactionPayment', 'CheckMetadataHash']), registry.signedExtensions);
  rep.check(`${what} no warnings`, warnings.length === 0, warnings.slice(0, 3));
  return { registry, metadata, decorated };
}

const m14 = checkAll('v14', v14hex, 14);
const m15 = checkAll('v15', v15hex, 15);
if (m15) {
  const apis = m15.metadata.asV15.apis.map((a) => a.name.toString());
  rep.check('v15 apis', apis.includes('Metadata') && apis.includes('TransactionPaymentApi') && apis.includes('TaggedTransactionQueue'), apis);
  const oe = m15.metadata.asV15.outerEnums;
  rep.check('v15 outer enums', m15.registry.lookup.getSiType(oe.errorType).path.join('::').endsWith('RuntimeError'), '');
}
const { registry, decorated } = m14;

// every call with default args goes through our router
for (const [what, h] of ROUTED) {
  const r = await drv.try('rt_call_info', h);
  rep.check('router accepts default call', r !== null, what);
}

// System.Account(Alice)
const keyring = new Keyring({ type: 'sr25519', ss58Format: 13 });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const SPEC_KEY = '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
rep.check('System.Account key (polkadot-js)', [u8aToHex(decorated.query.system.account(alice.address))].some((k) => k === SPEC_KEY || k.endsWith(SPEC_KEY.slice(2))), '');
const [ourKey] = await drv.call('rt_account_key', u8aToHex(alice.publicKey).slice(2));
rep.check('System.Account key (ours)', ourKey === SPEC_KEY, ourKey);
const accDefault = registry.createType('AccountInfo', decorated.query.system.account.meta.fallback.toU8a(true));
rep.check('System.Account default', accDefault.nonce.toNumber() === 0 && accDefault.data.free.isZero(), accDefault.toHuman());
rep.check('constants', decorated.consts.system.ss58Prefix.toNumber() === 13 && decorated.consts.balances.existentialDeposit.toNumber() === 500 &&
  decorated.consts.transactionPayment.operationalFeeMultiplier.toNumber() === 5 && decorated.consts.timestamp.minimumPeriod.toNumber() === 3000 &&
  decorated.consts.system.blockHashCount.toNumber() === 2400 && decorated.consts.aura.slotDuration.toNumber() === 6000 &&
  decorated.consts.system.version.specVersion.toNumber() === 410, '');

// RuntimeVersion
const [verHex, jsonHex] = await drv.call('rt_version');
const rv = registry.createType('RuntimeVersion', verHex);
const js = JSON.parse(Buffer.from(jsonHex.slice(2), 'hex').toString('utf8'));
rep.check('RuntimeVersion scale', rv.specName.toString() === 'integritee-solo' && rv.implName.toString() === 'integritee-solo' &&
  rv.specVersion.toNumber() === 410 && rv.transactionVersion.toNumber() === 8 && rv.authoringVersion.toNumber() === 1 &&
  rv.implVersion.toNumber() === 1 && u8aEq(rv.toU8a(), hexToU8a(verHex)), rv.toHuman());
const rvj = registry.createType('RuntimeVersion', js);
rep.check('RuntimeVersion json', u8aEq(rvj.toU8a(), rv.toU8a()) && js.stateVersion === 0 && js.systemVersion === 0, js);
for (const [id, ver] of js.apis) {
  rep.check('api listed in version', rv.apis.some(([i, v]) => i.toHex() === id && v.toNumber() === ver), id);
}
rep.check('Metadata api present >= 2', js.apis.some(([id, v]) => id === '0x37e397fc7c91f5e4' && v >= 2), '');
rep.check('Core api id', blake2AsHex('Core', 64) === '0xdf6acb689907609b', '');
const decorated15 = m15 ? m15.metadata.asV15.apis.map((a) => blake2AsHex(a.name.toString(), 64)) : [];
rep.check('v15 apis = version apis', decorated15.length === js.apis.length && decorated15.every((h) => js.apis.some(([id]) => id === h)), decorated15);

// random calls through polkadot-js's tx builders, accepted by our router
const accounts = () => u8aToHex(rng.bytes(32));
const randAmount = () => BigInt.asUintN(rng.pick([8, 32, 64, 100, 127]), rng.u64() * rng.u64() + rng.u64());
const makers = [
  () => [decorated.tx.balances.transferKeepAlive({ Id: accounts() }, randAmount()), 0],
  () => [decorated.tx.balances.transferAllowDeath({ Id: accounts() }, randAmount()), 0],
  () => [decorated.tx.balances.transferAll({ Id: accounts() }, rng.bool()), 0],
  () => [decorated.tx.system.remark(u8aToHex(rng.bytes(rng.int(300)))), 0],
  () => [decorated.tx.system.remarkWithEvent(u8aToHex(rng.bytes(rng.int(64)))), 0],
  () => [decorated.tx.sudo.sudo(decorated.tx.balances.forceSetBalance({ Id: accounts() }, randAmount())), 0],
  () => [decorated.tx.proxy.addProxy({ Id: accounts() }, rng.pick(['Any', 'NonTransfer', 'Governance', 'CancelProxy']), rng.int(1000)), 0],
  () => [decorated.tx.proxy.proxy({ Id: accounts() }, rng.bool() ? null : 'Any', decorated.tx.balances.transferKeepAlive({ Id: accounts() }, randAmount())), 0],
  () => [decorated.tx.utility.batch(Array.from({ length: rng.int(5) }, () => decorated.tx.system.remark(u8aToHex(rng.bytes(rng.int(10)))))), 0],
  () => [decorated.tx.utility.batchAll(Array.from({ length: rng.int(4) }, () => decorated.tx.balances.transferKeepAlive({ Id: accounts() }, randAmount()))), 0],
  () => [decorated.tx.timestamp.set(rng.u64() >> 20n), 2],
  () => [decorated.tx.teerex.registerSgxEnclave(u8aToHex(rng.bytes(rng.int(100))), rng.bool() ? null : u8aToHex(rng.bytes(rng.int(40))),
    rng.pick([{ Skip: { proxied: rng.bool() } }, 'Ias', { Dcap: { proxied: rng.bool() } }])), 0],
  () => [decorated.tx.teerex.setSecurityFlags(rng.bool(), rng.bool()), 0],
  () => [decorated.tx.teeracle.updateExchangeRate('src' + rng.int(100), 'TEER/USD', rng.bool() ? null : { bits: rng.u64() }), 0],
  () => [decorated.tx.teeracle.updateOracle('name', 'src', u8aToHex(rng.bytes(rng.int(200)))), 0],
  () => [decorated.tx.enclaveBridge.shieldFunds(u8aToHex(rng.bytes(32)), u8aToHex(rng.bytes(rng.int(80))), randAmount()), 0],
  () => [decorated.tx.enclaveBridge.invoke({ shard: u8aToHex(rng.bytes(32)), cyphertext: u8aToHex(rng.bytes(rng.int(80))) }), 0],
  () => [decorated.tx.enclaveBridge.updateShardConfig(u8aToHex(rng.bytes(32)), { enclaveFingerprint: u8aToHex(rng.bytes(32)), maxInstances: rng.bool() ? null : rng.int(9),
    authorities: rng.bool() ? null : [accounts()], maintenanceMode: rng.bool() }, rng.int(100)), 0],
  () => [decorated.tx.sidechain.confirmImportedSidechainBlock(u8aToHex(rng.bytes(32)), rng.bool() ? null : { blockNumber: rng.int(1e6), blockHeaderHash: u8aToHex(rng.bytes(32)) },
    { blockNumber: rng.int(1e6), blockHeaderHash: u8aToHex(rng.bytes(32)) }), 0],
];
const cases = Array.from({ length: CASES }, () => rng.pick(makers)());
await all(cases, async ([call, cls]) => {
  const h = u8aToHex(call.toU8a()); // Call without the length prefix
  const r = await drv.try('rt_call_info', h.slice(2));
  rep.check('router accepts random call', r !== null && Number(r[2]) === cls, () => `${call.section}.${call.method} ${h.slice(0, 80)} -> ${r}`);
});

// extrinsics signed by polkadot-js, validated and priced by our runtime APIs
const genesis = u8aToHex(rng.bytes(32));
const signedCases = Array.from({ length: Math.max(100, CASES / 5) }, () => ({
  nonce: rng.int(3) === 0 ? 0 : rng.int(50), tip: rng.bool() ? 0n : BigInt(rng.int(1e9)), amount: BigInt(rng.int(1e12)) + 1000n,
  mortal: rng.bool(),
}));
await all(signedCases, async (c) => {
  const call = decorated.tx.balances.transferKeepAlive({ Id: bob.address }, c.amount);
  const ext = registry.createType('Extrinsic', call, { version: 4 });
  const era = c.mortal ? registry.createType('ExtrinsicEra', { current: 0, period: 64 }) : registry.createType('ExtrinsicEra', '0x00');
  ext.sign(alice, {
    blockHash: genesis, era, genesisHash: genesis, nonce: c.nonce, tip: c.tip,
    runtimeVersion: { specVersion: 410, transactionVersion: 8 }, signedExtensions: registry.signedExtensions,
  });
  const xhex = ext.toHex();
  const params = u8aToHex(u8aConcat(new Uint8Array([2]), hexToU8a(xhex), hexToU8a(genesis)));
  const r = await drv.try('rt_state_call', genesis.slice(2), 'TaggedTransactionQueue_validate_transaction', params.slice(2));
  let ok = false, det = r;
  if (r !== null) {
    const v = registry.createType('TransactionValidity', r[0]);
    if (v.isOk) {
      const t = v.asOk;
      const tag = (n) => u8aToHex(u8aConcat(alice.publicKey, registry.createType('u32', n).toU8a()));
      ok = t.provides.length === 1 && t.provides[0].toHex() === tag(c.nonce) &&
        t.requires.length === (c.nonce > 0 ? 1 : 0) && (c.nonce === 0 || t.requires[0].toHex() === tag(c.nonce - 1)) &&
        t.propagate.isTrue && t.priority.toBigInt() > 0n && (c.mortal ? t.longevity.toBigInt() <= 64n : t.longevity.toBigInt() === 2n ** 64n - 1n);
    }
    det = v.toHuman();
  }
  rep.check('validate_transaction (polkadot-js signed)', ok, () => JSON.stringify({ c: { ...c, tip: String(c.tip), amount: String(c.amount) }, det }));
  const qp = u8aToHex(u8aConcat(hexToU8a(xhex), registry.createType('u32', ext.encodedLength).toU8a()));
  const q = await drv.try('rt_state_call', genesis.slice(2), 'TransactionPaymentApi_query_info', qp.slice(2));
  let qok = false;
  if (q !== null) {
    const info = registry.createType('RuntimeDispatchInfo', q[0]);
    qok = info.partialFee.toBigInt() > 0n && info.weight.refTime.toBigInt() > 0n && info.class.isNormal && u8aEq(info.toU8a(), hexToU8a(q[0]));
  }
  rep.check('query_info (polkadot-js signed)', qok, q);
});

// a corrupted signature is refused with Invalid(BadProof)
{
  const ext = registry.createType('Extrinsic', decorated.tx.balances.transferKeepAlive({ Id: bob.address }, 12345n), { version: 4 });
  ext.sign(alice, { blockHash: genesis, era: registry.createType('ExtrinsicEra', '0x00'), genesisHash: genesis, nonce: 0, runtimeVersion: { specVersion: 410, transactionVersion: 8 }, signedExtensions: registry.signedExtensions });
  const bytes = ext.toU8a();
  bytes[bytes.length - 1] ^= 1;
  const params = u8aToHex(u8aConcat(new Uint8Array([2]), bytes, hexToU8a(genesis)));
  const [r] = await drv.call('rt_state_call', genesis.slice(2), 'TaggedTransactionQueue_validate_transaction', params.slice(2));
  const v = registry.createType('TransactionValidity', r);
  rep.check('bad signature -> BadProof', v.isErr && v.asErr.isInvalid && v.asErr.asInvalid.isBadProof, v.toHuman());
  const wrongGen = u8aToHex(rng.bytes(32));
  const [r2] = await drv.call('rt_state_call', wrongGen.slice(2), 'TaggedTransactionQueue_validate_transaction',
    u8aToHex(u8aConcat(new Uint8Array([2]), ext.toU8a(), hexToU8a(wrongGen))).slice(2));
  const v2 = registry.createType('TransactionValidity', r2);
  rep.check('wrong genesis -> BadProof', v2.isErr && v2.asErr.asInvalid.isBadProof, v2.toHuman());
}

// Metadata_* and AccountNonceApi through state_call as polkadot-js decodes them
{
  const [vers] = await drv.call('rt_state_call', genesis.slice(2), 'Metadata_metadata_versions', '0x');
  rep.check('Metadata_metadata_versions', vers === '0x080e0000000f000000', vers);
  const [at] = await drv.call('rt_state_call', genesis.slice(2), 'Metadata_metadata_at_version', '0f000000');
  const opt = registry.createType('Option<Bytes>', hexToU8a(at));
  rep.check('Metadata_metadata_at_version(15)', opt.isSome && opt.unwrap().toHex() === v15hex && new Metadata(new TypeRegistry(), opt.unwrap().toHex()).version === 15, '');
  const [nonce] = await drv.call('rt_state_call', genesis.slice(2), 'AccountNonceApi_account_nonce', u8aToHex(alice.publicKey).slice(2));
  rep.check('AccountNonceApi_account_nonce', registry.createType('u32', nonce).toNumber() === 0, nonce);
  const unk = await drv.try('rt_state_call', genesis.slice(2), 'Foo_bar', '0x');
  rep.check('unknown method refused', unk === null, unk);
}

drv.close();
rep.finish();
