// What the test suite needs built before it runs: the renderer bundle (web host, Playwright)
// and the converted ONNX models. The steps themselves live with the product (app/build),
// because `npm start` uses them too.
import { ensureModelsBuilt, ensureRendererBuilt } from '../app/build';

export async function prepareForTests(): Promise<void> {
  ensureRendererBuilt();
  ensureModelsBuilt();
}
