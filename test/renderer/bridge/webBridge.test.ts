import { describe, expect, it } from 'vitest';
import { rpcUrl } from '../../../renderer/bridge/webBridge';

describe('the web bridge: the RPC address', () => {
  it('names the window and the tab, and says when the same page reconnects', () => {
    const tab = { window: 'wall', tabId: 'abcdef0123456789' } as const;
    const first = new URL(rpcUrl('wss://127.0.0.1:8443/rpc', tab, false));
    expect(first.pathname).toBe('/rpc');
    expect(first.searchParams.get('window')).toBe('wall');
    expect(first.searchParams.get('tab')).toBe('abcdef0123456789');
    expect(first.searchParams.has('resume')).toBe(false);
    const again = new URL(rpcUrl('wss://127.0.0.1:8443/rpc', tab, true));
    expect(again.searchParams.get('resume')).toBe('1');
  });
});
