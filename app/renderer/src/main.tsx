// Renderer entry: mounts the till app, or at /#count the phone counting page (盘点 from a phone on
// the store LAN). The same bundle runs in Electron and in a browser.
import { createRoot } from 'react-dom/client';
import './styles.css';
import { App } from './app';
import { createClient } from './api';
import { CountApp } from './screens/count-app';

const el = document.getElementById('root');
if (!el) throw new Error('index.html has no #root');
const api = createClient();
createRoot(el).render(window.location.hash === '#count' ? <CountApp api={api} /> : <App api={api} />);
