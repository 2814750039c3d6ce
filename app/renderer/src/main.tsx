// Renderer entry: mounts the till app. The same bundle runs in Electron and in a browser.
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './app';
import { createClient } from './api';

const el = document.getElementById('root');
if (!el) throw new Error('index.html has no #root');
createRoot(el).render(<App api={createClient()} />);
