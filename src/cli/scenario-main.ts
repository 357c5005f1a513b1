#!/usr/bin/env node
/** Thin bin: npm run scenario. */
import { runBin } from './bin.ts';
import { scenarioCommand } from './scenario-command.ts';

await runBin(scenarioCommand);
