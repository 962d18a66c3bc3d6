// Each test is a browser of its own: the BroadcastChannels a test opened are cut off after
// it, so a checkout an earlier test left behind neither hears this test's updates nor sends
// its own, as a second tab of the same session would (the fakes reuse their session ids).
import { afterEach } from 'vitest';

const open = new Set<BroadcastChannel>();
const cutOff = new WeakSet<BroadcastChannel>();
const Native = globalThis.BroadcastChannel;

globalThis.BroadcastChannel = class extends Native {
  constructor(name: string) {
    super(name);
    open.add(this);
  }

  override postMessage(message: unknown): void {
    if (!cutOff.has(this)) super.postMessage(message);
  }

  override close(): void {
    open.delete(this);
    super.close();
  }
};

afterEach(() => {
  for (const channel of open) {
    cutOff.add(channel);
    channel.close();
  }
});
