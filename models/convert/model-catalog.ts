// Which TFJS models from @vladmandic/human we convert, where each is cut, and how its input
// must be prepared. The build writes this (plus hashes) into models/manifest.json.
import type { ConvertOptions } from './convert-graph-model';

export interface Preprocessing {
  width: number;
  height: number;
  /** stretch: resize to width×height ignoring aspect; letterbox: fit inside and pad. */
  resize: 'stretch' | 'letterbox';
  channels: 'RGB';
  layout: 'NCHW';
  /** value fed to the model = pixel(0–255) * scale + offset */
  scale: number;
  offset: number;
}

export interface CatalogEntry {
  name: 'centernet' | 'centernet-384' | 'movenet-multipose' | 'blazeface' | 'faceres' | 'antispoof' | 'liveness';
  version: string;
  task: string;
  sourceFile: string;
  /**
   * A model @vladmandic/human does not ship: its files are copied into models/vendor/<dir>/ with a
   * source.json (package, version, licence, sha256) and a README.
   */
  vendored?: string;
  upstream: string;
  inputName: string;
  /** Convert at another input size (fully convolutional models only). */
  inputSize?: [number, number];
  outputs: ConvertOptions['outputs'];
  preprocessing: Preprocessing;
  notes: string;
}

export const SOURCE_PACKAGE = '@vladmandic/human';

