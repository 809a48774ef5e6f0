#!/usr/bin/env node
// The installed `isp-preloader` command. The CLI is TypeScript: tsx is registered from here (not
// with `node --import tsx`) so that it resolves next to this file, whatever the working directory.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli.ts");
process.exitCode = await main(process.argv.slice(2), process.env, process.stdout, process.stderr);
