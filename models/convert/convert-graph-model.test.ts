// The converter against tfjs on small synthetic graphs that exercise what the shipped models
// do not: odd sizes with SAME padding, uint8/uint16/float16 weights, PReLU/LeakyReLU/Relu6
// fusions, depthwise multipliers, all three resize sampling modes, pooling, Pad, Concat,
// Mean with and without keep_dims, Reshape across layouts, a fused MatMul head and the
// hard-swish rewrite; and an onnx-tf style graph (NCHW input taken as is, Transposes).
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertGraphModel, SUPPORTED_TF_OPS, UnsupportedTfOpError } from './convert-graph-model';
import { parseTfjsGraphModel } from './tfjs-graph-model';
import { loadTfjsReferenceFrom } from '../testing';
import { SyntheticGraph, attr, seeded } from '../testing';
import { maxAbsDiff, nchwToNhwc } from '../testing';

const conv = (padding: string, stride: number, fused: string[]) => ({
  data_format: attr.s('NHWC'),
  padding: attr.s(padding),
  strides: attr.ints([1, stride, stride, 1]),
  dilations: attr.ints([1, 1, 1, 1]),
  fused_ops: attr.strs(fused),
  num_args: attr.i(fused.includes('Prelu') ? 2 : fused.length ? 1 : 0),
});

function buildGraph(): SyntheticGraph {
  const g = new SyntheticGraph();
  const x = g.input('x', [1, 13, 15, 3]);
  const c1 = g.op(
    'c1',
    '_FusedConv2D',
    [
      x,
      g.const('w1', [3, 3, 3, 4], seeded(108, 1), 'float32', 'uint8'),
      g.const('b1', [4], seeded(4, 2)),
      g.const('alpha1', [4], [0.1, 0.2, 0.3, 0.25]),
    ],
    conv('SAME', 2, ['BiasAdd', 'Prelu']),
  );
  const d1 = g.op(
    'd1',
    'DepthwiseConv2dNative',
    [c1, g.const('wd1', [3, 3, 4, 2], seeded(72, 3), 'float32', 'float16')],
    conv('SAME', 2, []),
  );
  const f1 = g.op(
    'f1',
    'FusedDepthwiseConv2dNative',
    [c1, g.const('wd2', [3, 3, 4, 1], seeded(36, 4)), g.const('bd2', [4], seeded(4, 5))],
    conv('SAME', 1, ['BiasAdd', 'Relu6']),
  );
  const c2 = g.op(
    'c2',
    '_FusedConv2D',
    [f1, g.const('w2', [1, 1, 4, 6], seeded(24, 6), 'float32', 'uint16'), g.const('b2', [6], seeded(6, 7))],
    { ...conv('VALID', 1, ['BiasAdd', 'LeakyRelu']), leakyrelu_alpha: attr.f(0.1) },
  );
  const m1 = g.op('m1', 'Mul', [c2, g.const('k6', [6], [1, 2, 3, -1, 0.5, 4])]);
  const s1 = g.op('s1', 'Sub', [m1, g.const('half', [], [0.5])]);
  const mn = g.op('mn', 'Minimum', [s1, g.const('cap', [1, 1, 1, 6], [1, 1.5, 2, 2.5, 3, 3.5])]);
  const mx = g.op('mx', 'Maximum', [mn, g.const('floor', [], [-1])]);
  const r1 = g.op('r1', 'ResizeBilinear', [mx, g.const('size1', [2], [11, 13], 'int32')], {
    align_corners: attr.b(true),
    half_pixel_centers: attr.b(false),
  });
  g.op('r2', 'ResizeBilinear', [mx, g.const('size2', [2], [4, 5], 'int32')], {
    align_corners: attr.b(false),
    half_pixel_centers: attr.b(true),
  });
  g.op('r3', 'ResizeNearestNeighbor', [mx, g.const('size3', [2], [14, 16], 'int32')], {
    align_corners: attr.b(false),
    half_pixel_centers: attr.b(true),
  });
  g.op('r4', 'ResizeBilinear', [mx, g.const('size4', [2], [10, 12], 'int32')], {
    align_corners: attr.b(false),
    half_pixel_centers: attr.b(false),
  });
  const pool = (padding: string) => ({
    data_format: attr.s('NHWC'),
    padding: attr.s(padding),
    ksize: attr.ints([1, 3, 3, 1]),
    strides: attr.ints([1, 2, 2, 1]),
  });
  const p1 = g.op('p1', 'MaxPool', [r1], pool('SAME'));
  const a1 = g.op('a1', 'AvgPool', [r1], pool('SAME'));
  const cat = g.op('cat', 'ConcatV2', [p1, a1, g.const('axis', [], [-1], 'int32')], { N: attr.i(2) });
  const pd = g.op('pd', 'Pad', [cat, g.const('pads', [4, 2], [0, 0, 1, 2, 0, 1, 0, 3], 'int32')]);
  const mean = g.op('mean', 'Mean', [pd, g.const('hw', [2], [1, 2], 'int32')], { keep_dims: attr.b(false) });
  const fc = g.op(
    'fc',
    '_FusedMatMul',
    [mean, g.const('wfc', [15, 5], seeded(75, 8)), g.const('bfc', [5], seeded(5, 9))],
    {
      fused_ops: attr.strs(['BiasAdd', 'Relu']),
      num_args: attr.i(1),
      transpose_a: attr.b(false),
      transpose_b: attr.b(false),
    },
  );
  g.op('sm', 'Softmax', [fc]);
  const rs = g.op('rs', 'Reshape', [d1, g.const('flat', [2], [1, -1], 'int32')]);
  g.op('rs4', 'Reshape', [rs, g.const('shape4', [4], [1, 8, 4, 4], 'int32')]);
  const meanK = g.op('meanK', 'Mean', [c2, g.const('hw2', [2], [1, 2], 'int32')], { keep_dims: attr.b(true) });
  g.op('se', 'Mul', [c2, g.op('gate', 'Sigmoid', [meanK])]);
  // MobileNetV3 hard-swish with a float16-rounded 1/6, as in CenterNet.
  const hsMul = g.op('hs/mul', 'Mul', [g.const('hs/sixth', [], [1 / 6], 'float32', 'float16'), c2]);
  const hsRelu = g.op('hs/relu6', 'Relu6', [g.op('hs/add', 'Add', [c2, g.const('hs/three', [], [3])])]);
  g.op('hs', 'Mul', [hsMul, hsRelu]);
  // Past the cut: never converted, so its unsupported op does not matter.
  g.op('after', 'Cumsum', ['sm', 'axis']);
  return g;
}

