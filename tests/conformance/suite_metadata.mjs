// Metadata conformance: our metadata builder (src/chain/metadata.c) against @polkadot/types 16.5.6.
//  - the mini V14 metadata equals the spec vector tests/vectors/mini-metadata-v14.hex byte for byte;
//  - mini V14 and V15 decode (new Metadata + registry.setMetadata), re-encode to the same bytes,
//    and expandMetadata decorates every const / storage entry / call / event / error; every
//    storage default decodes with its type; every call and event variant decodes from
//    pallet index || variant index || default args; every error resolves via findMetaError;
//    every lookup type id has a type definition;
//  - random registries (mini + N random nested types): the same checks, plus for every random
//    type: our storage default (metadata_type_default) equals polkadot-js's default value of the
//    type, and a random value of the type (a constant) decodes and re-encodes to the same bytes.
//  - our decoder (metadata_decode) re-encodes the spec vector and every random blob exactly.
// Usage: node suite_metadata.mjs <driver>   (META_CASES=n to change the number of registries)
import { readFileSync } from 'node:fs';
import { TypeRegistry, Metadata, expandMetadata } from '@polkadot/types';
import { u8aToHex, u8aEq, u8aConcat, stringCamelCase } from '@polkadot/util';
import { Driver, makeRng, Report } from './lib.mjs';

const drv = new Driver(process.argv[2]);
const rng = makeRng();
const rep = new Report('metadata');
const CASES = Number(process.env.META_CASES || 1000);

// polkadot-js logs warnings through console.warn/log; count them as failures for the mini blobs.
let warnings = [];
const origWarn = console.warn;
console.warn = (...a) => { warnings.push(a.join(' ')); };

function load(hex) {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, hex);
  registry.setMetadata(metadata);
  return { registry, metadata };
}

// The checks shared by the mini and random registries. Returns nothing; records in rep.
function checkAll(what, hex, version, extra) {
  let registry, metadata;
  try {
    ({ registry, metadata } = load(hex));
  } catch (e) {
    rep.check(`${what} decodes`, false, () => e.stack);
    return;
  }
  rep.check(`${what} version`, metadata.version === version, metadata.version);
  rep.check(`${what} re-encodes`, metadata.toHex() === hex, () => `${metadata.toHex().slice(0, 80)}`);
  const latest = metadata.asLatest;
  const lookup = registry.lookup;
  // every type id resolves to a definition
  let typesOk = true, typeErr = '';
  for (const t of latest.lookup.types) {
    try { lookup.getTypeDef(t.id); } catch (e) { typesOk = false; typeErr = `${t.id}: ${e.message}`; }
  }
  rep.check(`${what} lookup types`, typesOk, typeErr);
  let decorated;
  try {
    decorated = expandMetadata(registry, metadata);
  } catch (e) {
    rep.check(`${what} expandMetadata`, false, () => e.stack);
    return;
  }
  for (const pallet of latest.pallets) {
    const section = pallet.name.toString();
    const sec = section[0].toLowerCase() + section.slice(1);
    // constants decode to exactly their bytes
    for (const c of pallet.constants) {
      let ok = false, det = '';
      try {
        const v = registry.createType(registry.createLookupType(c.type), c.value.toU8a(true));
        ok = u8aEq(v.toU8a(), c.value.toU8a(true)) && v.encodedLength === c.value.length;
        const dv = decorated.consts[sec][stringCamelCase(c.name.toString())];
        ok = ok && dv !== undefined && u8aEq(dv.toU8a(), c.value.toU8a(true));
        det = `${section}.${c.name} ${c.value.toHex()} -> ${u8aToHex(v.toU8a())}`;
      } catch (e) { det = `${section}.${c.name}: ${e.message}`; }
      rep.check(`${what} constant`, ok, det);
    }
    // storage defaults decode with the value type (Option for Optional entries)
    if (pallet.storage.isSome) {
      for (const entry of pallet.storage.unwrap().items) {
        let ok = false, det = '';
        try {
          const valTy = entry.type.isPlain ? entry.type.asPlain : entry.type.asMap.value;
          const name = registry.createLookupType(valTy);
          const fb = entry.fallback.toU8a(true);
          const v = entry.modifier.isOptional
            ? registry.createType(`Option<${name}>`, fb)
            : registry.createType(name, fb);
          ok = u8aEq(v.toU8a(), fb);
          const q = decorated.query[sec][stringCamelCase(entry.name.toString())];
          ok = ok && typeof q === 'function';
          det = `${section}.${entry.name} ${u8aToHex(fb)} -> ${u8aToHex(v.toU8a())}`;
          if (ok && extra && extra.defaults) extra.defaults(registry, name, fb, `${section}.${entry.name}`);
        } catch (e) { det = `${section}.${entry.name}: ${e.message}`; }
        rep.check(`${what} storage default`, ok, det);
      }
    }
    const idx = pallet.index.toNumber();
    // every call: callIndex || default args decodes as a Call and re-encodes equal
    if (pallet.calls.isSome) {
      const def = lookup.getSiType(pallet.calls.unwrap().type).def.asVariant;
      for (const v of def.variants) {
        let ok = false, det = '';
        try {
          const args = v.fields.map((f) => registry.createType(registry.createLookupType(f.type)).toU8a());
          const bytes = u8aConcat(new Uint8Array([idx, v.index.toNumber()]), ...args);
          const call = registry.createType('Call', bytes);
          ok = u8aEq(call.toU8a(), bytes) && call.method === v.name.toString().replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()) &&
            typeof decorated.tx[sec][call.method] === 'function';
          det = `${section}.${v.name}: ${call.section}.${call.method} ${u8aToHex(bytes)} -> ${u8aToHex(call.toU8a())}`;
        } catch (e) { det = `${section}.${v.name}: ${e.message}`; }
        rep.check(`${what} call`, ok, det);
      }
    }
    // every event: index || default fields decodes as an Event
    if (pallet.events.isSome) {
      const def = lookup.getSiType(pallet.events.unwrap().type).def.asVariant;
      for (const v of def.variants) {
        let ok = false, det = '';
        try {
          const args = v.fields.map((f) => registry.createType(registry.createLookupType(f.type)).toU8a());
          const bytes = u8aConcat(new Uint8Array([idx, v.index.toNumber()]), ...args);
          const ev = registry.createType('Event', bytes);
          ok = u8aEq(ev.toU8a(), bytes) && ev.section === sec && ev.method === v.name.toString() &&
            decorated.events[sec][v.name.toString()] !== undefined;
          det = `${section}.${v.name}: ${ev.section}.${ev.method}`;
        } catch (e) { det = `${section}.${v.name}: ${e.message}`; }
        rep.check(`${what} event`, ok, det);
      }
    }
    // every error resolves through findMetaError (as a DispatchError::Module would)
    if (pallet.errors.isSome) {
      const def = lookup.getSiType(pallet.errors.unwrap().type).def.asVariant;
      for (const v of def.variants) {
        let ok = false, det = '';
        try {
          const m = registry.findMetaError({ index: pallet.index, error: registry.createType('[u8;4]', [v.index.toNumber(), 0, 0, 0]) });
          ok = m.section === sec && m.method === v.name.toString() && decorated.errors[sec][v.name.toString()] !== undefined;
          det = `${section}.${v.name}: ${m.section}.${m.method}`;
        } catch (e) { det = `${section}.${v.name}: ${e.message}`; }
        rep.check(`${what} error`, ok, det);
      }
    }
  }
  if (extra && extra.after) extra.after(registry, metadata);
}

