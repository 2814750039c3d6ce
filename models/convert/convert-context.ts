// What every op converter shares: the ONNX graph being built, the options, the converted value
// shape, and constants materialised lazily in the form each consumer needs (plain, NCHW
// broadcast operand, NHWC element order). The op families in ./ops/ are written against this.
import { attrFloat, type TfNode, type TfWeight } from './tfjs-graph-model';
import type { OnnxGraphBuilder } from './onnx-graph-builder';
import { PERM_NCHW_TO_NHWC, PERM_NHWC_TO_NCHW, nhwcShapeToNchw, transposeNhwcToNchw } from './layout';

export interface ConvertOptions {
  /** ONNX name for the single graph input; the TF placeholder is found automatically. */
  inputName: string;
  /** Fixed batch size, or a symbolic name when the TF input allows any batch. */
  batch: number | string;
  outputs: { tf: string; name: string; layout: 'NCHW' | 'NHWC' }[];
  /**
   * Run a fully convolutional model at another input size: the placeholder takes this
   * [height, width] and every fixed Resize target is scaled by the same factor.
   */
  inputSize?: [number, number];
  /**
   * 'NHWC' (default): the placeholder is a TF image and the ONNX input is its NCHW form.
   * 'as-is': the placeholder's own shape is the ONNX input (graphs exported from ONNX through
   * onnx-tf take NCHW and transpose inside); inputSize does not apply.
   */
  inputLayout?: 'NHWC' | 'as-is';
  /** Rewrite TF's hard-swish subgraph as ONNX HardSwish (default true). */
  fuseHardSwish?: boolean;
  graphName: string;
  producerVersion: string;
  docString: string;
  metadata: Record<string, string>;
}

export interface ConvertResult {
  bytes: Uint8Array;
  opTypes: string[];
  inputShape: (number | string)[];
  outputShapes: Record<string, (number | string)[]>;
}

/** A converted TF tensor: its logical (TF) shape and either an ONNX value or a constant. */
export interface Value {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  onnx?: string;
  constant?: TfWeight;
}

export const FUSED_ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Prelu', 'Sigmoid', 'Tanh']);

export class UnsupportedTfOpError extends Error {
  constructor(op: string, node: string, supported?: readonly string[]) {
    super(
      `TF op ${op} (node ${node}) is not supported by the converter${supported ? ` (it converts ${supported.join(', ')})` : ''}`,
    );
    this.name = 'UnsupportedTfOpError';
  }
}

/** Converts one TF node, given its already converted inputs, by adding ONNX nodes to cx.g. */
export type OpConverter = (cx: ConvertContext, n: TfNode, inputs: Value[]) => Value;
/** Converters by TF op name, one table per op family. */
export type OpTable = Record<string, OpConverter>;

export class ConvertContext {
  /** Initializers already made from a constant, by `${hint}|${form}`. */
  private readonly materialised = new Map<string, string>();
  /** How much the placeholder was scaled (inputSize); fixed Resize targets scale alike. */
  resizeScale: [number, number] = [1, 1];

  constructor(
    readonly g: OnnxGraphBuilder,
    readonly opts: ConvertOptions,
  ) {}

  constOf(v: Value, what: string): TfWeight {
    if (!v.constant) throw new Error(`${what} must be a constant in the TF graph`);
    return v.constant;
  }

  ints(v: Value, what: string): number[] {
    return Array.from(this.constOf(v, what).data);
  }

  /** ONNX name of a value; constants become initializers in their TF layout. */
  asOnnx(v: Value, hint: string): string {
    if (v.onnx) return v.onnx;
    const c = this.constOf(v, hint);
    const key = `${hint}|plain`;
    const cached = this.materialised.get(key);
    if (cached) return cached;
    const name =
      c.dtype === 'float32'
        ? this.g.addFloatInitializer(hint, c.shape, c.data as Float32Array)
        : this.g.addInt32Initializer(hint, c.shape, c.data);
    this.materialised.set(key, name);
    return name;
  }

  /**
   * ONNX name of an operand that must broadcast against an NCHW rank-4 tensor. Constants are
   * left-padded to rank 4 in TF terms and transposed; rank<4 activations get Unsqueeze+Transpose.
   */
  asNchwOperand(v: Value, hint: string): string {
    if (v.shape.length === 0) return this.asOnnx(v, hint);
    if (v.constant) {
      const key = `${hint}|nchw`;
      const cached = this.materialised.get(key);
      if (cached) return cached;
      const c = v.constant;
      const shape4 = [...Array(4 - c.shape.length).fill(1), ...c.shape] as number[];
      const data = transposeNhwcToNchw(c.data, shape4);
      const name =
        c.dtype === 'float32'
          ? this.g.addFloatInitializer(hint, nhwcShapeToNchw(shape4), data as Float32Array)
          : this.g.addInt32Initializer(hint, nhwcShapeToNchw(shape4), data);
      this.materialised.set(key, name);
      return name;
    }
    if (v.shape.length === 4) return v.onnx as string;
    const pad = 4 - v.shape.length;
    const axes = this.g.addInt64Initializer(
      `${hint}/unsqueeze_axes`,
      [pad],
      Array.from({ length: pad }, (_, i) => i),
    );
    const u = this.g.op('Unsqueeze', [v.onnx as string, axes], `${hint}/rank4`);
    return this.g.op('Transpose', [u], `${hint}/nchw`, { perm: PERM_NHWC_TO_NCHW });
  }

  /** A rank-4 activation in TF's NHWC element order (for Reshape/Squeeze and NHWC outputs). */
  asNhwc(v: Value, hint: string): string {
    const name = this.asOnnx(v, hint);
    if (v.shape.length !== 4 || v.constant) return name;
    return this.g.op('Transpose', [name], `${hint}/nhwc`, { perm: PERM_NCHW_TO_NHWC });
  }

  applyActivation(x: string, act: string, n: TfNode, args: Value[], argIndex: number, out: string): string {
    switch (act) {
      case 'Relu':
        return this.g.op('Relu', [x], out);
      case 'Relu6': {
        const lo = this.g.addFloatInitializer(`${out}/min`, [], new Float32Array([0]));
        const hi = this.g.addFloatInitializer(`${out}/max`, [], new Float32Array([6]));
        return this.g.op('Clip', [x, lo, hi], out);
      }
      case 'Elu':
        return this.g.op('Elu', [x], out, { alpha: { float: 1 } });
      case 'LeakyRelu':
        return this.g.op('LeakyRelu', [x], out, {
          alpha: { float: attrFloat(n, 'leakyrelu_alpha') ?? attrFloat(n, 'alpha') ?? 0.2 },
        });
      case 'Sigmoid':
        return this.g.op('Sigmoid', [x], out);
      case 'Tanh':
        return this.g.op('Tanh', [x], out);
      case 'Prelu': {
        const alpha = args[argIndex];
        if (!alpha) throw new Error(`${n.name}: Prelu without its alpha argument`);
        return this.g.op('PRelu', [x, this.asNchwOperand(alpha, `${n.name}/alpha`)], out);
      }
      default:
        throw new UnsupportedTfOpError(`fused ${act}`, n.name);
    }
  }
}
