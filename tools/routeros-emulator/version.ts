export { isValidVersion, treeVersionFor, versionAtLeast } from "../routeros/version.ts";
