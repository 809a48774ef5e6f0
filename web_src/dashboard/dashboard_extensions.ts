// The dashboard's extension point: another addon (isp_billing) adds key figures and attention
// lines by adding an extension to this registry category, as Odoo's own registries work.
// isp_core never names the addons that fill it.

export const DASHBOARD_EXTENSIONS = "isp_core.dashboard_extensions";

/** An Odoo action: an XML id or an action's description, as `action.doAction` takes it. */
export type OdooAction = string | Record<string, unknown>;

export interface ExtensionTile {
  key: string;
  label: string;
  /** Already formatted by the server (an amount with its currency, or a count). */
  value: string;
  action: OdooAction;
}

export interface ExtensionAttention {
  key: string;
  text: string;
  action: OdooAction;
}

export interface ExtensionFigures {
  tiles: ExtensionTile[];
  attention: ExtensionAttention[];
}

/** What an extension gets: server calls, and nothing else of Odoo's. */
export interface ExtensionContext {
  call<T>(model: string, method: string, args?: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
}

export interface DashboardExtension {
  load(context: ExtensionContext): Promise<ExtensionFigures>;
}

export const NO_EXTENSION_FIGURES: ExtensionFigures = { tiles: [], attention: [] };

/**
 * Every extension's figures, in registry order. One that fails is reported and left out: the
 * others and isp_core's own figures still show.
 */
export async function loadExtensionFigures(
  extensions: DashboardExtension[],
  context: ExtensionContext,
  onFailure: (error: unknown) => void,
): Promise<ExtensionFigures> {
  const results = await Promise.allSettled(extensions.map((extension) => extension.load(context)));
  const figures: ExtensionFigures = { tiles: [], attention: [] };
  for (const result of results) {
    if (result.status === "rejected") {
      onFailure(result.reason);
      continue;
    }
    figures.tiles.push(...result.value.tiles);
    figures.attention.push(...result.value.attention);
  }
  return figures;
}
