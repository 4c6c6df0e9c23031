/**
 * Whether this page wants the test API: always under the Vite dev server, otherwise only when a
 * test driver set `window.__studioTestApi` before the page's scripts ran (the Playwright fixture
 * does, with an init script). The e2e suite runs against the production build (`vite preview`),
 * the same bundle users get, so the switch is a runtime opt-in, not a build flag: a plain
 * `vite build` serves the benches, the e2e and users alike, and nobody's page exposes the API
 * unless asked. It only reads state and drives replay controls the user already has.
 */
export function testApiRequested(): boolean {
  return import.meta.env.DEV || globalThis.window?.__studioTestApi === true;
}
