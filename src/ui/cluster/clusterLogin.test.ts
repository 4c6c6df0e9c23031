import { describe, expect, it } from 'vitest';
import { CLUSTER_LOGIN_KEY, loadClusterLogin, saveClusterLogin } from './clusterLogin.ts';

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  } as Storage;
}

describe('cluster login storage', () => {
  it('keeps credentials out of storage unless remember is ticked', () => {
    const s = memory();
    saveClusterLogin(
      {
        url: 'ws://h:8080',
        credentials: { kind: 'user', user: 'ann', password: 's3cret' },
        remember: false,
      },
      s,
    );
    expect(s.getItem(CLUSTER_LOGIN_KEY)).not.toContain('s3cret');
    expect(s.getItem(CLUSTER_LOGIN_KEY)).not.toContain('ann');
    expect(loadClusterLogin(s)).toEqual({
      url: 'ws://h:8080',
      credentials: { kind: 'none' },
      remember: false,
    });
  });

  it('remembers them when asked, and forgets them when unticked later', () => {
    const s = memory();
    const login = {
      url: 'wss://n:443',
      credentials: { kind: 'token' as const, token: 'tok' },
      remember: true,
    };
    saveClusterLogin(login, s);
    expect(loadClusterLogin(s)).toEqual(login);
    saveClusterLogin({ ...login, remember: false }, s);
    expect(s.getItem(CLUSTER_LOGIN_KEY)).not.toContain('tok');
  });

  it('reads garbage as nothing saved', () => {
    const s = memory();
    s.setItem(CLUSTER_LOGIN_KEY, '{nope');
    expect(loadClusterLogin(s).url).toBe('');
    s.setItem(
      CLUSTER_LOGIN_KEY,
      JSON.stringify({ url: 'ws://x', remember: true, credentials: { kind: 'token' } }),
    );
    expect(loadClusterLogin(s).credentials).toEqual({ kind: 'none' });
  });
});
