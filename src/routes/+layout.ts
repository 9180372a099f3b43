// A static, client-side app: tfjs, IndexedDB and WebGPU live in the browser. Every page is
// prerendered as a shell so the site can be served by any static server.
export const ssr = false;
export const prerender = true;