const OUTPUTS = [
  { tf: 'sm', name: 'sm', layout: 'NHWC' as const },
  { tf: 'rs4', name: 'rs4', layout: 'NHWC' as const },
  { tf: 'r2', name: 'r2', layout: 'NCHW' as const },
  { tf: 'r3', name: 'r3', layout: 'NHWC' as const },
  { tf: 'r4', name: 'r4', layout: 'NHWC' as const },
  { tf: 'se', name: 'se', layout: 'NCHW' as const },
  { tf: 'pd', name: 'pd', layout: 'NHWC' as const },
  { tf: 'd1', name: 'd1', layout: 'NHWC' as const },
  { tf: 'hs', name: 'hs', layout: 'NHWC' as const },
];

describe('convertGraphModel vs tfjs', () => {
  it('matches tfjs on every output of a graph covering the supported ops', async () => {
    const files = buildGraph().files();
    const model = parseTfjsGraphModel(files.json, files.readShard);
    const res = convertGraphModel(model, {
      inputName: 'x',
      batch: 1,
      outputs: OUTPUTS,
      graphName: 't',
      producerVersion: 't',
      docString: '',
      metadata: {},
    });
    expect(res.inputShape).toEqual([1, 3, 13, 15]);
    expect(res.outputShapes.r2).toEqual([1, 6, 4, 5]);
    expect(res.outputShapes.rs4).toEqual([1, 8, 4, 4]);
    expect(res.outputShapes.pd).toEqual([1, 9, 8, 15]);
    expect(res.opTypes).toContain('HardSwish');

    const nhwc = seeded(13 * 15 * 3, 42).map((v) => v * 2);
    const nchw = new Float32Array(nhwc.length);
    for (let i = 0; i < 13 * 15; i++) for (let c = 0; c < 3; c++) nchw[c * 13 * 15 + i] = nhwc[i * 3 + c] as number;

    const session = await ort.InferenceSession.create(res.bytes);
    const ours = await session.run({ x: new ort.Tensor('float32', nchw, [1, 3, 13, 15]) });
    const ref = await loadTfjsReferenceFrom(model);
    const theirs = await ref.run(
      nhwc,
      [1, 13, 15, 3],
      OUTPUTS.map((o) => o.tf),
    );
    ref.dispose();
    await session.release();

    OUTPUTS.forEach((o, i) => {
      const t = ours[o.name]!;
      let data = t.data as Float32Array;
      if (o.layout === 'NCHW') {
        const [, c, h, w] = t.dims as number[];
        data = nchwToNhwc(data, c!, h!, w!);
      }
      expect(maxAbsDiff(data, theirs[i]!), o.name).toBeLessThan(1e-4);
    });
  });

  it('matches tfjs on an onnx-tf style graph: NCHW input as is, Pad in NCHW, Transposes around a conv', async () => {
    const g = new SyntheticGraph();
    const perm = (name: string, p: number[]) => g.const(name, [4], p, 'int32');
    const x = g.input('x', [1, 3, 7, 9]);
    const pd = g.op('pd', 'Pad', [x, g.const('pads', [4, 2], [0, 0, 0, 0, 1, 1, 2, 0], 'int32')]);
    const toNhwc = g.op('toNhwc', 'Transpose', [pd, perm('p1', [0, 2, 3, 1])]);
    const c = g.op('c', 'Conv2D', [toNhwc, g.const('w', [3, 3, 3, 5], seeded(135, 11))], conv('VALID', 1, []));
    const b = g.op('b', 'Add', [c, g.const('bias', [5], seeded(5, 12))]);
    const toNchw = g.op('toNchw', 'Transpose', [b, perm('p2', [0, 3, 1, 2])]);
    g.op('act', 'LeakyRelu', [toNchw], { alpha: attr.f(0.1) });
    g.op('odd', 'Transpose', ['act', perm('p3', [0, 2, 1, 3])]);
    const files = g.files();
    const model = parseTfjsGraphModel(files.json, files.readShard);
    const outputs = [
      { tf: 'act', name: 'act', layout: 'NHWC' as const },
      { tf: 'odd', name: 'odd', layout: 'NHWC' as const },
    ];
    const res = convertGraphModel(model, {
      inputName: 'x',
      inputLayout: 'as-is',
      batch: 1,
      outputs,
      graphName: 't',
      producerVersion: 't',
      docString: '',
      metadata: {},
    });
    expect(res.inputShape).toEqual([1, 3, 7, 9]);
    expect(res.outputShapes).toEqual({ act: [1, 5, 7, 9], odd: [1, 7, 5, 9] });

    const input = seeded(3 * 7 * 9, 13);
    const session = await ort.InferenceSession.create(res.bytes);
    const ours = await session.run({ x: new ort.Tensor('float32', input, [1, 3, 7, 9]) });
    const ref = await loadTfjsReferenceFrom(model);
    const theirs = await ref.run(
      input,
      [1, 3, 7, 9],
      outputs.map((o) => o.tf),
    );
    ref.dispose();
    await session.release();
    outputs.forEach((o, i) => {
      expect(maxAbsDiff(ours[o.name]!.data as Float32Array, theirs[i]!), o.name).toBeLessThan(1e-4);
    });
  });

  it('refuses a Transpose perm that does not fit its input', () => {
    const g = new SyntheticGraph();
    g.op('t', 'Transpose', [g.input('x', [1, 4, 4, 1]), g.const('p', [4], [0, 1, 1, 3], 'int32')]);
    const files = g.files();
    const model = parseTfjsGraphModel(files.json, files.readShard);
    expect(() =>
      convertGraphModel(model, {
        inputName: 'x',
        batch: 1,
        outputs: [{ tf: 't', name: 'y', layout: 'NHWC' }],
        graphName: 't',
        producerVersion: 't',
        docString: '',
        metadata: {},
      }),
    ).toThrow(/perm \[0,1,1,3\]/);
  });

  it('names the TF op it cannot convert', () => {
    const g = new SyntheticGraph();
    g.op('bad', 'Cumsum', [g.input('x', [1, 4, 4, 1]), g.const('ax', [], [1], 'int32')]);
    const files = g.files();
    const model = parseTfjsGraphModel(files.json, files.readShard);
    const run = () =>
      convertGraphModel(model, {
        inputName: 'x',
        batch: 1,
        outputs: [{ tf: 'bad', name: 'y', layout: 'NHWC' }],
        graphName: 't',
        producerVersion: 't',
        docString: '',
        metadata: {},
      });
    expect(run).toThrow(UnsupportedTfOpError);
    expect(run).toThrow(/Cumsum/);
    expect(run).toThrow(/it converts .*ConcatV2, Const, Conv2D/);
  });

  it('supports exactly the ops docs/models.md lists (the op table by family is the one list)', () => {
    expect(SUPPORTED_TF_OPS).toEqual(
      [
        'Placeholder',
        'Const',
        'Identity',
        'Conv2D',
        '_FusedConv2D',
        'DepthwiseConv2dNative',
        'FusedDepthwiseConv2dNative',
        'MatMul',
        '_FusedMatMul',
        'BiasAdd',
        'Add',
        'AddV2',
        'Sub',
        'Mul',
        'RealDiv',
        'Div',
        'Minimum',
        'Maximum',
        'Relu',
        'Relu6',
        'Elu',
        'LeakyRelu',
        'Prelu',
        'Sigmoid',
        'Tanh',
        'Softmax',
        'Exp',
        'Sqrt',
        'Rsqrt',
        'Neg',
        'Abs',
        'Square',
        'Mean',
        'Max',
        'Sum',
        'MaxPool',
        'AvgPool',
        'ResizeBilinear',
        'ResizeNearestNeighbor',
        'ConcatV2',
        'Pad',
        'PadV2',
        'Reshape',
        'Squeeze',
        'Transpose',
        'Shape',
        'StridedSlice',
        'Cast',
      ].sort(),
    );
  });
});
