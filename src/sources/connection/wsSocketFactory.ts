/**
 * A Node `SocketFactory` on the `ws` package, for the CLI and for tests against the exchange
 * simulator. Unlike a browser WebSocket it can see why a handshake failed: the HTTP status of a
 * refused upgrade (403/451 geo-blocks) is reported through `onHttpStatus` before `onclose`.
 */
import WebSocket from 'ws';
import type { SocketFactory, SocketLike } from './SocketLike.ts';

/** Close codes an endpoint may send (RFC 6455 §7.4); others would make `ws` throw. */
function sendableCode(code: number | undefined): boolean {
  return code === undefined || code === 1000 || (code >= 3000 && code <= 4999);
}

/** Opens a `ws` WebSocket behind the browser-shaped {@link SocketLike} interface. */
export const wsSocketFactory: SocketFactory = (url, onHttpStatus) => {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    send: (data) => ws.send(data),
    close(code, reason) {
      if (sendableCode(code)) ws.close(code, reason);
      else ws.terminate();
    },
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
  ws.on('open', () => socket.onopen?.({}));
  ws.on('message', (data, isBinary) => {
    // Venues send text frames; `ws` hands them over as Buffers.
    socket.onmessage?.({ data: isBinary ? data : String(data) });
  });
  ws.on('error', (err) => socket.onerror?.(err));
  ws.on('close', (code, reason) => socket.onclose?.({ code, reason: String(reason) }));
  ws.on('unexpected-response', (req, res) => {
    // After terminate() the request or response socket may still report ECONNRESET: expected
    // here, and an 'error' with no listener would crash the process (seen under load in CI).
    req.on('error', () => {});
    res.on('error', () => {});
    onHttpStatus?.(res.statusCode ?? 0);
    res.resume(); // discard the body
    ws.terminate(); // aborts the handshake: 'error' then 'close' (1006) follow
  });
  return socket;
};