export const CATALOG: CatalogEntry[] = [
  {
    name: 'centernet',
    version: '1',
    task: 'COCO object detection (80 classes, class 0 = person); MobileNetV3 CenterNet',
    sourceFile: 'centernet.json',
    upstream: 'https://github.com/610265158/mobilenetv3_centernet',
    inputName: 'image',
    // Cut before the in-graph decode (MaxPool/Equal/TopKV2/GatherV2…): the runtime does the
    // 3×3 peak search, top-k and box assembly in TypeScript (models/runtime/decode-centernet.ts).
    outputs: [
      { tf: 'tower_0/keypoints', name: 'heatmap', layout: 'NCHW' },
      { tf: 'tower_0/wh', name: 'wh', layout: 'NCHW' },
    ],
    preprocessing: { width: 512, height: 512, resize: 'stretch', channels: 'RGB', layout: 'NCHW', scale: 1, offset: 0 },
    notes:
      'heatmap [1,80,128,128] sigmoid class scores at stride 4; wh [1,4,128,128] distances (left, top, right, bottom) in input pixels',
  },
  {
    name: 'centernet-384',
    version: '1',
    task: 'COCO object detection, same CenterNet weights run at 384×384 for slower CPUs',
    sourceFile: 'centernet.json',
    upstream: 'https://github.com/610265158/mobilenetv3_centernet',
    inputName: 'image',
    // The network is fully convolutional; only its three FPN upsampling targets are fixed
    // sizes, which the converter scales by 384/512.
    inputSize: [384, 384],
    outputs: [
      { tf: 'tower_0/keypoints', name: 'heatmap', layout: 'NCHW' },
      { tf: 'tower_0/wh', name: 'wh', layout: 'NCHW' },
    ],
    preprocessing: { width: 384, height: 384, resize: 'stretch', channels: 'RGB', layout: 'NCHW', scale: 1, offset: 0 },
    notes:
      'heatmap [1,80,96,96], wh [1,4,96,96]; stride 4. Not in TFJS, so checked against the 512 model instead of tfjs',
  },
  {
    name: 'movenet-multipose',
    version: '1',
    task: "people with 17 COCO keypoints (MoveNet MultiPose Lightning): the door counter's person detector",
    sourceFile: 'movenet-multipose.json',
    vendored: 'movenet-multipose',
    upstream: 'https://tfhub.dev/google/tfjs-model/movenet/multipose/lightning/1',
    inputName: 'image',
    // Any size that is a multiple of 32; 256×448 keeps a 16:9 camera's aspect (640×360 → 0.7).
    // The graph's Shape/StridedSlice arithmetic for its FPN upsampling folds to constants at
    // this size. Cut before the in-graph decode (TopKV2/GatherNd/ArgMax): the runtime decodes
    // every centre peak, not the graph's best six (models/runtime/decode-movenet.ts).
    inputSize: [256, 448],
    outputs: [
      { tf: 'StatefulPartitionedCall/center_0/conv2d_4/BiasAdd', name: 'center', layout: 'NCHW' },
      { tf: 'StatefulPartitionedCall/box_scale_0/conv2d_5/BiasAdd', name: 'box_scale', layout: 'NCHW' },
      { tf: 'StatefulPartitionedCall/box_offset_0/conv2d_6/BiasAdd', name: 'box_offset', layout: 'NCHW' },
      { tf: 'StatefulPartitionedCall/kpt_heatmap_0/conv2d_7/BiasAdd', name: 'kpt_heatmap', layout: 'NCHW' },
      { tf: 'StatefulPartitionedCall/kpt_regress_0/conv2d_8/BiasAdd', name: 'kpt_regress', layout: 'NCHW' },
      { tf: 'StatefulPartitionedCall/kpt_offset_0/conv2d_9/BiasAdd', name: 'kpt_offset', layout: 'NCHW' },
    ],
    preprocessing: {
      width: 448,
      height: 256,
      resize: 'letterbox',
      channels: 'RGB',
      layout: 'NCHW',
      scale: 1,
      offset: 0,
    },
    notes:
      'stride 4, grid 64x112; center [1,1,..] and kpt_heatmap [1,17,..] are logits; box_scale/box_offset [1,2,..] (y, x) and kpt_regress/kpt_offset [1,34,..] (y, x per keypoint) in grid cells',
  },
  {
    name: 'blazeface',
    version: '1',
    task: 'face detection (MediaPipe BlazeFace back model, 896 anchors)',
    sourceFile: 'blazeface.json',
    upstream: 'https://github.com/google/mediapipe',
    inputName: 'image',
    outputs: [
      { tf: 'Identity', name: 'scores_16', layout: 'NHWC' },
      { tf: 'Identity_2', name: 'boxes_16', layout: 'NHWC' },
      { tf: 'Identity_1', name: 'scores_32', layout: 'NHWC' },
      { tf: 'Identity_3', name: 'boxes_32', layout: 'NHWC' },
    ],
    preprocessing: {
      width: 256,
      height: 256,
      resize: 'letterbox',
      channels: 'RGB',
      layout: 'NCHW',
      scale: 1 / 127.5,
      offset: -1,
    },
    notes:
      'scores_* are logits per anchor; boxes_* are [dx, dy, w, h, 6×(x,y) landmarks] in input pixels relative to the anchor centre (anchors: stride 16 ×2, stride 32 ×6)',
  },
  {
    name: 'faceres',
    version: '1',
    task: 'face description: 1024-d embedding, age (100 bins), gender',
    sourceFile: 'faceres.json',
    upstream: 'https://github.com/HSE-asavchenko/HSE_FaceRec_tf',
    inputName: 'image',
    outputs: [
      { tf: 'global_pooling/Mean', name: 'embedding', layout: 'NHWC' },
      { tf: 'age_pred/Softmax', name: 'age', layout: 'NHWC' },
      { tf: 'gender_pred/Sigmoid', name: 'gender', layout: 'NHWC' },
    ],
    preprocessing: { width: 224, height: 224, resize: 'stretch', channels: 'RGB', layout: 'NCHW', scale: 1, offset: 0 },
    notes:
      'input is a face crop; embedding is not normalised in the graph (the runtime L2-normalises it); gender > 0.5 = male',
  },
  {
    name: 'antispoof',
    version: '1',
    task: 'face anti-spoofing (real vs. photo/screen)',
    sourceFile: 'antispoof.json',
    upstream: 'https://www.kaggle.com/anku420/fake-face-detection',
    inputName: 'image',
    outputs: [{ tf: 'Identity', name: 'score', layout: 'NHWC' }],
    preprocessing: {
      width: 128,
      height: 128,
      resize: 'stretch',
      channels: 'RGB',
      layout: 'NCHW',
      scale: 1 / 255,
      offset: 0,
    },
    notes: 'input is a face crop; score [1,1]',
  },
  {
    name: 'liveness',
    version: '1',
    task: 'face liveness',
    sourceFile: 'liveness.json',
    upstream: 'https://github.com/leokwu/livenessnet',
    inputName: 'image',
    outputs: [{ tf: 'Identity', name: 'probabilities', layout: 'NHWC' }],
    preprocessing: {
      width: 32,
      height: 32,
      resize: 'stretch',
      channels: 'RGB',
      layout: 'NCHW',
      scale: 1 / 255,
      offset: 0,
    },
    notes:
      'input is a face crop; probabilities [1,2] softmax; @vladmandic/human reports probabilities[0] as its live score',
  },
];
