// How an injected fault is applied to a request: a slow or held answer waits (and is let go when the
// stand-in closes, so no test hangs on a timer or a promise it forgot), an unknown id is answered as the
// dialect answers one, any other fault is written as it is described (./http-replies.ts writeFault).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, sendUnknownId, writeFault } from './http-replies.js';
import type { MjFault, RouteName } from './types.js';

interface Sleeper {
  timer: NodeJS.Timeout;
  wake: () => void;
}

export class FaultPauses {
  private readonly sleepers = new Set<Sleeper>();
  private readonly holds = new Set<() => void>();
  private closedNow = false;

  get closed(): boolean {
    return this.closedNow;
  }

  /** Applies a fault. Returns true when the answer was written (the request is done). */
  async apply(
    fault: MjFault,
    req: IncomingMessage,
    res: ServerResponse,
    route: RouteName,
    requestText = '',
  ): Promise<boolean> {
    if (fault.kind === 'slow') {
      await this.sleep(fault.delayMs);
      return this.closedNow;
    }
    if (fault.kind === 'held') {
      await this.hold(fault.until);
      return this.closedNow;
    }
    if (fault.kind === 'unknownId') {
      if (route === 'list-by-condition') sendJson(res, 200, []);
      else sendUnknownId(res, fault.shape);
      return true;
    }
    writeFault(req, res, fault, requestText);
    return true;
  }

  /** Marks the stand-in closed and wakes every slow and held request. */
  close(): void {
    this.closedNow = true;
    for (const s of this.sleepers) {
      clearTimeout(s.timer);
      s.wake();
    }
    for (const wake of this.holds) wake();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry: { timer?: NodeJS.Timeout; wake: () => void } = {
        wake: () => {
          this.sleepers.delete(entry as Sleeper);
          resolve();
        },
      };
      entry.timer = setTimeout(entry.wake, ms);
      this.sleepers.add(entry as Sleeper);
    });
  }

  private hold(until: Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        this.holds.delete(wake);
        resolve();
      };
      this.holds.add(wake);
      until.then(wake, wake);
    });
  }
}
