// Hardening for every till window: no navigation, no popups, no permission prompts, a CSP
// on every response, and IPC accepted only from our own top frame.
import type { BrowserWindow, IpcMainInvokeEvent, Session } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function hardenWindow(win: BrowserWindow, allowedUrlPrefix: string): void {
  const wc = win.webContents;
  wc.setWindowOpenHandler(() => ({ action: 'deny' }));
  wc.on('will-navigate', (event, url) => {
    if (!url.startsWith(allowedUrlPrefix)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
}

/** The IPC sender must be one of our windows' top frames showing our own renderer. */
export function isTrustedSender(event: IpcMainInvokeEvent, trustedIds: Set<number>, allowedUrlPrefix: string): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return trustedIds.has(event.sender.id) && frame.url.startsWith(allowedUrlPrefix);
}
