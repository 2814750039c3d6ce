// Polygon zones (a queue, a promotion stand): how many tracked people are inside now and how
// long each stayed (dwell). Tracks are anonymous ids; nothing about a person is kept.
import type { Track } from '../tracking';
import { anchorPoint, pointInPolygon, type Anchor, type Point } from './geometry';
import { HysteresisAlarm, type HysteresisAlarmOptions } from './occupancy';

export interface ZoneOptions {
  name: string;
  polygon: Point[];
  anchor?: Anchor;
  alert?: HysteresisAlarmOptions;
}

export interface DwellRecord {
  zone: string;
  trackId: number;
  enteredAt: number;
  leftAt: number;
  seconds: number;
}

export class Zone {
  readonly name: string;
  private readonly polygon: Point[];
  private readonly anchor: Anchor;
  private readonly inside = new Map<number, number>();
  readonly alarm: HysteresisAlarm | null;
  dwellCount = 0;
  dwellSecondsTotal = 0;

  constructor(o: ZoneOptions) {
    if (o.polygon.length < 3) throw new Error(`zone ${o.name}: a polygon needs at least 3 points`);
    this.name = o.name;
    this.polygon = o.polygon;
    this.anchor = o.anchor ?? 'bottom';
    this.alarm = o.alert ? new HysteresisAlarm(o.alert) : null;
  }

  get occupancy(): number {
    return this.inside.size;
  }

  update(
    tracks: readonly Track[],
    at: number,
    removedIds: readonly number[] = [],
  ): { dwells: DwellRecord[]; alert: 'raised' | 'cleared' | null } {
    const dwells: DwellRecord[] = [];
    const leave = (id: number) => {
      const since = this.inside.get(id);
      if (since === undefined) return;
      this.inside.delete(id);
      const seconds = Math.max(0, (at - since) / 1000);
      this.dwellCount++;
      this.dwellSecondsTotal += seconds;
      dwells.push({ zone: this.name, trackId: id, enteredAt: since, leftAt: at, seconds });
    };
    for (const t of tracks) {
      if (t.state !== 'confirmed') continue;
      const inZone = pointInPolygon(anchorPoint(t.box, this.anchor), this.polygon);
      if (inZone && !this.inside.has(t.id)) this.inside.set(t.id, at);
      if (!inZone) leave(t.id);
    }
    for (const id of removedIds) leave(id);
    return { dwells, alert: this.alarm ? this.alarm.update(this.inside.size) : null };
  }
}