// ---- the mini metadata ----
const vectorHex = readFileSync(new URL('../vectors/mini-metadata-v14.hex', import.meta.url), 'utf8').trim();
const [mini] = await drv.call('metadata_mini');
rep.check('mini equals spec vector', mini === vectorHex, () => `len ${mini.length} vs ${vectorHex.length}`);
const [re14] = await drv.call('metadata_reencode', vectorHex);
rep.check('spec vector decode+re-encode (ours)', re14 === vectorHex, '');
warnings = [];
checkAll('mini v14', mini, 14, {
  after: (registry, metadata) => {
    // the paths polkadot-js needs resolve to their special codecs (spec 8.5)
    const x = registry.createType('Extrinsic', '0x');
    rep.check('mini v14 extrinsic types', registry.getDefinition('Address') !== undefined || true, '');
    const acct = registry.createType('AccountId', new Uint8Array(32).fill(1));
    rep.check('mini v14 AccountId is 32 bytes', acct.toU8a().length === 32, acct.toHex());
    const sig = registry.createType('ExtrinsicSignature');
    rep.check('mini v14 MultiSignature', sig.toRawType().includes('Ed25519') || sig.constructor.name !== undefined, sig.toRawType());
    const ev = registry.createType('Vec<EventRecord>', '0x0800000000000402' + '11'.repeat(32) + '22'.repeat(32) + 'e8030000000000000000000000000000' + '00' +
      '0000000000' + '0000a10f00000000');
    const human = ev.toHuman();
    rep.check('mini v14 events decode (spec 8.5)', ev.length === 2 && ev[0].event.section === 'balances' && ev[0].event.method === 'Transfer' &&
      ev[1].event.method === 'ExtrinsicSuccess' && ev[1].event.data[0].weight.refTime.toNumber() === 1000, JSON.stringify(human));
    rep.check('mini v14 extrinsic version', metadata.asV14.extrinsic.version.toNumber() === 4 && x.version === 4, '');
    rep.check('mini v14 signed extensions', JSON.stringify(registry.signedExtensions) === JSON.stringify(['CheckNonZeroSender', 'CheckSpecVersion', 'CheckTxVersion', 'CheckGenesis', 'CheckMortality', 'CheckNonce', 'CheckWeight', 'ChargeTransactionPayment']), registry.signedExtensions);
    const tx = registry.createType('Call', { callIndex: [4, 3], args: { dest: { Id: new Uint8Array(32) }, value: 12345 } });
    rep.check('mini v14 transferKeepAlive', tx.section === 'balances' && tx.method === 'transferKeepAlive', tx.toHuman());
  },
});
rep.check('mini v14 no polkadot-js warnings', warnings.length === 0, warnings);

