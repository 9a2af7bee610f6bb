import { readFileSync } from 'node:fs';
import { descendantsOf } from '../../test/e2e/support/processTree';

/** Resident memory of Chromium's renderer processes started under this process, MB (Linux /proc). */
export function rendererRssMb(): number | null {
  let kb = 0;
  let found = 0;
  for (const p of descendantsOf(process.pid)) {
    try {
      if (!readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
      if (rss) {
        kb += Number(rss[1]);
        found += 1;
      }
    } catch {
      // the process ended while it was read
    }
  }
  return found > 0 ? Math.round(kb / 1024) : null;
}
