// Where the packaged till looks for updates: nothing in a development run or without an update
// server; otherwise the generic feed at POS_UPDATE_URL on the stable ("latest") or beta channel,
// beta alone taking pre-releases.
import { describe, expect, it } from 'vitest';
import { planUpdates } from './update-channel';

describe('automatic updates', () => {
  it('are off in a development run and without an update server', () => {
    expect(planUpdates({ url: 'https://u.example.com/pos/', channel: 'stable', packaged: false })).toEqual({
      enabled: false,
      reason: 'not-packaged',
    });
    expect(planUpdates({ url: undefined, channel: 'beta', packaged: true })).toEqual({
      enabled: false,
      reason: 'no-url',
    });
  });

  it('follow the stable channel from the configured server, without pre-releases', () => {
    expect(planUpdates({ url: 'https://u.example.com/pos', channel: 'stable', packaged: true })).toEqual({
      enabled: true,
      feed: { provider: 'generic', url: 'https://u.example.com/pos/', channel: 'latest' },
      allowPrerelease: false,
      firstCheckMs: 60_000,
      everyMs: 14_400_000,
    });
  });

  it('follow the beta channel with pre-releases when the till is a beta till', () => {
    expect(planUpdates({ url: 'https://u.example.com/pos/', channel: 'beta', packaged: true })).toMatchObject({
      feed: { channel: 'beta', url: 'https://u.example.com/pos/' },
      allowPrerelease: true,
    });
  });
});
