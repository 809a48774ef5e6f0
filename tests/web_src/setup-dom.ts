// Loaded by QUnit (`--require`) before the test files. It gives OWL a jsdom window to render
// into, and resolves Odoo's `@web/*` modules to the small doubles under ./odoo/, since the
// real ones exist only inside an Odoo server.
import { JSDOM } from "jsdom";
import Module from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true, url: "http://127.0.0.1/" });
const { window } = dom;
// The DOM interfaces (Node, DOMTokenList, KeyboardEvent...) that Node.js lacks, plus what OWL calls.
const domInterfaces = Object.getOwnPropertyNames(window).filter(
  (name) => /^[A-Z]/.test(name) && !(name in globalThis) && typeof (window as unknown as Record<string, unknown>)[name] === "function",
);
const globals: Record<string, unknown> = {
  window,
  document: window.document,
  navigator: window.navigator,
  requestAnimationFrame: window.requestAnimationFrame.bind(window),
  cancelAnimationFrame: window.cancelAnimationFrame.bind(window),
  getComputedStyle: window.getComputedStyle.bind(window),
};
for (const name of domInterfaces) globals[name] = (window as unknown as Record<string, unknown>)[name];
for (const [name, value] of Object.entries(globals)) {
  Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
}

const doublesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), "odoo");
type ResolveFilename = (request: string, ...rest: unknown[]) => string;
const moduleWithResolver = Module as unknown as { _resolveFilename: ResolveFilename };
const resolveFilename = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = function (request, ...rest) {
  const odooModule = /^@(web|bus)\/(.*)$/.exec(request);
  const target = odooModule ? path.join(doublesRoot, odooModule[1]!, `${odooModule[2]}.ts`) : request;
  return resolveFilename.call(this, target, ...rest);
};
