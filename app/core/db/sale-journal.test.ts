// The sale journal survives what a power cut does to a file: a last line cut off mid-write is
// ignored and cut before the next record; a whole line that fails its checksum is damage;
// a mark settles everything before it.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../test-support';
import { formatJournalLine, parseJournal, SaleJournal } from './sale-journal';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const at = '2026-12-05T08:00:00.000Z';
const sale = (seq: number) => ({
  k: 'sale' as const,
  seq,
  id: `s${seq}`,
  number: `T01-${String(seq).padStart(6, '0')}`,
  at,
});

function journalFile(): string {
  const dir = makeTempDir('pos-journal-');
  dirs.push(dir);
  return join(dir, 'terminal.sale-journal');
}

describe('sale journal', () => {
  it('round-trips sales and marks, tracking the high-water mark', () => {
    const text = [sale(1), sale(2), { k: 'mark' as const, floor: 102, why: 'ack' as const, at, by: 'tech' }, sale(103)]
      .map(formatJournalLine)
      .join('');
    const j = parseJournal(text);
    expect(j.salesSinceMark.map((s) => s.seq)).toEqual([103]);
    expect(j.lastMark?.floor).toBe(102);
    expect(j.highWater).toBe(103);
    expect(j.damagedLines).toEqual([]);
    expect(j.tornTail).toBe(false);
  });

  it('counts a line whose checksum fails as damage, until a later mark', () => {
    const lines = [sale(1), sale(2), sale(3)].map(formatJournalLine);
    lines[1] = lines[1]!.replace('"seq":2', '"seq":9');
    expect(parseJournal(lines.join('')).damagedLines).toEqual([2]);
    expect(
      parseJournal(lines.join('') + formatJournalLine({ k: 'mark', floor: 200, why: 'ack', at })).damagedLines,
    ).toEqual([]);
  });

  it('ignores a torn last line and cuts it before appending, so the next record reads cleanly', () => {
    const file = journalFile();
    const j = new SaleJournal(file);
    j.append(sale(1));
    j.close();
    appendFileSync(file, formatJournalLine(sale(2)).slice(0, 20)); // power cut mid-write
    expect(parseJournal(readFileSync(file, 'utf8'))).toMatchObject({ tornTail: true, damagedLines: [], highWater: 1 });
    const k = new SaleJournal(file);
    k.append(sale(2));
    k.close();
    expect(k.read()).toMatchObject({ tornTail: false, damagedLines: [], highWater: 2 });
  });

  it('rewrites atomically into a single mark', () => {
    const file = journalFile();
    writeFileSync(file, [sale(1), sale(2)].map(formatJournalLine).join(''));
    const j = new SaleJournal(file);
    j.rewrite([{ k: 'mark', floor: 2, why: 'compact', at }]);
    expect(j.read()).toMatchObject({ records: 1, highWater: 2, salesSinceMark: [] });
  });

  it('never throws on garbage', () => {
    expect(parseJournal('\u0000\u0001garbage\n{"k":"sale"}\tzz\n').damagedLines).toEqual([1, 2]);
  });
});

describe('sale journal (properties)', () => {
  it('any cut of a valid journal reads as its complete lines, never as damage', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (seqs, cutAt) => {
          const text = seqs.map((q) => formatJournalLine(sale(q))).join('');
          const cut = text.slice(0, cutAt % (text.length + 1));
          const j = parseJournal(cut);
          const whole = cut.split('\n').length - 1;
          expect(j.damagedLines).toEqual([]);
          expect(j.salesSinceMark.map((s) => s.seq)).toEqual(seqs.slice(0, whole));
        },
      ),
    );
  });

  it('changing one character of a record is caught (damage or torn), never read as another sale', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.nat(),
        fc.integer({ min: 33, max: 126 }),
        (seq, pos, code) => {
          const line = formatJournalLine(sale(seq));
          const i = pos % (line.length - 1); // keep the newline
          fc.pre(line.charCodeAt(i) !== code);
          const changed = line.slice(0, i) + String.fromCharCode(code) + line.slice(i + 1);
          const j = parseJournal(changed);
          expect(j.salesSinceMark).toEqual([]);
          expect(j.damagedLines).toEqual([1]);
        },
      ),
    );
  });
});
