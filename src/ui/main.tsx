import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import { App } from './App.tsx';
import { createStudio } from './studio.ts';
import { StudioProvider } from './StudioProvider.tsx';
import { testApiRequested } from './testApiSwitch.ts';
import './App.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The composition root: the page's studio, from the page's URL and storage.
const studio = createStudio({
  params: new URLSearchParams(location.search),
  storage: localStorage,
});
// The test API loads only when asked for, beside the first render (tests wait for `__studio`).
if (testApiRequested()) void import('./testApi.ts').then((m) => m.installTestApi(studio));

createRoot(root).render(
  <StrictMode>
    <StudioProvider studio={studio}>
      <App />
    </StudioProvider>
  </StrictMode>,
);
