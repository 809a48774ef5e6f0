import type { MenuSchema } from "../engine/schema.ts";
import { comment, disabled, dynamic } from "./properties.ts";

export const simpleQueue: MenuSchema = {
  path: "/queue/simple",
  kind: "list",
  toggle: true,
  properties: [
    { name: "name", unique: true, autoName: "queue" },
    { name: "target", required: true },
    { name: "max-limit", default: "0/0" },
    { name: "limit-at", default: "0/0" },
    { name: "parent", default: "none" },
    { name: "priority", default: "8/8" },
    { name: "queue", default: "default-small/default-small" },
    comment,
    disabled,
    dynamic,
  ],
};
