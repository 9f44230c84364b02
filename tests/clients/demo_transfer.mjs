// demo_transfer.mjs - what a dApp developer does against integritee-node with the tools they
// already use: @polkadot/api connects, reads chain properties, sends a transfer, and watches it
// reach a finalized block. Used by `make demo`.
// Usage: node demo_transfer.mjs ws://127.0.0.1:PORT
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const url = process.argv[2];
await cryptoWaitReady();
const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
const [chain, props, version] = await Promise.all([
  api.rpc.system.chain(), api.rpc.system.properties(), api.rpc.state.getRuntimeVersion()]);
console.log(`connected to "${chain}" (${version.specName} v${version.specVersion}), ` +
  `token ${props.tokenSymbol.toHuman()}, ss58 prefix ${props.ss58Format.toHuman()}`);
const keyring = new Keyring({ type: 'sr25519', ss58Format: 13 });
const alice = keyring.addFromUri('//Alice');
const bob = keyring.addFromUri('//Bob');
const free = async (who) => (await api.query.system.account(who.address)).data.free.toBigInt();
const fmt = (v) => `${(Number(v) / 1e12).toFixed(6)} TEER`;
console.log(`Alice ${alice.address}: ${fmt(await free(alice))}`);
console.log(`Bob   ${bob.address}: ${fmt(await free(bob))}`);
const amount = 12345n * 10n ** 9n;
console.log(`Alice sends ${fmt(amount)} to Bob (transferKeepAlive, signed in JS, sr25519)`);
await new Promise((resolve, reject) => {
  api.tx.balances.transferKeepAlive(bob.address, amount).signAndSend(alice, ({ status, events, dispatchError }) => {
    if (dispatchError) reject(new Error(dispatchError.toString()));
    if (status.isInBlock) {
      console.log(`  in block ${status.asInBlock.toHex()}`);
      for (const { event } of events) console.log(`    event ${event.section}.${event.method} ${JSON.stringify(event.data.toHuman())}`);
    }
    if (status.isFinalized) { console.log(`  finalized ${status.asFinalized.toHex()}`); resolve(); }
  }).catch(reject);
});
console.log(`Alice: ${fmt(await free(alice))}, Bob: ${fmt(await free(bob))}`);
await api.disconnect();
