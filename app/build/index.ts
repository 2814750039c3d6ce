// Build steps shared by `npm start`, the edge agent and the tests (renderer bundle, ONNX models).
export { ensureModelsBuilt, ensureRendererBuilt } from './build-steps';
