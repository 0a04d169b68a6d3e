#!/usr/bin/env node
// The CLI entry: runs the compiled code (npm ci builds it through the `prepare` script).
import '../dist/cli/run.js';
