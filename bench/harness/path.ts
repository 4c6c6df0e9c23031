/** Where the built harness page is served (`vite preview` of dist/), and its file in dist/. */
export const HARNESS_PATH = '/bench/harness/index.html';
export const HARNESS_DIST_FILE = 'dist/bench/harness/index.html';
