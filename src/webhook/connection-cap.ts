// The receiver's cap on open connections. Refusing every newcomer at the cap (node's own
// server.maxConnections) lets whoever holds the cap's worth of silent sockets lock the proxy's pushes
// out for as long as they keep them, and even a flood that just ended leaves the cap full until the
// server has seen every close. So at the cap the oldest connection with no request in flight is closed
// for the newcomer instead: a real push connects and sends at once, so it is the last to go. Only when
// every open connection is serving a request is the newcomer itself closed.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Keeps at most `max` connections open on `server`; calls `onClosedAtCap` for each connection it closes
 * (an idle one for a newcomer, or the newcomer when none is idle).
 */
export function capConnections(server: Server, max: number, onClosedAtCap: () => void): void {
  // A Set iterates in insertion order: the first idle member is the oldest idle connection.
  const open = new Set<Socket>();
  const serving = new Set<Socket>();

  server.on('connection', (socket: Socket) => {
    if (open.size >= max) {
      const idle = firstIdle(open, serving);
      onClosedAtCap();
      if (idle === undefined) {
        socket.destroy();
        return;
      }
      open.delete(idle);
      idle.destroy();
    }
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      serving.delete(socket);
    });
  });

  server.on('request', (req, res) => {
    const socket = req.socket;
    serving.add(socket);
    // 'close' fires once the answer is sent or the connection is gone, whichever comes first.
    res.once('close', () => serving.delete(socket));
  });
}

function firstIdle(open: Set<Socket>, serving: Set<Socket>): Socket | undefined {
  for (const socket of open) if (!serving.has(socket)) return socket;
  return undefined;
}
