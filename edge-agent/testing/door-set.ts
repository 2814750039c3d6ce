// Writes the generated door-video set into a directory and returns each file with its ground truth.
import { join } from 'node:path';
import { DOOR, doorScenarios, expectedCounts, writeDoorVideo, type Scenario, type VideoSpec } from './door-video';
import { loadSprites } from './person-sprites';

export const SPRITE_HEIGHT = 150;

export interface DoorClip {
  name: string;
  path: string;
  scenario: Scenario;
  expected: { in: number; out: number };
  spec: VideoSpec;
}

export async function writeDoorSet(
  dir: string,
  only?: string[],
  spec: VideoSpec = DOOR,
  scenarios: Scenario[] = doorScenarios(),
): Promise<DoorClip[]> {
  const sprites = await loadSprites(SPRITE_HEIGHT);
  const clips: DoorClip[] = [];
  for (const s of scenarios) {
    if (only && !only.includes(s.name)) continue;
    const path = join(dir, `${s.name}.mp4`);
    await writeDoorVideo(path, spec, sprites, s);
    clips.push({ name: s.name, path, scenario: s, expected: expectedCounts(s, spec.line), spec });
  }
  return clips;
}

export function lineArg(spec: VideoSpec = DOOR): string {
  const l = spec.line;
  return `${l.x1},${l.y1},${l.x2},${l.y2}`;
}
