// Runs an ONNX model in ONNX Runtime and compares its first output with expected values.
// usage: node ort_run.js NODE_MODULES model.onnx input.f32 d0,d1,... want.f32   (exit 0 = match)
// The .f32 files are raw little-endian float32; tolerance |got - want| <= 1e-4 + 1e-4 |want|.
const fs = require('fs');
const [modules, model, input, dims, wantPath] = process.argv.slice(2);
const ort = require(modules + '/onnxruntime-node');

function floats(path) {
  const b = fs.readFileSync(path);
  return new Float32Array(b.buffer, b.byteOffset, b.length / 4);
}

(async () => {
  const session = await ort.InferenceSession.create(model);
  const x = new ort.Tensor('float32', floats(input), dims.split(',').map(Number));
  const result = await session.run({ [session.inputNames[0]]: x });
  const got = result[session.outputNames[0]].data;
  const want = floats(wantPath);
  if (got.length !== want.length) throw new Error(`got ${got.length} values, want ${want.length}`);
  for (let i = 0; i < want.length; ++i) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-4 + 1e-4 * Math.abs(want[i])))
      throw new Error(`element ${i}: ONNX Runtime ${got[i]}, duet ${want[i]}`);
  }
  console.log(`ort_run: ${model}: ${want.length} values match`);
})().catch((e) => { console.error('ort_run:', e.message); process.exit(1); });
