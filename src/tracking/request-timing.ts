// When Discord answered the requests of a job the request gate counted. The gate counts a request
// until a window after it is over (budget.ts). "Over" was when the whole job was: the answer's body
// read, the store written, the waiters told, each step queued behind everything else a busy event
// loop had to do. At 10,000 tasks in flight that kept each result's place in the global window for
// longer than Discord does, and results went out at 40 a second of the 45 the gate allows. Discord
// counts a request when it arrives, before its answer reaches us, so the time the last answer's
// headers arrived is still a safe end for the count, and an earlier one. A job that sent nothing,
// or a request that got no answer (a network error, a timeout), ends when the job does, as before.
import { AsyncLocalStorage } from 'node:async_hooks';

/** The requests one job sent, noted by the REST seam the job's requests go through (answerNotingSend). */
class JobRequests {
  sent = 0;
  answered = 0;
  lastAnswerAt = 0;
  constructor(readonly now: () => number) {}
}

const current = new AsyncLocalStorage<JobRequests>();

export interface AnsweredJob<T> {
  done: T;
  /** When the job's requests were all answered (the last answer), or now when it sent none or one went unanswered. */
  endedAt(): number;
}

/** Runs `job`, noting the requests it sends through answerNotingSend; `now` is the gate's clock. */
export function runNotingAnswers<T>(now: () => number, job: () => T): AnsweredJob<T> {
  const requests = new JobRequests(now);
  const done = current.run(requests, job);
  return {
    done,
    endedAt: () => (requests.sent > 0 && requests.answered === requests.sent ? requests.lastAnswerAt : requests.now()),
  };
}

/** Wraps a request function: a request sent inside runNotingAnswers is noted when sent and when answered. */
export function answerNotingSend<A extends unknown[], R>(send: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    const requests = current.getStore();
    if (!requests) return send(...args);
    requests.sent++;
    const answer = await send(...args);
    requests.answered++;
    requests.lastAnswerAt = requests.now();
    return answer;
  };
}
