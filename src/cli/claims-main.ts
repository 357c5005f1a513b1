#!/usr/bin/env node
/** Thin bin: npm run claims. */
import { runBin } from './bin.ts';
import { claimsCommand } from './claims-command.ts';

await runBin(claimsCommand);
