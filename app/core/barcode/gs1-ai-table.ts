// GS1 Application Identifier table (the subset retail and food supply chains use) and the
// GS1 "predefined length" rule that lets a parser walk an element string without FNC1
// separators after fixed-length fields. Source: GS1 General Specifications §3 and §7.8.

export interface AiSpec {
  ai: string;
  /** 'n' digits only; 'x' GS1 character set 82. */
  charset: 'n' | 'x';
  min: number;
  max: number;
  /** Last digit is a GS1 mod-10 check digit (GTIN, SSCC, GLN). */
  check?: boolean;
  /** YYMMDD date (DD may be 00 = unspecified day). */
  date?: boolean;
}

// Compact definitions: "AI format" where format is n14, x..20, n3..15 (min..max) or "date".
// A trailing "c" marks a check digit. 4-digit AIs ending in "x" expand to 0–9 (the decimal
// point position, e.g. 310x net weight in kg with x decimals).
const DEFINITIONS = `
00 n18c|01 n14c|02 n14c|03 n14c|10 x..20|11 date|12 date|13 date|15 date|16 date|17 date|20 n2|21 x..20|22 x..20
235 x..28|240 x..30|241 x..30|242 n..6|243 x..20|250 x..30|251 x..30|253 x13..30|254 x..20|255 n13..25
30 n..8|37 n..8
390x n..15|391x n4..18|392x n..15|393x n4..18|394x n4|395x n6
400 x..30|401 x..30|402 n17c|403 x..30|410 n13c|411 n13c|412 n13c|413 n13c|414 n13c|415 n13c|416 n13c|417 n13c
420 x..20|421 x4..12|422 n3|423 n3..15|424 n3|425 n3..15|426 n3|427 x..3
7001 n13|7002 x..30|7003 n10|7004 n..4|7005 x..12|7006 date|7007 n6..12|7008 x..3|7009 x..10|7010 x..2
7020 x..20|7021 x..20|7022 x..20|7023 x..30|710 x..20|711 x..20|712 x..20|713 x..20|714 x..20|715 x..20|716 x..20
8001 n14|8002 x..20|8003 x14..30|8004 x..30|8005 n6|8006 n18|8007 x..34|8008 n8..12|8010 x..30|8011 n..12
8012 x..20|8013 x..25|8017 n18c|8018 n18c|8019 n..10|8020 x..25|8026 n18|8110 x..70|8111 n4|8112 x..70|8200 x..70
90 x..30|91 x..90|92 x..90|93 x..90|94 x..90|95 x..90|96 x..90|97 x..90|98 x..90|99 x..90
`;

// 31xx–36xx: trade measures, all n6 with a decimal position digit.
const MEASURE_PREFIXES = [
  '310',
  '311',
  '312',
  '313',
  '314',
  '315',
  '316',
  '320',
  '321',
  '322',
  '323',
  '324',
  '325',
  '326',
  '327',
  '328',
  '329',
  '330',
  '331',
  '332',
  '333',
  '334',
  '335',
  '336',
  '337',
  '340',
  '341',
  '342',
  '343',
  '344',
  '345',
  '346',
  '347',
  '348',
  '349',
  '350',
  '351',
  '352',
  '353',
  '354',
  '355',
  '356',
  '357',
  '360',
  '361',
  '362',
  '363',
  '364',
  '365',
  '366',
  '367',
  '368',
  '369',
];

function parseFormat(ai: string, fmt: string): AiSpec {
  if (fmt === 'date') return { ai, charset: 'n', min: 6, max: 6, date: true };
  const m = /^([nx])(\d*)(?:\.\.(\d+))?(c?)$/.exec(fmt);
  if (!m) throw new Error(`bad AI format ${ai} ${fmt}`);
  const [, cs, a, b, c] = m;
  const min = a ? Number(a) : 1;
  const max = b ? Number(b) : min;
  return { ai, charset: cs as 'n' | 'x', min, max, ...(c ? { check: true } : {}) };
}

const TABLE = new Map<string, AiSpec>();
for (const entry of DEFINITIONS.split(/[|\n]/)) {
  const t = entry.trim();
  if (!t) continue;
  const [ai, fmt] = t.split(' ') as [string, string];
  if (ai.endsWith('x'))
    for (let d = 0; d <= 9; d++) TABLE.set(ai.slice(0, 3) + d, parseFormat(ai.slice(0, 3) + d, fmt));
  else TABLE.set(ai, parseFormat(ai, fmt));
}
for (const p of MEASURE_PREFIXES)
  for (let d = 0; d <= 9; d++) TABLE.set(p + d, { ai: p + d, charset: 'n', min: 6, max: 6 });

/**
 * GS1 predefined-length table: element strings whose AI starts with these two digits have a
 * fixed total length (AI + data) and need no FNC1 after them. Every other AI ends at FNC1/GS
 * or at the end of the data. Also gives the AI length for AIs this table does not name.
 */
const PREDEFINED: Record<string, { aiLength: number; dataLength: number }> = {
  '00': { aiLength: 2, dataLength: 18 },
  '01': { aiLength: 2, dataLength: 14 },
  '02': { aiLength: 2, dataLength: 14 },
  '03': { aiLength: 2, dataLength: 14 },
  '04': { aiLength: 2, dataLength: 16 },
  '11': { aiLength: 2, dataLength: 6 },
  '12': { aiLength: 2, dataLength: 6 },
  '13': { aiLength: 2, dataLength: 6 },
  '14': { aiLength: 2, dataLength: 6 },
  '15': { aiLength: 2, dataLength: 6 },
  '16': { aiLength: 2, dataLength: 6 },
  '17': { aiLength: 2, dataLength: 6 },
  '18': { aiLength: 2, dataLength: 6 },
  '19': { aiLength: 2, dataLength: 6 },
  '20': { aiLength: 2, dataLength: 2 },
  '31': { aiLength: 4, dataLength: 6 },
  '32': { aiLength: 4, dataLength: 6 },
  '33': { aiLength: 4, dataLength: 6 },
  '34': { aiLength: 4, dataLength: 6 },
  '35': { aiLength: 4, dataLength: 6 },
  '36': { aiLength: 4, dataLength: 6 },
  '41': { aiLength: 3, dataLength: 13 },
};

export function predefinedLength(ai2: string): { aiLength: number; dataLength: number } | undefined {
  return PREDEFINED[ai2];
}

/** The known AI at the start of `s` (tries 2, 3, then 4 digits), or undefined. */
export function lookupAiAt(s: string, pos: number): AiSpec | undefined {
  for (let len = 2; len <= 4; len++) {
    const spec = TABLE.get(s.slice(pos, pos + len));
    if (spec) return spec;
  }
  return undefined;
}

export function lookupAi(ai: string): AiSpec | undefined {
  return TABLE.get(ai);
}

/** GS1 AI character set 82 (GenSpecs Figure 7.11-1): printable ASCII minus space # $ @ [ \ ] ^ ` { | } ~. */
export const CSET82 = /^[!"%-?A-Z_a-z]*$/;
