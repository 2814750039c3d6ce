// A catalog model converted with a symbolic batch dimension (dev only: the footfall-cams bench
// measures batch 1 vs 2 vs 3 with it). The shipped models/build files keep batch 1.
import { CATALOG, sourceModelJson } from '../convert/build-models';
import { convertGraphModel } from '../convert/convert-graph-model';
import { readTfjsGraphModel } from '../convert/tfjs-graph-model';

export function convertWithSymbolicBatch(name: string): {
  bytes: Uint8Array;
  inputName: string;
  inputShape: (number | string)[];
} {
  const c = CATALOG.find((x) => x.name === name);
  if (!c) throw new Error(`no catalog model ${name}`);
  const res = convertGraphModel(readTfjsGraphModel(sourceModelJson(c)), {
    inputName: c.inputName,
    batch: 'N',
    outputs: c.outputs,
    inputSize: c.inputSize,
    graphName: c.name,
    producerVersion: 'batch-export',
    docString: `${c.name} with a symbolic batch dimension (bench only)`,
    metadata: {},
  });
  return { bytes: res.bytes, inputName: c.inputName, inputShape: res.inputShape };
}
