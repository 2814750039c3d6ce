// The agent's defaults must fit the other processes (cloud 8790, hub 8791, agent API 8792) and
// the demo pairing code's store; a real store must be named, or the agent says how at start.
import { describe, expect, it } from 'vitest';
import { AgentError } from '../ingest';
import { agentSettingsFromEnv } from './agent-settings';

const code = (f: () => unknown) => {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof AgentError ? e.code : String(e);
  }
};

describe('agentSettingsFromEnv', () => {
  it('demo mode: store S001 with the demo pairing code, on ports that do not clash with the cloud', () => {
    const s = agentSettingsFromEnv({ EDGE_DEMO: '1' }, {});
    expect(s).toMatchObject({
      demo: true,
      storeId: 'S001',
      enrollCode: 'DEMO-S001-2026',
      edgePort: 8792,
      hubPort: 8791,
      cloudUrl: 'http://127.0.0.1:8790',
    });
    expect(new Set([s.edgePort, s.hubPort, Number(new URL(s.cloudUrl).port)]).size).toBe(3);
  });

  it('without demo mode a store is required, with a message that says where to set it', () => {
    expect(code(() => agentSettingsFromEnv({}, {}))).toBe('CONFIG_INVALID');
    try {
      agentSettingsFromEnv({}, {});
    } catch (e) {
      expect((e as Error).message).toMatch(/storeId.*EDGE_CONFIG.*EDGE_STORE_ID.*EDGE_DEMO=1/);
    }
    expect(agentSettingsFromEnv({}, { storeId: 'S042' })).toMatchObject({
      demo: false,
      storeId: 'S042',
      enrollCode: '',
    });
    expect(agentSettingsFromEnv({ EDGE_STORE_ID: 'S043', ENROLL_CODE: 'PAIR-1' }, { storeId: 'S042' })).toMatchObject({
      storeId: 'S043',
      enrollCode: 'PAIR-1',
    });
  });

  it('the demo code is not offered for another store, and demo mode is refused in production', () => {
    expect(agentSettingsFromEnv({ EDGE_DEMO: '1' }, { storeId: 'S042' }).enrollCode).toBe('');
    expect(code(() => agentSettingsFromEnv({ EDGE_DEMO: '1', NODE_ENV: 'production' }, {}))).toBe('CONFIG_INVALID');
  });

  it('refuses ports that cannot work', () => {
    expect(code(() => agentSettingsFromEnv({ EDGE_PORT: 'abc' }, { storeId: 'S1' }))).toBe('CONFIG_INVALID');
    expect(code(() => agentSettingsFromEnv({ EDGE_PORT: '8791' }, { storeId: 'S1' }))).toBe('CONFIG_INVALID');
    expect(agentSettingsFromEnv({ EDGE_PORT: '8791', HUB_ENABLED: '0' }, { storeId: 'S1' }).edgePort).toBe(8791);
    expect(code(() => agentSettingsFromEnv({ EDGE_STORE_ID: 'S 1' }, {}))).toBe('CONFIG_INVALID');
    // The hub announces itself on the LAN only when told (the systemd units say HUB_MDNS=1).
    expect(agentSettingsFromEnv({}, { storeId: 'S1' }).hubAnnounce).toBe(false);
    expect(agentSettingsFromEnv({ HUB_MDNS: '1' }, { storeId: 'S1' }).hubAnnounce).toBe(true);
    expect(code(() => agentSettingsFromEnv({ HUB_MDNS: 'yes' }, { storeId: 'S1' }))).toBe('CONFIG_INVALID');
  });

  it('media folder: EDGE_MEDIA_DIR, else media/ in the data folder', () => {
    expect(agentSettingsFromEnv({ EDGE_DATA_DIR: '/var/lib/edge' }, { storeId: 'S1' }).mediaDir).toBe(
      '/var/lib/edge/media',
    );
    expect(
      agentSettingsFromEnv({ EDGE_DATA_DIR: '/var/lib/edge', EDGE_MEDIA_DIR: '/srv/clips' }, { storeId: 'S1' })
        .mediaDir,
    ).toBe('/srv/clips');
  });
});
