// The cloud admin's fleet page (served at /admin/fleet; docs/technician.md "Fleet view"): reads
// GET /api/fleet with the admin token typed here and shows one row per store. Plain browser
// JavaScript, no build step.
/* global document, window */

const $ = (id) => document.getElementById(id);
/** A store whose newest sync is older than this is shown in red. */
const STALE_MS = 15 * 60_000;

function say(text, kind = '') {
  $('status').textContent = text;
  $('status').className = kind;
}

const ago = (isoTime, now) => {
  if (!isoTime) return '从未 never';
  const s = Math.max(0, Math.round((now - Date.parse(isoTime)) / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
};

function cell(lines, cls) {
  const td = document.createElement('td');
  for (const l of lines) {
    const div = document.createElement('div');
    div.textContent = l;
    if (cls) div.className = cls;
    td.append(div);
  }
  return td;
}

async function load() {
  const token = $('token').value.trim();
  sessionStorage.setItem('cloud-admin-token', token);
  let r;
  try {
    r = await fetch('/api/fleet', { headers: { authorization: `Bearer ${token}` } });
  } catch (e) {
    return say(`连接失败 · Cannot reach the cloud（${e.message}）`, 'error');
  }
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const code = body?.error?.code ?? `HTTP_${r.status}`;
    return say(
      code === 'UNAUTHENTICATED' ? '令牌不对 · The admin token is wrong' : `${code}（${body?.error?.message ?? ''}）`,
      'error',
    );
  }
  const now = Date.parse(body.at);
  $('at').textContent = `截至 As of ${new Date(body.at).toLocaleString()}`;
  const rows = body.stores.map((s) => {
    const tr = document.createElement('tr');
    tr.dataset.store = s.storeId;
    const stale = !s.lastSyncAt || now - Date.parse(s.lastSyncAt) > STALE_MS;
    tr.append(
      cell([s.storeId]),
      cell([ago(s.lastSyncAt, now)], stale ? 'bad' : ''),
      cell(
        s.hubs.map(
          (h) => `${h.id} · ${h.version ?? '?'}${h.revoked ? '（已吊销 revoked）' : ''} · ${ago(h.lastSeenAt, now)}`,
        ),
      ),
      cell(
        s.tills.map(
          (t) => `${t.id} · ${t.version ?? '?'} · ${ago(t.lastSyncAt, now)}${t.revoked ? '（已吊销 revoked）' : ''}`,
        ),
      ),
      cell(
        s.alerts.map((a) => `${a.device} ${a.source}: ${a.code}`),
        'warn',
      ),
      cell(
        s.camerasOffline.map((c) => `${c.hub}/${c.camera}: ${c.state}`),
        'bad',
      ),
    );
    return tr;
  });
  $('fleet').tBodies[0].replaceChildren(...rows);
  say(`${body.stores.length} 家门店 stores`);
}

$('token').value = sessionStorage.getItem('cloud-admin-token') ?? '';
$('load').addEventListener('click', () => void load());
$('token').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') void load();
});
window.addEventListener('keydown', (ev) => {
  if (ev.key.toLowerCase() === 'r' && !(ev.target instanceof window.HTMLInputElement)) void load();
});
if ($('token').value) void load();
else $('token').focus();
