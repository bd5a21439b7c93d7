import { describe, expect, it } from 'vitest';
import { createCloseSignal } from '../../src/tracking/close-signal.js';

describe('the close signal', () => {
  it('gives each wait its outcome and holds nothing once it settled', async () => {
    const signal = createCloseSignal();
    const values = await Promise.all(Array.from({ length: 1_000 }, (_, i) => signal.race(Promise.resolve(i))));
    expect(values).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    await expect(signal.race(Promise.reject(new Error('download failed')))).rejects.toThrow('download failed');
    expect(signal.pending()).toBe(0);
  });

  it('answers the pending waits with null at close, and every later wait at once', async () => {
    const signal = createCloseSignal();
    const never = new Promise<string>(() => {});
    const waits = [signal.race(never), signal.race(never)];
    expect(signal.pending()).toBe(2);
    signal.close();
    await expect(Promise.all(waits)).resolves.toEqual([null, null]);
    await expect(signal.race(never)).resolves.toBeNull();
    expect(signal.pending()).toBe(0);
  });
});
