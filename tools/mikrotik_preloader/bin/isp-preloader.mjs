#!/usr/bin/env -S node --import tsx
// The installed `isp-preloader` command: the CLI is TypeScript, run through tsx.
import { main } from "../cli.ts";

process.exitCode = await main(process.argv.slice(2), process.env, process.stdout, process.stderr);
