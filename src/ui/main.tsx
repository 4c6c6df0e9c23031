import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import { App } from './App.tsx';
import { createStudio } from './studio.ts';
import { StudioProvider } from './StudioProvider.tsx';
import { installTestApi, testApiRequested } from './testApi.ts';
import './App.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// The composition root: the page's studio, from the page's URL and storage.
const studio = createStudio({
  params: new URLSearchParams(location.search),
  storage: localStorage,
});
if (testApiRequested()) installTestApi(studio);

createRoot(root).render(
  <StrictMode>
    <StudioProvider studio={studio}>
      <App />
    </StudioProvider>
  </StrictMode>,
);
