// `npx tsx models/detect-image.ts <image> [--all]`: runs the person detector on an image file
// and prints the detections as JSON. Handy on a store box to check the camera angle.
import { readFileSync } from 'node:fs';
import { createPersonDetector } from './index';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: tsx models/detect-image.ts <image> [--all]');
  process.exit(2);
}
const detector = await createPersonDetector({ classes: args.includes('--all') ? 'all' : 'person' });
try {
  const detections = await detector.detectImage(readFileSync(file));
  console.log(JSON.stringify({ file, detections }));
} finally {
  await detector.close();
}
