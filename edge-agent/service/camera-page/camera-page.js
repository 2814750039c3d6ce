// The technician's camera page (served by the edge agent at /setup/cameras; docs/footfall.md):
// add a camera and test its connection, draw the counting line, the door region and zones on a
// face-blurred picture, save through PUT /cameras, and watch tracks and counts in a test walk.
// Plain browser JavaScript, no build step: the agent serves this file as it is.
/* global document, window, Image, HTMLElement */

const $ = (id) => document.getElementById(id);
const canvas = $('view');
const ctx = canvas.getContext('2d');

/** Error codes in the technician's words; the agent's English detail follows in brackets. */
const ERROR_TEXT = {
  UNAUTHENTICATED: '令牌不对 · The admin token is wrong',
  FORBIDDEN: '此设备不支持该操作 · Not available on this agent',
  INPUT_NOT_ALLOWED: '不允许的视频源 · This video source is not allowed',
  INPUT_NOT_FOUND: '找不到视频源 · Video source not found',
  INPUT_NOT_VIDEO: '不是可读取的视频 · Not a readable video',
  SOURCE_FAILED: '摄像头没有画面 · No picture from the camera',
  CONFIG_INVALID: '配置无效 · The settings are not valid',
  BAD_REQUEST: '请求无效 · The request is not valid',
  NOT_FOUND: '没有找到 · Not found',
  FFMPEG_MISSING: '找不到 ffmpeg · ffmpeg is missing',
  INTERNAL: '内部错误 · Internal error',
};

const state = {
  token: sessionStorage.getItem('edge-admin-token') ?? '',
  cameras: [],
  /** The camera being edited (a config as GET /cameras shows it, or a new one). */
  draft: null,
  picture: null,
  frame: { width: 640, height: 360 },
  tool: null,
  drag: null,
  zonePoints: [],
  live: null,
  walking: false,
  walkTimer: null,
  pictureAt: 0,
};

function say(text, kind = '') {
  const el = $('status');
  el.textContent = text;
  el.className = kind;
}

class AgentCallError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function sayError(e) {
  if (e instanceof AgentCallError) say(`${ERROR_TEXT[e.code] ?? e.code}（${e.message}）`, 'error');
  else say(`连接失败 · Cannot reach the agent（${e.message}）`, 'error');
}

async function call(method, path, body, asImage = false) {
  const r = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${state.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!r.ok) {
    const j = await r.json().catch(() => null);
    throw new AgentCallError(j?.error?.code ?? `HTTP_${r.status}`, j?.error?.message ?? r.statusText);
  }
  if (!asImage) return r.json();
  const blob = await r.blob();
  const img = new Image();
  const url = URL.createObjectURL(blob);
  await new Promise((resolve, reject) => {
    img.onload = resolve;
    img.onerror = () => reject(new Error('picture could not be shown'));
    img.src = url;
  });
  URL.revokeObjectURL(url);
  return { img, width: Number(r.headers.get('x-frame-width')), height: Number(r.headers.get('x-frame-height')) };
}

// ---- camera list and form -------------------------------------------------------------------

function newCamera() {
  const n = state.cameras.length + 1;
  return {
    id: `door${n}`,
    input: '',
    fps: 6,
    width: 640,
    line: null,
    zones: [],
    enabled: true,
    realtime: true,
  };
}

function fillForm(cam) {
  $('cam-id').value = cam.id;
  $('cam-input').value = cam.input;
  $('cam-width').value = cam.width ?? '';
  $('cam-fps').value = cam.fps ?? 6;
  $('cam-enabled').checked = cam.enabled !== false;
  $('cam-realtime').checked = cam.realtime !== false;
}

function readForm() {
  const d = state.draft;
  d.id = $('cam-id').value.trim();
  d.input = $('cam-input').value.trim();
  const w = Number($('cam-width').value);
  if (w > 0) d.width = Math.round(w);
  else delete d.width;
  d.fps = Number($('cam-fps').value) || 6;
  d.enabled = $('cam-enabled').checked;
  d.realtime = $('cam-realtime').checked;
}

