// Copies the runtime files that ship inside npm packages into static/vendor/ (git-ignored):
// tfjs's WebAssembly binaries and face-api's detector, landmark and face-recognition weights.
// Run before dev/build.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'static', 'vendor');
const copies = [
	['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', 'tfjs-wasm/tfjs-backend-wasm.wasm'],
	['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', 'tfjs-wasm/tfjs-backend-wasm-simd.wasm'],
	['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm'],
	['node_modules/@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json', 'face-api/tiny_face_detector_model-weights_manifest.json'],
	['node_modules/@vladmandic/face-api/model/tiny_face_detector_model.bin', 'face-api/tiny_face_detector_model.bin'],
	['node_modules/@vladmandic/face-api/model/face_landmark_68_model-weights_manifest.json', 'face-api/face_landmark_68_model-weights_manifest.json'],
	['node_modules/@vladmandic/face-api/model/face_landmark_68_model.bin', 'face-api/face_landmark_68_model.bin'],
	['node_modules/@vladmandic/face-api/model/face_recognition_model-weights_manifest.json', 'face-api/face_recognition_model-weights_manifest.json'],
	['node_modules/@vladmandic/face-api/model/face_recognition_model.bin', 'face-api/face_recognition_model.bin']
];
for (const [from, to] of copies) {
	mkdirSync(dirname(join(out, to)), { recursive: true });
	cpSync(join(root, from), join(out, to));
}
console.log(`vendor: copied ${copies.length} files to static/vendor`);
