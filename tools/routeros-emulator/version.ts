export { isValidVersion, versionAtLeast } from "../routeros/version.ts";