function listCameras(selectId) {
  const sel = $('camera');
  sel.replaceChildren();
  for (const c of state.cameras) {
    const o = document.createElement('option');
    o.value = c.id;
    o.textContent = `${c.id}${c.enabled === false ? '（停用 off）' : ''}`;
    sel.append(o);
  }
  if (selectId) sel.value = selectId;
}

async function connect() {
  state.token = $('token').value.trim();
  sessionStorage.setItem('edge-admin-token', state.token);
  try {
    const r = await call('GET', '/cameras');
    state.cameras = r.cameras;
    listCameras(state.cameras[0]?.id);
    if (state.cameras[0]) await selectCamera(state.cameras[0].id);
    else startNew();
    say(`已连接 · Connected: ${state.cameras.length} camera(s)`, 'ok');
  } catch (e) {
    sayError(e);
  }
}

function startNew() {
  stopWalk();
  state.draft = newCamera();
  state.picture = null;
  fillForm(state.draft);
  draw();
  say('新摄像头：填写视频源后测试连接 · New camera: type its input, then Test connection');
  $('cam-input').focus();
}

async function selectCamera(id) {
  stopWalk();
  const cam = state.cameras.find((c) => c.id === id);
  if (!cam) return;
  state.draft = structuredClone(cam);
  fillForm(state.draft);
  state.picture = null;
  draw();
  await refreshPicture(true);
}

// ---- pictures -------------------------------------------------------------------------------

function showPicture(p) {
  state.picture = p.img;
  if (p.width > 0 && p.height > 0) state.frame = { width: p.width, height: p.height };
  canvas.width = state.frame.width;
  canvas.height = state.frame.height;
  draw();
}

async function probe() {
  readForm();
  if (!state.draft.input) return say('请填写视频源 · Type the camera input first', 'error');
  say('正在测试连接… · Testing the connection…');
  try {
    const p = await call(
      'POST',
      '/cameras/probe',
      { input: state.draft.input, ...(state.draft.width ? { width: state.draft.width } : {}) },
      true,
    );
    showPicture(p);
    if (!state.draft.line) {
      // A starting line across the lower middle of the picture, to be redrawn.
      const { width: w, height: h } = state.frame;
      state.draft.line = {
        x1: Math.round(w * 0.15),
        y1: Math.round(h * 0.6),
        x2: Math.round(w * 0.85),
        y2: Math.round(h * 0.6),
      };
      draw();
    }
    say(`连接正常 · Connected: ${p.width}×${p.height}. 画计数线 · Now draw the line (L).`, 'ok');
  } catch (e) {
    sayError(e);
  }
}

/** The running camera's newest picture (faces blurred by the agent). */
async function refreshPicture(announce) {
  const id = state.draft?.id;
  if (!id || !state.cameras.some((c) => c.id === id)) return;
  for (let i = 0; i < (announce ? 6 : 1); i++) {
    try {
      showPicture(await call('GET', `/cameras/${encodeURIComponent(id)}/snapshot`, undefined, true));
      state.pictureAt = Date.now();
      return;
    } catch (e) {
      if (!(e instanceof AgentCallError && e.code === 'NOT_FOUND') || i === 5) {
        if (announce) sayError(e);
        return;
      }
      await new Promise((r) => setTimeout(r, 700));
    }
  }
}

// ---- drawing ----------------------------------------------------------------------------------

/** Mouse position in frame pixels (the canvas is the frame's size, shown scaled). */
function framePoint(ev) {
  const r = canvas.getBoundingClientRect();
  const x = ((ev.clientX - r.left) * canvas.width) / r.width;
  const y = ((ev.clientY - r.top) * canvas.height) / r.height;
  return {
    x: Math.round(Math.min(canvas.width, Math.max(0, x))),
    y: Math.round(Math.min(canvas.height, Math.max(0, y))),
  };
}

/**
 * The "in" arrow: the counter counts in when a person crosses to the right-hand side of
 * (x1,y1)→(x2,y2) with y pointing down, i.e. along the normal (−dy, dx).
 */
