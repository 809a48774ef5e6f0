import type { MenuSchema } from "../engine/schema.ts";

/**
 * `/file`: the router's files, here only those made with `add name= contents=` (which 7.12.2's
 * command tree already has), so that a CA certificate can be uploaded over the API and then
 * imported with `/certificate/import file-name=`. `set name=` (renaming) exists from 7.19.6's tree.
 */
export const file: MenuSchema = {
  path: "/file",
  kind: "list",
  notExported: true,
  properties: [
    { name: "name", unique: true, required: true, setSince: "7.19" },
    { name: "type", readOnly: true, default: "file", until: "7.19" },
    { name: "type", default: "file", since: "7.19" },
    { name: "contents", default: "" },
    { name: "size", readOnly: true },
  ],
  computed: (values): Record<string, string> => ({ size: String((values.contents ?? "").length) }),
};
