/**
 * What the loader (on the business's page) and the frame (on Parley's origin) say to each other
 * through postMessage. Both sides check the other's origin and window before reading a message;
 * every message carries `parley: 1` so that other scripts' messages are ignored cheaply.
 */

export interface BootOptions {
  user?: { id: string; email?: string; name?: string; hash?: string };
  attributes?: Record<string, unknown>;
}

/** Loader → frame. */
export type ToFrame =
  | { parley: 1; type: 'init'; boot: BootOptions | null; locale: string | null; pageUrl: string; open: boolean }
  | { parley: 1; type: 'boot'; boot: BootOptions }
  | { parley: 1; type: 'shutdown' }
  | { parley: 1; type: 'visibility'; open: boolean }
  | { parley: 1; type: 'locale'; locale: string };

/** Frame → loader. */
export type FromFrame =
  | { parley: 1; type: 'hello' }
  | { parley: 1; type: 'ready'; accent: string; position: 'left' | 'right'; labels: { open: string; close: string } }
  /** The visitor cannot chat here now (identity required or refused, unknown key): no launcher. */
  | { parley: 1; type: 'unavailable' }
  | { parley: 1; type: 'unread'; count: number }
  | { parley: 1; type: 'close' };

export function isProtocolMessage(data: unknown): data is { parley: 1; type: string } {
  return typeof data === 'object' && data !== null && (data as { parley?: unknown }).parley === 1 && typeof (data as { type?: unknown }).type === 'string';
}
