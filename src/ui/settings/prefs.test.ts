import { describe, expect, it } from 'vitest';
import { createPrefsStore, DEFAULT_PREFS, PREFS_KEY, readPrefs } from './prefs.ts';

function memory(): Pick<Storage, 'getItem' | 'setItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('prefs', () => {
  it('falls back to defaults for anything missing or malformed', () => {
    expect(readPrefs(null)).toEqual(DEFAULT_PREFS);
    expect(readPrefs('{not json')).toEqual(DEFAULT_PREFS);
    expect(readPrefs('{"utc":"yes","theme":"pink","guideStep":-1,"guideDone":1}')).toEqual(
      DEFAULT_PREFS,
    );
    expect(readPrefs('{"utc":true,"theme":"light","guideStep":2}')).toEqual({
      ...DEFAULT_PREFS,
      utc: true,
      theme: 'light',
      guideStep: 2,
    });
  });

  it('saves what is set, and a new store reads it back', () => {
    const storage = memory();
    createPrefsStore(storage).set({ utc: true, guideDone: true });
    expect(JSON.parse(storage.data.get(PREFS_KEY)!)).toMatchObject({ utc: true, guideDone: true });
    expect(createPrefsStore(storage).getState()).toMatchObject({ utc: true, guideDone: true });
  });
});