function inArrow(line, length) {
  const dx = line.x2 - line.x1;
  const dy = line.y2 - line.y1;
  const n = Math.hypot(dx, dy) || 1;
  const mx = (line.x1 + line.x2) / 2;
  const my = (line.y1 + line.y2) / 2;
  return { from: { x: mx, y: my }, to: { x: mx + (-dy / n) * length, y: my + (dx / n) * length } };
}

function arrowHead(from, to, size) {
  const a = Math.atan2(to.y - from.y, to.x - from.x);
  ctx.beginPath();
  ctx.moveTo(to.x, to.y);
  ctx.lineTo(to.x - size * Math.cos(a - 0.5), to.y - size * Math.sin(a - 0.5));
  ctx.lineTo(to.x - size * Math.cos(a + 0.5), to.y - size * Math.sin(a + 0.5));
  ctx.closePath();
  ctx.fill();
}

function draw() {
  const W = canvas.width;
  const H = canvas.height;
  const u = Math.max(1, W / 640);
  ctx.clearRect(0, 0, W, H);
  if (state.picture) ctx.drawImage(state.picture, 0, 0, W, H);
  else {
    ctx.fillStyle = '#333';
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = '#ccc';
    ctx.font = `${16 * u}px sans-serif`;
    ctx.fillText('没有画面：测试连接 · No picture yet: Test connection', 16 * u, 30 * u);
  }
  const d = state.draft;
  if (!d) return;
  // door region
  if (d.roi) {
    ctx.setLineDash([8 * u, 6 * u]);
    ctx.strokeStyle = '#ffd34d';
    ctx.lineWidth = 2 * u;
    ctx.strokeRect(d.roi.x, d.roi.y, d.roi.width, d.roi.height);
    ctx.setLineDash([]);
  }
  // zones
  ctx.lineWidth = 2 * u;
  for (const z of d.zones ?? []) polygon(z.polygon, 'rgba(80,200,255,0.25)', '#50c8ff', z.name);
  if (state.zonePoints.length) polygon(state.zonePoints, null, '#50c8ff', null, true);
  // line and the "in" arrow
  if (d.line) {
    ctx.strokeStyle = '#ff3b30';
    ctx.lineWidth = 3 * u;
    ctx.beginPath();
    ctx.moveTo(d.line.x1, d.line.y1);
    ctx.lineTo(d.line.x2, d.line.y2);
    ctx.stroke();
    const a = inArrow(d.line, 40 * u);
    ctx.strokeStyle = ctx.fillStyle = '#34c759';
    ctx.beginPath();
    ctx.moveTo(a.from.x, a.from.y);
    ctx.lineTo(a.to.x, a.to.y);
    ctx.stroke();
    arrowHead(a.from, a.to, 12 * u);
    ctx.font = `bold ${16 * u}px sans-serif`;
    ctx.fillText('进 in', a.to.x + 6 * u, a.to.y + 6 * u);
  }
  // test walk: tracks
  if (state.walking && state.live) {
    ctx.font = `${13 * u}px sans-serif`;
    for (const t of state.live.tracks ?? []) {
      const colour = t.state === 'tentative' ? '#aaaaaa' : t.state === 'lost' ? '#ff9500' : '#00e0ff';
      ctx.strokeStyle = ctx.fillStyle = colour;
      ctx.lineWidth = 2 * u;
      ctx.strokeRect(t.box.x, t.box.y, t.box.width, t.box.height);
      ctx.fillText(`#${t.id}`, t.box.x + 3 * u, t.box.y + 14 * u);
      // the anchor the counter uses (bottom centre by default)
      ctx.beginPath();
      ctx.arc(t.box.x + t.box.width / 2, t.box.y + t.box.height, 4 * u, 0, Math.PI * 2);
      ctx.fill();
    }
  }
}

