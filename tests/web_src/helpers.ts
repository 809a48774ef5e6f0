// Mounting OWL components in jsdom with the real templates and a replaced IspService.
import { App } from "@odoo/owl";
import type { ComponentConstructor } from "@odoo/owl";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ISP_SERVICE_NAME } from "../../web_src/services/isp_service.ts";
import type { IspService } from "../../web_src/services/isp_service.ts";

const SOURCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../web_src");
const TEMPLATE_FILES = readdirSync(SOURCE_DIR, { recursive: true, encoding: "utf8" })
  .filter((name) => name.endsWith(".xml"))
  .map((name) => readFileSync(path.join(SOURCE_DIR, name), "utf8"));

export interface Mounted {
  target: HTMLElement;
  app: App;
}

let mountedApps: App[] = [];

/** Starts mounting without waiting: `mounted` settles when the first render is on screen. */
export function startMounting<Props extends object>(
  component: ComponentConstructor<Props>,
  service: IspService,
  props: Props = {} as Props,
): Mounted & { mounted: Promise<unknown> } {
  const target = document.createElement("div");
  document.body.appendChild(target);
  const app = new App(component, { env: { services: { [ISP_SERVICE_NAME]: service } }, props, test: true });
  for (const templates of TEMPLATE_FILES) app.addTemplates(templates);
  mountedApps.push(app);
  return { target, app, mounted: app.mount(target) };
}

export async function mountComponent<Props extends object>(
  component: ComponentConstructor<Props>,
  service: IspService,
  props: Props = {} as Props,
): Promise<Mounted> {
  const { target, app, mounted } = startMounting(component, service, props);
  await mounted;
  // What loads after the first render (figures, feed history) arrives before the test looks.
  await nextTick();
  return { target, app };
}

export function destroyAll(): void {
  for (const app of mountedApps) app.destroy();
  mountedApps = [];
  document.body.innerHTML = "";
}

/** Lets promises settle and OWL render what they changed. */
export async function nextTick(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

export async function click(target: HTMLElement, selector: string): Promise<void> {
  const element = target.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`nothing matches ${selector}`);
  element.click();
  await nextTick();
}

export async function change(target: HTMLElement, selector: string, value: string, eventName = "change"): Promise<void> {
  const element = target.querySelector<HTMLInputElement | HTMLSelectElement>(selector);
  if (!element) throw new Error(`nothing matches ${selector}`);
  element.value = value;
  element.dispatchEvent(new window.Event(eventName, { bubbles: true }));
  await nextTick();
}

export function texts(target: HTMLElement, selector: string): string[] {
  return [...target.querySelectorAll(selector)].map((element) => element.textContent!.replace(/\s+/g, " ").trim());
}
