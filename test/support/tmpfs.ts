// Real full and read-only file systems for storage-fault tests: tmpfs mounts, which need root (as the
// development machines and CI run). Where this process may not mount, canMountTmpfs is false and the
// tests that need one are skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const canMountTmpfs: boolean = (() => {
  const probe = mkdtempSync(join(tmpdir(), 'mjtask-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
})();

/** Mounts a tmpfs of `size` (e.g. '1m') at `at`; false where this process may not mount. */
export function mountTmpfs(at: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function unmount(at: string): void {
  execFileSync('umount', [at]);
}