function polygon(points, fill, stroke, name, open = false) {
  if (points.length === 0) return;
  ctx.beginPath();
  ctx.moveTo(points[0].x, points[0].y);
  for (const p of points.slice(1)) ctx.lineTo(p.x, p.y);
  if (!open) ctx.closePath();
  if (fill) {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  ctx.strokeStyle = stroke;
  ctx.stroke();
  if (name) {
    ctx.fillStyle = stroke;
    ctx.fillText(name, points[0].x + 4, points[0].y + 14);
  }
}

function setTool(tool) {
  state.tool = state.tool === tool ? null : tool;
  state.zonePoints = [];
  for (const b of document.querySelectorAll('[data-tool]'))
    b.setAttribute('aria-pressed', String(b.dataset.tool === state.tool));
  draw();
}

canvas.addEventListener('mousedown', (ev) => {
  if (!state.draft || (state.tool !== 'line' && state.tool !== 'roi')) return;
  state.drag = { from: framePoint(ev), tool: state.tool };
});
canvas.addEventListener('mousemove', (ev) => {
  if (!state.drag) return;
  applyDrag(framePoint(ev), false);
});
window.addEventListener('mouseup', (ev) => {
  if (!state.drag) return;
  applyDrag(framePoint(ev), true);
  state.drag = null;
});

function applyDrag(to, done) {
  const { from, tool } = state.drag;
  if (tool === 'line') {
    if (done && Math.hypot(to.x - from.x, to.y - from.y) < 5) return;
    state.draft.line = { x1: from.x, y1: from.y, x2: to.x, y2: to.y };
  } else {
    const roi = {
      x: Math.min(from.x, to.x),
      y: Math.min(from.y, to.y),
      width: Math.abs(to.x - from.x),
      height: Math.abs(to.y - from.y),
    };
    if (done && (roi.width < 16 || roi.height < 16)) {
      say('门区域至少 16×16 像素 · The door region must be at least 16×16 px', 'error');
      return draw();
    }
    state.draft.roi = roi;
  }
  draw();
  if (done)
    say(tool === 'line' ? '计数线已画好，记得保存 · Line drawn; Save to use it' : '门区域已画好 · Door region drawn');
}

canvas.addEventListener('click', (ev) => {
  if (state.tool !== 'zone' || !state.draft) return;
  state.zonePoints.push(framePoint(ev));
  draw();
});
canvas.addEventListener('dblclick', () => closeZone());

function closeZone() {
  if (state.tool !== 'zone') return;
  // a double-click also added its two clicks' points: drop repeats
  const pts = state.zonePoints.filter((p, i, a) => i === 0 || Math.hypot(p.x - a[i - 1].x, p.y - a[i - 1].y) > 3);
  if (pts.length < 3) return say('区域至少三个点 · A zone needs at least 3 corners', 'error');
  const name = (window.prompt('区域名称 Zone name', `zone${(state.draft.zones?.length ?? 0) + 1}`) ?? '').trim();
  if (!name) return;
  state.draft.zones = [...(state.draft.zones ?? []), { name: name.slice(0, 40), polygon: pts }];
  state.zonePoints = [];
  draw();
}

function flip() {
  const l = state.draft?.line;
  if (!l) return;
  state.draft.line = { x1: l.x2, y1: l.y2, x2: l.x1, y2: l.y1 };
  draw();
}

// ---- save -----------------------------------------------------------------------------------

async function save() {
  if (!state.draft) return;
  readForm();
  if (!state.draft.line) return say('请先画计数线 · Draw the counting line first', 'error');
  const others = state.cameras.filter((c) => c.id !== state.draft.id);
  const cameras = [...others, state.draft];
  try {
    const r = await call('PUT', '/cameras', { cameras });
    state.cameras = r.cameras;
    listCameras(state.draft.id);
    state.draft = structuredClone(state.cameras.find((c) => c.id === state.draft.id) ?? state.draft);
    say(`已保存 · Saved: camera ${state.draft.id} counts with this line now`, 'ok');
  } catch (e) {
    sayError(e);
  }
}

// ---- test walk and health ---------------------------------------------------------------------

function showHealth(h) {
  const rows = [];
  const num = (v, unit = '') => (typeof v === 'number' && Number.isFinite(v) ? `${v}${unit}` : '–');
  rows.push(['状态 State', h?.source?.state ?? '–']);
  rows.push(['帧率 fps', num(h?.fps)]);
  rows.push(['丢帧 Dropped frames', num(h?.source?.dropped)]);
  rows.push(['已解码 Frames', num(h?.source?.frames)]);
  rows.push(['最后一帧 Last frame', h?.lastFrameAt ? new Date(h.lastFrameAt).toLocaleTimeString() : '–']);
  rows.push(['检测耗时 Detector latency', num(h?.inferenceMs, ' ms')]);
  rows.push(['重连 Reconnects', num(h?.source?.reconnects)]);
  // Figures the agent adds later (per-camera detector queue, …) show as they come.
  const known = new Set(['id', 'input', 'source', 'pipeline', 'fps', 'inferenceMs', 'totals', 'lastFrameAt']);
  for (const [k, v] of Object.entries(h ?? {})) if (!known.has(k) && typeof v === 'number') rows.push([k, num(v)]);
  if (h?.source?.lastError) rows.push(['错误 Error', `${h.source.lastError.code}: ${h.source.lastError.message}`]);
  const body = $('health').tBodies[0];
  body.replaceChildren(
    ...rows.map(([k, v]) => {
      const tr = document.createElement('tr');
      const a = document.createElement('td');
      const b = document.createElement('td');
      a.textContent = k;
      b.textContent = v;
      tr.append(a, b);
      return tr;
    }),
  );
}

async function pollLive() {
  const id = state.draft?.id;
  if (!state.walking || !id) return;
  try {
    state.live = await call('GET', `/cameras/${encodeURIComponent(id)}/live`);
    $('count-in').textContent = String(state.live.totals?.in ?? 0);
    $('count-out').textContent = String(state.live.totals?.out ?? 0);
    showHealth(state.live.health);
    if (Date.now() - state.pictureAt > 1500) await refreshPicture(false);
    draw();
  } catch (e) {
    sayError(e);
  }
  if (state.walking) state.walkTimer = setTimeout(pollLive, 500);
}

function startWalk() {
  if (!state.draft || !state.cameras.some((c) => c.id === state.draft.id))
    return say('先保存摄像头 · Save the camera first', 'error');
  state.walking = true;
  $('walk').setAttribute('aria-pressed', 'true');
  $('walk').firstChild.textContent = '停止试走 Stop test walk ';
  say('试走中：走过门口 · Test walk: walk through the door');
  void pollLive();
}

function stopWalk() {
  state.walking = false;
  clearTimeout(state.walkTimer);
  $('walk').setAttribute('aria-pressed', 'false');
  $('walk').firstChild.textContent = '开始试走 Start test walk ';
  draw();
}

// ---- wiring -----------------------------------------------------------------------------------

$('token').value = state.token;
$('connect').addEventListener('click', () => void connect());
$('token').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter') void connect();
});
$('camera').addEventListener('change', (ev) => void selectCamera(ev.target.value));
$('new-camera').addEventListener('click', startNew);
for (const b of document.querySelectorAll('[data-tool]')) b.addEventListener('click', () => setTool(b.dataset.tool));
$('flip').addEventListener('click', flip);
$('clear-zones').addEventListener('click', () => {
  if (state.draft) state.draft.zones = [];
  draw();
});
$('clear-roi').addEventListener('click', () => {
  if (state.draft) delete state.draft.roi;
  draw();
});
$('probe').addEventListener('click', () => void probe());
$('save').addEventListener('click', () => void save());
$('walk').addEventListener('click', () => (state.walking ? stopWalk() : startWalk()));

// Keyboard: single letters act unless the technician is typing in a field.
window.addEventListener('keydown', (ev) => {
  const typing = ev.target instanceof HTMLElement && /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName);
  if (ev.key === 'Escape') {
    state.drag = null;
    state.zonePoints = [];
    return draw();
  }
  if (ev.key === 'Enter' && state.tool === 'zone' && !typing) return closeZone();
  if (typing || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const k = ev.key.toLowerCase();
  if (k === 'l') setTool('line');
  else if (k === 'r') setTool('roi');
  else if (k === 'z') setTool('zone');
  else if (k === 'f') flip();
  else if (k === 's') void save();
  else if (k === 'c') void probe();
  else if (k === 't') $('walk').click();
});

draw();
if (state.token) void connect();
else $('token').focus();
