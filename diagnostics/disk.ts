// Free space on the disk that holds a data folder (the folder's disk, or / before it exists).
import { existsSync, statfsSync } from 'node:fs';
import { check, type Check } from './checks';

const MB = 1024 * 1024;

export function diskCheck(dir: string): Check {
  const at = existsSync(dir) ? dir : '/';
  const s = statfsSync(at);
  const free = s.bavail * s.bsize;
  const text = `${Math.round(free / MB)} MB free on the data disk (${at})`;
  if (free < 200 * MB)
    return check(
      'disk',
      'fail',
      text,
      'Free disk space: delete old logs or exports; at least 200 MB is needed to keep working safely.',
    );
  if (free < 1024 * MB) return check('disk', 'warn', text, 'Less than 1 GB free: plan a clean-up.');
  return check('disk', 'pass', text);
}