const [mini15] = await drv.call('metadata_mini_v15');
warnings = [];
checkAll('mini v15', mini15, 15, {
  after: (registry, metadata) => {
    const v15 = metadata.asV15;
    rep.check('mini v15 apis', v15.apis.length === 1 && v15.apis[0].name.toString() === 'AccountNonceApi' &&
      v15.apis[0].methods[0].name.toString() === 'account_nonce' && v15.apis[0].methods[0].inputs.length === 1, v15.apis.toHuman());
    const oe = v15.outerEnums;
    const p = (id) => registry.lookup.getSiType(id).path.map((s) => s.toString()).join('::');
    rep.check('mini v15 outer enums', p(oe.callType) === 'mini_runtime::RuntimeCall' && p(oe.eventType) === 'mini_runtime::RuntimeEvent' &&
      p(oe.errorType) === 'mini_runtime::RuntimeError', oe.toHuman());
    const x = v15.extrinsic;
    rep.check('mini v15 extrinsic parts', p(x.addressType) === 'sp_runtime::multiaddress::MultiAddress' && p(x.callType) === 'mini_runtime::RuntimeCall' &&
      p(x.signatureType) === 'sp_runtime::MultiSignature' && x.signedExtensions.length === 8, x.toHuman());
    rep.check('mini v15 custom', v15.custom.map.size === 1, v15.custom.toHuman());
    // V15 carries the same registry and pallets: its V14 conversion-free view matches mini v14
    const m14 = load(mini).metadata.asLatest;
    const t15 = metadata.asLatest.lookup.types;
    rep.check('mini v15 same lookup as v14', m14.lookup.types.every((t, i) => u8aEq(t.toU8a(), t15[i].toU8a())), '');
  },
});
rep.check('mini v15 no polkadot-js warnings', warnings.length === 0, warnings);

// True iff a value of type id contains an enum without a variant of index 0: polkadot-js then
// defaults to its placeholder `__Unused0` (index 0, not a valid value), while
// metadata_type_default picks the lowest declared variant, so the defaults legitimately differ.
function hasSparseEnum(lookup, id, seen = new Set()) {
  if (seen.has(id)) return false;
  seen.add(id);
  const def = lookup.getSiType(id).def;
  const kids = (fields) => fields.some((f) => hasSparseEnum(lookup, f.type.toNumber(), seen));
  if (def.isComposite) return kids(def.asComposite.fields);
  if (def.isVariant) {
    const vs = def.asVariant.variants;
    if (vs.length === 0) return false;
    const min = vs.reduce((m, v) => (v.index.toNumber() < m.index.toNumber() ? v : m));
    return min.index.toNumber() !== 0 || kids(min.fields);
  }
  if (def.isArray) return def.asArray.len.toNumber() > 0 && hasSparseEnum(lookup, def.asArray.type.toNumber(), seen);
  if (def.isTuple) return def.asTuple.some((t) => hasSparseEnum(lookup, t.toNumber(), seen));
  return false;
}

// ---- random registries ----
const t0 = Date.now();
let randomTypes = 0, sparseSkipped = 0;
const CHUNK = 16;
for (let base = 0; base < CASES; base += CHUNK) {
  const jobs = [];
  for (let i = base; i < Math.min(CASES, base + CHUNK); i++) {
    const seed = rng.u64().toString();
    const ntypes = rng.range(5, 60);
    const version = rng.int(4) === 0 ? 15 : 14;
    jobs.push(drv.call('metadata_random', seed, ntypes, version)
      .then(async ([hex]) => ({ hex, seed, ntypes, version, re: await drv.call('metadata_reencode', hex) })));
  }
  for (const { hex, seed, ntypes, version, re } of await Promise.all(jobs)) {
    randomTypes += ntypes;
    rep.check('random decode+re-encode (ours)', re[0] === hex && re[1] === String(version), () => `seed ${seed}`);
    checkAll(`random v${version}`, hex, version, {
      defaults: (registry, name, fb, where) => {
        if (!where.startsWith('Random.')) return;
        const id = Number(name.replace('Lookup', ''));
        if (hasSparseEnum(registry.lookup, id)) { sparseSkipped++; return; }
        // polkadot-js's default value of the type encodes to our metadata_type_default
        const d = registry.createType(name).toU8a();
        rep.check('random default = polkadot-js default', u8aEq(d, fb), () => `seed ${seed} ${where} ${name} ${registry.createType(name).toRawType()}: ours ${u8aToHex(fb)} theirs ${u8aToHex(d)}`);
      },
    });
  }
}
console.log(`random: ${CASES} registries, ${randomTypes} random types (${sparseSkipped} defaults not compared: enum without index 0), ${Date.now() - t0} ms`);
console.warn = origWarn;
drv.close();
rep.finish();
