// Builds an ONNX graph in memory (nodes, initializers, graph inputs/outputs) and encodes it as
// a ModelProto with protobufjs and the schema in onnx.proto. Everything is emitted in
// insertion order, so the same conversion always yields byte-identical files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';

export const OPSET = 17;
const IR_VERSION = 8; // IR version that goes with opset 17

export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type OnnxDataType = (typeof DataType)[keyof typeof DataType];

const AttrType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export type AttrValue = number | string | number[] | { float: number } | { floats: number[] };

interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}

interface OnnxNode {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  attribute: OnnxAttribute[];
}

interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

export interface ValueInfo {
  name: string;
  dataType: OnnxDataType;
  /** Numbers are fixed sizes; strings are symbolic (e.g. 'batch'). */
  shape: (number | string)[];
}

let cachedRoot: protobuf.Root | undefined;
function schema(): protobuf.Root {
  cachedRoot ??= protobuf.parse(readFileSync(join(import.meta.dirname, 'onnx.proto'), 'utf8'), {
    keepCase: false,
  }).root;
  return cachedRoot;
}

function toAttribute(name: string, v: AttrValue): OnnxAttribute {
  if (typeof v === 'string') return { name, type: AttrType.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use { float } for non-integer ${v}`);
    return { name, type: AttrType.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: AttrType.INTS, ints: v };
  if ('float' in v) return { name, type: AttrType.FLOAT, f: v.float };
  return { name, type: AttrType.FLOATS, floats: v.floats };
}

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private readonly reserved = new Set<string>();
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];

  /** A fresh tensor name derived from `base`, never clashing with earlier ones. */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name) || this.reserved.has(name); i++) name = `${base}__${i}`;
    this.used.add(name);
    return name;
  }

  /** Keeps names (e.g. graph outputs) for later; internal tensors then get suffixed names. */
  reserve(names: string[]): void {
    for (const n of names) this.reserved.add(n);
  }

  /** Uses a reserved name exactly once, for the tensor that really carries it. */
  claim(name: string): string {
    if (!this.reserved.delete(name) || this.used.has(name))
      throw new Error(`name ${name} was not reserved or is taken`);
    this.used.add(name);
    return name;
  }

  addInput(info: ValueInfo): void {
    this.used.add(info.name);
    this.inputs.push(info);
  }

  addOutput(info: ValueInfo): void {
    this.outputs.push(info);
  }

  addNode(
    opType: string,
    inputs: string[],
    outputBase: string,
    attrs: Record<string, AttrValue> = {},
    outputCount = 1,
    exactName = false,
  ): string[] {
    const outputs = Array.from({ length: outputCount }, (_, i) =>
      exactName && i === 0 ? this.claim(outputBase) : this.uniqueName(i === 0 ? outputBase : `${outputBase}:${i}`),
    );
    const attribute = Object.entries(attrs).map(([k, v]) => toAttribute(k, v));
    this.nodes.push({ input: inputs, output: outputs, name: outputs[0] ?? outputBase, opType, attribute });
    return outputs;
  }

  /** Convenience for single-output nodes. */
  op(opType: string, inputs: string[], outputBase: string, attrs: Record<string, AttrValue> = {}): string {
    const [out] = this.addNode(opType, inputs, outputBase, attrs);
    if (out === undefined) throw new Error('unreachable: node without output');
    return out;
  }

  addFloatInitializer(base: string, dims: number[], data: Float32Array): string {
    const name = this.uniqueName(base);
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true);
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: bytes });
    return name;
  }

  addInt64Initializer(base: string, dims: number[], values: number[]): string {
    const name = this.uniqueName(base);
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims, dataType: DataType.INT64, rawData: bytes });
    return name;
  }

  addInt32Initializer(base: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.uniqueName(base);
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i] ?? 0, true);
    this.initializers.push({ name, dims, dataType: DataType.INT32, rawData: bytes });
    return name;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  opTypes(): string[] {
    return [...new Set(this.nodes.map((n) => n.opType))].sort();
  }

  encode(meta: {
    graphName: string;
    producerVersion: string;
    docString: string;
    metadata: Record<string, string>;
  }): Uint8Array {
    const root = schema();
    const ModelProto = root.lookupType('onnx.ModelProto');
    const valueInfo = (v: ValueInfo) => ({
      name: v.name,
      type: {
        tensorType: {
          elemType: v.dataType,
          shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
        },
      },
    });
    const message = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET }],
      producerName: 'edge-pos models/convert',
      producerVersion: meta.producerVersion,
      docString: meta.docString,
      graph: {
        name: meta.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs.map(valueInfo),
        output: this.outputs.map(valueInfo),
      },
      metadataProps: Object.entries(meta.metadata).map(([key, value]) => ({ key, value })),
    };
    const err = ModelProto.verify(message);
    if (err) throw new Error(`ONNX model does not match the schema: ${err}`);
    return ModelProto.encode(ModelProto.fromObject(message)).finish();
  }
}

/** Decodes a ModelProto back into a plain object (tests and tooling). */
export function decodeOnnxModel(bytes: Uint8Array): Record<string, unknown> {
  const ModelProto = schema().lookupType('onnx.ModelProto');
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array }) as Record<string, unknown>;
}
