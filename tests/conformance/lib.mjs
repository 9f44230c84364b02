// Shared helpers for the conformance suites: the C driver process, a seeded PRNG, and a
// reporter that ends with the plain "N passed, N failed" line.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes as nodeRandomBytes } from 'node:crypto';

// One long-lived driver process; call(line) resolves with the fields after "ok", or throws
// an Error carrying the driver's "err" reason.
export class Driver {
  constructor(path) {
    this.proc = spawn(path, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.waiting = [];
    this.rl = createInterface({ input: this.proc.stdout });
    this.rl.on('line', (line) => {
      const w = this.waiting.shift();
      if (!w) return;
      if (line.startsWith('ok')) w.resolve(line.length > 2 ? line.slice(3).split(' ') : []);
      else w.reject(new Error(line.startsWith('err ') ? line.slice(4) : line));
    });
    this.proc.on('exit', (code) => {
      for (const w of this.waiting) w.reject(new Error(`driver exited (${code})`));
      this.waiting = [];
    });
  }
  call(...args) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.proc.stdin.write(args.join(' ') + '\n');
    });
  }
  // Returns the fields, or null when the driver answered "err".
  async try(...args) {
    try { return await this.call(...args); } catch { return null; }
  }
  close() { this.proc.stdin.end(); }
}

// xorshift128+ seeded from CONF_SEED (or random, printed), so a failure can be replayed.
export function makeRng() {
  const seed = process.env.CONF_SEED ? BigInt(process.env.CONF_SEED) : nodeRandomBytes(8).readBigUInt64LE();
  console.log(`seed ${seed} (replay with CONF_SEED=${seed})`);
  let s0 = seed ^ 0x9e3779b97f4a7c15n, s1 = (seed * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  const M = 0xffffffffffffffffn;
  const next = () => {
    let x = s0; const y = s1; s0 = y;
    x ^= (x << 23n) & M; x ^= x >> 17n; x ^= y ^ (y >> 26n); s1 = x;
    return (s0 + s1) & M;
  };
  const rng = {
    u64: next,
    int: (n) => Number(next() % BigInt(n)),            // 0 <= r < n
    range: (a, b) => a + Number(next() % BigInt(b - a + 1)), // a <= r <= b
    bool: () => (next() & 1n) === 1n,
    bytes: (n) => { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = Number(next() & 0xffn); return b; },
    pick: (arr) => arr[Number(next() % BigInt(arr.length))],
  };
  return rng;
}

export const hex = (u8) => Buffer.from(u8).toString('hex');
export const unhex = (h) => new Uint8Array(Buffer.from(h.replace(/^0x/, ''), 'hex'));
export const textHex = (s) => Buffer.from(s, 'utf8').toString('hex');

// Counts cases per check, prints the first failures in full, and exits non-zero on any.
export class Report {
  constructor(name) { this.name = name; this.passed = 0; this.failed = 0; this.shown = 0; this.counts = {}; }
  check(what, ok, detail) {
    this.counts[what] = (this.counts[what] || 0) + 1;
    if (ok) { this.passed++; return; }
    this.failed++;
    if (this.shown++ < 20) console.log(`FAIL ${what}: ${typeof detail === 'function' ? detail() : JSON.stringify(detail)}`);
  }
  finish() {
    for (const [k, v] of Object.entries(this.counts)) console.log(`  ${k}: ${v} cases`);
    console.log(`${this.name}: ${this.passed} passed, ${this.failed} failed`);
    process.exit(this.failed === 0 && this.passed > 0 ? 0 : 1);
  }
}
