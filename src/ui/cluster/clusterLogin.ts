import type { ClusterCredentials } from '../../cluster/connectClusterWs.ts';

/** The storage key of the Cluster tab's saved login. */
export const CLUSTER_LOGIN_KEY = 'featurizer.cluster';

/** What the Cluster tab keeps: the URL always, credentials only when asked to remember them. */
export interface ClusterLogin {
  readonly url: string;
  readonly credentials: ClusterCredentials;
  readonly remember: boolean;
}

const NONE: ClusterCredentials = { kind: 'none' };

/** The saved login, or a blank one (unreadable storage reads as nothing saved). */
export function loadClusterLogin(storage: Pick<Storage, 'getItem'>): ClusterLogin {
  try {
    const v = JSON.parse(storage.getItem(CLUSTER_LOGIN_KEY) ?? 'null') as Partial<ClusterLogin>;
    if (v && typeof v.url === 'string') {
      const c = v.credentials;
      const ok =
        c?.kind === 'token'
          ? typeof c.token === 'string'
          : c?.kind === 'user'
            ? typeof c.user === 'string' && typeof c.password === 'string'
            : false;
      return { url: v.url, credentials: v.remember && ok ? c! : NONE, remember: !!v.remember };
    }
  } catch {
    // Not JSON: as if nothing were saved.
  }
  return { url: '', credentials: NONE, remember: false };
}

/** Save the URL, and the credentials only when `remember` is on (else any saved ones go). */
export function saveClusterLogin(login: ClusterLogin, storage: Pick<Storage, 'setItem'>): void {
  const saved: ClusterLogin = login.remember ? login : { ...login, credentials: NONE };
  storage.setItem(CLUSTER_LOGIN_KEY, JSON.stringify(saved));
}
