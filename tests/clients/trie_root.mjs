// trie_root.mjs - reference Substrate trie root (sp-trie LayoutV0, blake2-256) in plain JS,
// written from spec substrate-compat §7, to check the node's state roots from the outside.
import { blake2AsU8a } from '@polkadot/util-crypto';
import { compactToU8a, u8aConcat, hexToU8a, u8aToHex } from '@polkadot/util';

const nibbles = (u8) => {
  const out = new Uint8Array(u8.length * 2);
  u8.forEach((b, i) => { out[2 * i] = b >> 4; out[2 * i + 1] = b & 15; });
  return out;
};

function header(prefix, n) {
  const out = [];
  if (n < 63) return [prefix | n];
  out.push(prefix | 63);
  let r = n - 63;
  while (r >= 255) { out.push(255); r -= 255; }
  out.push(r);
  return out;
}

function partial(nib) {
  const out = [];
  let i = 0;
  if (nib.length % 2 === 1) { out.push(nib[0]); i = 1; }
  for (; i < nib.length; i += 2) out.push((nib[i] << 4) | nib[i + 1]);
  return out;
}

// items: [{k: nibble array, v: Uint8Array}], sorted by key
function node(items, d) {
  if (items.length === 0) return new Uint8Array([0]);
  let cp = 0;
  const first = items[0].k;
  for (;;) {
    const p = d + cp;
    if (p >= first.length || !items.every((it) => it.k.length > p && it.k[p] === first[p])) break;
    cp++;
  }
  const d2 = d + cp;
  const pk = partial(first.slice(d, d2));
  if (items.length === 1 && first.length === d2) {
    return u8aConcat(new Uint8Array(header(0x40, cp)), new Uint8Array(pk), compactToU8a(items[0].v.length), items[0].v);
  }
  const valueItem = items.find((it) => it.k.length === d2);
  const parts = [new Uint8Array(header(valueItem ? 0xc0 : 0x80, cp)), new Uint8Array(pk)];
  let bitmap = 0;
  const children = [];
  for (let nb = 0; nb < 16; nb++) {
    const group = items.filter((it) => it.k.length > d2 && it.k[d2] === nb);
    if (group.length === 0) continue;
    bitmap |= 1 << nb;
    const enc = node(group, d2 + 1);
    children.push(enc.length >= 32 ? u8aConcat(compactToU8a(32), blake2AsU8a(enc, 256)) : u8aConcat(compactToU8a(enc.length), enc));
  }
  parts.push(new Uint8Array([bitmap & 255, bitmap >> 8]));
  if (valueItem) parts.push(compactToU8a(valueItem.v.length), valueItem.v);
  return u8aConcat(...parts, ...children);
}

// pairs: [[hexKey, hexValue]] -> hex root
export function trieRootV0(pairs) {
  const items = pairs
    .map(([k, v]) => ({ k: nibbles(hexToU8a(k)), v: hexToU8a(v), hk: k }))
    .sort((a, b) => (a.hk < b.hk ? -1 : a.hk > b.hk ? 1 : 0));
  return u8aToHex(blake2AsU8a(node(items, 0), 256));
}
